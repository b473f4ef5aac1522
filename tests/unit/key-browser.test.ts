// The key browser reads a node's keys without running a command: INFO's
// counters, MONITOR and the keys themselves (expired ones included) stay
// as they were.
import { describe, expect, it } from 'vitest';
import { readKeys } from '../../src/worker/key-browser.ts';
import { Scenario } from '../support/scenario.ts';
import type { KeysPage, KeysQuery } from '../../src/protocol/messages.ts';

const query = (over: Partial<KeysQuery> = {}): KeysQuery => ({ port: 6379, db: 0, offset: 0, count: 50, pattern: '*', ...over });

function page(s: Scenario, over: Partial<KeysQuery> = {}): Extract<KeysPage, { ok: true }> {
  const p = readKeys(s.world.node(over.port ?? 6379), query(over), s.world.nowUs);
  if (!p.ok) throw new Error(p.error);
  return p;
}

describe('the key browser', () => {
  it('lists keys with type, TTL, length and a preview quoted as redis-cli quotes', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'greeting', 'hello\nworld');
    s.cmd(6379, 'SET', 'session', 'x', 'PX', '5000');
    s.cmd(6379, 'RPUSH', 'queue', 'a', 'b', 'c', 'd', 'e', 'f');
    s.cmd(6379, 'HSET', 'user', 'name', 'ann', 'age', '7');
    const p = page(s);
    expect(p.matched).toBe(4);
    expect(p.keys).toEqual([
      { key: 'greeting', type: 'string', encoding: 'embstr', ttlMs: -1, length: 11, preview: '"hello\\nworld"' },
      { key: 'session', type: 'string', encoding: 'embstr', ttlMs: 5000, length: 1, preview: '"x"' },
      { key: 'queue', type: 'list', encoding: 'quicklist', ttlMs: -1, length: 6, preview: '"a", "b", "c", "d", … (2 more)' },
      { key: 'user', type: 'hash', encoding: 'listpack', ttlMs: -1, length: 2, preview: '"name": "ann", "age": "7"' },
    ]);
  });

  it('shows sets, sorted sets, streams and HyperLogLogs too, with the encoding OBJECT ENCODING gives', () => {
    const s = new Scenario();
    s.cmd(6379, 'SADD', 'ids', '3', '1', '2');
    s.cmd(6379, 'SADD', 'tags', 'red', 'green', 'blue', 'cyan', 'pink');
    s.cmd(6379, 'ZADD', 'board', '2.5', 'bob', '1', 'ann');
    s.cmd(6379, 'XADD', 'events', '1-1', 'kind', 'login', 'user', 'ann');
    s.cmd(6379, 'XADD', 'events', '1-2', 'kind', 'logout', 'user', 'ann');
    s.cmd(6379, 'XADD', 'events', '2-0', 'kind', 'login', 'user', 'bob');
    s.cmd(6379, 'XGROUP', 'CREATE', 'events', 'mailer', '0');
    s.cmd(6379, 'PFADD', 'visitors', 'a', 'b');
    s.cmd(6379, 'SET', 'count', '12');
    const rows = page(s).keys.map(({ key, encoding, length, preview }) => ({ key, encoding, length, preview }));
    expect(rows).toEqual([
      { key: 'ids', encoding: 'intset', length: 3, preview: '"1", "2", "3"' },
      { key: 'tags', encoding: 'hashtable', length: 5, preview: '"red", "green", "blue", "cyan", … (1 more)' },
      { key: 'board', encoding: 'listpack', length: 2, preview: '"ann" (1), "bob" (2.5)' },
      { key: 'events', encoding: 'stream', length: 3, preview: '1-1 {"kind": "login", "user": "ann"}, 1-2 {"kind": "logout", "user": "ann"}, … (1 more) · 1 group' },
      { key: 'visitors', encoding: 'raw', length: 24, preview: expect.stringMatching(/^"HYLL\\x01/) },
      { key: 'count', encoding: 'int', length: 2, preview: '"12"' },
    ]);
  });

  it('pages through the keys and filters them with a glob', () => {
    const s = new Scenario();
    for (let i = 0; i < 30; i++) s.cmd(6379, 'SET', `k:${i}`, String(i));
    s.cmd(6379, 'SET', 'other', '1');
    const second = page(s, { offset: 10, count: 10 });
    expect(second.matched).toBe(31);
    expect(second.keys.map((k) => k.key)).toEqual(Array.from({ length: 10 }, (_, i) => `k:${10 + i}`));
    const filtered = page(s, { pattern: 'k:2?', offset: 5, count: 3 });
    expect(filtered.matched).toBe(10);
    expect(filtered.keys.map((k) => k.key)).toEqual(['k:25', 'k:26', 'k:27']);
    expect(page(s, { db: 3 }).matched).toBe(0);
    expect(readKeys(s.world.node(6379), query({ db: 16 }), 0)).toEqual({ ok: false, error: 'no database 16 (databases 16)' });
  });

  it('hides an expired key without deleting it, and moves no INFO counter and nothing in MONITOR', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'short', '1');
    s.cmd(6379, 'SET', 'long', '1');
    // Its time passed a moment ago (set directly, so that no cron or command has had a chance to delete it).
    const node = s.world.node(6379)!;
    node.keyspace.dbs[0].setExpire('short', node.keyspace.nowMs - 1);
    const monitor = s.session(6379);
    monitor.send('MONITOR');
    const before = s.info(6379, 'stats');
    const p = page(s);
    const after = s.info(6379, 'stats');
    expect(p.keys.map((k) => k.key)).toEqual(['long']);
    expect(p.matched).toBe(1);
    // The expired key is still in the dictionary: only a command touching it (or active expiry) deletes it.
    expect(node.keyspace.dbs[0].dict.has('short')).toBe(true);
    // One command between the two readings: the first INFO itself.
    expect(Number(after.total_commands_processed) - Number(before.total_commands_processed)).toBe(1);
    for (const field of ['keyspace_hits', 'keyspace_misses', 'expired_keys']) expect(after[field], field).toBe(before[field]);
    // MONITOR saw the two INFOs, nothing else.
    expect(monitor.replies().slice(1).map(String).filter((l) => !/"INFO"/.test(l))).toEqual([]);
  });

  it('answers for a node that is down', () => {
    const s = new Scenario();
    s.sim('KILL', '6380');
    expect(readKeys(s.world.node(6380), query({ port: 6380 }), 0)).toEqual({ ok: false, error: 'node 6380 is not running' });
  });
});
