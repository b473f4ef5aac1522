// A simulated machine's disk for one node: named files in memory. The
// SimProcess owns it, so it survives the node's crash and restart (DESIGN.md
// 2.1): a node started again finds the dump.rdb its previous process saved.
// Removing the node from the world removes its disk with it.

import { MemoryDisk, type Disk } from '../engine/disk.ts';
import { concatBytes } from '../engine/bytes.ts';

export interface DiskFile {
  readonly name: string;
  readonly size: number;
}

/** A machine's disk as the world uses it: the engine's Disk, and a listing for views. */
export interface MachineDisk extends Disk {
  list(): DiskFile[];
  /**
   * A number that changes whenever the file is written or removed (0 for
   * none), so a view showing it knows when to read it again. Disks that
   * cannot tell leave it out.
   */
  version?(name: string): number;
  /** The node is removed from the world: its disk goes too (memory disks just drop). */
  destroy?(): void;
}

export interface SimDiskOptions {
  /** Files the disk starts with (a world restored from the page's storage). */
  readonly files?: Iterable<readonly [string, Uint8Array]>;
  /** Called after every write and removal (the worker persists disks from here). */
  readonly onChange?: (name: string) => void;
}

export class SimDisk extends MemoryDisk implements MachineDisk {
  private readonly versions = new Map<string, number>();
  /** Counts this disk's writes (per disk, so a world's trace does not depend on other worlds). */
  private nextVersion = 1;
  private readonly onChange: ((name: string) => void) | undefined;

  constructor(options: SimDiskOptions = {}) {
    super();
    for (const [name, bytes] of options.files ?? []) {
      this.files.set(name, [bytes.slice()]);
      this.versions.set(name, this.nextVersion++);
    }
    this.onChange = options.onChange;
  }

  override write(name: string, bytes: Uint8Array): void {
    super.write(name, bytes);
    this.changed(name);
  }

  override writePieces(name: string, pieces: readonly Uint8Array[]): void {
    super.writePieces(name, pieces);
    this.changed(name);
  }

  override append(name: string, bytes: Uint8Array): void {
    super.append(name, bytes);
    this.changed(name);
  }

  private changed(name: string): void {
    this.versions.set(name, this.nextVersion++);
    this.onChange?.(name);
  }

  override remove(name: string): boolean {
    const had = super.remove(name);
    if (had) {
      this.versions.delete(name);
      this.onChange?.(name);
    }
    return had;
  }

  version(name: string): number {
    return this.versions.get(name) ?? 0;
  }

  /** The files on the disk, by name. */
  list(): DiskFile[] {
    return [...this.files.keys()].map((name) => ({ name, size: this.size(name) })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Every file and its bytes (callers must not change them), for saving the disk elsewhere. */
  entries(): [string, Uint8Array][] {
    return [...this.files].map(([name, pieces]) => [name, pieces.length === 1 ? pieces[0] : concatBytes(pieces)]);
  }
}
