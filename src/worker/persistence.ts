// Keeps the world's disks in a WorldStore so they survive a page reload:
// every write to a node's disk (SAVE, CONFIG REWRITE, a replica's received
// RDB, a loaded dump.rdb) marks the file, and a save follows after a quiet
// moment with only the files that changed, together with the node list.
// Saves run one at a time, in order, so a Reset (clear) is never overtaken
// by an older save.
import { SimDisk } from '../sim/disk.ts';
import type { World } from '../sim/world.ts';
import type { StoredFile, StoredWorld, WorldStore } from './storage.ts';

export class WorldPersistence {
  /** Wall milliseconds between a change and its save (more changes meanwhile join it). */
  static readonly THROTTLE_MS = 500;
  /** Files changed since the last save, as "port/name". */
  private changed = new Map<string, { port: number; name: string }>();
  /** Files the store holds, by port (so that a removed node's files can go). */
  private stored = new Map<number, Set<string>>();
  private savedPorts = '';
  /** The links' settings of the last save, as JSON. */
  private savedLinks = '[]';
  private scheduled = false;
  /** The chain of store operations, each after the previous one. */
  private queue: Promise<void> = Promise.resolve();
  private disks = new Map<number, SimDisk>();
  /** Nodes whose log grew since the last save. */
  private logsChanged = new Set<number>();
  /** Nodes whose log the store holds. */
  private storedLogs = new Set<number>();

  constructor(
    private readonly store: WorldStore,
    private readonly later: (ms: number, fn: () => void) => void,
    private readonly world: () => World | null,
    private readonly failed: (message: string) => void,
  ) {}

  /** The saved world, or null; remembers what the store holds. */
  async restore(): Promise<StoredWorld | null> {
    const saved = await this.store.load();
    if (!saved) return null;
    for (const f of saved.files) this.storedSet(f.port).add(f.name);
    for (const l of saved.logs ?? []) this.storedLogs.add(l.port);
    this.savedPorts = saved.ports.join(',');
    this.savedLinks = JSON.stringify(saved.links ?? []);
    return saved;
  }

  /** A node's disk that reports its writes here, starting with the files given. */
  diskFor(port: number, files: readonly StoredFile[] = []): SimDisk {
    const own = files.filter((f) => f.port === port);
    // A node added on the port of one removed before: what the old one left in the store goes at the next save.
    for (const name of this.stored.get(port) ?? []) {
      if (!own.some((f) => f.name === name)) this.changed.set(`${port}/${name}`, { port, name });
    }
    const disk = new SimDisk({
      files: own.map((f) => [f.name, f.bytes] as const),
      onChange: (name) => {
        this.changed.set(`${port}/${name}`, { port, name });
        this.schedule();
      },
    });
    this.disks.set(port, disk);
    return disk;
  }

  /** A node logged a line: its log is saved with the next save. */
  logChanged(port: number): void {
    this.logsChanged.add(port);
    this.schedule();
  }

  /** The node list or the links' settings may have changed (SIM ADD, REMOVE, LATENCY, PARTITION...): a save follows if they did. */
  nodesMayHaveChanged(): void {
    const world = this.world();
    if (world && (world.ports().join(',') !== this.savedPorts || JSON.stringify(world.network.links()) !== this.savedLinks)) this.schedule();
  }

  /** A fresh world: the store forgets the old one before anything of the new one is saved. */
  clear(): Promise<void> {
    this.changed.clear();
    this.stored.clear();
    this.disks.clear();
    this.logsChanged.clear();
    this.storedLogs.clear();
    this.savedPorts = '';
    this.savedLinks = '[]';
    return this.enqueue(() => this.store.clear());
  }

  /** Resolves when every save asked for so far is done (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.later(WorldPersistence.THROTTLE_MS, () => {
      this.scheduled = false;
      void this.save();
    });
  }

  private save(): Promise<void> {
    const world = this.world();
    if (!world) return this.queue;
    const ports = world.ports();
    const live = new Set(ports);
    const put: StoredFile[] = [];
    const remove: { port: number; name: string }[] = [];
    for (const { port, name } of this.changed.values()) {
      // A disk of a world that was replaced (SIM SEED) says nothing about the new one.
      const disk = this.disks.get(port);
      if (!live.has(port) || !disk || world.disk(port) !== disk) continue;
      const bytes = disk.read(name);
      if (bytes) {
        put.push({ port, name, bytes });
        this.storedSet(port).add(name);
      } else if (this.storedSet(port).delete(name)) remove.push({ port, name });
    }
    this.changed.clear();
    for (const [port, names] of this.stored) {
      if (live.has(port)) continue;
      for (const name of names) remove.push({ port, name });
      this.stored.delete(port);
    }
    const logs = [...this.logsChanged].filter((port) => live.has(port)).map((port) => {
      this.storedLogs.add(port);
      return { port, lines: world.logs(port).map((r) => ({ level: r.level, line: r.line })) };
    });
    this.logsChanged.clear();
    const removeLogs = [...this.storedLogs].filter((port) => !live.has(port));
    for (const port of removeLogs) this.storedLogs.delete(port);
    this.savedPorts = ports.join(',');
    const links = world.network.links();
    this.savedLinks = JSON.stringify(links);
    const meta = { seed: world.seed, ports, links };
    return this.enqueue(() => this.store.commit({ meta, put, remove, logs, removeLogs }));
  }

  private storedSet(port: number): Set<string> {
    let set = this.stored.get(port);
    if (!set) this.stored.set(port, (set = new Set()));
    return set;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(op).catch((e: unknown) => this.failed(e instanceof Error ? e.message : String(e)));
    return this.queue;
  }
}
