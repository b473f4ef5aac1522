// The multi-part AOF's manifest (aof.c of 7.0.15): one line per file,
// "file <name> seq <n> type <b|h|i>", the base first, then history files,
// then the incremental files in sequence order. Read with Redis's checks,
// each failure with the words Redis logs before it exits.
import { atoll, fromLatin1, latin1, repr } from '../bytes.ts';
import { splitArgs } from '../resp/split-args.ts';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export interface AofManifest {
  base: AofInfo | null;
  history: AofInfo[];
  incr: AofInfo[];
  currBaseSeq: number;
  currIncrSeq: number;
}

export const emptyManifest = (): AofManifest => ({ base: null, history: [], incr: [], currBaseSeq: 0, currIncrSeq: 0 });

/** sdsneedsrepr: a name with spaces, quotes, backslashes or unprintable bytes is written quoted. */
function needsRepr(name: string): boolean {
  return /[\\"\s\x00-\x1f\x7f-\xff]/.test(name);
}

/** getAofManifestAsString. */
export function formatManifest(m: AofManifest): string {
  const line = (ai: AofInfo) => `file ${needsRepr(ai.name) ? repr(fromLatin1(ai.name)) : ai.name} seq ${ai.seq} type ${ai.type}\n`;
  return [m.base, ...m.history, ...m.incr].filter((ai): ai is AofInfo => ai !== null).map(line).join('');
}

/** Why a manifest was refused: the line and its number when one is at fault. */
export interface ManifestError {
  readonly error: string;
  readonly linenum?: number;
  readonly line?: string;
}

/** MANIFEST_MAX_LINE: fgets reads at most this many bytes of a line. */
const MAX_LINE = 1024;

/** aofLoadManifestFromFile. */
export function parseManifest(bytes: Uint8Array): AofManifest | ManifestError {
  const m = emptyManifest();
  let maxSeq = 0;
  let linenum = 0;
  let at = 0;
  for (;;) {
    if (at >= bytes.length) {
      if (linenum === 0) return { error: 'Found an empty AOF manifest' };
      return m;
    }
    // fgets: up to and including '\n', at most MAX_LINE bytes.
    let end = at;
    while (end < bytes.length && end - at < MAX_LINE && bytes[end] !== 0x0a) end++;
    const hasNewline = end < bytes.length && bytes[end] === 0x0a;
    const raw = bytes.subarray(at, hasNewline ? end + 1 : end);
    at = hasNewline ? end + 1 : end;
    linenum++;
    if (raw[0] === 0x23) continue; // '#': a comment
    if (!hasNewline) return { error: 'The AOF manifest file contains too long line' };
    const line = latin1(raw).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    const fail = (error: string): ManifestError => ({ error, linenum, line });
    if (!line) return fail('Invalid AOF manifest file format');
    const argv = splitArgs(fromLatin1(line));
    if (!argv || argv.length < 6 || argv.length % 2) return fail('Invalid AOF manifest file format');
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const key = latin1(argv[i]!).toLowerCase();
      const value = latin1(argv[i + 1]!);
      if (key === 'file') {
        name = value;
        if (name.includes('/')) return fail("File can't be a path, just a filename");
      } else if (key === 'seq') seq = atoll(value);
      else if (key === 'type') type = value[0] ?? '';
    }
    if (!name || !seq || !type) return fail('Invalid AOF manifest file format');
    if (type === 'b') {
      if (m.base) return fail('Found duplicate base file information');
      m.base = { name, seq, type };
      m.currBaseSeq = seq;
    } else if (type === 'h') {
      m.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxSeq) return fail('Found a non-monotonic sequence number');
      m.incr.push({ name, seq, type });
      m.currIncrSeq = seq;
      maxSeq = seq;
    } else return fail('Unknown AOF file type');
  }
}

