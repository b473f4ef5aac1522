// The append-only file of Redis 7.0 (aof.c): with appendonly yes, every
// command that is propagated (what replicas get, less PINGs and REPLCONFs:
// feedAppendOnlyFile beside replicationFeedSlaves) is appended to the
// current incremental file in <appenddirname>, after a SELECT when its
// database differs from the last one written, with a "#TS:" annotation per
// second under aof-timestamp-enabled. Redis collects them in aof_buf and
// writes before the event loop sleeps; the node's disk takes each one at
// once, which a crash of the process cannot tell apart (the kernel keeps
// what was written). At start-up (server.c main) the manifest is read, the
// files loaded (load.ts), then the files opened: a base and an incr file are
// created when the manifest names none.
//
// Rewrites (BGREWRITEAOF, CONFIG SET appendonly yes, a replica after its
// full sync, auto-aof-rewrite) fork a child (rdb/bgsave.ts) that writes the
// new base as an RDB; the parent then renames it, turns the older files
// into history and removes them, as backgroundRewriteDoneHandler does.
// Under aof-use-rdb-preamble no the base is commands instead (rewrite.ts).
// An appendonly.aof of Redis before 7.0 (commands, with or without an RDB
// preamble) is moved into the directory as the base, as Redis upgrades it.
// Not in yet: fsync timing (appendfsync is accepted; what
// it changes is not observable without a machine crash).
import type { RedisNode } from '../node.ts';
import { configValues } from '../config-values.ts';
import { encodeCommand } from '../resp/reply-reader.ts';
import { concatBytes, fromLatin1 } from '../bytes.ts';
import { emptyManifest, formatManifest, parseManifest, type AofInfo, type AofManifest } from './manifest.ts';
import { writeRdb } from '../rdb/writer.ts';
import { estimateUsedMemory } from '../memory.ts';
import { libraryCodes } from '../commands/functions.ts';
import { rewriteAsCommands } from './rewrite.ts';
import { aofRewriteTempName } from '../rdb/bgsave.ts';

/** server.aof_state. */
export type AofState = 'off' | 'on' | 'wait-rewrite';

/** The temp incr file of AOF_WAIT_REWRITE: what is written while the first rewrite runs (getTempIncrAofName). */
const tempIncrName = (base: string) => `temp-${base}.incr`;

export class AppendOnly {
  state: AofState = 'off';
  /** aof_rewrite_scheduled: a rewrite waits for the running child to end. */
  rewriteScheduled = false;
  /** aof_lastbgrewrite_status, stat_aof_rewrites, stat_aofrw_consecutive_failures, stat_aof_cow_bytes. */
  lastRewriteOk = true;
  rewrites = 0;
  consecutiveFailures = 0;
  lastCowSize = 0;
  /** aof_rewrite_time_start (unix seconds, -1 when none runs) and aof_rewrite_time_last (-1 before any). */
  private rewriteTimeStart = -1;
  private rewriteTimeLast = -1;
  /** aof_last_incr_size: bytes written to the current incr file since it was opened. */
  private lastIncrSize = 0;
  manifest: AofManifest = emptyManifest();
  /** server.aof_selected_db: -1 until the first write selects one. */
  private selectedDb = -1;
  /** server.aof_cur_timestamp, for the #TS: annotations. */
  private timestamp = 0;
  /** server.aof_current_size and aof_rewrite_base_size (INFO). */
  currentSize = 0;
  baseSize = 0;

  constructor(private readonly node: RedisNode) {}

  private setting(name: string): string {
    return configValues(this.node).text(name);
  }

  /** A file of the AOF directory, as the node's disk names it. */
  path(name: string): string {
    return `${this.setting('appenddirname')}/${name}`;
  }

  private get baseName(): string {
    return this.setting('appendfilename');
  }

  /** aof-use-rdb-preamble yes: a rewrite writes its base as an RDB. */
  get rdbPreamble(): boolean {
    return this.setting('aof-use-rdb-preamble') === 'yes';
  }

  /** appendonly yes at start-up. */
  get configured(): boolean {
    return this.setting('appendonly') === 'yes';
  }

  /**
   * aofLoadManifestFromDisk: the manifest when there is one; false after the
   * FATAL AOF MANIFEST FILE ERROR lines when it cannot be read (exit(1)).
   */
  loadManifest(): boolean {
    this.manifest = emptyManifest();
    const bytes = this.node.disk.read(this.path(`${this.baseName}.manifest`));
    if (!bytes) return true;
    const parsed = parseManifest(bytes);
    if ('error' in parsed) {
      const log = this.node.options.log;
      log.warning('\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
      if (parsed.line !== undefined) {
        log.warning(`Reading the manifest file, at line ${parsed.linenum}\n`);
        log.warning(`>>> '${parsed.line}'\n`);
      }
      log.warning(`${parsed.error}\n`);
      return false;
    }
    this.manifest = parsed;
    return true;
  }

  /**
   * loadAppendOnlyFiles's upgrade (aofUpgradePrepare): an appendonly.aof in
   * the working dir, from Redis before 7.0, becomes the base of a manifest
   * in the AOF directory, when no manifest names other files.
   */
  upgradeIfOld(): void {
    const disk = this.node.disk;
    const old = this.baseName;
    if (!disk.exists(old)) return;
    const m = this.manifest;
    const none = !m.base && m.incr.length === 0;
    const onlyOldBase = m.base !== null && m.incr.length === 0 && m.base.name === old && !disk.exists(this.path(old));
    if (!none && !onlyOldBase) return;
    m.base = { name: old, seq: 1, type: 'b' };
    m.currBaseSeq = 1;
    this.persistManifest();
    disk.write(this.path(old), disk.read(old)!);
    disk.remove(old);
    this.node.options.log.notice(`Successfully migrated an old-style AOF file (${old}) into the AOF directory (${this.setting('appenddirname')}).`);
  }

  /** aofOpenIfNeededOnServerStart, after the load: a base and an incr file when there are none; the manifest written. */
  openOnStart(): void {
    const m = this.manifest;
    const log = this.node.options.log;
    const hadIncr = m.incr.length > 0;
    if (!m.base && !hadIncr) {
      const name = this.newBaseName();
      this.node.disk.write(this.path(name), this.baseBytes());
      log.notice(`Creating AOF base file ${name} on server start`);
    }
    if (!hadIncr) this.newIncr();
    const incr = m.incr[m.incr.length - 1]!;
    if (!this.node.disk.exists(this.path(incr.name))) this.node.disk.write(this.path(incr.name), new Uint8Array(0));
    this.persistManifest();
    this.state = 'on';
    this.lastIncrSize = this.fileSize(incr.name);
    log.notice(`${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${incr.name} on server start`);
  }

  /** aofDelHistoryFiles: the history files go, and the manifest without them. */
  deleteHistory(): void {
    if (this.manifest.history.length === 0) return;
    for (const ai of this.manifest.history) {
      this.node.options.log.notice(`Removing the history file ${ai.name} in the background`);
      this.node.disk.remove(this.path(ai.name));
    }
    this.manifest.history = [];
    this.persistManifest();
  }

  /** getNewBaseFileNameAndMarkPreAsHistory. */
  private newBaseName(): string {
    const m = this.manifest;
    if (m.base) m.history.unshift({ ...m.base, type: 'h' });
    const suffix = this.setting('aof-use-rdb-preamble') === 'yes' ? '.rdb' : '.aof';
    const ai: AofInfo = { name: `${this.baseName}.${++m.currBaseSeq}.base${suffix}`, seq: m.currBaseSeq, type: 'b' };
    m.base = ai;
    return ai.name;
  }

  /** getNewIncrAofName. */
  private newIncr(): AofInfo {
    const m = this.manifest;
    const ai: AofInfo = { name: `${this.baseName}.${++m.currIncrSeq}.incr.aof`, seq: m.currIncrSeq, type: 'i' };
    m.incr.push(ai);
    return ai;
  }

  private persistManifest(): void {
    this.node.disk.write(this.path(`${this.baseName}.manifest`), fromLatin1(formatManifest(this.manifest)));
  }

  /**
   * rewriteAppendOnlyFile of the dataset as it is: an RDB with aof-base 1
   * and no replication fields (aof-use-rdb-preamble yes), else the commands
   * that rebuild it, which for the empty dataset of a start are none.
   */
  private baseBytes(): Uint8Array {
    const node = this.node;
    if (!this.rdbPreamble) return rewriteAsCommands(node, this.setting('aof-timestamp-enabled') === 'yes');
    return writeRdb(node.keyspace, {
      compression: node.config.rdbCompression,
      checksum: node.config.rdbChecksum,
      ctime: Math.floor(node.options.clock.unixMs / 1000),
      usedMem: estimateUsedMemory(node.keyspace, node.connectedClients),
      aofBase: true,
      functions: libraryCodes(node),
    });
  }

  /** Commands are fed (aof_state is not AOF_OFF): propagation must reach feed() even without replicas. */
  get feeding(): boolean {
    return this.state !== 'off';
  }

  /** feedAppendOnlyFile: `dbid` -1 for EXEC (it keeps the last command's database, so no SELECT). */
  feed(dbid: number, argv: readonly Uint8Array[]): void {
    // AOF_WAIT_REWRITE writes only while its rewrite runs (into the temp incr file).
    const target = this.state === 'on' ? this.currentIncr() : this.state === 'wait-rewrite' && this.node.bgsave.running('aof') ? tempIncrName(this.baseName) : null;
    if (target === null) return;
    const parts: Uint8Array[] = [];
    if (this.setting('aof-timestamp-enabled') === 'yes') {
      const now = this.node.unixtime;
      if (this.timestamp < now) {
        this.timestamp = now;
        parts.push(fromLatin1(`#TS:${now}\r\n`));
      }
    }
    if (dbid !== -1 && dbid !== this.selectedDb) {
      parts.push(encodeCommand([fromLatin1('SELECT'), fromLatin1(String(dbid))]));
      this.selectedDb = dbid;
    }
    parts.push(encodeCommand(argv));
    const bytes = parts.length === 1 ? parts[0]! : concatBytes(parts);
    this.node.disk.append(this.path(target), bytes);
    this.currentSize += bytes.length;
    this.lastIncrSize += bytes.length;
  }

  private currentIncr(): string {
    return this.manifest.incr[this.manifest.incr.length - 1]!.name;
  }

  // --- rewrites

  /**
   * rewriteAppendOnlyFileBackground: a new incr file (or the temp one while
   * AOF waits for its first rewrite), then the fork whose child writes the
   * new base. False when another child runs.
   */
  startRewrite(): boolean {
    const node = this.node;
    if (node.bgsave.child) return false;
    // The next write selects its database again, in the new file.
    this.selectedDb = -1;
    this.openNewIncr();
    this.rewrites++;
    const child = node.bgsave.rewriteAof()!;
    node.options.log.notice(`Background append only file rewriting started by pid ${child.pid}`);
    this.rewriteScheduled = false;
    this.rewriteTimeStart = node.unixtime;
    return true;
  }

  /** openNewIncrAofForAppend. */
  private openNewIncr(): void {
    if (this.state === 'off') return;
    const name = this.state === 'wait-rewrite' ? tempIncrName(this.baseName) : this.newIncr().name;
    this.node.disk.write(this.path(name), new Uint8Array(0));
    if (this.state === 'on') this.persistManifest();
    this.node.options.log.notice(`Creating AOF incr file ${name} on background rewrite`);
    this.lastIncrSize = 0;
  }

  /** backgroundRewriteDoneHandler, when the parent reaps the rewrite child. */
  rewriteDone(child: { readonly pid: number; readonly finalCow: number }, ok: boolean, signal: number): void {
    const node = this.node;
    const log = node.options.log;
    const temp = aofRewriteTempName(child.pid);
    if (ok) {
      log.notice('Background AOF rewrite terminated with success');
      const m = this.manifest;
      const baseName = this.newBaseName();
      node.disk.write(this.path(baseName), node.disk.read(temp) ?? new Uint8Array(0));
      node.disk.remove(temp);
      log.notice(`Successfully renamed the temporary AOF base file ${temp} into ${baseName}`);
      if (this.state === 'wait-rewrite') {
        const tempIncr = tempIncrName(this.baseName);
        const incr = this.newIncr();
        node.disk.write(this.path(incr.name), node.disk.read(this.path(tempIncr)) ?? new Uint8Array(0));
        node.disk.remove(this.path(tempIncr));
        log.notice(`Successfully renamed the temporary AOF incr file ${tempIncr} into ${incr.name}`);
      }
      // markRewrittenIncrAofAsHistory: every incr file but the one being written (when AOF is on) is history now.
      const keep = this.state === 'off' ? 0 : 1;
      const rewritten = m.incr.splice(0, m.incr.length - keep);
      for (const ai of rewritten.reverse()) m.history.unshift({ ...ai, type: 'h' });
      this.persistManifest();
      if (this.state !== 'off') {
        this.currentSize = this.fileSize(baseName) + this.lastIncrSize;
        this.baseSize = this.currentSize;
      }
      this.deleteHistory();
      this.lastRewriteOk = true;
      this.consecutiveFailures = 0;
      log.notice('Background AOF rewrite finished successfully');
      if (this.state === 'wait-rewrite') this.state = 'on';
      this.lastCowSize = child.finalCow;
    } else if (signal === 0) {
      this.lastRewriteOk = false;
      this.consecutiveFailures++;
      log.warning('Background AOF rewrite terminated with error');
    } else {
      // SIGUSR1 is how the server itself stops a child: not an error.
      if (signal !== 10) {
        this.lastRewriteOk = false;
        this.consecutiveFailures++;
      }
      log.warning(`Background AOF rewrite terminated by signal ${signal}`);
    }
    node.disk.remove(temp); // aofRemoveTempFile
    if (this.state === 'wait-rewrite') node.disk.remove(this.path(tempIncrName(this.baseName)));
    this.rewriteTimeLast = node.unixtime - this.rewriteTimeStart;
    this.rewriteTimeStart = -1;
  }

  /** killAppendOnlyChild: SIGUSR1 and a blocking waitpid; the temp file goes. */
  killChild(): void {
    const node = this.node;
    const child = node.bgsave.child;
    if (!child || child.type !== 'aof') return;
    node.options.log.notice(`Killing running AOF rewrite child: ${child.pid}`);
    child.kill();
    child.writeSignalLine();
    node.disk.remove(aofRewriteTempName(child.pid));
    node.bgsave.resetChild();
    this.rewriteTimeStart = -1;
  }

  /** startAppendOnly (CONFIG SET appendonly yes, a replica after its sync): the first rewrite, or its schedule. */
  start(inExec: boolean): boolean {
    const node = this.node;
    const log = node.options.log;
    this.state = 'wait-rewrite';
    const child = node.bgsave.child;
    if (child && child.type !== 'aof') {
      this.rewriteScheduled = true;
      log.warning('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (inExec) {
      this.rewriteScheduled = true;
      log.warning('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (child) {
        log.warning('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killChild();
      }
      if (!this.startRewrite()) {
        this.state = 'off';
        log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
        return false;
      }
    }
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no, a replica about to load its master's data). */
  stop(): void {
    this.selectedDb = -1;
    this.state = 'off';
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.killChild();
  }

  /** serverCron: a scheduled rewrite once no child runs; the automatic one on growth. */
  cron(): void {
    const node = this.node;
    if (node.bgsave.child) return;
    if (this.rewriteScheduled) {
      this.startRewrite();
      return;
    }
    const perc = Number(this.setting('auto-aof-rewrite-percentage'));
    const minSize = Number(this.setting('auto-aof-rewrite-min-size'));
    if (this.state === 'on' && perc && this.currentSize > minSize) {
      const base = this.baseSize || 1;
      const growth = Math.trunc((this.currentSize * 100) / base) - 100;
      if (growth >= perc) {
        node.options.log.notice(`Starting automatic rewriting of AOF on ${growth}% growth`);
        this.startRewrite();
      }
    }
  }

  /** INFO persistence's AOF lines up to aof_last_cow_size. */
  stateLines(): string[] {
    const node = this.node;
    return [
      `aof_enabled:${this.state !== 'off' ? 1 : 0}`,
      `aof_rewrite_in_progress:${node.bgsave.running('aof') ? 1 : 0}`,
      `aof_rewrite_scheduled:${this.rewriteScheduled ? 1 : 0}`,
      `aof_last_rewrite_time_sec:${this.rewriteTimeLast}`,
      `aof_current_rewrite_time_sec:${this.rewriteTimeStart === -1 ? -1 : node.unixtime - this.rewriteTimeStart}`,
      `aof_last_bgrewrite_status:${this.lastRewriteOk ? 'ok' : 'err'}`,
      `aof_rewrites:${this.rewrites}`,
      `aof_rewrites_consecutive_failures:${this.consecutiveFailures}`,
      'aof_last_write_status:ok',
      `aof_last_cow_size:${this.lastCowSize}`,
    ];
  }

  /** The size of a file of the AOF directory (getAppendOnlyFileSize), -1 when it is missing. */
  fileSize(name: string): number {
    return this.node.disk.read(this.path(name))?.length ?? -1;
  }

  /** INFO persistence's lines after module_fork_last_cow_size, when appendonly is on. */
  infoLines(): string[] {
    if (!this.configured) return [];
    return [
      `aof_current_size:${this.currentSize}`,
      `aof_base_size:${this.baseSize}`,
      'aof_pending_rewrite:0',
      'aof_buffer_length:0',
      'aof_pending_bio_fsync:0',
      'aof_delayed_fsync:0',
    ];
  }

}
