// Sorted set commands (the "sorted-set" group of COMMAND DOCS), following
// t_zset.c of Redis 7.0.15: the same checks in the same order, the same
// lookups (lookupKeyRead counts a hit or a miss; the writing commands use
// lookupKeyWrite, which does not), the same replies in RESP2 and RESP3.
// This file has the member commands, the pops and ZRANDMEMBER; ranges are
// in zset-range.ts, ZUNION/ZINTER/ZDIFF in zset-setops.ts. The value and its
// encoding rules are in keyspace/zset.ts, scores in keyspace/zset-score.ts.
//
// ZSCAN is with the other SCANs (scan.ts). The blocking BZPOPMIN, BZPOPMAX
// and BZMPOP are in blocking-zset.ts, with the pop helpers exported here.
//
// Replication: a command counts its changes in node.dirty where Redis does
// server.dirty++ (ZADD and ZINCRBY: members added or updated; ZREM and the
// pops: members removed), so a command that changed nothing is not
// propagated; ZMPOP is propagated as the ZPOPMIN or ZPOPMAX with a count
// that it amounted to, every other one verbatim (ZADD ... INCR too: doubles
// add the same everywhere). What a real 7.0.15 master propagates is in
// tests/golden/zset.stream.
//
// Keyspace events (notify.ts) are sent where t_zset.c sends them, in the
// same order relative to the replies: after the reply for ZADD and
// ZINCRBY, before it for ZREM, between the array header and the first pair
// for the pops.
import type { CommandContext, Handler } from './context.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { parseLongLong, parseMpop } from './args.ts';
import { Err } from '../errors.ts';
import { fromLatin1 } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import {
  memberBytes,
  memberName,
  newZset,
  zaddNewEncoding,
  zsetAdd,
  zsetDelete,
  zsetRank,
  ZADD_GT,
  ZADD_INCR,
  ZADD_LT,
  ZADD_NX,
  ZADD_XX,
  type ZsetValue,
} from '../keyspace/zset.ts';
import { string2d } from '../keyspace/zset-score.ts';
import { ReplyWriter } from '../resp/reply-writer.ts';
import {
  countArg,
  EMPTY_ARRAY,
  isZset,
  lookupReadOrReply,
  option,
  parseLongAtLeast,
  replyPair,
  replyPairsHeader,
  replyScore,
  ZERO,
} from './zset-common.ts';
import { zsetRangeHandlers } from './zset-range.ts';
import { zsetSetopHandlers } from './zset-setops.ts';
import { HRANDFIELD_REPLY_LIMIT } from './hash.ts';

/** LONG_MAX on the oracle (LP64). */
const LONG_MAX = 9223372036854775807n;
// The words ZMPOP is propagated with (shared.zpopmin, shared.zpopmax in server.c).
const ZPOPMIN_WORD = fromLatin1('ZPOPMIN');
const ZPOPMAX_WORD = fromLatin1('ZPOPMAX');

// --- ZADD, ZINCRBY

/** zaddGenericCommand: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], and ZINCRBY. */
function zaddGeneric(ctx: CommandContext, initialFlags: number): void {
  const { argv, reply, db, keyspace, node } = ctx;
  let flags = initialFlags;
  let ch = false;
  // The options come first, in any order and any number; ZINCRBY reads them too.
  let scoreidx = 2;
  for (; scoreidx < argv.length; scoreidx++) {
    const opt = option(argv[scoreidx]);
    if (opt === 'nx') flags |= ZADD_NX;
    else if (opt === 'xx') flags |= ZADD_XX;
    else if (opt === 'ch') ch = true;
    else if (opt === 'incr') flags |= ZADD_INCR;
    else if (opt === 'gt') flags |= ZADD_GT;
    else if (opt === 'lt') flags |= ZADD_LT;
    else break;
  }
  const args = argv.length - scoreidx;
  if (args % 2 !== 0 || args === 0) return reply.error(Err.syntax);
  const elements = args / 2;
  const nx = (flags & ZADD_NX) !== 0;
  const incr = (flags & ZADD_INCR) !== 0;
  if (nx && flags & ZADD_XX) return reply.error(Err.zaddXxAndNx);
  if ((nx && flags & (ZADD_GT | ZADD_LT)) || (flags & ZADD_GT && flags & ZADD_LT)) return reply.error(Err.zaddGtLtNx);
  if (incr && elements > 1) return reply.error(Err.zaddIncrSingle);
  // Every score is parsed before anything changes: all or nothing.
  const scores: number[] = [];
  for (let j = 0; j < elements; j++) {
    const score = string2d(argv[scoreidx + j * 2]);
    if (score === null) return reply.error(Err.notValidFloat);
    scores.push(score);
  }

  const key = keyName(argv[1]);
  let zset = keyspace.lookupWrite(db, key);
  if (zset !== undefined && !isZset(zset)) return reply.error(Err.wrongType);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (zset === undefined && !(flags & ZADD_XX)) {
    zset = newZset(zaddNewEncoding(argv[scoreidx + 1], node.config));
    db.set(key, zset);
  }
  if (zset !== undefined) {
    for (let j = 0; j < elements; j++) {
      const outcome = zsetAdd(zset, scores[j], memberName(argv[scoreidx + 1 + j * 2]), flags, node.config);
      if (outcome.kind === 'nan') return reply.error(Err.zaddNan);
      if (outcome.kind === 'nop') continue;
      processed++;
      if (outcome.kind === 'added') added++;
      else if (outcome.kind === 'updated') updated++;
      score = outcome.score;
    }
    node.dirty += added + updated;
  }
  if (!incr) reply.integer(ch ? added + updated : added);
  else if (processed) replyScore(reply, score);
  else reply.nil();
  if (added || updated) notifyKeyspaceEvent(node, NOTIFY.z, incr ? 'zincr' : 'zadd', argv[1], db.id);
}

const zadd: Handler = (ctx) => zaddGeneric(ctx, 0);
const zincrby: Handler = (ctx) => zaddGeneric(ctx, ZADD_INCR);

// --- ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK

/** ZREM: the key goes with its last member (and later arguments are not looked at). */
const zrem: Handler = (ctx) => {
  const { argv, reply, db, keyspace, node } = ctx;
  const key = keyName(argv[1]);
  const zset = keyspace.lookupWrite(db, key);
  if (zset === undefined) return reply.raw(ZERO);
  if (!isZset(zset)) return reply.error(Err.wrongType);
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (zsetDelete(zset, memberName(argv[j]))) deleted++;
    if (zset.dict.size === 0) {
      db.delete(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted) {
    notifyKeyspaceEvent(node, NOTIFY.z, 'zrem', argv[1], db.id);
    if (keyRemoved) notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
  }
  node.dirty += deleted;
  reply.integer(deleted);
};

const zcard: Handler = (ctx) => {
  const zset = lookupReadOrReply(ctx, 1, () => ctx.reply.raw(ZERO));
  if (zset) ctx.reply.integer(zset.dict.size);
};

/** The score, or nil. */
function replyMemberScore(ctx: CommandContext, zset: ZsetValue | undefined, member: Uint8Array): void {
  const score = zset?.dict.get(memberName(member));
  if (score === undefined) ctx.reply.nil();
  else replyScore(ctx.reply, score);
}

const zscore: Handler = (ctx) => {
  const zset = lookupReadOrReply(ctx, 1, () => ctx.reply.nil());
  if (zset) replyMemberScore(ctx, zset, ctx.argv[2]);
};

/** ZMSCORE: a missing key is an empty zset, so every score is nil. */
const zmscore: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value !== undefined && !isZset(value)) return reply.error(Err.wrongType);
  reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) replyMemberScore(ctx, value, argv[j]);
};

function zrankGeneric(ctx: CommandContext, reverse: boolean): void {
  const zset = lookupReadOrReply(ctx, 1, () => ctx.reply.nil());
  if (!zset) return;
  const rank = zsetRank(zset, memberName(ctx.argv[2]), reverse);
  if (rank === null) ctx.reply.nil();
  else ctx.reply.integer(rank);
}

const zrank: Handler = (ctx) => zrankGeneric(ctx, false);
const zrevrank: Handler = (ctx) => zrankGeneric(ctx, true);

// --- ZPOPMIN, ZPOPMAX, ZMPOP

export interface PopReply {
  /** ZMPOP, BZPOPMIN/BZPOPMAX: the key, then the pairs; ZPOPMIN/ZPOPMAX: the pairs only. */
  readonly emitKey: boolean;
  /** Each pair in a 2-array (ZMPOP, BZMPOP; ZPOPMIN/ZPOPMAX with a count in RESP3); BZPOPMIN/BZPOPMAX: flat. */
  readonly nested: boolean;
}

/**
 * genericZpopCommand: pops up to `count` members (-1: one, the form without
 * a count) from the lowest scores, or the highest when `max`, of the first
 * of `keys` that exists; a key of another type before it is an error.
 * Returns the key popped from and how many, or null when nothing was.
 */
export function zpopGeneric(ctx: CommandContext, keys: readonly Uint8Array[], max: boolean, count: number, shape: PopReply): { key: Uint8Array; popped: number } | null {
  const { reply, db, keyspace, node } = ctx;
  let key: Uint8Array | undefined;
  let zset: ZsetValue | undefined;
  for (const k of keys) {
    const value = keyspace.lookupWrite(db, keyName(k));
    if (value === undefined) continue;
    if (!isZset(value)) {
      reply.error(Err.wrongType);
      return null;
    }
    key = k;
    zset = value;
    break;
  }
  if (!zset || !key) {
    if (shape.emitKey) reply.nullArray();
    else reply.raw(EMPTY_ARRAY);
    return null;
  }
  if (count === 0) {
    reply.raw(EMPTY_ARRAY);
    return null;
  }
  const n = Math.min(count === -1 ? 1 : count, zset.dict.size);
  if (shape.emitKey && shape.nested) {
    reply.arrayHeader(2);
    reply.bulk(key);
    reply.arrayHeader(n);
  } else if (shape.emitKey) {
    // BZPOPMIN/BZPOPMAX: key, member, score.
    reply.arrayHeader(n * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayHeader(shape.nested ? n : n * 2);
  }
  const tree = zset.tree;
  for (let i = 0; i < n; i++) {
    const at = max ? tree.size - 1 : 0;
    const member = tree.memberAt(at);
    const score = tree.scoreAt(at);
    zsetDelete(zset, member);
    node.dirty++;
    if (i === 0) notifyKeyspaceEvent(node, NOTIFY.z, max ? 'zpopmax' : 'zpopmin', key, db.id);
    if (shape.nested) reply.arrayHeader(2);
    reply.bulk(memberBytes(member));
    replyScore(reply, score);
  }
  if (zset.dict.size === 0) {
    db.delete(keyName(key));
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', key, db.id);
  }
  return { key, popped: n };
}

/** ZPOPMIN/ZPOPMAX key [count]: a flat array, nested pairs in RESP3 when a count is given. */
function zpopMinMax(ctx: CommandContext, max: boolean): void {
  const { argv, reply } = ctx;
  if (argv.length > 3) return reply.error(Err.syntax);
  let count = -1;
  if (argv.length === 3) {
    const parsed = parseLongAtLeast(argv[2], 0, Err.valueMustBePositive);
    if (!parsed.ok) return reply.error(parsed.error);
    count = parsed.value;
  }
  zpopGeneric(ctx, [argv[1]], max, count, { emitKey: false, nested: reply.protocol === 3 && count !== -1 });
}

const zpopmin: Handler = (ctx) => zpopMinMax(ctx, false);
const zpopmax: Handler = (ctx) => zpopMinMax(ctx, true);

/**
 * zmpopGenericCommand's parsing, numkeys at argv[numkeysIdx]: the keys,
 * MIN or MAX, the count (1 without COUNT); null after replying the error.
 */
export function parseZmpop(ctx: CommandContext, numkeysIdx: number): { keys: readonly Uint8Array[]; max: boolean; count: number } | null {
  const parsed = parseMpop(ctx.argv, numkeysIdx, (arg) => {
    const where = option(arg);
    return where === 'max' ? true : where === 'min' ? false : null;
  });
  if (!parsed.ok) return void ctx.reply.error(parsed.error), null;
  return { keys: parsed.value.keys, max: parsed.value.where, count: parsed.value.count };
}

/** What a pop from the lowest or highest scores is propagated as: ZPOPMIN or ZPOPMAX key [count]. */
export function zpopCommand(max: boolean, key: Uint8Array, count: number | null): readonly Uint8Array[] {
  const word = max ? ZPOPMAX_WORD : ZPOPMIN_WORD;
  return count === null ? [word, key] : [word, key, countArg(count)];
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
const zmpop: Handler = (ctx) => {
  const args = parseZmpop(ctx, 1);
  if (!args) return;
  const popped = zpopGeneric(ctx, args.keys, args.max, args.count, { emitKey: true, nested: true });
  // Replicated as the pop it amounted to: ZPOPMIN or ZPOPMAX key <popped>.
  if (popped) ctx.client.propagateAs = zpopCommand(args.max, popped.key, popped.popped);
};

// --- ZRANDMEMBER

/**
 * zrandmemberWithCountCommand. Every draw comes from the node's seeded
 * random stream; the cases and the orders they give follow Redis:
 *  - a negative count (or 1): count independent draws, in draw order;
 *  - count >= size: the whole zset from the highest score down (the
 *    reverse walk zuiNext makes);
 *  - count * 3 > size: random members are removed until count are left;
 *    they are listed from the highest score down (Redis lists what is left
 *    of a temporary dict in that dict's order);
 *  - else, a listpack: one pass from the lowest score, each member taken
 *    with probability (members still wanted) / (members not yet visited)
 *    (lpRandomPairsUnique); a skiplist: draws until count distinct members,
 *    in draw order.
 * A negative count beyond the zset's size is bounded by the engine (see
 * HRANDFIELD_REPLY_LIMIT): Redis would stream any number of draws.
 */
function zrandmemberWithCount(ctx: CommandContext, l: bigint, withScores: boolean): void {
  const { reply, node } = ctx;
  const random = node.options.random;
  const zset = lookupReadOrReply(ctx, 1, () => reply.raw(EMPTY_ARRAY));
  if (!zset) return;
  const size = zset.dict.size;
  const tree = zset.tree;
  const unique = l >= 0n;
  const count = unique ? l : -l;
  if (count === 0n) return reply.raw(EMPTY_ARRAY);
  const pick = (out: ReplyWriter, at: number) => replyPair(out, memberBytes(tree.memberAt(at)), tree.scoreAt(at), withScores);

  if (!unique || count === 1n) {
    if (count <= BigInt(size)) {
      const n = Number(count);
      replyPairsHeader(reply, n, withScores);
      for (let i = 0; i < n; i++) pick(reply, random.below(size));
      return;
    }
    // Each pick takes at least 6 bytes ("$0\r\n\r\n"): a count beyond
    // limit / 6 cannot fit; below that, the picks go to a scratch writer.
    if (count > BigInt(Math.floor(HRANDFIELD_REPLY_LIMIT / 6))) return reply.error(Err.zrandmemberReplyTooLarge);
    const n = Number(count);
    const scratch = new ReplyWriter();
    scratch.protocol = reply.protocol;
    replyPairsHeader(scratch, n, withScores);
    for (let i = 0; i < n; i++) {
      pick(scratch, random.below(size));
      if (scratch.size > HRANDFIELD_REPLY_LIMIT) return reply.error(Err.zrandmemberReplyTooLarge);
    }
    reply.raw(scratch.take());
    return;
  }

  const want = count < BigInt(size) ? Number(count) : size;
  replyPairsHeader(reply, want, withScores);
  if (want === size) {
    for (let at = size - 1; at >= 0; at--) pick(reply, at);
    return;
  }
  if (want * 3 > size) {
    // Remove size - count random members, then list the rest.
    const remaining = Array.from({ length: size }, (_, i) => i);
    const removed = new Uint8Array(size);
    for (let left = size; left > want; left--) {
      const at = random.below(left);
      removed[remaining[at]] = 1;
      remaining[at] = remaining[left - 1];
    }
    for (let at = size - 1; at >= 0; at--) if (!removed[at]) pick(reply, at);
    return;
  }
  if (zset.encoding === 'listpack') {
    let wanted = want;
    for (let at = 0; at < size && wanted > 0; at++) {
      if (random.below(size - at) < wanted) {
        pick(reply, at);
        wanted--;
      }
    }
    return;
  }
  const picked = new Set<number>();
  while (picked.size < want) {
    const at = random.below(size);
    if (picked.has(at)) continue;
    picked.add(at);
    pick(reply, at);
  }
}

/** ZRANDMEMBER key [count [WITHSCORES]] */
const zrandmember: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  if (argv.length >= 3) {
    // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)
    const parsed = parseLongLong(argv[2]);
    if (!parsed.ok) return reply.error(parsed.error);
    const l = BigInt(parsed.value);
    if (l < -LONG_MAX) return reply.error(Err.outOfRange(-LONG_MAX, LONG_MAX));
    if (argv.length > 4 || (argv.length === 4 && option(argv[3]) !== 'withscores')) return reply.error(Err.syntax);
    const withScores = argv.length === 4;
    // LONG_MAX/2 truncates, and -LONG_MAX/2 is its negation.
    if (withScores && (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n)) return reply.error(Err.valueOutOfRangePlain);
    return zrandmemberWithCount(ctx, l, withScores);
  }
  const zset = lookupReadOrReply(ctx, 1, () => reply.nil());
  if (zset) reply.bulk(memberBytes(zset.tree.memberAt(node.options.random.below(zset.dict.size))));
};

export const zsetHandlers: Record<string, Handler> = {
  zadd,
  zincrby,
  zrem,
  zcard,
  zscore,
  zmscore,
  zrank,
  zrevrank,
  zpopmin,
  zpopmax,
  zmpop,
  zrandmember,
  ...zsetRangeHandlers,
  ...zsetSetopHandlers,
};
