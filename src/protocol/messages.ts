// The typed contract between the page and the worker. Both sides check
// PROTOCOL_VERSION on hello/ready so a stale cached worker is caught.

export const PROTOCOL_VERSION = 6;

export interface NodeSnapshot {
  readonly port: number;
  readonly host: string;
  readonly up: boolean;
  readonly pid: number | null;
  readonly runId: string | null;
  readonly role: 'master' | 'replica';
  /** host:port of its master, for a replica. */
  readonly master: string | null;
  /** The replica's link as ROLE names it: connect, connecting, handshake, sync, connected. */
  readonly link: string | null;
  readonly replid: string | null;
  /** master_repl_offset. */
  readonly offset: number | null;
  /** Replication detail (null while down). */
  readonly replication: ReplicationSnapshot | null;
  /** The files on its machine's disk (kept while it is down); version moves on every write of the file. */
  readonly disk: readonly DiskFileSnapshot[];
  /** The RDB file name it runs with (dbfilename), or the one its last process ran with. */
  readonly dbFilename: string;
  /** server.dirty: changes to its dataset since it started (null while down). */
  readonly dirty: number | null;
  /** Keys per database, db 0 first (null while down). */
  readonly keyspace: readonly number[] | null;
}

export interface DiskFileSnapshot {
  readonly name: string;
  readonly size: number;
  readonly version: number;
}

/** One replica as its master sees it. */
export interface ReplicaSnapshot {
  readonly port: number;
  readonly state: string;
  readonly ackOffset: number;
  readonly lagSeconds: number;
  /** The RDB the master prepares or sends it; null when none (waiting for a fork, or online). */
  readonly transfer: MasterTransfer | null;
}

/** A master's side of one full sync. */
export interface MasterTransfer {
  /** bgsave: a disk-based child writes dump.rdb (nothing sent yet); send: payload bytes go out. */
  readonly phase: 'bgsave' | 'send';
  readonly target: 'disk' | 'socket';
  /** Payload bytes put on the wire (framing included), and the payload's size (0 while a diskless child still writes it). */
  readonly sent: number;
  readonly total: number;
  /** The fork child's keys written of the keys at the fork (null once the file is being sent). */
  readonly keys: { readonly written: number; readonly total: number } | null;
}

/** A node's replication as views draw it. */
export interface ReplicationSnapshot {
  readonly replid: string;
  readonly replid2: string;
  readonly offset: number;
  readonly secondOffset: number;
  /** repl-backlog-size, first byte offset and histlen; null without a backlog. */
  readonly backlog: { readonly size: number; readonly firstByte: number; readonly histlen: number } | null;
  /** Its replicas as it sees them (state as INFO prints it). */
  readonly replicas: readonly ReplicaSnapshot[];
  /** An RDB being received: bytes read of total (total 0 for an EOF-marked diskless transfer). */
  readonly transfer: { readonly read: number; readonly total: number } | null;
  /** A replica's applied offset on its master link, -1 without one. */
  readonly appliedOffset: number;
}

/** A replication event (the handshake, PSYNC and its answer, forks, links), stamped with virtual time. */
export interface ReplicationEventEntry {
  readonly port: number;
  readonly timeUs: number;
  readonly event: { readonly kind: string; readonly [field: string]: unknown };
}

/** Bytes that crossed a link: views interpolate between send and arrival times. */
export interface PacketEntry {
  readonly fromPort: number;
  readonly toPort: number;
  readonly bytes: number;
  readonly sentUs: number;
  readonly arriveUs: number;
  /** What it carries, read from its bytes (SET, PING, REPLCONF ACK, +FULLRESYNC, RDB 16 KB, \n); null when unknown. */
  readonly label: string | null;
  readonly kind: PacketKind | null;
}

export type PacketKind = 'command' | 'ping' | 'ack' | 'reply' | 'rdb' | 'newline';

export interface WorldSnapshot {
  /** Virtual time in microseconds. */
  readonly timeUs: number;
  readonly paused: boolean;
  readonly speed: number;
  /** The seed the world's randomness derives from (SIM SEED). */
  readonly seed: number;
  readonly nodes: readonly NodeSnapshot[];
  /** Network links whose latency, bandwidth or partition differ from the default. */
  readonly links: readonly LinkSnapshot[];
}

export interface LinkSnapshot {
  readonly a: number;
  readonly b: number;
  readonly latencyMs: number;
  /** Bytes per second each way; 0 for unlimited. */
  readonly bandwidth: number;
  readonly partitioned: boolean;
}

export interface LogEntry {
  readonly port: number;
  readonly timeUs: number;
  readonly level: 'debug' | 'verbose' | 'notice' | 'warning';
  readonly line: string;
}

/** Page -> worker. */
export type ToWorker =
  | { readonly type: 'hello'; readonly version: number; readonly seed?: number; readonly epochMs: number }
  /** Open a client connection to a node, as redis-cli connects to 127.0.0.1:port. */
  | { readonly type: 'session.open'; readonly session: number; readonly port: number }
  | { readonly type: 'session.write'; readonly session: number; readonly bytes: Uint8Array }
  | { readonly type: 'session.close'; readonly session: number }
  /** A SIM control command (DESIGN.md 2.2), argv[0] being "SIM"; answered with sim.reply. */
  | { readonly type: 'sim'; readonly id: number; readonly argv: readonly Uint8Array[] }
  | { readonly type: 'time.pause' }
  | { readonly type: 'time.resume' }
  | { readonly type: 'time.speed'; readonly speed: number }
  | { readonly type: 'time.step'; readonly us: number }
  /** A page of a node's keys (read without running a command: INFO counters, MONITOR and expiry stay untouched); answered with keys.page. */
  | { readonly type: 'keys'; readonly id: number; readonly query: KeysQuery };

export interface KeysQuery {
  readonly port: number;
  readonly db: number;
  /** How many matching keys to skip, and how many to return. */
  readonly offset: number;
  readonly count: number;
  /** A glob as KEYS takes it ('*' for all). */
  readonly pattern: string;
}

/** One key as the key browser shows it. */
export interface KeyEntry {
  /** The key's bytes as latin1 (one char per byte). */
  readonly key: string;
  readonly type: string;
  /** What OBJECT ENCODING answers for it. */
  readonly encoding: string;
  /** Milliseconds left, -1 without a TTL. */
  readonly ttlMs: number;
  /** Elements of a collection, bytes of a string. */
  readonly length: number;
  /** The start of the value, its parts quoted as redis-cli quotes them. */
  readonly preview: string;
}

export type KeysPage =
  | {
      readonly ok: true;
      readonly keys: readonly KeyEntry[];
      /** Keys that match (logically expired ones excluded). */
      readonly matched: number;
      /** Virtual time of the reading: TTLs count down from it. */
      readonly timeUs: number;
    }
  | { readonly ok: false; readonly error: string };

/** Worker -> page. */
export type FromWorker =
  | { readonly type: 'ready'; readonly version: number; readonly snapshot: WorldSnapshot; readonly logs: readonly LogEntry[] }
  /**
   * The whole current state, sent at most once per animation frame when
   * something changed, with the log lines, replication events and packets
   * since the last one (packets are sampled when there are many).
   */
  | {
      readonly type: 'patch';
      readonly snapshot: WorldSnapshot;
      readonly logs: readonly LogEntry[];
      readonly events: readonly ReplicationEventEntry[];
      readonly packets: readonly PacketEntry[];
    }
  | { readonly type: 'session.opened'; readonly session: number }
  /** Nothing listens on that port: connection refused. */
  | { readonly type: 'session.refused'; readonly session: number }
  | { readonly type: 'session.data'; readonly session: number; readonly bytes: Uint8Array }
  | { readonly type: 'session.closed'; readonly session: number }
  /** The RESP reply to a SIM command. */
  | { readonly type: 'sim.reply'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'keys.page'; readonly id: number; readonly page: KeysPage }
  /** The world is kept in the browser's storage: whether it was restored from there at start-up, and a failure to save or read it. */
  | { readonly type: 'storage'; readonly restored: boolean; readonly error: string | null }
  | { readonly type: 'error'; readonly message: string };

export function isToWorker(value: unknown): value is ToWorker {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
