// Golden transcripts: command scripts (tests/golden/cases/*.cmds) and the
// exact reply bytes a real redis-server gave for them (tests/golden/*.golden).
//
// A case line is either a command in redis-cli quoting (sent as a RESP
// multibulk, one reply expected), or `raw N "<bytes>"`: the bytes sent as
// they are (JSON string escapes), N replies expected, or `read N`: nothing
// sent, N replies expected (pub/sub messages that another connection's
// step caused, a blocked command's answer). A command that answers with
// several replies (SUBSCRIBE with several channels, a write that a RESP3
// connection subscribed to its own keyspace events answers with pushes and
// its reply) is written `=N <command>`; `=0 <command>` for one that answers
// later (BLPOP blocks: a later `read 1` on its connection takes the
// answer). A `read` step waits for its replies: the real server may send
// them later (a timeout of BLPOP k 0.1), and the engine runner lets
// virtual time pass until they come (runners.ts). After each step the transcript records whether the
// server closed the connection; the next step on it then opens a new one.
// Lines starting with # are comments.
//
// Connections. A step runs on the transcript's main connection, or, when
// the line starts with `@name `, on the connection of that name, opened
// at its first step (for pub/sub: a subscriber and a publisher). Each
// connection reads its own replies, in order. A pub/sub case ends with a
// PING on each subscriber, so that a message the engine sent and the real
// server did not (or the reverse) shows up as a difference.
//
// Waiting for the server. Steps on different connections of a real
// server are not ordered by the order they were sent in: a command written
// on one socket may be read after a command written later on another. A
// step `?<text> <command>` (one reply) is sent again, a bounded number of
// times, until its reply contains <text>: `@b ?blocked_clients:2 INFO
// clients` waits until two clients are blocked, so what another connection
// sent before has been run. The engine runs it once: its order is the
// order sent, and a reply without <text> is a difference to show.
//
// The prefixes come in this order: `@name`, `?until`, `~tolerance`, `=N`.
//
// Tolerances. A step may start with `~name `: the .golden file still keeps
// the exact bytes the real server sent, but the comparison (golden.test.ts
// against the engine, differential.test.ts against `npm run serve`) applies
// the tolerance to both sides' replies first (comparable() below). Each
// tolerance covers that one step only, is for a reply that cannot be
// byte-equal for a stated reason, and never hides a difference of kind: an
// error is always compared exactly, and so is any reply the tolerance is
// not about.
//
//   ~sorted  The reply, when it is an array (or a RESP3 set) of bulk
//            strings, is compared as
//            a multiset: its count exactly, its elements sorted. For KEYS,
//            which lists keys in the order of Redis's hash table (dict.c's
//            buckets, siphash with a per-process random seed): the engine
//            keeps insertion order and real Redis's order is not even
//            stable from one run to the next.
//   ~type    Integers are compared by class: a negative integer exactly
//            (TTL's -1 "no expire" and -2 "no key"), any integer >= 0 as
//            just ">= 0". Bulk strings by presence: a nil exactly, any
//            other bulk string as just "a bulk string". For replies that
//            depend on the clock or on chance: PTTL, EXPIRETIME and
//            PEXPIRETIME after a relative EXPIRE, TTL and PTTL to an
//            absolute time (the engine's clock is DEFAULT_EPOCH_MS,
//            2026-01-01, and stands still during a golden run; the real
//            server's is the real date and moves, so even PTTL right after
//            EXPIRE k 100 is 99999 there), and RANDOMKEY with more than one
//            key. TTL right after a relative EXPIRE needs no tolerance: it
//            rounds to the nearest second.
//   ~sortedpairs  The reply, when it is a flat array of an even number of
//            bulk strings (RESP2's form of a map: field, value, field,
//            value, ...) or a RESP3 map of bulk strings, is compared as a
//            multiset of (field, value) pairs: its count exactly, its pairs
//            sorted, each value kept with its field. For HGETALL and
//            HRANDFIELD ... WITHVALUES on a hash that Redis keeps as a
//            hashtable: it lists those in its dict's order (the same random
//            per-process seed as KEYS), the engine in insertion order.
//   ~info    The reply, when it is a bulk string (or a RESP3 verbatim
//            string) of INFO text ("name:value"
//            lines under "# Section" headers) or of CLIENT LIST / CLIENT
//            INFO lines ("key=value" fields), is compared line by line with
//            every section, field name and order exact, and every value
//            exact but those that differ by nature between two processes,
//            which are replaced by "~" (INFO_VARYING and CLIENT_VARYING
//            below say which and why). The lines of Commandstats and
//            Latencystats are sorted: Redis lists commands in its dict's
//            order (the random per-process seed again); so are CLIENT
//            LIST's, listed in the order the connections landed, which for
//            a harness opening them concurrently is not fixed.
//   ~hello   A HELLO reply (a flat array in RESP2, a map in RESP3; also
//            inside EXEC's reply) with the value of its `id` field replaced
//            by "~": the client id, which depends on how many connections
//            the harness opened before (as CLIENT ID's ~type); every other
//            field and byte exact.
//   ~scan    A SCAN-family reply ([cursor, [elements]]) over a hash table:
//            Redis's cursor walks its dict's buckets, which follow the
//            per-process hash seed, and the engine's cursor is its own
//            (commands/scan.ts). A cursor of 0 (the scan ended: every
//            element came in this reply) is compared exactly with the
//            elements as a multiset; any other cursor only as "not 0",
//            with the elements only as an array of bulk strings, since
//            two servers cut a scan at different places.
//   ~scanpairs  The same for HSCAN and ZSCAN, the elements compared as a
//            multiset of (field, value) pairs.
//   ~aclrules  Every bulk string of the reply (at any depth: ACL LIST's
//            lines, ACL GETUSER's "commands" values) with each run of
//            single-command rules ("+get", "-config|set", "+select|0")
//            compared as a multiset: Redis rebuilds those rules by walking
//            its command dict, whose order follows the per-process hash
//            seed (two real servers print "+get +set" and "+set +get"); the
//            engine walks its table. Everything else exact, the categories'
//            rules and their order included.
//   ~acllog  An ACL LOG reply with each entry's age-seconds replaced by "~"
//            (the time since the denial: the real clock moves, the engine's
//            stands still) and its client-info masked as ~info masks a
//            CLIENT LIST line (the connection's id, address, fd, age).
//   ~debugobject  DEBUG OBJECT's line with the values of "Value at" (an
//            address), "lru" (the LRU clock: the real date there, the
//            engine's epoch here) and "lru_seconds_idle" (how long ago, by
//            a clock the cron updates) replaced by "~".
//   ~slowlog  SLOWLOG GET with each entry's unix time and duration in
//            microseconds masked (a command takes no virtual time here, a
//            few µs there) and its client's port (each side's own); ids,
//            arguments as trimmed, "?:0" for a script's commands, names exact.
//   ~latencyhist  LATENCY HISTOGRAM with each command's histogram_usec
//            buckets masked (real latencies there; here every call takes
//            no virtual time, so all samples are in the first bucket);
//            the commands, their order and their calls exact.
//   ~memstats  MEMORY STATS with every number masked: the figures are the
//            engine's memory model (docs/compat.md), jemalloc's there; the
//            fields, their order, the databases listed and the types exact.
//   ~streamtimes  For XPENDING's extended form, XINFO CONSUMERS and XINFO
//            STREAM FULL: the reply compared as a tree with the times a
//            stream's consumer groups keep masked, each at its place (a
//            pending entry's idle time or delivery time, a consumer's idle
//            time or seen-time: the real date there, the engine's epoch
//            here; stream-times.ts); IDs, names, counts and every other
//            value exact.
//
// Server arguments. Lines starting with `#!` give the arguments the
// servers of the transcript start with (redis-server's `--name value`),
// e.g. `#! --enable-debug-command yes`; serverArgs() reads them.

import { splitArgs } from '../../src/engine/resp/split-args.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1, utf8 } from '../../src/engine/bytes.ts';
import { ReplyReader } from '../../src/engine/resp/reply-reader.ts';
import { comparableStreamReply } from './stream-times.ts';

/** How a step's replies are compared; see the top of this file. */
export type Tolerance = 'sorted' | 'type' | 'sortedpairs' | 'info' | 'hello' | 'scan' | 'scanpairs' | 'debugobject' | 'aclrules' | 'acllog' | 'streamtimes' | 'slowlog' | 'latencyhist' | 'memstats';
const TOLERANCES: readonly Tolerance[] = ['sorted', 'type', 'sortedpairs', 'info', 'hello', 'scan', 'scanpairs', 'debugobject', 'aclrules', 'acllog', 'streamtimes', 'slowlog', 'latencyhist', 'memstats'];

export interface Step {
  /** The case line, as written (with its tolerance prefix, if any). */
  readonly source: string;
  readonly bytes: Uint8Array;
  readonly replies: number;
  readonly tolerance?: Tolerance;
  /** The connection it runs on: the name after `@`; the main one when absent or ''. */
  readonly conn?: string;
  /** `?<text>`: a real server is asked again until the reply contains this (see the top of this file). */
  readonly until?: string;
}

export interface RecordedStep extends Step {
  readonly output: readonly Uint8Array[];
  readonly closed: boolean;
}

export interface Transcript {
  readonly name: string;
  readonly server: string;
  readonly steps: readonly RecordedStep[];
}

/** Something that runs a step: a real server, `npm run serve`, or the in-process engine. */
export interface StepRunner {
  run(step: Step): Promise<{ output: Uint8Array[]; closed: boolean }>;
}

export function parseCases(text: string): Step[] {
  const steps: Step[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let body = trimmed;
    let conn = '';
    const named = /^@(\S+) +(.*)$/.exec(body);
    if (named) {
      conn = named[1];
      body = named[2];
    }
    let until: string | undefined;
    const waiting = /^\?(\S+) +(.*)$/.exec(body);
    if (waiting) {
      until = waiting[1];
      body = waiting[2];
    }
    let tolerance: Tolerance | undefined;
    const prefix = /^~(\S*) +(.*)$/.exec(body);
    if (prefix) {
      if (!TOLERANCES.includes(prefix[1] as Tolerance)) throw new Error(`unknown tolerance '~${prefix[1]}' in case line: ${line}`);
      tolerance = prefix[1] as Tolerance;
      body = prefix[2];
    } else if (body.startsWith('~')) {
      throw new Error(`a tolerance needs a step after it: ${line}`);
    }
    if (/^@\S+ /.test(body)) throw new Error(`the connection (@name) comes before the tolerance: ${line}`);
    const extra = { conn, ...(tolerance ? { tolerance } : {}), ...(until ? { until } : {}) };
    const raw = /^raw (\d+) (".*")$/.exec(body);
    if (raw) {
      const text = JSON.parse(raw[2]) as string;
      steps.push({ source: trimmed, bytes: isLatin1(text) ? fromLatin1(text) : utf8(text), replies: Number(raw[1]), ...extra });
      continue;
    }
    const read = /^read (\d+)$/.exec(body);
    if (read) {
      steps.push({ source: trimmed, bytes: new Uint8Array(0), replies: Number(read[1]), ...extra });
      continue;
    }
    let replies = 1;
    const count = /^=(\d+) +(.*)$/.exec(body);
    if (count) {
      replies = Number(count[1]);
      body = count[2];
    }
    const argv = splitArgs(utf8(body));
    if (!argv || argv.length === 0) throw new Error(`bad case line: ${line}`);
    steps.push({ source: trimmed, bytes: encodeCommand(argv), replies, ...extra });
  }
  return steps;
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/** A JSON string of the bytes, every byte outside printable ASCII escaped, so files stay ASCII. */
const show = (bytes: Uint8Array) =>
  JSON.stringify(latin1(bytes)).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function formatTranscript(t: Transcript): string {
  const out = [
    `# golden transcript: ${t.name}`,
    `# server: ${t.server}`,
    `# captured by scripts/capture-golden.ts from tests/golden/cases/${t.name}.cmds; do not edit, re-capture`,
  ];
  for (const s of t.steps) {
    out.push(`> ${s.source}`);
    for (const o of s.output) out.push(`< ${show(o)}`);
    if (s.closed) out.push('< (closed)');
  }
  return out.join('\n') + '\n';
}

export function parseTranscript(name: string, text: string, cases: readonly Step[]): Transcript {
  const lines = text.split('\n');
  const server = /^# server: (.*)$/m.exec(text)?.[1];
  if (!server) throw new Error(`${name}.golden has no '# server:' header`);
  const steps: RecordedStep[] = [];
  let current: { source: string; output: Uint8Array[]; closed: boolean } | null = null;
  const flush = () => {
    if (!current) return;
    const step = cases[steps.length];
    if (!step || step.source !== current.source) {
      throw new Error(`${name}.golden is out of date with cases/${name}.cmds at '${current.source}': re-capture`);
    }
    steps.push({ ...step, output: current.output, closed: current.closed });
  };
  for (const line of lines) {
    if (line.startsWith('> ')) {
      flush();
      current = { source: line.slice(2), output: [], closed: false };
    } else if (line === '< (closed)') {
      current!.closed = true;
    } else if (line.startsWith('< ')) {
      current!.output.push(fromLatin1(JSON.parse(line.slice(2))));
    }
  }
  flush();
  if (steps.length !== cases.length) throw new Error(`${name}.golden has ${steps.length} steps, cases/${name}.cmds has ${cases.length}: re-capture`);
  return { name, server, steps };
}

export async function record(runner: StepRunner, steps: readonly Step[]): Promise<RecordedStep[]> {
  const out: RecordedStep[] = [];
  for (const step of steps) {
    try {
      out.push({ ...step, ...(await runner.run(step)) });
    } catch (e) {
      throw new Error(`step ${out.length} (${step.source}): ${String(e)}`);
    }
  }
  return out;
}

/**
 * A step's replies as the runners compare them: the bytes as a string of
 * byte values, with the step's tolerance applied (the top of this file).
 */
export function comparable(step: Step, output: readonly Uint8Array[]): string[] {
  return output.map((bytes) => {
    const text = latin1(bytes);
    if (step.tolerance === 'sorted') return sortedForm(text) ?? text;
    if (step.tolerance === 'type') return typeForm(text) ?? text;
    if (step.tolerance === 'sortedpairs') return sortedPairsForm(text) ?? text;
    if (step.tolerance === 'info') return infoForm(text) ?? text;
    if (step.tolerance === 'hello') return helloForm(text) ?? text;
    if (step.tolerance === 'scan' || step.tolerance === 'scanpairs') return scanForm(text, step.tolerance === 'scanpairs') ?? text;
    if (step.tolerance === 'debugobject') return debugObjectForm(text) ?? text;
    if (step.tolerance === 'aclrules') return aclRulesForm(text) ?? text;
    if (step.tolerance === 'acllog') return aclLogForm(text) ?? text;
    if (step.tolerance === 'streamtimes') return streamTimesForm(step, bytes);
    if (step.tolerance === 'slowlog') return slowlogForm(text) ?? text;
    if (step.tolerance === 'latencyhist') return latencyHistForm(text) ?? text;
    if (step.tolerance === 'memstats') return memStatsForm(text) ?? text;
    return text;
  });
}

/** An array (or a RESP3 set) of bulk strings with its elements sorted; null for any other reply. */
function sortedForm(text: string): string | null {
  const head = /^[*~](\d+)\r\n/.exec(text);
  if (!head) return null;
  const items = bulkItems(text, head[0].length, Number(head[1]));
  if (!items) return null;
  items.sort();
  return `(~sorted) ${head[0]}${items.join('')}`;
}

/** `count` bulk strings from `at` to the end of the text, each with its header; null if it is not exactly that. */
function bulkItems(text: string, at: number, count: number): string[] | null {
  const items: string[] = [];
  for (let i = 0; i < count; i++) {
    const bulk = /^\$(\d+)\r\n/.exec(text.slice(at, at + 24));
    if (!bulk) return null;
    const start = at + bulk[0].length;
    const end = start + Number(bulk[1]);
    if (text.slice(end, end + 2) !== '\r\n') return null;
    items.push(text.slice(at, end + 2));
    at = end + 2;
  }
  return at === text.length ? items : null;
}

/** A flat array of 2n bulk strings, or a RESP3 map of n pairs of them, with its pairs sorted; null for any other reply. */
function sortedPairsForm(text: string): string | null {
  const head = /^(?:\*(\d+)|%(\d+))\r\n/.exec(text);
  if (!head) return null;
  const count = head[1] !== undefined ? Number(head[1]) : 2 * Number(head[2]);
  if (count % 2 !== 0) return null;
  const items = bulkItems(text, head[0].length, count);
  if (!items) return null;
  const pairs: string[] = [];
  for (let i = 0; i < items.length; i += 2) pairs.push(items[i] + items[i + 1]);
  pairs.sort();
  return `(~sortedpairs) ${head[0]}${pairs.join('')}`;
}

/** A SCAN-family reply as ~scan and ~scanpairs compare it; null for any other reply. */
function scanForm(text: string, pairs: boolean): string | null {
  const head = /^\*2\r\n\$(\d+)\r\n(\d+)\r\n\*(\d+)\r\n/.exec(text);
  if (!head || head[2].length !== Number(head[1])) return null;
  const items = bulkItems(text, head[0].length, Number(head[3]));
  if (!items || (pairs && items.length % 2 !== 0)) return null;
  if (head[2] !== '0') return `(~scan) a cursor other than 0 and ${pairs ? 'pairs' : 'elements'}`;
  const sorted = pairs ? items.flatMap((_, i) => (i % 2 === 0 ? [items[i] + items[i + 1]] : [])) : items.slice();
  sorted.sort();
  return `(~scan) cursor 0, ${items.length} elements: ${sorted.join('')}`;
}

/** A reply with the stream times masked (~streamtimes), the step's command read back from its bytes. */
function streamTimesForm(step: Step, bytes: Uint8Array): string {
  const reader = new ReplyReader();
  reader.feed(step.bytes);
  const cmd = reader.next();
  if (cmd?.type !== 'array') return latin1(bytes);
  const argv = cmd.items.map((a) => (a.type === 'bulk' ? latin1(a.value) : ''));
  return `(~streamtimes) ${comparableStreamReply(argv, bytes)}`;
}

/** DEBUG OBJECT's status line with its address and LRU fields masked; null for any other reply. */
function debugObjectForm(text: string): string | null {
  if (!text.startsWith('+Value at:')) return null;
  return '(~debugobject) ' + text.replace(/^\+Value at:\S+/, '+Value at:~').replace(/ lru:\d+ lru_seconds_idle:\d+/, ' lru:~ lru_seconds_idle:~');
}

/**
 * Walks one RESP reply and rebuilds it with each bulk string passed
 * through `bulk` (given the bulk string before it in the walk, for
 * map-like replies); null when the text is not exactly one whole reply.
 */
function mapBulks(text: string, bulk: (content: string, previous: string | null) => string): string | null {
  let at = 0;
  let previous: string | null = null;
  let out = '';
  const element = (): boolean => {
    const eol = text.indexOf('\r\n', at);
    if (eol < 0) return false;
    const head = text.slice(at, eol);
    at = eol + 2;
    const type = head[0];
    const n = Number(head.slice(1));
    if (type === '$' && n >= 0) {
      const content = text.slice(at, at + n);
      if (text.slice(at + n, at + n + 2) !== '\r\n') return false;
      at += n + 2;
      const mapped = bulk(content, previous);
      previous = content;
      out += `$${mapped.length}\r\n${mapped}\r\n`;
      return true;
    }
    out += head + '\r\n';
    previous = null;
    if ('*~>%'.includes(type) && n > 0) {
      for (let i = 0; i < (type === '%' ? 2 * n : n); i++) if (!element()) return false;
    }
    return true;
  };
  return element() && at === text.length ? out : null;
}

/** A single-command rule of a describe string: +cmd, -cmd, +cmd|sub (a category rule has "@"). */
const SINGLE_RULE = /^[+-][^@]/;

/** The text of ACL rules with each run of single-command rules sorted (a closing parenthesis stays at the run's end). */
function sortSingleRules(content: string): string {
  const words = content.split(' ');
  const out: string[] = [];
  let run: string[] = [];
  let closed = false;
  const flush = () => {
    run.sort();
    if (closed && run.length > 0) run[run.length - 1] += ')';
    out.push(...run);
    run = [];
    closed = false;
  };
  for (const w of words) {
    const bare = w.endsWith(')') ? w.slice(0, -1) : w;
    if (SINGLE_RULE.test(bare)) {
      run.push(bare);
      if (bare !== w) {
        closed = true;
        flush();
      }
      continue;
    }
    flush();
    out.push(w);
  }
  flush();
  return out.join(' ');
}

function aclRulesForm(text: string): string | null {
  const mapped = mapBulks(text, sortSingleRules);
  return mapped === null ? null : `(~aclrules) ${mapped}`;
}

function aclLogForm(text: string): string | null {
  const mapped = mapBulks(text, (content, previous) => (previous === 'age-seconds' ? '~' : previous === 'client-info' ? maskLine(content) : content));
  if (mapped === null) return null;
  // RESP3 sends the age as a double (",0.001"), outside mapBulks's reach.
  return `(~acllog) ${mapped.replace(/(\$11\r\nage-seconds\r\n),[^\r]*\r\n/g, '$1,~\r\n')}`;
}

/** SLOWLOG GET with each entry's time and duration, and its client's port, replaced by "~"; null when it has no entry. */
function slowlogForm(text: string): string | null {
  const masked = text
    .replace(/(\*6\r\n:\d+\r\n):\d+\r\n:\d+\r\n/g, '$1:~\r\n:~\r\n')
    .replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, '$~\r\n127.0.0.1:~\r\n');
  return masked === text ? null : `(~slowlog) ${masked}`;
}

/** LATENCY HISTOGRAM with each command's buckets (real latencies there, none here) replaced by "~"; null when it has none. */
function latencyHistForm(text: string): string | null {
  const masked = text.replace(/(\$14\r\nhistogram_usec\r\n)[*%](\d+)\r\n((?::\d+\r\n)+)/g, '$1~\r\n');
  return masked === text ? null : `(~latencyhist) ${masked}`;
}

/** MEMORY STATS with every number (an integer, or a double as a bulk string or RESP3 double) replaced by "~". */
function memStatsForm(text: string): string | null {
  const masked = text
    .replace(/:-?\d+\r\n/g, ':~\r\n')
    .replace(/\$\d+\r\n-?[0-9][0-9.e+-]*\r\n/g, '$~\r\n~\r\n')
    .replace(/,-?[0-9][0-9.e+-]*\r\n/g, ',~\r\n');
  return masked === text ? null : `(~memstats) ${masked}`;
}

/** The server arguments of a case file: the words of its `#!` lines. */
export function serverArgs(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('#!'))
    .flatMap((l) => l.slice(2).trim().split(/\s+/).filter((w) => w !== ''));
}

/** The reply with the id of every HELLO reply in it (EXEC's too) masked; null when it has none. */
function helloForm(text: string): string | null {
  const masked = text.replace(/(\$5\r\nproto\r\n:[23]\r\n\$2\r\nid\r\n):\d+\r\n/g, '$1:~\r\n');
  return masked === text ? null : `(~hello) ${masked}`;
}

/** The class of an integer or bulk string reply; null for any other reply. */
function typeForm(text: string): string | null {
  const int = /^:(-?\d+)\r\n$/.exec(text);
  if (int) return BigInt(int[1]) < 0n ? text : '(~type) an integer >= 0';
  if (/^\$-1\r\n$/.test(text)) return text;
  const bulk = /^\$(\d+)\r\n/.exec(text);
  if (bulk && text.length === bulk[0].length + Number(bulk[1]) + 2 && text.endsWith('\r\n')) return '(~type) a bulk string';
  return null;
}

/**
 * INFO fields whose values differ between two real servers given the same
 * commands, and why:
 * - identity of the process and its host: process_id, run_id, master_replid
 *   (random at each start, like run_id), tcp_port (the
 *   harness picks a free port), executable and config_file (how it was
 *   started: a simulated node always runs with its redis.conf, the golden
 *   captures' real servers without a config file), os (the host's uname), maxclients (lowered to the host's
 *   open-file limit at start);
 * - the clock: server_time_usec, uptime_in_seconds, uptime_in_days,
 *   lru_clock, rdb_last_save_time, rdb_last_bgsave_time_sec (whole seconds
 *   of the wall clock between a BGSAVE's start and end: a second boundary
 *   may fall inside even a short save), and every rate or duration sampled by
 *   serverCron (instantaneous_*, expire_cycle_cpu_milliseconds,
 *   expired_stale_perc, latest_fork_usec, reply_buffer_shrinks and
 *   _expands, client_recent_max_*_buffer), and CPU time (used_cpu_*);
 * - jemalloc and the kernel: the memory figures below, which the engine
 *   estimates (docs/compat.md).
 */
const INFO_VARYING = new Set([
  'process_id', 'run_id', 'master_replid', 'tcp_port', 'executable', 'config_file', 'os', 'maxclients',
  'server_time_usec', 'uptime_in_seconds', 'uptime_in_days', 'lru_clock', 'rdb_last_save_time',
  'rdb_last_bgsave_time_sec', 'instantaneous_ops_per_sec', 'instantaneous_input_kbps', 'instantaneous_output_kbps',
  'instantaneous_input_repl_kbps', 'instantaneous_output_repl_kbps', 'expire_cycle_cpu_milliseconds',
  'expired_stale_perc', 'latest_fork_usec', 'reply_buffer_shrinks', 'reply_buffer_expands',
  'client_recent_max_input_buffer', 'client_recent_max_output_buffer',
  'used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children',
  'used_cpu_sys_main_thread', 'used_cpu_user_main_thread',
  'used_memory', 'used_memory_human', 'used_memory_rss', 'used_memory_rss_human', 'used_memory_peak',
  'used_memory_peak_human', 'used_memory_peak_perc', 'used_memory_overhead', 'used_memory_startup',
  'used_memory_dataset', 'used_memory_dataset_perc', 'allocator_allocated', 'allocator_active',
  'allocator_resident', 'total_system_memory', 'total_system_memory_human', 'allocator_frag_ratio',
  'allocator_frag_bytes', 'allocator_rss_ratio', 'allocator_rss_bytes', 'rss_overhead_ratio',
  'rss_overhead_bytes', 'mem_fragmentation_ratio', 'mem_fragmentation_bytes', 'mem_clients_normal',
]);

/**
 * CLIENT LIST fields that differ by nature: the connection's identity (id,
 * addr, laddr, fd: what the process and the kernel handed out), its age and
 * idle time (the clock), the reply buffer's size and peak (rbs, rbp:
 * clientsCron shrinks the buffer and resets the peak on its own schedule),
 * and tot-mem (jemalloc's sizes, estimated).
 */
const CLIENT_VARYING = new Set(['id', 'addr', 'laddr', 'fd', 'age', 'idle', 'rbs', 'rbp', 'tot-mem']);

/** Sections whose lines follow a dict's order. */
const SORTED_SECTIONS = new Set(['# Commandstats', '# Latencystats']);

/** INFO or CLIENT LIST text with the varying values masked and dict-ordered sections sorted; null when not a bulk string. */
function infoForm(text: string): string | null {
  // A bulk string, or in RESP3 a verbatim string ("=<len>\r\ntxt:<text>\r\n").
  const bulk = /^(?:\$|=)(\d+)\r\n/.exec(text);
  if (!bulk || text.length !== bulk[0].length + Number(bulk[1]) + 2 || !text.endsWith('\r\n')) return null;
  const verbatim = text[0] === '=';
  if (verbatim && !text.startsWith('txt:', bulk[0].length)) return null;
  const body = text.slice(bulk[0].length + (verbatim ? 4 : 0), -2);
  const out: string[] = [];
  let group: string[] = [];
  // CLIENT LIST: clients in the order they connected, which for a harness's
  // concurrently opened connections is the order their connects landed in.
  let sortGroup = body.startsWith('id=');
  const flush = () => {
    if (sortGroup) group.sort();
    out.push(...group);
    group = [];
  };
  for (const line of body.split('\n')) {
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (bare.startsWith('# ')) {
      flush();
      sortGroup = SORTED_SECTIONS.has(bare);
      out.push(line);
      continue;
    }
    group.push(maskLine(line));
  }
  flush();
  return `(~info) ${verbatim ? '(verbatim) ' : ''}${out.join('\n')}`;
}

function maskLine(line: string): string {
  if (/^[a-z-]+=/.test(line)) {
    // CLIENT LIST: key=value fields separated by spaces.
    return line
      .split(' ')
      .map((field) => {
        const eq = field.indexOf('=');
        return eq > 0 && CLIENT_VARYING.has(field.slice(0, eq)) ? `${field.slice(0, eq)}=~` : field;
      })
      .join(' ');
  }
  const colon = line.indexOf(':');
  if (colon < 0) return line;
  const name = line.slice(0, colon);
  const cr = line.endsWith('\r') ? '\r' : '';
  if (INFO_VARYING.has(name)) return `${name}:~${cr}`;
  if (name.startsWith('cmdstat_')) return line.replace(/usec=\d+/, 'usec=~').replace(/usec_per_call=[\d.]+/, 'usec_per_call=~');
  if (name.startsWith('latency_percentiles_usec_')) return line.replace(/=[\d.]+/g, '=~');
  // avg_ttl: estimated by the active expiry cycle's samples.
  if (/^db\d+$/.test(name)) return line.replace(/avg_ttl=\d+/, 'avg_ttl=~');
  return line;
}
