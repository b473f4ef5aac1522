// Background saving, as rdb.c and server.c do it: one forked child at a
// time (server.child_pid, child_type RDB), writing the snapshot of the fork
// instant either to dbfilename (rdbSaveBackground: BGSAVE, the save points,
// a disk-based full sync) or into a pipe the parent relays to replicas
// (rdbSaveToSlavesSockets: a diskless full sync); the parent reaping it in
// serverCron (checkChildrenDone, backgroundSaveDoneHandler); killRDBChild;
// the save points and the scheduled BGSAVE of serverCron; and the state
// INFO persistence shows (lastbgsave_status, rdb_save_time_*, the child's
// progress and copy-on-write reports).
//
// The child does not run in one step: it reads a copy-on-write snapshot of
// the keyspace (keyspace/snapshot.ts) and writes the file a piece at a time
// (snapshot-writer.ts), each piece at the simulated instant the real child
// would have written it (timing.ts), so the host is never held for long and
// the parent's writes meanwhile never reach the file.
//
// Copy-on-write sizes are a model: Redis reads the child's private dirty
// memory from /proc; here it is the used-mem of the values the parent
// changed since the fork (what the kernel would have had to duplicate),
// rounded up to whole 4 KB pages.

import type { RedisNode } from '../node.ts';
import type { ForkedChild, Timer } from '../host.ts';
import { configValues } from '../config-values.ts';
import { concatBytes } from '../bytes.ts';
import {
  CHILD_START_US,
  debugDelayUs,
  MEASURE_KEYS_PER_STEP,
  RDB_SAVE_BYTES_PER_US,
  SAVE_KEYS_PER_STEP,
} from '../timing.ts';
import { SnapshotWriter, type KeyProgress } from './snapshot-writer.ts';
import { rewriteAsCommands } from '../aof/rewrite.ts';
import { UnsupportedValueError, type ReplicationAux } from './writer.ts';
import { hasSavePoints, saveFailureLine } from './persistence.ts';
import { libraryCodes } from '../commands/functions.ts';

/** server.rdb_child_type. */
export type RdbChildType = 'disk' | 'socket' | 'aof';

/** rewriteAppendOnlyFileBackground's child writes its base here, in the working dir, for the parent to rename. */
/** What a child writes with: the RDB snapshot writer, or the bytes of a rewrite made at the fork. */
export interface ChildWriter {
  readonly snapshot: { readonly totalKeys: number };
  readonly bytesWritten: number;
  readonly keysWritten: number;
  /** Memory the child still holds of the parent's (its copy-on-write estimate). */
  readonly keptMemory: number;
  measure(keys: number): boolean;
  next(keys: number, progress: KeyProgress): Uint8Array | null;
  release(): void;
}

/**
 * An AOF rewrite as commands (aof-use-rdb-preamble no): the whole text is
 * made at the fork, the dataset's state then, and handed out in pieces at
 * the pace of the RDB writer's bytes, so the child takes its time too.
 */
class FixedBytesWriter implements ChildWriter {
  bytesWritten = 0;
  readonly keptMemory = 0;
  readonly snapshot: { readonly totalKeys: number };
  constructor(
    private bytes: Uint8Array,
    totalKeys: number,
  ) {
    this.snapshot = { totalKeys };
  }

  get keysWritten(): number {
    return this.bytes.length === 0 ? this.snapshot.totalKeys : Math.floor((this.snapshot.totalKeys * this.bytesWritten) / this.bytes.length);
  }

  measure(): boolean {
    return true;
  }

  next(_keys: number, progress: KeyProgress): Uint8Array | null {
    if (this.bytesWritten >= this.bytes.length) return null;
    const piece = this.bytes.subarray(this.bytesWritten, this.bytesWritten + 64 * 1024);
    this.bytesWritten += piece.length;
    progress(this.keysWritten, this.bytesWritten);
    return piece;
  }

  release(): void {
    this.bytes = new Uint8Array(0);
  }
}

export const aofRewriteTempName = (pid: number): string => `temp-rewriteaof-bg-${pid}.aof`;

/** The parent's end of a diskless child's pipe (rdbPipeReadHandler relays what it reads to the replicas). */
export interface PipeReader {
  /** Bytes the child wrote, in order. */
  data(bytes: Uint8Array): void;
  /** The write end closed: the child finished, failed or died. The parent calls parentDoneReading() once it relayed it all. */
  eof(): void;
}

/** CONFIG_BGSAVE_RETRY_DELAY: seconds before the save points retry after a failed background save. */
const BGSAVE_RETRY_DELAY = 5;
/** The signal killRDBChild sends; a child killed with it is not an error. */
const SIGUSR1 = 10;
/** What rdbSaveDb waits between two progress reports of the child (ms). */
const CHILD_INFO_PERIOD_MS = 1000;
const PAGE = 4096;

/** A child's CURRENT_INFO report: how many keys it had written, at what moment since the fork. */
interface ProgressReport {
  /** Virtual µs since the fork. */
  readonly atUs: number;
  /** The same moment in unix ms (stat_current_cow_updated). */
  readonly atMs: number;
  readonly keys: number;
  readonly cow: number;
}

/** The save points of the `save` directive: "<seconds> <changes>" pairs. */
export function savePoints(text: string): { seconds: number; changes: number }[] {
  const words = text.split(' ').filter((w) => w !== '');
  const out: { seconds: number; changes: number }[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) out.push({ seconds: Number(words[i]), changes: Number(words[i + 1]) });
  return out;
}

/** One forked RDB child: its work, and what the parent learns of it. */
export class RdbChild {
  readonly pid: number;
  /** rdb_save_time_start (unix seconds). */
  readonly startSec: number;
  /** How it ended, as waitpid reports it; null while it runs. */
  exit: { readonly code: number; readonly signal: number } | null = null;
  /** Reports written by the child, read by the parent when its cron comes (receiveChildInfo). */
  private readonly reports: ProgressReport[] = [];
  private lastReportUs = -Infinity;
  /** The copy-on-write readings of the child (sendChildInfoGeneric's peak, sum and count). */
  private cowPeak = 0;
  private cowSum = 0;
  private cowReadings = 0;
  /** Virtual µs since the fork at which the child is now (the sum of its steps' delays). */
  private elapsedUs = 0;
  private readonly forkUs: number;
  private timer: Timer | null = null;
  /** A piece written in the last step, handed over when its moment comes. */
  private pending: Uint8Array | null = null;
  private readonly pieces: Uint8Array[] = [];
  private prefixSent = false;
  /** Bytes written into the pipe so far (a diskless child's framing included). */
  pipeBytes = 0;
  /** The copy-on-write peak of the child's last report (what stat_rdb_cow_bytes becomes). */
  finalCow = 0;
  private readonly keyDelayUs: number;
  /** The child received SIGUSR1 and has not written its handler's line yet. */
  private signalPending = false;
  /** Socket: the child wrote its last byte and waits for the parent to let it exit (rdb_child_exit_pipe). */
  private exitCode: number | null = null;
  private readonly process: ForkedChild;

  constructor(
    private readonly node: RedisNode,
    /** server.rdb_child_type. */
    readonly type: RdbChildType,
    private readonly writer: ChildWriter,
    private readonly pipe: PipeReader | null,
    private readonly framing: { readonly prefix: Uint8Array; readonly suffix: Uint8Array } | null,
  ) {
    this.process = node.fork();
    this.pid = this.process.pid;
    this.startSec = node.unixtime;
    this.forkUs = nowUs(node);
    // rdb-key-save-delay (a debug setting tests use to slow a save down), per key.
    this.keyDelayUs = debugDelayUs(configValues(node).text('rdb-key-save-delay'));
    this.timer = node.host.setTimer(0, () => this.step());
  }

  /** current_save_keys_total: the keys at the fork. */
  get keysTotal(): number {
    return this.writer.snapshot.totalKeys;
  }

  /** Bytes of the RDB written so far (the EOF framing of a diskless transfer aside). */
  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  get keysWritten(): number {
    return this.writer.keysWritten;
  }

  /** The child wrote its last byte. */
  get finished(): boolean {
    return this.exit !== null || this.exitCode !== null;
  }

  /**
   * One step of the child: the used-mem pass (in no simulated time), then
   * the piece written in the previous step goes out at its moment, and the
   * next piece is written and scheduled for the moment the real child would
   * have finished it: CHILD_START_US after the fork, then bytes at
   * RDB_SAVE_BYTES_PER_US plus rdb-key-save-delay per key.
   */
  private step(): void {
    this.timer = null;
    const w = this.writer;
    if (!w.measure(MEASURE_KEYS_PER_STEP)) {
      this.timer = this.node.host.setTimer(0, () => this.step());
      return;
    }
    if (this.pending) {
      this.deliver(this.pending);
      this.pending = null;
    }
    let piece: Uint8Array | null;
    try {
      piece = w.next(SAVE_KEYS_PER_STEP, (keys, bytes) => this.progress(keys, bytes));
    } catch (e) {
      if (!(e instanceof UnsupportedValueError)) throw e;
      return this.failed(e);
    }
    if (piece === null) return this.done();
    this.pending = piece;
    const at = this.plannedUs(w.bytesWritten, w.keysWritten);
    const delay = Math.max(0, at - this.elapsedUs);
    this.elapsedUs += delay;
    this.timer = this.node.host.setTimer(delay, () => this.step());
  }

  /** When, since the fork, the real child would have written this many bytes and keys. */
  private plannedUs(bytes: number, keys: number): number {
    return CHILD_START_US + Math.ceil(bytes / RDB_SAVE_BYTES_PER_US) + keys * this.keyDelayUs;
  }

  private deliver(piece: Uint8Array): void {
    if (this.type !== 'socket') {
      this.pieces.push(piece);
      return;
    }
    if (!this.prefixSent && this.framing) this.toPipe(this.framing.prefix);
    this.prefixSent = true;
    this.toPipe(piece);
  }

  private toPipe(bytes: Uint8Array): void {
    this.pipeBytes += bytes.length;
    this.pipe!.data(bytes);
  }

  /**
   * rdbSaveDb's progress check every 1024 keys: a CURRENT_INFO report when
   * a second passed since the last one (the first key always reports).
   */
  private progress(keys: number, bytes: number): void {
    const at = this.plannedUs(bytes, keys);
    if (at - this.lastReportUs < CHILD_INFO_PERIOD_MS * 1000) return;
    this.lastReportUs = at;
    const cow = this.cowReading();
    // Logged at verbose level only, and only when there is something to say.
    if (cow) this.logCow('verbose', cow);
    this.reports.push({ atUs: at, atMs: Math.floor((this.forkUs + at) / 1000), keys, cow });
  }

  /** zmalloc_get_private_dirty in the child: see the top of this file. */
  private cowReading(): number {
    const cow = Math.ceil(this.writer.keptMemory / PAGE) * PAGE;
    this.cowPeak = Math.max(this.cowPeak, cow);
    this.cowSum += cow;
    this.cowReadings++;
    return cow;
  }

  private logCow(level: 'verbose' | 'notice', cow: number): void {
    const mb = (n: number) => Math.floor(n / (1 << 20));
    const what = this.type === 'aof' ? 'AOF rewrite' : 'RDB';
    this.process.log.log(
      level,
      `Fork CoW for ${what}: current ${mb(cow)} MB, peak ${mb(this.cowPeak)} MB, average ${mb(Math.floor(this.cowSum / this.cowReadings))} MB`,
    );
  }

  /** The last piece went out: the file is complete (disk) or the pipe closes (socket). */
  private done(): void {
    this.writer.release();
    if (this.type === 'disk') {
      this.node.disk.write(this.node.config.dbFilename, concatBytes(this.pieces));
      this.pieces.length = 0;
      this.process.log.notice('DB saved on disk');
    } else if (this.type === 'aof') {
      // rewriteAppendOnlyFile: the base goes to a temp file; rdbSaveRio says nothing of its own.
      const name = aofRewriteTempName(this.pid);
      this.node.disk.write(name, concatBytes(this.pieces));
      this.pieces.length = 0;
      this.process.log.notice(`Successfully created the temporary AOF base file ${name}`);
    } else if (this.framing) {
      this.toPipe(this.framing.suffix);
    }
    // sendChildCowInfo(CHILD_INFO_TYPE_RDB_COW_SIZE): always logged.
    this.logCow('notice', this.cowReading());
    this.finalCow = this.cowPeak;
    this.end(0);
  }

  /** A value the engine cannot write: the save fails, as rdbSaveRio fails on a write error. */
  private failed(e: UnsupportedValueError): void {
    this.writer.release();
    this.pieces.length = 0;
    this.process.log.warning(saveFailureLine(e));
    this.end(1);
  }

  /** exitFromChild; a diskless child first waits for the parent to have read everything. */
  private end(code: number): void {
    if (this.type !== 'socket') {
      this.exit = { code, signal: 0 };
      return;
    }
    this.exitCode = code;
    this.pipe!.eof();
  }

  /** The parent relayed the whole pipe and closed rdb_child_exit_pipe: the diskless child may exit. */
  parentDoneReading(): void {
    if (this.exit || this.exitCode === null) return;
    this.exit = { code: this.exitCode, signal: 0 };
  }

  /** SIGUSR1 (killRDBChild): the child stops where it is and exits from its handler. */
  kill(): void {
    if (this.exit) return;
    this.timer?.cancel();
    this.timer = null;
    this.writer.release();
    this.pieces.length = 0;
    this.exit = { code: -1, signal: SIGUSR1 };
    this.signalPending = true;
    const pipeOpen = this.type === 'socket' && this.exitCode === null;
    this.exitCode = null;
    // The handler runs as soon as the child is scheduled (before the parent's next step that takes
    // time); the pipe's write end closes as the child exits from it.
    this.node.host.setTimer(0, () => {
      this.writeSignalLine();
      if (pipeOpen) this.pipe!.eof();
    });
  }

  /** sigKillChildHandler's line, once. */
  writeSignalLine(): void {
    if (!this.signalPending) return;
    this.signalPending = false;
    this.process.signalLog('Received SIGUSR1 in child, exiting now.');
  }

  /** The parent process died (kill -9): the child goes with it, silently (its pipe or its report fails). */
  orphaned(): void {
    this.timer?.cancel();
    this.timer = null;
    this.writer.release();
    this.pieces.length = 0;
  }

  /** receiveChildInfo: the reports written up to now. */
  takeReports(): ProgressReport[] {
    const now = nowUs(this.node) - this.forkUs;
    let n = 0;
    while (n < this.reports.length && this.reports[n].atUs <= now) n++;
    return this.reports.splice(0, n);
  }
}

/** The node's background saving state (server.child_*, rdb_*, lastbgsave_*, stat_current_*). */
export class BackgroundSave {
  /** server.child_pid / child_type: the one child, an RDB child or an AOF rewrite (no module forks in this engine). */
  child: RdbChild | null = null;
  /** rdb_bgsave_scheduled: a BGSAVE waits for the current child to end. */
  scheduled = false;
  /** lastbgsave_status. */
  lastBgsaveOk = true;
  /** lastbgsave_try: unix seconds of the last background save attempt (0 before any). */
  lastBgsaveTry = 0;
  /** rdb_save_time_last: seconds the last background save took; -1 before any. */
  lastSaveSeconds = -1;
  /** server.dirty when the running disk child forked (dirty_before_bgsave). */
  private dirtyBeforeBgsave = 0;
  /** stat_current_cow_peak / bytes / updated (unix ms), stat_current_save_keys_processed / total. */
  cowPeak = 0;
  cowBytes = 0;
  cowUpdatedMs = 0;
  keysProcessed = 0;
  keysTotal = 0;
  /** stat_rdb_cow_bytes: the copy-on-write peak of the last successful child. */
  lastCowSize = 0;

  constructor(private readonly node: RedisNode) {}

  /** rdbSaveBackground: fork a child that writes dbfilename; false when another child runs. */
  saveBackground(rsi: ReplicationAux | null): boolean {
    if (this.child) return false;
    const node = this.node;
    node.stats.rdbSaves++;
    this.dirtyBeforeBgsave = node.dirty;
    this.lastBgsaveTry = node.unixtime;
    this.child = new RdbChild(node, 'disk', this.writer(rsi), null, null);
    this.forked();
    node.options.log.notice(`Background saving started by pid ${this.child.pid}`);
    return true;
  }

  /** rewriteAppendOnlyFileBackground's fork: the child writes the dataset as an AOF base (an RDB with aof-base 1). */
  rewriteAof(): RdbChild | null {
    if (this.child) return null;
    const node = this.node;
    const writer = node.aof.rdbPreamble
      ? this.writer(null, true)
      : new FixedBytesWriter(rewriteAsCommands(node, configValues(node).text('aof-timestamp-enabled') === 'yes'), node.keyspace.dbs.reduce((n, db) => n + db.size, 0));
    this.child = new RdbChild(node, 'aof', writer, null, null);
    this.forked();
    return this.child;
  }

  /** A child of this type runs (server.child_type == CHILD_TYPE_RDB for 'rdb'). */
  running(type: 'rdb' | 'aof'): boolean {
    return this.child !== null && (this.child.type === 'aof') === (type === 'aof');
  }

  /** rdbSaveToSlavesSockets's fork: the child writes prefix, RDB and suffix into the pipe `reader` reads. */
  saveToSockets(rsi: ReplicationAux, framing: { prefix: Uint8Array; suffix: Uint8Array }, reader: PipeReader): RdbChild | null {
    if (this.child) return null;
    this.child = new RdbChild(this.node, 'socket', this.writer(rsi), reader, framing);
    this.forked();
    this.node.options.log.notice(`Background RDB transfer started by pid ${this.child.pid}`);
    return this.child;
  }

  private writer(rsi: ReplicationAux | null, aofBase = false): SnapshotWriter {
    const node = this.node;
    return new SnapshotWriter(node.keyspace, {
      aofBase,
      compression: node.config.rdbCompression,
      checksum: node.config.rdbChecksum,
      ctime: node.unixtime,
      clients: node.connectedClients,
      replication: rsi ?? undefined,
      functions: libraryCodes(node),
    });
  }

  /** redisFork in the parent: the child's counters start again. */
  private forked(): void {
    this.cowPeak = 0;
    this.cowBytes = 0;
    this.cowUpdatedMs = 0;
    this.keysProcessed = 0;
    this.keysTotal = this.child!.keysTotal;
  }

  /** rdb_current_bgsave_time_sec: seconds since the fork, -1 without a child. */
  get currentSeconds(): number {
    return this.child ? this.node.unixtime - this.child.startSec : -1;
  }

  /** killRDBChild: SIGUSR1; the parent notices the exit in its next cron. */
  kill(): void {
    this.child?.kill();
  }

  /** The child's signal line, if it has yet to write it (the parent is about to block: a synchronous save). */
  signalDelivered(): void {
    this.child?.writeSignalLine();
  }

  /** The parent process is gone (crash): so is its child; nothing is logged. */
  parentDied(): void {
    this.child?.orphaned();
    this.child = null;
  }

  /** serverCron: a running child is checked (receiveChildInfo once a second, checkChildrenDone), else the save points. */
  cron(cronLoops: number): void {
    const node = this.node;
    if (this.child) {
      const periodMs = Math.trunc(1000 / node.config.hz);
      if (1000 <= periodMs || cronLoops % Math.trunc(1000 / periodMs) === 0) this.receiveChildInfo();
      this.checkChildDone();
      return;
    }
    const dirty = node.dirty - node.dirtyAtLastSave;
    const now = node.unixtime;
    for (const sp of savePoints(configValues(node).text('save'))) {
      if (dirty >= sp.changes && now - node.lastSave > sp.seconds && (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveOk)) {
        node.options.log.notice(`${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        this.saveBackground(node.replication.saveInfo());
        break;
      }
    }
  }

  /** serverCron, after replicationCron (which has priority): a scheduled BGSAVE starts once no child runs. */
  cronScheduled(): void {
    const now = this.node.unixtime;
    if (!this.child && this.scheduled && (now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveOk)) {
      if (this.saveBackground(this.node.replication.saveInfo())) this.scheduled = false;
    }
  }

  /** receiveChildInfo: the child's reports so far. */
  private receiveChildInfo(): void {
    const child = this.child;
    if (!child) return;
    for (const r of child.takeReports()) {
      this.cowPeak = Math.max(this.cowPeak, r.cow);
      this.cowBytes = r.cow;
      this.cowUpdatedMs = r.atMs;
      this.keysProcessed = r.keys;
    }
  }

  /** checkChildrenDone: a child that exited is reaped; the replicas that waited for it move on. */
  checkChildDone(): void {
    const child = this.child;
    if (!child?.exit) return;
    const node = this.node;
    const log = node.options.log;
    const { code, signal } = child.exit;
    const ok = signal === 0 && code === 0;
    // The child's handler wrote its line long before the parent reaps it.
    child.writeSignalLine();
    if (child.type === 'aof') {
      node.aof.rewriteDone(child, ok, signal);
      this.resetChild();
      node.replication.master.startPendingFork();
      return;
    }
    if (child.type === 'disk') {
      if (ok) {
        log.notice('Background saving terminated with success');
        node.dirtyAtLastSave = this.dirtyBeforeBgsave; // server.dirty -= dirty_before_bgsave
        node.lastSave = node.unixtime;
        this.lastBgsaveOk = true;
      } else if (signal === 0) {
        log.warning('Background saving error');
        this.lastBgsaveOk = false;
      } else {
        log.warning(`Background saving terminated by signal ${signal}`);
        // SIGUSR1 is how the server itself stops a child: not an error.
        if (signal !== SIGUSR1) this.lastBgsaveOk = false;
      }
    } else if (ok) {
      log.notice('Background RDB transfer terminated with success');
    } else if (signal === 0) {
      log.warning('Background transfer error');
    } else {
      log.warning(`Background transfer terminated by signal ${signal}`);
    }
    this.lastSaveSeconds = node.unixtime - child.startSec;
    node.replication.master.updateSlavesWaitingBgsave(ok, child.type);
    if (ok) this.lastCowSize = child.finalCow; // receiveChildInfo: the RDB_COW_SIZE report
    this.resetChild();
    // Pending forks for replicas start at once.
    node.replication.master.startPendingFork();
  }

  /** resetChildState. */
  resetChild(): void {
    this.child = null;
    this.cowPeak = 0;
    this.cowBytes = 0;
    this.cowUpdatedMs = 0;
    this.keysProcessed = 0;
    this.keysTotal = 0;
  }

  /** writeCommandsDeniedByDiskError: the last background save failed and save points are set. */
  get deniesWrites(): boolean {
    return !this.lastBgsaveOk && configValues(this.node).text('stop-writes-on-bgsave-error') === 'yes' && hasSavePoints(this.node);
  }
}

function nowUs(node: RedisNode): number {
  const clock = node.options.clock;
  return clock.unixUs ?? clock.unixMs * 1000;
}
