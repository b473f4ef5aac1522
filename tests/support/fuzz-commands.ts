// Random commands for the command fuzz: names from the command table
// (subcommands as Redis spells them), argument counts around each arity,
// arguments from a vocabulary that reaches the parsers' corners (keys of
// every type, numbers at and past the 64-bit limits, floats Redis refuses,
// option words, binary bytes with NUL, CR and LF, long strings), all from a
// seeded generator: the same seed gives the same commands.
import { COMMAND_TABLE } from '../../src/engine/commands/table.generated.ts';
import type { CommandSpec } from '../../src/engine/commands/spec.ts';
import type { rng as seededRng } from './seeded.ts';

type Rng = ReturnType<typeof seededRng>;

/**
 * Commands the fuzz leaves out, and why: they end the process or its
 * connection for good, change what the connection is (a replica link, a
 * subscriber, a monitor), or make every later command pointless.
 */
export const FUZZ_EXCLUDED: Readonly<Record<string, string>> = {
  shutdown: 'ends the process (SHUTDOWN has its own tests)',
  debug: 'DEBUG SEGFAULT, SLEEP, RELOAD, POPULATE with any count: a crash or unbounded work by design',
  monitor: 'the connection becomes a monitor',
  subscribe: 'the connection enters subscribed mode',
  psubscribe: 'the connection enters subscribed mode',
  ssubscribe: 'the connection enters subscribed mode',
  sync: 'the connection becomes a replica link (an RDB follows)',
  psync: 'the connection becomes a replica link (an RDB follows)',
  replicaof: 'the node would follow another and refuse every write',
  slaveof: 'the node would follow another and refuse every write',
  failover: 'needs replicas; changes the role',
  'client|pause': 'pauses every client for the timeout given',
  'client|kill': 'may kill the fuzz connection',
  'acl|setuser': 'may lock the fuzz connection out (NOAUTH for every later command)',
  'acl|deluser': 'may lock the fuzz connection out',
  'acl|load': 'may lock the fuzz connection out',
  'config|set': 'may set limits (maxmemory, proto-max-bulk-len) that make every later command fail alike',
};

/** The keys the fuzz uses; fillCommands gives them a type each (k5 stays missing). */
export const FUZZ_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6'];

/** What each run starts from: a string, a list, a hash, a set, a sorted set, a missing key, a stream-free string of digits. */
export const FILL_KEYS: readonly string[][] = [
  ['SET', 'k0', 'hello'],
  ['RPUSH', 'k1', 'a', 'b', 'c', '1', '2'],
  ['HSET', 'k2', 'f1', 'v1', 'f2', '2'],
  ['SADD', 'k3', 'a', 'b', '1', '2'],
  ['ZADD', 'k4', '1', 'a', '2', 'b', '3.5', 'c'],
  ['SET', 'k6', '12345'],
];

const NUMBERS = ['0', '1', '-1', '2', '3', '10', '100', '-100', '5', '1000'];
const EDGE_NUMBERS = [
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '4294967296',
  '2147483648',
  '007',
  '+1',
  '-0',
  ' 1',
  '1 ',
  '0x10',
  '1e3',
];
const FLOATS = ['1.5', '-0.5', '0.0', '1e308', '1e400', '-1e400', 'inf', '-inf', '+inf', 'nan', '.5', '5.', '1.2.3', '(1', '(1.5', '[a', '(a', '-', '+'];
const WORDS = (
  'NX XX GT LT CH INCR EX PX EXAT PXAT KEEPTTL GET WITHSCORES WITHSCORE LIMIT BYSCORE BYLEX REV MATCH COUNT TYPE STORE ' +
  'ALPHA ASC DESC BY LEFT RIGHT BEFORE AFTER RANK MAXLEN MINID IDLE TIME RETRYCOUNT FORCE JUSTID WEIGHTS AGGREGATE SUM ' +
  'MIN MAX LEN IDX MINMATCHLEN WITHMATCHLEN REPLACE ABSTTL FREQ DB COPY ASYNC SYNC FLUSH APPEND SCHEMA RESET ON OFF ' +
  'YES NO TIMEOUT BLOCK STREAMS GROUP NOACK ID MKSTREAM ENTRIESREAD WITHVALUES ENCODING REFCOUNT HELP NUMSUB NUMPAT ' +
  'CHANNELS LIST INFO ID SETNAME GETNAME NOLOOP TRACKING GETREDIR UNBLOCK ERROR REPLY SKIP LOAD EXISTS KILL STATS DUMP ' +
  'RESTORE DELETE RESETSTAT REWRITE DOCTOR USAGE SAMPLES LATEST HISTORY GRAPH SLOTS NODES FLAGS'
).split(' ');
const STREAM_IDS = ['*', '$', '>', '0', '0-0', '0-1', '1-0', '1-1', '18446744073709551615-18446744073709551615'];

/** One argument. */
export function randomArg(r: Rng): Uint8Array {
  const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const pick = <T>(a: readonly T[]) => a[r.int(0, a.length - 1)];
  const roll = r.next();
  if (roll < 0.25) return enc(pick(FUZZ_KEYS));
  if (roll < 0.42) return enc(pick(NUMBERS));
  if (roll < 0.5) return enc(pick(EDGE_NUMBERS));
  if (roll < 0.58) return enc(pick(FLOATS));
  if (roll < 0.78) return enc(r.next() < 0.7 ? pick(WORDS) : pick(WORDS).toLowerCase());
  if (roll < 0.82) return enc(pick(STREAM_IDS));
  if (roll < 0.86) return new Uint8Array(0);
  if (roll < 0.88) return new Uint8Array(r.int(100, 5000)).fill(0x78);
  // Binary: NUL, CR, LF, high bytes.
  return r.bytes(r.int(1, 12));
}

interface Entry {
  readonly words: string[];
  readonly spec: CommandSpec;
}

/** Every command and subcommand the fuzz may send, as the words that name it. */
export function fuzzCommands(excluded: Readonly<Record<string, string>> = FUZZ_EXCLUDED): Entry[] {
  const out: Entry[] = [];
  for (const c of COMMAND_TABLE) {
    if (excluded[c.name]) continue;
    out.push({ words: [c.name], spec: c });
    for (const s of c.subcommands ?? []) {
      if (excluded[s.name]) continue;
      out.push({ words: s.name.split('|'), spec: s });
    }
  }
  return out;
}

/** A random command: a table entry (now and then an unknown name), and arguments around its arity. */
export function randomCommand(r: Rng, entries: readonly Entry[]): Uint8Array[] {
  const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  if (r.next() < 0.02) return [r.bytes(r.int(1, 8)), ...Array.from({ length: r.int(0, 3) }, () => randomArg(r))];
  const e = entries[r.int(0, entries.length - 1)];
  const arity = e.spec.arity;
  const min = Math.abs(arity) - e.words.length;
  let n = arity > 0 ? min : min + r.int(0, 5);
  if (r.next() < 0.08) n = Math.max(0, n + (r.next() < 0.5 ? -1 : 1));
  const words = e.words.map((w) => (r.next() < 0.5 ? w.toUpperCase() : w));
  return [...words.map(enc), ...Array.from({ length: n }, () => randomArg(r))];
}

/** A command as text for a failure message (non-printable bytes escaped). */
export function showArgv(argv: readonly Uint8Array[]): string {
  return argv
    .map((a) => {
      let s = '';
      for (const b of a.subarray(0, 60)) s += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
      return `"${s}${a.length > 60 ? `...(${a.length} bytes)` : ''}"`;
    })
    .join(' ');
}
