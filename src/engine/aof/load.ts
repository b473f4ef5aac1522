// Loading the AOF at start-up (aof.c loadAppendOnlyFiles and
// loadSingleAppendOnlyFile of 7.0.15): the base file (an RDB when it starts
// with "REDIS", else commands), then each incremental file, every command
// run by a client of no connection, without the checks, statistics or
// propagation of a client's command. The lines logged and the failures are
// Redis's: a file the manifest names but the disk lacks, an unknown
// command, a bad format, and a file that ends in the middle of a command,
// truncated to its last whole command when aof-load-truncated is yes (the
// last file only) and fatal otherwise.
import type { RedisNode } from '../node.ts';
import { missingPart } from '../commands/lazy.ts';
import type { AppendOnly } from './append-only.ts';
import { atoi, atoll, latin1 } from '../bytes.ts';
import { configValues } from '../config-values.ts';
import { rdbLoadBytes } from '../rdb/persistence.ts';

export type AofLoadStatus = 'ok' | 'not-exist' | 'empty' | 'open-error' | 'failed' | 'truncated';

/** AOF_ANNOTATION_LINE_MAX_LEN: fgets's buffer for the "*<argc>" and "$<len>" lines. */
const LINE_MAX = 1024;

/** loadAppendOnlyFiles. */
export function loadAppendOnlyFiles(node: RedisNode, aof: AppendOnly): AofLoadStatus {
  aof.upgradeIfOld();
  const m = aof.manifest;
  if (!m.base && m.incr.length === 0) return 'not-exist';
  const files = [...(m.base ? [m.base] : []), ...m.incr];
  let total = 0;
  for (const ai of files) {
    const size = aof.fileSize(ai.name);
    if (size < 0) {
      // getAppendOnlyFileSize's stat fails: a file of the manifest missing from the disk is fatal.
      node.options.log.warning(`Unable to obtain the AOF file ${ai.name} length. stat: No such file or directory`);
      return 'failed';
    }
    total += size;
  }
  if (total === 0) return 'empty';
  let status: AofLoadStatus = 'ok';
  let baseSize = 0;
  for (let i = 0; i < files.length; i++) {
    const ai = files[i]!;
    const last = i === files.length - 1;
    const start = node.options.clock.unixMs;
    if (ai.type === 'b') baseSize = aof.fileSize(ai.name);
    status = loadSingleFile(node, aof, ai.name);
    if (status === 'ok' || (status === 'truncated' && last)) {
      const seconds = ((node.options.clock.unixMs - start) / 1000).toFixed(3);
      node.options.log.notice(`DB loaded from ${ai.type === 'b' ? 'base' : 'incr'} file ${ai.name}: ${seconds} seconds`);
    }
    // An empty incr file counts for nothing: another file had data.
    if (status === 'empty' && ai.type === 'i') status = 'ok';
    if (status === 'truncated' && !last) {
      node.options.log.warning('Fatal error: the truncated file is not the last file');
      return 'failed';
    }
    if (status === 'open-error' || status === 'failed') return status;
  }
  aof.currentSize = total;
  aof.baseSize = baseSize;
  return status;
}

/** loadSingleAppendOnlyFile. */
function loadSingleFile(node: RedisNode, aof: AppendOnly, name: string): AofLoadStatus {
  const log = node.options.log;
  const bytes = node.disk.read(aof.path(name));
  if (!bytes) {
    log.warning(`The append log file ${name} doesn't exist: No such file or directory`);
    return 'not-exist';
  }
  if (bytes.length === 0) return 'empty';
  let at = 0;
  if (latin1(bytes, 0, 5) === 'REDIS') {
    // The appendonly.aof of Redis before 7.0 (moved into the directory): an RDB preamble, then commands.
    const oldStyle = name === configValues(node).text('appendfilename');
    log.notice(oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    const loaded = rdbLoadBytes(node, bytes);
    if (!loaded.ok) {
      log.warning(oldStyle ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted` : `Error reading the RDB base file ${name}, AOF loading aborted`);
      return 'failed';
    }
    at = loaded.length;
    if (oldStyle) log.notice('Reading the remaining AOF tail...');
  }
  const truncatedOk = configValues(node).text('aof-load-truncated') === 'yes';
  const replay = new Replay(node);
  let validUpTo = at;
  let validBeforeMulti = at;

  // fgets: a line up to and with its '\n', or LINE_MAX - 1 bytes; null at the end of the file.
  const fgets = (): Uint8Array | null => {
    if (at >= bytes.length) return null;
    let end = at;
    while (end < bytes.length && end - at < LINE_MAX - 1) if (bytes[end++] === 0x0a) break;
    const line = bytes.subarray(at, end);
    at = end;
    return line;
  };

  const unexpectedEnd = (): AofLoadStatus => {
    if (truncatedOk) {
      log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
      log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
      node.disk.write(aof.path(name), bytes.slice(0, validUpTo));
      log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
      return 'truncated';
    }
    log.warning(
      `Unexpected end of file reading the append only file ${name}. You can: ` +
        '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
        "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    );
    return 'failed';
  };
  const formatError = (): AofLoadStatus => {
    log.warning(`Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
    return 'failed';
  };

  for (;;) {
    const header = fgets();
    if (!header) break;
    if (header[0] === 0x23) continue; // '#': an annotation
    if (header[0] !== 0x2a) return formatError();
    if (header.length === 1) return unexpectedEnd(); // "*" and the end of the file
    const argc = atoi(latin1(header, 1));
    if (argc < 1) return formatError();
    const argv: Uint8Array[] = [];
    for (let j = 0; j < argc; j++) {
      const lenLine = fgets();
      if (!lenLine) return unexpectedEnd();
      if (lenLine[0] !== 0x24) return formatError();
      const len = Math.max(0, atoll(latin1(lenLine, 1))); // strtol
      if (len > 0 && at + len > bytes.length) return unexpectedEnd();
      argv.push(bytes.slice(at, at + len));
      at += len;
      // The CRLF after the argument: two bytes, whatever they are.
      if (at + 2 > bytes.length) return unexpectedEnd();
      at += 2;
    }
    const outcome = replay.run(argv);
    if (outcome === 'unknown') {
      log.warning(`Unknown command '${latin1(argv[0]!)}' reading the append only file ${name}`);
      return 'failed';
    }
    if (outcome === 'multi') validBeforeMulti = validUpTo;
    if (truncatedOk) validUpTo = at;
  }
  if (replay.inMulti) {
    log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    validUpTo = validBeforeMulti;
    return unexpectedEnd();
  }
  return 'ok';
}

/** The AOF's client: commands run as cmd->proc(fakeClient) runs them, MULTI queueing until EXEC. */
class Replay {
  private queue: Uint8Array[][] | null = null;
  constructor(private readonly node: RedisNode) {}

  get inMulti(): boolean {
    return this.queue !== null;
  }

  run(argv: Uint8Array[]): 'unknown' | 'multi' | 'ok' {
    const name = latin1(argv[0]!).toLowerCase();
    if (!this.node.knowsCommand(argv)) return 'unknown';
    // Loading cannot wait for a lazy part: the host loads them all first (worker/host.ts).
    const part = missingPart([name]);
    if (part) throw new Error(`${part.name} must be loaded before an AOF that uses ${name.toUpperCase()} is`);
    if (name === 'multi' && !this.queue) {
      this.queue = [];
      return 'multi';
    }
    if (this.queue && name !== 'exec') {
      this.queue.push(argv);
      return 'ok';
    }
    if (name === 'exec' && this.queue) {
      const queued = this.queue;
      this.queue = null;
      for (const q of queued) this.node.runLoadedCommand(q);
      return 'ok';
    }
    this.node.runLoadedCommand(argv);
    return 'ok';
  }
}

