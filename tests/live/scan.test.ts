// SCAN, HSCAN, SSCAN and ZSCAN over hash tables against redis-server
// 7.0.15: the two cut a scan differently (Redis's cursor follows its
// dict's buckets and hash seed, the engine's its own order:
// commands/scan.ts), so what is compared is a whole scan, from cursor 0
// back to 0: the union of the elements (pairs for HSCAN and ZSCAN) must be
// the same, with MATCH, TYPE and COUNT, and the engine gives each element
// once when nothing changes meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { engineSession } from '../support/engine-session.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';

let real: RealRedis;
let client: RawClient;
const engine = engineSession();

beforeAll(async () => {
  real = await startRealRedis();
  client = await RawClient.connect(real.port);
  // The same data on both: 1,500 keys of five types, and big collections kept as hash tables.
  const setup: string[][] = [];
  for (let i = 0; i < 1500; i++) {
    const type = i % 5;
    const key = `key:${i}`;
    if (type === 0) setup.push(['SET', key, String(i)]);
    else if (type === 1) setup.push(['RPUSH', key, 'a']);
    else if (type === 2) setup.push(['HSET', key, 'f', 'v']);
    else if (type === 3) setup.push(['SADD', key, 'm']);
    else setup.push(['ZADD', key, '1', 'm']);
  }
  const fields: string[] = [];
  for (let i = 0; i < 1000; i++) fields.push(`field:${i}`, `value:${i}`);
  setup.push(['HSET', 'big:hash', ...fields]);
  setup.push(['SADD', 'big:set', ...Array.from({ length: 1000 }, (_, i) => `member:${i}`)]);
  setup.push(['ZADD', 'big:zset', ...Array.from({ length: 1000 }, (_, i) => [String(i / 7), `member:${i}`]).flat()]);
  for (const cmd of setup) {
    await client.command(...cmd);
    engine.run(...cmd);
  }
});

afterAll(async () => {
  client?.close();
  await real?.stop();
});

const texts = (r: Reply): string[] => (r.type === 'array' ? r.items.map((i) => (i.type === 'bulk' ? latin1(i.value) : `?${i.type}`)) : [`?${r.type}`]);

/** A whole scan on one side: every call's elements, and the number of calls. */
async function wholeScan(call: (args: string[]) => Promise<Reply>, args: (cursor: string) => string[]): Promise<{ items: string[]; calls: number }> {
  const items: string[] = [];
  let cursor = '0';
  let calls = 0;
  do {
    const r = await call(args(cursor));
    if (r.type !== 'array' || r.items.length !== 2) throw new Error(`not a scan reply: ${JSON.stringify(r)}`);
    cursor = texts({ type: 'array', items: [r.items[0]] })[0];
    items.push(...texts(r.items[1]));
    calls++;
  } while (cursor !== '0' && calls < 100_000);
  return { items, calls };
}

const realCall = (args: string[]) => client.command(...args);
const engineCall = async (args: string[]) => {
  const reader = new ReplyReader();
  reader.feed(fromLatin1(engine.run(...args)));
  return reader.next()!;
};

/** Elements as a set (pairs joined when `pairs`). */
function asSet(items: string[], pairs: boolean): Set<string> {
  if (!pairs) return new Set(items);
  const out = new Set<string>();
  for (let i = 0; i < items.length; i += 2) out.add(`${items[i]}=${items[i + 1]}`);
  return out;
}

describe('a whole scan returns what the real server\'s returns', () => {
  it.each([
    { what: 'SCAN', args: (c: string) => ['SCAN', c], pairs: false },
    { what: 'SCAN COUNT 3', args: (c: string) => ['SCAN', c, 'COUNT', '3'], pairs: false },
    { what: 'SCAN COUNT 1000', args: (c: string) => ['SCAN', c, 'COUNT', '1000'], pairs: false },
    { what: 'SCAN MATCH', args: (c: string) => ['SCAN', c, 'MATCH', 'key:1?'], pairs: false },
    { what: 'SCAN TYPE', args: (c: string) => ['SCAN', c, 'TYPE', 'zset', 'COUNT', '50'], pairs: false },
    { what: 'SCAN MATCH TYPE', args: (c: string) => ['SCAN', c, 'MATCH', '*9', 'TYPE', 'hash'], pairs: false },
    { what: 'HSCAN', args: (c: string) => ['HSCAN', 'big:hash', c], pairs: true },
    { what: 'HSCAN MATCH', args: (c: string) => ['HSCAN', 'big:hash', c, 'MATCH', 'field:?', 'COUNT', '100'], pairs: true },
    { what: 'SSCAN', args: (c: string) => ['SSCAN', 'big:set', c, 'COUNT', '25'], pairs: false },
    { what: 'ZSCAN', args: (c: string) => ['ZSCAN', 'big:zset', c], pairs: true },
    { what: 'ZSCAN MATCH', args: (c: string) => ['ZSCAN', 'big:zset', c, 'MATCH', '*7'], pairs: true },
  ])('$what', async ({ args, pairs }) => {
    const [want, got] = [await wholeScan(realCall, args), await wholeScan(engineCall, args)];
    expect(asSet(got.items, pairs)).toEqual(asSet(want.items, pairs));
    // Each element once: nothing changed during the scan.
    expect(got.items.length).toBe(asSet(got.items, pairs).size * (pairs ? 2 : 1));
    expect(got.calls).toBeGreaterThan(0);
  });
});
