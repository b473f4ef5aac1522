// The generic keyspace commands where golden transcripts cannot reach:
// time passing (the engine's clock stands still in a golden run), lazy
// expiry and its counters, a replica's keyspace, RANDOMKEY's draws, SWAPDB
// seen from another client, and COPY's independence from its source.
// The replies and error texts themselves are checked byte for byte against
// redis-server 7.0.15 by tests/golden/cases/generic.cmds.
import { Rng } from '../../src/sim/rng.ts';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/sim/clock.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { Keyspace } from '../../src/engine/keyspace/keyspace.ts';
import { keyName, type Db } from '../../src/engine/keyspace/db.ts';
import { stringValue, type StringValue } from '../../src/engine/keyspace/value.ts';
import { lookupCommand } from '../../src/engine/commands/registry.ts';
import { ReplyWriter } from '../../src/engine/resp/reply-writer.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { Watches } from '../../src/engine/watch.ts';
import { NodeConfig } from '../../src/engine/config.ts';
import { configValues } from '../../src/engine/config-values.ts';
import type { Client } from '../../src/engine/client.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** A keyspace on a clock, and commands run against it as one client would. */
class Bench {
  readonly clock = new Clock(DEFAULT_EPOCH_MS);
  readonly keyspace: Keyspace;
  readonly expired: string[] = [];
  readonly client = { db: 0 } as Client;
  private readonly node: RedisNode;

  constructor(options: { replica?: boolean; seed?: number } = {}) {
    this.keyspace = new Keyspace(16, this.clock, () => options.replica ?? false);
    this.keyspace.onExpired = (_db, key) => this.expired.push(key);
    // No fork to kill, no save points (FLUSHALL's persistence side: scenarios/bgsave.test.ts) and no blocked clients to serve (SWAPDB's: the blocking golden).
    // FLUSHDB and FLUSHALL run the node's own emptyData, with real watches and no tracking clients.
    const node = {
      options: { random: new Rng(options.seed ?? 1, 'bench') },
      config: new NodeConfig(),
      dirty: 0,
      port: 6379,
      keyspace: this.keyspace,
      currentClient: null,
      watches: new Watches(this.keyspace, () => {}),
      bgsave: { kill: () => {} },
      blocking: { scanDatabaseForReadyKeys: () => {} },
      tracking: { invalidateOnFlush: () => {} },
      emptyData: (dbnum: number): number => RedisNode.prototype.emptyData.call(node as unknown as RedisNode, dbnum),
    };
    this.node = node as unknown as RedisNode;
    configValues(this.node).setAtStartup('save', b(''));
  }

  db(i = this.client.db): Db {
    return this.keyspace.dbs[i];
  }

  /** A string key, as SET would store it, optionally with a TTL in ms. */
  put(key: string, value = 'v', ttlMs?: number, db = this.db()): void {
    db.set(key, stringValue(b(value)));
    if (ttlMs !== undefined) db.setExpire(key, this.keyspace.nowMs + ttlMs);
  }

  run(...args: string[]): string {
    const argv = args.map(b);
    const found = lookupCommand(argv);
    if ('error' in found) return `-${found.error}\r\n`;
    const reply = new ReplyWriter();
    found.command.handler!({ node: this.node, client: this.client, argv, reply, db: this.db(), keyspace: this.keyspace });
    return text(reply.take());
  }

  advance(ms: number): void {
    this.clock.advanceTo(this.clock.nowUs + ms * 1000);
  }
}

describe('expire times as the clock moves', () => {
  it('counts TTL and PTTL down, rounding TTL to the nearest second', () => {
    const t = new Bench();
    t.put('k');
    expect(t.run('EXPIRE', 'k', '10')).toBe(':1\r\n');
    expect(t.run('TTL', 'k')).toBe(':10\r\n');
    expect(t.run('PTTL', 'k')).toBe(':10000\r\n');
    t.advance(4400);
    expect(t.run('PTTL', 'k')).toBe(':5600\r\n');
    expect(t.run('TTL', 'k')).toBe(':6\r\n');
    t.advance(1200);
    expect(t.run('TTL', 'k')).toBe(':4\r\n'); // 4.4 s
    expect(t.run('EXPIRETIME', 'k')).toBe(`:${(DEFAULT_EPOCH_MS + 10000) / 1000}\r\n`);
    expect(t.run('PEXPIRETIME', 'k')).toBe(`:${DEFAULT_EPOCH_MS + 10000}\r\n`);
  });

  it('keeps a key until the ms after its expire time, then expires it on access and counts it', () => {
    const t = new Bench();
    t.put('k', 'v', 1000);
    t.advance(1000);
    expect(t.run('PTTL', 'k')).toBe(':0\r\n');
    expect(t.run('EXISTS', 'k')).toBe(':1\r\n');
    t.advance(1);
    expect(t.run('EXISTS', 'k')).toBe(':0\r\n');
    expect(t.run('TTL', 'k')).toBe(':-2\r\n');
    expect(t.keyspace.stats.expiredKeys).toBe(1);
    expect(t.expired).toEqual(['k']);
    expect(t.db().size).toBe(0);
  });

  it('deletes at once for a time not in the future, without counting an expiry', () => {
    const t = new Bench();
    t.put('a');
    t.put('b');
    t.put('c');
    expect(t.run('PEXPIREAT', 'a', String(DEFAULT_EPOCH_MS))).toBe(':1\r\n'); // now exactly
    expect(t.run('EXPIRE', 'b', '0')).toBe(':1\r\n');
    expect(t.run('PEXPIRE', 'c', '-1')).toBe(':1\r\n');
    expect(t.db().size).toBe(0);
    expect(t.keyspace.stats.expiredKeys).toBe(0);
    expect(t.expired).toEqual([]);
  });

  it('sets a time one ms in the future', () => {
    const t = new Bench();
    t.put('a');
    expect(t.run('PEXPIREAT', 'a', String(DEFAULT_EPOCH_MS + 1))).toBe(':1\r\n');
    expect(t.run('PTTL', 'a')).toBe(':1\r\n');
    expect(t.run('TTL', 'a')).toBe(':0\r\n');
  });

  it('applies GT and LT against the current expire time', () => {
    const t = new Bench();
    t.put('k', 'v', 5000);
    expect(t.run('PEXPIRE', 'k', '5000', 'GT')).toBe(':0\r\n');
    expect(t.run('PEXPIRE', 'k', '5001', 'GT')).toBe(':1\r\n');
    expect(t.run('PEXPIRE', 'k', '5001', 'LT')).toBe(':0\r\n');
    expect(t.run('PEXPIRE', 'k', '4000', 'LT', 'XX')).toBe(':1\r\n');
    expect(t.run('PTTL', 'k')).toBe(':4000\r\n');
  });

  it('keeps expire times beyond 2^53 ms exactly', () => {
    const t = new Bench();
    t.put('k');
    expect(t.run('PEXPIREAT', 'k', '9223372036854775807')).toBe(':1\r\n');
    expect(t.run('PEXPIRETIME', 'k')).toBe(':9223372036854775807\r\n');
    expect(t.run('EXPIRETIME', 'k')).toBe(':9223372036854776\r\n');
    expect(t.run('PTTL', 'k')).toBe(`:${9223372036854775807n - BigInt(DEFAULT_EPOCH_MS)}\r\n`);
    expect(t.run('PEXPIRE', 'k', '1', 'GT')).toBe(':0\r\n');
    expect(t.run('RENAME', 'k', 'j')).toBe('+OK\r\n');
    expect(t.run('PEXPIRETIME', 'j')).toBe(':9223372036854775807\r\n');
    expect(t.run('EXPIRE', 'j', String(9223372036854775n - BigInt(DEFAULT_EPOCH_MS / 1000)))).toBe(
      ":1\r\n",
    );
    expect(t.run('EXPIRE', 'j', '9223372036854775')).toBe("-ERR invalid expire time in 'expire' command\r\n");
  });

  it('carries the expire time along RENAME, MOVE and COPY', () => {
    const t = new Bench();
    t.put('k', 'v', 3000);
    expect(t.run('RENAME', 'k', 'r')).toBe('+OK\r\n');
    expect(t.run('COPY', 'r', 'c', 'DB', '2')).toBe(':1\r\n');
    expect(t.run('MOVE', 'r', '1')).toBe(':1\r\n');
    expect(t.db(1).getExpire('r')).toBe(DEFAULT_EPOCH_MS + 3000);
    expect(t.db(2).getExpire('c')).toBe(DEFAULT_EPOCH_MS + 3000);
  });
});

describe('commands meeting keys that expired but are still stored', () => {
  function withExpired(): Bench {
    const t = new Bench();
    t.put('live');
    t.put('gone', 'v', 10);
    t.advance(20);
    return t;
  }

  it('KEYS skips them without deleting them; DBSIZE still counts them', () => {
    const t = withExpired();
    expect(t.run('KEYS', '*')).toBe('*1\r\n$4\r\nlive\r\n');
    expect(t.run('DBSIZE')).toBe(':2\r\n');
    expect(t.keyspace.stats.expiredKeys).toBe(0);
  });

  it('DEL expires them first, so they do not count as deleted', () => {
    const t = withExpired();
    expect(t.run('DEL', 'gone', 'live')).toBe(':1\r\n');
    expect(t.keyspace.stats.expiredKeys).toBe(1);
    expect(t.run('DBSIZE')).toBe(':0\r\n');
  });

  it('RENAME, MOVE, COPY, PERSIST, EXPIRE and TOUCH see no key', () => {
    const t = withExpired();
    expect(t.run('PERSIST', 'gone')).toBe(':0\r\n');
    t.put('gone', 'v', 10);
    t.advance(20);
    expect(t.run('EXPIRE', 'gone', '100')).toBe(':0\r\n');
    t.put('gone', 'v', 10);
    t.advance(20);
    expect(t.run('RENAME', 'gone', 'x')).toBe('-ERR no such key\r\n');
    t.put('gone', 'v', 10);
    t.advance(20);
    expect(t.run('MOVE', 'gone', '1')).toBe(':0\r\n');
    t.put('gone', 'v', 10);
    t.advance(20);
    expect(t.run('COPY', 'gone', 'x')).toBe(':0\r\n');
    t.put('gone', 'v', 10);
    t.advance(20);
    expect(t.run('TOUCH', 'gone', 'live')).toBe(':1\r\n');
    expect(t.keyspace.stats.expiredKeys).toBe(6);
  });

  it('an expired destination does not block RENAMENX, MOVE or COPY', () => {
    const t = new Bench();
    t.put('src', 'new');
    t.put('dst', 'old', 10);
    t.put('src', 'new', undefined, t.db(3));
    t.put('dst', 'old', 10, t.db(1));
    t.put('src', 'old', 10, t.db(1));
    t.advance(20);
    expect(t.run('COPY', 'src', 'dst', 'DB', '1')).toBe(':1\r\n');
    expect(t.run('RENAMENX', 'src', 'dst')).toBe(':1\r\n');
    expect(t.run('MOVE', 'dst', '1')).toBe(':0\r\n'); // the copy is there
    t.client.db = 3;
    expect(t.run('MOVE', 'src', '1')).toBe(':1\r\n'); // the expired one was not
    expect(t.db(1).getExpire('dst')).toBeUndefined();
  });

  it('RANDOMKEY expires what it draws and draws again, and answers nil once none is left', () => {
    const t = new Bench();
    for (let i = 0; i < 20; i++) t.put(`gone${i}`, 'v', 10);
    t.put('live');
    t.advance(20);
    expect(t.run('RANDOMKEY')).toBe('$4\r\nlive\r\n');
    t.run('DEL', 'live');
    for (let i = 0; i < 5; i++) t.put(`more${i}`, 'v', 10);
    t.advance(20);
    expect(t.run('RANDOMKEY')).toBe('$-1\r\n');
    expect(t.db().size).toBe(0);
  });
});

describe('on a replica', () => {
  it('EXPIRE into the past keeps the key with its past expire time, to wait for the DEL', () => {
    const t = new Bench({ replica: true });
    t.put('k');
    expect(t.run('PEXPIRE', 'k', '-5')).toBe(':1\r\n');
    expect(t.db().size).toBe(1);
    expect(t.db().getExpire('k')).toBe(DEFAULT_EPOCH_MS - 5);
    expect(t.run('EXISTS', 'k')).toBe(':0\r\n');
    expect(t.run('TTL', 'k')).toBe(':-2\r\n');
  });

  it('DEL removes a logically expired key and counts it, as Redis does', () => {
    const t = new Bench({ replica: true });
    t.put('k', 'v', 10);
    t.advance(20);
    expect(t.run('DEL', 'k')).toBe(':1\r\n');
  });

  it('RANDOMKEY gives up after 100 draws when every key is volatile and expired', () => {
    const t = new Bench({ replica: true });
    t.put('a', 'v', 10);
    t.put('b', 'v', 10);
    t.advance(20);
    expect(['$1\r\na\r\n', '$1\r\nb\r\n']).toContain(t.run('RANDOMKEY'));
    expect(t.db().size).toBe(2);
  });
});

describe('RANDOMKEY', () => {
  it('draws every key, and the same sequence for the same seed', () => {
    const draws = (seed: number) => {
      const t = new Bench({ seed });
      for (const k of ['a', 'b', 'c', 'd']) t.put(k);
      return Array.from({ length: 40 }, () => t.run('RANDOMKEY'));
    };
    const one = draws(1);
    expect(new Set(one)).toEqual(new Set(['a', 'b', 'c', 'd'].map((k) => `$1\r\n${k}\r\n`)));
    expect(draws(1)).toEqual(one);
    expect(draws(2)).not.toEqual(one);
  });
});

describe('SWAPDB', () => {
  it('swaps what two indexes hold: a client stays on its index and sees the other keys', () => {
    const t = new Bench();
    t.put('zero', 'v', 5000);
    t.put('one', 'v', undefined, t.db(1));
    const [db0, db1] = [t.db(0), t.db(1)];
    expect(t.run('SWAPDB', '0', '1')).toBe('+OK\r\n');
    expect(t.db(0)).toBe(db0);
    expect(db0.id).toBe(0);
    expect(t.run('KEYS', '*')).toBe('*1\r\n$3\r\none\r\n');
    t.client.db = 1;
    expect(t.run('PTTL', 'zero')).toBe(':5000\r\n');
    expect(db1.id).toBe(1);
  });
});

describe('COPY', () => {
  it('makes a value of its own, with the same encoding', () => {
    const t = new Bench();
    t.put('n', '12345');
    t.put('s', 'x'.repeat(50));
    expect(t.run('COPY', 'n', 'n2')).toBe(':1\r\n');
    expect(t.run('COPY', 's', 's2', 'DB', '5')).toBe(':1\r\n');
    const [n, n2] = [t.db().peek('n') as StringValue, t.db().peek('n2') as StringValue];
    expect(n2).not.toBe(n);
    expect(n2.encoding).toBe('int');
    expect(t.db(5).peek('s2')!.encoding).toBe('raw');
    n2.bytes[0] = 0x39;
    expect(text(n.bytes)).toBe('12345');
  });

  it('moves the value itself on RENAME and MOVE', () => {
    const t = new Bench();
    t.put('k');
    const value = t.db().peek('k');
    t.run('RENAME', 'k', 'r');
    t.run('MOVE', 'r', '4');
    expect(t.db(4).peek('r')).toBe(value);
  });
});

describe('binary keys', () => {
  it('keeps every byte of a key through the commands that return or move keys', () => {
    const t = new Bench();
    const key = keyName(Uint8Array.from([0, 0xff, 0x0d, 0x0a, 0x80]));
    t.put(key);
    expect(t.run('KEYS', '*')).toBe(`*1\r\n$5\r\n${key}\r\n`);
    expect(t.run('RANDOMKEY')).toBe(`$5\r\n${key}\r\n`);
    expect(t.run('RENAME', key, key + 'x')).toBe('+OK\r\n');
    expect(t.run('EXISTS', key + 'x')).toBe(':1\r\n');
  });
});

describe('FLUSHDB and FLUSHALL', () => {
  it('empty one database, or all of them with their expire times', () => {
    const t = new Bench();
    t.put('a', 'v', 100);
    t.put('b', 'v', 100, t.db(7));
    expect(t.run('FLUSHDB', 'ASYNC')).toBe('+OK\r\n');
    expect(t.db(0).size + t.db(0).expires.size).toBe(0);
    expect(t.db(7).size).toBe(1);
    expect(t.run('FLUSHALL', 'sync')).toBe('+OK\r\n');
    expect(t.db(7).size + t.db(7).expires.size).toBe(0);
  });
});
