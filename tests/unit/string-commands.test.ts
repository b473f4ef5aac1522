// The string group where golden transcripts cannot reach: RESP3 replies
// (no HELLO yet), proto-max-bulk-len limits (a real 512 MB string is out of
// the question, so the limit is lowered here), the keyspace hit/miss
// counters (no INFO yet), APPEND's spare capacity, and LCS's checkpointed
// table against the whole one. Expected replies marked "observed" were
// captured from redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { engineSession } from '../support/engine-session.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { lcsLength, lcsWalk } from '../../src/engine/commands/lcs.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';


const b = (s: string) => fromLatin1(s);

const session = engineSession;

describe('RESP3 replies', () => {
  it('sends LCS IDX as a map, and nulls as _', () => {
    const { run } = session(3);
    // Observed, after HELLO 3.
    expect(run('MSET', 'l1', 'ohmytext', 'l2', 'mynewtext')).toBe('+OK\r\n');
    expect(run('LCS', 'l1', 'l2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
      '%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n',
    );
    expect(run('LCS', 'l1', 'l2', 'IDX')).toBe(
      '%2\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n',
    );
    expect(run('MGET', 'l1', 'nokey')).toBe('*2\r\n$8\r\nohmytext\r\n_\r\n');
    expect(run('GET', 'nokey')).toBe('_\r\n');
    expect(run('GETEX', 'nokey')).toBe('_\r\n');
    expect(run('SET', 'nokey', 'v', 'GET')).toBe('_\r\n');
    expect(run('SET', 'l1', 'x', 'NX')).toBe('_\r\n');
    expect(run('LCS', 'l1', 'nokey2', 'IDX')).toBe('%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n');
  });
});

describe('proto-max-bulk-len', () => {
  const tooLong = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n';

  it('bounds APPEND: the total length may equal the limit, not exceed it', () => {
    const { node, run } = session();
    node.config.protoMaxBulkLen = 10;
    expect(run('SET', 'k', '12345')).toBe('+OK\r\n');
    expect(run('APPEND', 'k', '123456')).toBe(tooLong);
    expect(run('APPEND', 'k', '12345')).toBe(':10\r\n');
    expect(run('APPEND', 'k', 'x')).toBe(tooLong);
    expect(run('APPEND', 'k', '')).toBe(':10\r\n');
    // A new key takes the argument as it is (the request itself was within the limit).
    expect(run('APPEND', 'new', '12345678901')).toBe(':11\r\n');
  });

  it('bounds SETRANGE by offset plus length, on new and existing keys', () => {
    const { node, run } = session();
    node.config.protoMaxBulkLen = 10;
    expect(run('SETRANGE', 'k', '8', 'abc')).toBe(tooLong);
    expect(run('SETRANGE', 'k', '7', 'abc')).toBe(':10\r\n');
    expect(run('SETRANGE', 'k', '9', 'xy')).toBe(tooLong);
    expect(run('SETRANGE', 'k', '0', 'xy')).toBe(':10\r\n');
    expect(run('GET', 'k')).toBe('$10\r\nxy\x00\x00\x00\x00\x00abc\r\n');
  });

  it('bounds the LCS table at 4 bytes a cell', () => {
    const { node, run } = session();
    node.config.protoMaxBulkLen = 4 * 4 * 5; // (3+1) * (4+1) cells
    run('MSET', 'a', 'abc', 'b', 'abcd', 'c', 'abcde');
    expect(run('LCS', 'a', 'b')).toBe('$3\r\nabc\r\n');
    expect(run('LCS', 'a', 'c', 'LEN')).toBe('-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n');
  });
});

describe('keyspace hits and misses', () => {
  it('counts the lookups Redis counts', () => {
    const { node, run } = session();
    const stats = node.keyspace.stats;
    run('SET', 'st:a', '1');
    // Observed: INFO stats after each command, from CONFIG RESETSTAT.
    const steps: [string[], number, number][] = [
      [['SET', 'st:b', '2', 'GET'], 0, 1],
      [['SET', 'st:a', '3', 'GET'], 1, 1],
      [['SET', 'st:c', '2', 'NX'], 1, 1],
      [['GET', 'st:a'], 2, 1],
      [['GET', 'st:zz'], 2, 2],
      [['MGET', 'st:a', 'st:zz', 'st:b'], 4, 3],
      [['LCS', 'st:a', 'st:zz'], 5, 4],
      [['INCR', 'st:a'], 5, 4],
      [['INCRBYFLOAT', 'st:a', '1'], 5, 4],
      [['APPEND', 'st:a', '1'], 5, 4],
      [['SETRANGE', 'st:a', '1', 'x'], 5, 4],
      [['GETRANGE', 'st:a', '0', '1'], 6, 4],
      [['GETRANGE', 'st:zz', '0', '1'], 6, 5],
      [['STRLEN', 'st:a'], 7, 5],
      [['GETEX', 'st:a'], 8, 5],
      [['GETDEL', 'st:a'], 9, 5],
      [['GETSET', 'st:q', '1'], 9, 6],
      [['MSETNX', 'st:q', '1'], 9, 6],
      [['SETNX', 'st:q', '1'], 9, 6],
      [['GETEX', 'st:none', 'EX', '10'], 9, 7],
      [['STRLEN', 'st:none'], 9, 8],
      [['SUBSTR', 'st:q', '0', '1'], 10, 8],
    ];
    stats.keyspaceHits = 0;
    stats.keyspaceMisses = 0;
    for (const [args, hits, misses] of steps) {
      run(...args);
      expect({ args, hits: stats.keyspaceHits, misses: stats.keyspaceMisses }).toEqual({ args, hits, misses });
    }
  });
});

describe('expire times', () => {
  it('are absolute unix ms from the node clock, kept exact beyond 2^53', () => {
    const { run, db } = session();
    run('SET', 'a', 'v', 'EX', '100');
    expect(db.getExpire(keyName(b('a')))).toBe(DEFAULT_EPOCH_MS + 100_000);
    run('PSETEX', 'b', '1500', 'v');
    expect(db.getExpire(keyName(b('b')))).toBe(DEFAULT_EPOCH_MS + 1500);
    run('SET', 'c', 'v', 'PXAT', '9223372036854775807');
    expect(db.getExpire(keyName(b('c')))).toBe(9223372036854775807n);
    run('GETEX', 'c', 'EXAT', '4102444800');
    expect(db.getExpire(keyName(b('c')))).toBe(4102444800000);
  });

  it('refuses a relative time that overflows once the clock is added', () => {
    const { run } = session();
    const limit = 9223372036854775807n - BigInt(DEFAULT_EPOCH_MS);
    expect(run('SET', 'a', 'v', 'PX', String(limit))).toBe('+OK\r\n');
    expect(run('SET', 'a', 'v', 'PX', String(limit + 1n))).toBe("-ERR invalid expire time in 'set' command\r\n");
    expect(run('GETEX', 'a', 'PX', String(limit + 1n))).toBe("-ERR invalid expire time in 'getex' command\r\n");
  });

  it('GETEX with an absolute time now or earlier deletes the key', () => {
    const { run } = session();
    run('SET', 'a', 'v');
    expect(run('GETEX', 'a', 'PXAT', String(DEFAULT_EPOCH_MS + 1))).toBe('$1\r\nv\r\n');
    expect(run('GET', 'a')).toBe('$1\r\nv\r\n');
    expect(run('GETEX', 'a', 'PXAT', String(DEFAULT_EPOCH_MS))).toBe('$1\r\nv\r\n');
    expect(run('GET', 'a')).toBe('$-1\r\n');
  });
});

describe('APPEND', () => {
  it('grows in place without changing bytes another value holds', () => {
    const { run, db } = session();
    run('SET', 'a', 'x'.repeat(50));
    run('APPEND', 'a', 'y');
    const shared = db.peek(keyName(b('a')))!;
    // The same value under a second key (as a careless COPY might store it).
    db.set(keyName(b('b')), shared);
    for (let i = 0; i < 20; i++) run('APPEND', 'a', String(i % 10));
    run('APPEND', 'b', 'Z');
    run('APPEND', 'b', 'W');
    expect(run('GET', 'a')).toBe(`$71\r\n${'x'.repeat(50)}y01234567890123456789\r\n`);
    expect(run('GET', 'b')).toBe(`$53\r\n${'x'.repeat(50)}yZW\r\n`);
    for (let i = 0; i < 3; i++) run('APPEND', 'a', '!');
    expect(run('GET', 'b')).toBe(`$53\r\n${'x'.repeat(50)}yZW\r\n`);
    expect(run('STRLEN', 'a')).toBe(':74\r\n');
  });

  it('stays linear over many appends', () => {
    const { run } = session();
    const chunk = 'z'.repeat(100);
    for (let i = 0; i < 20_000; i++) run('APPEND', 'big', chunk);
    expect(run('STRLEN', 'big')).toBe(':2000000\r\n');
    expect(run('GETRANGE', 'big', '-3', '-1')).toBe('$3\r\nzzz\r\n');
  });
});

describe('LCS table', () => {
  let seed = 12345;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const randomBytes = (len: number, alphabet: number) => Uint8Array.from({ length: len }, () => random(alphabet));

  it('gives the same result with checkpointed rows as with the whole table', () => {
    for (let t = 0; t < 200; t++) {
      const a = randomBytes(random(40), 1 + random(5));
      const bb = randomBytes(random(40), 1 + random(5));
      const whole = lcsWalk(a, bb, Infinity);
      expect(whole.length).toBe(lcsLength(a, bb));
      for (const cells of [0, 1, 7, 50]) {
        expect(lcsWalk(a, bb, cells)).toEqual(whole);
      }
    }
  });

  it('handles empty strings', () => {
    expect(lcsWalk(new Uint8Array(0), b('abc'), 0)).toEqual({ length: 0, lcs: new Uint8Array(0), ranges: [] });
    expect(lcsWalk(b('abc'), new Uint8Array(0), 0)).toEqual({ length: 0, lcs: new Uint8Array(0), ranges: [] });
  });
});
