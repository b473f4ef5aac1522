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

  /** A file of the node's dir, or of one directory in it (the AOF's "<appenddirname>/<file>"). */
  private file(name: string): string {
    const parts = name.split('/');
    if (parts.length > 2 || parts.some((p) => p === '' || p === '..' || p === '.')) throw new Error(`not a file name: ${name}`);
    return path.join(this.dir, ...parts);
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
    fs.mkdirSync(path.dirname(target), { recursive: true });
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

  append(name: string, bytes: Uint8Array): void {
    const target = this.file(name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.appendFileSync(target, bytes);
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
    const files: DiskFile[] = [];
    for (const d of fs.readdirSync(this.dir, { withFileTypes: true })) {
      if (d.isFile()) files.push({ name: d.name, size: fs.statSync(path.join(this.dir, d.name)).size });
      else if (d.isDirectory()) {
        for (const f of fs.readdirSync(path.join(this.dir, d.name), { withFileTypes: true })) {
          if (f.isFile()) files.push({ name: `${d.name}/${f.name}`, size: fs.statSync(path.join(this.dir, d.name, f.name)).size });
        }
      }
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** SIM REMOVE takes the disk with the node. */
  destroy(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
