// OBJECT ENCODING, FREQ, IDLETIME, REFCOUNT and HELP (object.c's
// objectCommand of Redis 7.0.15). The key is looked up as a read that
// neither touches its access time nor counts as a keyspace event
// (LOOKUP_NOTOUCH|LOOKUP_NONOTIFY): a missing key answers a null.
//
// The access time behind IDLETIME and FREQ is kept on every value by
// keyspace/lru.ts; each subcommand refuses the policy it does not apply to.
//
// REFCOUNT: the engine has no reference counts, but Redis's answer follows
// from the value: a string kept as one of the shared integers 0..9999
// (tryObjectEncoding shares them unless maxmemory is set with an LRU or
// LFU policy) answers INT_MAX (OBJ_SHARED_REFCOUNT), any other value 1.
import type { CommandContext, Handler } from './context.ts';
import { writeHelp } from './help.ts';
import { Err } from '../errors.ts';
import { keyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { decrAndReturn, idleMs, sharedSlot, type AccessPolicy } from '../keyspace/lru.ts';
import type { RedisNode } from '../node.ts';

/** OBJ_SHARED_REFCOUNT. */
const SHARED_REFCOUNT = 2147483647;

/** objectCommandLookupOrReply with a null reply: the value, or undefined after the null. */
function lookup(ctx: CommandContext): RedisValue | undefined {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[2]), true, true);
  if (value === undefined) ctx.reply.nil();
  return value;
}

/** MAXMEMORY_FLAG_LFU. */
export function lfuPolicy(node: RedisNode): boolean {
  return node.config.maxmemoryPolicy.includes('lfu');
}

/** robj->refcount as Redis would report it: OBJ_SHARED_REFCOUNT for a shared integer, else 1. */
export function refcount(access: AccessPolicy, value: RedisValue): number {
  return sharedSlot(value, access) >= 0 ? SHARED_REFCOUNT : 1;
}

const encoding: Handler = (ctx) => {
  const value = lookup(ctx);
  if (value) ctx.reply.bulkText(value.encoding);
};

const refcountCommand: Handler = (ctx) => {
  const value = lookup(ctx);
  if (value) ctx.reply.integer(refcount(ctx.db.access!, value));
};

const idletime: Handler = (ctx) => {
  const value = lookup(ctx);
  if (!value) return;
  if (lfuPolicy(ctx.node)) return ctx.reply.error(Err.objectIdletimeLfu);
  ctx.reply.integer(Math.floor(idleMs(value, ctx.db.access!) / 1000));
};

const freq: Handler = (ctx) => {
  const value = lookup(ctx);
  if (!value) return;
  if (!lfuPolicy(ctx.node)) return ctx.reply.error(Err.objectFreqNotLfu);
  ctx.reply.integer(decrAndReturn(value, ctx.db.access!));
};

const HELP = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

const help: Handler = ({ reply, argv }) => writeHelp(reply, argv[0], HELP);

export const objectHandlers: Record<string, Handler> = {
  'object|encoding': encoding,
  'object|refcount': refcountCommand,
  'object|idletime': idletime,
  'object|freq': freq,
  'object|help': help,
};
