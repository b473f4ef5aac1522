// Hash commands (the "hash" group of COMMAND DOCS, HSCAN aside), following
// t_hash.c of Redis 7.0.15: the same checks in the same order, the same
// lookups (lookupKeyRead counts a hit or a miss; the writing commands use
// lookupKeyWrite, which does not), the same replies. The hash value and its
// encoding rules are in keyspace/hash.ts.
//
// Replication: a command counts its changes in node.dirty where Redis does
// server.dirty++ (HSET counts every pair, changed or not; HSETNX and HDEL
// only what they set or deleted), so a command that changed nothing is not
// propagated; HINCRBYFLOAT is propagated as the HSET of its result. What a
// real 7.0.15 master propagates for each is in tests/golden/hash.stream.
//
// Keyspace events (notify.ts) are sent where t_hash.c sends them, after
// the reply but for HDEL's.
import type { CommandContext, Handler } from './context.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { parseLongLong } from './args.ts';
import { addLongDouble, formatHuman, LD_ZERO, parseLongDouble } from './long-double.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, lowerAscii, string2ll } from '../bytes.ts';
import { ReplyWriter } from '../resp/reply-writer.ts';
import { keyName } from '../keyspace/db.ts';
import {
  fieldBytes,
  hashDelete,
  hashGet,
  hashSet,
  hashTryConversion,
  newHash,
  type HashValue,
} from '../keyspace/hash.ts';
import type { RedisValue } from '../keyspace/value.ts';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
/** LONG_MAX on the oracle (LP64). */
const LONG_MAX = 9223372036854775807n;

const ONE = new Uint8Array([0x3a, 0x31, 0x0d, 0x0a]); // :1\r\n
const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n
const EMPTY_ARRAY = new Uint8Array([0x2a, 0x30, 0x0d, 0x0a]); // *0\r\n
/** The word HINCRBYFLOAT is propagated with (shared.hset in server.c). */
const HSET_WORD = fromLatin1('HSET');

function isHash(value: RedisValue): value is HashValue {
  return value.type === 'hash';
}

/** The RESP3 map header, or the flat array RESP2 uses for a map (addReplyMapLen). */
function mapHeader(ctx: CommandContext, pairs: number): void {
  if (ctx.reply.protocol === 3) ctx.reply.raw(fromLatin1(`%${pairs}\r\n`));
  else ctx.reply.arrayHeader(pairs * 2);
}

/**
 * hashTypeLookupWriteOrCreate: the hash at argv[1], a new empty one (not yet
 * in the database: see created) when there is none, or null after a
 * WRONGTYPE reply. Redis adds the empty hash to the database at once; on
 * a new hash no later check can fail (HINCRBY starts from 0, HINCRBYFLOAT
 * adds a finite increment to 0) and a field is always stored, so adding it
 * when it is stored (store()) is the same.
 */
function lookupWriteOrCreate(ctx: CommandContext): { hash: HashValue; created: boolean } | null {
  const value = ctx.keyspace.lookupWrite(ctx.db, keyName(ctx.argv[1]));
  if (value === undefined) return { hash: newHash(), created: true };
  if (!isHash(value)) {
    ctx.reply.error(Err.wrongType);
    return null;
  }
  return { hash: value, created: false };
}

/** dbAdd of a hash lookupWriteOrCreate made; an existing one is changed in place (its TTL stays). */
function store(ctx: CommandContext, found: { hash: HashValue; created: boolean }): void {
  if (found.created) ctx.db.set(keyName(ctx.argv[1]), found.hash);
}

/** lookupKeyReadOrReply + checkType: the hash, or undefined after replying `missing` or WRONGTYPE. */
function lookupReadOrReply(ctx: CommandContext, missing: () => void): HashValue | undefined {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[1]));
  if (value === undefined) {
    missing();
    return undefined;
  }
  if (!isHash(value)) {
    ctx.reply.error(Err.wrongType);
    return undefined;
  }
  return value;
}

// --- HSET, HMSET, HSETNX

/** hsetCommand, for HSET (the number of new fields) and HMSET (OK). */
function hsetGeneric(ctx: CommandContext, fullname: string, replyOk: boolean): void {
  const { argv, reply, node } = ctx;
  if (argv.length % 2 === 1) return reply.wrongArity(fullname);
  const found = lookupWriteOrCreate(ctx);
  if (!found) return;
  const { hash } = found;
  hashTryConversion(hash, argv.slice(2), node.config);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (!hashSet(hash, argv[i], argv[i + 1], node.config)) created++;
  }
  store(ctx, found);
  node.dirty += (argv.length - 2) / 2;
  if (replyOk) reply.ok();
  else reply.integer(created);
  notifyKeyspaceEvent(node, NOTIFY.h, 'hset', argv[1], ctx.db.id);
}

const hset: Handler = (ctx) => hsetGeneric(ctx, 'hset', false);
const hmset: Handler = (ctx) => hsetGeneric(ctx, 'hmset', true);

/** HSETNX: an existing field is left alone, and nothing converts. */
const hsetnx: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  const found = lookupWriteOrCreate(ctx);
  if (!found) return;
  const { hash } = found;
  if (hashGet(hash, argv[2]) !== undefined) return reply.raw(ZERO);
  hashTryConversion(hash, [argv[2], argv[3]], node.config);
  hashSet(hash, argv[2], argv[3], node.config);
  store(ctx, found);
  node.dirty++;
  reply.raw(ONE);
  notifyKeyspaceEvent(node, NOTIFY.h, 'hset', argv[1], ctx.db.id);
};

// --- reading fields

/** addHashFieldToReply: the value, or nil. */
function replyField(ctx: CommandContext, hash: HashValue | undefined, field: Uint8Array): void {
  const value = hash === undefined ? undefined : hashGet(hash, field);
  if (value === undefined) ctx.reply.nil();
  else ctx.reply.bulk(value);
}

const hget: Handler = (ctx) => {
  const hash = lookupReadOrReply(ctx, () => ctx.reply.nil());
  if (hash) replyField(ctx, hash, ctx.argv[2]);
};

/** HMGET: a missing key is an empty hash, so every field is nil. */
const hmget: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value !== undefined && !isHash(value)) return reply.error(Err.wrongType);
  reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) replyField(ctx, value, argv[i]);
};

const hlen: Handler = (ctx) => {
  const hash = lookupReadOrReply(ctx, () => ctx.reply.raw(ZERO));
  if (hash) ctx.reply.integer(hash.fields.size);
};

/** HSTRLEN: the value's length, 0 for a missing field. */
const hstrlen: Handler = (ctx) => {
  const hash = lookupReadOrReply(ctx, () => ctx.reply.raw(ZERO));
  if (hash) ctx.reply.integer(hashGet(hash, ctx.argv[2])?.length ?? 0);
};

const hexists: Handler = (ctx) => {
  const hash = lookupReadOrReply(ctx, () => ctx.reply.raw(ZERO));
  if (hash) ctx.reply.raw(hashGet(hash, ctx.argv[2]) === undefined ? ZERO : ONE);
};

// --- HDEL

/** HDEL: the key goes with its last field (and later arguments are not looked at). */
const hdel: Handler = (ctx) => {
  const { argv, reply, db, keyspace, node } = ctx;
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value === undefined) return reply.raw(ZERO);
  if (!isHash(value)) return reply.error(Err.wrongType);
  let deleted = 0;
  let keyRemoved = false;
  for (let j = 2; j < argv.length; j++) {
    if (hashDelete(value, argv[j])) {
      deleted++;
      if (value.fields.size === 0) {
        db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    notifyKeyspaceEvent(node, NOTIFY.h, 'hdel', argv[1], db.id);
    if (keyRemoved) notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
  }
  node.dirty += deleted;
  reply.integer(deleted);
};

// --- HINCRBY, HINCRBYFLOAT

/** HINCRBY: the increment is parsed first, then the key is looked up (WRONGTYPE comes second). */
const hincrby: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  const by = parseLongLong(argv[3]);
  if (!by.ok) return reply.error(by.error);
  const found = lookupWriteOrCreate(ctx);
  if (!found) return;
  const current = hashGet(found.hash, argv[2]);
  let old = 0n;
  if (current !== undefined) {
    const parsed = string2ll(current);
    if (parsed === null) return reply.error(Err.hashValueNotInteger);
    old = BigInt(parsed);
  }
  const incr = BigInt(by.value);
  if ((incr < 0n && old < 0n && incr < LLONG_MIN - old) || (incr > 0n && old > 0n && incr > LLONG_MAX - old)) {
    return reply.error(Err.incrDecrOverflow);
  }
  const result = old + incr;
  hashSet(found.hash, argv[2], fromLatin1(result.toString()), node.config);
  store(ctx, found);
  node.dirty++;
  reply.integer(result);
  notifyKeyspaceEvent(node, NOTIFY.h, 'hincrby', argv[1], ctx.db.id);
};

/**
 * HINCRBYFLOAT in the oracle's long double, as INCRBYFLOAT (long-double.ts).
 * An infinite increment is refused before the key is looked up.
 */
const hincrbyfloat: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  const by = parseLongDouble(argv[3]);
  if (by === null) return reply.error(Err.notValidFloat);
  if (by.kind !== 'finite') return reply.error(Err.valueNanOrInfinity);
  const found = lookupWriteOrCreate(ctx);
  if (!found) return;
  const current = hashGet(found.hash, argv[2]);
  // A listpack keeps an integer-looking value as an int64, which converts
  // to a long double exactly: the same as parsing its canonical digits.
  const old = current === undefined ? LD_ZERO : parseLongDouble(current);
  if (old === null) return reply.error(Err.hashValueNotFloat);
  const sum = addLongDouble(old, by);
  if (sum.kind !== 'finite') return reply.error(Err.incrNanOrInfinity);
  const bytes = fromLatin1(formatHuman(sum));
  hashSet(found.hash, argv[2], bytes, node.config);
  store(ctx, found);
  node.dirty++;
  reply.bulk(bytes);
  notifyKeyspaceEvent(node, NOTIFY.h, 'hincrbyfloat', argv[1], ctx.db.id);
  // Propagated as HSET key field <result>, so that replicas and the AOF
  // store the master's digits rather than redo arithmetic that may round
  // differently.
  ctx.client.propagateAs = [HSET_WORD, argv[1], argv[2], bytes];
};

// --- HKEYS, HVALS, HGETALL

const KEYS = 1;
const VALUES = 2;

/** genericHgetallCommand: a map for HGETALL (RESP3), flat arrays otherwise; in the hash's order. */
function hgetallGeneric(ctx: CommandContext, what: number): void {
  const both = what === (KEYS | VALUES);
  // shared.emptymap[resp] for HGETALL (`%0` in RESP3), shared.emptyarray otherwise.
  const hash = lookupReadOrReply(ctx, () => (both ? mapHeader(ctx, 0) : ctx.reply.raw(EMPTY_ARRAY)));
  if (!hash) return;
  const { reply } = ctx;
  if (both) mapHeader(ctx, hash.fields.size);
  else reply.arrayHeader(hash.fields.size);
  for (const [name, value] of hash.fields) {
    if (what & KEYS) reply.bulk(fieldBytes(name));
    if (what & VALUES) reply.bulk(value);
  }
}

const hkeys: Handler = (ctx) => hgetallGeneric(ctx, KEYS);
const hvals: Handler = (ctx) => hgetallGeneric(ctx, VALUES);
const hgetall: Handler = (ctx) => hgetallGeneric(ctx, KEYS | VALUES);

// --- HRANDFIELD

/**
 * The engine's bound on an HRANDFIELD reply with a negative count. Redis
 * has none: it streams count picks (up to LONG_MAX) into the output
 * buffer, which for a normal client is unlimited. The engine builds each
 * reply in memory (in a browser tab, too), so it answers
 * Err.hrandfieldReplyTooLarge instead of a reply larger than this, unless
 * the count is within the hash's size: a reply that could have come from
 * a positive count (at most one pick per field) is always served.
 */
export const HRANDFIELD_REPLY_LIMIT = 64 * 1024 * 1024;

type Entry = readonly [name: string, value: Uint8Array];

/** The bytes of a bulk string of `length` bytes: $<length>\r\n<bytes>\r\n. */
function bulkSize(length: number): number {
  return String(length).length + length + 5;
}

/** One pick: the field, and its value WITHVALUES (a 2-array around them in RESP3). */
function replyEntry(reply: ReplyWriter, entry: Entry, withValues: boolean): void {
  if (withValues && reply.protocol === 3) reply.arrayHeader(2);
  reply.bulk(fieldBytes(entry[0]));
  if (withValues) reply.bulk(entry[1]);
}

/**
 * hrandfieldWithCountCommand. Every draw comes from the node's seeded
 * random stream; the cases and the orders they give follow Redis:
 *  - a negative count (or 1): count independent draws, in draw order;
 *  - count >= size: the whole hash, in its order;
 *  - count * 3 > size: random fields are removed until count are left;
 *    they are listed in the hash's order (Redis lists what is left of a
 *    temporary dict in that dict's order);
 *  - else, a listpack: one pass over the fields, each taken with
 *    probability (fields still wanted) / (fields not yet visited), so the
 *    picks come in the hash's order (lpRandomPairsUnique); a hashtable:
 *    draws until count distinct fields, in draw order.
 */
function hrandfieldWithCount(ctx: CommandContext, l: bigint, withValues: boolean): void {
  const { reply, node } = ctx;
  const random = node.options.random;
  const hash = lookupReadOrReply(ctx, () => reply.raw(EMPTY_ARRAY));
  if (!hash) return;
  const size = hash.fields.size;
  const unique = l >= 0n;
  const count = unique ? l : -l;
  if (count === 0n) return reply.raw(EMPTY_ARRAY);
  const resp2Pairs = withValues && reply.protocol === 2;
  const entries: Entry[] = [...hash.fields];

  if (!unique || count === 1n) {
    // The bound: the limit, or what min(count, size) picks of the largest
    // entry (plus the array header) could take, whichever is larger. A
    // reply over it is refused before anything is written: each pick takes
    // at least 6 bytes ("$0\r\n\r\n"), so a count beyond bound / 6 cannot
    // fit; below that, the picks go to a scratch writer and the check is exact.
    let largest = 0;
    for (const [name, value] of entries) {
      largest = Math.max(largest, bulkSize(name.length) + (withValues ? bulkSize(value.length) + 4 : 0));
    }
    const picksWithin = count < BigInt(size) ? Number(count) : size;
    const bound = Math.max(HRANDFIELD_REPLY_LIMIT, 32 + picksWithin * largest);
    if (count > BigInt(Math.floor(bound / 6))) return reply.error(Err.hrandfieldReplyTooLarge);
    const n = Number(count);
    const scratch = new ReplyWriter();
    scratch.protocol = reply.protocol;
    scratch.arrayHeader(resp2Pairs ? n * 2 : n);
    for (let i = 0; i < n; i++) {
      replyEntry(scratch, entries[random.below(size)], withValues);
      if (scratch.size > bound) return reply.error(Err.hrandfieldReplyTooLarge);
    }
    reply.raw(scratch.take());
    return;
  }

  const replySize = count < BigInt(size) ? Number(count) : size;
  reply.arrayHeader(resp2Pairs ? replySize * 2 : replySize);

  if (replySize === size) {
    for (const entry of entries) replyEntry(reply, entry, withValues);
    return;
  }

  if (replySize * 3 > size) {
    // Remove size - count random fields, then list the rest in order.
    // `remaining` holds the indexes not yet removed, in no particular order.
    const remaining = entries.map((_, i) => i);
    const removed = new Uint8Array(size);
    for (let left = size; left > replySize; left--) {
      const at = random.below(left);
      removed[remaining[at]] = 1;
      remaining[at] = remaining[left - 1];
    }
    for (let i = 0; i < size; i++) if (!removed[i]) replyEntry(reply, entries[i], withValues);
    return;
  }

  if (hash.encoding === 'listpack') {
    let wanted = replySize;
    for (let i = 0; i < size && wanted > 0; i++) {
      if (random.below(size - i) < wanted) {
        replyEntry(reply, entries[i], withValues);
        wanted--;
      }
    }
    return;
  }
  const picked = new Set<number>();
  while (picked.size < replySize) {
    const at = random.below(size);
    if (picked.has(at)) continue;
    picked.add(at);
    replyEntry(reply, entries[at], withValues);
  }
}

/** HRANDFIELD key [count [WITHVALUES]] */
const hrandfield: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  if (argv.length >= 3) {
    // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)
    const parsed = parseLongLong(argv[2]);
    if (!parsed.ok) return reply.error(parsed.error);
    const l = BigInt(parsed.value);
    if (l < -LONG_MAX || l > LONG_MAX) return reply.error(Err.outOfRange(-LONG_MAX, LONG_MAX));
    // strcasecmp: the option is read as a C string.
    if (argv.length > 4 || (argv.length === 4 && lowerAscii(cString(argv[3])) !== 'withvalues')) {
      return reply.error(Err.syntax);
    }
    const withValues = argv.length === 4;
    // LONG_MAX/2 truncates, and -LONG_MAX/2 is its negation.
    if (withValues && (l < -(LONG_MAX / 2n) || l > LONG_MAX / 2n)) return reply.error(Err.valueOutOfRangePlain);
    return hrandfieldWithCount(ctx, l, withValues);
  }
  const hash = lookupReadOrReply(ctx, () => reply.nil());
  if (!hash) return;
  let n = node.options.random.below(hash.fields.size);
  for (const name of hash.fields.keys()) {
    if (n-- === 0) return reply.bulk(fieldBytes(name));
  }
};

export const hashHandlers: Record<string, Handler> = {
  hset,
  hmset,
  hsetnx,
  hget,
  hmget,
  hlen,
  hstrlen,
  hexists,
  hdel,
  hincrby,
  hincrbyfloat,
  hkeys,
  hvals,
  hgetall,
  hrandfield,
};
