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
// Not in yet: BGREWRITEAOF and the rewrites CONFIG SET appendonly yes and
// auto-aof-rewrite start, the upgrade of a pre-7.0 appendonly.aof, fsync
// timing (appendfsync is accepted; what it changes is not observable
// without a machine crash).
import type { RedisNode } from '../node.ts';
import { configValues } from '../config-values.ts';
import { encodeCommand } from '../resp/reply-reader.ts';
import { concatBytes, fromLatin1 } from '../bytes.ts';
import { emptyManifest, formatManifest, parseManifest, type AofInfo, type AofManifest } from './manifest.ts';
import { writeRdb } from '../rdb/writer.ts';
import { estimateUsedMemory } from '../memory.ts';
import { libraryCodes } from '../commands/functions.ts';

export class AppendOnly {
  /** server.aof_state == AOF_ON. */
  on = false;
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
    this.on = true;
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
    if (this.setting('aof-use-rdb-preamble') !== 'yes') {
      // Only called at start-up, before anything is loaded (the manifest named no file): nothing to rebuild.
      return new Uint8Array(0);
    }
    return writeRdb(node.keyspace, {
      compression: node.config.rdbCompression,
      checksum: node.config.rdbChecksum,
      ctime: Math.floor(node.options.clock.unixMs / 1000),
      usedMem: estimateUsedMemory(node.keyspace, node.connectedClients),
      aofBase: true,
      functions: libraryCodes(node),
    });
  }

  /** feedAppendOnlyFile: `dbid` -1 for EXEC (it keeps the last command's database, so no SELECT). */
  feed(dbid: number, argv: readonly Uint8Array[]): void {
    if (!this.on) return;
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
    const incr = this.manifest.incr[this.manifest.incr.length - 1]!;
    this.node.disk.append(this.path(incr.name), bytes);
    this.currentSize += bytes.length;
  }

  /** The size of a file of the AOF directory (getAppendOnlyFileSize), -1 when it is missing. */
  fileSize(name: string): number {
    return this.node.disk.read(this.path(name))?.length ?? -1;
  }

  /** INFO persistence's lines after module_fork_last_cow_size, when appendonly is on. */
  infoLines(): string[] {
    if (!this.on) return [];
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
