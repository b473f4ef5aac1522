// Sorted set commands where the golden transcripts cannot look: RESP3
// replies (the engine has no HELLO yet; the bytes below were answered by
// redis-server 7.0.15 after HELLO 3), and ZRANDMEMBER's random cases,
// which follow Redis's shapes but draw from the node's seeded stream.
import { describe, expect, it } from 'vitest';
import { bulks, hashSession } from './hash-support.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';
import type { ZsetValue } from '../../src/engine/keyspace/zset.ts';

function session(options: { protocol?: 2 | 3; seed?: number } = {}) {
  const s = hashSession(options);
  const zset = (key: string) => s.db.peek(keyName(fromLatin1(key))) as ZsetValue | undefined;
  return { ...s, zset };
}

describe('RESP3 replies, as redis-server 7.0.15 gives them after HELLO 3', () => {
  it('answers scores as doubles, pairs as 2-arrays, nulls as _', () => {
    const { run } = session({ protocol: 3 });
    const observed: Array<[string[], string]> = [
      [['ZADD', 'r3', '1', 'a', '2.5', 'b', 'inf', 'c'], ':3\r\n'],
      [['ZSCORE', 'r3', 'c'], ',inf\r\n'],
      [['ZSCORE', 'r3', 'b'], ',2.5\r\n'],
      [['ZSCORE', 'r3', 'nosuch'], '_\r\n'],
      [['ZMSCORE', 'r3', 'a', 'nosuch'], '*2\r\n,1\r\n_\r\n'],
      [['ZRANGE', 'r3', '0', '-1', 'WITHSCORES'], '*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\nc\r\n,inf\r\n'],
      [['ZRANGE', 'r3', '0', '-1'], '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n'],
      [['ZRANGEBYSCORE', 'r3', '-inf', '+inf', 'WITHSCORES', 'LIMIT', '0', '2'], '*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n'],
      [['ZINCRBY', 'r3', '1', 'a'], ',2\r\n'],
      [['ZADD', 'r3', 'INCR', '1', 'a'], ',3\r\n'],
      [['ZADD', 'r3', 'XX', 'INCR', '1', 'zz'], '_\r\n'],
      [['ZRANK', 'r3', 'nosuch'], '_\r\n'],
      [['ZRANDMEMBER', 'r3', '10', 'WITHSCORES'], '*3\r\n*2\r\n$1\r\nc\r\n,inf\r\n*2\r\n$1\r\na\r\n,3\r\n*2\r\n$1\r\nb\r\n,2.5\r\n'],
      [['ZUNION', '1', 'r3', 'WITHSCORES'], '*3\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\na\r\n,3\r\n*2\r\n$1\r\nc\r\n,inf\r\n'],
      [['ZINTER', '1', 'r3'], '*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n'],
      [['ZPOPMIN', 'r3'], '*2\r\n$1\r\nb\r\n,2.5\r\n'],
      [['ZPOPMIN', 'r3', '1'], '*1\r\n*2\r\n$1\r\na\r\n,3\r\n'],
      [['ZMPOP', '1', 'r3', 'MAX'], '*2\r\n$2\r\nr3\r\n*1\r\n*2\r\n$1\r\nc\r\n,inf\r\n'],
      [['ZMPOP', '1', 'nosuch', 'MAX'], '_\r\n'],
      [['ZRANDMEMBER', 'nosuch'], '_\r\n'],
      [['ZPOPMIN', 'nosuch', '2'], '*0\r\n'],
      [['ZADD', 'r3b', '1', 'a'], ':1\r\n'],
      [['ZRANDMEMBER', 'r3b', '-2', 'WITHSCORES'], '*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\na\r\n,1\r\n'],
      [['ZRANDMEMBER', 'r3b'], '$1\r\na\r\n'],
    ];
    for (const [argv, want] of observed) expect(run(...argv), argv.join(' ')).toBe(want);
  });
});

describe('ZRANDMEMBER, from the node\'s seeded random stream', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => [String(i), `m${i}`]).flat();

  it.each(['listpack', 'skiplist'])('gives distinct members for a positive count, repeats for a negative one (%s)', (encoding) => {
    const { run, zset, node } = session();
    if (encoding === 'skiplist') node.config.zsetMaxListpackEntries = 0;
    run('ZADD', 'z', ...members(100));
    expect(zset('z')!.encoding).toBe(encoding);
    for (const count of [1, 5, 20, 33, 34, 60, 99]) {
      const got = bulks(run('ZRANDMEMBER', 'z', String(count)));
      expect(got.length).toBe(count);
      expect(new Set(got).size).toBe(count);
      for (const m of got) expect(m).toMatch(/^m\d+$/);
    }
    const repeated = bulks(run('ZRANDMEMBER', 'z', '-500'));
    expect(repeated.length).toBe(500);
    expect(new Set(repeated).size).toBeGreaterThan(90);
    // WITHSCORES: each member with its own score.
    const pairs = bulks(run('ZRANDMEMBER', 'z', '-50', 'WITHSCORES'));
    for (let i = 0; i < pairs.length; i += 2) expect(pairs[i]).toBe(`m${pairs[i + 1]}`);
  });

  it('lists picks from a listpack in order when few are wanted (lpRandomPairsUnique), and the whole zset from the top for a count beyond it', () => {
    const { run } = session();
    run('ZADD', 'z', ...members(100));
    const picked = bulks(run('ZRANDMEMBER', 'z', '10')).map((m) => Number(m.slice(1)));
    expect(picked).toEqual([...picked].sort((a, b) => a - b));
    expect(bulks(run('ZRANDMEMBER', 'z', '1000')).slice(0, 3)).toEqual(['m99', 'm98', 'm97']);
  });

  it('is the same for the same seed, and differs for another', () => {
    const draw = (seed: number) => {
      const { run } = session({ seed });
      run('ZADD', 'z', ...members(50));
      return run('ZRANDMEMBER', 'z', '-20');
    };
    expect(draw(7)).toBe(draw(7));
    expect(draw(7)).not.toBe(draw(8));
  });

  it('refuses a negative count whose reply would pass the engine\'s 64 MiB bound, and serves one within the zset\'s size', () => {
    const { run } = session();
    run('ZADD', 'z', '1', 'x'.repeat(60000), '2', 'y');
    // About 1500 picks of 60 KB: some 90 MB.
    expect(run('ZRANDMEMBER', 'z', '-3000')).toBe("-ERR ZRANDMEMBER reply too large for this engine (a negative count beyond the zset's size, over 64 MiB)\r\n");
    expect(run('ZRANDMEMBER', 'z', '-9223372036854775807')).toMatch(/^-ERR ZRANDMEMBER reply too large/);
    expect(bulks(run('ZRANDMEMBER', 'z', '-2')).length).toBe(2);
    expect(bulks(run('ZRANDMEMBER', 'z', '-1000')).length).toBe(1000);
  });
});
