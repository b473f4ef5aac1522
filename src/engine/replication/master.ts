// The master side of replication: connections that became replicas of
// this node (REPLCONF, SYNC/PSYNC), the PSYNC decision, full syncs through
// the fork of rdb/bgsave.ts (disk-based, or diskless through its pipe), the
// stream each replica is sent, ACKs, and what the replication cron does for
// them. Sections follow replication.c's order; every log line is the one
// 7.0.15 writes.

import { encodeCommand } from '../resp/reply-reader.ts';
import type { RedisNode } from '../node.ts';
import type { Client } from '../client.ts';
import type { Replication } from './replication.ts';
import type { StreamReader } from './backlog.ts';
import { STREAM_WORDS } from './stream.ts';
import type { RdbChild, RdbChildType } from '../rdb/bgsave.ts';
import { Err } from '../errors.ts';
import { fromLatin1, latin1, string2ll } from '../bytes.ts';
import type { Logger } from '../log.ts';
import { clientInfoString } from '../client-info.ts';
import { configValues } from '../config-values.ts';

/** SLAVE_STATE_*: where a replica is in its synchronization (INFO state=). */
export type SlaveState = 'wait_bgsave_start' | 'wait_bgsave_end' | 'send_bulk' | 'online';

/** What a master keeps for a connection that is one of its replicas. */
export class SlaveInfo implements StreamReader {
  state: SlaveState = 'wait_bgsave_start';
  /** The highest offset it acknowledged, and when (unix seconds). */
  ackOffset = 0;
  ackTime = 0;
  /** The next stream byte to send it; Infinity while it is not fed (waiting for the fork). */
  nextOffset = Infinity;
  /** Diskless: the stream starts only after its first REPLCONF ACK, so the EOF mark stays last. */
  startStreamOnAck = false;
  /** +FULLRESYNC offset (what a replica attaching to the same BGSAVE gets). */
  psyncInitialOffset = 0;
  /** Old SYNC (redis-cli --replica): no +FULLRESYNC line, no ACKs expected. */
  preSync = false;
  /** A drain of its socket is awaited before more is written. */
  waitingDrain = false;
  /** obuf_soft_limit_reached_time (unix seconds; 0 when under the soft limit). */
  softLimitSince = 0;
  /** Scheduled to be closed for its output buffer. */
  closing = false;
  /** A diskless transfer's unsent bytes at the last cron, and since when they have not moved. */
  lastUnsent = 0;
  stalledSince = 0;
}

/** What a socket holds before writes wait for it to drain (kernel send buffer and data in flight). */
const SOCKET_WINDOW = 512 * 1024;

/** The replica class of client-output-buffer-limit, in bytes and seconds. */
function replicaBufferLimits(node: RedisNode): { hard: number; soft: number; softSeconds: number } {
  const words = configValues(node).text('client-output-buffer-limit').split(' ');
  const i = words.indexOf('slave');
  return { hard: Number(words[i + 1]), soft: Number(words[i + 2]), softSeconds: Number(words[i + 3]) };
}

/** A diskless transfer: the child writing into the pipe, and the replicas the parent relays it to (rdb_pipe_conns). */
export interface SocketTransfer {
  readonly child: RdbChild;
  readonly targets: readonly Client[];
  /** Every byte left the parent (done reading from the pipe). */
  pipeDone: boolean;
  /** The parent stopped reading the pipe: its last replica dropped and the child is being killed. */
  abandoned: boolean;
}

/** CONFIG_RUN_ID_SIZE: the EOF mark of a diskless transfer. */
const EOF_MARK_SIZE = 40;

export class MasterSide {
  /** server.slaves, in the order they became replicas. */
  readonly slaves: Client[] = [];
  /** The diskless transfer in progress, if any. */
  socketTransfer: SocketTransfer | null = null;
  /** min_slaves_good_slaves, refreshed by the cron and on state changes. */
  goodSlaves = 0;

  constructor(
    private readonly node: RedisNode,
    private readonly repl: Replication,
  ) {}

  private get log(): Logger {
    return this.node.options.log;
  }

  /** replicationGetSlaveName. */
  slaveName(c: Client): string {
    const addr = c.replAnnouncedIp || c.peer.ip;
    if (!addr) return `client id #${c.id}`;
    return c.replListeningPort ? `${addr}:${c.replListeningPort}` : `${addr}:<unknown-replica-port>`;
  }

  /** The replicas whose output pins blocks of the replication buffer. */
  *pinningReaders(): Iterable<StreamReader> {
    for (const c of this.slaves) if (c.slave!.nextOffset !== Infinity) yield c.slave!;
  }

  // ---------------------------------------------------------------- REPLCONF

  /** REPLCONF <option> <value> ... (replconfCommand). */
  replconf(c: Client, argv: readonly Uint8Array[]): void {
    if (argv.length % 2 === 0) return c.reply.error(Err.syntax);
    for (let j = 1; j < argv.length; j += 2) {
      const opt = latin1(argv[j]).toLowerCase();
      const val = argv[j + 1];
      if (opt === 'listening-port') {
        const port = parseLong(val);
        if (port === null) return c.reply.error(Err.notInteger);
        c.replListeningPort = port;
      } else if (opt === 'ip-address') {
        // NET_HOST_STR_LEN: room for a host name, not only an IP.
        if (val.length >= 256) return c.reply.error(Err.replconfIpTooLong(val.length));
        c.replAnnouncedIp = latin1(val);
      } else if (opt === 'capa') {
        const capa = latin1(val).toLowerCase();
        if (capa === 'eof') c.replCapaEof = true;
        else if (capa === 'psync2') c.replCapaPsync2 = true;
      } else if (opt === 'ack') {
        // Replicas ACK what they applied; from anyone else it is ignored, and never answered.
        if (!c.slave) return;
        const offset = parseLong(val);
        if (offset === null) return;
        const s = c.slave;
        if (offset > s.ackOffset) s.ackOffset = offset;
        s.ackTime = this.node.unixtime;
        if (s.startStreamOnAck && s.state === 'online') {
          s.startStreamOnAck = false;
          this.startCommandStream(c);
        }
        this.node.waitAcked();
        return;
      } else if (opt === 'getack') {
        // Only a replica answers it (on its master link), with an ACK.
        this.node.replication.replica.getAckRequested(c);
        return;
      } else if (opt === 'rdb-only' || opt === 'rdb-filter-only') {
        // Used by redis-cli --rdb; accepted, the filter is not applied here.
      } else {
        return c.reply.error(Err.replconfUnknownOption(latin1(argv[j])));
      }
    }
    c.reply.ok();
  }

  // ------------------------------------------------------------ SYNC / PSYNC

  /** syncCommand: SYNC and PSYNC <replid> <offset> [FAILOVER]. */
  sync(c: Client, argv: readonly Uint8Array[]): void {
    // A replica already: ignore (it should not send this twice).
    if (c.slave) return;
    const isPsync = latin1(argv[0]).toLowerCase() === 'psync';
    const replicaSide = this.repl.replica;
    if (isPsync && argv.length > 3 && latin1(argv[3]).toLowerCase() === 'failover') {
      this.log.warning(`Failover request received for replid ${latin1(argv[1])}.`);
      if (replicaSide.masterHost === null) return c.reply.error(Err.psyncFailoverToMaster);
      if (latin1(argv[1]).toLowerCase() !== this.repl.replid) return c.reply.error(Err.psyncFailoverReplid);
      replicaSide.unsetMaster();
      this.log.notice(`MASTER MODE enabled (failover request from '${clientInfoString(this.node, c)}')`);
    }
    if (this.node.failover.state !== 'no-failover') return c.reply.error(Err.noMasterLinkFailover);
    if (replicaSide.masterHost !== null && replicaSide.state !== 'connected') {
      return c.reply.error(Err.noMasterLinkSync);
    }
    if (c.reply.size > 0) return c.reply.error(Err.syncPendingOutput);
    const name = this.slaveName(c);
    this.log.notice(`Replica ${name} asks for synchronization`);

    if (isPsync) {
      const offset = parseLong(argv[2]);
      if (offset === null) {
        this.log.warning(`Replica ${name} asks for synchronization but with a wrong offset`);
        return c.reply.error(Err.notInteger);
      }
      const refused = this.tryPartialResynchronization(c, latin1(argv[1]), offset);
      if (refused === null) {
        this.repl.stats.syncPartialOk++;
        this.node.onReplicationEvent({ kind: 'psync-answer', replicaPort: c.replListeningPort, answer: 'continue', reason: 'the replica\'s offset is in the backlog' });
        return;
      }
      this.node.onReplicationEvent({ kind: 'psync-answer', replicaPort: c.replListeningPort, answer: 'fullresync', reason: refused });
      if (!latin1(argv[1]).startsWith('?')) this.repl.stats.syncPartialErr++;
    } else {
      this.node.onReplicationEvent({ kind: 'psync-answer', replicaPort: c.replListeningPort, answer: 'fullresync', reason: 'old SYNC' });
    }

    this.repl.stats.syncFull++;
    const s = new SlaveInfo();
    s.preSync = !isPsync;
    this.addSlave(c, s);

    // The first replica of a master with no backlog starts a new history.
    if (this.slaves.length === 1 && !this.repl.backlog) {
      this.repl.changeReplicationId();
      this.repl.clearReplicationId2();
      this.repl.createBacklog();
      this.log.notice(`Replication backlog created, my new replication IDs are '${this.repl.replid}' and '${this.repl.replid2}'`);
    }

    const child = this.node.bgsave.child;
    if (child && child.type === 'disk') {
      // Attach to a disk BGSAVE that another replica is accumulating changes for.
      const other = this.slaves.find((o) => o !== c && o.slave!.state === 'wait_bgsave_end');
      if (other && capaCovers(c, other)) {
        s.nextOffset = other.slave!.nextOffset;
        this.setupForFullResync(c, other.slave!.psyncInitialOffset);
        this.log.notice('Waiting for end of BGSAVE for SYNC');
      } else {
        this.log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
      }
    } else if (child && child.type === 'socket') {
      this.log.notice('Current BGSAVE has socket target. Waiting for next BGSAVE for SYNC');
    } else if (this.node.config.replDisklessSync && c.replCapaEof && this.node.config.replDisklessSyncDelay > 0) {
      // The cron starts the fork later, so that more replicas can share it.
      this.log.notice('Delay next BGSAVE for diskless SYNC');
    } else if (!child) {
      this.startBgsaveForReplication();
    } else {
      // An AOF rewrite runs: the fork for this replica starts when it ends (startPendingFork).
      this.log.notice('No BGSAVE in progress, but another BG operation is active. BGSAVE for replication delayed');
    }
  }

  private addSlave(c: Client, s: SlaveInfo): void {
    c.slave = s;
    this.slaves.push(c);
  }

  /** masterTryPartialResynchronization: the PSYNC decision table (redis-facts.md section 4); null when accepted, else why not. */
  private tryPartialResynchronization(c: Client, replid: string, offset: number): string | null {
    const r = this.repl;
    const id = replid.toLowerCase();
    const sameAsId1 = id === r.replid;
    const sameAsId2 = id === r.replid2;
    if (!sameAsId1 && (!sameAsId2 || offset > r.secondReplidOffset)) {
      if (!replid.startsWith('?')) {
        if (!sameAsId1 && !sameAsId2) {
          this.log.notice(
            `Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${r.replid}' and '${r.replid2}')`,
          );
        } else {
          this.log.notice(
            `Partial resynchronization not accepted: Requested offset for second ID was ${offset}, but I can reply up to ${r.secondReplidOffset}`,
          );
        }
      } else {
        this.log.notice(`Full resync requested by replica ${this.slaveName(c)}`);
      }
      if (replid.startsWith('?')) return 'the replica asked for a full resync (no cached master)';
      return !sameAsId1 && !sameAsId2 ? 'replication ID mismatch' : 'offset beyond what the second ID covers';
    }
    const backlog = r.backlog;
    if (!backlog || !backlog.has(offset)) {
      this.log.notice(`Unable to partial resync with replica ${this.slaveName(c)} for lack of backlog (Replica request was: ${offset}).`);
      if (offset > r.offset) {
        this.log.warning(
          `Warning: replica ${this.slaveName(c)} tried to PSYNC with an offset that is greater than the master replication offset.`,
        );
      }
      return backlog ? 'the offset is no longer in the backlog' : 'no backlog';
    }
    const s = new SlaveInfo();
    s.state = 'online';
    s.ackTime = this.node.unixtime;
    this.addSlave(c, s);
    c.transport.write(fromLatin1(c.replCapaPsync2 ? `+CONTINUE ${r.replid}\r\n` : '+CONTINUE\r\n'));
    const len = r.offset - offset + 1;
    s.nextOffset = offset;
    this.flushSlave(c);
    this.log.notice(
      `Partial resynchronization request from ${this.slaveName(c)} accepted. Sending ${len} bytes of backlog starting from offset ${offset}.`,
    );
    this.refreshGoodSlavesCount();
    return null;
  }

  /** replicationSetupSlaveForFullResync: +FULLRESYNC now that the fork happens; the stream must start with SELECT. */
  private setupForFullResync(c: Client, offset: number): void {
    const s = c.slave!;
    s.psyncInitialOffset = offset;
    s.state = 'wait_bgsave_end';
    this.repl.slaveseldb = -1;
    if (!s.preSync) c.transport.write(fromLatin1(`+FULLRESYNC ${this.repl.replid} ${offset}\r\n`));
  }

  /**
   * startBgsaveForReplication: fork now. The snapshot is the dataset at
   * this instant (writes after it go to the replicas' buffers, not into
   * the RDB); the child then writes it at the pace of a real one.
   */
  startBgsaveForReplication(): void {
    const waiting = this.slaves.filter((c) => c.slave!.state === 'wait_bgsave_start');
    if (waiting.length === 0) return;
    const socketTarget = this.node.config.replDisklessSync && waiting.every((c) => c.replCapaEof);
    this.log.notice(`Starting BGSAVE for SYNC with target: ${socketTarget ? 'replicas sockets' : 'disk'}`);
    const offset = this.repl.offset;
    // rdbPopulateSaveInfo: the stream restarts with SELECT, so the file says db 0.
    const rsi = { streamDb: 0, replId: this.repl.replid, offset };
    const bgsave = this.node.bgsave;
    if (socketTarget) {
      // rdbSaveToSlavesSockets: the replicas get +FULLRESYNC, then the child writes into the pipe.
      this.setupForFullResyncAll(waiting, offset);
      const mark = this.repl.randomId().slice(0, EOF_MARK_SIZE);
      const framing = { prefix: fromLatin1(`$EOF:${mark}\r\n`), suffix: fromLatin1(mark) };
      let transfer: SocketTransfer | null = null;
      const child = bgsave.saveToSockets(rsi, framing, {
        data: (bytes) => {
          for (const c of waiting) this.writeToReplica(c, bytes);
        },
        eof: () => transfer && this.pipeEof(transfer),
      });
      if (!child) return;
      transfer = { child, targets: waiting, pipeDone: false, abandoned: false };
      this.socketTransfer = transfer;
    } else {
      // rdbSaveBackground, then the replicas get +FULLRESYNC.
      if (!bgsave.saveBackground(rsi)) return;
      this.setupForFullResyncAll(waiting, offset);
    }
    this.node.onReplicationEvent({
      kind: 'bgsave',
      target: socketTarget ? 'socket' : 'disk',
      replicas: waiting.map((c) => c.replListeningPort),
      keys: bgsave.child!.keysTotal,
    });
  }

  private setupForFullResyncAll(waiting: readonly Client[], offset: number): void {
    for (const c of waiting) {
      c.slave!.nextOffset = offset + 1;
      this.setupForFullResync(c, offset);
    }
  }

  /**
   * rdbPipeReadHandler at EOF: once every byte the child wrote left for the
   * replicas, the child may exit (the parent closes rdb_child_exit_pipe).
   */
  private pipeEof(t: SocketTransfer): void {
    if (t.abandoned) return;
    this.whenAllDrained(t.targets, () => {
      if (this.socketTransfer !== t || t.abandoned) return;
      const up = t.targets.filter((c) => !c.closed).length;
      this.log.warning(`Diskless rdb transfer, done reading from pipe, ${up} replicas still up.`);
      t.pipeDone = true;
      t.child.parentDoneReading();
    });
  }

  private whenAllDrained(clients: readonly Client[], done: () => void): void {
    let left = clients.length;
    if (left === 0) return done();
    for (const c of clients) {
      const finish = () => {
        if (--left === 0) done();
      };
      if (c.closed || !c.transport.whenDrained) finish();
      else c.transport.whenDrained(finish);
    }
  }

  /**
   * updateSlavesWaitingBgsave, when the parent reaped an RDB child: the RDB
   * is ready, so it is sent (disk) or the streamed replicas go online; a
   * failed or killed child drops the replicas that waited for it.
   */
  updateSlavesWaitingBgsave(ok: boolean, type: RdbChildType): void {
    this.socketTransfer = null;
    for (const c of [...this.slaves]) {
      const s = c.slave!;
      if (s.state !== 'wait_bgsave_end') continue;
      if (!ok) {
        this.closeAsync(c);
        this.log.warning('SYNC failed. BGSAVE child returned an error');
        continue;
      }
      if (type === 'socket') {
        this.log.notice(
          `Streamed RDB transfer with replica ${this.slaveName(c)} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`,
        );
        s.startStreamOnAck = true;
        this.putOnline(c);
        continue;
      }
      const file = this.node.disk.read(this.node.config.dbFilename);
      if (!file) {
        this.closeAsync(c);
        this.log.warning("SYNC failed. Can't open/stat DB after BGSAVE: No such file or directory");
        continue;
      }
      s.state = 'send_bulk';
      this.writeToReplica(c, fromLatin1(`$${file.length}\r\n`));
      this.writeToReplica(c, file);
      const send = () => {
        if (c.closed || c.slave !== s) return;
        this.putOnline(c);
        this.startCommandStream(c);
      };
      if (c.transport.whenDrained) c.transport.whenDrained(send);
      else send();
    }
  }

  /** freeClientAsync: closed when the event loop comes round. */
  private closeAsync(c: Client): void {
    this.node.host.setTimer(0, () => this.node.closeClient(c));
  }

  /**
   * repl_last_partial_write: seconds since the socket of a diskless target
   * last took bytes while some were waiting (0 while it keeps up).
   */
  private transferStalled(c: Client, now: number): number {
    const s = c.slave!;
    const unsent = c.transport.unsent ?? 0;
    if (unsent === 0 || unsent !== s.lastUnsent) {
      s.lastUnsent = unsent;
      s.stalledSince = unsent === 0 ? 0 : now;
      return 0;
    }
    return s.stalledSince ? now - s.stalledSince : 0;
  }

  /** replicaPutOnline. */
  private putOnline(c: Client): void {
    const s = c.slave!;
    s.state = 'online';
    s.ackTime = this.node.unixtime;
    this.refreshGoodSlavesCount();
    this.log.notice(`Synchronization with replica ${this.slaveName(c)} succeeded`);
  }

  /** replicaStartCommandStream: what accumulated since the fork can now be sent. */
  private startCommandStream(c: Client): void {
    this.flushSlave(c);
  }

  // --------------------------------------------------------------- streaming

  /** New bytes in the stream: send them to every replica that is streaming. */
  streamAppended(): void {
    for (const c of this.slaves) this.flushSlave(c);
  }

  /**
   * writeToClient for a replica: as much of the stream as the socket takes.
   * A socket holds SOCKET_WINDOW bytes not yet sent; past that the rest
   * waits in the replication buffer (pinning its blocks) until the socket
   * drains. So a slow or partitioned link makes the replica's output buffer
   * grow, which is what client-output-buffer-limit replica watches.
   */
  private flushSlave(c: Client): void {
    const s = c.slave!;
    if (s.state !== 'online' || s.startStreamOnAck || c.closed) return;
    const backlog = this.repl.backlog;
    if (!backlog) return;
    const end = backlog.offset;
    const t = c.transport;
    while (s.nextOffset <= end && (t.unsent ?? 0) < SOCKET_WINDOW) {
      const piece = backlog.read(s.nextOffset, 64 * 1024);
      // The block is reused by later feeds; the transport keeps what it gets.
      this.writeToReplica(c, piece.slice());
      s.nextOffset += piece.length;
    }
    if (s.nextOffset <= end && t.whenDrained && !s.waitingDrain) {
      s.waitingDrain = true;
      t.whenDrained(() => {
        s.waitingDrain = false;
        if (c.slave === s) this.flushSlave(c);
      });
    }
    // Blocks the replica no longer needs may go now.
    backlog.trim();
  }

  /**
   * checkClientOutputBufferLimits for replicas, when the buffer got a new
   * block: the bytes from the replica's position to the end of the buffer,
   * against `client-output-buffer-limit replica` (the hard limit never below
   * repl-backlog-size). A replica over it is closed as soon as possible.
   */
  checkOutputBufferLimits(): void {
    const backlog = this.repl.backlog;
    if (!backlog) return;
    const limits = replicaBufferLimits(this.node);
    const now = this.node.unixtime;
    for (const c of this.slaves) {
      const s = c.slave!;
      if (s.nextOffset === Infinity || s.closing) continue;
      const used = backlog.usageFrom(s.nextOffset);
      let hard = limits.hard;
      if (hard && hard < this.repl.backlogSize()) hard = this.repl.backlogSize();
      const hardReached = hard > 0 && used >= hard;
      let softReached = limits.soft > 0 && used >= limits.soft;
      if (softReached) {
        if (s.softLimitSince === 0) {
          s.softLimitSince = now;
          softReached = false;
        } else if (now - s.softLimitSince <= limits.softSeconds) {
          softReached = false;
        }
      } else {
        s.softLimitSince = 0;
      }
      if (!hardReached && !softReached) continue;
      s.closing = true;
      this.log.warning(
        `Client ${clientInfoString(this.node, c, { omem: used })} scheduled to be closed ASAP for overcoming of output buffer limits.`,
      );
      this.closeAsync(c);
    }
  }

  private writeToReplica(c: Client, bytes: Uint8Array): void {
    if (c.closed) return;
    this.repl.stats.netReplOutputBytes += bytes.length;
    c.transport.write(bytes);
  }

  /** A replica's connection closed (freeClient). */
  slaveDisconnected(c: Client): void {
    const i = this.slaves.indexOf(c);
    if (i < 0) return;
    this.log.warning(`Connection with replica ${this.slaveName(c)} lost.`);
    this.slaves.splice(i, 1);
    c.slave!.nextOffset = Infinity;
    if (this.slaves.length === 0) this.repl.noSlavesSince = this.node.unixtime;
    this.refreshGoodSlavesCount();
    const t = this.socketTransfer;
    if (t && t.targets.includes(c) && !t.pipeDone && !t.abandoned && t.targets.every((x) => x.closed)) {
      // rdbPipeReadHandler: nobody left to read the pipe for.
      this.log.warning('Diskless rdb transfer, last replica dropped, killing fork child.');
      t.abandoned = true;
      this.node.bgsave.kill();
    }
    this.repl.backlog?.trim();
  }

  /** disconnectSlaves: every replica connection is closed (they will PSYNC again). */
  disconnectSlaves(): void {
    for (const c of [...this.slaves]) this.node.closeClient(c);
  }

  /** Feeds `ping` to the stream without a SELECT (replicationCron). */
  private feedPing(): void {
    const r = this.repl;
    if (!r.backlog) return;
    r.backlog.feed(encodeCommand([STREAM_WORDS.ping]));
    this.streamAppended();
  }

  /** Feeds REPLCONF GETACK * (WAIT, SHUTDOWN). */
  feedGetAck(): void {
    const r = this.repl;
    if (r.isReplica || !r.backlog) return;
    r.backlog.feed(encodeCommand([STREAM_WORDS.REPLCONF, STREAM_WORDS.GETACK, STREAM_WORDS.star]));
    this.streamAppended();
  }

  /** replicationCountAcksByOffset: online replicas that acknowledged `offset`. */
  countAcks(offset: number): number {
    let n = 0;
    for (const c of this.slaves) if (c.slave!.state === 'online' && c.slave!.ackOffset >= offset) n++;
    return n;
  }

  /** refreshGoodSlavesCount: replicas online that ACKed within min-replicas-max-lag. */
  refreshGoodSlavesCount(): void {
    const cfg = this.node.config;
    if (!cfg.minReplicasToWrite || !cfg.minReplicasMaxLag) return;
    const now = this.node.unixtime;
    this.goodSlaves = this.slaves.filter((c) => c.slave!.state === 'online' && now - c.slave!.ackTime <= cfg.minReplicasMaxLag).length;
  }

  // -------------------------------------------------------------------- cron

  /** The master's part of replicationCron. */
  cron(): void {
    const r = this.repl;
    const cfg = this.node.config;
    const now = this.node.unixtime;
    // The master PINGs its replicas every repl-ping-replica-period seconds.
    if (r.cronLoops % cfg.replPingReplicaPeriod === 0 && this.slaves.length > 0 && !r.isReplica) this.feedPing();

    // Newlines keep replicas waiting for the fork (or for a child that is not streaming to them) from timing out.
    const streaming = this.node.bgsave.child?.type === 'socket';
    for (const c of this.slaves) {
      const s = c.slave!;
      if (s.state === 'wait_bgsave_start' || (s.state === 'wait_bgsave_end' && !streaming)) c.transport.write(Uint8Array.of(0x0a));
    }

    // Replicas that stopped ACKing, and diskless transfers a replica stopped reading.
    for (const c of [...this.slaves]) {
      const s = c.slave!;
      if (s.state === 'online' && !s.preSync && now - s.ackTime > cfg.replTimeout) {
        this.log.warning(`Disconnecting timedout replica (streaming sync): ${this.slaveName(c)}`);
        this.node.closeClient(c);
      } else if (s.state === 'wait_bgsave_end' && this.node.bgsave.child?.type === 'socket' && this.transferStalled(c, now) > cfg.replTimeout) {
        this.log.warning(`Disconnecting timedout replica (full sync): ${this.slaveName(c)}`);
        this.node.closeClient(c);
      }
    }

    // A master with no replicas for repl-backlog-ttl frees its backlog (and forgets its history).
    if (!r.isReplica && this.slaves.length === 0 && cfg.replBacklogTtl && r.backlog && now - r.noSlavesSince > cfg.replBacklogTtl) {
      r.changeReplicationId();
      r.clearReplicationId2();
      r.freeBacklog();
      this.log.notice(`Replication backlog freed after ${cfg.replBacklogTtl} seconds without connected replicas.`);
    }

    this.startPendingFork();
    this.refreshGoodSlavesCount();
  }

  /** replicationStartPendingFork: the delayed diskless fork, when enough waited or enough came. */
  startPendingFork(): void {
    if (this.node.bgsave.child) return;
    const cfg = this.node.config;
    const now = this.node.unixtime;
    let waiting = 0;
    let maxIdle = 0;
    for (const c of this.slaves) {
      if (c.slave!.state !== 'wait_bgsave_start') continue;
      waiting++;
      maxIdle = Math.max(maxIdle, now - c.lastInteraction);
    }
    if (
      waiting > 0 &&
      (!cfg.replDisklessSync ||
        (cfg.replDisklessSyncMaxReplicas > 0 && waiting >= cfg.replDisklessSyncMaxReplicas) ||
        maxIdle >= cfg.replDisklessSyncDelay)
    ) {
      this.startBgsaveForReplication();
    }
  }
}

/** A replica may join another's BGSAVE only with at least its capabilities. */
function capaCovers(c: Client, other: Client): boolean {
  return (!other.replCapaEof || c.replCapaEof) && (!other.replCapaPsync2 || c.replCapaPsync2);
}

/** getLongFromObject: string2ll, as a JS number (offsets and ports are far below 2^53). */
function parseLong(bytes: Uint8Array): number | null {
  const v = string2ll(bytes);
  return v === null ? null : Number(v);
}
