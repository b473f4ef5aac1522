// One client connection to a node: its query buffer, its reply buffer and
// the per-connection state commands read and change.

import { RequestReader } from './resp/request-reader.ts';
import { ReplyWriter } from './resp/reply-writer.ts';
import type { SlaveInfo } from './replication/master.ts';

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

export type BlockKind = 'wait' | 'shutdown' | 'pause';

/** A client whose command answers later. */
export interface BlockState {
  readonly kind: BlockKind;
  readonly timer: { cancel(): void } | null;
  /** WAIT: the offset to be acknowledged and by how many replicas. */
  wait?: { offset: number; numreplicas: number };
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

  override error(text: string): void {
    super.error(text);
    this.onError?.(text);
  }

  /** Forgets what was written after the first `size` bytes. */
  truncate(size: number): void {
    if (size < this.len) this.len = size;
  }
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
  /** WATCHed keys, as "<db>\n<key>", and whether one was touched since (CLIENT_DIRTY_CAS). */
  watching: Set<string> | null = null;
  dirtyCas = false;
  /** Running the commands of an EXEC (blocking commands answer at once, MONITOR refuses). */
  inExec = false;
  /** c->authenticated: AUTH succeeded, or no password was needed when it connected. */
  authenticated = true;
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
  /** Blocked in WAIT or SHUTDOWN: its next commands wait. */
  blocked: BlockState | null = null;
  /** master_repl_offset after its last command (WAIT waits for this). */
  woff = 0;
  /** Set by a command for its own call: what to propagate instead of its argv (rewriteClientCommandVector). */
  propagateAs: readonly Uint8Array[] | null = null;
  /** preventCommandPropagation: the command propagates what it wants itself (alsoPropagate), or nothing. */
  preventPropagation = false;
  /** forceCommandPropagation: propagated even though the dataset did not change (PUBLISH, FLUSHALL). */
  forcePropagation = false;

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
