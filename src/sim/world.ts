// The world: simulated redis-server processes on 127.0.0.1 ports, the
// clients connected to them, one virtual clock, one event queue and one
// seeded RNG. Hosts (the Web Worker, the Node server, tests) drive it by
// advancing time and by connecting clients from outside.

import { Clock } from './clock.ts';
import { EventQueue, type SimEvent } from './queue.ts';
import { Rng } from './rng.ts';
import { Trace } from './trace.ts';
import { SimProcess, type LogRecord, type SimEnvironment } from './process.ts';
import { Network } from './network.ts';
import type { OutboundSocket, SocketEvents } from '../engine/host.ts';
import { roleStateName } from '../engine/replication/replica.ts';
import type { ReplicationEvent } from '../engine/replication/events.ts';
import type { RedisNode } from '../engine/node.ts';
import type { LogLevel } from '../engine/log.ts';
import { SimDisk, type MachineDisk } from './disk.ts';
import { CONFIG_FILE } from '../engine/config-file.ts';
import type { Connection } from '../engine/node.ts';
import type { Client } from '../engine/client.ts';

export const DEFAULT_PORTS = [6379, 6380, 6381] as const;
export const LOCALHOST = '127.0.0.1';
/** 2026-01-01T00:00:00Z: the default date virtual time 0 falls on. */
export const DEFAULT_EPOCH_MS = 1767225600000;
/** dbfilename's default in Redis 7.0.15. */
const DEFAULT_DBFILENAME = 'dump.rdb';

export interface WorldOptions {
  readonly seed?: number;
  readonly ports?: readonly number[];
  /** Unix ms at virtual time 0 (hosts pass the real date; tests keep the default). */
  readonly epochMs?: number;
  /**
   * redis-server style `--name value` directives every node starts with
   * (serve's extra arguments), as [name, value]; a bad one throws ConfigError.
   */
  readonly directives?: ReadonlyArray<readonly [string, string]>;
  /** Each node's disk (serve --data-dir keeps them as real files); in memory by default. */
  readonly diskFor?: (port: number) => MachineDisk;
  /**
   * The lines each node logged before this world began (a page reload
   * restoring a saved world): its log goes on after them, as a logfile does
   * across restarts. Their time is this world's 0.
   */
  readonly logs?: readonly { readonly port: number; readonly lines: readonly { readonly level: LogLevel; readonly line: string }[] }[];
}

export interface NodeInfo {
  readonly port: number;
  readonly host: string;
  readonly up: boolean;
  readonly pid: number | null;
  readonly runId: string | null;
  readonly role: 'master' | 'replica';
  /** host:port of the master it follows, when it is a replica. */
  readonly master: string | null;
  /** What ROLE says of the link to that master (connect, connecting, handshake, sync, connected). */
  readonly link: string | null;
  readonly replid: string | null;
  readonly offset: number | null;
  /** Replication detail for views (null while down). */
  readonly replication: ReplicationView | null;
  /** The files on its machine's disk (kept while it is down), each with a version that moves on every write. */
  readonly disk: readonly { readonly name: string; readonly size: number; readonly version: number }[];
  /** The RDB file name it runs with (dbfilename), or the one its last process ran with. */
  readonly dbFilename: string;
  /** server.dirty: changes to its dataset since it started (null while down). */
  readonly dirty: number | null;
  /** Keys per database, db 0 first (null while down). */
  readonly keyspace: readonly number[] | null;
}

/** What a view needs to draw a node's replication: ids, offsets, backlog, replicas, a transfer in progress. */
export interface ReplicationView {
  readonly replid: string;
  readonly replid2: string;
  readonly offset: number;
  readonly secondOffset: number;
  readonly backlog: { readonly size: number; readonly firstByte: number; readonly histlen: number } | null;
  /** Its replicas as the master sees them. */
  readonly replicas: readonly ReplicaView[];
  /** A replica receiving an RDB: bytes read of total (0 total with an EOF mark). */
  readonly transfer: { readonly read: number; readonly total: number } | null;
  /** A replica's applied offset on its master link (-1 without a live link). */
  readonly appliedOffset: number;
}

/** One replica as its master sees it. */
export interface ReplicaView {
  readonly port: number;
  readonly state: string;
  readonly ackOffset: number;
  readonly lagSeconds: number;
  /** The RDB the master prepares or sends it (null when none: waiting for a fork, or online). */
  readonly transfer: TransferView | null;
}

/** A master's side of one full sync. */
export interface TransferView {
  /** bgsave: a disk-based child writes dump.rdb (nothing sent yet); send: payload bytes go out. */
  readonly phase: 'bgsave' | 'send';
  readonly target: 'disk' | 'socket';
  /** Payload bytes put on the wire (framing included), and the payload's size (0 while a diskless child still writes it). */
  readonly sent: number;
  readonly total: number;
  /** The fork child's keys written of the keys at the fork (null once the file is being sent). */
  readonly keys: { readonly written: number; readonly total: number } | null;
}

/** A replication event of one node, stamped with virtual time. */
export interface WorldReplicationEvent {
  readonly port: number;
  readonly timeUs: number;
  readonly event: ReplicationEvent;
}

/** The end of a connection a client outside the simulation holds. */
export interface ClientEndpoint {
  /** Bytes from the server. */
  data(bytes: Uint8Array): void;
  /** The server closed the connection or the process died. */
  closed(): void;
}

export interface ExternalConnection {
  write(bytes: Uint8Array): void;
  close(): void;
}

export class World {
  readonly clock: Clock;
  readonly queue = new EventQueue();
  readonly rng: Rng;
  readonly trace = new Trace();
  private readonly processes = new Map<number, SimProcess>();
  private nextPid: number;
  readonly network: Network;
  private readonly env: SimEnvironment;
  /** Serve installs this to let nodes reach real servers outside the world. */
  dialExternal: ((host: string, port: number, events: SocketEvents) => OutboundSocket | null) | null = null;
  private readonly logListeners = new Set<(record: LogRecord) => void>();
  /** The last lines each node logged, for views that open after they were written. */
  private readonly logHistory = new Map<number, LogRecord[]>();
  static readonly LOG_HISTORY = 2000;
  private readonly changeListeners = new Set<() => void>();
  /** dbfilename of each node's last process, for the views and loads of a node that is down. */
  private readonly lastDbFilename = new Map<number, string>();

  private readonly directives: ReadonlyArray<readonly [string, string]>;
  private readonly diskFor: (port: number) => MachineDisk;

  /** The seed the world's randomness derives from. */
  readonly seed: number;

  constructor(options: WorldOptions = {}) {
    const seed = options.seed ?? 1;
    this.seed = seed;
    this.directives = options.directives ?? [];
    this.diskFor = options.diskFor ?? (() => new SimDisk());
    this.rng = new Rng(seed);
    this.clock = new Clock(options.epochMs ?? DEFAULT_EPOCH_MS);
    // Pids start somewhere a real machine's might, then count up per process.
    this.nextPid = 1000 + this.rng.split('pids').below(30000);
    this.network = new Network(this.clock, (delayUs, run) => this.schedule(delayUs, run), (kind, detail) =>
      this.trace.record(this.nowUs, kind, detail),
    );
    this.env = {
      network: this.network,
      schedule: (delayUs, run) => this.schedule(delayUs, run),
      allocatePid: () => this.nextPid++,
      runNested: (done, untilUs) => this.runNested(done, untilUs),
      isWorldPort: (port) => this.processes.has(port),
      exited: (port) => {
        const proc = this.process(port);
        if (!proc.up) return;
        this.dbFilename(port);
        proc.crash(); // the same teardown: the kernel closes the sockets of an exiting process too
        this.trace.record(this.nowUs, 'node.exit', String(port));
        this.changed();
      },
      dialExternal: (host, port, events) => this.dialExternal?.(host, port, events) ?? null,
    };
    // The earlier lines first: the nodes' start-up lines follow them.
    for (const { port, lines } of options.logs ?? []) {
      this.logHistory.set(port, lines.slice(-World.LOG_HISTORY).map((l) => ({ port, timeUs: 0, level: l.level, line: l.line })));
    }
    for (const port of options.ports ?? DEFAULT_PORTS) this.addNode(port);
  }

  get nowUs(): number {
    return this.clock.nowUs;
  }

  /** Adds a node and starts it as an empty master. */
  addNode(port: number): void {
    if (this.processes.has(port)) throw new Error(`a node already listens on port ${port}`);
    const proc = new SimProcess(LOCALHOST, port, this.rng.split(`node:${port}`), this.clock, (r) => this.emitLog(r), this.env, this.diskFor(port));
    this.processes.set(port, proc);
    // Every node runs with a config file, as a packaged redis-server does: an empty one to begin with.
    if (!proc.disk.exists(CONFIG_FILE)) proc.disk.write(CONFIG_FILE, new Uint8Array());
    this.startNode(port);
  }

  hasNode(port: number): boolean {
    return this.processes.has(port);
  }

  isUp(port: number): boolean {
    return this.processes.get(port)?.up ?? false;
  }

  /** The port SIM ADD takes when none is given: one past the highest. */
  nextFreePort(): number {
    let max = DEFAULT_PORTS[0] - 1;
    for (const port of this.processes.keys()) max = Math.max(max, port);
    return max + 1;
  }

  /** Crashes the node if it runs, then forgets it and its disk. */
  removeNode(port: number): void {
    this.crashNode(port);
    this.process(port).disk.destroy?.();
    this.network.forget(port);
    this.processes.delete(port);
    this.logHistory.delete(port);
    this.lastDbFilename.delete(port);
    this.trace.record(this.nowUs, 'node.remove', String(port));
    this.changed();
  }

  /**
   * Starts the node as a new process. False when the process exited during
   * start-up (a dump.rdb it cannot load; its log says why): it stays down.
   */
  startNode(port: number): boolean {
    const proc = this.process(port);
    const pid = this.nextPid++;
    const node = proc.start(pid, this.directives);
    if (node) {
      node.onRoleChange = () => this.changed();
      node.onReplicationEvent = (event) => {
        const stamped = { port, timeUs: this.nowUs, event };
        this.trace.record(this.nowUs, 'repl', `${port} ${JSON.stringify(event)}`);
        for (const l of this.replicationListeners) l(stamped);
      };
    }
    if (node) this.trace.record(this.nowUs, 'node.start', `${port} pid=${pid} run_id=${node.options.runId}`);
    else this.trace.record(this.nowUs, 'node.exit', `${port} pid=${pid} at start-up`);
    this.changed();
    return node !== null;
  }

  /** The running node on the port, or null while it is down. */
  node(port: number): RedisNode | null {
    return this.process(port).node;
  }

  /** The disk of the machine the node runs on (it survives crashes and restarts). */
  disk(port: number): MachineDisk {
    return this.process(port).disk;
  }

  crashNode(port: number): void {
    const proc = this.process(port);
    if (!proc.up) return;
    this.dbFilename(port);
    proc.crash();
    this.trace.record(this.nowUs, 'node.crash', String(port));
    this.changed();
  }

  private process(port: number): SimProcess {
    const proc = this.processes.get(port);
    if (!proc) throw new Error(`no node on port ${port}`);
    return proc;
  }

  /** The nodes' ports, in order. */
  ports(): number[] {
    return [...this.processes.keys()].sort((a, b) => a - b);
  }

  nodes(): NodeInfo[] {
    return [...this.processes.values()]
      .sort((a, b) => a.port - b.port)
      .map((p) => ({
        port: p.port,
        host: p.host,
        up: p.up,
        pid: p.node?.options.pid ?? null,
        runId: p.node?.options.runId ?? null,
        role: p.node?.replication.isReplica ? 'replica' : 'master',
        master: p.node?.replication.isReplica ? `${p.node.replication.replica.masterHost}:${p.node.replication.replica.masterPort}` : null,
        link: p.node?.replication.isReplica ? roleStateName(p.node.replication.replica.state) : null,
        replid: p.node?.replication.replid ?? null,
        offset: p.node?.replication.offset ?? null,
        replication: p.node ? replicationView(p.node, p.disk) : null,
        disk: p.disk.list().map((f) => ({ ...f, version: p.disk.version?.(f.name) ?? 0 })),
        dbFilename: this.dbFilename(p.port),
        dirty: p.node?.dirty ?? null,
        keyspace: p.node ? p.node.keyspace.dbs.map((db) => db.size) : null,
      }));
  }

  /** The RDB file name the node runs with; for a node that is down, the one its last process ran with. */
  dbFilename(port: number): string {
    const node = this.process(port).node;
    if (node) this.lastDbFilename.set(port, node.config.dbFilename);
    return this.lastDbFilename.get(port) ?? DEFAULT_DBFILENAME;
  }

  /**
   * Puts an RDB file on the node's disk under its dbfilename and starts it
   * from it, as one would stop a redis-server (kill -9, so nothing is saved
   * over the file), copy a dump.rdb into its dir and start it again. False
   * when the process exited at start-up (a file it cannot load: its log
   * says why); it then stays down with the file on its disk.
   */
  loadDump(port: number, bytes: Uint8Array): boolean {
    const name = this.dbFilename(port);
    this.crashNode(port);
    this.disk(port).write(name, bytes);
    return this.startNode(port);
  }

  /**
   * A client outside the simulation connects to 127.0.0.1:port. Returns null
   * when nothing listens there (no node, or the node is down): connection refused.
   */
  connectExternal(port: number, endpoint: ClientEndpoint): ExternalConnection | null {
    const proc = this.processes.get(port);
    const node = proc?.node;
    if (!proc || !node) {
      this.trace.record(this.nowUs, 'conn.refused', String(port));
      return null;
    }
    const peer = { ip: LOCALHOST, port: this.network.ephemeralPort() };
    let open = true;
    let conn: Connection | null = null;
    const finish = () => {
      if (!open) return;
      open = false;
      if (conn) proc.connections.delete(conn);
      endpoint.closed();
    };
    // What the process writes and what reaches it pass its gate (DEBUG SLEEP stops it).
    conn = node.accept(peer, {
      write: (bytes) =>
        proc.gate(() => {
          if (!open) return;
          this.trace.record(this.nowUs, 'conn.out', `${port}<-${peer.port} ${bytes.length}`);
          endpoint.data(bytes);
        }),
      close: () =>
        proc.gate(() => {
          this.trace.record(this.nowUs, 'conn.close', `${port}<-${peer.port} by server`);
          finish();
        }),
    });
    proc.connections.add(conn);
    this.trace.record(this.nowUs, 'conn.open', `${port}<-${peer.port}`);
    const accepted = conn;
    return {
      write: (bytes) => {
        if (!open) return;
        this.trace.record(this.nowUs, 'conn.in', `${port}<-${peer.port} ${bytes.length}`);
        proc.input(() => accepted.receive(bytes));
      },
      close: () => {
        if (!open) return;
        this.trace.record(this.nowUs, 'conn.close', `${port}<-${peer.port} by client`);
        proc.input(() => accepted.close());
        open = false;
        proc.connections.delete(accepted);
      },
    };
  }

  schedule(delayUs: number, run: () => void): SimEvent {
    return this.queue.push(this.nowUs + Math.max(0, Math.round(delayUs)), run);
  }

  /** When the next event is due, if any. */
  nextEventTime(): number | undefined {
    return this.queue.peek()?.timeUs;
  }

  /**
   * Runs every event due at or before `us` in order, then sets the clock to
   * `us`; false when `yieldNow` stopped it early (the clock is then at the
   * last event run, and the rest is still due).
   */
  runUntil(us: number, yieldNow?: () => boolean): boolean {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.timeUs > us) break;
      this.queue.pop();
      this.clock.advanceTo(Math.max(this.clock.nowUs, next.timeUs));
      if (!next.cancelled) next.run();
      // A host with a frame to keep may stop between events; time then stays at the last one.
      if (yieldNow?.()) return false;
    }
    if (us > this.clock.nowUs) this.clock.advanceTo(us);
    return true;
  }

  /** A process waits in a blocking call: the world runs on, inside the event that made the call. */
  private runNested(done: () => boolean, untilUs: number): boolean {
    while (!done()) {
      const next = this.queue.peek();
      if (!next || next.timeUs > untilUs) {
        if (untilUs > this.clock.nowUs) this.clock.advanceTo(untilUs);
        return done();
      }
      this.queue.pop();
      this.clock.advanceTo(Math.max(this.clock.nowUs, next.timeUs));
      if (!next.cancelled) next.run();
    }
    return true;
  }

  private readonly replicationListeners = new Set<(e: WorldReplicationEvent) => void>();

  /** Replication events of every node, as they happen. */
  onReplicationEvent(listener: (e: WorldReplicationEvent) => void): () => void {
    this.replicationListeners.add(listener);
    return () => this.replicationListeners.delete(listener);
  }

  onLog(listener: (record: LogRecord) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** Called whenever what nodes() returns may have changed. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** The lines a node logged, oldest first (at most World.LOG_HISTORY). */
  logs(port: number): readonly LogRecord[] {
    return this.logHistory.get(port) ?? [];
  }

  private emitLog(record: LogRecord): void {
    this.trace.record(record.timeUs, 'log', `${record.port} ${record.line}`);
    let history = this.logHistory.get(record.port);
    if (!history) this.logHistory.set(record.port, (history = []));
    history.push(record);
    if (history.length > World.LOG_HISTORY) history.splice(0, history.length - World.LOG_HISTORY);
    for (const l of this.logListeners) l(record);
  }

  private changed(): void {
    for (const l of this.changeListeners) l();
  }
}

function replicationView(node: RedisNode, disk: MachineDisk): ReplicationView {
  const r = node.replication;
  const now = node.unixtime;
  const t = r.replica.transfer;
  return {
    replid: r.replid,
    replid2: r.replid2,
    offset: r.offset,
    secondOffset: r.secondReplidOffset,
    backlog: r.backlog ? { size: r.backlogSize(), firstByte: r.backlog.firstByteOffset, histlen: r.backlog.histlen } : null,
    replicas: r.master.slaves.map((c) => ({
      port: c.replListeningPort,
      state: c.slave!.state.startsWith('wait_bgsave') ? 'wait_bgsave' : c.slave!.state,
      ackOffset: c.slave!.ackOffset,
      lagSeconds: c.slave!.state === 'online' ? now - c.slave!.ackTime : 0,
      transfer: masterTransfer(node, c, disk),
    })),
    transfer: r.replica.state === 'transfer' && t ? { read: t.read, total: t.size } : null,
    appliedOffset: r.replica.master ? r.replica.master.reploff : -1,
  };
}

/**
 * The size of the payload of a disk-based transfer, per replica connection:
 * the master wrote `$<len>\r\n` and the file at once when the replica went
 * to send_bulk, so the size is the file's as first seen in that state (a
 * save landing within the same frame is the one case it could be off).
 */
const bulkTotals = new WeakMap<object, number>();

/**
 * What a master is doing about the RDB a replica waits for, read from its
 * state, its fork child and its socket (bytes written and not yet sent):
 * the child writing dump.rdb (disk, keys written of total), the file being
 * sent (send_bulk, bytes on the wire of total), or the child's pipe relayed
 * to it (diskless: bytes on the wire of what the child wrote, a total once
 * it finished, and its keys).
 */
function masterTransfer(node: RedisNode, c: Client, disk: MachineDisk): TransferView | null {
  const s = c.slave!;
  const unsent = c.transport.unsent ?? 0;
  if (s.state === 'send_bulk') {
    let total = bulkTotals.get(s);
    if (total === undefined) {
      const size = disk.list().find((f) => f.name === node.config.dbFilename)?.size ?? 0;
      total = `$${size}\r\n`.length + size;
      bulkTotals.set(s, total);
    }
    return { phase: 'send', target: 'disk', sent: Math.max(0, total - unsent), total, keys: null };
  }
  const child = node.bgsave.child;
  if (s.state !== 'wait_bgsave_end' || !child) return null;
  const keys = { written: child.keysWritten, total: child.keysTotal };
  if (child.type === 'disk') return { phase: 'bgsave', target: 'disk', sent: 0, total: 0, keys };
  const pipe = node.replication.master.socketTransfer;
  if (!pipe || pipe.child !== child || !pipe.targets.includes(c)) return null;
  const written = child.pipeBytes;
  return { phase: 'send', target: 'socket', sent: Math.max(0, written - unsent), total: child.finished ? written : 0, keys };
}
