// The list commands where golden transcripts cannot reach: RESP3 replies (no
// HELLO yet), the encoding OBJECT ENCODING will report (no OBJECT yet),
// list-max-listpack-size taken when a list is created, COPY keeping the
// source's fill, the keyspace hit/miss counters (no INFO yet), lazy expiry
// (time stands still in a golden run). The blocking commands are in
// blocking.test.ts. Expected replies marked "observed" were captured from
// redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { engineSession } from '../support/engine-session.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import type { ListValue } from '../../src/engine/keyspace/list.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';


const b = (s: string) => fromLatin1(s);

function session(protocol: 2 | 3 = 2) {
  const { node, clock, run } = engineSession(protocol);
  const list = (key: string, db = 0) => node.keyspace.dbs[db].peek(keyName(b(key))) as ListValue | undefined;
  const nodeCounts = (key: string, db = 0) => [...list(key, db)!.list.nodes()].map((n) => n.count);
  return { node, clock, run, list, nodeCounts };
}

describe('RESP3 replies (observed, after HELLO 3)', () => {
  it('sends nulls as _ where RESP2 has $-1 or *-1, and arrays alike', () => {
    const { run } = session(3);
    const cases: Array<[string[], string]> = [
      [['RPUSH', 'k', 'a', 'b', 'c'], ':3\r\n'],
      [['LPOP', 'missing'], '_\r\n'],
      [['LPOP', 'missing', '2'], '_\r\n'],
      [['LPOP', 'missing', '0'], '_\r\n'],
      [['RPOP', 'k', '0'], '*0\r\n'],
      [['RPOP', 'k', '2'], '*2\r\n$1\r\nc\r\n$1\r\nb\r\n'],
      [['LPOP', 'k', '5'], '*1\r\n$1\r\na\r\n'],
      [['LPOP', 'k'], '_\r\n'],
      [['RPUSH', 'k', 'a', 'b', 'c'], ':3\r\n'],
      [['LINDEX', 'k', '5'], '_\r\n'],
      [['LINDEX', 'missing', '0'], '_\r\n'],
      [['LPOS', 'k', 'z'], '_\r\n'],
      [['LPOS', 'missing', 'z'], '_\r\n'],
      [['LPOS', 'k', 'z', 'COUNT', '0'], '*0\r\n'],
      [['LPOS', 'missing', 'z', 'COUNT', '0'], '*0\r\n'],
      [['LPOS', 'k', 'b', 'COUNT', '0'], '*1\r\n:1\r\n'],
      [['LMPOP', '2', 'missing', 'k', 'RIGHT', 'COUNT', '2'], '*2\r\n$1\r\nk\r\n*2\r\n$1\r\nc\r\n$1\r\nb\r\n'],
      [['LMPOP', '1', 'missing', 'LEFT'], '_\r\n'],
      [['LMOVE', 'missing', 'k', 'LEFT', 'LEFT'], '_\r\n'],
      [['RPOPLPUSH', 'missing', 'k'], '_\r\n'],
      [['LRANGE', 'missing', '0', '-1'], '*0\r\n'],
      [['LRANGE', 'k', '0', '-1'], '*1\r\n$1\r\na\r\n'],
    ];
    for (const [args, want] of cases) expect([args.join(' '), run(...args)]).toEqual([args.join(' '), want]);
  });

  it('sends the RESP2 null array for a missing key with a count', () => {
    const { run } = session(2);
    expect(run('LPOP', 'missing', '1')).toBe('*-1\r\n');
    expect(run('LMPOP', '1', 'missing', 'LEFT')).toBe('*-1\r\n');
    expect(run('LPOP', 'missing')).toBe('$-1\r\n');
  });
});

describe('the list value', () => {
  it('is a quicklist even with one element, as OBJECT ENCODING reports in 7.0 (observed)', () => {
    const { run, list } = session();
    expect(run('RPUSH', 'k', 'a')).toBe(':1\r\n');
    expect(list('k')!.type).toBe('list');
    expect(list('k')!.encoding).toBe('quicklist');
    expect(run('TYPE', 'k')).toBe('+list\r\n');
  });

  it('takes list-max-listpack-size and list-compress-depth when the list is created', () => {
    const { node, run, list, nodeCounts } = session();
    node.config.listMaxListpackSize = 2;
    node.config.listCompressDepth = 1;
    run('RPUSH', 'old', 'a', 'b', 'c');
    run('RPUSH', 'src', 'x');
    node.config.listMaxListpackSize = -2;
    node.config.listCompressDepth = 0;
    run('RPUSH', 'old', 'd', 'e');
    expect(nodeCounts('old')).toEqual([2, 2, 1]);
    expect(list('old')!.list.fill).toBe(2);
    expect(list('old')!.list.compress).toBe(1);
    run('RPUSH', 'new', 'a', 'b', 'c', 'd', 'e');
    expect(nodeCounts('new')).toEqual([5]);
    // LMOVE and RPOPLPUSH create their destination with the settings of the moment too.
    run('LMOVE', 'old', 'dst', 'LEFT', 'RIGHT');
    expect(list('dst')!.list.fill).toBe(-2);
  });

  it('is copied by COPY with its nodes and fill, and the copy changes alone', () => {
    const { node, run, list, nodeCounts } = session();
    node.config.listMaxListpackSize = 2;
    run('RPUSH', 'k', 'a', 'b', 'c');
    node.config.listMaxListpackSize = -2;
    expect(run('COPY', 'k', 'c', 'DB', '3')).toBe(':1\r\n');
    expect(list('c', 3)!.list.fill).toBe(2);
    expect(nodeCounts('c', 3)).toEqual([2, 1]);
    expect(list('c', 3)!.list).not.toBe(list('k')!.list);
    run('LSET', 'k', '0', 'changed');
    run('RPUSH', 'k', 'more');
    expect(list('c', 3)!.list.toArray().map((e) => latin1(e))).toEqual(['a', 'b', 'c']);
  });
});

describe('the keyspace counters', () => {
  it('count hits and misses for LLEN, LINDEX, LRANGE and LPOS only', () => {
    const { node, run } = session();
    const stats = node.keyspace.stats;
    run('RPUSH', 'k', 'a');
    run('LPUSHX', 'missing', 'a');
    run('LPOP', 'missing');
    run('LMOVE', 'missing', 'k', 'LEFT', 'LEFT');
    run('LSET', 'missing', '0', 'x');
    run('LINSERT', 'missing', 'BEFORE', 'a', 'b');
    run('LREM', 'missing', '0', 'a');
    run('LTRIM', 'missing', '0', '1');
    run('LMPOP', '1', 'missing', 'LEFT');
    expect(stats).toEqual({ keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 });
    for (const key of ['k', 'missing']) {
      run('LLEN', key);
      run('LINDEX', key, '0');
      run('LRANGE', key, '0', '-1');
      run('LPOS', key, 'a');
    }
    expect(stats).toEqual({ keyspaceHits: 4, keyspaceMisses: 4, expiredKeys: 0 });
  });
});

describe('lazy expiry', () => {
  it('treats an expired list as missing: pushes start a new list without the TTL', () => {
    const { clock, run } = session();
    run('RPUSH', 'k', 'a', 'b');
    run('PEXPIRE', 'k', '100');
    clock.advanceTo(101_000);
    expect(run('LPUSHX', 'k', 'x')).toBe(':0\r\n');
    run('RPUSH', 'k2', 'a');
    run('PEXPIRE', 'k2', '100');
    clock.advanceTo(202_000);
    expect(run('RPUSH', 'k2', 'new')).toBe(':1\r\n');
    expect(run('PTTL', 'k2')).toBe(':-1\r\n');
    expect(run('LRANGE', 'k2', '0', '-1')).toBe('*1\r\n$3\r\nnew\r\n');
  });

  it('pops the last element and removes the key with its TTL', () => {
    const { run } = session();
    run('RPUSH', 'k', 'a');
    run('EXPIRE', 'k', '100');
    expect(run('RPOPLPUSH', 'k', 'k2')).toBe('$1\r\na\r\n');
    expect(run('EXISTS', 'k')).toBe(':0\r\n');
    run('RPUSH', 'k', 'b');
    expect(run('TTL', 'k')).toBe(':-1\r\n');
  });
});
