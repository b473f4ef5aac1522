// Streams in RDB files between the engine and redis-server 7.0.15: the same
// commands on a real server and on `npm run serve --data-dir`; the engine's
// dump.rdb passes redis-check-rdb and a real server started on it holds the
// same streams (each key's DUMP, times masked: consumers' seen-times and the
// delivery times of XREADGROUP); the engine started on the real server's
// dump.rdb holds them too. DUMP payloads of the same streams are compared
// byte for byte by tests/live/stream-random.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRdb, startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { freePortRange } from '../support/ports.ts';
import { maskStreamDump } from '../support/stream-times.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';

/** One stream per database (two servers order a database's keys differently); [db, command]. */
const FILL: readonly [number, string[]][] = [
  [0, ['XADD', 's', '1-1', 'a', '1']],
  [0, ['XADD', 's', '1-2', 'b', '2', 'c', '3']],
  [0, ['XADD', 's', '2-0', 'a', '4']],
  [0, ['XDEL', 's', '1-2']],
  [0, ['XGROUP', 'CREATE', 's', 'g1', '0']],
  [0, ['XGROUP', 'CREATE', 's', 'g2', '$', 'ENTRIESREAD', '3']],
  [0, ['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '1', 'STREAMS', 's', '>']],
  [0, ['XCLAIM', 's', 'g1', 'bob', '0', '2-0', 'TIME', '1700000000000', 'RETRYCOUNT', '5', 'FORCE', 'JUSTID']],
  [0, ['XGROUP', 'CREATECONSUMER', 's', 'g2', 'idle']],
  [1, ['XADD', 'empty', 'MAXLEN', '0', '5-1', 'f', 'v']],
  [1, ['XSETID', 'empty', '9-9', 'ENTRIESADDED', '7', 'MAXDELETEDID', '5-1']],
  [2, ['CONFIG', 'SET', 'stream-node-max-entries', '3']],
  ...Array.from({ length: 20 }, (_, i): [number, string[]] => [2, ['XADD', 'big', `${i + 1}-0`, 'f', 'v'.repeat(i), 'n', String(i)]]),
  [2, ['XTRIM', 'big', 'MINID', '4-0']],
  [2, ['XDEL', 'big', '10-0', '11-0']],
  [2, ['CONFIG', 'SET', 'stream-node-max-entries', '100']],
  [3, ['XGROUP', 'CREATE', 'mk', 'g', '$', 'MKSTREAM']],
];
const KEYS: readonly [number, string][] = [[0, 's'], [1, 'empty'], [2, 'big'], [3, 'mk']];

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-rdb-stream-'));
const started: { stop(): Promise<unknown> }[] = [];
const clients: RawClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of started) await s.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

async function connect(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

async function run(c: RawClient, args: string[]) {
  c.write(encodeCommand(args.map(fromLatin1)));
  return (await c.read(10_000)).bytes;
}

/** Each stream's DUMP, times masked, as hex. */
async function dumps(c: RawClient): Promise<string[]> {
  const out: string[] = [];
  for (const [db, key] of KEYS) {
    await run(c, ['SELECT', String(db)]);
    c.write(encodeCommand([fromLatin1('DUMP'), fromLatin1(key)]));
    const { reply } = await c.read(10_000);
    if (reply.type !== 'bulk') throw new Error(`DUMP ${key}: ${reply.type}`);
    out.push(Buffer.from(maskStreamDump(reply.value)).toString('hex'));
  }
  return out;
}

describe('streams in RDB files against redis-server', () => {
  it('writes files redis-check-rdb and redis-server accept, and loads redis-server\'s', async () => {
    const real: RealRedis = await startRealRedis();
    started.push(real);
    const port = await freePortRange(2);
    const data = path.join(base, 'sim');
    let serve: Serve = await startServe(1, ['--data-dir', data], false, port);
    started.push(serve);
    const [r, s] = [await connect(real.port), await connect(port)];
    for (const [db, cmd] of FILL) {
      for (const c of [r, s]) await run(c, ['SELECT', String(db)]);
      expect(Buffer.from(await run(s, cmd)).toString('latin1'), cmd.join(' ')).toBe(Buffer.from(await run(r, cmd)).toString('latin1'));
    }
    const want = await dumps(r);
    expect(await dumps(s)).toEqual(want);

    // The engine's file: redis-check-rdb, then a real server started on it.
    await run(s, ['SAVE']);
    const engineFile = new Uint8Array(fs.readFileSync(path.join(data, String(port), 'dump.rdb')));
    expect(checkRdb(engineFile)).toContain('RDB looks OK!');
    const fromEngine = await startRealRedis([], { files: { 'dump.rdb': engineFile } });
    started.push(fromEngine);
    expect(await dumps(await connect(fromEngine.port))).toEqual(want);

    // The real server's file, loaded by the engine at start-up.
    await run(r, ['SAVE']);
    await serve.stop();
    fs.copyFileSync(path.join(real.dir, 'dump.rdb'), path.join(data, String(port), 'dump.rdb'));
    serve = await startServe(1, ['--data-dir', data], false, port);
    started.push(serve);
    expect(await dumps(await connect(port))).toEqual(want);
  }, 60_000);
});
