// INFO persistence around a BGSAVE, `npm run serve` beside a real
// redis-server 7.0.15 given the same commands: while the child runs (after
// its first progress report reached the parent) and once it was reaped.
// Every field is compared by name and order, and by value except where the
// two cannot agree by nature:
//  - copy-on-write sizes: Redis reads its child's private dirty memory from
//    /proc (a few hundred KB even when nothing is written); the engine
//    models it from the values changed since the fork (see rdb/bgsave.ts).
//    Compared as "an integer >= 0";
//  - durations in whole seconds and the age of the CoW reading: within one
//    second (two processes, two clocks);
//  - rdb_last_save_time: each server's own LASTSAVE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { waitFor } from '../support/wait.ts';
import type { Reply } from '../../src/engine/resp/reply-reader.ts';

const COW = new Set(['current_cow_peak', 'current_cow_size', 'rdb_last_cow_size']);
const SECONDS = new Set(['current_cow_size_age', 'rdb_last_bgsave_time_sec', 'rdb_current_bgsave_time_sec']);

let real: RealRedis | undefined;
let serve: Serve | undefined;
const clients: RawClient[] = [];

beforeAll(async () => {
  real = await startRealRedis();
  serve = await startServe(1, ['--save', '']);
  clients.push(await RawClient.connect(real.port), await RawClient.connect(serve.port));
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await serve?.stop();
  await real?.stop();
});

const text = (r: Reply): string => {
  if (r.type === 'bulk') return Buffer.from(r.value).toString('latin1');
  if (r.type === 'status' || r.type === 'error') return Buffer.from(r.text).toString('latin1');
  if (r.type === 'integer') return String(r.value);
  return r.type;
};

async function persistence(c: RawClient): Promise<[string, string][]> {
  const body = text(await c.command('INFO', 'persistence'));
  return body
    .split('\r\n')
    .filter((l) => l.includes(':'))
    .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1)] as [string, string]);
}

/** Both servers' INFO persistence, compared with the tolerances above. */
async function compare(): Promise<Map<string, string>> {
  const [r, e] = await Promise.all(clients.map((c) => persistence(c)));
  expect(e.map(([k]) => k)).toEqual(r.map(([k]) => k));
  const lastsave = await Promise.all(clients.map(async (c) => text(await c.command('LASTSAVE'))));
  for (let i = 0; i < r.length; i++) {
    const [name, rv] = r[i];
    const ev = e[i][1];
    if (COW.has(name)) {
      expect(ev, name).toMatch(/^\d+$/);
      expect(rv, name).toMatch(/^\d+$/);
    } else if (SECONDS.has(name)) {
      expect(Math.abs(Number(ev) - Number(rv)), `${name}: engine ${ev}, redis ${rv}`).toBeLessThanOrEqual(1);
    } else if (name === 'rdb_last_save_time') {
      expect([rv, ev]).toEqual(lastsave);
    } else {
      expect(ev, name).toBe(rv);
    }
  }
  return new Map(e);
}

describe('INFO persistence around a BGSAVE, engine beside redis-server 7.0.15', () => {
  it('says the same while the child runs and once it is reaped', async () => {
    for (const c of clients) {
      // 500 keys at 4 ms each: a child of about two seconds on both.
      const keys = Array.from({ length: 500 }, (_, i) => [`key:${i}`, `value:${i}`]).flat();
      expect(text(await c.command('MSET', ...keys))).toBe('OK');
      expect(text(await c.command('CONFIG', 'SET', 'rdb-key-save-delay', '4000'))).toBe('OK');
    }
    await compare();
    for (const c of clients) expect(text(await c.command('BGSAVE'))).toBe('Background saving started');
    // The child reports its first key; the parent reads reports once a second.
    for (const c of clients) {
      await waitFor('the first progress report', async () => (await persistence(c)).some(([k, v]) => k === 'current_save_keys_processed' && v === '1'), 3000);
    }
    for (const c of clients) expect(text(await c.command('SET', 'during', 'the child'))).toBe('OK');
    const during = await compare();
    expect(during.get('rdb_bgsave_in_progress')).toBe('1');
    expect(during.get('current_save_keys_total')).toBe('500');
    expect(during.get('current_fork_perc')).toBe('0.20');
    for (const c of clients) {
      await waitFor('the child reaped', async () => (await persistence(c)).some(([k, v]) => k === 'rdb_bgsave_in_progress' && v === '0'), 10_000);
    }
    const after = await compare();
    expect(after.get('rdb_changes_since_last_save')).toBe('1');
    expect(after.get('rdb_saves')).toBe('1');
    expect(after.get('rdb_last_bgsave_status')).toBe('ok');
  }, 30_000);
});
