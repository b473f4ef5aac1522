// The hash group where golden transcripts cannot reach: RESP3 replies (no
// HELLO yet), the keyspace hit/miss counters (no INFO yet), and HRANDFIELD's
// random choices (drawn from the node's seeded stream: deterministic for a
// seed, uniform, and in the orders Redis gives). Expected replies marked
// "observed" were captured from redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { bulks, fieldArgs, hashSession } from './hash-support.ts';
import { HRANDFIELD_REPLY_LIMIT } from '../../src/engine/commands/hash.ts';

describe('RESP3 replies', () => {
  it('sends HGETALL as a map, nulls as _, HRANDFIELD WITHVALUES as pairs', () => {
    const { run } = hashSession({ protocol: 3 });
    // Observed, after HELLO 3.
    expect(run('HSET', 'r', 'a', '1', 'b', '2', 'c', '3')).toBe(':3\r\n');
    expect(run('HGETALL', 'r')).toBe('%3\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n');
    expect(run('HGETALL', 'nokey')).toBe('%0\r\n');
    expect(run('HKEYS', 'nokey')).toBe('*0\r\n');
    expect(run('HVALS', 'nokey')).toBe('*0\r\n');
    expect(run('HRANDFIELD', 'r', '5', 'WITHVALUES')).toBe(
      '*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n',
    );
    expect(run('HRANDFIELD', 'nokey')).toBe('_\r\n');
    expect(run('HRANDFIELD', 'nokey', '3')).toBe('*0\r\n');
    expect(run('HRANDFIELD', 'nokey', '-2', 'WITHVALUES')).toBe('*0\r\n');
    expect(run('HGET', 'r', 'zz')).toBe('_\r\n');
    expect(run('HGET', 'nokey', 'zz')).toBe('_\r\n');
    expect(run('HMGET', 'nokey', 'a')).toBe('*1\r\n_\r\n');
    expect(run('HRANDFIELD', 'r', '0', 'WITHVALUES')).toBe('*0\r\n');
    expect(run('HSET', 'one', 'f', 'v')).toBe(':1\r\n');
    expect(run('HRANDFIELD', 'one', '1', 'WITHVALUES')).toBe('*1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    expect(run('HRANDFIELD', 'one', '-2', 'WITHVALUES')).toBe('*2\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    expect(run('HRANDFIELD', 'one', '-2')).toBe('*2\r\n$1\r\nf\r\n$1\r\nf\r\n');
    expect(run('HINCRBYFLOAT', 'one', 'n', '1.5')).toBe('$3\r\n1.5\r\n');
    expect(run('HKEYS', 'one')).toBe('*2\r\n$1\r\nf\r\n$1\r\nn\r\n');
    expect(run('HGETALL', 'one')).toBe('%2\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nn\r\n$3\r\n1.5\r\n');
  });
});

describe('keyspace hits and misses', () => {
  it('counts the lookups Redis counts', () => {
    const { node, run } = hashSession();
    const stats = node.keyspace.stats;
    run('SET', 'hs:str', 'x');
    run('HSET', 'hs:a', 'f', '1', 'g', '2');
    // Observed: INFO stats after each command, from CONFIG RESETSTAT.
    const steps: [string[], number, number][] = [
      [['HSET', 'hs:b', 'f', '1'], 0, 0],
      [['HSET', 'hs:a', 'f', '2'], 0, 0],
      [['HSETNX', 'hs:a', 'f', '2'], 0, 0],
      [['HGET', 'hs:a', 'f'], 1, 0],
      [['HGET', 'hs:zz', 'f'], 1, 1],
      [['HMGET', 'hs:a', 'f', 'g'], 2, 1],
      [['HMGET', 'hs:zz', 'f'], 2, 2],
      [['HLEN', 'hs:a'], 3, 2],
      [['HLEN', 'hs:zz'], 3, 3],
      [['HSTRLEN', 'hs:a', 'f'], 4, 3],
      [['HEXISTS', 'hs:zz', 'f'], 4, 4],
      [['HDEL', 'hs:zz', 'f'], 4, 4],
      [['HDEL', 'hs:b', 'f'], 4, 4],
      [['HINCRBY', 'hs:a', 'n', '1'], 4, 4],
      [['HINCRBYFLOAT', 'hs:a', 'n', '1'], 4, 4],
      [['HKEYS', 'hs:a'], 5, 4],
      [['HVALS', 'hs:zz'], 5, 5],
      [['HGETALL', 'hs:a'], 6, 5],
      [['HRANDFIELD', 'hs:a'], 7, 5],
      [['HRANDFIELD', 'hs:zz'], 7, 6],
      [['HRANDFIELD', 'hs:a', '2'], 8, 6],
      [['HRANDFIELD', 'hs:zz', '-2'], 8, 7],
      [['HRANDFIELD', 'hs:a', '0'], 9, 7],
      [['HGET', 'hs:str', 'f'], 10, 7],
      [['HMGET', 'hs:str', 'f'], 11, 7],
      [['HRANDFIELD', 'hs:a', 'abc'], 11, 7],
    ];
    stats.keyspaceHits = 0;
    stats.keyspaceMisses = 0;
    for (const [args, hits, misses] of steps) {
      run(...args);
      expect({ args, hits: stats.keyspaceHits, misses: stats.keyspaceMisses }).toEqual({ args, hits, misses });
    }
  });
});

describe('TTL', () => {
  it('survives changes to the hash, and goes with its last field', () => {
    const { run, db } = hashSession();
    run('HSET', 'h', 'a', '1');
    run('EXPIRE', 'h', '100');
    run('HSET', 'h', 'b', '2');
    run('HINCRBY', 'h', 'c', '1');
    run('HINCRBYFLOAT', 'h', 'c', '1');
    run('HDEL', 'h', 'a');
    expect(run('TTL', 'h')).toBe(':100\r\n');
    run('HDEL', 'h', 'b', 'c');
    expect(db.size).toBe(0);
    expect(db.expires.size).toBe(0);
  });
});

/** The fields of n HRANDFIELD replies with these arguments. */
function draws(run: (...args: string[]) => string, n: number, ...args: string[]): string[][] {
  return Array.from({ length: n }, () => bulks(run('HRANDFIELD', ...args)));
}

describe('HRANDFIELD draws from the node\'s seeded stream', () => {
  it('gives the same answers for the same seed, other answers for another', () => {
    const answers = (seed: number) => {
      const { run } = hashSession({ seed });
      run('HSET', 'h', ...fieldArgs(20));
      return [run('HRANDFIELD', 'h'), run('HRANDFIELD', 'h', '-10', 'WITHVALUES'), run('HRANDFIELD', 'h', '5'), run('HRANDFIELD', 'h', '15')];
    };
    expect(answers(7)).toEqual(answers(7));
    expect(answers(7)).not.toEqual(answers(8));
  });

  it('picks one field uniformly', () => {
    const { run } = hashSession({ seed: 3 });
    run('HSET', 'h', ...fieldArgs(4));
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const reply = run('HRANDFIELD', 'h');
      const field = /^\$\d+\r\n(.*)\r\n$/.exec(reply)![1];
      counts.set(field, (counts.get(field) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['f1', 'f2', 'f3', 'f4']);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('with a negative count: that many independent draws, with values that go with their fields', () => {
    const { run } = hashSession({ seed: 4 });
    run('HSET', 'h', ...fieldArgs(5));
    const reply = bulks(run('HRANDFIELD', 'h', '-5000', 'WITHVALUES'));
    expect(reply.length).toBe(10000);
    const counts = new Map<string, number>();
    for (let i = 0; i < reply.length; i += 2) {
      expect(reply[i + 1]).toBe('v' + reply[i].slice(1));
      counts.set(reply[i], (counts.get(reply[i]) ?? 0) + 1);
    }
    expect(counts.size).toBe(5);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
    // Repetitions, in no fixed order.
    expect(bulks(run('HRANDFIELD', 'h', '-3'))).toHaveLength(3);
  });

  for (const [encoding, value] of [['listpack', 'v'], ['hashtable', 'x'.repeat(65)]] as const) {
    describe(`with a positive count smaller than a ${encoding} hash`, () => {
      const session = () => {
        const s = hashSession({ seed: 5 });
        s.run('HSET', 'h', ...fieldArgs(9), 'big', value);
        expect(s.hash('h')!.encoding).toBe(encoding);
        return s;
      };
      const order = [...Array.from({ length: 9 }, (_, i) => `f${i + 1}`), 'big'];

      it('gives distinct fields, each equally likely (count * 3 > size: removal)', () => {
        const { run } = session();
        const counts = new Map<string, number>();
        for (const picks of draws(run, 3000, 'h', '6')) {
          expect(new Set(picks).size).toBe(6);
          // What is left is listed in the hash's order.
          expect(picks).toEqual(order.filter((f) => picks.includes(f)));
          for (const f of picks) counts.set(f, (counts.get(f) ?? 0) + 1);
        }
        expect(counts.size).toBe(10);
        for (const c of counts.values()) expect(Math.abs(c - 1800)).toBeLessThan(150);
      });

      it('gives distinct fields, each equally likely (count * 3 <= size)', () => {
        const { run } = session();
        const counts = new Map<string, number>();
        let inOrder = 0;
        for (const picks of draws(run, 3000, 'h', '3')) {
          expect(new Set(picks).size).toBe(3);
          if (picks.join() === order.filter((f) => picks.includes(f)).join()) inOrder++;
          for (const f of picks) counts.set(f, (counts.get(f) ?? 0) + 1);
        }
        expect(counts.size).toBe(10);
        for (const c of counts.values()) expect(Math.abs(c - 900)).toBeLessThan(120);
        // A listpack is walked once (lpRandomPairsUnique): the picks come in
        // its order. A hashtable answers in draw order (1 in 6 sorted).
        if (encoding === 'listpack') expect(inOrder).toBe(3000);
        else expect(inOrder).toBeLessThan(700);
      });

      it('keeps each value with its field', () => {
        const { run } = session();
        const reply = bulks(run('HRANDFIELD', 'h', '4', 'WITHVALUES'));
        expect(reply).toHaveLength(8);
        for (let i = 0; i < 8; i += 2) expect(reply[i + 1]).toBe(reply[i] === 'big' ? value : 'v' + reply[i].slice(1));
      });
    });
  }
});

describe('HRANDFIELD with a huge negative count', () => {
  const refused = "-ERR HRANDFIELD reply too large for this engine (a negative count beyond the hash's size, over 64 MiB)\r\n";

  it('refuses a reply larger than the engine\'s bound, writing nothing else', () => {
    const { run } = hashSession();
    run('HSET', 'h', 'f', 'v');
    // Beyond bound / 6 picks: refused without drawing.
    expect(HRANDFIELD_REPLY_LIMIT).toBe(64 * 1024 * 1024);
    expect(run('HRANDFIELD', 'h', '-9223372036854775807')).toBe(refused);
    expect(run('HRANDFIELD', 'h', '-4611686018427387903', 'WITHVALUES')).toBe(refused);
    expect(run('HRANDFIELD', 'h', '-11184811')).toBe(refused);
    // Just within it (9000000 picks of 7 bytes), and just beyond it.
    expect(run('HRANDFIELD', 'h', '-9000000').length).toBe(10 + 9000000 * 7);
    expect(run('HRANDFIELD', 'h', '-9600000')).toBe(refused);
    // Within it by count, beyond it by size: refused after drawing, exactly.
    run('HSET', 'big', 'f', 'x'.repeat(1024 * 1024));
    expect(run('HRANDFIELD', 'big', '-70', 'WITHVALUES')).toBe(refused);
    expect(run('HRANDFIELD', 'big', '-3', 'WITHVALUES')).toMatch(/^\*6\r\n\$1\r\nf\r\n\$1048576\r\n/);
    // A positive count is bounded by the hash itself (Redis lists it whole).
    expect(run('HRANDFIELD', 'h', '9223372036854775807')).toBe('*1\r\n$1\r\nf\r\n');
  });

  it('serves any count within the hash\'s size, however large the reply', () => {
    const { run, hash } = hashSession();
    run('HSET', 'huge', 'f', 'v', 'g', 'w');
    const size = HRANDFIELD_REPLY_LIMIT + 1;
    hash('huge')!.fields.set('f', new Uint8Array(size));
    hash('huge')!.fields.set('g', new Uint8Array(size));
    const reply = run('HRANDFIELD', 'huge', '-2', 'WITHVALUES');
    expect(reply.length).toBe(4 + 2 * (7 + 11 + size + 2));
    expect(reply.slice(0, 6)).toBe('*4\r\n$1');
    expect(run('HRANDFIELD', 'huge', '-3', 'WITHVALUES')).toBe(refused);
  });
});
