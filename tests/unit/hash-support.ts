// A node and a client for the hash unit tests: commands run through lookup
// (arity) and the handler, as the node runs them, in RESP2 or RESP3.
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { Client } from '../../src/engine/client.ts';
import { ReplyWriter } from '../../src/engine/resp/reply-writer.ts';
import { lookupCommand } from '../../src/engine/commands/registry.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import type { HashValue } from '../../src/engine/keyspace/hash.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import type { Logger } from '../../src/engine/log.ts';

export function hashSession(options: { protocol?: 2 | 3; seed?: number } = {}) {
  const log: Logger = { log: () => {}, warning: () => {}, notice: () => {} };
  const node = new RedisNode({
    host: '127.0.0.1',
    port: 6379,
    pid: 1,
    runId: 'a'.repeat(40),
    log,
    clock: new Clock(DEFAULT_EPOCH_MS),
    random: new Rng(options.seed ?? 1, 'test'),
  });
  const client = new Client(1, { ip: '127.0.0.1', port: 50000 }, { write: () => {}, close: () => {} }, () => node.config.protoMaxBulkLen);
  const reply = new ReplyWriter();
  reply.protocol = options.protocol ?? 2;
  const db = node.keyspace.dbs[0];
  const run = (...args: string[]): string => {
    const argv = args.map((a) => fromLatin1(a));
    const found = lookupCommand(argv);
    if ('error' in found) reply.error(found.error);
    else found.command.handler!({ node, client, argv, reply, db, keyspace: node.keyspace });
    return latin1(reply.take());
  };
  /** The hash value at a key (undefined when there is none or it is not a hash). */
  const hash = (key: string): HashValue | undefined => {
    const value = db.peek(keyName(fromLatin1(key)));
    return value?.type === 'hash' ? value : undefined;
  };
  return { node, run, db, hash };
}

/** The bulk strings of a flat RESP2 array reply of bulk strings. */
export function bulks(reply: string): string[] {
  const head = /^\*(\d+)\r\n/.exec(reply);
  if (!head) throw new Error(`not an array: ${JSON.stringify(reply.slice(0, 40))}`);
  const out: string[] = [];
  let at = head[0].length;
  for (let i = 0; i < Number(head[1]); i++) {
    const bulk = /^\$(\d+)\r\n/.exec(reply.slice(at, at + 24));
    if (!bulk) throw new Error(`not a bulk string at ${at}: ${JSON.stringify(reply.slice(at, at + 40))}`);
    const start = at + bulk[0].length;
    out.push(reply.slice(start, start + Number(bulk[1])));
    at = start + Number(bulk[1]) + 2;
  }
  if (at !== reply.length) throw new Error('trailing bytes after the array');
  return out;
}

/** "HSET key f1 v1 ... fn vn" arguments. */
export function fieldArgs(n: number, from = 1): string[] {
  const out: string[] = [];
  for (let i = from; i < from + n; i++) out.push(`f${i}`, `v${i}`);
  return out;
}
