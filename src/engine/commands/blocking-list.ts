// The blocking list commands: BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH
// (t_list.c of Redis 7.0.15: blockingPopGenericCommand, blmoveGenericCommand,
// serveClientBlockedOnList). Each first does what its non-blocking form
// would when a key has elements, and is propagated as that form: LPOP/RPOP
// key (BLPOP, BRPOP), LPOP/RPOP key <popped> (BLMPOP), LMOVE with the ends
// as given (BLMOVE), RPOPLPUSH (BRPOPLPUSH). Otherwise the client blocks on
// its keys (blocking.ts), or, inside EXEC, answers what a timeout answers.
//
// A blocked client is served when a key it waits for holds a list again,
// and propagates what serving it did: LPOP/RPOP key for BLPOP and BRPOP,
// LPOP/RPOP key <popped> for BLMPOP, LMOVE key dst left|right left|right
// (lower-case words: shared.left and shared.right) for BLMOVE, RPOPLPUSH
// for BRPOPLPUSH. As in Redis, only the BLMPOP form counts its pops as
// changes to the dataset (server.dirty); the others count none, and
// touch no watched key but BLMOVE's destination. A BLMOVE whose
// destination became another type is answered WRONGTYPE and pops nothing.
// What a real 7.0.15 master propagates is in tests/golden/blocking.stream.
import type { CommandContext, Handler } from './context.ts';
import { fromLatin1 } from '../bytes.ts';
import { Err } from '../errors.ts';
import { keyName, type KeyName } from '../keyspace/db.ts';
import { denyBlocking } from '../blocking.ts';
import { blockingTimeout } from './timeout.ts';
import { firstList, isList, listEnd, lmoveGeneric, nullArray, parseLmpop, popOneWithKey, popRangeWithKey } from './list.ts';
import type { ListValue } from '../keyspace/list.ts';

const WORD = {
  LPOP: fromLatin1('LPOP'),
  RPOP: fromLatin1('RPOP'),
  LMOVE: fromLatin1('LMOVE'),
  RPOPLPUSH: fromLatin1('RPOPLPUSH'),
  left: fromLatin1('left'),
  right: fromLatin1('right'),
};

/** The list to serve a blocked client from, for changing (the fork snapshot's copy-on-write rule). */
function writable(ctx: CommandContext, key: KeyName): ListValue {
  return ctx.keyspace.lookupWrite(ctx.db, key) as ListValue;
}

/**
 * blockingPopGenericCommand: `count` -1 for BLPOP and BRPOP ([key,
 * element]), else BLMPOP's count ([key, [elements]]).
 */
function blockingPop(ctx: CommandContext, keys: readonly Uint8Array[], atHead: boolean, timeoutArg: Uint8Array, count: number): void {
  const { node, client, reply, db } = ctx;
  const timeout = blockingTimeout(ctx, timeoutArg, 'seconds');
  if (timeout === null) return;
  const found = firstList(ctx, keys);
  if (found === 'error') return;
  if (found !== null) {
    if (count !== -1) {
      client.propagateAs = popRangeWithKey(ctx, found.key, found.value, atHead, count);
    } else {
      popOneWithKey(ctx, found.key, found.value, atHead);
      node.dirty++;
      client.propagateAs = [atHead ? WORD.LPOP : WORD.RPOP, found.key];
    }
    return;
  }
  if (denyBlocking(client)) return nullArray(reply);
  node.blocking.block(ctx, {
    type: 'list',
    keys,
    timeout,
    serve: (key) => {
      const keyBytes = fromLatin1(key);
      const value = writable(ctx, key);
      if (count !== -1) {
        node.propagate(db.id, popRangeWithKey(ctx, keyBytes, value, atHead, count));
        node.signalModifiedKey(db.id, key);
      } else {
        node.propagate(db.id, [atHead ? WORD.LPOP : WORD.RPOP, keyBytes]);
        popOneWithKey(ctx, keyBytes, value, atHead);
      }
      return true;
    },
  });
}

const blpop: Handler = (ctx) => blockingPop(ctx, ctx.argv.slice(1, -1), true, ctx.argv[ctx.argv.length - 1], -1);
const brpop: Handler = (ctx) => blockingPop(ctx, ctx.argv.slice(1, -1), false, ctx.argv[ctx.argv.length - 1], -1);

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the timeout is read after the rest. */
const blmpop: Handler = (ctx) => {
  const args = parseLmpop(ctx, 2);
  if (args) blockingPop(ctx, args.keys, args.atHead, ctx.argv[1], args.count);
};

/**
 * blmoveGenericCommand: BLMOVE source destination from to timeout, and
 * BRPOPLPUSH source destination timeout (RIGHT to LEFT). `propagated`:
 * the non-blocking command it replicates as.
 */
function blmoveGeneric(ctx: CommandContext, fromHead: boolean, toHead: boolean, timeout: number, propagated: readonly Uint8Array[]): void {
  const { node, client, argv, db, keyspace } = ctx;
  const src = keyspace.lookupWrite(db, keyName(argv[1]));
  if (src !== undefined && !isList(src)) return ctx.reply.error(Err.wrongType);
  if (src !== undefined) {
    if (lmoveGeneric(ctx, fromHead, toHead)) client.propagateAs = propagated;
    return;
  }
  // Nothing to move and no blocking allowed: a null reply at once.
  if (denyBlocking(client)) return ctx.reply.nil();
  const dst = argv[2];
  node.blocking.block(ctx, {
    type: 'list',
    keys: [argv[1]],
    timeout,
    serve: () => {
      if (lmoveGeneric(ctx, fromHead, toHead, true)) {
        node.signalModifiedKey(db.id, keyName(dst));
        node.propagate(db.id, served(propagated, fromHead, toHead));
      }
      return true;
    },
  });
}

/** What a served BLMOVE propagates: LMOVE with the ends as the lower-case words Redis has shared. */
function served(propagated: readonly Uint8Array[], fromHead: boolean, toHead: boolean): readonly Uint8Array[] {
  if (propagated.length === 3) return propagated; // RPOPLPUSH source destination
  return [propagated[0], propagated[1], propagated[2], fromHead ? WORD.left : WORD.right, toHead ? WORD.left : WORD.right];
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
const blmove: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const from = listEnd(argv[3]);
  if (from === null) return reply.error(Err.syntax);
  const to = listEnd(argv[4]);
  if (to === null) return reply.error(Err.syntax);
  const timeout = blockingTimeout(ctx, argv[5], 'seconds');
  if (timeout === null) return;
  blmoveGeneric(ctx, from, to, timeout, [WORD.LMOVE, argv[1], argv[2], argv[3], argv[4]]);
};

/** BRPOPLPUSH source destination timeout */
const brpoplpush: Handler = (ctx) => {
  const { argv } = ctx;
  const timeout = blockingTimeout(ctx, argv[3], 'seconds');
  if (timeout === null) return;
  blmoveGeneric(ctx, false, true, timeout, [WORD.RPOPLPUSH, argv[1], argv[2]]);
};

export const blockingListHandlers: Record<string, Handler> = { blpop, brpop, blmpop, blmove, brpoplpush };
