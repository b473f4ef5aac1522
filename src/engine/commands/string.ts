// String commands (the "string" group of COMMAND DOCS), following
// t_string.c of Redis 7.0.15: the same checks in the same order, so that
// every reply and error is the one Redis gives.
//
// Replication: a command counts its changes in node.dirty where Redis does
// server.dirty++ (a command that changed nothing is not propagated), and
// rewrites what it propagates (client.propagateAs) where Redis does
// rewriteClientCommandVector/Argument: relative and absolute TTLs become
// `SET key value PXAT <ms>` or `PEXPIREAT key <ms>`, so that replicas agree
// on the instant whatever their clocks; values that depend on the master's
// arithmetic (INCRBYFLOAT) travel as the result. tests/golden/string.stream
// holds what a real 7.0.15 master propagates for each.
//
// Keyspace events (notify.ts) are sent where t_string.c sends them, in the
// same order relative to the replies.
import type { CommandContext, Handler } from './context.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { parseLongLong } from './args.ts';
import { addLongDouble, formatHuman, LD_ZERO, parseLongDouble } from './long-double.ts';
import { lcsLength, lcsWalk } from './lcs.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, lowerAscii, string2ll } from '../bytes.ts';
import { expireTime, keyName, type ExpireTime, type KeyName } from '../keyspace/db.ts';
import {
  EMBSTR_SIZE_LIMIT,
  rawStringValue,
  stringValue,
  type RedisValue,
  type StringValue,
} from '../keyspace/value.ts';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

function isString(value: RedisValue): value is StringValue {
  return value.type === 'string';
}

const ONE = new Uint8Array([0x3a, 0x31, 0x0d, 0x0a]); // :1\r\n
const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n

// The words rewritten commands are propagated with (shared.* in server.c).
const SET_WORD = fromLatin1('SET');
const PXAT_WORD = fromLatin1('PXAT');
const PEXPIREAT_WORD = fromLatin1('PEXPIREAT');
const PERSIST_WORD = fromLatin1('PERSIST');
const KEEPTTL_WORD = fromLatin1('KEEPTTL');
const DEL_WORD = fromLatin1('DEL');
const UNLINK_WORD = fromLatin1('UNLINK');

/** An integer argument as createStringObjectFromLongLong renders it. */
const integerArg = (n: number | bigint): Uint8Array => fromLatin1(String(n));

// --- options of SET and GETEX (parseExtendedStringArgumentsOrReply)

const NX = 1 << 0;
const XX = 1 << 1;
const EX = 1 << 2;
const PX = 1 << 3;
const KEEPTTL = 1 << 4;
const GET = 1 << 5;
const EXAT = 1 << 6;
const PXAT = 1 << 7;
const PERSIST = 1 << 8;
const ANY_EXPIRE = EX | PX | EXAT | PXAT;

interface ExtendedArgs {
  flags: number;
  /** The expire argument, when EX, PX, EXAT or PXAT was given (the last one wins). */
  expire: Uint8Array | undefined;
  /** The expire argument is in seconds (EX, EXAT) rather than milliseconds. */
  seconds: boolean;
}

/**
 * Parses SET's options (from argv[3]) or GETEX's (from argv[2]); null is a
 * syntax error. Options are matched as C strings (a NUL ends them), and
 * each one is refused when it conflicts with an earlier one, exactly as
 * Redis's chain of conditions does (so "EX 1 EX 2" is accepted).
 */
function parseExtended(argv: readonly Uint8Array[], forSet: boolean): ExtendedArgs | null {
  const out: ExtendedArgs = { flags: 0, expire: undefined, seconds: true };
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = lowerAscii(cString(argv[j]));
    const hasNext = j < argv.length - 1;
    const f = out.flags;
    if (opt === 'nx' && !(f & XX) && forSet) {
      out.flags |= NX;
    } else if (opt === 'xx' && !(f & NX) && forSet) {
      out.flags |= XX;
    } else if (opt === 'get' && forSet) {
      out.flags |= GET;
    } else if (opt === 'keepttl' && !(f & (PERSIST | ANY_EXPIRE)) && forSet) {
      out.flags |= KEEPTTL;
    } else if (opt === 'persist' && !forSet && !(f & (ANY_EXPIRE | KEEPTTL))) {
      out.flags |= PERSIST;
    } else if (opt === 'ex' && !(f & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) && hasNext) {
      out.flags |= EX;
      out.expire = argv[++j];
    } else if (opt === 'px' && !(f & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) && hasNext) {
      out.flags |= PX;
      out.seconds = false;
      out.expire = argv[++j];
    } else if (opt === 'exat' && !(f & (KEEPTTL | PERSIST | EX | PX | PXAT)) && hasNext) {
      out.flags |= EXAT;
      out.expire = argv[++j];
    } else if (opt === 'pxat' && !(f & (KEEPTTL | PERSIST | EX | EXAT | PX)) && hasNext) {
      out.flags |= PXAT;
      out.seconds = false;
      out.expire = argv[++j];
    } else {
      return null;
    }
  }
  return out;
}

/**
 * getExpireMillisecondsOrReply: the expire argument as an absolute unix
 * time in ms, or the error to reply. Relative times (EX, PX) are added to
 * the node's clock; a result that overflows a long long is invalid. The
 * time stays exact (a bigint beyond 2^53, which the keyspace keeps as is).
 */
function expireAt(
  ctx: CommandContext,
  arg: Uint8Array,
  seconds: boolean,
  relative: boolean,
  fullname: string,
): { ok: true; ms: ExpireTime } | { ok: false; error: string } {
  const parsed = parseLongLong(arg);
  if (!parsed.ok) return parsed;
  let ms = BigInt(parsed.value);
  if (ms <= 0n || (seconds && ms > LLONG_MAX / 1000n)) return { ok: false, error: Err.invalidExpireTime(fullname) };
  if (seconds) ms *= 1000n;
  if (relative) ms += BigInt(ctx.keyspace.nowMs);
  // In C the sum wraps to a negative number, which Redis then refuses.
  if (ms > LLONG_MAX) return { ok: false, error: Err.invalidExpireTime(fullname) };
  return { ok: true, ms: expireTime(ms) };
}

/**
 * checkAlreadyExpired (expire.c): an absolute time at or before now. A
 * replica keeps the key instead and waits for its master's DEL.
 */
function alreadyExpired(ctx: CommandContext, ms: ExpireTime): boolean {
  return ms <= ctx.keyspace.nowMs && !ctx.keyspace.isReplica();
}

// --- GET and its relatives

/** getGenericCommand: replies with the value or nil; false after a WRONGTYPE error. */
function getGeneric(ctx: CommandContext): boolean {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[1]));
  if (value === undefined) {
    ctx.reply.nil();
    return true;
  }
  if (!isString(value)) {
    ctx.reply.error(Err.wrongType);
    return false;
  }
  ctx.reply.bulk(value.bytes);
  return true;
}

const get: Handler = (ctx) => {
  getGeneric(ctx);
};

/**
 * setGenericCommand, for SET, SETNX, SETEX and PSETEX. `ok` and `abort`
 * write the replies for a key that was set and one NX/XX kept from being set.
 */
function setGeneric(
  ctx: CommandContext,
  flags: number,
  value: StringValue,
  expire: Uint8Array | undefined,
  seconds: boolean,
  fullname: string,
  ok: () => void,
  abort: () => void,
): void {
  const { db, keyspace, reply } = ctx;
  let ms: ExpireTime = 0;
  if (expire) {
    const at = expireAt(ctx, expire, seconds, (flags & (EX | PX)) !== 0, fullname);
    if (!at.ok) return reply.error(at.error);
    ms = at.ms;
  }
  if (flags & GET && !getGeneric(ctx)) return;
  const key = keyName(ctx.argv[1]);
  const found = keyspace.lookupWrite(db, key) !== undefined;
  if ((flags & NX && found) || (flags & XX && !found)) {
    if (!(flags & GET)) abort();
    return;
  }
  db.set(key, value, (flags & KEEPTTL) !== 0);
  ctx.node.dirty++;
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'set', ctx.argv[1], db.id);
  if (expire) {
    db.setExpire(key, ms);
    // Whatever the options, the key gets this value and this absolute time.
    ctx.client.propagateAs = [SET_WORD, ctx.argv[1], value.bytes, PXAT_WORD, integerArg(ms)];
    notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'expire', ctx.argv[1], db.id);
  } else if (flags & GET) {
    // GET changes nothing on a replica: every GET argument is left out.
    ctx.client.propagateAs = ctx.argv.filter((arg, j) => j < 3 || lowerAscii(cString(arg)) !== 'get');
  }
  if (!(flags & GET)) ok();
}

const replyOk = (ctx: CommandContext) => () => ctx.reply.ok();
const replyNil = (ctx: CommandContext) => () => ctx.reply.nil();

/** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL] */
const set: Handler = (ctx) => {
  const args = parseExtended(ctx.argv, true);
  if (!args) return ctx.reply.error(Err.syntax);
  setGeneric(ctx, args.flags, stringValue(ctx.argv[2]), args.expire, args.seconds, 'set', replyOk(ctx), replyNil(ctx));
};

const setnx: Handler = (ctx) => {
  setGeneric(ctx, NX, stringValue(ctx.argv[2]), undefined, true, 'setnx', () => ctx.reply.raw(ONE), () => ctx.reply.raw(ZERO));
};

const setex: Handler = (ctx) => {
  setGeneric(ctx, EX, stringValue(ctx.argv[3]), ctx.argv[2], true, 'setex', replyOk(ctx), replyNil(ctx));
};

const psetex: Handler = (ctx) => {
  setGeneric(ctx, PX, stringValue(ctx.argv[3]), ctx.argv[2], false, 'psetex', replyOk(ctx), replyNil(ctx));
};

/** GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST] */
const getex: Handler = (ctx) => {
  const { db, keyspace, reply } = ctx;
  const args = parseExtended(ctx.argv, false);
  if (!args) return reply.error(Err.syntax);
  const key = keyName(ctx.argv[1]);
  const value = keyspace.lookupRead(db, key);
  if (value === undefined) return reply.nil();
  if (!isString(value)) return reply.error(Err.wrongType);
  let ms: ExpireTime = 0;
  if (args.expire) {
    const at = expireAt(ctx, args.expire, args.seconds, (args.flags & (EX | PX)) !== 0, 'getex');
    if (!at.ok) return reply.error(at.error);
    ms = at.ms;
  }
  // The reply goes first: the key may be deleted below.
  reply.bulk(value.bytes);
  // GETEX is never propagated as it is: as DEL (UNLINK), PEXPIREAT or PERSIST.
  const { node, client } = ctx;
  if (args.flags & (EXAT | PXAT) && alreadyExpired(ctx, ms)) {
    db.delete(key);
    client.propagateAs = [node.config.lazyfreeLazyExpire ? UNLINK_WORD : DEL_WORD, ctx.argv[1]];
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', ctx.argv[1], db.id);
    node.dirty++;
  } else if (args.expire) {
    db.setExpire(key, ms);
    client.propagateAs = [PEXPIREAT_WORD, ctx.argv[1], integerArg(ms)];
    notifyKeyspaceEvent(node, NOTIFY.g, 'expire', ctx.argv[1], db.id);
    node.dirty++;
  } else if (args.flags & PERSIST && db.removeExpire(key)) {
    client.propagateAs = [PERSIST_WORD, ctx.argv[1]];
    notifyKeyspaceEvent(node, NOTIFY.g, 'persist', ctx.argv[1], db.id);
    node.dirty++;
  }
};

/** GETDEL: propagated as DEL key (UNLINK under lazyfree-lazy-user-del, which the engine does not have: off). */
const getdel: Handler = (ctx) => {
  if (!getGeneric(ctx)) return;
  if (!ctx.db.delete(keyName(ctx.argv[1]))) return;
  ctx.client.propagateAs = [DEL_WORD, ctx.argv[1]];
  notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'del', ctx.argv[1], ctx.db.id);
  ctx.node.dirty++;
};

/** GETSET: propagated as SET key value. */
const getset: Handler = (ctx) => {
  if (!getGeneric(ctx)) return;
  ctx.db.set(keyName(ctx.argv[1]), stringValue(ctx.argv[2]));
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'set', ctx.argv[1], ctx.db.id);
  ctx.node.dirty++;
  ctx.client.propagateAs = [SET_WORD, ctx.argv[1], ctx.argv[2]];
};

// --- several keys

const mget: Handler = ({ argv, reply, db, keyspace }) => {
  reply.arrayHeader(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const value = keyspace.lookupRead(db, keyName(argv[j]));
    if (value === undefined || !isString(value)) reply.nil();
    else reply.bulk(value.bytes);
  }
};

function msetGeneric(ctx: CommandContext, nx: boolean, fullname: string): void {
  const { argv, reply, db, keyspace } = ctx;
  if (argv.length % 2 === 0) return reply.wrongArity(fullname);
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (keyspace.lookupWrite(db, keyName(argv[j])) !== undefined) return reply.raw(ZERO);
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    const key = keyName(argv[j]);
    // setKey looks the key up first: an expired one is deleted (and that
    // DEL propagated) before it is overwritten.
    keyspace.lookupWrite(db, key);
    db.set(key, stringValue(argv[j + 1]));
    notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'set', argv[j], db.id);
  }
  ctx.node.dirty += (argv.length - 1) / 2;
  if (nx) reply.raw(ONE);
  else reply.ok();
}

const mset: Handler = (ctx) => msetGeneric(ctx, false, 'mset');
const msetnx: Handler = (ctx) => msetGeneric(ctx, true, 'msetnx');

// --- changing a string in place

/**
 * checkStringLength: would a string of size + append bytes exceed
 * proto-max-bulk-len? (Redis skips the check for its master and the AOF,
 * which the engine does not have yet.)
 */
function tooLong(ctx: CommandContext, size: number | bigint, append: number): boolean {
  return BigInt(size) + BigInt(append) > BigInt(ctx.node.config.protoMaxBulkLen);
}

/**
 * Values APPEND made, whose bytes are the start of a larger buffer that no
 * other value uses beyond their length: the next APPEND writes into that
 * spare room, as sds preallocation lets Redis do, instead of copying the
 * whole string. The old value's bytes never change (only bytes past its
 * length are written), so a value that is shared elsewhere stays intact.
 */
const growable = new WeakSet<StringValue>();

function appended(value: StringValue, extra: Uint8Array): StringValue {
  const old = value.bytes;
  const total = old.length + extra.length;
  if (growable.has(value) && old.byteOffset === 0 && old.buffer.byteLength >= total) {
    growable.delete(value);
    const bytes = new Uint8Array(old.buffer, 0, total);
    bytes.set(extra, old.length);
    const grown = rawStringValue(bytes);
    growable.add(grown);
    return grown;
  }
  // Room for as much again (sdsMakeRoomFor doubles below 1 MB, adds 1 MB above).
  const capacity = total < 1024 * 1024 ? total * 2 : total + 1024 * 1024;
  const buffer = new Uint8Array(capacity);
  buffer.set(old, 0);
  buffer.set(extra, old.length);
  const grown = rawStringValue(buffer.subarray(0, total));
  growable.add(grown);
  return grown;
}

const append: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  let length: number;
  if (value === undefined) {
    const created = stringValue(argv[2]);
    db.set(key, created);
    length = created.bytes.length;
  } else {
    if (!isString(value)) return reply.error(Err.wrongType);
    if (tooLong(ctx, value.bytes.length, argv[2].length)) return reply.error(Err.stringTooLong);
    const grown = appended(value, argv[2]);
    db.set(key, grown, true);
    length = grown.bytes.length;
  }
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'append', argv[1], db.id);
  // Counted even when nothing was appended.
  ctx.node.dirty++;
  reply.integer(length);
};

const setrange: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const parsed = parseLongLong(argv[2]);
  if (!parsed.ok) return reply.error(parsed.error);
  const offset = parsed.value;
  if (offset < 0) return reply.error(Err.offsetOutOfRange);
  const patch = argv[3];
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  let old: Uint8Array;
  if (value === undefined) {
    // Setting nothing on a missing key creates nothing.
    if (patch.length === 0) return reply.raw(ZERO);
    if (tooLong(ctx, offset, patch.length)) return reply.error(Err.stringTooLong);
    old = new Uint8Array(0);
  } else {
    if (!isString(value)) return reply.error(Err.wrongType);
    if (patch.length === 0) return reply.integer(value.bytes.length);
    if (tooLong(ctx, offset, patch.length)) return reply.error(Err.stringTooLong);
    old = value.bytes;
  }
  // The length check bounds the offset, so it is a safe integer here.
  const at = Number(offset);
  const bytes = new Uint8Array(Math.max(old.length, at + patch.length));
  bytes.set(old, 0);
  bytes.set(patch, at);
  db.set(key, rawStringValue(bytes), true);
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'setrange', argv[1], db.id);
  ctx.node.dirty++;
  reply.integer(bytes.length);
};

// --- reading parts of a string

const strlen: Handler = ({ argv, reply, db, keyspace }) => {
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value === undefined) return reply.raw(ZERO);
  if (!isString(value)) return reply.error(Err.wrongType);
  reply.integer(value.bytes.length);
};

/** GETRANGE and SUBSTR. The indexes are long longs, so BigInt keeps them exact. */
const getrange: Handler = ({ argv, reply, db, keyspace }) => {
  const startArg = parseLongLong(argv[2]);
  if (!startArg.ok) return reply.error(startArg.error);
  const endArg = parseLongLong(argv[3]);
  if (!endArg.ok) return reply.error(endArg.error);
  const value = keyspace.lookupRead(db, keyName(argv[1]));
  if (value === undefined) return reply.bulk(EMPTY);
  if (!isString(value)) return reply.error(Err.wrongType);
  const str = value.bytes;
  const len = BigInt(str.length);
  let start = BigInt(startArg.value);
  let end = BigInt(endArg.value);
  if (start < 0n && end < 0n && start > end) return reply.bulk(EMPTY);
  if (start < 0n) start += len;
  if (end < 0n) end += len;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= len) end = len - 1n;
  if (start > end || len === 0n) return reply.bulk(EMPTY);
  reply.bulk(str.subarray(Number(start), Number(end) + 1));
};

const EMPTY = new Uint8Array(0);

// --- counters

/** incrDecrCommand: the value as a long long plus incr, stored as an int-encoded string. */
function incrDecr(ctx: CommandContext, incr: bigint): void {
  const { argv, reply, db, keyspace } = ctx;
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value !== undefined && !isString(value)) return reply.error(Err.wrongType);
  const current = value === undefined ? 0 : string2ll(value.bytes);
  if (current === null) return reply.error(Err.notInteger);
  const old = BigInt(current);
  if ((incr < 0n && old < 0n && incr < LLONG_MIN - old) || (incr > 0n && old > 0n && incr > LLONG_MAX - old)) {
    return reply.error(Err.incrDecrOverflow);
  }
  const result = old + incr;
  // dbOverwrite or an in-place change: the TTL stays.
  storeKeepingTtl(ctx, key, stringValue(fromLatin1(result.toString())));
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'incrby', argv[1], db.id);
  ctx.node.dirty++;
  reply.integer(result);
}

function storeKeepingTtl(ctx: CommandContext, key: KeyName, value: StringValue): void {
  ctx.db.set(key, value, true);
}

const incr: Handler = (ctx) => incrDecr(ctx, 1n);
const decr: Handler = (ctx) => incrDecr(ctx, -1n);

const incrby: Handler = (ctx) => {
  const by = parseLongLong(ctx.argv[2]);
  if (!by.ok) return ctx.reply.error(by.error);
  incrDecr(ctx, BigInt(by.value));
};

const decrby: Handler = (ctx) => {
  const by = parseLongLong(ctx.argv[2]);
  if (!by.ok) return ctx.reply.error(by.error);
  const amount = BigInt(by.value);
  // Negating LLONG_MIN would overflow.
  if (amount === LLONG_MIN) return ctx.reply.error(Err.decrementOverflow);
  incrDecr(ctx, -amount);
};

/**
 * INCRBYFLOAT in the oracle's long double (see long-double.ts). The result
 * is stored as createStringObject makes it (embstr or raw, never int, even
 * for "3"), and the TTL stays.
 */
const incrbyfloat: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (value !== undefined && !isString(value)) return reply.error(Err.wrongType);
  const current = value === undefined ? LD_ZERO : parseLongDouble(value.bytes);
  if (current === null) return reply.error(Err.notValidFloat);
  const by = parseLongDouble(argv[2]);
  if (by === null) return reply.error(Err.notValidFloat);
  const sum = addLongDouble(current, by);
  if (sum.kind !== 'finite') return reply.error(Err.incrNanOrInfinity);
  const bytes = fromLatin1(formatHuman(sum));
  storeKeepingTtl(ctx, key, { type: 'string', bytes, encoding: bytes.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw' });
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'incrbyfloat', argv[1], db.id);
  ctx.node.dirty++;
  reply.bulk(bytes);
  // Propagated as SET key <result> KEEPTTL, so that replicas and the AOF
  // store the master's digits rather than redo arithmetic that may round
  // differently.
  ctx.client.propagateAs = [SET_WORD, argv[1], bytes, KEEPTTL_WORD];
};

// --- LCS

/** The RESP3 map header, or the flat array RESP2 uses for a map. */
function mapHeader(ctx: CommandContext, pairs: number): void {
  if (ctx.reply.protocol === 3) ctx.reply.raw(fromLatin1(`%${pairs}\r\n`));
  else ctx.reply.arrayHeader(pairs * 2);
}

/** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
const lcs: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const a = keyspace.lookupRead(db, keyName(argv[1]));
  const b = keyspace.lookupRead(db, keyName(argv[2]));
  if ((a !== undefined && !isString(a)) || (b !== undefined && !isString(b))) return reply.error(Err.lcsNotStrings);
  const aBytes = a === undefined ? EMPTY : a.bytes;
  const bBytes = b === undefined ? EMPTY : b.bytes;
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen: number | bigint = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = lowerAscii(cString(argv[j]));
    const moreArgs = argv.length - 1 - j;
    if (opt === 'idx') {
      getIdx = true;
    } else if (opt === 'len') {
      getLen = true;
    } else if (opt === 'withmatchlen') {
      withMatchLen = true;
    } else if (opt === 'minmatchlen' && moreArgs > 0) {
      const parsed = parseLongLong(argv[j + 1]);
      if (!parsed.ok) return reply.error(parsed.error);
      minMatchLen = parsed.value < 0 ? 0 : parsed.value;
      j++;
    } else {
      return reply.error(Err.syntax);
    }
  }
  if (getLen && getIdx) return reply.error(Err.lcsLenAndIdx);
  const UINT32_MAX = 0xffffffff;
  if (aBytes.length >= UINT32_MAX - 1 || bBytes.length >= UINT32_MAX - 1) return reply.error(Err.lcsStringTooLong);
  // Redis refuses a table (4 bytes a cell) larger than proto-max-bulk-len.
  const tableBytes = (aBytes.length + 1) * (bBytes.length + 1) * 4;
  if (tableBytes > ctx.node.config.protoMaxBulkLen) return reply.error(Err.lcsTableTooBig);

  if (getLen) return reply.integer(lcsLength(aBytes, bBytes));
  const result = lcsWalk(aBytes, bBytes);
  if (!getIdx) return reply.bulk(result.lcs);
  const ranges = result.ranges.filter((r) => minMatchLen === 0 || r.len >= minMatchLen);
  mapHeader(ctx, 2);
  reply.bulkText('matches');
  reply.arrayHeader(ranges.length);
  for (const r of ranges) {
    reply.arrayHeader(withMatchLen ? 3 : 2);
    reply.arrayHeader(2);
    reply.integer(r.aStart);
    reply.integer(r.aEnd);
    reply.arrayHeader(2);
    reply.integer(r.bStart);
    reply.integer(r.bEnd);
    if (withMatchLen) reply.integer(r.len);
  }
  reply.bulkText('len');
  reply.integer(result.length);
};

export const stringHandlers: Record<string, Handler> = {
  get,
  set,
  setnx,
  setex,
  psetex,
  getex,
  getdel,
  getset,
  mget,
  mset,
  msetnx,
  append,
  setrange,
  strlen,
  getrange,
  substr: getrange,
  incr,
  decr,
  incrby,
  decrby,
  incrbyfloat,
  lcs,
};
