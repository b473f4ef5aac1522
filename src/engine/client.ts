// One client connection to a node: its query buffer, its reply buffer and
// the per-connection state commands read and change.

import type { TrackingState } from './tracking.ts';
import { RequestReader } from './resp/request-reader.ts';
import { ReplyWriter } from './resp/reply-writer.ts';
import type { SlaveInfo } from './replication/master.ts';
import type { KeyWait } from './blocking.ts';
import type { AclUser } from './acl/user.ts';

/** What tracking needs of a running command (the registry's Command). */
export interface RunningCommand {
  readonly spec: { readonly name: string };
  readonly pubsub: boolean;
}

/** Where a connection's reply bytes go (a socket, a simulated link, a terminal). */
export interface ClientTransport {
  write(bytes: Uint8Array): void;
  /** The server closes the connection (after flushing what was written). */
  close(): void;
  /**
   * Calls `cb` once everything written so far has left the machine (a
   * replica's RDB transfer finishing). Transports without a send queue
   * (a terminal, an in-process test) leave it out: written is sent.
   */
  whenDrained?(cb: () => void): void;
  /** Bytes written and not yet sent. */
  readonly unsent?: number;
}

/** What a blocked client waits for: keys (BLPOP, ...: blocking.ts), replicas (WAIT), a pause's end (postponed), ... */
export type BlockKind = 'wait' | 'shutdown' | 'pause' | 'sleep' | 'keys' | 'lazy';

/** A client whose command answers later. */
export interface BlockState {
  readonly kind: BlockKind;
  readonly timer: { cancel(): void } | null;
  /** WAIT: the offset to be acknowledged and by how many replicas. */
  wait?: { offset: number; numreplicas: number };
  /** Blocked on keys: what for, and its timeout (blocking.ts). */
  keys?: KeyWait;
  /** Postponed by a pause (BLOCKED_POSTPONE): processes its command again when clients are unpaused. */
  resume?: () => void;
}

export interface PeerAddress {
  readonly ip: string;
  readonly port: number;
}

/**
 * A client's reply buffer. Two hooks beyond ReplyWriter: every error reply
 * is reported (afterErrorReply: INFO errorstats, total_error_replies,
 * failed_calls), and a command's reply can be dropped (CLIENT REPLY OFF|SKIP,
 * which prepareClientToWrite honours).
 */
export class ClientReplyWriter extends ReplyWriter {
  /** Set by the node that owns the client. */
  onError: ((text: string) => void) | null = null;
  /**
   * While the client's own command runs: where each push message written
   * meanwhile starts and ends (pairs of offsets). A push is written with
   * CLIENT_PUSHING, which lifts CLIENT REPLY OFF|SKIP, so truncate keeps it.
   */
  private pushRanges: number[] | null = null;

  override error(text: string): void {
    super.error(text);
    this.onError?.(text);
  }

  /** Starts recording the pushes of a command, for truncate. */
  recordPushes(): void {
    this.pushRanges = [];
  }

  /** One push message (a pub/sub message or (un)subscription): `write` writes it whole. */
  writePush(write: (out: ReplyWriter) => void): void {
    const start = this.len;
    write(this);
    this.pushRanges?.push(start, this.len);
  }

  /**
   * Forgets what was written after the first `size` bytes, but the push
   * messages recorded since recordPushes(), which stay in order; stops
   * recording.
   */
  truncate(size: number): void {
    const ranges = this.pushRanges;
    this.pushRanges = null;
    if (size >= this.len) return;
    const kept: Uint8Array[] = [];
    if (ranges) for (let i = 0; i < ranges.length; i += 2) if (ranges[i] >= size) kept.push(this.buf.slice(ranges[i], ranges[i + 1]));
    this.len = size;
    for (const bytes of kept) this.raw(bytes);
  }

  /** Stops recording pushes (the command's replies stay as written). */
  stopRecording(): void {
    this.pushRanges = null;
  }
}

/**
 * A client's subscriptions (c->pubsub_channels, c->pubsub_patterns,
 * c->pubsubshard_channels), by channel or pattern as latin1 text. Redis
 * keeps the channels in dicts (a random per-process order when it lists
 * them all, as UNSUBSCRIBE with no argument does) and the patterns in a
 * list; here all three keep the order they were subscribed in.
 */
export interface Subscriptions {
  readonly channels: Set<string>;
  readonly patterns: string[];
  readonly shardChannels: Set<string>;
}

export class Client {
  readonly reader: RequestReader;
  readonly reply = new ClientReplyWriter();
  /** Set by a protocol error or QUIT: write the reply, then close. */
  closeAfterReply = false;
  closed = false;
  db = 0;
  name = '';
  /** Unix seconds of creation and of the last bytes received (CLIENT LIST age/idle; replica idleness). */
  readonly ctime: number;
  lastInteraction: number;
  /** The last command it ran (CLIENT LIST cmd=), its size on the wire and its arguments' bytes. */
  lastCommand = 'NULL';
  lastCommandBytes = 0;
  /** Query bytes the reader consumed since the last whole command. */
  queryConsumed = 0;
  lastArgvBytes = 0;
  /** The file descriptor the server process gave the connection. */
  fd = -1;
  /** What REPLCONF told us before SYNC/PSYNC: the replica's listening port, announced ip, capabilities. */
  replListeningPort = 0;
  replAnnouncedIp = '';
  replCapaEof = false;
  replCapaPsync2 = false;
  /** Set once the connection became a replica of this node (CLIENT_SLAVE). */
  slave: SlaveInfo | null = null;
  /** MULTI state (c->mstate): the queued commands, and whether EXEC must abort (CLIENT_DIRTY_EXEC). */
  multi: { queue: { argv: Uint8Array[]; name: string }[]; dirty: boolean } | null = null;
  /**
   * WATCHed keys, as "<db>\n<key>", each with whether it had expired when watched (watchedKey.expired),
   * and whether one was touched since (CLIENT_DIRTY_CAS).
   */
  watching: Map<string, boolean> | null = null;
  dirtyCas = false;
  /** Running the commands of an EXEC (blocking commands answer at once, MONITOR refuses). */
  inExec = false;
  /** The client scripts run their commands as (CLIENT_SCRIPT): MONITOR shows it as "lua". */
  script = false;
  /** c->authenticated: AUTH succeeded, or no password was needed when it connected. */
  authenticated = true;
  /** c->user: the ACL user it runs as (the node sets the default user); null runs anything (the master link, "(superuser)"). */
  user: AclUser | null = null;
  /** MONITOR: every command the server runs is sent to it (CLIENT_MONITOR). */
  monitor = false;
  /** The connection to our master, on a replica (CLIENT_MASTER): commands obeyed, no replies. */
  isMaster = false;
  /** CLIENT NO-EVICT on (flag e in CLIENT LIST). */
  noEvict = false;
  /** CLIENT REPLY OFF; SKIP drops the reply of the next command only (CLIENT_REPLY_SKIP_NEXT, then CLIENT_REPLY_SKIP). */
  replyOff = false;
  replySkipNext = false;
  replySkip = false;
  /** Blocked (on keys, in WAIT, SHUTDOWN, by a pause): its next commands wait. */
  blocked: BlockState | null = null;
  /** master_repl_offset after its last command (WAIT waits for this). */
  woff = 0;
  /** Set by a command for its own call: what to propagate instead of its argv (rewriteClientCommandVector). */
  propagateAs: readonly Uint8Array[] | null = null;
  /** preventCommandPropagation: the command propagates what it wants itself (alsoPropagate), or nothing. */
  preventPropagation = false;
  /** CLIENT TRACKING's state; null when tracking is off. */
  tracking: TrackingState | null = null;
  /** The command being run for this client, and its arguments (c->cmd, c->argv): tracking remembers its keys. */
  runningCommand: RunningCommand | null = null;
  runningArgv: readonly Uint8Array[] | null = null;
  /** The script client: the client whose EVAL or FCALL runs (server.script_caller). */
  scriptCaller: Client | null = null;
  /** forceCommandPropagation: propagated even though the dataset did not change (FLUSHALL); 'repl' to the replicas only (PUBLISH). */
  forcePropagation: boolean | 'repl' = false;
  /** Pub/sub subscriptions (pubsub.ts); null until the first SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE. */
  subscriptions: Subscriptions | null = null;
  /** redactClientCommandArgument: the arguments of the running command MONITOR shows as "(redacted)". */
  redacted: number[] | null = null;
  /** The command a blocked client runs, for the slow log once it is answered. */
  slowlogPending: { argv: readonly Uint8Array[]; redacted: readonly number[] | null } | null = null;
  /** One of its commands is running: what is written to it now goes out when that command's batch is flushed. */
  executing = false;

  /**
   * CLIENT_PUBSUB: subscribed to at least one channel, pattern or shard
   * channel. Redis sets the flag at every (P|S)SUBSCRIBE and clears it when
   * an unsubscription leaves none, so it is exactly this.
   */
  get pubsub(): boolean {
    const s = this.subscriptions;
    return s !== null && s.channels.size + s.patterns.length + s.shardChannels.size > 0;
  }

  constructor(
    readonly id: number,
    readonly peer: PeerAddress,
    readonly transport: ClientTransport,
    maxBulkLength: () => number,
    now = 0,
  ) {
    this.reader = new RequestReader({ maxBulkLength });
    this.ctime = now;
    this.lastInteraction = now;
  }
}
