// The seeded random differential of the stream type (tests/live/stream-random.test.ts):
// the command generator and the runner that sends each command to a real
// redis-server and to an engine node, and compares replies and DUMP
// payloads with the clock's traces masked (stream-times.ts).
import { encodeCommand, ReplyReader } from '../../src/engine/resp/reply-reader.ts';
import { comparableStreamReply, maskStreamDump } from './stream-times.ts';
import { RawClient } from './raw-client.ts';
import { engineSession, generator, type Generator } from './list-differential.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import { formatId, idMs, idSeq, MAX_ID, UINT64_MAX } from '../../src/engine/keyspace/stream-id.ts';
import { streamRange, type StreamValue } from '../../src/engine/keyspace/stream.ts';
import type { RedisNode } from '../../src/engine/node.ts';

const KEYS = ['x:a', 'x:b', 'x:c'];
const GROUPS = ['g1', 'g2', 'grp'];
const CONSUMERS = ['alice', 'bob', 'c', 'carol'];
const FIELD_SETS = [['a', 'b'], ['f'], ['name', 'age', 'city'], ['1', '-5'], ['a']];
const MIN_IDLE = ['0', '50000000', '10000000000000', '-5'];

function value(g: Generator): string {
  const k = g.int(0, 9);
  if (k <= 3) return 'v' + g.int(0, 99);
  if (k === 4) return String(g.pick([0, 1, -1, 127, 128, 4095, 4096, -4096, -4097, 32767, 8388608, 2147483648, -9223372036854775808n, 9223372036854775807n]));
  if (k === 5) return 'x'.repeat(g.pick([40, 63, 64, 120, 300]));
  if (k === 6 && g.random() < 0.2) return 'y'.repeat(g.pick([1500, 4100, 5000]));
  if (k === 7) return g.pick(['', '\x00', '\xff\xfe', '007', '-0', '1.5', '  3']);
  return String(g.int(0, 1000));
}

function streamOf(node: RedisNode, key: string): StreamValue | undefined {
  const v = node.keyspace.dbs[0].peek(keyName(fromLatin1(key)));
  return v?.type === 'stream' ? v : undefined;
}

/** Live IDs of a stream, and some that are not there. */
function someId(g: Generator, s: StreamValue | undefined): string {
  const live = s ? [...streamRange(s, 0n, MAX_ID)].map((e) => e.id) : [];
  if (live.length && g.random() < 0.75) return formatId(g.pick(live));
  return g.pick(['0-1', '1-0', '5', '18446744073709551615-18446744073709551615', String(g.int(0, 50)) + '-' + g.int(0, 3)]);
}

/** An ID for XADD: mostly after the last one, sometimes "<ms>-*", "<ms>", not above the last, or at the very top. */
function addId(g: Generator, s: StreamValue | undefined): string {
  const last = s?.lastId ?? 0n;
  const ms = idMs(last);
  const seq = idSeq(last);
  const r = g.int(0, 99);
  const nextMs = ms + BigInt(g.pick([0, 0, 0, 1, 2, 5, 1000, 100000]));
  if (r < 10) return `${g.pick([ms, nextMs])}-*`;
  if (r < 14) return `${ms + 1n}`;
  if (r < 18) return g.pick([formatId(last), '0-1', `${ms}`, '0-0', '0']);
  if (r < 19) return g.pick(['18446744073709551615-18446744073709551614', '18446744073709551615-*', '18446744073709551615-18446744073709551615']);
  if (nextMs === ms || nextMs > UINT64_MAX) return `${ms}-${seq + BigInt(g.pick([1, 1, 2, 50]))}`;
  return `${nextMs}-${g.pick([0, 0, 1, 7])}`;
}

function trimArgs(g: Generator, s: StreamValue | undefined): string[] {
  const approx = g.random() < 0.5;
  const op = approx ? g.pick(['~', '~', '=']) : g.pick(['=', '']);
  const args = g.random() < 0.6 ? ['MAXLEN', op, String(g.pick([0, 1, 3, 10, 50, g.int(0, 200)]))] : ['MINID', op, someId(g, s)];
  if (op === '~' && g.random() < 0.4) args.push('LIMIT', String(g.pick([0, 1, 10, 100, 250])));
  return args.filter((a) => a !== '');
}

export function streamCommand(g: Generator, node: RedisNode, fields: Map<string, string[]>): string[] {
  const key = g.pick(KEYS);
  const s = streamOf(node, key);
  // Mostly a group the stream has.
  const existing = s?.groups ? [...s.groups.values()].map((x) => latin1(x.name)) : [];
  const group = existing.length && g.random() < 0.8 ? g.pick(existing) : g.pick(GROUPS);
  const consumer = g.pick(CONSUMERS);
  const r = g.int(0, 99);
  // A stream at the top of the ID space takes no more entries: start it again.
  if (s && idMs(s.lastId) > UINT64_MAX / 2n && g.random() < 0.5) return ['DEL', key];
  if (r < 34) {
    const opts: string[] = [];
    if (g.random() < 0.05) opts.push('NOMKSTREAM');
    if (g.random() < 0.15) opts.push(...trimArgs(g, s));
    let names = fields.get(key);
    if (!names || g.random() < 0.25) fields.set(key, (names = g.random() < 0.8 ? g.pick(FIELD_SETS) : ['a', 'x' + g.int(0, 9)]));
    return ['XADD', key, ...opts, addId(g, s), ...names.flatMap((f) => [f, value(g)])];
  }
  if (r < 40) return ['XDEL', key, ...Array.from({ length: g.int(1, 4) }, () => someId(g, s))];
  if (r < 43) return ['XTRIM', key, ...trimArgs(g, s)];
  if (r < 50) {
    const bound = () => (g.random() < 0.2 ? '(' : '') + someId(g, s);
    const ends = g.random() < 0.3 ? ['-', '+'] : [bound(), bound()];
    const count = g.random() < 0.4 ? ['COUNT', String(g.pick([0, 1, 2, 5, -1]))] : [];
    return g.random() < 0.5 ? ['XRANGE', key, ends[0], ends[1], ...count] : ['XREVRANGE', key, ends[1], ends[0], ...count];
  }
  if (r < 52) return ['XLEN', g.pick([...KEYS, 'x:str'])];
  if (r < 55) return ['XREAD', 'COUNT', String(g.int(1, 5)), 'STREAMS', key, g.pick(KEYS), someId(g, s), g.pick(['0', '$', someId(g, s)])];
  if (r < 63) {
    const sub = g.int(0, 9);
    if (sub <= 3) return ['XGROUP', 'CREATE', key, group, g.pick(['$', '0', someId(g, s)]), ...(g.random() < 0.5 ? ['MKSTREAM'] : []), ...(g.random() < 0.2 ? ['ENTRIESREAD', String(g.int(-1, 5))] : [])];
    if (sub <= 5) return ['XGROUP', 'SETID', key, group, g.pick(['$', '0', someId(g, s)]), ...(g.random() < 0.3 ? ['ENTRIESREAD', String(g.int(-1, 5))] : [])];
    if (sub === 6) return ['XGROUP', 'DESTROY', key, group];
    if (sub <= 8) return ['XGROUP', 'CREATECONSUMER', key, group, consumer];
    return ['XGROUP', 'DELCONSUMER', key, group, consumer];
  }
  if (r < 73) {
    const opts = [...(g.random() < 0.2 ? ['NOACK'] : []), ...(g.random() < 0.6 ? ['COUNT', String(g.int(1, 6))] : [])];
    return ['XREADGROUP', 'GROUP', group, consumer, ...opts, 'STREAMS', key, g.random() < 0.75 ? '>' : g.pick(['0', someId(g, s)])];
  }
  if (r < 78) return ['XACK', key, group, ...Array.from({ length: g.int(1, 3) }, () => someId(g, s))];
  if (r < 82) {
    if (g.random() < 0.3) return ['XPENDING', key, group];
    const idle = g.random() < 0.3 ? ['IDLE', g.pick(MIN_IDLE)] : [];
    return ['XPENDING', key, group, ...idle, '-', '+', String(g.pick([1, 3, 10])), ...(g.random() < 0.3 ? [consumer] : [])];
  }
  if (r < 87) {
    const ids = Array.from({ length: g.int(1, 3) }, () => someId(g, s));
    const opts: string[] = [];
    if (g.random() < 0.3) opts.push(g.pick(['IDLE', 'TIME']), g.pick(['100000000', String(g.int(1000, 5000))]));
    if (g.random() < 0.2) opts.push('RETRYCOUNT', String(g.int(0, 9)));
    if (g.random() < 0.3) opts.push('FORCE');
    if (g.random() < 0.3) opts.push('JUSTID');
    if (g.random() < 0.1) opts.push('LASTID', someId(g, s));
    return ['XCLAIM', key, group, consumer, g.pick(MIN_IDLE), ...ids, ...opts];
  }
  if (r < 91) {
    const opts = [...(g.random() < 0.5 ? ['COUNT', String(g.int(1, 5))] : []), ...(g.random() < 0.3 ? ['JUSTID'] : [])];
    return ['XAUTOCLAIM', key, group, consumer, g.pick(MIN_IDLE), g.pick(['0', '-', someId(g, s)]), ...opts];
  }
  if (r < 93) return ['XINFO', 'STREAM', key, ...(g.random() < 0.5 ? ['FULL', 'COUNT', String(g.int(0, 4))] : [])];
  if (r < 95) return g.random() < 0.5 ? ['XINFO', 'GROUPS', key] : ['XINFO', 'CONSUMERS', key, group];
  if (r < 96) return ['XSETID', key, someId(g, s), ...(g.random() < 0.3 ? ['ENTRIESADDED', String(g.int(0, 300))] : [])];
  if (r < 97) return ['COPY', key, g.pick(KEYS), 'REPLACE'];
  if (r < 98) return ['DEL', key];
  return ['SET', 'x:str', 'v'];
}

export interface Result {
  differences: string[];
  dumps: string[];
  commands: number;
  errors: number;
  /** Redis's error replies, by their first words. */
  errorsBy: Record<string, number>;
  dumped: number;
}

export async function runStreamDifferential(port: number, o: { entries: number; bytes: number; seed: number; n: number; checkpoint: number }): Promise<Result> {
  const client = await RawClient.connect(port);
  const { node, run } = engineSession();
  node.config.streamNodeMaxEntries = o.entries;
  node.config.streamNodeMaxBytes = o.bytes;
  await client.command('FLUSHALL');
  await client.command('CONFIG', 'SET', 'stream-node-max-entries', String(o.entries), 'stream-node-max-bytes', String(o.bytes));
  const g = generator(o.seed);
  const fields = new Map<string, string[]>();
  const steps: Array<{ argv: string[]; engine: string }> = [];
  const step = (argv: string[]) => {
    const bytes = argv.map(fromLatin1);
    steps.push({ argv, engine: run(bytes) });
    client.write(encodeCommand(bytes));
  };
  for (let i = 1; i <= o.n; i++) {
    step(streamCommand(g, node, fields));
    if (i % o.checkpoint === 0 || i === o.n) for (const k of KEYS) step(['DUMP', k]);
  }
  const result: Result = { differences: [], dumps: [], commands: 0, errors: 0, errorsBy: {}, dumped: 0 };
  for (const s of steps) {
    const { bytes } = await client.read();
    const isDump = s.argv[0] === 'DUMP';
    if (!isDump) {
      result.commands++;
      if (bytes[0] === 0x2d) {
        result.errors++;
        const what = `${s.argv[0]} ${latin1(bytes).split(' ').slice(0, 4).join(' ')}`;
        result.errorsBy[what] = (result.errorsBy[what] ?? 0) + 1;
      }
    }
    let want: string;
    let got: string;
    if (isDump) {
      const payload = (text: Uint8Array) => {
        const reader = new ReplyReader();
        reader.feed(text);
        const r = reader.next();
        return r?.type === 'bulk' ? latin1(maskStreamDump(r.value)) : latin1(text);
      };
      want = payload(bytes);
      got = payload(fromLatin1(s.engine));
      if (bytes[0] === 0x24 && bytes[1] !== 0x2d) result.dumped++;
    } else {
      want = comparableStreamReply(s.argv, bytes);
      got = comparableStreamReply(s.argv, fromLatin1(s.engine));
    }
    if (want === got) continue;
    const list = isDump ? result.dumps : result.differences;
    // From a little before the first byte that differs.
    let at = 0;
    while (at < want.length && want[at] === got[at]) at++;
    const from = Math.max(0, at - 40);
    const hex = (t: string) => Buffer.from(fromLatin1(t.slice(from, from + 120))).toString('hex');
    if (list.length < 5) list.push(`${JSON.stringify(s.argv.join(' ')).slice(0, 200)}: at ${at}, redis ${hex(want)}, engine ${hex(got)}`);
  }
  await client.command('CONFIG', 'SET', 'stream-node-max-entries', '100', 'stream-node-max-bytes', '4096');
  client.close();
  return result;
}

