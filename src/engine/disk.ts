// A node's disk as the engine sees it: named files of bytes in the node's
// working directory (redis.conf, dump.rdb, and the AOF files, named
// "<appenddirname>/<file>": one level of directory). The
// host provides it: the simulation keeps files in memory across crashes and
// restarts of the node (src/sim/disk.ts); `npm run serve --data-dir` may map
// them to real files. Calls are synchronous, as Redis's SAVE is.

import { concatBytes } from './bytes.ts';

export interface Disk {
  /** The whole file, or null when there is none. */
  read(name: string): Uint8Array | null;
  /** Creates or replaces the file at once (SAVE writes a temp file and renames it: atomic). */
  write(name: string, bytes: Uint8Array): void;
  /**
   * The same with the file's bytes in pieces, in order (a replica's
   * received payload: no allocation of its whole size). The disk may keep
   * the pieces themselves: the caller must not change them afterwards.
   */
  writePieces(name: string, pieces: readonly Uint8Array[]): void;
  /** Adds bytes at the end of the file, created when missing (the AOF's write(2) with O_APPEND). */
  append(name: string, bytes: Uint8Array): void;
  exists(name: string): boolean;
  /** Deletes the file; false when there was none. */
  remove(name: string): boolean;
}

/** A disk that lives as long as the object: for a node constructed without one (tests). */
export class MemoryDisk implements Disk {
  /** Each file as the pieces it was written in (joined when read). */
  protected readonly files = new Map<string, readonly Uint8Array[]>();

  read(name: string): Uint8Array | null {
    const f = this.files.get(name);
    return f ? concatBytes(f) : null;
  }

  write(name: string, bytes: Uint8Array): void {
    this.files.set(name, [bytes.slice()]);
  }

  writePieces(name: string, pieces: readonly Uint8Array[]): void {
    this.files.set(name, [...pieces]);
  }

  append(name: string, bytes: Uint8Array): void {
    const f = this.files.get(name);
    // Many small appends are joined now and then, so a read stays one copy of a few pieces.
    const pieces = f ? [...f, bytes.slice()] : [bytes.slice()];
    this.files.set(name, pieces.length > 64 ? [concatBytes(pieces)] : pieces);
  }

  /** The file's size in bytes, or -1 when there is none. */
  size(name: string): number {
    const f = this.files.get(name);
    return f ? f.reduce((n, p) => n + p.length, 0) : -1;
  }

  exists(name: string): boolean {
    return this.files.has(name);
  }

  remove(name: string): boolean {
    return this.files.delete(name);
  }
}
