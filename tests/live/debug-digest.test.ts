// DEBUG DIGEST against redis-server 7.0.15: the same seeded random writes
// to a real server and to an engine node in process, then the dataset's
// digest and every key's DEBUG DIGEST-VALUE must be the same 40 hex digits
// on both (debug.c's SHA-1 mixing, src/engine/digest.ts). The writes cover
// every type and encoding the engine has (int/embstr/raw strings, lists,
// listpack and hashtable hashes, intset and hashtable sets, listpack and
// skiplist zsets with -0, fractional and infinite scores), binary bytes,
// TTLs and several databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { engineSession } from '../support/engine-session.ts';
import { generator, type Generator } from '../support/list-differential.ts';
import type { Reply } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

let real: RealRedis;
beforeAll(async () => {
  real = await startRealRedis(['--enable-debug-command', 'yes']);
});
afterAll(async () => {
  await real?.stop();
});

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

function value(g: Generator): string {
  switch (g.int(0, 7)) {
    case 0:
      return String(g.int(-20, 20000));
    case 1:
      return g.pick(['x', 'yy', '', ' ', '-0', '01', '1.5', 'inf']);
    case 2:
      return 'v'.repeat(g.int(40, 90));
    case 3:
      return g.pick(['\x00', 'a\x00b', '\xff\xfe\r\n', '\x01']);
    case 4:
      return String(g.pick([9223372036854775807n, -9223372036854775808n, 2147483648, -70000]));
    default:
      return `m${g.int(0, 40)}`;
  }
}

function score(g: Generator): string {
  return g.pick(['0', '-0', '1', '-1.5', '0.1', '1e20', '3.14159', 'inf', '-inf', String(g.int(-1000, 1000)), `${g.int(0, 99)}.${g.int(0, 99)}`]);
}

function commands(g: Generator, n: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = `${g.pick(['s', 'l', 'h', 't', 'z'])}:${g.pick(KEYS)}`;
    const r = g.int(0, 99);
    if (r < 4) out.push(['SELECT', String(g.int(0, 3))]);
    else if (r < 8) out.push(['EXPIRE', k, String(g.int(1000, 100000))]);
    else if (r < 10) out.push(['PERSIST', k]);
    else if (r < 13) out.push(['DEL', k]);
    else if (k.startsWith('s:')) out.push(g.random() < 0.7 ? ['SET', k, value(g)] : ['APPEND', k, value(g)]);
    else if (k.startsWith('l:')) out.push(g.random() < 0.8 ? [g.pick(['RPUSH', 'LPUSH']), k, ...Array.from({ length: g.int(1, 6) }, () => value(g))] : ['LPOP', k]);
    else if (k.startsWith('h:')) out.push(g.random() < 0.85 ? ['HSET', k, value(g), value(g)] : ['HDEL', k, value(g)]);
    else if (k.startsWith('t:')) out.push(g.random() < 0.85 ? ['SADD', k, ...Array.from({ length: g.int(1, 8) }, () => value(g))] : ['SREM', k, value(g)]);
    else out.push(g.random() < 0.85 ? ['ZADD', k, score(g), value(g)] : ['ZREM', k, value(g)]);
  }
  return out;
}

const statusText = (r: Reply): string => (r.type === 'status' ? latin1(r.text) : JSON.stringify(r));

describe('DEBUG DIGEST after the same seeded random writes', () => {
  it.each([1, 2, 3])('is the same as redis-server 7.0.15 (seed %i), and so is every key\'s DIGEST-VALUE', async (seed) => {
    const client = await RawClient.connect(real.port);
    try {
      await client.command('FLUSHALL');
      await client.command('SELECT', '0');
      const { node, run } = engineSession();
      node.config.enableDebugCommand = 'yes';
      const g = generator(seed);
      const mismatches: string[] = [];
      for (let round = 0; round < 8; round++) {
        for (const cmd of commands(g, 150)) {
          const realReply = await client.command(...cmd.map(fromLatin1)); // bytes 0..255, as the engine gets them
          const got = run(...cmd);
          // The writes themselves must agree, or the digests cannot.
          if (realReply.type === 'error' !== got.startsWith('-')) mismatches.push(`${cmd.join(' ')}: ${JSON.stringify(realReply)} vs ${JSON.stringify(got)}`);
        }
        const realDigest = statusText(await client.command('DEBUG', 'DIGEST'));
        const engineDigest = run('DEBUG', 'DIGEST').slice(1, -2);
        expect({ round, digest: engineDigest }).toEqual({ round, digest: realDigest });
        expect(realDigest).not.toBe('0'.repeat(40));
      }
      // Per key, in the database both are on now.
      const keys = ['s', 'l', 'h', 't', 'z'].flatMap((p) => KEYS.map((k) => `${p}:${k}`));
      const realValues = await client.command('DEBUG', 'DIGEST-VALUE', ...keys);
      const engineValues = run('DEBUG', 'DIGEST-VALUE', ...keys);
      const realList = realValues.type === 'array' ? realValues.items.map(statusText) : [];
      expect(engineValues).toBe(`*${keys.length}\r\n` + realList.map((d) => `+${d}\r\n`).join(''));
      expect(mismatches).toEqual([]);
    } finally {
      client.close();
    }
  });
});
