// The replica side of replication: REPLICAOF, the connection to the master
// and its handshake (PING, AUTH, REPLCONF, PSYNC), the RDB transfer and
// load of a full sync, the master link that streams commands afterwards,
// the cached master that makes a partial resync possible, ACKs and the
// replica's part of the replication cron. Sections follow replication.c.

import { encodeCommand } from '../resp/reply-reader.ts';
import type { RedisNode } from '../node.ts';
import { Client } from '../client.ts';
import type { Replication } from './replication.ts';
import type { OutboundSocket } from '../host.ts';
import { STREAM_WORDS } from './stream.ts';
import { concatBytes, fromLatin1, latin1, lowerAscii, strtoll } from '../bytes.ts';
import { ProtocolError } from '../resp/request-reader.ts';
import { loadRdbBytesSteps, logStreamedAux, streamedLoadError, type ReplicaLoadResult } from '../rdb/persistence.ts';
import { debugDelayUs, LOAD_BYTES_PER_STEP, LOAD_KEYS_PER_STEP, RDB_LOAD_BYTES_PER_US } from '../timing.ts';
import { configValues } from '../config-values.ts';
import type { Logger } from '../log.ts';

/** server.repl_state (the handshake sub-states collapse into what ROLE shows). */
export type ReplState =
  | 'none'
  | 'connect'
  | 'connecting'
  | 'receive_ping_reply'
  | 'receive_auth_reply'
  | 'receive_port_reply'
  | 'receive_ip_reply'
  | 'receive_capa_reply'
  | 'receive_psync_reply'
  | 'transfer'
  | 'connected';

/** What ROLE's fourth element says for each state. */
export function roleStateName(state: ReplState): string {
  switch (state) {
    case 'none':
      return 'none';
    case 'connect':
      return 'connect';
    case 'connecting':
      return 'connecting';
    case 'transfer':
      return 'sync';
    case 'connected':
      return 'connected';
    default:
      return 'handshake';
  }
}

/** The master as a client of ours (server.master), live or cached for a later PSYNC. */
interface MasterLink {
  replid: string;
  /** Applied offset (reploff) and read offset (read_reploff). */
  reploff: number;
  readReploff: number;
  /** The client the master's commands run as; null for a cached or synthesized master. */
  client: Client | null;
  /** The db the stream had selected (kept while cached: a PSYNC does not resend SELECT). */
  db: number;
  /** Bytes parsed into commands since the last applied one (a MULTI being queued). */
  parsed: number;
  /** Raw bytes received and not yet applied (they go to our backlog once applied). */
  pending: Uint8Array;
  /** A MULTI from the master being queued: the offset moves only at EXEC. */
  multi: Uint8Array[][] | null;
}

/** The transfer of a full sync's payload. */
export interface Transfer {
  /** repl_transfer_size: -1 before the $ line, 0 with an EOF mark. */
  size: number;
  read: number;
  lastIo: number;
  mark: string | null;
  chunks: Uint8Array[];
  diskless: boolean;
  /** A diskless load began at the $ line (Redis parses as the bytes come off the socket). */
  streaming: boolean;
  /** Its AUX fields' lines were logged as they came (logStreamedAux). */
  auxLogged: boolean;
  /** When bytes last came, in microseconds (a diskless load's receive timeout counts from there). */
  lastIoUs: number;
}

export class ReplicaSide {
  masterHost: string | null = null;
  masterPort = 0;
  state: ReplState = 'none';
  private socket: OutboundSocket | null = null;
  /** repl_transfer_lastio: last bytes during connect, handshake or transfer. */
  private transferLastIo = 0;
  /** Bytes of the handshake replies not consumed yet. */
  private inbox = '';
  private inboxBytes: Uint8Array[] = [];
  master: MasterLink | null = null;
  cachedMaster: MasterLink | null = null;
  /** From +FULLRESYNC: the master's id and offset the payload starts from. */
  private masterReplid = '';
  private masterInitialOffset = -1;
  transfer: Transfer | null = null;
  /** A full sync's payload being loaded. */
  private loading: { swapdb: boolean; lastNewline: number; closed: boolean } | null = null;
  /** Bytes from the master received while loading. */
  private heldData: Uint8Array[] = [];
  /** repl_down_since: unix seconds; 0 when the link is up or was never up. */
  downSince = 0;
  /** Bumped on every new connection, so events of an abandoned one are ignored. */
  private generation = 0;

  constructor(
    private readonly node: RedisNode,
    private readonly repl: Replication,
  ) {}

  private get log(): Logger {
    return this.node.options.log;
  }

  private get now(): number {
    return this.node.unixtime;
  }

  /** Virtual time in microseconds (unix). */
  private get nowUs(): number {
    const clock = this.node.options.clock;
    return clock.unixUs ?? clock.unixMs * 1000;
  }

  private get at(): { masterHost: string; masterPort: number } {
    return { masterHost: this.masterHost ?? '', masterPort: this.masterPort };
  }

  // -------------------------------------------------------------- REPLICAOF

  /** REPLICAOF host port from a client; returns the reply's status text. */
  replicaOf(host: string, port: number, requester: string): string {
    if (this.masterHost !== null && this.masterHost.toLowerCase() === host.toLowerCase() && this.masterPort === port) {
      this.log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
      return 'OK Already connected to specified master';
    }
    this.setMaster(host, port);
    this.log.notice(`REPLICAOF ${this.masterHost}:${this.masterPort} enabled (user request from '${requester}')`);
    return 'OK';
  }

  /**
   * `replicaof` in the configuration: a replica from the start, connecting
   * at the first cron. A cached master exists only if the RDB it loads
   * carries replication info (else it will ask PSYNC ? -1).
   */
  configure(host: string, port: number): void {
    this.masterHost = host;
    this.masterPort = port;
    this.state = 'connect';
  }

  /** REPLICAOF NO ONE. */
  noOne(requester: string): void {
    if (this.masterHost === null) return;
    this.unsetMaster();
    this.log.notice(`MASTER MODE enabled (user request from '${requester}')`);
  }

  /** replicationSetMaster. */
  setMaster(host: string, port: number): void {
    const wasMaster = this.masterHost === null;
    // Cleared first, so the lines the disconnection logs show role M.
    this.masterHost = null;
    if (this.master) this.freeMaster();
    this.node.blocking.disconnectAll(); // clients blocked on a master, now a replica
    this.masterHost = host;
    this.masterPort = port;
    this.cancelHandshake(false);
    if (wasMaster) {
      this.discardCachedMaster();
      this.cacheMasterUsingMyself();
    }
    this.state = 'connect';
    this.log.notice(`Connecting to MASTER ${host}:${port}`);
    this.connectWithMaster();
    this.node.onReplicationEvent({ kind: 'role', role: 'replica', masterHost: host, masterPort: port });
    this.node.onRoleChange();
  }

  /** replicationUnsetMaster: promotion. */
  unsetMaster(): void {
    if (this.masterHost === null) return;
    this.masterHost = null;
    if (this.master) this.freeMaster();
    this.discardCachedMaster();
    this.cancelHandshake(false);
    this.repl.shiftReplicationId();
    this.repl.master.disconnectSlaves();
    this.state = 'none';
    this.repl.slaveseldb = -1;
    this.repl.noSlavesSince = this.now;
    this.downSince = 0;
    this.node.onReplicationEvent({ kind: 'role', role: 'master', masterHost: null, masterPort: null });
    this.node.onRoleChange();
    // A sync stopped the AOF and ended before it could start it again.
    this.restartAof();
  }

  /** restartAOFAfterSYNC when the AOF is configured but stopped. */
  private restartAof(): void {
    const aof = this.node.aof;
    if (aof.configured && aof.state === 'off') aof.start(false);
  }

  // -------------------------------------------------------- the connection

  /** connectWithMaster. */
  private connectWithMaster(): void {
    const gen = ++this.generation;
    const live = () => gen === this.generation;
    const result = this.node.host.connect(this.masterHost!, this.masterPort, {
      connected: () => live() && this.connected(),
      data: (bytes) => {
        if (!live()) return;
        this.received(bytes);
        // The beforeSleep after this read: clients served or unblocked meanwhile run what they sent.
        this.node.blocking.beforeSleep();
      },
      failed: (reason) => {
        if (!live()) return;
        this.log.warning(`Error condition on socket for SYNC: ${reason}`);
        this.syncError();
      },
      closed: () => live() && this.linkClosed(),
    });
    if ('error' in result) {
      this.log.warning(`Unable to connect to MASTER: ${result.error}`);
      return;
    }
    this.socket = result;
    this.transferLastIo = this.now;
    this.state = 'connecting';
    this.log.notice('MASTER <-> REPLICA sync started');
  }

  /** The "error:" path of syncWithMaster: drop the connection, the cron connects again. */
  private syncError(): void {
    this.undoConnect();
    this.state = 'connect';
  }

  private undoConnect(): void {
    this.generation++;
    this.socket?.close();
    this.socket = null;
    this.inbox = '';
    this.inboxBytes = [];
  }

  /** cancelReplicationHandshake. */
  private cancelHandshake(reconnect: boolean): boolean {
    if (this.state === 'transfer') {
      this.transfer = null;
      this.undoConnect();
      this.state = 'connect';
    } else if (this.state === 'connecting' || this.inHandshake()) {
      this.undoConnect();
      this.state = 'connect';
    } else {
      return false;
    }
    if (!reconnect) return true;
    this.log.notice(`Reconnecting to MASTER ${this.masterHost}:${this.masterPort} after failure`);
    this.connectWithMaster();
    return true;
  }

  private inHandshake(): boolean {
    return this.state.startsWith('receive_');
  }

  private send(...args: string[]): void {
    this.socket?.write(encodeCommand(args.map(fromLatin1)));
  }

  // ------------------------------------------------------- the handshake

  private connected(): void {
    if (this.state !== 'connecting') return;
    this.log.notice('Non blocking connect for SYNC fired the event.');
    this.state = 'receive_ping_reply';
    this.send('PING');
    this.node.onReplicationEvent({ kind: 'handshake', step: 'PING', ...this.at });
  }

  private received(bytes: Uint8Array): void {
    this.transferLastIo = this.now;
    if (this.loading) {
      this.repl.stats.netReplInputBytes += bytes.length;
      // The read handler is off while loading: the bytes wait.
      this.heldData.push(bytes.slice());
      return;
    }
    if (this.state === 'connected') return this.masterData(bytes);
    if (this.state === 'transfer') return this.transferData(bytes);
    this.inboxBytes.push(bytes);
    this.handshakeStep();
  }

  /** Takes one line (without CRLF) from what the master sent, or null. */
  private readLine(): string | null {
    if (this.inboxBytes.length) {
      for (const b of this.inboxBytes) this.inbox += latin1(b);
      this.inboxBytes = [];
    }
    const nl = this.inbox.indexOf('\n');
    if (nl < 0) return null;
    let line = this.inbox.slice(0, nl);
    this.inbox = this.inbox.slice(nl + 1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    return line;
  }

  /** What is left of the inbox after the handshake: the first bytes of the payload or stream. */
  private takeInbox(): Uint8Array | null {
    const rest = this.inbox;
    this.inbox = '';
    return rest.length ? fromLatin1(rest) : null;
  }

  private handshakeStep(): void {
    for (;;) {
      const state = this.state;
      if (!this.inHandshake()) {
        const rest = this.takeInbox();
        if (rest && state === 'transfer') this.transferData(rest);
        else if (rest && state === 'connected') this.masterData(rest);
        return;
      }
      const line = this.readLine();
      if (line === null) return;
      this.handshakeReply(line);
    }
  }

  private handshakeReply(line: string): void {
    const cfg = this.node.config;
    switch (this.state) {
      case 'receive_ping_reply': {
        if (line.startsWith('-') && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
          this.log.warning(`Error reply to PING from master: '${line}'`);
          return this.syncError();
        }
        this.log.notice('Master replied to PING, replication can continue...');
        // One burst: AUTH, REPLCONF listening-port, ip-address, capa; the replies are read in order.
        if (cfg.masterauth) {
          if (cfg.masteruser) this.send('AUTH', cfg.masteruser, cfg.masterauth);
          else this.send('AUTH', cfg.masterauth);
        }
        this.send('REPLCONF', 'listening-port', String(cfg.replicaAnnouncePort || this.node.port));
        if (cfg.replicaAnnounceIp) this.send('REPLCONF', 'ip-address', cfg.replicaAnnounceIp);
        this.send('REPLCONF', 'capa', 'eof', 'capa', 'psync2');
        this.state = cfg.masterauth ? 'receive_auth_reply' : 'receive_port_reply';
        this.node.onReplicationEvent({ kind: 'handshake', step: cfg.masterauth ? 'AUTH, REPLCONF' : 'REPLCONF', ...this.at });
        return;
      }
      case 'receive_auth_reply':
        if (line.startsWith('-')) {
          this.log.warning(`Unable to AUTH to MASTER: ${line}`);
          return this.syncError();
        }
        this.state = 'receive_port_reply';
        return;
      case 'receive_port_reply':
        if (line.startsWith('-')) this.log.notice(`(Non critical) Master does not understand REPLCONF listening-port: ${line}`);
        this.state = cfg.replicaAnnounceIp ? 'receive_ip_reply' : 'receive_capa_reply';
        return;
      case 'receive_ip_reply':
        if (line.startsWith('-')) this.log.notice(`(Non critical) Master does not understand REPLCONF ip-address: ${line}`);
        this.state = 'receive_capa_reply';
        return;
      case 'receive_capa_reply':
        if (line.startsWith('-')) this.log.notice(`(Non critical) Master does not understand REPLCONF capa: ${line}`);
        this.sendPsync();
        return;
      case 'receive_psync_reply':
        return this.psyncReply(line);
      default:
        return;
    }
  }

  /** slaveTryPartialResynchronization, writing half. */
  private sendPsync(): void {
    this.masterInitialOffset = -1;
    const cached = this.cachedMaster;
    if (cached) {
      const offset = String(cached.reploff + 1);
      this.log.notice(`Trying a partial resynchronization (request ${cached.replid}:${offset}).`);
      // A master failing over asks its target to take over.
      if (this.node.failover.state === 'failover-in-progress') this.send('PSYNC', cached.replid, offset, 'FAILOVER');
      else this.send('PSYNC', cached.replid, offset);
      this.node.onReplicationEvent({ kind: 'psync', replid: cached.replid, offset: cached.reploff + 1, ...this.at });
    } else {
      this.log.notice('Partial resynchronization not possible (no cached master)');
      if (this.node.failover.state === 'failover-in-progress') this.send('PSYNC', '?', '-1', 'FAILOVER');
      else this.send('PSYNC', '?', '-1');
      this.node.onReplicationEvent({ kind: 'psync', replid: '?', offset: -1, ...this.at });
    }
    this.state = 'receive_psync_reply';
  }

  /** slaveTryPartialResynchronization, reading half, then what syncWithMaster does with the outcome. */
  private psyncReply(reply: string): void {
    // Newlines the master sends while it delays the fork keep the link alive.
    if (reply.length === 0) return;
    if (reply.startsWith('+FULLRESYNC')) {
      const m = /^\+FULLRESYNC ([^ ]*) (.*)$/.exec(reply);
      if (!m || m[1].length !== 40) {
        this.log.warning('Master replied with wrong +FULLRESYNC syntax.');
        this.masterReplid = '';
      } else {
        this.masterReplid = m[1];
        this.masterInitialOffset = strtollText(m[2]);
        this.log.notice(`Full resync from master: ${this.masterReplid}:${this.masterInitialOffset}`);
        this.node.failover.psyncAnswered(true);
        this.node.onReplicationEvent({ kind: 'fullresync', replid: this.masterReplid, offset: this.masterInitialOffset, ...this.at });
      }
      return this.beginTransfer();
    }
    if (reply.startsWith('+CONTINUE')) {
      this.log.notice('Successful partial resynchronization with master.');
      const cached = this.cachedMaster!;
      const id = reply.slice(10);
      if (id.length === 40 && id !== cached.replid) {
        this.log.warning(`Master replication ID changed to ${id}`);
        this.repl.replid2 = cached.replid;
        this.repl.secondReplidOffset = this.repl.offset + 1;
        this.repl.replid = id;
        cached.replid = id;
        this.repl.master.disconnectSlaves();
      }
      this.resurrectCachedMaster();
      if (!this.repl.backlog) this.repl.createBacklog();
      this.node.failover.psyncAnswered(true);
      this.log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
      this.node.onReplicationEvent({ kind: 'continue', replid: this.repl.replid, ...this.at });
      this.node.onReplicationEvent({ kind: 'link-up', ...this.at });
      return;
    }
    if (reply.startsWith('-NOMASTERLINK') || reply.startsWith('-LOADING')) {
      this.log.notice(`Master is currently unable to PSYNC but should be in the future: ${reply}`);
      if (this.node.failover.state === 'failover-in-progress') return this.node.failover.psyncAnswered(false);
      return this.syncError();
    }
    if (!reply.startsWith('-ERR')) this.log.warning(`Unexpected reply to PSYNC from master: ${reply}`);
    else this.log.notice(`Master does not support PSYNC or is in error state (reply: ${reply})`);
    if (this.node.failover.state === 'failover-in-progress') return this.node.failover.psyncAnswered(false);
    this.log.notice('Retrying with SYNC...');
    this.socket?.write(fromLatin1('SYNC\r\n'));
    this.beginTransfer();
  }

  private useDisklessLoad(): boolean {
    const mode = this.node.config.replDisklessLoad;
    return mode === 'swapdb' || (mode === 'on-empty-db' && this.node.keyspace.dbs.every((db) => db.size === 0));
  }

  private beginTransfer(): void {
    this.state = 'transfer';
    this.transfer = { size: -1, read: 0, lastIo: this.now, mark: null, chunks: [], diskless: this.useDisklessLoad(), streaming: false, auxLogged: false, lastIoUs: this.nowUs };
    this.transferLastIo = this.now;
  }

  // -------------------------------------------------------- the transfer

  /** readSyncBulkPayload. */
  private transferData(bytes: Uint8Array): void {
    // The payload and its $ line count as replication input; the handshake's replies before it do not.
    this.repl.stats.netReplInputBytes += bytes.length;
    const t = this.transfer!;
    let at = 0;
    while (t.size === -1 && t.mark === null) {
      // The $ line: read byte by byte so that payload bytes stay unread.
      const nl = bytes.indexOf(0x0a, at);
      if (nl < 0) {
        this.inbox += latin1(bytes.subarray(at));
        return;
      }
      let line = this.inbox + latin1(bytes.subarray(at, nl));
      this.inbox = '';
      at = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      t.lastIo = this.now;
      if (line.length === 0) continue; // keepalive newline
      if (line.startsWith('-')) {
        this.log.warning(`MASTER aborted replication with an error: ${line.slice(1)}`);
        return void this.cancelHandshake(true);
      }
      if (!line.startsWith('$')) {
        this.log.warning(`Bad protocol from MASTER, the first byte is not '$' (we received '${line}'), are you sure the host and port are right?`);
        return void this.cancelHandshake(true);
      }
      const where = t.diskless ? 'to parser' : 'to disk';
      if (line.startsWith('$EOF:') && line.length - 5 >= 40) {
        t.mark = line.slice(5, 45);
        t.size = 0;
        this.log.notice(`MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF ${where}`);
      } else {
        t.size = strtollText(line.slice(1));
        this.log.notice(`MASTER <-> REPLICA sync: receiving ${t.size} bytes from master ${where}`);
      }
      // A diskless load starts now: Redis flushes and parses while it reads the socket, blocking.
      if (t.diskless) this.startLoad(t, t.size);
    }
    let rest: Uint8Array | null = null;
    let piece = bytes.subarray(at);
    if (t.mark === null) {
      const left = t.size - t.read;
      if (piece.length > left) {
        rest = piece.subarray(left);
        piece = piece.subarray(0, left);
      }
    }
    if (piece.length) {
      t.chunks.push(piece.slice());
      t.read += piece.length;
      // repl_transfer_lastio, which INFO shows: a diskless load's blocking reads do not move it.
      if (!t.streaming) t.lastIo = this.now;
      t.lastIoUs = this.nowUs;
      if (t.streaming && !t.auxLogged) t.auxLogged = logStreamedAux(this.node, t.chunks);
    }
    const done = t.mark !== null ? this.endsWithMark(t) : t.read === t.size;
    if (!done) return;
    this.loadPayload(t);
    if (rest && rest.length) this.heldData.push(rest.slice());
  }

  /** The last 40 bytes received equal the mark (Redis keeps them in lastbytes as they come). */
  private endsWithMark(t: Transfer): boolean {
    if (t.read < 40) return false;
    let tail = '';
    for (let i = t.chunks.length - 1; i >= 0 && tail.length < 40; i--) {
      const c = t.chunks[i];
      tail = latin1(c.subarray(Math.max(0, c.length - (40 - tail.length)))) + tail;
    }
    return tail === t.mark;
  }

  /**
   * What comes before the load: the AOF and any RDB child stopped, the old
   * data flushed (not with swapdb), "Loading DB in memory", LOADING for
   * clients. At the $ line for a diskless load, once the file is whole for
   * a disk load.
   */
  private startLoad(t: Transfer, size: number): void {
    const swapdb = t.diskless && this.node.config.replDisklessLoad === 'swapdb';
    // No AOF rewrite during the load (a copy-on-write disaster): the AOF stops, and starts again after it.
    if (this.node.aof.state !== 'off') this.node.aof.stop();
    // An RDB child of this node (a BGSAVE, a sub-replica's sync) would save the old data over the new.
    const child = this.node.bgsave.running('rdb') ? this.node.bgsave.child : null;
    if (child) {
      if (!t.diskless) {
        this.log.notice(
          `Replica is about to load the RDB file received from the master, but there is a pending RDB child running. Killing process ${child.pid} and removing its temp file to avoid any race`,
        );
      }
      this.node.bgsave.kill();
    }
    if (!swapdb) {
      this.attachToNewMaster();
      this.log.notice('MASTER <-> REPLICA sync: Flushing old data');
      this.node.emptyData(-1);
    }
    this.log.notice('MASTER <-> REPLICA sync: Loading DB in memory');
    // swapdb serves the old data meanwhile (async loading) only when it is the same history: with
    // another master's id the old data is not a past state of the new one, so clients get LOADING.
    this.node.loading = swapdb && this.masterReplid === this.repl.replid ? 'async' : 'sync';
    // startLoading: a socket load does not know its size (0); a file load does.
    this.node.loadProgress = { startTime: this.now, totalBytes: t.diskless ? 0 : size, loadedBytes: 0, rdbUsedMem: 0 };
    t.streaming = t.diskless;
    t.lastIoUs = this.nowUs;
    if (t.streaming) this.armStreamTimeout(t);
  }

  /**
   * A diskless load reads the socket blocking, with repl-timeout as its
   * receive timeout (connRecvTimeout): a master silent that long fails the
   * load. One timer, moved on as data comes.
   */
  private armStreamTimeout(t: Transfer): void {
    const timeoutUs = this.node.config.replTimeout * 1_000_000;
    const check = () => {
      if (this.transfer !== t || !t.streaming || this.loading) return;
      const due = t.lastIoUs + timeoutUs;
      if (this.nowUs >= due) return this.streamedLoadFailed(t, 'Connection timed out');
      this.node.host.setTimer(due - this.nowUs, check);
    };
    this.node.host.setTimer(timeoutUs, check);
  }

  /**
   * The connection failed under a diskless load: rdbLoadRio's short read
   * (reported, as a socket error, without exiting), then
   * readSyncBulkPayload's failure; the half-loaded data goes, or with swapdb
   * the temporary databases.
   */
  private streamedLoadFailed(t: Transfer, error: string): void {
    const swapdb = this.node.config.replDisklessLoad === 'swapdb';
    // What the parser met where the bytes stopped (read again now: the engine loads once the payload is whole).
    const e = streamedLoadError(this.node, t.chunks);
    if (e === null) {
      // The RDB came whole; the EOF mark after it did not.
      this.log.warning('Replication stream EOF marker is broken');
    } else {
      if (e.kind === 'short-read') this.log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
      // rdbReportError of a socket load: logged, and the server goes on.
      this.log.warning(
        `Internal error in RDB reading offset ${e.details.loadedBytes ?? 0}, function at rdb.c:${e.details.line} -> ${e.message}. Failure loading rdb format from socket, assuming connection error, resuming operation.`,
      );
      this.log.warning(`Failed trying to load the MASTER synchronization DB from socket: ${error}`);
    }
    this.node.loading = null;
    this.node.loadProgress = null;
    this.cancelHandshake(true);
    if (swapdb) this.log.notice('MASTER <-> REPLICA sync: Discarding temporary DB in background');
    else this.node.emptyData(-1);
    // No AOF restart: it comes with a successful sync or a promotion.
  }

  /** The payload is complete: flush (unless a diskless load did already), load, and become a connected replica of this master. */
  private loadPayload(t: Transfer): void {
    // The payload stays in the pieces it came in (a million keys would be one allocation of 24 MB otherwise).
    const rdb = t.mark !== null ? withoutLast(t.chunks, 40) : t.chunks;
    const size = t.mark !== null ? t.read - 40 : t.read;
    const swapdb = t.diskless && this.node.config.replDisklessLoad === 'swapdb';
    if (!t.streaming) this.startLoad(t, size);
    // The received file becomes dbfilename at this instant (its pieces are handed over, not copied).
    if (!t.diskless) this.node.disk.writePieces(this.node.config.dbFilename, rdb);
    // Loading takes the time it takes: clients get LOADING meanwhile (with
    // swapdb the old data keeps being served), the link stays alive with a
    // newline a second, and what the master sends waits in the socket.
    const loading = { swapdb, lastNewline: this.now, closed: false };
    this.loading = loading;
    const steps = loadRdbBytesSteps(this.node, rdb, { swap: swapdb, auxLogged: t.auxLogged }, LOAD_STEP);
    let done = 0;
    let keysDone = 0;
    const keyDelay = debugDelayUs(configValues(this.node).text('key-load-delay'));
    const step = () => {
      if (this.loading !== loading) return;
      const next = steps.next();
      if (!next.done) {
        const read = next.value.bytes;
        if (this.node.loadProgress) this.node.loadProgress.loadedBytes = read;
        // key-load-delay (a debug setting tests use to slow a load down) counts per key of the step.
        const delay = Math.ceil((read - done) / RDB_LOAD_BYTES_PER_US + (next.value.keys - keysDone) * keyDelay);
        done = read;
        keysDone = next.value.keys;
        if (this.now !== this.loading.lastNewline) {
          this.loading.lastNewline = this.now;
          this.socket?.write(Uint8Array.of(0x0a));
        }
        this.node.host.setTimer(delay, step);
        return;
      }
      const delay = Math.ceil((size - done) / RDB_LOAD_BYTES_PER_US);
      this.node.host.setTimer(delay, () => {
        if (this.loading === loading) this.finishLoad(t, next.value);
      });
    };
    step();
  }

  /** The load ended: a connected replica of this master, or a retry after a broken payload. */
  private finishLoad(t: Transfer, loaded: ReplicaLoadResult): void {
    const { swapdb, closed } = this.loading!;
    this.loading = null;
    this.node.loading = null;
    this.node.loadProgress = null;
    if (!loaded.ok) {
      if (t.diskless) {
        this.log.warning('Failed trying to load the MASTER synchronization DB from socket');
      } else {
        this.log.warning('Failed trying to load the MASTER synchronization DB from disk: Invalid argument');
      }
      this.transfer = null;
      this.heldData = [];
      this.cancelHandshake(true);
      if (t.diskless) {
        // A swapdb load went into databases of its own; any other leaves half a dataset, which goes.
        if (swapdb) this.log.notice('MASTER <-> REPLICA sync: Discarding temporary DB in background');
        else this.node.emptyData(-1);
      }
      // No AOF restart here: it comes with a successful sync or a promotion.
      return;
    }
    if (swapdb) {
      this.attachToNewMaster();
      this.log.notice('MASTER <-> REPLICA sync: Swapping active DB with loaded DB');
      this.log.notice('MASTER <-> REPLICA sync: Discarding old DB in background');
    }
    this.transfer = null;
    this.createMasterClient(this.masterReplid, this.masterInitialOffset, loaded.streamDb);
    this.state = 'connected';
    this.downSince = 0;
    // A new history: the master's id and offset, no secondary id.
    this.repl.replid = this.masterReplid;
    this.repl.freeBacklog();
    this.repl.offset = this.masterInitialOffset;
    this.repl.clearReplicationId2();
    this.repl.createBacklog();
    this.log.notice('MASTER <-> REPLICA sync: Finished with success');
    this.node.onReplicationEvent({ kind: 'rdb-loaded', keys: loaded.keysLoaded, ...this.at });
    this.node.onReplicationEvent({ kind: 'link-up', ...this.at });
    if (t.mark !== null) this.sendAck();
    // restartAOFAfterSYNC: a rewrite of what was loaded, after which the AOF appends again.
    if (this.node.aof.configured) this.node.aof.start(false);
    // What the master sent while we loaded, then its close if it closed meanwhile.
    const held = this.heldData;
    this.heldData = [];
    for (const bytes of held) if (this.state === 'connected') this.masterData(bytes, true);
    if (closed && this.state === 'connected') this.linkClosed();
    // The beforeSleep after the load: keys a swapdb load brought are served, unblocked clients run.
    this.node.blocking.beforeSleep();
  }

  /** replicationAttachToNewMaster: old history goes: cached master, sub-replicas, backlog. */
  private attachToNewMaster(): void {
    this.discardCachedMaster();
    this.repl.master.disconnectSlaves();
    this.repl.freeBacklog();
  }

  // ------------------------------------------------------ the master link

  /** replicationCreateMasterClient. */
  private createMasterClient(replid: string, reploff: number, dbid: number): void {
    const socket = this.socket!;
    const client = this.node.masterLinkClient(
      { ip: this.masterHost!, port: this.masterPort },
      { write: (b) => socket.write(b), close: () => this.undoConnect() },
    );
    client.isMaster = true;
    if (dbid >= 0 && dbid < this.node.keyspace.dbs.length) client.db = dbid;
    this.master = { replid, reploff, readReploff: reploff, client, db: client.db, parsed: 0, pending: new Uint8Array(0), multi: null };
  }

  /** replicationCacheMasterUsingMyself: our own history becomes what we PSYNC with. */
  private cacheMasterUsingMyself(): void {
    this.log.notice(
      'Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
    );
    this.cachedMaster = { replid: this.repl.replid, reploff: this.repl.offset, readReploff: this.repl.offset, client: null, db: -1, parsed: 0, pending: new Uint8Array(0), multi: null };
  }

  /** The cached master a replica restarted from an RDB with replication info starts with. */
  cacheFromRdb(streamDb: number): void {
    this.cacheMasterUsingMyself();
    this.cachedMaster!.db = streamDb;
  }

  /** replicationDiscardCachedMaster. */
  private discardCachedMaster(): void {
    if (!this.cachedMaster) return;
    this.log.notice('Discarding previously cached master state.');
    this.cachedMaster = null;
  }

  /** replicationResurrectCachedMaster: the same master state continues on the new connection. */
  private resurrectCachedMaster(): void {
    const cached = this.cachedMaster!;
    this.cachedMaster = null;
    this.createMasterClient(cached.replid, cached.reploff, cached.db);
    this.state = 'connected';
    this.downSince = 0;
    const rest = this.takeInbox();
    if (rest) this.masterData(rest);
  }

  /** freeClient(server.master): log, cache it for PSYNC, and reconnect if we still have a master. */
  private freeMaster(): void {
    const m = this.master!;
    this.log.warning('Connection with master lost.');
    this.node.onReplicationEvent({ kind: 'link-down', ...this.at, reason: 'Connection with master lost.' });
    this.log.notice('Caching the disconnected master state.');
    const db = m.client?.db ?? m.db;
    if (m.client) this.node.forgetClient(m.client);
    this.master = null;
    this.undoConnect();
    // Unapplied bytes and a half-received transaction are dropped.
    this.cachedMaster = { replid: m.replid, reploff: m.reploff, readReploff: m.reploff, client: null, db, parsed: 0, pending: new Uint8Array(0), multi: null };
    // replicationHandleMasterDisconnection
    this.state = 'connect';
    this.downSince = this.now;
    if (this.masterHost !== null) {
      this.log.notice(`Reconnecting to MASTER ${this.masterHost}:${this.masterPort}`);
      this.connectWithMaster();
    }
  }

  /**
   * This node closed its master's client (CLIENT KILL TYPE master):
   * freeClient(server.master) caches it and reconnects, as when the link drops.
   */
  masterClientClosed(client: Client): void {
    if (this.master?.client === client) this.freeMaster();
  }

  /** The connection closed under us. */
  private linkClosed(): void {
    if (this.loading) {
      // Noticed once the load is over, as the read handler is off until then.
      this.loading.closed = true;
      return;
    }
    if (this.state === 'connected') return this.freeMaster();
    if (this.state === 'transfer') {
      // A diskless load notices in its blocking read (errno is still the connect's EINPROGRESS).
      if (this.transfer?.streaming) return this.streamedLoadFailed(this.transfer, 'Operation now in progress');
      this.log.warning('I/O error trying to sync with MASTER: connection lost');
      this.cancelHandshake(true);
      return;
    }
    if (this.inHandshake()) {
      this.log.warning('Master did not respond to command during SYNC handshake');
      this.syncError();
    }
  }

  /** processInputBuffer for the master client: apply whole commands, then proxy what was applied. */
  private masterData(bytes: Uint8Array, counted = false): void {
    const m = this.master;
    if (!m || !m.client) return;
    if (!counted) this.repl.stats.netReplInputBytes += bytes.length;
    const client = m.client;
    client.lastInteraction = this.now;
    m.readReploff += bytes.length;
    m.pending = m.pending.length ? concatBytes([m.pending, bytes]) : bytes.slice();
    client.reader.feed(bytes);
    this.applyMasterCommands(m, null);
  }

  /**
   * The master's whole commands, one by one (`first`: one read before, a
   * pause postponed it). A client pause postpones our master's link too
   * (processCommand pauses every client but replicas): its commands wait
   * in the reader, and the offset stays, until the pause ends.
   */
  private applyMasterCommands(m: MasterLink, first: Uint8Array[] | null): void {
    const client = m.client!;
    let pending = first;
    while (!client.blocked) {
      let argv = pending;
      pending = null;
      if (!argv) {
        const before = client.reader.pending;
        const next = client.reader.next();
        // Counted even when no command completes: the reader consumes the
        // arguments it has whole, and the rest of the command comes later.
        m.parsed += before - client.reader.pending;
        if (next === null) break;
        if (next instanceof ProtocolError) {
          this.log.warning(`Protocol error from master: ${next.reply}`);
          this.freeMaster();
          return;
        }
        argv = next;
      }
      if (this.node.pause.postponesMaster(client, argv, m.multi, () => this.master === m && m.client === client && this.applyMasterCommands(m, argv))) return;
      if (!this.applyMasterCommand(m, argv)) return;
    }
  }

  /** One command of the master; false when it changed our role (nothing more is read then). */
  private applyMasterCommand(m: MasterLink, argv: Uint8Array[]): boolean {
    const client = m.client!;
    const name = argv.length ? lowerAscii(argv[0]) : '';
    if (m.multi && name !== 'exec' && name !== 'discard') {
      if (argv.length) m.multi.push(argv.map((a) => a.slice()));
      return true;
    }
    if (name === 'multi') {
      m.multi = [];
      return true;
    }
    if (name === 'exec' && m.multi) {
      const queued = m.multi;
      m.multi = null;
      for (const q of queued) this.node.executeFromMaster(client, q);
    } else if (name === 'discard' && m.multi) {
      m.multi = null;
    } else if (argv.length) {
      // The offset before this command is what a GETACK in it reports.
      this.node.executeFromMaster(client, argv);
    }
    if (this.master !== m) return false; // the command changed our role
    // processCommand's end: clients blocked on the keys it made ready (a writable replica's BLPOP) are served.
    this.node.blocking.handleReadyKeys();
    // commandProcessed: what was applied goes to our backlog and sub-replicas, command by command.
    const applied = m.parsed;
    m.parsed = 0;
    m.reploff += applied;
    const appliedBytes = m.pending.subarray(0, applied);
    m.pending = m.pending.subarray(applied);
    this.repl.feedFromMasterStream(appliedBytes);
    return true;
  }

  /** REPLCONF GETACK from our master: answer with what we applied so far. */
  getAckRequested(_from: Client): void {
    if (this.masterHost !== null && this.master) this.sendAck();
  }

  /** replicationSendAck. */
  sendAck(): void {
    const m = this.master;
    if (!m || !this.socket) return;
    const ack = encodeCommand([STREAM_WORDS.REPLCONF, STREAM_WORDS.ACK, fromLatin1(String(m.reploff))]);
    // Writes to the master link count as ordinary output (writeToClient for a CLIENT_MASTER).
    this.node.stats.netOutputBytes += ack.length;
    this.socket.write(ack);
  }

  // -------------------------------------------------------------------- cron

  /** The replica's part of replicationCron. */
  cron(): void {
    const cfg = this.node.config;
    const now = this.now;
    if (this.masterHost !== null && (this.state === 'connecting' || this.inHandshake()) && now - this.transferLastIo > cfg.replTimeout) {
      this.log.warning('Timeout connecting to the MASTER...');
      this.cancelHandshake(true);
    }
    // (A diskless load times out in its blocking read instead: armStreamTimeout.)
    if (this.masterHost !== null && this.state === 'transfer' && !this.transfer?.streaming && now - this.transferLastIo > cfg.replTimeout) {
      this.log.warning(
        "Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.",
      );
      this.cancelHandshake(true);
    }
    if (this.masterHost !== null && this.state === 'connected' && this.master?.client && now - this.master.client.lastInteraction > cfg.replTimeout) {
      this.log.warning('MASTER timeout: no data nor PING received...');
      this.freeMaster();
    }
    if (this.state === 'connect') {
      this.log.notice(`Connecting to MASTER ${this.masterHost}:${this.masterPort}`);
      this.connectWithMaster();
    }
    if (this.master && this.masterHost !== null) this.sendAck();
  }

  /** The process is going away: drop the link without the usual reconnection. */
  shutdown(): void {
    this.loading = null;
    this.node.loadProgress = null;
    this.heldData = [];
    this.generation++;
    this.socket?.close();
    this.socket = null;
  }
}

/** A step of a replica's load: what the host does between two looks at its clients. */
const LOAD_STEP = { keys: LOAD_KEYS_PER_STEP, bytes: LOAD_BYTES_PER_STEP };

/** The pieces without their last n bytes (views; the pieces are not changed). */
function withoutLast(pieces: readonly Uint8Array[], n: number): Uint8Array[] {
  const out = [...pieces];
  for (let cut = n; cut > 0 && out.length > 0; ) {
    const last = out.pop()!;
    if (last.length > cut) out.push(last.subarray(0, last.length - cut));
    cut -= Math.min(cut, last.length);
  }
  return out;
}

/** strtoll of a reply line's number, as a JS number (offsets and sizes fit). */
function strtollText(text: string): number {
  return Number(strtoll(fromLatin1(text)).value);
}
