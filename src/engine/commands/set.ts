// Set commands (the "set" group of COMMAND DOCS, SSCAN aside), following
// t_set.c of Redis 7.0.15: the same checks in the same order (SPOP and
// SRANDMEMBER parse their count before looking the key up; SINTER and the
// others check every key's type before anything else), the same lookups
// (the reading commands and the sources of the STORE forms use
// lookupKeyRead, which counts a hit or a miss; SADD, SREM, SMOVE and SPOP
// lookupKeyWrite), the same replies in RESP2 and RESP3 (SMEMBERS, SINTER,
// SUNION, SDIFF and SPOP with a count answer a set, `~` in RESP3;
// SRANDMEMBER with a count an array). The set value and its encoding rules
// are in keyspace/set.ts.
//
// Order: every reply lists members in the order Redis would iterate the set
// it lists: a set's own order (ascending for an intset), or, for SUNION,
// SDIFF and SPOP of a whole set, the order of the new set they build member
// by member (an intset while every member so far is an integer), as
// sunionDiffGenericCommand does. For an intset that is exactly Redis's
// order; for a hashtable it is the engine's (docs/compat.md).
//
// Randomness (SPOP, SRANDMEMBER) comes from the node's seeded random
// stream, with the cases of t_set.c (see spopWithCount and
// srandmemberWithCount below).
//
// Replication: a command counts its changes in node.dirty where Redis does
// server.dirty++, so a command that changed nothing is not propagated. SPOP
// is propagated as SREM key member; SPOP with a count as one SREM per
// popped member (wrapped in MULTI/EXEC when more than one), or as DEL key
// when it pops the whole set. What a real 7.0.15 master propagates for each
// is in tests/golden/set.stream.
import type { CommandContext, Handler } from './context.ts';
import { parseLongLong, type Parsed } from './args.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, lowerAscii, string2ll } from '../bytes.ts';
import { ReplyWriter } from '../resp/reply-writer.ts';
import { keyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import {
  newIntset,
  newSetFor,
  setAdd,
  setHas,
  setMembers,
  setRandom,
  setRemove,
  setSize,
  type SetLimits,
  type SetValue,
} from '../keyspace/set.ts';
import { HRANDFIELD_REPLY_LIMIT } from './hash.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';

/** LONG_MAX on the oracle (LP64). */
const LONG_MAX = 9223372036854775807n;

const ONE = new Uint8Array([0x3a, 0x31, 0x0d, 0x0a]); // :1\r\n
const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n
const EMPTY_ARRAY = new Uint8Array([0x2a, 0x30, 0x0d, 0x0a]); // *0\r\n
const EMPTY_SET_RESP3 = new Uint8Array([0x7e, 0x30, 0x0d, 0x0a]); // ~0\r\n
// The words SPOP is propagated with (shared.srem, shared.del in server.c).
const SREM_WORD = fromLatin1('SREM');
const DEL_WORD = fromLatin1('DEL');

function isSet(value: RedisValue): value is SetValue {
  return value.type === 'set';
}

/** addReplySetLen: `~n` in RESP3, an array in RESP2. */
function setHeader(reply: ReplyWriter, n: number): void {
  if (reply.protocol === 3) reply.raw(fromLatin1(`~${n}\r\n`));
  else reply.arrayHeader(n);
}

/** shared.emptyset[resp]. */
function emptySet(reply: ReplyWriter): void {
  reply.raw(reply.protocol === 3 ? EMPTY_SET_RESP3 : EMPTY_ARRAY);
}

/** A set reply: the header, then every member in the set's order. */
function replySet(reply: ReplyWriter, set: SetValue): void {
  setHeader(reply, setSize(set));
  for (const member of setMembers(set)) reply.bulk(member);
}

/**
 * lookupKeyReadOrReply (or lookupKeyWriteOrReply, for `write`) + checkType:
 * the set at argv[1], or undefined after replying `missing` or WRONGTYPE.
 */
function lookupOrReply(ctx: CommandContext, write: boolean, missing: () => void): SetValue | undefined {
  const key = keyName(ctx.argv[1]);
  const value = write ? ctx.keyspace.lookupWrite(ctx.db, key) : ctx.keyspace.lookupRead(ctx.db, key);
  if (value === undefined) {
    missing();
    return undefined;
  }
  if (!isSet(value)) {
    ctx.reply.error(Err.wrongType);
    return undefined;
  }
  return value;
}

/**
 * getRangeLongFromObjectOrReply with a message, for a minimum of 0 or 1:
 * the message answers both a value that is not a number and one below the
 * minimum. The value is clamped to 2^53 (it is compared with set sizes).
 */
function parseLongAtLeast(bytes: Uint8Array, min: number, message: string): Parsed<number> {
  const v = string2ll(bytes);
  if (v === null || v < min) return { ok: false, error: message };
  return { ok: true, value: typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v };
}

// --- SADD, SREM, SMOVE

/** SADD: the set is created for its first member (an intset when it is an integer). */
const sadd: Handler = (ctx) => {
  const { argv, reply, db, keyspace, node } = ctx;
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value !== undefined && !isSet(value)) return reply.error(Err.wrongType);
  let set = value;
  if (set === undefined) {
    set = newSetFor(argv[2]);
    db.set(key, set);
  }
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (setAdd(set, argv[j], node.config)) added++;
  node.dirty += added;
  if (added) notifyKeyspaceEvent(node, NOTIFY.s, 'sadd', argv[1], db.id);
  reply.integer(added);
};

/** SREM: the key goes with its last member (and later arguments are not looked at). */
const srem: Handler = (ctx) => {
  const { argv, reply, db, node } = ctx;
  const set = lookupOrReply(ctx, true, () => reply.raw(ZERO));
  if (!set) return;
  let deleted = 0;
  let emptied = false;
  for (let j = 2; j < argv.length; j++) {
    if (setRemove(set, argv[j])) {
      deleted++;
      if (setSize(set) === 0) {
        db.delete(keyName(argv[1]));
        emptied = true;
        break;
      }
    }
  }
  node.dirty += deleted;
  if (deleted) {
    notifyKeyspaceEvent(node, NOTIFY.s, 'srem', argv[1], db.id);
    if (emptied) notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
  }
  reply.integer(deleted);
};

/**
 * SMOVE source destination member: a missing source answers 0 before the
 * destination's type is checked; source and destination the same key
 * answers whether the member is there and changes nothing.
 */
const smove: Handler = (ctx) => {
  const { argv, reply, db, keyspace, node } = ctx;
  const src = keyspace.lookupWrite(db, keyName(argv[1]));
  const dst = keyspace.lookupWrite(db, keyName(argv[2]));
  const member = argv[3];
  if (src === undefined) return reply.raw(ZERO);
  if (!isSet(src) || (dst !== undefined && !isSet(dst))) return reply.error(Err.wrongType);
  if (src === dst) return reply.raw(setHas(src, member) ? ONE : ZERO);
  if (!setRemove(src, member)) return reply.raw(ZERO);
  notifyKeyspaceEvent(node, NOTIFY.s, 'srem', argv[1], db.id);
  if (setSize(src) === 0) {
    db.delete(keyName(argv[1]));
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
  }
  let target = dst;
  if (target === undefined) {
    target = newSetFor(member);
    db.set(keyName(argv[2]), target);
  }
  node.dirty++;
  if (setAdd(target, member, node.config)) {
    node.dirty++;
    notifyKeyspaceEvent(node, NOTIFY.s, 'sadd', argv[2], db.id);
  }
  reply.raw(ONE);
};

// --- SISMEMBER, SMISMEMBER, SCARD

const sismember: Handler = (ctx) => {
  const set = lookupOrReply(ctx, false, () => ctx.reply.raw(ZERO));
  if (set) ctx.reply.raw(setHas(set, ctx.argv[2]) ? ONE : ZERO);
};

/** SMISMEMBER: a missing key is an empty set, so every answer is 0. */
const smismember: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value !== undefined && !isSet(value)) return reply.error(Err.wrongType);
  reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) reply.raw(value !== undefined && setHas(value, argv[j]) ? ONE : ZERO);
};

const scard: Handler = (ctx) => {
  const set = lookupOrReply(ctx, false, () => ctx.reply.raw(ZERO));
  if (set) ctx.reply.integer(setSize(set));
};

// --- SPOP

/**
 * SPOP_MOVE_STRATEGY_MUL: SPOP with a count draws the members it pops while
 * the set keeps more than a fifth of the count; otherwise it draws the
 * members that stay.
 */
const SPOP_MOVE_STRATEGY_MUL = 5;

/**
 * spopWithCountCommand. The count is parsed first; the cases:
 *  - 0: an empty set, nothing changes;
 *  - count >= size: the whole set (listed as SUNION of the key lists it),
 *    and the key is deleted: propagated as DEL key;
 *  - remaining * 5 > count: count draws, each popped at once, listed in
 *    draw order;
 *  - else: the members that stay are drawn out into a new set (created for
 *    the first of them, so its encoding may differ from the old one's),
 *    the old set's remaining members are listed in its order, and the new
 *    set takes the key's place (its TTL stays).
 * The last two propagate SREM key member for each member popped, in the
 * order listed (wrapped in MULTI/EXEC by the node when more than one).
 */
function spopWithCount(ctx: CommandContext): void {
  const { argv, reply, db, node, client } = ctx;
  const parsed = parseLongAtLeast(argv[2], 0, Err.valueMustBePositive);
  if (!parsed.ok) return reply.error(parsed.error);
  const count = parsed.value;
  const set = lookupOrReply(ctx, true, () => emptySet(reply));
  if (!set) return;
  if (count === 0) return emptySet(reply);
  const key = keyName(argv[1]);
  const size = setSize(set);
  const below = (n: number) => node.options.random.below(n);
  notifyKeyspaceEvent(node, NOTIFY.s, 'spop', argv[1], db.id);
  if (count >= size) {
    node.dirty += size;
    // Listed by sunionDiffGenericCommand, whose lookupKeyRead counts a hit.
    ctx.keyspace.lookupRead(db, key);
    replySet(reply, unionOf([set], node.config));
    db.delete(key);
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
    client.propagateAs = [DEL_WORD, argv[1]];
    return;
  }
  node.dirty += count;
  client.preventPropagation = true;
  const popped = (member: Uint8Array) => {
    reply.bulk(member);
    node.propagate(client.db, [SREM_WORD, argv[1], member]);
  };
  setHeader(reply, count);
  let remaining = size - count;
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    for (let i = 0; i < count; i++) {
      const member = setRandom(set, below);
      setRemove(set, member);
      popped(member);
    }
    return;
  }
  let kept: SetValue | null = null;
  for (; remaining > 0; remaining--) {
    const member = setRandom(set, below);
    kept ??= newSetFor(member);
    setAdd(kept, member, node.config);
    setRemove(set, member);
  }
  for (const member of setMembers(set)) popped(member);
  // dbOverwrite: the key keeps its TTL.
  db.set(key, kept!, true);
}

/** SPOP key [count]: without a count, propagated as SREM key member. */
const spop: Handler = (ctx) => {
  const { argv, reply, db, node, client } = ctx;
  if (argv.length === 3) return spopWithCount(ctx);
  if (argv.length > 3) return reply.error(Err.syntax);
  const set = lookupOrReply(ctx, true, () => reply.nil());
  if (!set) return;
  const member = setRandom(set, (n) => node.options.random.below(n));
  setRemove(set, member);
  notifyKeyspaceEvent(node, NOTIFY.s, 'spop', argv[1], db.id);
  client.propagateAs = [SREM_WORD, argv[1], member];
  reply.bulk(member);
  if (setSize(set) === 0) {
    db.delete(keyName(argv[1]));
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
  }
  node.dirty++;
};

// --- SRANDMEMBER

/** SRANDMEMBER_SUB_STRATEGY_MUL: see srandmemberWithCount. */
const SRANDMEMBER_SUB_STRATEGY_MUL = 3;

/**
 * srandmemberWithCountCommand, each draw from the node's seeded random
 * stream; the cases and the orders they give follow Redis:
 *  - a negative count (or 1): count independent draws, in draw order;
 *  - count >= size: the whole set, in its order;
 *  - count * 3 > size: random members are removed until count are left;
 *    they are listed in the set's order (Redis lists what is left of a
 *    temporary dict in that dict's order);
 *  - else: draws until count distinct members, in draw order (Redis: the
 *    order of a temporary dict).
 * A negative count beyond the set's size is bounded by the engine (see
 * HRANDFIELD_REPLY_LIMIT): Redis would stream any number of draws.
 */
function srandmemberWithCount(ctx: CommandContext): void {
  const { argv, reply, node } = ctx;
  // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)
  const parsed = parseLongLong(argv[2]);
  if (!parsed.ok) return reply.error(parsed.error);
  const l = BigInt(parsed.value);
  if (l < -LONG_MAX) return reply.error(Err.outOfRange(-LONG_MAX, LONG_MAX));
  const set = lookupOrReply(ctx, false, () => reply.raw(EMPTY_ARRAY));
  if (!set) return;
  const size = setSize(set);
  const unique = l >= 0n;
  const bigCount = unique ? l : -l;
  if (bigCount === 0n) return reply.raw(EMPTY_ARRAY);
  const below = (n: number) => node.options.random.below(n);

  if (!unique || bigCount === 1n) {
    if (bigCount <= BigInt(size)) {
      const n = Number(bigCount);
      reply.arrayHeader(n);
      for (let i = 0; i < n; i++) reply.bulk(setRandom(set, below));
      return;
    }
    // Each draw takes at least 6 bytes ("$0\r\n\r\n" or "$1\r\n1\r\n").
    if (bigCount > BigInt(Math.floor(HRANDFIELD_REPLY_LIMIT / 6))) return reply.error(Err.srandmemberReplyTooLarge);
    const n = Number(bigCount);
    const scratch = new ReplyWriter();
    scratch.protocol = reply.protocol;
    scratch.arrayHeader(n);
    for (let i = 0; i < n; i++) {
      scratch.bulk(setRandom(set, below));
      if (scratch.size > HRANDFIELD_REPLY_LIMIT) return reply.error(Err.srandmemberReplyTooLarge);
    }
    reply.raw(scratch.take());
    return;
  }

  if (bigCount >= BigInt(size)) {
    reply.arrayHeader(size);
    for (const member of setMembers(set)) reply.bulk(member);
    return;
  }
  const count = Number(bigCount);
  reply.arrayHeader(count);
  const members = [...setMembers(set)];
  if (count * SRANDMEMBER_SUB_STRATEGY_MUL > size) {
    // Remove size - count random members, then list the rest in order.
    // `remaining` holds the indexes not yet removed, in no particular order.
    const remaining = members.map((_, i) => i);
    const removed = new Uint8Array(size);
    for (let left = size; left > count; left--) {
      const at = below(left);
      removed[remaining[at]] = 1;
      remaining[at] = remaining[left - 1];
    }
    for (let i = 0; i < size; i++) if (!removed[i]) reply.bulk(members[i]);
    return;
  }
  const picked = new Set<number>();
  while (picked.size < count) {
    const at = below(size);
    if (picked.has(at)) continue;
    picked.add(at);
    reply.bulk(members[at]);
  }
}

/** SRANDMEMBER key [count] */
const srandmember: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  if (argv.length === 3) return srandmemberWithCount(ctx);
  if (argv.length > 3) return reply.error(Err.syntax);
  const set = lookupOrReply(ctx, false, () => reply.nil());
  if (set) reply.bulk(setRandom(set, (n) => node.options.random.below(n)));
};

// --- SINTER, SMEMBERS, SINTERCARD, SINTERSTORE

/**
 * The sets named by `keys`, looked up for reading in order (a missing key
 * is null), or null after a WRONGTYPE reply: every key is checked, even
 * after a missing one.
 */
function lookupSets(ctx: CommandContext, keys: readonly Uint8Array[]): (SetValue | null)[] | null {
  const sets: (SetValue | null)[] = [];
  for (const key of keys) {
    const value = ctx.keyspace.lookupRead(ctx.db, keyName(key));
    if (value === undefined) {
      sets.push(null);
      continue;
    }
    if (!isSet(value)) {
      ctx.reply.error(Err.wrongType);
      return null;
    }
    sets.push(value);
  }
  return sets;
}

/**
 * setKey for a STORE result: the destination (an expired one is deleted
 * first, and that propagated) takes the new set and loses its TTL; an empty
 * result deletes it instead (dbDelete, which finds an expired key too).
 * Answers the result's size.
 */
function storeResult(ctx: CommandContext, dstkey: Uint8Array, result: SetValue, event: string): void {
  const { db, keyspace, node, reply } = ctx;
  const key = keyName(dstkey);
  const size = setSize(result);
  if (size > 0) {
    keyspace.lookupWrite(db, key);
    db.set(key, result);
    reply.integer(size);
    notifyKeyspaceEvent(node, NOTIFY.s, event, dstkey, db.id);
    node.dirty++;
    return;
  }
  reply.raw(ZERO);
  deleteStored(ctx, dstkey);
}

/** An empty result: the destination goes, if it was there. */
function deleteStored(ctx: CommandContext, dstkey: Uint8Array): void {
  if (!ctx.db.delete(keyName(dstkey))) return;
  ctx.node.dirty++;
  notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'del', dstkey, ctx.db.id);
}

type InterMode = { kind: 'reply' } | { kind: 'store'; dstkey: Uint8Array } | { kind: 'card'; limit: number };

/**
 * sinterGenericCommand: the members of the smallest set (the sets sorted by
 * size, stably) that every other set has, in that set's order. Any missing
 * key makes the result empty at once (after every key's type is checked).
 */
function sinterGeneric(ctx: CommandContext, keys: readonly Uint8Array[], mode: InterMode): void {
  const { reply, node } = ctx;
  const found = lookupSets(ctx, keys);
  if (!found) return;
  if (found.includes(null)) {
    if (mode.kind === 'store') {
      deleteStored(ctx, mode.dstkey);
      reply.raw(ZERO);
    } else if (mode.kind === 'card') {
      reply.raw(ZERO);
    } else {
      emptySet(reply);
    }
    return;
  }
  const sets = (found as SetValue[]).slice().sort((a, b) => setSize(a) - setSize(b));
  const first = sets[0];
  const result = mode.kind === 'store' ? newIntset() : null;
  const listed: Uint8Array[] = [];
  let cardinality = 0;
  for (const member of setMembers(first)) {
    let inAll = true;
    for (let j = 1; j < sets.length; j++) {
      if (sets[j] === first) continue;
      if (!setHas(sets[j], member)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    cardinality++;
    if (mode.kind === 'card') {
      if (mode.limit && cardinality >= mode.limit) break;
    } else if (result) {
      setAdd(result, member, node.config);
    } else {
      listed.push(member);
    }
  }
  if (mode.kind === 'card') return reply.integer(cardinality);
  if (mode.kind === 'store') return storeResult(ctx, mode.dstkey, result!, 'sinterstore');
  setHeader(reply, listed.length);
  for (const member of listed) reply.bulk(member);
}

/** SINTER key [key ...]; SMEMBERS key is the same command with one key (sinterCommand). */
const sinter: Handler = (ctx) => sinterGeneric(ctx, ctx.argv.slice(1), { kind: 'reply' });

const sinterstore: Handler = (ctx) => sinterGeneric(ctx, ctx.argv.slice(2), { kind: 'store', dstkey: ctx.argv[1] });

/** SINTERCARD numkeys key [key ...] [LIMIT limit]: options are read before any key is looked up. */
const sintercard: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const numkeys = parseLongAtLeast(argv[1], 1, Err.numkeysNotPositive);
  if (!numkeys.ok) return reply.error(numkeys.error);
  if (numkeys.value > argv.length - 2) return reply.error(Err.numkeysExceedArgs);
  let limit = 0;
  for (let j = 2 + numkeys.value; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (lowerAscii(cString(argv[j])) === 'limit' && moreArgs > 0) {
      const parsed = parseLongAtLeast(argv[++j], 0, Err.limitNegative);
      if (!parsed.ok) return reply.error(parsed.error);
      limit = parsed.value;
    } else {
      return reply.error(Err.syntax);
    }
  }
  sinterGeneric(ctx, argv.slice(2, 2 + numkeys.value), { kind: 'card', limit });
};

// --- SUNION, SDIFF and their STORE forms

/** The union as sunionDiffGenericCommand builds it: a new intset, every member of every set added in turn. */
function unionOf(sets: readonly (SetValue | null)[], limits: SetLimits): SetValue {
  const result = newIntset();
  for (const set of sets) {
    if (set) for (const member of setMembers(set)) setAdd(result, member, limits);
  }
  return result;
}

/**
 * The difference, by the algorithm Redis picks (the result's members are
 * the same either way, but not always its encoding, which a STORE keeps):
 *  1. (when size(first) * count / 2 <= the sum of the sizes) each member of
 *     the first set not in any other is added to a new intset;
 *  2. otherwise every member of the first set is added, then every member
 *     of the others removed (so a non-integer member that was removed may
 *     have made it a hashtable), stopping once it is empty.
 * A key named again as the first one makes the result empty.
 */
function diffOf(sets: readonly (SetValue | null)[], limits: SetLimits): SetValue {
  const result = newIntset();
  const first = sets[0];
  if (!first || sets.slice(1).includes(first)) return result;
  let algoOne = 0;
  let algoTwo = 0;
  for (const set of sets) {
    if (!set) continue;
    algoOne += setSize(first);
    algoTwo += setSize(set);
  }
  if (Math.floor(algoOne / 2) <= algoTwo) {
    // Redis sorts the others by decreasing size first: fewer lookups, same result.
    for (const member of setMembers(first)) {
      if (!sets.some((set, j) => j > 0 && set !== null && setHas(set, member))) setAdd(result, member, limits);
    }
    return result;
  }
  for (const member of setMembers(first)) setAdd(result, member, limits);
  for (let j = 1; j < sets.length && setSize(result) > 0; j++) {
    const set = sets[j];
    if (set) for (const member of setMembers(set)) setRemove(result, member);
  }
  return result;
}

/** sunionDiffGenericCommand: a set reply, or the store of the result at dstkey. */
function sunionDiffGeneric(ctx: CommandContext, keys: readonly Uint8Array[], dstkey: Uint8Array | null, diff: boolean): void {
  const sets = lookupSets(ctx, keys);
  if (!sets) return;
  const config = ctx.node.config;
  const result = diff ? diffOf(sets, config) : unionOf(sets, config);
  if (dstkey) storeResult(ctx, dstkey, result, diff ? 'sdiffstore' : 'sunionstore');
  else replySet(ctx.reply, result);
}

const sunion: Handler = (ctx) => sunionDiffGeneric(ctx, ctx.argv.slice(1), null, false);
const sunionstore: Handler = (ctx) => sunionDiffGeneric(ctx, ctx.argv.slice(2), ctx.argv[1], false);
const sdiff: Handler = (ctx) => sunionDiffGeneric(ctx, ctx.argv.slice(1), null, true);
const sdiffstore: Handler = (ctx) => sunionDiffGeneric(ctx, ctx.argv.slice(2), ctx.argv[1], true);

export const setHandlers: Record<string, Handler> = {
  sadd,
  srem,
  smove,
  sismember,
  smismember,
  scard,
  spop,
  srandmember,
  smembers: sinter,
  sinter,
  sinterstore,
  sintercard,
  sunion,
  sunionstore,
  sdiff,
  sdiffstore,
};
