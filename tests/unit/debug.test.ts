// DEBUG beyond its golden transcript (tests/golden/cases/debug.cmds): the
// subcommands a simulated process refuses with an error of the engine's
// own, the ones that end the process, SLEEP on a host where no time
// passes, and the pieces behind DIGEST and the access times of OBJECT.
import { describe, expect, it } from 'vitest';
import { engineSession } from '../support/engine-session.ts';
import { Scenario } from '../support/scenario.ts';
import { sha1 } from '../../src/engine/sha1.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';
import { decrAndReturn, idleMs, LRU_CLOCK_MAX, lruClockAt, setLruOrLfu, stampNew, touch, type AccessPolicy } from '../../src/engine/keyspace/lru.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';
import { ExpireOrder } from '../../src/engine/keyspace/expire-order.ts';

function debugSession() {
  const s = engineSession();
  s.node.config.enableDebugCommand = 'yes';
  return s;
}

describe('DEBUG, where a simulated process differs', () => {
  it('refuses what would crash, restart or print to stdout with an engine error, after Redis\'s own checks', () => {
    const { run } = debugSession();
    run('SET', 's', 'v');
    run('HSET', 'h', 'f', 'v');
    for (const sub of ['SEGFAULT', 'PANIC', 'ASSERT', 'OOM', 'RESTART', 'CRASH-AND-RECOVER']) {
      expect(run('DEBUG', sub)).toBe(`-ERR DEBUG ${sub} is not supported by this engine\r\n`);
    }
    expect(run('DEBUG', 'LISTPACK', 'h')).toBe("-ERR DEBUG LISTPACK (it prints to the process's stdout) is not supported by this engine\r\n");
    expect(run('DEBUG', 'HTSTATS', '0')).toMatch(/^-ERR DEBUG HTSTATS .* is not supported by this engine\r\n$/);
    expect(run('DEBUG', 'MALLCTL', 'x')).toBe('-ERR DEBUG MALLCTL (there is no jemalloc) is not supported by this engine\r\n');
    expect(run('DEBUG', 'SET-SKIP-CHECKSUM-VALIDATION', '1')).toBe('-ERR DEBUG SET-SKIP-CHECKSUM-VALIDATION is not supported by this engine\r\n');
    run('SET', 'r', 'x'.repeat(60));
    expect(run('DEBUG', 'SDSLEN', 'r')).toBe('-ERR DEBUG SDSLEN of a raw string is not supported by this engine\r\n');
    expect(run('DEBUG', 'POPULATE', '100000000')).toBe('-ERR DEBUG POPULATE of more than 20000000 keys is not supported by this engine\r\n');
  });

  it('answers SLEEP at once on a host where no time passes', () => {
    const { run } = debugSession();
    expect(run('DEBUG', 'SLEEP', '5')).toBe('+OK\r\n');
    expect(run('PING')).toBe('+PONG\r\n');
  });

  it('is refused with enable-debug-command local from another address, allowed from 127.0.0.1', () => {
    const { run, node, client } = engineSession();
    node.config.enableDebugCommand = 'local';
    expect(run('DEBUG', 'DIGEST')).toBe('+0000000000000000000000000000000000000000\r\n');
    (client.peer as { ip: string }).ip = '10.0.0.5';
    expect(run('DEBUG', 'DIGEST')).toMatch(/^-ERR DEBUG command not allowed\./);
  });

  it('LOADAOF with appendonly off makes the process exit, as redis-server exits', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    s.cmd(6379, 'SET', 'k', 'v');
    const probe = s.send(6379, 'DEBUG', 'LOADAOF');
    s.run(0.1);
    expect(probe()).toBe('closed');
    expect(s.world.isUp(6379)).toBe(false);
  });

  it('RELOAD saves, flushes and loads with the lines redis-server 7.0.15 logs', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    s.cmd(6379, 'SET', 'k', 'v');
    s.cmd(6379, 'SET', 'gone', 'v', 'PX', '10');
    s.cmd(6379, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    s.run(0.1);
    const t0 = s.mark();
    expect(s.cmd(6379, 'DEBUG', 'RELOAD')).toBe('OK');
    expect(s.logs(6379, t0).map((l) => l.replace(/[\d.]+ Mb$/, 'N Mb'))).toEqual([
      'M * DB saved on disk',
      'M * Loading RDB produced by version 7.0.15',
      'M * RDB age 0 seconds',
      'M * RDB memory usage when created N Mb',
      'M * Done loading RDB, keys loaded: 1, keys expired: 1.',
      'M # DB reloaded by DEBUG RELOAD',
    ]);
    expect(s.cmd(6379, 'DBSIZE')).toBe(1);
  });

  it('RELOAD NOSAVE without a file answers an error and keeps nothing (the data was flushed first)', () => {
    const { run } = debugSession();
    run('SET', 'k', 'v');
    expect(run('DEBUG', 'RELOAD', 'NOSAVE')).toBe('-ERR Error trying to load the RDB dump\r\n');
    expect(run('DBSIZE')).toBe(':0\r\n');
  });

  it('QUICKLIST-PACKED-THRESHOLD applies to the lists there are and to new ones', () => {
    const { run, db } = debugSession();
    run('RPUSH', 'old', 'a');
    expect(run('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '10')).toBe('+OK\r\n');
    run('RPUSH', 'old', 'x'.repeat(20));
    run('RPUSH', 'new', 'x'.repeat(20));
    for (const key of ['old', 'new']) {
      const v = db.peek(key)!;
      if (v.type !== 'list') throw new Error('not a list');
      expect([...v.list.nodes()].some((n) => n.plain)).toBe(true);
    }
  });
});

describe('SHA-1 (DEBUG DIGEST)', () => {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  it('matches the FIPS 180-4 examples', () => {
    expect(hex(sha1(fromLatin1('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha1(fromLatin1('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(fromLatin1('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(hex(sha1(fromLatin1('a'.repeat(1000000))))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });
});

describe('Access times (OBJECT IDLETIME and FREQ)', () => {
  const policy = (over: Partial<AccessPolicy> = {}): AccessPolicy => ({
    lfu: () => false,
    lruClock: () => 1000,
    unixtime: () => 1_800_000_000,
    lfuLogFactor: () => 10,
    lfuDecayTime: () => 1,
    random: () => 0.5,
    noSharedIntegers: () => false,
    sharedLru: () => new Int32Array(10000),
    childActive: () => false,
    ...over,
  });

  it('gives the small integers one access time per node, dating from its start, moved by any key holding one', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'a', '7');
    s.cmd(6379, 'SET', 'other', 'x');
    s.run(30);
    s.cmd(6379, 'SET', 'b', '7');
    expect(s.cmd(6379, 'OBJECT', 'IDLETIME', 'b')).toBeGreaterThanOrEqual(30);
    expect(s.cmd(6379, 'OBJECT', 'IDLETIME', 'other')).toBeGreaterThanOrEqual(29);
    s.cmd(6379, 'GET', 'a');
    expect(s.cmd(6379, 'OBJECT', 'IDLETIME', 'b')).toBe(0);
    s.cmd(6379, 'SET', 'big', '10000');
    s.run(5);
    expect(s.cmd(6379, 'OBJECT', 'IDLETIME', 'big')).toBeGreaterThanOrEqual(4);
    expect(s.cmd(6379, 'OBJECT', 'REFCOUNT', 'b')).toBe(2147483647);
  });

  it('does not touch a value while a fork\'s child runs', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    s.cmd(6379, 'SET', 'k2', 'v');
    s.run(10);
    s.cmd(6379, 'CONFIG', 'SET', 'rdb-key-save-delay', '5000000'); // 5 s a key: the child runs for a while
    s.cmd(6379, 'BGSAVE');
    s.run(1);
    s.cmd(6379, 'GET', 'k');
    expect(s.cmd(6379, 'OBJECT', 'IDLETIME', 'k')).toBeGreaterThanOrEqual(10);
    s.waitFor(() => s.info(6379, 'persistence').rdb_bgsave_in_progress === '0', 30, 'the child done');
    s.cmd(6379, 'GET', 'k');
    expect(s.cmd(6379, 'OBJECT', 'IDLETIME', 'k')).toBe(0);
  });

  it('counts idle seconds on the 24-bit LRU clock, across its wrap', () => {
    const v = stringValue(fromLatin1('x'));
    stampNew(v, policy({ lruClock: () => LRU_CLOCK_MAX - 5 }));
    expect(idleMs(v, policy({ lruClock: () => 10 }))).toBe(15_000);
    expect(lruClockAt(16_777_216_000 + 3_000)).toBe(3);
  });

  it('stamps a stored value once, and a touch moves it', () => {
    const v = stringValue(fromLatin1('x'));
    stampNew(v, policy({ lruClock: () => 10 }));
    stampNew(v, policy({ lruClock: () => 50 }));
    expect(idleMs(v, policy({ lruClock: () => 50 }))).toBe(40_000);
    touch(v, policy({ lruClock: () => 50 }));
    expect(idleMs(v, policy({ lruClock: () => 50 }))).toBe(0);
  });

  it('grows an LFU counter logarithmically and lets it decay one per lfu-decay-time minutes', () => {
    const lfu = policy({ lfu: () => true });
    const v = stringValue(fromLatin1('x'));
    stampNew(v, lfu);
    expect(decrAndReturn(v, lfu)).toBe(5);
    touch(v, lfu); // p = 1 at the initial value
    expect(decrAndReturn(v, lfu)).toBe(6);
    touch(v, lfu); // p = 1/11 < 0.5: no growth
    expect(decrAndReturn(v, lfu)).toBe(6);
    expect(decrAndReturn(v, policy({ lfu: () => true, unixtime: () => 1_800_000_000 + 4 * 60 }))).toBe(2);
    expect(decrAndReturn(v, policy({ lfu: () => true, unixtime: () => 1_800_000_000 + 40 * 60 }))).toBe(0);
    setLruOrLfu(v, 200n, -1n, lfu);
    expect(decrAndReturn(v, lfu)).toBe(200);
  });
});

describe('The expiry cycle\'s sampling order', () => {
  it('visits every volatile key once per sweep, skipping and dropping those that lost their TTL', () => {
    const order = new ExpireOrder();
    const expires = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      expires.set(`k${i}`, i);
      order.added(`k${i}`);
    }
    for (let i = 0; i < 100; i += 2) expires.delete(`k${i}`);
    const sweep: string[] = [];
    for (let i = 0; i < 50; i++) sweep.push(order.next(expires)![0]);
    expect(new Set(sweep).size).toBe(50);
    expect(sweep.every((k) => expires.has(k))).toBe(true);
    // Not the insertion order: keys written one after the other land apart.
    expect(sweep.slice(0, 10)).not.toEqual(['k1', 'k3', 'k5', 'k7', 'k9', 'k11', 'k13', 'k15', 'k17', 'k19']);
    expect(order.next(new Map())).toBe(null);
  });
});
