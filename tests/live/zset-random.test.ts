// Randomized differential for the sorted set group: seeded commands against
// a real redis-server 7.0.15 and an engine node in process, every reply
// byte-equal, and every key's DUMP equal byte for byte at each checkpoint
// (a listpack's bytes, or a skiplist written from its highest score down:
// both orders are fixed), so encodings and conversions are compared too.
// Run under several zset-max-listpack-entries / -value settings.
//
// Left out, because Redis's answers there depend on chance: ZRANDMEMBER,
// and lex ranges over a skiplist whose members have different scores (its
// random levels decide; keyspace/zset.ts firstInLexRange). Lex commands go
// to keys whose scores are all 0, and to any key the engine holds as a
// listpack (both scan those in order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { engineSession, generator, type Generator } from '../support/list-differential.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';

let real: RealRedis;
beforeAll(async () => {
  real = await startRealRedis();
});
afterAll(async () => {
  await real?.stop();
});

const KEYS = ['z:a', 'z:b', 'z:c'];
const LEX_KEYS = ['z:l1', 'z:l2'];
const SET_KEY = 's:a';

function member(g: Generator): string {
  const kind = g.int(0, 9);
  if (kind <= 4) return 'm' + g.int(0, 40);
  if (kind === 5) return String(g.pick([0, 1, -1, 127, 4096, 70000, 2147483648, -9223372036854775808n, 9223372036854775807n]));
  if (kind === 6) return 'x'.repeat(g.pick([7, 8, 9, 63, 64, 65, 70]));
  if (kind === 7) return g.pick(['', 'a', 'ab', 'b', '\x00', 'a\x00', '\xff', '01', '-0']);
  return 'k' + g.int(0, 8);
}

function score(g: Generator): string {
  const kind = g.int(0, 9);
  if (kind <= 3) return String(g.int(-5, 5));
  if (kind === 4) return String(g.int(-20, 20) / 4);
  if (kind === 5) return g.pick(['inf', '-inf', '+inf', '-0', '0', '1e308', '-1e308', '5e-324', '0.1', '1e17', '4611686018427387905', '1e-5']);
  if (kind === 6) return (g.random() * 100 - 50).toPrecision(g.int(1, 17));
  return String(g.int(0, 3));
}

function scoreBound(g: Generator): string {
  const open = g.random() < 0.3 ? '(' : '';
  return open + g.pick([score(g), '-inf', '+inf', String(g.int(-5, 5))]);
}

function lexBound(g: Generator): string {
  const k = g.int(0, 9);
  if (k === 0) return '-';
  if (k === 1) return '+';
  return (g.random() < 0.5 ? '[' : '(') + member(g);
}

/** One command; `isListpack` says whether the engine holds a key as a listpack (lex ranges are exact there). */
function zsetCommand(g: Generator, isListpack: (key: string) => boolean): string[] {
  const key = g.pick(KEYS);
  const lexKey = g.pick(LEX_KEYS);
  const anyKey = () => g.pick([...KEYS, ...LEX_KEYS, SET_KEY, 'z:missing']);
  const limit = () => (g.random() < 0.4 ? ['LIMIT', String(g.pick([0, 1, 2, -1, 5, g.int(0, 30)])), String(g.pick([-1, 0, 1, 3, 10, g.int(0, 50)]))] : []);
  const ws = () => (g.random() < 0.5 ? ['WITHSCORES'] : []);
  const idx = () => String(g.pick([0, 1, 2, -1, -2, 5, -5, g.int(-60, 60)]));
  const pairs = (n: number, lex = false) => Array.from({ length: n }, () => [lex ? '0' : score(g), member(g)]).flat();
  const r = g.int(0, 99);
  if (r < 20) {
    const opts: string[] = [];
    for (const o of ['NX', 'XX', 'GT', 'LT', 'CH']) if (g.random() < 0.12) opts.push(o);
    if (g.random() < 0.1) return ['ZADD', key, ...opts, 'INCR', score(g), member(g)];
    return ['ZADD', key, ...opts, ...pairs(g.int(1, 30))];
  }
  if (r < 25) return ['ZADD', lexKey, ...pairs(g.int(1, 30), true)];
  if (r < 29) return ['ZINCRBY', key, score(g), member(g)];
  if (r < 34) return ['ZREM', g.pick([key, lexKey]), ...Array.from({ length: g.int(1, 6) }, () => member(g))];
  if (r < 38) return [g.pick(['ZSCORE', 'ZRANK', 'ZREVRANK']), key, member(g)];
  if (r < 40) return ['ZMSCORE', key, member(g), member(g), member(g)];
  if (r < 42) return ['ZCARD', key];
  if (r < 46) return ['ZCOUNT', key, scoreBound(g), scoreBound(g)];
  if (r < 52) return ['ZRANGE', key, idx(), idx(), ...(g.random() < 0.4 ? ['REV'] : []), ...ws()];
  if (r < 58) return zrangeByScore(g, key, g.random() < 0.4, ws(), limit());
  if (r < 64) {
    // Lex ranges: a key of equal scores, or a listpack of any scores.
    const target = g.random() < 0.6 || !isListpack(key) ? lexKey : key;
    const form = g.int(0, 4);
    if (form === 0) return ['ZLEXCOUNT', target, lexBound(g), lexBound(g)];
    if (form === 1) return ['ZRANGEBYLEX', target, lexBound(g), lexBound(g), ...limit()];
    if (form === 2) return ['ZREVRANGEBYLEX', target, lexBound(g), lexBound(g), ...limit()];
    if (form === 3) return ['ZRANGE', target, lexBound(g), lexBound(g), 'BYLEX', ...(g.random() < 0.5 ? ['REV'] : []), ...limit()];
    return ['ZREMRANGEBYLEX', target, lexBound(g), lexBound(g)];
  }
  if (r < 67) return ['ZREMRANGEBYRANK', key, idx(), idx()];
  if (r < 70) return ['ZREMRANGEBYSCORE', key, scoreBound(g), scoreBound(g)];
  if (r < 75) return g.random() < 0.5 ? [g.pick(['ZPOPMIN', 'ZPOPMAX']), key] : [g.pick(['ZPOPMIN', 'ZPOPMAX']), key, String(g.int(0, 8))];
  if (r < 77) return ['ZMPOP', '2', key, g.pick(KEYS), g.pick(['MIN', 'MAX']), 'COUNT', String(g.int(1, 10))];
  if (r < 88) {
    const op = g.pick(['ZUNION', 'ZINTER', 'ZDIFF', 'ZUNIONSTORE', 'ZINTERSTORE', 'ZDIFFSTORE', 'ZINTERCARD']);
    const n = g.int(1, 3);
    const srcs = Array.from({ length: n }, () => (g.random() < 0.15 ? SET_KEY : g.pick([...KEYS, 'z:missing'])));
    const opts: string[] = [];
    if (op !== 'ZDIFF' && op !== 'ZDIFFSTORE' && op !== 'ZINTERCARD') {
      if (g.random() < 0.4) opts.push('WEIGHTS', ...srcs.map(() => g.pick(['1', '2', '0.5', '-1', '0', 'inf', String(g.int(-3, 3))])));
      if (g.random() < 0.4) opts.push('AGGREGATE', g.pick(['SUM', 'MIN', 'MAX']));
    }
    if (op === 'ZINTERCARD' && g.random() < 0.5) opts.push('LIMIT', String(g.int(0, 5)));
    if (!op.endsWith('STORE') && op !== 'ZINTERCARD' && g.random() < 0.5) opts.push('WITHSCORES');
    const dst = op.endsWith('STORE') ? [g.pick(KEYS)] : [];
    return [op, ...dst, String(n), ...srcs, ...opts];
  }
  if (r < 92) {
    const dst = g.pick(KEYS);
    const form = g.int(0, 2);
    if (form === 0) return ['ZRANGESTORE', dst, key, idx(), idx(), ...(g.random() < 0.3 ? ['REV'] : [])];
    if (form === 1) return ['ZRANGESTORE', dst, key, scoreBound(g), scoreBound(g), 'BYSCORE', ...limit()];
    return ['ZRANGESTORE', g.pick(LEX_KEYS), lexKey, lexBound(g), lexBound(g), 'BYLEX', ...limit()];
  }
  if (r < 94) return ['SADD', SET_KEY, member(g), member(g)];
  if (r < 95) return ['DEL', anyKey()];
  if (r < 96) return ['COPY', key, g.pick(KEYS), 'REPLACE'];
  return ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
}

/** ZRANGE ... BYSCORE [REV], ZRANGEBYSCORE or ZREVRANGEBYSCORE (max first when reversed). */
function zrangeByScore(g: Generator, key: string, rev: boolean, ws: string[], limit: string[]): string[] {
  const a = scoreBound(g);
  const b = scoreBound(g);
  const form = g.int(0, 2);
  if (form === 0) return ['ZRANGE', key, a, b, 'BYSCORE', ...(rev ? ['REV'] : []), ...ws, ...limit];
  if (form === 1) return ['ZRANGEBYSCORE', key, a, b, ...ws, ...limit];
  return ['ZREVRANGEBYSCORE', key, a, b, ...ws, ...limit];
}

interface Result {
  differences: string[];
  dumps: string[];
  /** DUMPs compared, by their type byte (5: skiplist, 17: listpack). */
  compared: Record<number, number>;
  /** Commands compared, and how many of them Redis answered with an error. */
  commands: number;
  errors: number;
}

async function runZsetDifferential(port: number, options: { entries: number; value: number; seed: number; n: number; checkpoint: number }): Promise<Result> {
  const client = await RawClient.connect(port);
  const { node, run } = engineSession();
  node.config.zsetMaxListpackEntries = options.entries;
  node.config.zsetMaxListpackValue = options.value;
  await client.command('FLUSHALL');
  await client.command('CONFIG', 'SET', 'zset-max-listpack-entries', String(options.entries), 'zset-max-listpack-value', String(options.value));
  const g = generator(options.seed);
  const db = node.keyspace.dbs[0];
  const isListpack = (key: string) => db.peek(keyName(fromLatin1(key)))?.encoding === 'listpack';
  const steps: Array<{ argv: string[]; engine: string }> = [];
  const step = (argv: string[]) => {
    const bytes = argv.map(fromLatin1);
    steps.push({ argv, engine: run(bytes) });
    client.write(encodeCommand(bytes));
  };
  for (let i = 1; i <= options.n; i++) {
    step(zsetCommand(g, isListpack));
    if (i % options.checkpoint === 0 || i === options.n) for (const k of [...KEYS, ...LEX_KEYS]) step(['DUMP', k]);
  }
  const result: Result = { differences: [], dumps: [], compared: {}, commands: 0, errors: 0 };
  for (const s of steps) {
    const { bytes } = await client.read();
    const want = latin1(bytes);
    if (s.argv[0] !== 'DUMP') {
      result.commands++;
      if (bytes[0] === 0x2d) result.errors++;
    }
    if (want === s.engine) {
      if (s.argv[0] === 'DUMP' && bytes[0] === 0x24 && bytes[1] !== 0x2d) {
        const type = bytes[bytes.indexOf(0x0a) + 1];
        result.compared[type] = (result.compared[type] ?? 0) + 1;
      }
      continue;
    }
    const list = s.argv[0] === 'DUMP' ? result.dumps : result.differences;
    if (list.length < 5) list.push(`${JSON.stringify(s.argv.join(' ')).slice(0, 200)}: redis ${JSON.stringify(want).slice(0, 300)}, engine ${JSON.stringify(s.engine).slice(0, 300)}`);
  }
  await client.command('CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64');
  client.close();
  return result;
}

describe('random sorted set commands, against redis-server 7.0.15', () => {
  it.each([
    { entries: 128, value: 64, seed: 1 },
    { entries: 128, value: 64, seed: 2 },
    { entries: 16, value: 64, seed: 3 },
    { entries: 4, value: 8, seed: 4 },
    { entries: 0, value: 64, seed: 5 },
    { entries: 32, value: 2, seed: 6 },
  ])('replies alike and dumps the same bytes with zset-max-listpack-entries $entries, -value $value', async ({ entries, value, seed }) => {
    const compared: Record<number, number> = {};
    for (let round = 0; round < 4; round++) {
      const result = await runZsetDifferential(real.port, { entries, value, seed: seed * 100 + round, n: 1500, checkpoint: 50 });
      expect(result.differences).toEqual([]);
      expect(result.dumps).toEqual([]);
      // Mostly commands that do something, some errors (NaN sums, WRONGTYPE on the set, bad ranges).
      expect(result.errors).toBeLessThan(result.commands * 0.15);
      for (const [t, n] of Object.entries(result.compared)) compared[Number(t)] = (compared[Number(t)] ?? 0) + n;
    }
    // Both encodings were compared byte for byte, where the settings leave room for listpacks.
    if (entries > 0 && value >= 8) expect(compared[17]).toBeGreaterThan(20);
    expect(compared[5]).toBeGreaterThan(20);
  });
});
