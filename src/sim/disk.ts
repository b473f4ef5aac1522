// A simulated machine's disk for one node: named files in memory. The
// SimProcess owns it, so it survives the node's crash and restart (DESIGN.md
// 2.1): a node started again finds the dump.rdb its previous process saved.
// Removing the node from the world removes its disk with it.

import { MemoryDisk, type Disk } from '../engine/disk.ts';

export interface DiskFile {
  readonly name: string;
  readonly size: number;
}

/** A machine's disk as the world uses it: the engine's Disk, and a listing for views. */
export interface MachineDisk extends Disk {
  list(): DiskFile[];
  /** The node is removed from the world: its disk goes too (memory disks just drop). */
  destroy?(): void;
}

export class SimDisk extends MemoryDisk implements MachineDisk {
  /** The files on the disk, by name. */
  list(): DiskFile[] {
    return [...this.files].map(([name, bytes]) => ({ name, size: bytes.length })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
