// Generic keyspace commands (the "generic" group of COMMAND DOCS) and the
// server commands that act on the keyspace as a whole (DBSIZE, FLUSHDB, FLUSHALL).
//
// Each handler follows its C counterpart in db.c or expire.c of Redis 7.0.15:
// the same order of checks (so the same error wins when several apply), the
// same lookups (lookupKeyRead counts a hit or a miss, lookupKeyWrite does
// not, KEYS only looks at the expire time and deletes nothing) and the same
// replies.
//
// Replication: a command counts its changes in node.dirty where Redis does
// server.dirty++ (a command that changed nothing is not propagated, except
// FLUSHDB and FLUSHALL, which force it), and the EXPIRE family rewrites
// what it propagates (client.propagateAs) as Redis does. What a real 7.0.15
// master propagates for each is in tests/golden/generic.stream.
import type { CommandContext, Handler } from './context.ts';
import { parseInt32, parseLongLong } from './args.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1, lowerAscii } from '../bytes.ts';
import { stringMatch } from '../glob.ts';
import { expireTime, keyName, type Db, type ExpireTime, type KeyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { hashDup } from '../keyspace/hash.ts';
import { listDup } from '../keyspace/list.ts';
import { setDup } from '../keyspace/set.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { zsetDup } from '../keyspace/zset.ts';
import { streamDup } from '../keyspace/stream.ts';
import { resetRdbAfterFlushAll } from '../rdb/persistence.ts';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

// The words rewritten commands are propagated with (shared.* in server.c).
const PEXPIREAT_WORD = fromLatin1('PEXPIREAT');
const DEL_WORD = fromLatin1('DEL');
const UNLINK_WORD = fromLatin1('UNLINK');

/**
 * An option as strcasecmp sees it: lower-cased, and cut at its first NUL
 * byte, so "nx\0anything" is NX, exactly as in Redis.
 */
const option = (arg: Uint8Array): string => lowerAscii(cString(arg));

/**
 * getExpire: Redis answers -1 for "no expire", so an expire time of -1
 * itself (which only a replica or an AOF load can hold) reads as none too.
 */
function expireOf(db: Db, key: KeyName): ExpireTime | undefined {
  const when = db.getExpire(key);
  return when === undefined || when === -1 ? undefined : when;
}

// --- DEL, UNLINK, EXISTS, TYPE, TOUCH

/**
 * delGenericCommand: an expired key is expired first, so it does not count
 * (its expiry propagates a DEL of its own). Propagated as sent when it
 * deleted anything.
 */
const del: Handler = ({ argv, reply, db, keyspace, node }) => {
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = keyName(argv[j]);
    // On a replica expireIfNeeded keeps the key and the delete below removes
    // it, so a replica counts it: Redis does the same (db.c, delGenericCommand).
    keyspace.expireIfNeeded(db, key);
    if (db.delete(key)) {
      notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[j], db.id);
      deleted++;
    }
  }
  node.dirty += deleted;
  reply.integer(deleted);
};

/** EXISTS counts every argument, so a key named twice counts twice; it does not touch the keys' access time (LOOKUP_NOTOUCH), nor do TYPE and TTL. */
const exists: Handler = ({ argv, reply, db, keyspace }) => {
  let count = 0;
  for (let j = 1; j < argv.length; j++) if (keyspace.lookupRead(db, keyName(argv[j]), true)) count++;
  reply.integer(count);
};

const type: Handler = ({ argv, reply, db, keyspace }) => {
  reply.status(keyspace.lookupRead(db, keyName(argv[1]), true)?.type ?? 'none');
};

/** TOUCH only looks the keys up (the access time Redis updates is not modelled). */
const touch: Handler = ({ argv, reply, db, keyspace }) => {
  let touched = 0;
  for (let j = 1; j < argv.length; j++) if (keyspace.lookupRead(db, keyName(argv[j]))) touched++;
  reply.integer(touched);
};

// --- EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT

interface ExpireFlags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
}

/** parseExtendedExpireArgumentsOrReply: the options after the time, checked before the time is. */
function parseExpireFlags(ctx: CommandContext): ExpireFlags | null {
  const flags: ExpireFlags = { nx: false, xx: false, gt: false, lt: false };
  for (let j = 3; j < ctx.argv.length; j++) {
    const opt = option(ctx.argv[j]);
    if (opt === 'nx') flags.nx = true;
    else if (opt === 'xx') flags.xx = true;
    else if (opt === 'gt') flags.gt = true;
    else if (opt === 'lt') flags.lt = true;
    else {
      ctx.reply.error(Err.unsupportedOption(latin1(cString(ctx.argv[j]))));
      return null;
    }
  }
  if (flags.nx && (flags.xx || flags.gt || flags.lt)) {
    ctx.reply.error(Err.expireNxAndXxGtLt);
    return null;
  }
  if (flags.gt && flags.lt) {
    ctx.reply.error(Err.expireGtAndLt);
    return null;
  }
  return flags;
}

/**
 * expireGenericCommand. `name` is the command's fullname, for the
 * overflow error; `relative`: the time counts from now (EXPIRE,
 * PEXPIRE) rather than from the epoch; `seconds`: argv[2] is in seconds.
 * All arithmetic is on 64-bit values, as in C, with its overflow checks.
 */
function expireGeneric(ctx: CommandContext, name: string, relative: boolean, seconds: boolean): void {
  const { argv, reply, db, keyspace, node, client } = ctx;
  const flags = parseExpireFlags(ctx);
  if (!flags) return;
  const parsed = parseLongLong(argv[2]);
  if (!parsed.ok) return reply.error(parsed.error);
  const now = BigInt(keyspace.nowMs);
  const basetime = relative ? now : 0n;
  let when = BigInt(parsed.value);
  if (seconds) {
    // LLONG_MAX / 1000 and LLONG_MIN / 1000, truncated toward zero as C does.
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) return reply.error(Err.invalidExpireTime(name));
    when *= 1000n;
  }
  if (when > LLONG_MAX - basetime) return reply.error(Err.invalidExpireTime(name));
  when += basetime;

  const key = keyName(argv[1]);
  if (!keyspace.lookupWrite(db, key)) return reply.integer(0);

  if (flags.nx || flags.xx || flags.gt || flags.lt) {
    const current = expireOf(db, key);
    // No expire counts as an infinite TTL: GT never beats it, LT always does.
    if (flags.nx && current !== undefined) return reply.integer(0);
    if (flags.xx && current === undefined) return reply.integer(0);
    if (flags.gt && (current === undefined || when <= BigInt(current))) return reply.integer(0);
    if (flags.lt && current !== undefined && when >= BigInt(current)) return reply.integer(0);
  }

  // checkAlreadyExpired: a time not in the future deletes the key at once,
  // except on a replica, which keeps the key with its past expire time and
  // waits for its master's DEL.
  if (when <= now && !keyspace.isReplica()) {
    // dbSyncDelete (dbAsyncDelete under lazyfree-lazy-expire, which is off
    // by default). This is a deletion by the command, not an expiry: it does
    // not count in expired_keys and does not go through keyspace.onExpired.
    db.delete(key);
    node.dirty++;
    // Propagated as an explicit deletion (expire.c): a replica would keep
    // the key with its past time instead.
    client.propagateAs = [node.config.lazyfreeLazyExpire ? UNLINK_WORD : DEL_WORD, argv[1]];
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
    return reply.integer(1);
  }
  db.setExpire(key, expireTime(when));
  node.dirty++;
  // Propagated as PEXPIREAT key <when> [options], the absolute time in ms
  // with the options kept, so that replicas and the AOF agree on the
  // instant whatever their clocks. PEXPIREAT itself goes as sent (its name
  // in the client's letter case, its time as the client wrote it).
  if (relative || seconds) {
    const rewritten = [...argv];
    rewritten[0] = PEXPIREAT_WORD;
    rewritten[2] = fromLatin1(String(when));
    client.propagateAs = rewritten;
  }
  // The reply goes first here (expire.c), then the event.
  reply.integer(1);
  notifyKeyspaceEvent(node, NOTIFY.g, 'expire', argv[1], db.id);
}

const expire: Handler = (ctx) => expireGeneric(ctx, 'expire', true, true);
const pexpire: Handler = (ctx) => expireGeneric(ctx, 'pexpire', true, false);
const expireat: Handler = (ctx) => expireGeneric(ctx, 'expireat', false, true);
const pexpireat: Handler = (ctx) => expireGeneric(ctx, 'pexpireat', false, false);

// --- TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST

/** ttlGenericCommand: -2 no key, -1 no expire, else the time left (or the time itself), never below 0. */
function ttlGeneric({ argv, reply, db, keyspace }: CommandContext, ms: boolean, absolute: boolean): void {
  const key = keyName(argv[1]);
  if (!keyspace.lookupRead(db, key, true)) return reply.integer(-2);
  const when = expireOf(db, key);
  if (when === undefined) return reply.integer(-1);
  let ttl = absolute ? BigInt(when) : BigInt(when) - BigInt(keyspace.nowMs);
  if (ttl < 0n) ttl = 0n;
  // Seconds are rounded to the nearest: (ttl + 500) / 1000.
  reply.integer(ms ? ttl : (ttl + 500n) / 1000n);
}

const ttl: Handler = (ctx) => ttlGeneric(ctx, false, false);
const pttl: Handler = (ctx) => ttlGeneric(ctx, true, false);
const expiretime: Handler = (ctx) => ttlGeneric(ctx, false, true);
const pexpiretime: Handler = (ctx) => ttlGeneric(ctx, true, true);

const persist: Handler = ({ argv, reply, db, keyspace, node }) => {
  const key = keyName(argv[1]);
  if (!keyspace.lookupWrite(db, key)) return reply.integer(0);
  if (!db.removeExpire(key)) return reply.integer(0);
  notifyKeyspaceEvent(node, NOTIFY.g, 'persist', argv[1], db.id);
  node.dirty++;
  reply.integer(1);
};

// --- KEYS, RANDOMKEY, DBSIZE

const STAR = 0x2a;

/**
 * KEYS: every key the pattern matches that has not expired; expired keys
 * are skipped, not deleted. The order is the engine's (insertion order),
 * not the order of Redis's hash table.
 */
const keys: Handler = ({ argv, reply, db, keyspace }) => {
  const pattern = argv[1];
  const all = pattern.length === 1 && pattern[0] === STAR;
  const found: Uint8Array[] = [];
  for (const name of db.dict.keys()) {
    const bytes = fromLatin1(name);
    if ((all || stringMatch(pattern, bytes)) && !keyspace.isExpired(db, name)) found.push(bytes);
  }
  reply.arrayHeader(found.length);
  for (const k of found) reply.bulk(k);
};

/**
 * RANDOMKEY (dbRandomKey): a uniformly drawn key; an expired one is
 * expired and the draw repeated. On a replica expired keys stay, so when
 * every key has an expire time the draw gives up after 100 tries and
 * returns what it drew, as Redis does, rather than loop forever.
 */
const randomkey: Handler = ({ reply, db, keyspace, node }) => {
  const allVolatile = db.dict.size === db.expires.size;
  let tries = 100;
  for (;;) {
    if (db.size === 0) return reply.nil();
    const name = nthKey(db, node.options.random.below(db.size));
    if (db.expires.has(name)) {
      if (allVolatile && keyspace.isReplica() && --tries === 0) return reply.bulk(fromLatin1(name));
      if (keyspace.expireIfNeeded(db, name)) continue;
    }
    return reply.bulk(fromLatin1(name));
  }
};

function nthKey(db: Db, n: number): KeyName {
  let i = 0;
  for (const name of db.dict.keys()) if (i++ === n) return name;
  throw new Error(`no key at index ${n} of ${db.size}`);
}

/** DBSIZE counts keys that expired but were not yet deleted, as dictSize does. */
const dbsize: Handler = ({ reply, db }) => reply.integer(db.size);

// --- RENAME, RENAMENX, MOVE, COPY

/** renameGenericCommand: the value moves with its expire time; the old destination goes. */
function renameGeneric({ argv, reply, db, keyspace, node }: CommandContext, nx: boolean): void {
  const from = keyName(argv[1]);
  const to = keyName(argv[2]);
  const value = keyspace.lookupWrite(db, from);
  if (!value) return reply.error(Err.noSuchKey);
  if (from === to) return nx ? reply.integer(0) : reply.ok();
  const when = expireOf(db, from);
  if (keyspace.lookupWrite(db, to)) {
    if (nx) return reply.integer(0);
    db.delete(to);
  }
  db.set(to, value);
  if (when !== undefined) db.setExpire(to, when);
  db.delete(from);
  notifyKeyspaceEvent(node, NOTIFY.g, 'rename_from', argv[1], db.id);
  notifyKeyspaceEvent(node, NOTIFY.g, 'rename_to', argv[2], db.id);
  node.dirty++;
  if (nx) reply.integer(1);
  else reply.ok();
}

const rename: Handler = (ctx) => renameGeneric(ctx, false);
const renamenx: Handler = (ctx) => renameGeneric(ctx, true);

/** A database index argument: getIntFromObjectOrReply, then the range of SELECT. */
function targetDb(ctx: CommandContext, arg: Uint8Array): Db | null {
  const id = parseInt32(arg);
  if (!id.ok) {
    ctx.reply.error(id.error);
    return null;
  }
  if (id.value < 0 || id.value >= ctx.keyspace.dbs.length) {
    ctx.reply.error(Err.dbIndexOutOfRange);
    return null;
  }
  return ctx.keyspace.dbs[id.value];
}

/** MOVE: 0 when the key is missing here or present there. */
const move: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const dst = targetDb(ctx, argv[2]);
  if (!dst) return;
  if (dst === db) return reply.error(Err.sameObject);
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  if (!value) return reply.integer(0);
  const when = expireOf(db, key);
  if (keyspace.lookupWrite(dst, key)) return reply.integer(0);
  dst.set(key, value);
  if (when !== undefined) dst.setExpire(key, when);
  db.delete(key);
  notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'move_from', argv[1], db.id);
  notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'move_to', argv[1], dst.id);
  ctx.node.dirty++;
  reply.integer(1);
};

/** A copy of a value that shares nothing with it (dupStringObject keeps the encoding). */
function duplicate(value: RedisValue): RedisValue {
  switch (value.type) {
    case 'string':
      return { type: 'string', bytes: value.bytes.slice(), encoding: value.encoding };
    case 'hash':
      return hashDup(value);
    case 'list':
      return listDup(value);
    case 'set':
      return setDup(value);
    case 'zset':
      return zsetDup(value);
    case 'stream':
      return streamDup(value);
  }
}

/** COPY source destination [DB index] [REPLACE]: options in any order, errors as met. */
const copy: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  let dst = db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = option(argv[j]);
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'db' && j + 1 < argv.length) {
      const target = targetDb(ctx, argv[j + 1]);
      if (!target) return;
      dst = target;
      j++;
    } else {
      return reply.error(Err.syntax);
    }
  }
  const from = keyName(argv[1]);
  const to = keyName(argv[2]);
  if (dst === db && from === to) return reply.error(Err.sameObject);
  const value = keyspace.lookupRead(db, from);
  if (!value) return reply.integer(0);
  const when = expireOf(db, from);
  if (keyspace.lookupWrite(dst, to)) {
    if (!replace) return reply.integer(0);
    dst.delete(to);
  }
  dst.set(to, duplicate(value));
  if (when !== undefined) dst.setExpire(to, when);
  notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'copy_to', argv[2], dst.id);
  ctx.node.dirty++;
  reply.integer(1);
};

// --- FLUSHDB, FLUSHALL, SWAPDB

/**
 * getFlushCommandFlags: nothing, SYNC or ASYNC. Both free everything at
 * once here (there is no background thread to hand the memory to).
 */
function flushArgsOk({ argv, reply }: CommandContext): boolean {
  if (argv.length === 1) return true;
  if (argv.length === 2) {
    const opt = option(argv[1]);
    if (opt === 'sync' || opt === 'async') return true;
  }
  reply.error(Err.syntax);
  return false;
}

/** FLUSHDB: counts the keys it removed, and is propagated even when the db was already empty (forceCommandPropagation). */
const flushdb: Handler = (ctx) => {
  if (!flushArgsOk(ctx)) return;
  ctx.node.dirty += ctx.node.emptyData(ctx.db.id);
  ctx.client.forcePropagation = true;
  ctx.reply.ok();
};

/**
 * FLUSHALL: the same for every db, then flushAllDataAndResetRDB's part: a
 * running RDB child is killed and, with save points, dump.rdb saved.
 */
const flushall: Handler = (ctx) => {
  if (!flushArgsOk(ctx)) return;
  ctx.node.dirty += ctx.node.emptyData(-1);
  resetRdbAfterFlushAll(ctx.node);
  ctx.client.forcePropagation = true;
  ctx.reply.ok();
};

/** SWAPDB: a bad integer gets its own message; an index out of range the usual one. Counted (and propagated) even for one db with itself. */
const swapdb: Handler = ({ argv, reply, keyspace, node }) => {
  const a = parseInt32(argv[1]);
  if (!a.ok) return reply.error(Err.invalidFirstDbIndex);
  const b = parseInt32(argv[2]);
  if (!b.ok) return reply.error(Err.invalidSecondDbIndex);
  const count = keyspace.dbs.length;
  if (a.value < 0 || a.value >= count || b.value < 0 || b.value >= count) return reply.error(Err.dbIndexOutOfRange);
  // Clients stay on their index and see the other database's keys; their watched keys stay on the index too.
  if (a.value !== b.value) {
    const [dbA, dbB] = [keyspace.dbs[a.value], keyspace.dbs[b.value]];
    node.watches.touchAllInDb(dbA, dbB);
    node.watches.touchAllInDb(dbB, dbA);
    dbA.swapWith(dbB);
    // A key a client waits for in either database may exist now (scanDatabaseForReadyKeys).
    node.blocking.scanDatabaseForReadyKeys(keyspace.dbs[a.value]);
    node.blocking.scanDatabaseForReadyKeys(keyspace.dbs[b.value]);
  }
  node.dirty++;
  reply.ok();
};

export const genericHandlers: Record<string, Handler> = {
  del,
  unlink: del,
  exists,
  type,
  touch,
  expire,
  pexpire,
  expireat,
  pexpireat,
  ttl,
  pttl,
  expiretime,
  pexpiretime,
  persist,
  keys,
  randomkey,
  dbsize,
  rename,
  renamenx,
  move,
  copy,
  flushdb,
  flushall,
  swapdb,
};
