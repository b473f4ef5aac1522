// The typed contract between the page and the worker. Both sides check
// PROTOCOL_VERSION on hello/ready so a stale cached worker is caught.

export const PROTOCOL_VERSION = 4;

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
  readonly replicas: readonly { readonly port: number; readonly state: string; readonly ackOffset: number; readonly lagSeconds: number }[];
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
}

export interface WorldSnapshot {
  /** Virtual time in microseconds. */
  readonly timeUs: number;
  readonly paused: boolean;
  readonly speed: number;
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
  | { readonly type: 'time.step'; readonly us: number };

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
  | { readonly type: 'error'; readonly message: string };

export function isToWorker(value: unknown): value is ToWorker {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
