// SCAN's contract with the engine's own cursor (commands/scan.ts): every
// element present for the whole scan comes at least once, whatever is added
// and deleted meanwhile; cursor 0 ends it; any number is a cursor.
import { describe, expect, it } from 'vitest';
import { engineSession } from '../support/engine-session.ts';
import { ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

function session() {
  const s = engineSession();
  const call = (...args: string[]): Reply => {
    const reader = new ReplyReader();
    reader.feed(fromLatin1(s.run(...args)));
    return reader.next()!;
  };
  /** One SCAN-family call: the next cursor and the elements. */
  const scanOnce = (args: string[]): { cursor: string; items: string[] } => {
    const r = call(...args);
    if (r.type !== 'array') throw new Error(`not a scan reply: ${JSON.stringify(r)}`);
    const [c, items] = r.items;
    if (c.type !== 'bulk' || items.type !== 'array') throw new Error('bad scan reply');
    return { cursor: latin1(c.value), items: items.items.map((i) => (i.type === 'bulk' ? latin1(i.value) : '?')) };
  };
  return { ...s, call, scanOnce };
}

/** A whole scan; `between` runs after each call (changes made while scanning). */
function scanAll(scanOnce: (args: string[]) => { cursor: string; items: string[] }, make: (cursor: string) => string[], between: (round: number) => void = () => {}) {
  const seen: string[] = [];
  let cursor = '0';
  let rounds = 0;
  do {
    const r = scanOnce(make(cursor));
    seen.push(...r.items);
    cursor = r.cursor;
    between(rounds++);
  } while (cursor !== '0' && rounds < 10_000);
  return { seen, rounds };
}

describe('SCAN', () => {
  it('returns every key present for the whole scan at least once while keys are added and deleted', () => {
    const { run, scanOnce } = session();
    for (let i = 0; i < 1000; i++) run('SET', `k${i}`, 'v');
    let added = 0;
    const { seen, rounds } = scanAll(scanOnce, (c) => ['SCAN', c, 'COUNT', '7'], (round) => {
      // Delete some keys not meant to survive, add new ones, at every step.
      run('DEL', `k${(round * 13) % 500}`);
      run('SET', `new${added++}`, 'v');
    });
    expect(rounds).toBeGreaterThan(100);
    const deleted = new Set(Array.from({ length: rounds }, (_, r) => `k${(r * 13) % 500}`));
    const seenSet = new Set(seen);
    for (let i = 0; i < 1000; i++) if (!deleted.has(`k${i}`)) expect(seenSet.has(`k${i}`)).toBe(true);
  });

  it('gives each key once in a scan over a stable keyspace, COUNT at a time, and 0 with the last ones', () => {
    const { run, scanOnce } = session();
    for (let i = 0; i < 95; i++) run('SET', `k${i}`, 'v');
    const counts: number[] = [];
    const seen: string[] = [];
    let cursor = '0';
    do {
      const r = scanOnce(['SCAN', cursor, 'COUNT', '10']);
      counts.push(r.items.length);
      seen.push(...r.items);
      cursor = r.cursor;
    } while (cursor !== '0');
    expect(seen.length).toBe(95);
    expect(new Set(seen).size).toBe(95);
    expect(counts).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
  });

  it('resumes a cursor it does not know at the position the number encodes', () => {
    const { run, scanOnce } = session();
    for (let i = 0; i < 50; i++) run('SET', `k${i}`, 'v');
    const first = scanOnce(['SCAN', '0', 'COUNT', '20']);
    expect(first.items).toHaveLength(20);
    // The same cursor twice: its state was used up, so the second resumes by position (20).
    const a = scanOnce(['SCAN', first.cursor, 'COUNT', '100']);
    const b = scanOnce(['SCAN', first.cursor, 'COUNT', '100']);
    expect(a).toEqual(b);
    expect(a.items).toEqual(Array.from({ length: 30 }, (_, i) => `k${i + 20}`));
    expect(scanOnce(['SCAN', String(20 * 1024 + 5), 'COUNT', '100']).items).toHaveLength(30);
    expect(scanOnce(['SCAN', '18446744073709551615'])).toEqual({ cursor: '0', items: [] });
  });

  it('filters with MATCH and TYPE after taking COUNT keys, so a call may return none and go on', () => {
    const { run, scanOnce } = session();
    for (let i = 0; i < 30; i++) run('SET', `k${i}`, 'v');
    run('RPUSH', 'list', 'x');
    const r = scanOnce(['SCAN', '0', 'COUNT', '5', 'MATCH', 'list']);
    expect(r.items).toEqual([]);
    expect(r.cursor).not.toBe('0');
    const all = scanAll(scanOnce, (c) => ['SCAN', c, 'COUNT', '5', 'TYPE', 'list']);
    expect(all.seen).toEqual(['list']);
  });

  it('deletes the expired keys it meets on a master, as bare DELs, and counts them', () => {
    const { run, node, clock, scanOnce } = session();
    node.replication.createBacklog();
    run('SET', 'a', 'v', 'PX', '10');
    run('SET', 'b', 'v', 'PX', '10');
    run('SET', 'c', 'v');
    const offset = node.replication.offset;
    clock.advanceTo(clock.nowUs + 20_000);
    expect(scanOnce(['SCAN', '0'])).toEqual({ cursor: '0', items: ['c'] });
    expect(node.keyspace.stats.expiredKeys).toBe(2);
    const stream = latin1(node.replication.backlog!.readAll(offset + 1));
    expect(stream).toBe('*2\r\n$3\r\nDEL\r\n$1\r\na\r\n*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n');
  });

  it('returns a key that its TYPE filter just expired when the type asked is "none", as Redis does', () => {
    const { run, clock, scanOnce } = session();
    run('SET', 'a', 'v', 'PX', '10');
    clock.advanceTo(clock.nowUs + 20_000);
    expect(scanOnce(['SCAN', '0', 'TYPE', 'none'])).toEqual({ cursor: '0', items: ['a'] });
    expect(scanOnce(['SCAN', '0', 'TYPE', 'none'])).toEqual({ cursor: '0', items: [] });
  });
});

describe('HSCAN, SSCAN, ZSCAN over hash tables', () => {
  it('return every field, member and score of big collections over many calls', () => {
    const { run, scanOnce } = session();
    const fields: string[] = [];
    for (let i = 0; i < 600; i++) fields.push(`f${i}`, `v${i}`);
    run('HSET', 'h', ...fields);
    const members = Array.from({ length: 600 }, (_, i) => `m${i}`);
    run('SADD', 's', ...members);
    run('ZADD', 'z', ...members.flatMap((m, i) => [String(i / 4), m]));
    const h = scanAll(scanOnce, (c) => ['HSCAN', 'h', c, 'COUNT', '50']);
    expect(h.rounds).toBe(12);
    expect(h.seen).toEqual(fields);
    const s = scanAll(scanOnce, (c) => ['SSCAN', 's', c]);
    expect(new Set(s.seen)).toEqual(new Set(members));
    const z = scanAll(scanOnce, (c) => ['ZSCAN', 'z', c, 'COUNT', '100']);
    expect(z.seen.slice(0, 4)).toEqual(['m0', '0', 'm1', '0.25']);
    expect(z.seen).toHaveLength(1200);
  });

  it('start again when the collection is another (a cursor belongs to the map it was made on)', () => {
    const { run, scanOnce } = session();
    const fields: string[] = [];
    for (let i = 0; i < 600; i++) fields.push(`f${i}`, 'v');
    run('HSET', 'h1', ...fields);
    run('HSET', 'h2', ...fields);
    const first = scanOnce(['HSCAN', 'h1', '0', 'COUNT', '10']);
    // The cursor names position 10: on h2 it resumes there.
    expect(scanOnce(['HSCAN', 'h2', first.cursor, 'COUNT', '1']).items).toEqual(['f10', 'v']);
  });
});
