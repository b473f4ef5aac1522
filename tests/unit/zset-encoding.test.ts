// The sorted set value (src/engine/keyspace/zset.ts) and its scores
// (zset-score.ts): encodings and where they change, -0 in each encoding,
// ranks, ranges, and reading and printing doubles as glibc does.
// "Observed" marks what redis-server 7.0.15 answered to the same commands
// (OBJECT ENCODING, ZSCORE, DUMP's type byte); tests/golden/zset.golden
// holds the same through DUMP.
import { describe, expect, it } from 'vitest';
import { hashSession } from './hash-support.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import {
  firstInLexRange,
  lastInLexRange,
  LEX_MAX,
  LEX_MIN,
  newZset,
  scoreRangeRanks,
  zsetAdd,
  zsetConvertToListpackIfNeeded,
  zsetDup,
  zsetInsertNew,
  zsetRank,
  ZADD_GT,
  ZADD_INCR,
  type ZsetValue,
} from '../../src/engine/keyspace/zset.ts';
import { double2ll, formatScore, listpackScore, listpackStrtod, string2d, strtod } from '../../src/engine/keyspace/zset-score.ts';

const limits = { zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 };
const x = (n: number) => 'x'.repeat(n);

function session() {
  const s = hashSession();
  const zset = (key: string) => s.db.peek(keyName(fromLatin1(key))) as ZsetValue | undefined;
  return { ...s, zset };
}

const contents = (z: ZsetValue) => {
  const out: Array<[number, string]> = [];
  z.tree.forEach((s, m) => void out.push([s, m]));
  return out;
};

describe('encodings at the default thresholds (128 members, 64 bytes)', () => {
  it('a new key is a listpack unless its first member is too long; a member too long converts it', () => {
    const { run, zset } = session();
    // Observed: listpack, skiplist, listpack then skiplist, skiplist.
    run('ZADD', 'a', '1', x(64));
    expect(zset('a')!.encoding).toBe('listpack');
    run('ZADD', 'b', '1', x(65));
    expect(zset('b')!.encoding).toBe('skiplist');
    run('ZADD', 'c', '1', 'a', '2', x(65));
    expect(zset('c')!.encoding).toBe('skiplist');
    run('ZADD', 'd', '1', x(65), '2', 'a');
    expect(zset('d')!.encoding).toBe('skiplist');
  });

  it('converts on the 129th member, and never back', () => {
    const { run, zset } = session();
    run('ZADD', 'z', ...Array.from({ length: 128 }, (_, i) => [String(i), `m${i}`]).flat());
    expect(zset('z')!.encoding).toBe('listpack');
    run('ZADD', 'z', '5', 'm1');
    expect(zset('z')!.encoding).toBe('listpack');
    run('ZADD', 'z', '1', 'new');
    expect(zset('z')!.encoding).toBe('skiplist');
    run('ZREMRANGEBYRANK', 'z', '0', '120');
    expect(zset('z')!.encoding).toBe('skiplist');
  });

  it('an update of an existing member, or XX on a missing one, converts nothing', () => {
    const { run, zset } = session();
    run('ZADD', 'z', '1', 'a');
    run('ZADD', 'z', 'XX', '1', x(65));
    expect(zset('z')!.encoding).toBe('listpack');
  });

  it('STORE results are a listpack when small enough, whatever their sources', () => {
    const { run, zset, node } = session();
    node.config.zsetMaxListpackEntries = 0;
    run('ZADD', 'src', '1', 'a', '2', 'b');
    expect(zset('src')!.encoding).toBe('skiplist');
    node.config.zsetMaxListpackEntries = 128;
    run('ZUNIONSTORE', 'u', '1', 'src');
    expect(zset('u')!.encoding).toBe('listpack');
    run('ZRANGESTORE', 'r', 'src', '0', '-1');
    expect(zset('r')!.encoding).toBe('listpack');
    node.config.zsetMaxListpackEntries = 1;
    run('ZRANGESTORE', 'r', 'src', '0', '-1');
    expect(zset('r')!.encoding).toBe('skiplist');
    run('ZRANGESTORE', 'r', 'src', '0', '0');
    expect(zset('r')!.encoding).toBe('listpack');
  });

  it('zsetDup keeps the encoding and shares nothing', () => {
    const z = newZset('skiplist');
    zsetInsertNew(z, 1, 'a');
    const copy = zsetDup(z);
    expect(copy.encoding).toBe('skiplist');
    zsetInsertNew(copy, 2, 'b');
    expect(contents(z)).toEqual([[1, 'a']]);
  });
});

describe('-0', () => {
  it('reads back as 0 from a listpack (an integer entry) and stays -0 in a skiplist', () => {
    // Observed: ZSCORE 0 for the listpack, -0 for the skiplist; ZINCRBY answers -0 in both.
    const { run, node } = session();
    run('ZADD', 'lp', '-0', 'a');
    expect(run('ZSCORE', 'lp', 'a')).toBe('$1\r\n0\r\n');
    expect(run('ZINCRBY', 'lp', '-0', 'b')).toBe('$2\r\n-0\r\n');
    expect(run('ZSCORE', 'lp', 'b')).toBe('$1\r\n0\r\n');
    node.config.zsetMaxListpackEntries = 0;
    run('ZADD', 'sl', '-0', 'a');
    expect(run('ZSCORE', 'sl', 'a')).toBe('$2\r\n-0\r\n');
  });

  it('becomes 0 when a skiplist converts to a listpack', () => {
    const z = newZset('skiplist');
    zsetInsertNew(z, -0, 'a');
    zsetInsertNew(z, -1, 'b');
    zsetConvertToListpackIfNeeded(z, limits);
    expect(z.encoding).toBe('listpack');
    expect(Object.is(z.dict.get('a'), 0)).toBe(true);
    expect(Object.is(z.tree.scoreAt(1), 0)).toBe(true);
  });
});

describe('zsetAdd', () => {
  it('reports what it did, with the score as computed', () => {
    const z = newZset('listpack');
    expect(zsetAdd(z, 1, 'a', 0, limits)).toEqual({ kind: 'added', score: 1 });
    expect(zsetAdd(z, 1, 'a', 0, limits)).toEqual({ kind: 'same', score: 1 });
    expect(zsetAdd(z, 2, 'a', 0, limits)).toEqual({ kind: 'updated', score: 2 });
    expect(zsetAdd(z, 1, 'a', ZADD_GT, limits)).toEqual({ kind: 'nop' });
    expect(zsetAdd(z, Infinity, 'b', ZADD_INCR, limits)).toEqual({ kind: 'added', score: Infinity });
    expect(zsetAdd(z, -Infinity, 'b', ZADD_INCR, limits)).toEqual({ kind: 'nan' });
    expect(contents(z)).toEqual([[2, 'a'], [Infinity, 'b']]);
    expect(zsetRank(z, 'b', false)).toBe(1);
    expect(zsetRank(z, 'b', true)).toBe(0);
    expect(zsetRank(z, 'c', false)).toBeNull();
  });
});

describe('ranges', () => {
  it('finds score ranges by rank, open and closed', () => {
    const z = newZset('skiplist');
    for (const [s, m] of [[1, 'a'], [2, 'b'], [2, 'c'], [3, 'd']] as const) zsetInsertNew(z, s, m);
    expect(scoreRangeRanks(z, { min: 2, max: 2, minex: false, maxex: false })).toEqual({ first: 1, last: 2 });
    expect(scoreRangeRanks(z, { min: 1, max: 3, minex: true, maxex: true })).toEqual({ first: 1, last: 2 });
    expect(scoreRangeRanks(z, { min: 2, max: 2, minex: true, maxex: false })).toBeNull();
    expect(scoreRangeRanks(z, { min: 5, max: 1, minex: false, maxex: false })).toBeNull();
  });

  it('scans a listpack for lex ranges from its start, whatever the scores; a skiplist is searched', () => {
    // Members of different scores, in score order c a b d: a listpack is scanned.
    const lp = newZset('listpack');
    for (const [s, m] of [[1, 'c'], [2, 'a'], [3, 'b'], [4, 'd']] as const) zsetInsertNew(lp, s, m);
    expect(firstInLexRange(lp, { min: 'b', max: LEX_MAX, minex: false, maxex: true })).toBe(0);
    expect(lastInLexRange(lp, { min: LEX_MIN, max: 'c', minex: true, maxex: false })).toBe(2);
    // The first member must be <= max and the last >= min (zzlIsInLexRange), or nothing is.
    expect(lastInLexRange(lp, { min: LEX_MIN, max: 'b', minex: true, maxex: false })).toBe(-1);
    // Equal scores: both encodings agree.
    for (const encoding of ['listpack', 'skiplist'] as const) {
      const z = newZset(encoding);
      for (const m of ['a', 'b', 'c', 'd']) zsetInsertNew(z, 0, m);
      expect(firstInLexRange(z, { min: 'b', max: 'c', minex: true, maxex: false })).toBe(2);
      expect(lastInLexRange(z, { min: 'b', max: 'c', minex: true, maxex: false })).toBe(2);
      expect(firstInLexRange(z, { min: 'c', max: 'b', minex: false, maxex: false })).toBe(-1);
    }
  });
});

describe('scores: glibc strtod and %.17g', () => {
  const d = (s: string) => string2d(fromLatin1(s));

  it('reads what string2d reads, and refuses what it refuses', () => {
    // Observed with ZADD: accepted, or "ERR value is not a valid float".
    expect(d('1.5')).toBe(1.5);
    expect(d('0x10')).toBe(16);
    expect(d('0x1.8p1')).toBe(3);
    expect(d('+inf')).toBe(Infinity);
    expect(d('-Infinity')).toBe(-Infinity);
    expect(d('5e-324')).toBe(5e-324);
    expect(d('3e-324')).toBe(5e-324);
    expect(Object.is(d('-0'), -0)).toBe(true);
    for (const bad of ['', ' 1', '1 ', 'nan', 'abc', '1e400', '1e-400', '2e-324', '1e', '0x', '1\x002', 'infinit']) expect(d(bad), bad).toBeNull();
  });

  it('stops where strtod stops (score ranges, listpack strings)', () => {
    expect(strtod(fromLatin1('  2junk'))).toEqual({ value: 2, end: 3, range: false });
    expect(strtod(fromLatin1('1e+'))).toEqual({ value: 1, end: 1, range: false });
    expect(strtod(fromLatin1('nan(abc)x')).end).toBe(8);
    expect(strtod(fromLatin1('-'))).toEqual({ value: 0, end: 0, range: false });
    expect(listpackStrtod(fromLatin1('2.5'))).toBe(2.5);
  });

  it('prints %.17g as glibc does, ties to even', () => {
    // Observed with ZSCORE.
    const cases: Array<[number, string]> = [
      [0.1, '0.10000000000000001'], [1e308, '1e+308'], [5e-324, '4.9406564584124654e-324'], [1e16, '10000000000000000'],
      [1e17, '1e+17'], [123456789012345678, '1.2345678901234568e+17'], [2 ** 62, '4.6116860184273879e+18'], [1e-5, '1.0000000000000001e-05'],
      [0.0001, '0.0001'], [1000000000000000.25, '1000000000000000.2'], [1000000000000000.75, '1000000000000000.8'],
      [95869016647338864, '95869016647338864'], [-0, '-0'], [Infinity, 'inf'], [-Infinity, '-inf'], [3.14159, '3.1415899999999999'],
    ];
    for (const [v, text] of cases) expect(formatScore(v), text).toBe(text);
  });

  it('stores integers within 2^62 as integers in a listpack (double2ll), anything else as %.17g', () => {
    expect(double2ll(2 ** 62)).toBe(2 ** 62);
    expect(double2ll(2 ** 62 + 2048)).toBeNull();
    expect(double2ll(-0)).toBe(0);
    expect(double2ll(1.5)).toBeNull();
    expect(listpackScore(2 ** 62)).toBe('4611686018427387904');
    expect(listpackScore(-0)).toBe('0');
    expect(listpackScore(1e17)).toBe('100000000000000000');
    expect(listpackScore(2 ** 63)).toBe('9.2233720368547758e+18');
    expect(listpackScore(-Infinity)).toBe('-inf');
  });
});
