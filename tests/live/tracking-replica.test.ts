// Client-side caching and WATCH on a replica, against redis-server 7.0.15:
// three real servers (two masters, one replica) and three nodes of
// `npm run serve` go through the same steps. A tracking client on the
// replica is told of a key its master's stream changed, gets a null
// invalidation when the replica's full sync empties its data (emptyData ->
// signalFlushedDb; with repl-diskless-load swapdb, swapMainDbWithTempDb)
// and when the master's FLUSHALL arrives; a client WATCHing a key on the
// replica sees its EXEC fail after the full sync. The raw bytes each client
// reads are compared.
import { afterAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { waitFor } from '../support/wait.ts';
import { latin1 } from '../../src/engine/bytes.ts';

const started: { stop(): Promise<unknown> }[] = [];
const clients: RawClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of started) await s.stop();
});

async function connect(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

async function linkUp(replica: RawClient, masterPort: number): Promise<void> {
  await waitFor(`the replica's link to ${masterPort}`, async () => {
    const info = await replica.command('INFO', 'replication');
    const text = info.type === 'bulk' ? latin1(info.value) : '';
    return text.includes(`master_port:${masterPort}\r\n`) && text.includes('master_link_status:up');
  }, 20_000);
}

/** The steps on one side ([first master, second master, replica] ports); what the replica's clients read, in order. */
async function run([m1Port, m2Port, rPort]: number[], load: string): Promise<string[]> {
  const seen: string[] = [];
  const [m1, m2, r] = [await connect(m1Port!), await connect(m2Port!), await connect(rPort!)];
  const [c, w] = [await connect(rPort!), await connect(rPort!)];
  const send = async (client: RawClient, ...args: string[]) => {
    client.write(Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    seen.push(`${args.join(' ')} -> ${latin1((await client.read(10_000)).bytes)}`);
  };
  const readPush = async (what: string) => seen.push(`${what}: ${latin1((await c.read(10_000)).bytes)}`);
  await m1.command('SET', 'k', '1');
  await m2.command('SET', 'other', 'x');
  await r.command('CONFIG', 'SET', 'repl-diskless-load', load);
  await r.command('REPLICAOF', '127.0.0.1', String(m1Port));
  await linkUp(r, m1Port!);
  await c.command('HELLO', '3');
  await send(c, 'CLIENT', 'TRACKING', 'on');
  await send(c, 'GET', 'k');
  await m1.command('SET', 'k', '2');
  await readPush('the master set k');
  await send(c, 'GET', 'k');
  await send(w, 'WATCH', 'k');
  await r.command('REPLICAOF', '127.0.0.1', String(m2Port));
  await readPush('the full sync from the other master');
  await linkUp(r, m2Port!);
  await send(w, 'MULTI');
  await send(w, 'PING');
  await send(w, 'EXEC');
  await send(c, 'GET', 'other');
  await m2.command('FLUSHALL');
  await readPush('the master flushed');
  await send(c, 'PING');
  for (const x of [m1, m2, r, c, w]) x.close();
  return seen;
}

describe('tracking and WATCH on a replica against redis-server', () => {
  for (const load of ['disabled', 'swapdb']) {
    it(`invalidate and touch as the real server does, repl-diskless-load ${load}`, async () => {
      const args = ['--repl-diskless-sync-delay', '0', '--repl-diskless-sync', 'yes'];
      const real: RealRedis[] = [];
      for (let i = 0; i < 3; i++) {
        const one = await startRealRedis(args);
        started.push(one);
        real.push(one);
      }
      const serve: Serve = await startServe(3, args);
      started.push(serve);
      const expected = await run(real.map((s) => s.port), load);
      expect(expected).toContain('the full sync from the other master: >2\r\n$10\r\ninvalidate\r\n_\r\n');
      expect(await run([serve.port, serve.port + 1, serve.port + 2], load)).toEqual(expected);
    }, 60_000);
  }
});
