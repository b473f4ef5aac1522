// One node and one client in process, commands run through the node's own
// dispatch (RedisNode.execute: lookup, arity, handler), replies as text of
// chars 0..255. For unit tests that need the node's internals at hand.
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { Client } from '../../src/engine/client.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import type { Logger } from '../../src/engine/log.ts';

export const quietLog: Logger = { log: () => {}, warning: () => {}, notice: () => {} };

export function testNode(clock = new Clock(DEFAULT_EPOCH_MS)): RedisNode {
  return new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log: quietLog, clock, random: new Rng(1, 'test') });
}

export function engineSession(protocol: 2 | 3 = 2) {
  const clock = new Clock(DEFAULT_EPOCH_MS);
  const node = testNode(clock);
  const client = new Client(1, { ip: '127.0.0.1', port: 50000 }, { write: () => {}, close: () => {} }, () => node.config.protoMaxBulkLen);
  client.reply.protocol = protocol;
  const run = (...args: string[]): string => {
    node.execute(client, args.map(fromLatin1));
    return latin1(client.reply.take());
  };
  return { node, clock, client, run, db: node.keyspace.dbs[0] };
}
