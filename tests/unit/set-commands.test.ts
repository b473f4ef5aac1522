// The set group where golden transcripts cannot reach: RESP3 replies (no
// HELLO yet), the keyspace hit/miss counters, and SPOP's and SRANDMEMBER's
// random choices (drawn from the node's seeded stream: deterministic for a
// seed, uniform, in the cases and orders of t_set.c). Expected replies
// marked "observed" were captured from redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { bulks, hashSession } from './hash-support.ts';
import { HRANDFIELD_REPLY_LIMIT } from '../../src/engine/commands/hash.ts';
import type { SetValue } from '../../src/engine/keyspace/set.ts';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
const letters = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

describe('RESP3 replies', () => {
  it('sends SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count as sets, SRANDMEMBER as an array, nulls as _', () => {
    const { run } = hashSession({ protocol: 3 });
    // Observed, after HELLO 3.
    expect(run('SADD', 's', '3', '1', '2')).toBe(':3\r\n');
    const all = '$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n';
    expect(run('SMEMBERS', 's')).toBe(`~3\r\n${all}`);
    expect(run('SMEMBERS', 'nokey')).toBe('~0\r\n');
    expect(run('SINTER', 's', 'nokey')).toBe('~0\r\n');
    expect(run('SINTER', 's', 's')).toBe(`~3\r\n${all}`);
    expect(run('SUNION', 's')).toBe(`~3\r\n${all}`);
    expect(run('SDIFF', 's')).toBe(`~3\r\n${all}`);
    expect(run('SDIFF', 'nokey')).toBe('~0\r\n');
    expect(run('SPOP', 's', '0')).toBe('~0\r\n');
    expect(run('SPOP', 'nokey', '2')).toBe('~0\r\n');
    expect(run('SPOP', 'nokey')).toBe('_\r\n');
    expect(run('SPOP', 's', '5')).toBe(`~3\r\n${all}`);
    expect(run('SADD', 's', '3', '1', '2')).toBe(':3\r\n');
    expect(run('SRANDMEMBER', 's', '5')).toBe(`*3\r\n${all}`);
    expect(run('SRANDMEMBER', 'nokey', '5')).toBe('*0\r\n');
    expect(run('SRANDMEMBER', 'nokey')).toBe('_\r\n');
    expect(run('SRANDMEMBER', 's', '0')).toBe('*0\r\n');
    expect(run('SMISMEMBER', 's', '1', '9')).toBe('*2\r\n:1\r\n:0\r\n');
    expect(run('SINTERCARD', '1', 's')).toBe(':3\r\n');
    expect(run('SPOP', 's', '1')).toMatch(/^~1\r\n\$1\r\n[123]\r\n$/);
  });
});

describe('keyspace hits and misses', () => {
  it('counts the lookups Redis counts', () => {
    const { node, run } = hashSession();
    const stats = node.keyspace.stats;
    run('SADD', 'a', '1', '2');
    run('SADD', 'b', '2', '3');
    // Observed: INFO stats keyspace_hits and keyspace_misses after each command, from CONFIG RESETSTAT.
    const steps: [string[], number, number][] = [
      [['SADD', 'a', '5'], 0, 0],
      [['SREM', 'a', '5'], 0, 0],
      [['SCARD', 'a'], 1, 0],
      [['SCARD', 'x'], 0, 1],
      [['SISMEMBER', 'a', '1'], 1, 0],
      [['SMISMEMBER', 'x', '1'], 0, 1],
      [['SMEMBERS', 'a'], 1, 0],
      [['SINTER', 'a', 'b', 'x'], 2, 1],
      [['SINTERSTORE', 'd', 'a', 'b'], 2, 0],
      [['SUNION', 'a', 'x', 'b'], 2, 1],
      [['SDIFFSTORE', 'd', 'a', 'x'], 1, 1],
      [['SRANDMEMBER', 'a'], 1, 0],
      [['SRANDMEMBER', 'a', '5'], 1, 0],
      [['SPOP', 'x'], 0, 0],
      [['SMOVE', 'a', 'b', '1'], 0, 0],
      [['SINTERCARD', '2', 'a', 'b'], 2, 0],
      // The whole set is listed by sunionDiffGenericCommand, which reads the key.
      [['SPOP', 'b', '10'], 1, 0],
    ];
    for (const [argv, hits, misses] of steps) {
      stats.keyspaceHits = 0;
      stats.keyspaceMisses = 0;
      run(...argv);
      expect([argv.join(' '), stats.keyspaceHits, stats.keyspaceMisses]).toEqual([argv.join(' '), hits, misses]);
    }
  });
});

describe('SPOP and SRANDMEMBER draw from the node\'s seeded stream', () => {
  it('give the same answers for the same seed, other answers for another', () => {
    const answers = (seed: number) => {
      const { run } = hashSession({ seed });
      run('SADD', 'i', ...range(1, 100));
      run('SADD', 'h', ...letters(100));
      return [run('SRANDMEMBER', 'i', '-10'), run('SRANDMEMBER', 'h', '10'), run('SPOP', 'i', '7'), run('SPOP', 'h')];
    };
    expect(answers(5)).toEqual(answers(5));
    expect(answers(5)).not.toEqual(answers(6));
  });

  for (const kind of ['intset', 'hashtable'] as const) {
    const fill = (run: (...a: string[]) => string, n: number) => run('SADD', 's', ...(kind === 'intset' ? range(1, n) : letters(n)));

    describe(`on a ${kind}`, () => {
      it('SRANDMEMBER picks one member uniformly', () => {
        const { run } = hashSession({ seed: 3 });
        fill(run, 10);
        const counts = new Map<string, number>();
        for (let i = 0; i < 10000; i++) {
          const m = /^\$\d+\r\n(.*)\r\n$/.exec(run('SRANDMEMBER', 's'))![1];
          counts.set(m, (counts.get(m) ?? 0) + 1);
        }
        expect(counts.size).toBe(10);
        for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
      });

      it('SRANDMEMBER with a negative count: independent draws, repeats allowed, beyond the size too', () => {
        const { run } = hashSession({ seed: 4 });
        fill(run, 5);
        const got = bulks(run('SRANDMEMBER', 's', '-50'));
        expect(got).toHaveLength(50);
        expect(new Set(got).size).toBe(5);
      });

      it('SRANDMEMBER with a positive count: distinct members, each equally likely (removal and draw cases)', () => {
        for (const count of [4, 2]) {
          // 4 * 3 > 10: members are removed until 4 are left, listed in the set's order; 2 * 3 <= 10: drawn.
          const { run, db } = hashSession({ seed: 9 });
          fill(run, 10);
          const order = bulks(run('SMEMBERS', 's'));
          const counts = new Map<string, number>();
          for (let i = 0; i < 5000; i++) {
            const got = bulks(run('SRANDMEMBER', 's', String(count)));
            expect(new Set(got).size).toBe(count);
            if (count === 4) expect(got).toEqual(order.filter((m) => got.includes(m)));
            for (const m of got) counts.set(m, (counts.get(m) ?? 0) + 1);
          }
          for (const c of counts.values()) expect(Math.abs(c - 500 * count)).toBeLessThan(150);
          expect((db.peek('s') as SetValue).encoding).toBe(kind);
        }
      });

      it('SPOP with a count below the size pops distinct members that the set no longer has (both strategies)', () => {
        for (const count of [3, 9]) {
          // remaining * 5 > count: drawn one by one (3 of 10); otherwise the members that stay are drawn out (9 of 10).
          const { run } = hashSession({ seed: count });
          fill(run, 10);
          const before = bulks(run('SMEMBERS', 's'));
          const popped = bulks(run('SPOP', 's', String(count)));
          expect(new Set(popped).size).toBe(count);
          const after = bulks(run('SMEMBERS', 's'));
          expect([...after, ...popped].sort()).toEqual([...before].sort());
          expect(run('SCARD', 's')).toBe(`:${10 - count}\r\n`);
          if (count === 9) {
            // The old set's members are listed in its order.
            expect(popped).toEqual(before.filter((m) => popped.includes(m)));
          }
        }
      });

      it('SPOP picks each member equally often', () => {
        const counts = new Map<string, number>();
        const { run } = hashSession({ seed: 11 });
        for (let i = 0; i < 4000; i++) {
          fill(run, 8);
          for (const m of bulks(run('SPOP', 's', '2'))) counts.set(m, (counts.get(m) ?? 0) + 1);
          run('DEL', 's');
        }
        expect(counts.size).toBe(8);
        for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
      });
    });
  }

  it('SPOP with a count keeps the key\'s TTL when it replaces the set', () => {
    const { run } = hashSession({ seed: 2 });
    run('SADD', 's', ...letters(10));
    run('EXPIRE', 's', '100');
    run('SPOP', 's', '9');
    expect(run('TTL', 's')).toBe(':100\r\n');
    expect(run('SCARD', 's')).toBe(':1\r\n');
  });
});

describe('SRANDMEMBER with a huge negative count', () => {
  it('refuses a reply larger than the engine\'s bound beyond the set\'s size', () => {
    const { run } = hashSession();
    run('SADD', 's', 'x'.repeat(1000), 'y'.repeat(1000));
    expect(run('SRANDMEMBER', 's', '-9223372036854775807')).toBe(
      "-ERR SRANDMEMBER reply too large for this engine (a negative count beyond the set's size, over 64 MiB)\r\n",
    );
    expect(run('SRANDMEMBER', 's', String(-Math.ceil(HRANDFIELD_REPLY_LIMIT / 1000)))).toMatch(/^-ERR SRANDMEMBER reply too large/);
    const small = bulks(run('SRANDMEMBER', 's', '-1000'));
    expect(small).toHaveLength(1000);
  });
});
