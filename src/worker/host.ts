// The worker's logic, apart from the Worker global so tests can drive it:
// owns one World, paces virtual time against wall time, routes terminal
// sessions, and sends the page at most one state patch per frame.

import { World } from '../sim/world.ts';
import { loadAllParts, partsLoading } from '../engine/lazy-part.ts';
import {
  PROTOCOL_VERSION,
  type FromWorker,
  type LogEntry,
  type PacketEntry,
  type ReplicationEventEntry,
  type ToWorker,
  type WorldSnapshot,
} from '../protocol/messages.ts';
import type { ExternalConnection } from '../sim/world.ts';
import { runSimCommand, type TimeControl } from '../sim/control.ts';
import { readKeys } from './key-browser.ts';
import { PacketLabeller } from './packet-labels.ts';
import { WorldPersistence } from './persistence.ts';
import type { StoredWorld, WorldStore } from './storage.ts';

export interface HostEnv {
  post(message: FromWorker): void;
  /** Wall-clock milliseconds (performance.now in a worker). */
  now(): number;
  /** Schedule a callback after ms wall-clock milliseconds. */
  later(ms: number, fn: () => void): void;
  /** Where the world's disks are kept between visits (IndexedDB in the browser); without one the world starts fresh every time. */
  store?: WorldStore;
}

/** A frame: the page draws at most this often, so patches are coalesced to it. */
const FRAME_MS = 16;

export class WorkerHost implements TimeControl {
  private world: World | null = null;
  private readonly sessions = new Map<number, ExternalConnection>();
  paused = false;
  speed = 1;
  /** Wall time and virtual time at the last pacing anchor. */
  private anchorWall = 0;
  private anchorVirtualUs = 0;
  private dirty = false;
  private patchScheduled = false;
  private pendingLogs: LogEntry[] = [];
  private pendingEvents: ReplicationEventEntry[] = [];
  private pendingPackets: PacketEntry[] = [];
  /** Packets sent to the page per frame at most; beyond it they are sampled (the page animates, it does not count). */
  static readonly MAX_PACKETS_PER_FRAME = 200;
  private packetsSeen = 0;
  private readonly labeller = new PacketLabeller();
  private readonly persistence: WorldPersistence | null;
  /** Messages that came while the saved world was being read (hello is answered once it is). */
  private early: ToWorker[] | null = null;

  constructor(private readonly env: HostEnv) {
    this.persistence = env.store
      ? new WorldPersistence(env.store, (ms, fn) => env.later(ms, fn), () => this.world, (message) => env.post({ type: 'storage', restored: false, error: message }))
      : null;
  }

  handle(message: ToWorker): void {
    if (this.early && message.type !== 'hello') {
      this.early.push(message);
      return;
    }
    try {
      this.dispatch(message);
    } catch (e) {
      this.env.post({ type: 'error', message: `worker: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Resolves when the saves asked for so far are stored (tests). */
  storageSettled(): Promise<void> {
    return this.persistence?.settled() ?? Promise.resolve();
  }

  private dispatch(message: ToWorker): void {
    if (message.type === 'hello') return this.hello(message.version, message.seed, message.epochMs);
    const world = this.world;
    if (!world) throw new Error(`'${message.type}' before hello`);
    this.pace();
    switch (message.type) {
      case 'session.open': {
        const { session, port } = message;
        const conn = world.connectExternal(port, {
          data: (bytes) => this.env.post({ type: 'session.data', session, bytes }),
          closed: () => {
            this.sessions.delete(session);
            this.env.post({ type: 'session.closed', session });
          },
        });
        if (!conn) return this.env.post({ type: 'session.refused', session });
        this.sessions.set(session, conn);
        return this.env.post({ type: 'session.opened', session });
      }
      case 'session.write':
        this.sessions.get(message.session)?.write(message.bytes);
        return;
      case 'session.close':
        this.sessions.get(message.session)?.close();
        this.sessions.delete(message.session);
        return;
      case 'sim': {
        const bytes = runSimCommand(this.world!, message.argv, this);
        // The world may have changed in ways the clock does not show (links, nodes): draw it again.
        this.markDirty();
        this.persistence?.nodesMayHaveChanged();
        return this.env.post({ type: 'sim.reply', id: message.id, bytes });
      }
      case 'keys': {
        const { port } = message.query;
        const node = world.hasNode(port) ? world.node(port) : null;
        return this.env.post({ type: 'keys.page', id: message.id, page: readKeys(node, message.query, world.nowUs) });
      }
      case 'time.pause':
        return this.pause();
      case 'time.resume':
        return this.resume();
      case 'time.speed':
        if (!(message.speed >= 0.1 && message.speed <= 20)) throw new Error('speed must be between 0.1 and 20');
        return this.setSpeed(message.speed);
      case 'time.step':
        return this.step(message.us);
    }
  }

  // TimeControl: the worker paces virtual time, so SIM PAUSE and friends land here.

  pause(): void {
    this.pace();
    this.paused = true;
    this.markDirty();
  }

  resume(): void {
    this.paused = false;
    this.anchor();
    this.markDirty();
  }

  setSpeed(speed: number): void {
    this.pace();
    this.speed = speed;
    this.anchor();
    this.markDirty();
  }

  step(us: number): void {
    const world = this.world!;
    world.runUntil(world.nowUs + Math.max(0, Math.round(us)));
    this.anchor();
    this.markDirty();
  }

  private hello(version: number, seed: number | undefined, epochMs: number): void {
    if (version !== PROTOCOL_VERSION) {
      throw new Error(`page speaks protocol ${version}, worker speaks ${PROTOCOL_VERSION}: reload the page`);
    }
    if (!this.persistence) {
      this.startWorld(seed, epochMs, null);
      this.tick();
      return;
    }
    // The saved world first: what the page sends meanwhile waits for it.
    this.early = [];
    const persistence = this.persistence;
    const begin = (saved: StoredWorld | null, error: string | null) => {
      const early = this.early ?? [];
      this.early = null;
      this.startWorld(saved?.seed ?? seed, epochMs, saved);
      this.env.post({ type: 'storage', restored: saved !== null, error });
      this.tick();
      for (const m of early) this.handle(m);
    };
    persistence.restore().then(
      // Nodes restored with AOF files load them at once, and loading cannot wait for a lazy part.
      (saved) => (saved?.files.some((f) => f.name.startsWith('appendonlydir/')) ? loadAllParts().then(() => saved) : saved),
    ).then(
      (saved) => begin(saved, null),
      (e: unknown) => begin(null, `the saved world could not be read: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /**
   * SIM SEED n: a fresh world with that seed, time back to 0 (its clock
   * starts at the date the old one had reached). Every terminal's
   * connection closes, as when all servers go away; the page gets 'ready'
   * again and starts over. The saved world is forgotten.
   */
  resetWorld(seed: number): void {
    const old = this.world!;
    for (const [session, conn] of [...this.sessions]) {
      conn.close();
      this.env.post({ type: 'session.closed', session });
    }
    this.sessions.clear();
    this.pendingLogs = [];
    this.pendingEvents = [];
    this.pendingPackets = [];
    void this.persistence?.clear();
    this.startWorld(seed, old.clock.unixMs, null);
  }

  /** A world seeded `seed`, or the saved one (its nodes start from their disks, as SIM START starts them). */
  private startWorld(seed: number | undefined, epochMs: number, saved: StoredWorld | null): void {
    const persistence = this.persistence;
    const world = new World({
      seed,
      epochMs,
      ports: saved?.ports,
      diskFor: persistence ? (port) => persistence.diskFor(port, saved?.files) : undefined,
      logs: saved?.logs,
    });
    this.world = world;
    // The saved links' settings, before anything connects.
    for (const l of saved?.links ?? []) {
      try {
        world.network.setLatency(l.a, l.b, l.latencyUs);
        world.network.setBandwidth(l.a, l.b, l.bandwidth);
        if (l.partitioned) world.network.partition(l.a, l.b);
      } catch {
        // A setting the network refuses (a store written by hand) is left at its default.
      }
    }
    world.onChange(() => this.markDirty());
    world.onLog((r) => {
      persistence?.logChanged(r.port);
      this.pendingLogs.push({ port: r.port, timeUs: r.timeUs, level: r.level, line: r.line });
      this.markDirty();
    });
    world.onReplicationEvent((e) => {
      this.pendingEvents.push({ port: e.port, timeUs: e.timeUs, event: { ...e.event } });
      this.markDirty();
    });
    world.network.onPacket((p) => {
      // Past the cap, newer packets overwrite older slots in turn: the page sees a spread of the frame's traffic.
      const seen = this.packetsSeen++;
      // Every segment goes through the labeller, sampled or not: it follows each connection's stream.
      const named = this.labeller.label(p.socketId, p.toPort, p.data);
      const entry = { fromPort: p.fromPort, toPort: p.toPort, bytes: p.bytes, sentUs: p.sentUs, arriveUs: p.arriveUs, label: named?.label ?? null, kind: named?.kind ?? null };
      if (this.pendingPackets.length < WorkerHost.MAX_PACKETS_PER_FRAME) this.pendingPackets.push(entry);
      else this.pendingPackets[seen % WorkerHost.MAX_PACKETS_PER_FRAME] = entry;
    });
    this.anchor();
    const logs = world.nodes().flatMap((n) => world.logs(n.port).map((r) => ({ ...r })));
    this.env.post({ type: 'ready', version: PROTOCOL_VERSION, snapshot: this.snapshot(), logs });
  }

  private anchor(): void {
    this.anchorWall = this.env.now();
    this.anchorVirtualUs = this.world?.nowUs ?? 0;
  }

  /** Moves virtual time to where wall time says it should be. */
  private pace(): void {
    const world = this.world;
    if (!world || this.paused) return;
    // While a lazy part's chunk loads (the first script, the first COMMAND), virtual time holds.
    if (partsLoading()) return this.anchor();
    const now = this.env.now();
    const target = this.anchorVirtualUs + Math.floor((now - this.anchorWall) * 1000 * this.speed);
    if (target <= world.nowUs) return;
    // At most WORK_MS of simulation per call, so terminals and frames keep
    // their pace; when the world needs more (a big full sync), virtual time
    // falls behind and continues from where it stopped, slower than asked.
    const deadline = now + WorkerHost.WORK_MS;
    if (!world.runUntil(target, () => this.env.now() >= deadline || partsLoading())) this.anchor();
  }

  /** Wall milliseconds the simulation may take per call before the worker answers messages again. */
  static readonly WORK_MS = 8;

  private tick(): void {
    this.pace();
    // The clock the page shows moves while time runs.
    if (!this.paused) this.markDirty();
    this.env.later(FRAME_MS, () => this.tick());
  }

  private snapshot(): WorldSnapshot {
    const world = this.world!;
    const links = world.network.links().map((l) => ({ a: l.a, b: l.b, latencyMs: l.latencyUs / 1000, bandwidth: l.bandwidth, partitioned: l.partitioned }));
    return { timeUs: world.nowUs, paused: this.paused, speed: this.speed, seed: world.seed, nodes: world.nodes(), links };
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.patchScheduled) return;
    this.patchScheduled = true;
    this.env.later(FRAME_MS, () => {
      this.patchScheduled = false;
      if (!this.dirty || !this.world) return;
      this.dirty = false;
      const logs = this.pendingLogs;
      const events = this.pendingEvents;
      const packets = this.pendingPackets;
      this.pendingLogs = [];
      this.pendingEvents = [];
      this.pendingPackets = [];
      this.packetsSeen = 0;
      this.env.post({ type: 'patch', snapshot: this.snapshot(), logs, events, packets });
    });
  }
}
