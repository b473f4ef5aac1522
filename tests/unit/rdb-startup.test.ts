// A node's disk survives its crash; at start the new process loads
// dump.rdb, logging what redis-server 7.0.15 logs (observed on the real
// server: a dump.rdb saved, then loaded intact, truncated, with a wrong
// checksum, a wrong signature, a corrupt string). A file it cannot load
// makes the process exit: the node stays down and the world goes on.
import { describe, expect, it } from 'vitest';
import { World, DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { connect, plain } from '../support/world-client.ts';
import { EXAMPLE_1_WITH_A_MODULE_VALUE, REDIS_FACTS_EXAMPLE_2 } from './rdb-fixtures.ts';

/** The messages of the node's log lines since its last start (the text after the level char). */
function linesOfLastStart(world: World, port = 6379): string[] {
  const lines = world.logs(port).map((r) => r.line);
  let start = lines.length - 1;
  while (start > 0 && !lines[start].includes('Redis is starting')) start--;
  return lines.slice(start).map((l) => l.replace(/^\d+:[CM] \d\d \w{3} \d{4} [\d:.]+ /, ''));
}

function saved(world: World, commands: string[][]): void {
  const run = connect(world);
  for (const c of commands) run(...c);
  expect(plain(run('SAVE'))).toBe('OK');
}

const START = [
  '# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
  expect.stringMatching(/^# Redis version=7\.0\.15, bits=64, commit=00000000, modified=0, pid=\d+, just started$/),
  '# Configuration loaded',
  '* monotonic clock: POSIX clock_gettime',
  '* Running mode=standalone, port=6379.',
  '# Server initialized',
];

describe('a node restarted with a dump.rdb on its disk', () => {
  it('gets its keys back, values and TTLs, and logs the loading lines in Redis\'s order', () => {
    const world = new World();
    saved(world, [
      ['SET', 'a', '1'],
      ['SET', 'b', 'x'.repeat(100)],
      ['SET', 'ttl', 'v', 'PX', '60000'],
      ['SELECT', '5'],
      ['SET', 'five', 'in db 5'],
    ]);
    world.runUntil(3_000_000);
    world.crashNode(6379);
    expect(world.nodes()[0].up).toBe(false);
    world.runUntil(4_000_000);
    world.startNode(6379);
    expect(world.nodes()[0].up).toBe(true);
    const run = (...a: string[]) => plain(connect(world)(...a));
    const c = connect(world);
    expect(plain(c('GET', 'a'))).toBe('1');
    expect(plain(c('GET', 'b'))).toBe('x'.repeat(100));
    expect(plain(c('PEXPIRETIME', 'ttl'))).toBe(DEFAULT_EPOCH_MS + 60000);
    expect(plain(c('SELECT', '5'))).toBe('OK');
    expect(plain(c('GET', 'five'))).toBe('in db 5');
    expect(run('DBSIZE')).toBe(3);
    expect(linesOfLastStart(world)).toEqual([
      ...START,
      '* Loading RDB produced by version 7.0.15',
      '* RDB age 4 seconds',
      expect.stringMatching(/^\* RDB memory usage when created 0\.\d\d Mb$/),
      '* Done loading RDB, keys loaded: 4, keys expired: 0.',
      '* DB loaded from disk: 0.000 seconds',
      '* Ready to accept connections',
    ]);
  });

  it('skips the keys whose time passed while it was down, and counts them', () => {
    const world = new World();
    saved(world, [['SET', 'short', 'v', 'PX', '500'], ['SET', 'long', 'v', 'EX', '100'], ['SET', 'none', 'v']]);
    world.crashNode(6379);
    world.runUntil(1_000_000);
    world.startNode(6379);
    expect(linesOfLastStart(world)).toContain('* Done loading RDB, keys loaded: 2, keys expired: 1.');
    const c = connect(world);
    expect(plain(c('EXISTS', 'short', 'long', 'none'))).toBe(2);
    expect(plain(c('DBSIZE'))).toBe(2);
  });

  it('starts empty, with no loading lines, when the disk has no dump.rdb; a crash without SAVE loses the data', () => {
    const world = new World();
    connect(world)('SET', 'k', 'v');
    world.crashNode(6379);
    world.startNode(6379);
    expect(linesOfLastStart(world)).toEqual([...START, '* Ready to accept connections']);
    expect(plain(connect(world)('DBSIZE'))).toBe(0);
  });

  it('keeps each node\'s disk to itself', () => {
    const world = new World();
    saved(world, [['SET', 'k', 'v']]);
    expect(world.disk(6380).exists('dump.rdb')).toBe(false);
    world.crashNode(6380);
    world.startNode(6380);
    expect(plain(connect(world, 6380)('EXISTS', 'k'))).toBe(0);
  });

  it('warns that no check was done when the file was saved with rdbchecksum off', () => {
    const world = new World();
    world.node(6379)!.config.rdbChecksum = false;
    saved(world, [['SET', 'k', 'v']]);
    world.crashNode(6379);
    world.startNode(6379);
    expect(linesOfLastStart(world).slice(-4)).toEqual([
      '# RDB file was saved with checksum disabled: no check performed.',
      '* Done loading RDB, keys loaded: 1, keys expired: 0.',
      '* DB loaded from disk: 0.000 seconds',
      '* Ready to accept connections',
    ]);
  });
});

describe('a node started on a dump.rdb real Redis wrote', () => {
  it('loads the file of a replica (redis-facts.md 9.4), its age clamped to 0 when it is from the future', () => {
    const world = new World();
    world.crashNode(6379);
    world.disk(6379).write('dump.rdb', REDIS_FACTS_EXAMPLE_2);
    expect(world.startNode(6379)).toBe(true);
    expect(linesOfLastStart(world).slice(START.length)).toEqual([
      '* Loading RDB produced by version 7.0.15',
      '* RDB age 0 seconds', // ctime is in Nov 2026, the world's clock in Jan 2026
      '* RDB memory usage when created 1.79 Mb',
      '* Done loading RDB, keys loaded: 2, keys expired: 0.',
      '* DB loaded from disk: 0.000 seconds',
      '* Ready to accept connections',
    ]);
    const c = connect(world);
    expect(plain(c('GET', 'a'))).toBe('1');
    c('SELECT', '2');
    expect(plain(c('GET', 'b'))).toBe('x');
  });

  it('stays down on a file holding a type it cannot load, saying so (a module value in the place of redis-facts.md 9.3\'s last key)', () => {
    const world = new World();
    world.crashNode(6379);
    world.disk(6379).write('dump.rdb', EXAMPLE_1_WITH_A_MODULE_VALUE);
    expect(world.startNode(6379)).toBe(false);
    expect(linesOfLastStart(world).at(-1)).toBe(
      "# Can't load module values (RDB type 7) yet (key 'lst' in DB 0). This engine cannot load dump.rdb; exiting.",
    );
    expect(world.nodes()[0].up).toBe(false);
  });
});

describe('a node whose dump.rdb cannot be loaded', () => {
  function broken(change: (file: Uint8Array) => Uint8Array): { world: World; lines: string[] } {
    const world = new World();
    saved(world, [['SET', 'a', '1'], ['SET', 'b', 'hello']]);
    world.crashNode(6379);
    world.disk(6379).write('dump.rdb', change(world.disk(6379).read('dump.rdb')!));
    world.startNode(6379);
    return { world, lines: linesOfLastStart(world) };
  }

  const LOADING = ['* Loading RDB produced by version 7.0.15', '* RDB age 0 seconds', expect.stringMatching(/^\* RDB memory usage when created 0\.\d\d Mb$/)];

  it('stays down after a wrong checksum, logging both values; the other nodes keep running', () => {
    const { world, lines } = broken((f) => {
      f[f.length - 1] ^= 0x01;
      return f;
    });
    expect(lines).toEqual([
      ...START,
      ...LOADING,
      expect.stringMatching(/^# Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/),
      '# Internal error in RDB reading offset 0, function at rdb.c:3225 -> RDB CRC error',
    ]);
    const [expected, got] = /\((\w+)\) but got \((\w+)\)/.exec(lines.at(-2)!)!.slice(1);
    expect(BigInt('0x' + expected) ^ BigInt('0x' + got)).toBe(0x01n << 56n);
    expect(world.nodes().map((n) => [n.port, n.up])).toEqual([[6379, false], [6380, true], [6381, true]]);
    expect(world.connectExternal(6379, { data() {}, closed() {} })).toBeNull();
    expect(plain(connect(world, 6380)('PING'))).toBe('PONG');
    world.runUntil(10_000_000);
    expect(world.nodes()[0].up).toBe(false);
  });

  it('stays down after a short read (a truncated file)', () => {
    const { world, lines } = broken((f) => f.subarray(0, f.length - 12));
    expect(lines.slice(START.length)).toEqual([
      ...LOADING,
      '# Short read or OOM loading DB. Unrecoverable error, aborting now.',
      '# Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
    ]);
    expect(world.nodes()[0].up).toBe(false);
  });

  it('stays down on an empty file, a wrong signature or a version it cannot read', () => {
    expect(broken(() => new Uint8Array(0)).lines.slice(START.length)).toEqual([
      '# Short read or OOM loading DB. Unrecoverable error, aborting now.',
      '# Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file',
    ]);
    expect(broken((f) => ((f[0] = 0x58), f)).lines.slice(START.length)).toEqual([
      '# Wrong signature trying to load DB from file',
      '# Fatal error loading the DB: Invalid argument. Exiting.',
    ]);
    expect(broken((f) => ((f[8] = 0x31), f)).lines.slice(START.length)).toEqual([
      "# Can't handle RDB format version 11",
      '# Fatal error loading the DB: Invalid argument. Exiting.',
    ]);
  });

  it('stays down on a corrupt string encoding and on an unknown type, with the lines of each', () => {
    // The value of "b" (05 "hello") becomes an unknown string encoding C4.
    const corrupt = broken((f) => {
      const at = findBytes(f, [0x01, 0x62, 0x05]) + 2;
      f[at] = 0xc4;
      return f;
    });
    expect(corrupt.lines.slice(START.length + 3)).toEqual([
      '# Internal error in RDB reading offset 0, function at rdb.c:529 -> Unknown RDB string encoding type 4',
      '# Terminating server after rdb file reading failure.',
    ]);
    const unknown = broken((f) => {
      f[findBytes(f, [0x01, 0x62, 0x05]) - 1] = 0x30;
      return f;
    });
    expect(unknown.lines.slice(START.length + 3)).toEqual([
      '# Internal error in RDB reading offset 0, function at rdb.c:2681 -> Unknown RDB encoding type 48',
    ]);
  });

  it('starts again once the file is removed', () => {
    const { world } = broken((f) => f.subarray(0, 20));
    world.disk(6379).remove('dump.rdb');
    world.startNode(6379);
    expect(world.nodes()[0].up).toBe(true);
    expect(plain(connect(world)('DBSIZE'))).toBe(0);
  });
});

function findBytes(haystack: Uint8Array, needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((b, j) => haystack[i + j] === b)) return i;
  throw new Error('not found');
}
