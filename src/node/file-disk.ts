// A node's disk as real files, for `npm run serve --data-dir DIR`: the
// node's files live in DIR/<port>/ (dump.rdb, later redis.conf and
// appendonlydir), so redis-check-rdb can read them and a later serve with
// the same DIR starts from them. Writes go to a temp file renamed over the
// target, as Redis's SAVE does, so a crash never leaves half a file.
import fs from 'node:fs';
import path from 'node:path';
import type { DiskFile, MachineDisk } from '../sim/disk.ts';

export class FileDisk implements MachineDisk {
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  private file(name: string): string {
    if (name.includes('/') || name === '..' || name === '.') throw new Error(`not a file name: ${name}`);
    return path.join(this.dir, name);
  }

  read(name: string): Uint8Array | null {
    try {
      const b = fs.readFileSync(this.file(name));
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  write(name: string, bytes: Uint8Array): void {
    this.writePieces(name, [bytes]);
  }

  writePieces(name: string, pieces: readonly Uint8Array[]): void {
    const target = this.file(name);
    const temp = `${target}.tmp-${process.pid}`;
    const fd = fs.openSync(temp, 'w');
    try {
      for (const p of pieces) {
        for (let at = 0; at < p.length; ) at += fs.writeSync(fd, p, at, p.length - at);
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  }

  exists(name: string): boolean {
    return fs.existsSync(this.file(name));
  }

  remove(name: string): boolean {
    try {
      fs.unlinkSync(this.file(name));
      return true;
    } catch {
      return false;
    }
  }

  list(): DiskFile[] {
    return fs
      .readdirSync(this.dir, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => ({ name: d.name, size: fs.statSync(path.join(this.dir, d.name)).size }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** SIM REMOVE takes the disk with the node. */
  destroy(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
