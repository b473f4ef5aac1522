// What the sorted set commands share (zset.ts, zset-range.ts,
// zset-setops.ts): lookups with t_zset.c's replies for a missing key, the
// score reply (addReplyDouble), option words and number arguments as Redis
// reads them, and setKey for a STORE result.
import type { CommandContext } from './context.ts';
import { parseLongLong, type Parsed } from './args.ts';
import { Err } from '../errors.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { cString, fromLatin1, lowerAscii } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import type { ZsetValue } from '../keyspace/zset.ts';
import { formatScore } from '../keyspace/zset-score.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';

export const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n
export const EMPTY_ARRAY = new Uint8Array([0x2a, 0x30, 0x0d, 0x0a]); // *0\r\n

export function isZset(value: RedisValue): value is ZsetValue {
  return value.type === 'zset';
}

/** An option as strcasecmp sees it: lower-cased, cut at its first NUL byte. */
export const option = (arg: Uint8Array): string => lowerAscii(cString(arg));

/**
 * lookupKeyReadOrReply + checkType: the zset at argv[index], or undefined
 * after replying `missing` (no key) or WRONGTYPE.
 */
export function lookupReadOrReply(ctx: CommandContext, index: number, missing: () => void): ZsetValue | undefined {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[index]));
  if (value === undefined) {
    missing();
    return undefined;
  }
  if (!isZset(value)) {
    ctx.reply.error(Err.wrongType);
    return undefined;
  }
  return value;
}

/** addReplyDouble: a bulk string of "%.17g" in RESP2, a double (`,`) in RESP3; infinities as inf and -inf. */
export function replyScore(reply: ReplyWriter, score: number): void {
  const text = formatScore(score);
  if (reply.protocol === 3) reply.latin1(`,${text}\r\n`);
  else reply.bulkText(text);
}

/** A member and, WITHSCORES, its score: a 2-array around them in RESP3 (ZRANGE, ZPOPMIN with a count, ...). */
export function replyPair(reply: ReplyWriter, member: Uint8Array, score: number, withScores: boolean): void {
  if (withScores && reply.protocol === 3) reply.arrayHeader(2);
  reply.bulk(member);
  if (withScores) replyScore(reply, score);
}

/** The array header for `count` members, WITHSCORES doubled in RESP2 (flat) and nested in RESP3. */
export function replyPairsHeader(reply: ReplyWriter, count: number, withScores: boolean): void {
  reply.arrayHeader(withScores && reply.protocol === 2 ? count * 2 : count);
}

/**
 * getLongFromObjectOrReply, as a number: beyond 2^53 it is clamped, which
 * gives the same answer wherever it is compared with sizes and ranks.
 */
export function parseLong(bytes: Uint8Array): Parsed<number> {
  const v = parseLongLong(bytes);
  if (!v.ok) return v;
  const n = v.value;
  return { ok: true, value: typeof n === 'number' ? n : n > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER };
}

/**
 * getRangeLongFromObjectOrReply(min, LONG_MAX) with a message: the message
 * answers a value that is not a number and one below min alike.
 */
export function parseLongAtLeast(bytes: Uint8Array, min: number, message: string): Parsed<number> {
  const v = parseLong(bytes);
  return v.ok && v.value >= min ? v : { ok: false, error: message };
}

/** The decimal digits of a count, as an argument (createStringObjectFromLongLong). */
export function countArg(n: number): Uint8Array {
  return fromLatin1(String(n));
}

/**
 * setKey for a STORE result (ZUNIONSTORE and the others, ZRANGESTORE): a
 * non-empty result replaces the destination (an expired one is deleted
 * first, and that propagated) and drops its TTL; an empty one deletes it
 * (dbDelete, which finds an expired key too), counting a change only when
 * there was one. Answers the result's size, then sends the command's
 * keyspace event (or `del`), as the STORE commands do.
 */
export function storeZset(ctx: CommandContext, dstkey: Uint8Array, result: ZsetValue, event: string): void {
  const { db, keyspace, node, reply } = ctx;
  const key = keyName(dstkey);
  const size = result.dict.size;
  if (size > 0) {
    keyspace.lookupWrite(db, key);
    db.set(key, result);
    reply.integer(size);
    notifyKeyspaceEvent(node, NOTIFY.z, event, dstkey, db.id);
    node.dirty++;
    return;
  }
  reply.raw(ZERO);
  if (db.delete(key)) {
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', dstkey, db.id);
    node.dirty++;
  }
}
