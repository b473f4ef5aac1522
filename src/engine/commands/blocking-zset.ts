// The blocking sorted set commands: BZPOPMIN, BZPOPMAX and BZMPOP (t_zset.c
// of Redis 7.0.15: blockingGenericZpopCommand; blocked.c:
// serveClientsBlockedOnSortedSetKey). When a key holds members they pop as
// ZPOPMIN/ZPOPMAX and ZMPOP would, and are propagated as ZPOPMIN or
// ZPOPMAX key (BZPOPMIN, BZPOPMAX) or ZPOPMIN or ZPOPMAX key <popped>
// (BZMPOP). Otherwise the client blocks on its keys (blocking.ts), or,
// inside EXEC, answers a null array at once. A served client pops the same
// way, counts its pops as changes (server.dirty) and touches the key, and
// the pop is propagated in the same forms. BZPOPMIN and BZPOPMAX answer a
// flat [key, member, score]; BZMPOP [key, [[member, score], ...]].
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { fromLatin1 } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import { denyBlocking } from '../blocking.ts';
import { isZset } from './zset-common.ts';
import { parseZmpop, zpopCommand, zpopGeneric } from './zset.ts';
import { blockingTimeout } from './timeout.ts';

/**
 * blockingGenericZpopCommand: `count` -1 for BZPOPMIN and BZPOPMAX, else
 * BZMPOP's count; `nested`: BZMPOP's reply form.
 */
function blockingZpop(ctx: CommandContext, keys: readonly Uint8Array[], max: boolean, timeoutArg: Uint8Array, count: number, nested: boolean): void {
  const { node, client, reply, db, keyspace } = ctx;
  const timeout = blockingTimeout(ctx, timeoutArg, 'seconds');
  if (timeout === null) return;
  const shape = { emitKey: true, nested };
  for (const key of keys) {
    const value = keyspace.lookupWrite(db, keyName(key));
    if (value === undefined) continue;
    if (!isZset(value)) return reply.error(Err.wrongType);
    if (value.dict.size === 0) continue;
    const popped = zpopGeneric(ctx, [key], max, count, shape)!;
    client.propagateAs = zpopCommand(max, key, count === -1 ? null : popped.popped);
    return;
  }
  if (denyBlocking(client)) return reply.nullArray();
  node.blocking.block(ctx, {
    type: 'zset',
    keys,
    timeout,
    serve: (key) => {
      // genericZpopCommand on the receiver: it looks the key up for writing itself.
      const popped = zpopGeneric(ctx, [fromLatin1(key)], max, count, shape);
      if (popped) {
        node.signalModifiedKey(db.id, key);
        node.propagate(db.id, zpopCommand(max, popped.key, count === -1 ? null : popped.popped));
      }
      return true;
    },
  });
}

const bzpopmin: Handler = (ctx) => blockingZpop(ctx, ctx.argv.slice(1, -1), false, ctx.argv[ctx.argv.length - 1], -1, false);
const bzpopmax: Handler = (ctx) => blockingZpop(ctx, ctx.argv.slice(1, -1), true, ctx.argv[ctx.argv.length - 1], -1, false);

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the timeout is read after the rest. */
const bzmpop: Handler = (ctx) => {
  const args = parseZmpop(ctx, 2);
  if (args) blockingZpop(ctx, args.keys, args.max, ctx.argv[1], args.count, true);
};

export const blockingZsetHandlers: Record<string, Handler> = { bzpopmin, bzpopmax, bzmpop };
