// tracking-table-max-keys against redis-server 7.0.15: beyond the limit,
// keys are forgotten and their clients told, before the next command runs
// (processCommand calls trackingLimitUsedSlots) and at the next serverCron
// when no command comes. Which key goes is a random walk on each side, so
// the key names in invalidation messages are masked; their number, their
// order among the replies and the table's size must match.
import { afterAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { latin1 } from '../../src/engine/bytes.ts';

const started: { stop(): Promise<unknown> }[] = [];
const clients: RawClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of started) await s.stop();
});

/** What one client reads on one server, step by step, key names in invalidations masked. */
async function run(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  const admin = await RawClient.connect(port);
  clients.push(c, admin);
  const seen: string[] = [];
  const read = async () => seen.push(latin1((await c.read(10_000)).bytes).replace(/invalidate\r\n\*1\r\n\$2\r\nm\d\r\n/, 'invalidate\r\n*1\r\n$2\r\nm?\r\n'));
  const send = async (...args: string[]) => {
    c.write(Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    await read();
  };
  const totalKeys = async () => {
    const info = await admin.command('INFO', 'stats');
    return /tracking_total_keys:(\d+)/.exec(info.type === 'bulk' ? latin1(info.value) : '')?.[1];
  };
  await c.command('HELLO', '3');
  await admin.command('CONFIG', 'SET', 'tracking-table-max-keys', '1');
  await send('CLIENT', 'TRACKING', 'on');
  await send('GET', 'm1');
  await send('GET', 'm2');
  // Two keys, one allowed: one goes before PING runs, and its invalidation comes before PONG.
  await send('PING');
  await read();
  seen.push(`total ${await totalKeys()}`);
  await admin.command('CONFIG', 'SET', 'tracking-table-max-keys', '0');
  for (const k of ['m3', 'm4', 'm5']) await send('GET', k);
  seen.push(`total ${await totalKeys()}`);
  // Back to one: the admin's next command trims the table, whoever's keys they are.
  await admin.command('CONFIG', 'SET', 'tracking-table-max-keys', '1');
  await admin.command('PING');
  for (let i = 0; i < 3; i++) await read();
  seen.push(`total ${await totalKeys()}`);
  // No command at all: serverCron trims it.
  await admin.command('CONFIG', 'SET', 'tracking-table-max-keys', '0');
  for (const k of ['m6', 'm7']) await send('GET', k);
  await admin.command('CONFIG', 'SET', 'tracking-table-max-keys', '1');
  await read();
  await read();
  seen.push(`total ${await totalKeys()}`);
  return seen;
}

describe('tracking-table-max-keys against redis-server', () => {
  it('forgets keys beyond the limit before the next command and at the next cron, telling their clients', async () => {
    const real: RealRedis = await startRealRedis();
    started.push(real);
    const serve: Serve = await startServe(1);
    started.push(serve);
    const expected = await run(real.port);
    expect(expected).toContain('total 1');
    expect(await run(serve.port)).toEqual(expected);
  });
});
