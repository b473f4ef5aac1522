// MIGRATE between two servers, against redis-server 7.0.15: two real
// servers migrating to each other, and two nodes of `npm run serve`
// migrating to each other over the simulated network, given the same
// steps; every reply must be the same bytes (the target's port is written
// as {port} in the steps, and stands for each side's own target). What the
// keys became on the target (type, value, TTL, database) is read back and
// compared too. Timeouts, retries, a blocked source and propagation are
// deterministic scenarios in tests/scenarios/migrate.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { freePort } from '../support/ports.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

/** A step: on the source (S) or the target (T); {port} is the target's port, {dead} a port nobody listens on. */
const STEPS: readonly [side: 'S' | 'T', line: string][] = [
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000'],
  ['S', 'SET k v'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000'],
  ['S', 'EXISTS k'],
  ['T', 'GET k'],
  ['S', 'INFO stats ~migrate_cached_sockets'],
  ['S', 'SET k v2'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000'],
  ['S', 'EXISTS k'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000 REPLACE'],
  ['S', 'EXISTS k'],
  ['T', 'GET k'],
  ['S', 'SET c copied'],
  ['S', 'MIGRATE 127.0.0.1 {port} c 0 5000 COPY'],
  ['S', 'GET c'],
  ['T', 'GET c'],
  ['S', 'MIGRATE 127.0.0.1 {port} c 0 5000 COPY'],
  ['S', 'MIGRATE 127.0.0.1 {port} c 0 5000 COPY REPLACE'],
  ['S', 'RPUSH l a b c'],
  ['S', 'HSET h f v'],
  ['S', 'SADD s 1 2 3'],
  ['S', 'ZADD z 1 a 2 b'],
  ['S', 'SET e x EX 1000'],
  ['S', 'MIGRATE 127.0.0.1 {port} "" 3 5000 KEYS l h s z e missing'],
  ['S', 'EXISTS l h s z e'],
  ['T', 'SELECT 3'],
  ['T', 'LRANGE l 0 -1'],
  ['T', 'HGETALL h'],
  ['T', 'SMEMBERS s'],
  ['T', 'ZRANGE z 0 -1 WITHSCORES'],
  ['T', 'TTL e'],
  ['T', 'SELECT 0'],
  ['S', 'MIGRATE 127.0.0.1 {port} "" 0 5000 KEYS nothing none'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000 KEYS a'],
  ['S', 'MIGRATE 127.0.0.1 {port} "" 0 5000 KEYS'],
  ['S', 'MIGRATE 127.0.0.1 {port} "" 0 5000'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000 BOGUS'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000 AUTH'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 5000 AUTH2 u'],
  ['S', 'MIGRATE 127.0.0.1 {port} k x 5000'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0 x'],
  ['S', 'MIGRATE 127.0.0.1 {port} k x x'],
  ['S', 'MIGRATE 127.0.0.1 {port} k 0'],
  ['S', 'SET d1 v'],
  ['S', 'MIGRATE 127.0.0.1 {port} d1 99 5000'],
  ['S', 'MIGRATE 127.0.0.1 {port} d1 -1 5000'],
  ['S', 'MIGRATE 127.0.0.1 {port} d1 15 0'],
  ['T', 'SELECT 15'],
  ['T', 'GET d1'],
  ['T', 'SELECT 0'],
  ['S', 'SET a1 v'],
  ['S', 'MIGRATE 127.0.0.1 {port} a1 0 5000 AUTH secret'],
  ['S', 'MIGRATE 127.0.0.1 {port} a1 0 5000 AUTH2 default secret'],
  ['T', 'CONFIG SET requirepass secret'],
  ['S', 'MIGRATE 127.0.0.1 {port} a1 0 5000 AUTH wrong'],
  ['S', 'MIGRATE 127.0.0.1 {port} a1 0 5000 AUTH secret'],
  ['T', 'AUTH secret'],
  ['T', 'GET a1'],
  ['S', 'SET a2 v'],
  ['S', 'MIGRATE 127.0.0.1 {port} a2 0 5000 AUTH2 default secret'],
  ['S', 'MIGRATE 127.0.0.1 {port} a2 0 5000'],
  ['T', 'CONFIG SET requirepass ""'],
  ['S', 'SET w v'],
  ['S', 'MIGRATE 127.0.0.1 {dead} w 0 1000'],
  ['S', 'MIGRATE 127.0.0.1 {port}x w 0 1000'],
  ['S', 'MIGRATE no.such.host.invalid 6379 w 0 1000'],
  ['S', 'EXISTS w'],
  ['S', 'MULTI'],
  ['S', 'SET m v'],
  ['S', 'MIGRATE 127.0.0.1 {port} m 0 5000'],
  ['S', 'EXISTS m'],
  ['S', 'EXEC'],
  ['T', 'GET m'],
  ['S', 'SET lua v'],
  ['S', "EVAL \"return redis.call('MIGRATE', '127.0.0.1', ARGV[1], 'lua', 0, 5000)\" 0 {port}"],
  ['T', 'GET lua'],
  ['T', 'DBSIZE'],
];

/** Splits a step's line: words, and one level of double quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

interface Side {
  source: RawClient;
  target: RawClient;
  targetPort: number;
}

async function run(client: RawClient, args: string[]): Promise<string> {
  client.write(encodeCommand(args.map(fromLatin1)));
  return latin1((await client.read(10_000)).bytes);
}

let real1: RealRedis;
let real2: RealRedis;
let serve: Serve;
const clients: RawClient[] = [];

beforeAll(async () => {
  [real1, real2, serve] = await Promise.all([startRealRedis(), startRealRedis(), startServe(2)]);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([real1?.stop(), real2?.stop(), serve?.stop()]);
});

async function side(sourcePort: number, targetPort: number): Promise<Side> {
  const source = await RawClient.connect(sourcePort);
  const target = await RawClient.connect(targetPort);
  clients.push(source, target);
  return { source, target, targetPort };
}

describe('MIGRATE against redis-server', () => {
  it('answers every step as two real servers do', async () => {
    const real = await side(real1.port, real2.port);
    const sim = await side(serve.port, serve.port + 1);
    const dead = await freePort();
    for (const [where, line] of STEPS) {
      const [text, field] = line.split(' ~');
      const replies: string[] = [];
      for (const s of [real, sim]) {
        const args = words(text!).map((w) => w.replace('{port}', String(s.targetPort)).replace('{dead}', String(dead)));
        let reply = await run(where === 'S' ? s.source : s.target, args);
        if (field) reply = new RegExp(`${field}:.*`).exec(reply)?.[0] ?? `no ${field}`;
        replies.push(reply);
      }
      expect(replies[1], `${where} ${line}`).toBe(replies[0]);
    }
  }, 120_000);
});
