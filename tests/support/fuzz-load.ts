// What the load fuzz tests share: the lines a refused file makes the node
// log, and the checks that a node that accepted one answers for everything
// it loaded while the rest of the world goes on (tests/unit/rdb-fuzz and
// aof-fuzz).
import { expect } from 'vitest';
import type { Scenario } from './scenario.ts';
import { replyHead, splitReplies } from './fuzz-resp.ts';
import { showArgv } from './fuzz-commands.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { bytesOf } from './world-client.ts';

/** The lines redis-server 7.0.15 logs when it refuses its RDB file at start-up (and the engine's own for a type it lacks). */
export const REFUSALS: ReadonlyArray<readonly [string, RegExp]> = [
  ['short read', /^Short read or OOM loading DB\. Unrecoverable error, aborting now\.$/],
  ['checksum', /^Wrong RDB checksum expected: \([0-9a-f]+\) but got \([0-9a-f]+\)\. Aborting now\.$/],
  ['internal error', /^Internal error in RDB reading offset \d+, function at rdb\.c:\d+ -> .+$/],
  ['signature', /^Wrong signature trying to load DB from file$/],
  ['version', /^Can't handle RDB format version -?\d+$/],
  ['databases', /^FATAL: Data file was created with a Redis server configured to handle more than \d+ databases\. Exiting\n?$/],
  ['duplicated key', /^Guru Meditation: Duplicated key found in RDB file #rdb\.c:\d+$/],
  ['engine: unsupported', /This engine cannot load dump\.rdb; exiting\.$/],
];

/** The heads of a node's replies to some commands (sent on a connection of their own), each reply checked for form. */
export function ask(s: Scenario, port: number, commands: Uint8Array[][]): string[] {
  const chunks: Uint8Array[] = [];
  let closed = false;
  const conn = s.world.connectExternal(port, { data: (b) => chunks.push(b.slice()), closed: () => (closed = true) });
  if (!conn) throw new Error(`node ${port} refused the connection`);
  for (const c of commands) conn.write(encodeCommand(c));
  conn.close();
  const { replies, rest } = splitReplies(Buffer.concat(chunks));
  if (replies.length !== commands.length || rest !== 0) {
    throw new Error(`${replies.length} well-formed replies (${rest} bytes left over, closed ${closed}) to ${commands.map(showArgv).join('; ')}`);
  }
  return replies.map(replyHead);
}

const arg = (s: string | Uint8Array) => (typeof s === 'string' ? bytesOf(s) : s);
export const cmd = (...a: (string | Uint8Array)[]) => a.map(arg);

/** Reads every key of a node back in full: each command per type, then DEBUG DIGEST over the whole keyspace. */
export function readEverything(s: Scenario, port: number): void {
  const dbs = ask(s, port, [cmd('INFO', 'keyspace')]);
  expect(dbs[0]).toMatch(/^\$\d+$/);
  for (let db = 0; db < 16; db++) {
    const keys = s.cmd(port, 'SELECT', String(db)) === 'OK' ? (s.cmd(port, 'KEYS', '*') as string[]) : [];
    for (const key of keys) {
      const type = s.cmd(port, 'TYPE', key);
      const reads: Record<string, Uint8Array[][]> = {
        string: [cmd('GET', key), cmd('STRLEN', key)],
        list: [cmd('LRANGE', key, '0', '-1'), cmd('LLEN', key), cmd('LINDEX', key, '-1')],
        hash: [cmd('HGETALL', key), cmd('HLEN', key)],
        set: [cmd('SMEMBERS', key), cmd('SCARD', key)],
        zset: [cmd('ZRANGE', key, '0', '-1', 'WITHSCORES'), cmd('ZCARD', key)],
      };
      const heads = ask(s, port, [cmd('SELECT', String(db)), ...(reads[String(type)] ?? []), cmd('DUMP', key), cmd('OBJECT', 'ENCODING', key), cmd('TTL', key)]);
      for (const h of heads) expect(h.startsWith('-'), `${type} ${key}: ${h}`).toBe(false);
    }
  }
  s.cmd(port, 'SELECT', '0');
  expect(ask(s, port, [cmd('DEBUG', 'DIGEST')])[0]).toMatch(/^\+[0-9a-f]{40}$/);
}

/** The other node keeps answering. */
export function stillServing(s: Scenario, i: number): void {
  expect(ask(s, 6380, [cmd('SET', 'alive', String(i)), cmd('GET', 'alive')])[1]).toBe(`$${String(i).length}`);
}

