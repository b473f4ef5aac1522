// List commands (the "list" group of COMMAND DOCS), following t_list.c of
// Redis 7.0.15: the same checks in the same order (some commands parse
// their numbers before looking the key up, LINDEX and LSET after), the
// same lookups (LLEN, LINDEX, LRANGE and LPOS read; the others write) and
// the same replies, in RESP2 and RESP3.
//
// The blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) are in
// blocking-list.ts, with the helpers exported here.
//
// Replication: a command counts its changes in node.dirty where Redis does
// (server.dirty += the elements pushed, popped, trimmed or removed), so a
// command that changed nothing is not propagated; LMPOP is propagated as
// the LPOP or RPOP with a count that it amounted to. What a real 7.0.15
// master propagates for each is in tests/golden/list.stream. Keyspace
// events (notify.ts) are sent where t_list.c sends them, in the same order
// relative to the replies.
import type { CommandContext, Handler } from './context.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { parseLongLong, parseMpop, type Parsed } from './args.ts';
import { Err } from '../errors.ts';
import { bytesEqual, cString, fromLatin1, lowerAscii, string2ll } from '../bytes.ts';
import { keyName, type KeyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { newListValue, type ListValue, type Quicklist } from '../keyspace/list.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';

const LLONG_MIN = -9223372036854775808n;

export function isList(value: RedisValue): value is ListValue {
  return value.type === 'list';
}

/** An option as strcasecmp sees it: lower-cased, cut at its first NUL byte. */
const option = (arg: Uint8Array): string => lowerAscii(cString(arg));

const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n
const EMPTY_ARRAY = new Uint8Array([0x2a, 0x30, 0x0d, 0x0a]); // *0\r\n
const NULL_ARRAY_RESP2 = new Uint8Array([0x2a, 0x2d, 0x31, 0x0d, 0x0a]); // *-1\r\n
const NULL_RESP3 = new Uint8Array([0x5f, 0x0d, 0x0a]); // _\r\n
// The words LMPOP is propagated with (shared.lpop, shared.rpop in server.c).
const LPOP_WORD = fromLatin1('LPOP');
const RPOP_WORD = fromLatin1('RPOP');

/** shared.nullarray[resp]: `*-1` in RESP2, `_` in RESP3. */
export function nullArray(reply: ReplyWriter): void {
  reply.raw(reply.protocol === 3 ? NULL_RESP3 : NULL_ARRAY_RESP2);
}

/**
 * A long long argument as a number. Beyond 2^53 it is clamped: every use
 * here compares it with list lengths and indexes far below that, so the
 * clamped value gives the same answer (LPOS's RANK LLONG_MIN, whose
 * negation overflows in C, is handled where it is read).
 */
function clamp(v: number | bigint): number {
  if (typeof v === 'number') return v;
  return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
}

/** getLongFromObjectOrReply. */
function parseLong(bytes: Uint8Array): Parsed<number> {
  const v = parseLongLong(bytes);
  return v.ok ? { ok: true, value: clamp(v.value) } : v;
}

/**
 * getRangeLongFromObjectOrReply (and getPositiveLongFromObjectOrReply,
 * its min 0 form) with a message: the message answers both a value that is
 * not a number and one out of [min, LONG_MAX].
 */
function parseLongAtLeast(bytes: Uint8Array, min: number, message: string): Parsed<number> {
  const v = string2ll(bytes);
  if (v === null || v < min) return { ok: false, error: message };
  return { ok: true, value: clamp(v) };
}

/** getListPositionFromObjectOrReply: true for LEFT (the head), false for RIGHT, null otherwise. */
export function listEnd(arg: Uint8Array): boolean | null {
  const opt = option(arg);
  return opt === 'left' ? true : opt === 'right' ? false : null;
}

/** createQuicklistObject with the node's list-max-listpack-size and list-compress-depth, added to the db. */
function createList(ctx: CommandContext, key: KeyName): ListValue {
  const value = newListValue(ctx.node.config.listMaxListpackSize, ctx.node.config.listCompressDepth, ctx.node.config.quicklistPackedThreshold);
  ctx.db.set(key, value);
  return value;
}

/** listElementsRemoved and friends: a list that emptied is deleted (with its TTL), a `del` event. */
function deleteIfEmpty(ctx: CommandContext, key: KeyName, value: ListValue): void {
  if (value.list.count !== 0) return;
  ctx.db.delete(key);
  notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'del', key, ctx.db.id);
}

/** The event of a push or a pop at one end. */
function endEvent(ctx: CommandContext, key: KeyName | Uint8Array, atHead: boolean, push: boolean): void {
  const event = push ? (atHead ? 'lpush' : 'rpush') : atHead ? 'lpop' : 'rpop';
  notifyKeyspaceEvent(ctx.node, NOTIFY.l, event, key, ctx.db.id);
}

/** listElementsRemoved: the pop's event, the key goes with its last element, and each element removed counts as a change. */
function elementsRemoved(ctx: CommandContext, key: KeyName, value: ListValue, atHead: boolean, count: number): void {
  endEvent(ctx, key, atHead, false);
  deleteIfEmpty(ctx, key, value);
  ctx.node.dirty += count;
}

/**
 * addListRangeReply: the elements from start to end (inclusive, negative
 * from the tail), or from end back to start when `reverse`.
 */
function replyRange(reply: ReplyWriter, list: Quicklist, start: number, end: number, reverse: boolean): void {
  const llen = list.count;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) return reply.raw(EMPTY_ARRAY);
  if (end >= llen) end = llen - 1;
  let left = end - start + 1;
  reply.arrayHeader(left);
  list.forEach(reverse ? end : start, reverse, (value) => {
    reply.bulk(value);
    return --left > 0;
  });
}

// --- LPUSH, RPUSH, LPUSHX, RPUSHX

/** pushGenericCommand: `xx` pushes only onto an existing list. */
function pushGeneric(ctx: CommandContext, atHead: boolean, xx: boolean): void {
  const { argv, reply, db, keyspace } = ctx;
  const key = keyName(argv[1]);
  let value = keyspace.lookupWrite(db, key);
  if (value !== undefined && !isList(value)) return reply.error(Err.wrongType);
  if (value === undefined) {
    if (xx) return reply.raw(ZERO);
    value = createList(ctx, key);
  }
  for (let j = 2; j < argv.length; j++) value.list.push(argv[j], atHead);
  ctx.node.dirty += argv.length - 2;
  reply.integer(value.list.count);
  endEvent(ctx, argv[1], atHead, true);
}

const lpush: Handler = (ctx) => pushGeneric(ctx, true, false);
const rpush: Handler = (ctx) => pushGeneric(ctx, false, false);
const lpushx: Handler = (ctx) => pushGeneric(ctx, true, true);
const rpushx: Handler = (ctx) => pushGeneric(ctx, false, true);

// --- LINSERT, LLEN, LINDEX, LSET

/** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
const linsert: Handler = ({ argv, reply, db, keyspace, node }) => {
  const where = option(argv[2]);
  if (where !== 'after' && where !== 'before') return reply.error(Err.syntax);
  const value = keyspace.lookupWrite(db, keyName(argv[1]));
  if (value === undefined) return reply.raw(ZERO);
  if (!isList(value)) return reply.error(Err.wrongType);
  const pivot = argv[3];
  const pos = value.list.find((e) => bytesEqual(e, pivot));
  if (!pos) return reply.integer(-1);
  value.list.insert(pos, argv[4], where === 'after');
  notifyKeyspaceEvent(node, NOTIFY.l, 'linsert', argv[1], db.id);
  node.dirty++;
  reply.integer(value.list.count);
};

const llen: Handler = ({ argv, reply, db, keyspace }) => {
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value === undefined) return reply.raw(ZERO);
  if (!isList(value)) return reply.error(Err.wrongType);
  reply.integer(value.list.count);
};

/** LINDEX: the key is looked up and type-checked before the index is parsed. */
const lindex: Handler = ({ argv, reply, db, keyspace }) => {
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value === undefined) return reply.nil();
  if (!isList(value)) return reply.error(Err.wrongType);
  const index = parseLong(argv[2]);
  if (!index.ok) return reply.error(index.error);
  const element = value.list.get(index.value);
  if (element === undefined) return reply.nil();
  reply.bulk(element);
};

/** LSET: no such key, then the type, then the index. */
const lset: Handler = ({ argv, reply, db, keyspace, node }) => {
  const value = keyspace.lookupWrite(db, keyName(argv[1]));
  if (value === undefined) return reply.error(Err.noSuchKey);
  if (!isList(value)) return reply.error(Err.wrongType);
  const index = parseLong(argv[2]);
  if (!index.ok) return reply.error(index.error);
  if (!value.list.replaceAt(index.value, argv[3])) return reply.error(Err.indexOutOfRange);
  node.dirty++;
  reply.ok();
  notifyKeyspaceEvent(node, NOTIFY.l, 'lset', argv[1], db.id);
};

// --- LPOP, RPOP, LMPOP

/**
 * Pops up to `count` elements from one end and replies with them (in the
 * order popped), as popGenericCommand's count form and
 * listPopRangeAndReplyWithKey do; deletes the key when the list empties.
 * Returns how many it popped.
 */
function popRange(ctx: CommandContext, key: KeyName, value: ListValue, atHead: boolean, count: number): number {
  const list = value.list;
  const n = Math.min(count, list.count);
  if (atHead) replyRange(ctx.reply, list, 0, n - 1, false);
  else replyRange(ctx.reply, list, -n, -1, true);
  list.deleteRange(atHead ? 0 : -n, n);
  elementsRemoved(ctx, key, value, atHead, n);
  return n;
}

/** popGenericCommand: LPOP/RPOP key [count]. */
function popGeneric(ctx: CommandContext, atHead: boolean, fullname: string): void {
  const { argv, reply, db, keyspace } = ctx;
  if (argv.length > 3) return reply.wrongArity(fullname);
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const parsed = parseLongAtLeast(argv[2], 0, Err.valueMustBePositive);
    if (!parsed.ok) return reply.error(parsed.error);
    count = parsed.value;
  }
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value === undefined) return hasCount ? nullArray(reply) : reply.nil();
  if (!isList(value)) return reply.error(Err.wrongType);
  // COUNT 0 on an existing list: an empty array, nothing popped.
  if (hasCount && count === 0) return reply.raw(EMPTY_ARRAY);
  if (!hasCount) {
    reply.bulk(value.list.pop(atHead)!);
    elementsRemoved(ctx, key, value, atHead, 1);
    return;
  }
  popRange(ctx, key, value, atHead, count);
}

const lpop: Handler = (ctx) => popGeneric(ctx, true, 'lpop');
const rpop: Handler = (ctx) => popGeneric(ctx, false, 'rpop');

/**
 * lmpopGenericCommand's parsing, numkeys at argv[numkeysIdx]: the keys, the
 * end, the count (1 without COUNT); null after replying with the error.
 */
export function parseLmpop(ctx: CommandContext, numkeysIdx: number): { keys: readonly Uint8Array[]; atHead: boolean; count: number } | null {
  const parsed = parseMpop(ctx.argv, numkeysIdx, listEnd);
  if (!parsed.ok) return void ctx.reply.error(parsed.error), null;
  return { keys: parsed.value.keys, atHead: parsed.value.where, count: parsed.value.count };
}

/**
 * The first of `keys` that holds a list with elements (each looked up for
 * writing, as mpopGenericCommand and blockingPopGenericCommand walk them);
 * a key of another type stops the walk: 'error' after replying WRONGTYPE.
 */
export function firstList(ctx: CommandContext, keys: readonly Uint8Array[]): { key: Uint8Array; value: ListValue } | 'error' | null {
  for (const key of keys) {
    const value = ctx.keyspace.lookupWrite(ctx.db, keyName(key));
    if (value === undefined) continue;
    if (!isList(value)) return void ctx.reply.error(Err.wrongType), 'error';
    if (value.list.count === 0) continue;
    return { key, value };
  }
  return null;
}

/**
 * listPopRangeAndReplyWithKey: [key, [elements]], popping up to `count`.
 * Returns the pop it amounted to, as it is propagated: LPOP or RPOP key
 * <how many>.
 */
export function popRangeWithKey(ctx: CommandContext, key: Uint8Array, value: ListValue, atHead: boolean, count: number): readonly Uint8Array[] {
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(key);
  const popped = popRange(ctx, keyName(key), value, atHead, count);
  return [atHead ? LPOP_WORD : RPOP_WORD, key, fromLatin1(String(popped))];
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count] */
const lmpop: Handler = (ctx) => {
  const args = parseLmpop(ctx, 1);
  if (!args) return;
  const found = firstList(ctx, args.keys);
  if (found === 'error') return;
  if (found === null) return nullArray(ctx.reply);
  // Replicated as the pop it amounted to: LPOP or RPOP key <popped>.
  ctx.client.propagateAs = popRangeWithKey(ctx, found.key, found.value, args.atHead, args.count);
};

// --- LRANGE, LTRIM

const lrange: Handler = ({ argv, reply, db, keyspace }) => {
  const start = parseLong(argv[2]);
  if (!start.ok) return reply.error(start.error);
  const end = parseLong(argv[3]);
  if (!end.ok) return reply.error(end.error);
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value === undefined) return reply.raw(EMPTY_ARRAY);
  if (!isList(value)) return reply.error(Err.wrongType);
  replyRange(reply, value.list, start.value, end.value, false);
};

/** LTRIM: keeps start..end; an empty range empties (and deletes) the list. */
const ltrim: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const startArg = parseLong(argv[2]);
  if (!startArg.ok) return reply.error(startArg.error);
  const endArg = parseLong(argv[3]);
  if (!endArg.ok) return reply.error(endArg.error);
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value === undefined) return reply.ok();
  if (!isList(value)) return reply.error(Err.wrongType);
  const list = value.list;
  const llen = list.count;
  let start = startArg.value;
  let end = endArg.value;
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  let left: number;
  let right: number;
  if (start > end || start >= llen) {
    left = llen;
    right = 0;
  } else {
    if (end >= llen) end = llen - 1;
    left = start;
    right = llen - end - 1;
  }
  // Two deletes, head side first, as Redis does them (the nodes left depend on it).
  list.deleteRange(0, left);
  list.deleteRange(-right, right);
  // Sent even when nothing was trimmed.
  notifyKeyspaceEvent(ctx.node, NOTIFY.l, 'ltrim', argv[1], db.id);
  deleteIfEmpty(ctx, key, value);
  // A trim that removed nothing is not propagated.
  ctx.node.dirty += left + right;
  reply.ok();
};

// --- LPOS, LREM

/** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len] */
const lpos: Handler = ({ argv, reply, db, keyspace }) => {
  const element = argv[2];
  let rank = 1;
  let count = -1; // -1: no COUNT option.
  let maxlen = 0;
  let rankIsLongMin = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = option(argv[j]);
    const moreArgs = argv.length - 1 - j;
    if (opt === 'rank' && moreArgs > 0) {
      const parsed = parseLongLong(argv[++j]);
      if (!parsed.ok) return reply.error(parsed.error);
      if (parsed.value === 0) return reply.error(Err.lposRankZero);
      rankIsLongMin = parsed.value === LLONG_MIN;
      rank = clamp(parsed.value);
    } else if (opt === 'count' && moreArgs > 0) {
      const parsed = parseLongAtLeast(argv[++j], 0, Err.lposCountNegative);
      if (!parsed.ok) return reply.error(parsed.error);
      count = parsed.value;
    } else if (opt === 'maxlen' && moreArgs > 0) {
      const parsed = parseLongAtLeast(argv[++j], 0, Err.lposMaxlenNegative);
      if (!parsed.ok) return reply.error(parsed.error);
      maxlen = parsed.value;
    } else {
      return reply.error(Err.syntax);
    }
  }
  // A negative rank searches from the tail.
  const reverse = rank < 0;
  if (reverse) rank = -rank;
  // RANK -9223372036854775808: in C, -rank overflows and stays LLONG_MIN,
  // so every match passes `matches >= rank` (as rank 1 would) and
  // `matches - rank + 1 >= count` never holds: COUNT stops nothing.
  let countStops = count > 0;
  if (rankIsLongMin) {
    rank = 1;
    countStops = false;
  }

  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value === undefined) return count !== -1 ? reply.raw(EMPTY_ARRAY) : reply.nil();
  if (!isList(value)) return reply.error(Err.wrongType);

  const list = value.list;
  const llen = list.count;
  const found: number[] = [];
  let matches = 0;
  let index = 0;
  let matchIndex = -1;
  list.forEach(reverse ? -1 : 0, reverse, (e) => {
    if (maxlen !== 0 && index >= maxlen) return false;
    if (bytesEqual(e, element)) {
      matches++;
      matchIndex = reverse ? llen - index - 1 : index;
      if (matches >= rank) {
        if (count === -1) return false;
        found.push(matchIndex);
        if (countStops && matches - rank + 1 >= count) return false;
      }
    }
    index++;
    matchIndex = -1;
    return true;
  });

  if (count !== -1) {
    reply.arrayHeader(found.length);
    for (const i of found) reply.integer(i);
  } else if (matchIndex !== -1) {
    reply.integer(matchIndex);
  } else {
    reply.nil();
  }
};

/** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
const lrem: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const parsed = parseLong(argv[2]);
  if (!parsed.ok) return reply.error(parsed.error);
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value === undefined) return reply.raw(ZERO);
  if (!isList(value)) return reply.error(Err.wrongType);
  const element = argv[3];
  // LLONG_MIN stays negative in C when negated, so it never equals the
  // number removed: all go, as the clamped value's limit lets them.
  const toRemove = Math.abs(parsed.value);
  const removed = value.list.removeWhere((e) => bytesEqual(e, element), toRemove, parsed.value < 0);
  if (removed > 0) notifyKeyspaceEvent(ctx.node, NOTIFY.l, 'lrem', argv[1], db.id);
  deleteIfEmpty(ctx, key, value);
  ctx.node.dirty += removed;
  reply.integer(removed);
};

// --- LMOVE, RPOPLPUSH

/**
 * lmoveGenericCommand on argv[1] (source) and argv[2] (destination), as
 * LMOVE, RPOPLPUSH, BLMOVE and BRPOPLPUSH have them: pops from one end of
 * the source, pushes onto one end of the destination (created when
 * missing; the same list when the keys are equal, which rotates it) and
 * replies with the element. True when it moved one. A blocked client
 * served later (serveClientBlockedOnList) moves it the same way, but Redis
 * counts no change to the dataset then (`served`).
 */
export function lmoveGeneric(ctx: CommandContext, fromHead: boolean, toHead: boolean, served = false): boolean {
  const { argv, reply, db, keyspace } = ctx;
  const srcKey = keyName(argv[1]);
  const src = keyspace.lookupWrite(db, srcKey);
  if (src === undefined) return reply.nil(), false;
  if (!isList(src)) return reply.error(Err.wrongType), false;
  // An empty list can only come from a very old RDB; Redis answers nil.
  if (src.list.count === 0) return reply.nil(), false;
  const dstKey = keyName(argv[2]);
  let dst = keyspace.lookupWrite(db, dstKey);
  if (dst !== undefined && !isList(dst)) return reply.error(Err.wrongType), false;
  const element = src.list.pop(fromHead)!;
  if (dst === undefined) dst = createList(ctx, dstKey);
  dst.list.push(element, toHead);
  endEvent(ctx, argv[2], toHead, true);
  reply.bulk(element);
  endEvent(ctx, argv[1], fromHead, false);
  deleteIfEmpty(ctx, srcKey, src);
  if (!served) ctx.node.dirty++;
  return true;
}

/** The BLPOP and BRPOP form of a pop: [key, element]; the key goes with its last element. */
export function popOneWithKey(ctx: CommandContext, key: Uint8Array, value: ListValue, atHead: boolean): void {
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(key);
  ctx.reply.bulk(value.list.pop(atHead)!);
  endEvent(ctx, key, atHead, false);
  deleteIfEmpty(ctx, keyName(key), value);
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
const lmove: Handler = (ctx) => {
  const from = listEnd(ctx.argv[3]);
  if (from === null) return ctx.reply.error(Err.syntax);
  const to = listEnd(ctx.argv[4]);
  if (to === null) return ctx.reply.error(Err.syntax);
  lmoveGeneric(ctx, from, to);
};

const rpoplpush: Handler = (ctx) => void lmoveGeneric(ctx, false, true);

export const listHandlers: Record<string, Handler> = {
  lpush,
  rpush,
  lpushx,
  rpushx,
  linsert,
  llen,
  lindex,
  lset,
  lpop,
  rpop,
  lmpop,
  lrange,
  ltrim,
  lpos,
  lrem,
  lmove,
  rpoplpush,
};
