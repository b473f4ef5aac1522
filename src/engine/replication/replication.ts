// A node's replication state, shared by its two roles: the history it
// belongs to (replid, replid2, offsets), the backlog, the stream it feeds
// to its replicas, and the counters INFO shows. The master side (serving
// replicas: master.ts) and the replica side (following a master:
// replica.ts) both work on this; replication.c keeps the same fields in
// `server`.

import { encodeCommand } from '../resp/reply-reader.ts';
import { fromLatin1 } from '../bytes.ts';
import type { RedisNode } from '../node.ts';
import { ReplicationBuffer } from './backlog.ts';
import { MasterSide } from './master.ts';
import { ReplicaSide } from './replica.ts';
import { feedCommandPieces } from './stream.ts';

/** CONFIG_RUN_ID_SIZE zeros: "no secondary id". */
export const NO_REPLID = '0'.repeat(40);

export interface ReplicationStats {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
  /** total_net_repl_input_bytes / total_net_repl_output_bytes. */
  netReplInputBytes: number;
  netReplOutputBytes: number;
}

export class Replication {
  /** Our current replication id (on a replica: the master's). */
  replid: string;
  replid2 = NO_REPLID;
  /** Offset up to which replid2 is valid (+1); -1 when there is none. */
  secondReplidOffset = -1;
  /** master_repl_offset when there is no backlog (the backlog counts it otherwise). */
  private offsetWithoutBacklog = 0;
  backlog: ReplicationBuffer | null = null;
  /** The db the stream last selected; -1 forces a SELECT before the next command. */
  slaveseldb = -1;
  /** Unix seconds since when there have been no replicas (for repl-backlog-ttl). */
  noSlavesSince: number;
  readonly stats: ReplicationStats = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0, netReplInputBytes: 0, netReplOutputBytes: 0 };
  /** replication_cron_loops. */
  cronLoops = 0;

  readonly master: MasterSide;
  readonly replica: ReplicaSide;

  constructor(readonly node: RedisNode) {
    this.replid = this.randomId();
    this.noSlavesSince = node.unixtime;
    this.master = new MasterSide(node, this);
    this.replica = new ReplicaSide(node, this);
  }

  randomId(): string {
    const r = this.node.options.random;
    let s = '';
    for (let i = 0; i < 40; i++) s += '0123456789abcdef'[r.below(16)];
    return s;
  }

  /** master_repl_offset. */
  get offset(): number {
    return this.backlog ? this.backlog.offset : this.offsetWithoutBacklog;
  }

  set offset(value: number) {
    if (this.backlog) throw new Error('the offset of a node with a backlog moves only with the stream');
    this.offsetWithoutBacklog = value;
  }

  /**
   * repl-backlog-size. The 16 KB floor is applied by CONFIG SET
   * (resizeReplicationBacklog), not at start-up: redis-server started with
   * --repl-backlog-size 1 reports and uses 1.
   */
  backlogSize(): number {
    return this.node.config.replBacklogSize;
  }

  /** createReplicationBacklog: empty, its first byte the next one the stream will have. */
  createBacklog(): void {
    if (this.backlog) throw new Error('backlog exists');
    this.backlog = new ReplicationBuffer(
      this.offsetWithoutBacklog,
      () => this.backlogSize(),
      () => this.master.pinningReaders(),
      () => this.master.checkOutputBufferLimits(),
    );
  }

  freeBacklog(): void {
    if (!this.backlog) return;
    this.offsetWithoutBacklog = this.backlog.offset;
    this.backlog = null;
  }

  /** changeReplicationId. */
  changeReplicationId(): void {
    this.replid = this.randomId();
  }

  /** clearReplicationId2. */
  clearReplicationId2(): void {
    this.replid2 = NO_REPLID;
    this.secondReplidOffset = -1;
  }

  /** shiftReplicationId: promotion keeps the old history valid up to here as id2. */
  shiftReplicationId(): void {
    this.replid2 = this.replid;
    this.secondReplidOffset = this.offset + 1;
    this.changeReplicationId();
    this.node.options.log.warning(
      `Setting secondary replication ID to ${this.replid2}, valid up to offset: ${this.secondReplidOffset}. New replication ID is ${this.replid}`,
    );
  }

  /** server.masterhost != NULL. */
  get isReplica(): boolean {
    return this.replica.masterHost !== null;
  }

  /**
   * replicationFeedSlaves: a top-level master appends a command to the
   * stream, with a SELECT first when the stream is in another db. A replica
   * returns at once: it proxies its master's stream byte for byte instead.
   */
  feedCommand(dbid: number, argv: readonly Uint8Array[]): void {
    if (this.isReplica) return;
    if (!this.backlog) return;
    if (this.slaveseldb !== dbid && dbid !== -1) {
      this.backlog.feed(encodeCommand([SELECT, fromLatin1(String(dbid))]));
      this.slaveseldb = dbid;
    }
    feedCommandPieces(this.backlog, argv);
    this.master.streamAppended();
  }

  /** replicationFeedStreamFromMasterStream: what a replica applied goes to its backlog and sub-replicas unchanged. */
  feedFromMasterStream(bytes: Uint8Array): void {
    if (!this.backlog) return;
    this.backlog.feed(bytes);
    this.master.streamAppended();
  }

  /** shouldPropagate for the replication target: a master with a backlog or replicas. */
  get propagates(): boolean {
    return !this.isReplica && this.backlog !== null;
  }

  /**
   * rdbPopulateSaveInfo: what an RDB saved now says about our history, or
   * null when we are in no replication chain (a master without backlog).
   */
  saveInfo(): { streamDb: number; replId: string; offset: number } | null {
    let streamDb: number;
    if (!this.isReplica && this.backlog) {
      // -1 (nothing propagated since the last full sync) is saved as 0: the next write selects anyway.
      streamDb = this.slaveseldb === -1 ? 0 : this.slaveseldb;
    } else if (this.replica.master) {
      streamDb = this.replica.master.client?.db ?? this.replica.master.db;
    } else if (this.replica.cachedMaster) {
      streamDb = Math.max(0, this.replica.cachedMaster.db);
    } else {
      return null;
    }
    return { streamDb, replId: this.replid, offset: this.offset };
  }

  /**
   * loadDataFromDisk's last step: an RDB that carried our history. A master
   * keeps it as its secondary id (so replicas can PSYNC and get +CONTINUE
   * with the new id), continuing from its offset with an empty backlog; a
   * replica synthesizes a cached master from it.
   */
  restoreFromRdb(info: { streamDb: number; replId: string | null; offset: number }): void {
    if (info.replId === null || info.offset === -1 || info.streamDb === -1) return;
    if (this.isReplica) {
      this.replid = info.replId;
      this.offset = info.offset;
      this.replica.cacheFromRdb(info.streamDb);
      return;
    }
    this.replid2 = info.replId;
    this.secondReplidOffset = info.offset + 1;
    this.offset = info.offset;
    this.createBacklog();
    this.noSlavesSince = this.node.unixtime;
  }

  /** replicationCron, once per second. */
  cron(): void {
    this.node.failover.update();
    this.replica.cron();
    this.master.cron();
    this.cronLoops++;
  }
}

const SELECT = fromLatin1('SELECT');
