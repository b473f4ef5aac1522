// Consumer group commands: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER,
// DELCONSUMER, HELP), XACK, XPENDING, XCLAIM and XAUTOCLAIM, following
// t_stream.c of Redis 7.0.15.
//
// XACK, XPENDING, XCLAIM and XAUTOCLAIM look their key up for reading (a
// hit or a miss is counted) although XACK, XCLAIM and XAUTOCLAIM change the
// group; a fork's snapshot is told before they do (keyspace.ts's rule).
//
// Replication: XGROUP and XACK go out as they are; XCLAIM and XAUTOCLAIM
// are propagated as one XCLAIM ... FORCE JUSTID LASTID per claimed (or
// dropped) entry (streamPropagateXCLAIM), and a LASTID that moved the group
// with nothing claimed as XGROUP SETID ... ENTRIESREAD.
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString } from '../bytes.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { keyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { idBytes, parseStreamId, type StreamId } from '../keyspace/stream-id.ts';
import {
  createGroup,
  deleteConsumer,
  INVALID_ENTRIES_READ,
  lookupConsumer,
  lookupGroup,
  nameKey,
  newStream,
  releaseNack,
  sortedByName,
  streamEntry,
  streamEntryExists,
  u64,
  u64Incr,
  u64Signed,
  type StreamConsumer,
  type StreamGroup,
  type StreamNack,
  type StreamValue,
} from '../keyspace/stream.ts';
import { parseLongLong } from './args.ts';
import { writeHelp, subcommandSyntaxError } from './help.ts';
import {
  cText,
  createConsumerNotify,
  isStream,
  lookupOrCreateConsumer,
  nowMs,
  option,
  parseIdOrReply,
  parseIntervalOrReply,
  propagateGroupId,
  propagateXclaim,
  replyEntry,
  replyId,
  scratch,
} from './stream-common.ts';

const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n

const XGROUP_HELP = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** "$" as strcmp sees it. */
function isDollar(arg: Uint8Array): boolean {
  const s = cString(arg);
  return s.length === 1 && s[0] === 0x24;
}

/**
 * The value at argv[1] for a command that looks it up for reading and then
 * changes it (XACK, XCLAIM, XAUTOCLAIM): a fork's snapshot keeps it first.
 */
function lookupForChange(ctx: CommandContext): RedisValue | undefined {
  const key = keyName(ctx.argv[1]);
  const value = ctx.keyspace.lookupRead(ctx.db, key);
  if (value !== undefined) ctx.db.snapshot?.preserve(key);
  return value;
}

/** checkType: the stream, undefined for no key, null after WRONGTYPE. */
function asStream(ctx: CommandContext, value: RedisValue | undefined): StreamValue | undefined | null {
  if (value === undefined) return undefined;
  if (!isStream(value)) return void ctx.reply.error(Err.wrongType), null;
  return value;
}

function readForChange(ctx: CommandContext): StreamValue | undefined | null {
  return asStream(ctx, lookupForChange(ctx));
}

/** xgroupCommand, for every subcommand (the table checked the arity). */
const xgroup: Handler = (ctx) => {
  const { argv, reply, node, db } = ctx;
  const sub = option(argv[1]);
  let s: StreamValue | undefined;
  let group: StreamGroup | undefined;
  let mkstream = false;
  let entriesRead = INVALID_ENTRIES_READ;
  if (argv.length >= 4) {
    for (let i = 5; i < argv.length; ) {
      const opt = option(argv[i]);
      if (sub === 'create' && opt === 'mkstream') {
        mkstream = true;
        i++;
      } else if ((sub === 'create' || sub === 'setid') && opt === 'entriesread' && i + 1 < argv.length) {
        const n = parseLongLong(argv[i + 1]);
        if (!n.ok) return reply.error(n.error);
        if (n.value < 0 && n.value !== -1) return reply.error(Err.entriesReadInvalid);
        entriesRead = BigInt(n.value);
        i += 2;
      } else {
        return reply.error(subcommandSyntaxError(argv));
      }
    }
    const value = ctx.keyspace.lookupWrite(db, keyName(argv[2]));
    if (value) {
      if (!isStream(value)) return reply.error(Err.wrongType);
      s = value;
    }
  }
  if (argv.length >= 4 && !mkstream) {
    if (!s) return reply.error(Err.xgroupKeyMissing);
    group = lookupGroup(s, argv[3]);
    if (!group && (sub === 'setid' || sub === 'createconsumer' || sub === 'delconsumer')) {
      return reply.error(Err.noSuchGroup(cText(argv[3]), cText(argv[2])));
    }
  }
  const n = argv.length;
  if (n === 2 && sub === 'help') {
    writeHelp(reply, argv[0], XGROUP_HELP);
  } else if (sub === 'create' && n >= 5 && n <= 8) {
    let id: StreamId;
    if (isDollar(argv[4])) {
      id = s ? s.lastId : 0n;
    } else {
      const parsed = parseIdOrReply(ctx, argv[4], 0n, true);
      if (!parsed) return;
      id = parsed.id;
    }
    if (!s) {
      s = newStream();
      db.set(keyName(argv[2]), s);
    }
    if (createGroup(s, argv[3], id, entriesRead)) {
      reply.ok();
      node.dirty++;
      notifyKeyspaceEvent(node, NOTIFY.t, 'xgroup-create', argv[2], db.id);
    } else {
      reply.error(Err.busyGroup);
    }
  } else if (sub === 'setid' && (n === 5 || n === 7)) {
    let id: StreamId;
    if (isDollar(argv[4])) {
      id = s!.lastId;
    } else {
      const parsed = parseIdOrReply(ctx, argv[4], 0n, false);
      if (!parsed) return;
      id = parsed.id;
    }
    group!.lastId = id;
    group!.entriesRead = entriesRead;
    reply.ok();
    node.dirty++;
    notifyKeyspaceEvent(node, NOTIFY.t, 'xgroup-setid', argv[2], db.id);
  } else if (sub === 'destroy' && n === 4) {
    if (!group) return reply.raw(ZERO);
    s!.groups!.delete(nameKey(argv[3]));
    reply.integer(1);
    node.dirty++;
    notifyKeyspaceEvent(node, NOTIFY.t, 'xgroup-destroy', argv[2], db.id);
    // Clients blocked in XREADGROUP on this group get -NOGROUP.
    node.blocking.signalKeyAsReady(db, keyName(argv[2]), 'stream');
  } else if (sub === 'createconsumer' && n === 5) {
    reply.integer(createConsumerNotify(ctx, group!, argv[4], argv[2]) ? 1 : 0);
  } else if (sub === 'delconsumer' && n === 5) {
    const consumer = lookupConsumer(group!, argv[4], nowMs(ctx), true);
    let pending = 0;
    if (consumer) {
      pending = consumer.pel.size;
      deleteConsumer(group!, consumer);
      node.dirty++;
      notifyKeyspaceEvent(node, NOTIFY.t, 'xgroup-delconsumer', argv[2], db.id);
    }
    reply.integer(pending);
  } else {
    reply.error(subcommandSyntaxError(argv));
  }
};

/** XACK key group id [id ...]: no key or group acknowledges nothing, before the IDs are read. */
const xack: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  const s = readForChange(ctx);
  if (s === null) return;
  const group = s ? lookupGroup(s, argv[2]) : undefined;
  if (!group) return reply.raw(ZERO);
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) {
    const parsed = parseIdOrReply(ctx, argv[j], 0n, true);
    if (!parsed) return;
    ids.push(parsed.id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const nack = group.pel.get(id);
    if (!nack) continue;
    releaseNack(group, id, nack);
    acknowledged++;
    node.dirty++;
  }
  reply.integer(acknowledged);
};

/** Milliseconds since a time (now - t, in long long arithmetic). */
function since(now: number, t: number | bigint): number | bigint {
  return typeof t === 'number' ? now - t : BigInt.asIntN(64, BigInt(now) - t);
}

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
const xpending: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const n = argv.length;
  const justInfo = n === 3;
  if (n !== 3 && (n < 6 || n > 9)) return reply.error(Err.syntax);
  let start = 0n;
  let end = 0n;
  let count = 0n;
  let minIdle: number | bigint = 0;
  let consumerName: Uint8Array | null = null;
  if (n >= 6) {
    let at = 3;
    if (option(argv[3]) === 'idle') {
      const idle = parseLongLong(argv[4]);
      if (!idle.ok) return reply.error(idle.error);
      minIdle = idle.value;
      if (n < 8) return reply.error(Err.syntax);
      at += 2;
    }
    const c = parseLongLong(argv[at + 2]);
    if (!c.ok) return reply.error(c.error);
    count = c.value < 0 ? 0n : BigInt(c.value);
    const s = parseIntervalOrReply(ctx, argv[at], false);
    if (s === null) return;
    const e = parseIntervalOrReply(ctx, argv[at + 1], true);
    if (e === null) return;
    start = s;
    end = e;
    if (at + 3 < n) consumerName = argv[at + 3];
  }
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(argv[1]));
  if (value !== undefined && !isStream(value)) return reply.error(Err.wrongType);
  const group = value ? lookupGroup(value, argv[2]) : undefined;
  if (!group) return reply.error(Err.noSuchKeyOrGroup(cText(argv[1]), cText(argv[2])));

  if (justInfo) {
    reply.arrayHeader(4);
    reply.integer(group.pel.size);
    if (group.pel.size === 0) {
      reply.nil();
      reply.nil();
      reply.nullArray();
      return;
    }
    replyId(reply, group.pel.first()!);
    replyId(reply, group.pel.last()!);
    const owners = sortedByName(group.consumers).filter((c) => c.pel.size > 0);
    reply.arrayHeader(owners.length);
    for (const c of owners) {
      reply.arrayHeader(2);
      reply.bulk(c.name);
      reply.bulkText(String(c.pel.size));
    }
    return;
  }
  let pel = group.pel;
  if (consumerName) {
    const consumer = lookupConsumer(group, consumerName, nowMs(ctx), true);
    if (!consumer) return reply.arrayHeader(0);
    pel = consumer.pel;
  }
  const now = nowMs(ctx);
  const out = scratch(reply);
  let entries = 0;
  for (let id = pel.ceiling(start); count > 0n && id !== null && id <= end; id = pel.higher(id)) {
    const nack = pel.get(id)!;
    const idle = since(now, nack.deliveryTime);
    if (minIdle && idle < minIdle) continue;
    entries++;
    count--;
    out.arrayHeader(4);
    replyId(out, id);
    out.bulk(nack.consumer!.name);
    out.integer(idle < 0 ? 0 : idle);
    out.integer(u64Signed(nack.deliveryCount));
  }
  reply.arrayHeader(entries);
  reply.raw(out.take());
};

/**
 * The consumer claiming entries, found (seen now) or made on its first
 * claim. A consumer made here notifies at once: Redis writes that push
 * inside its reply (after the array's header and what preceded the claim),
 * so it moves into `out`, where the claimed entries are being written.
 */
function claimant(ctx: CommandContext, group: StreamGroup, current: StreamConsumer | null, out: ReturnType<typeof scratch>): StreamConsumer {
  if (current) return current;
  const mark = ctx.reply.size;
  const consumer = lookupOrCreateConsumer(ctx, group, ctx.argv[3], ctx.argv[1]).consumer;
  if (ctx.reply.size > mark) out.raw(ctx.reply.takeTail(mark));
  return consumer;
}

/** Gives a NACK to `consumer`: off its old owner's PEL, into the new one's. */
function handOver(nack: StreamNack, id: StreamId, consumer: StreamConsumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer?.pel.delete(id);
  consumer.pel.set(id, nack);
  nack.consumer = consumer;
}

/** The entry claimed: its ID alone (JUSTID), or the whole entry. */
function replyClaimed(out: ReturnType<typeof scratch>, s: StreamValue, id: StreamId, justId: boolean): void {
  if (justId) replyId(out, id);
  else replyEntry(out, id, streamEntry(s, id)!);
}

/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME
 * unix-ms] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]: the IDs run
 * until the first argument that is not one; the options follow.
 */
const xclaim: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  const s = readForChange(ctx);
  if (s === null) return;
  const group = s ? lookupGroup(s, argv[2]) : undefined;
  if (!s || !group) return reply.error(Err.noSuchKeyOrGroup(cText(argv[1]), cText(argv[2])));
  const minIdleArg = parseLongLong(argv[4]);
  if (!minIdleArg.ok) return reply.error(Err.xclaimMinIdle);
  const minIdle = minIdleArg.value < 0 ? 0 : minIdleArg.value;

  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const parsed = parseIdOrReplyQuiet(argv[j]);
    if (parsed === null) break;
    ids.push(parsed);
  }
  const now = nowMs(ctx);
  let deliveryTime: number | bigint = -1;
  let retryCount: number | bigint = -1;
  let force = false;
  let justId = false;
  let lastId = 0n;
  for (; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const opt = option(argv[j]);
    if (opt === 'force') {
      force = true;
    } else if (opt === 'justid') {
      justId = true;
    } else if (opt === 'idle' && moreArgs) {
      const v = parseLongLong(argv[++j]);
      if (!v.ok) return reply.error(Err.xclaimIdle);
      deliveryTime = typeof v.value === 'number' ? now - v.value : BigInt.asIntN(64, BigInt(now) - v.value);
    } else if (opt === 'time' && moreArgs) {
      const v = parseLongLong(argv[++j]);
      if (!v.ok) return reply.error(Err.xclaimTime);
      deliveryTime = v.value;
    } else if (opt === 'retrycount' && moreArgs) {
      const v = parseLongLong(argv[++j]);
      if (!v.ok) return reply.error(Err.xclaimRetryCount);
      retryCount = v.value;
    } else if (opt === 'lastid' && moreArgs) {
      const parsed = parseIdOrReply(ctx, argv[++j], 0n, true);
      if (!parsed) return;
      lastId = parsed.id;
    } else {
      return reply.error(Err.xclaimUnknownOption(cText(argv[j])));
    }
  }
  let propagateLastId = false;
  if (lastId > group.lastId) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  // A time in the future or before 1970 is taken as now; none given: now.
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

  let consumer: StreamConsumer | null = null;
  const out = scratch(reply);
  let claimed = 0;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    const idArg = argv[5 + k];
    let nack = group.pel.get(id);
    if (!streamEntryExists(s, id)) {
      // The entry is gone: its NACK goes too, and so it is propagated.
      if (nack) {
        propagateXclaim(ctx, argv[1], group, argv[2], idArg, nack);
        propagateLastId = false;
        node.dirty++;
        releaseNack(group, id, nack);
      }
      continue;
    }
    if (force && !nack) {
      nack = { deliveryTime: now, deliveryCount: 1, consumer: null };
      group.pel.set(id, nack);
    }
    if (!nack) continue;
    // A NACK made by FORCE has no owner and no idle time to check.
    if (nack.consumer && minIdle && since(now, nack.deliveryTime) < minIdle) continue;
    consumer = claimant(ctx, group, consumer, out);
    const owner = nack.consumer;
    if (owner !== consumer) owner?.pel.delete(id);
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = u64(BigInt(retryCount));
    else if (!justId) nack.deliveryCount = u64Incr(nack.deliveryCount);
    if (owner !== consumer) {
      consumer.pel.set(id, nack);
      nack.consumer = consumer;
    }
    replyClaimed(out, s, id, justId);
    claimed++;
    propagateXclaim(ctx, argv[1], group, argv[2], idArg, nack);
    propagateLastId = false;
    node.dirty++;
  }
  if (propagateLastId) {
    propagateGroupId(ctx, argv[1], group, argv[2]);
    node.dirty++;
  }
  reply.arrayHeader(claimed);
  reply.raw(out.take());
  ctx.client.preventPropagation = true;
};

/** An XCLAIM ID argument, read without a reply (the first that fails starts the options). */
function parseIdOrReplyQuiet(arg: Uint8Array): StreamId | null {
  return parseStreamId(arg, 0n, true)?.id ?? null;
}

/** LONG_MAX / max(sizeof(streamID), attempts_factor): XAUTOCLAIM's largest COUNT. */
const XAUTOCLAIM_MAX_COUNT = 9223372036854775807n / 16n;
const ATTEMPTS_FACTOR = 10;

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
const xautoclaim: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  // Looked up first, checked after the arguments.
  const value = lookupForChange(ctx);
  const minIdleArg = parseLongLong(argv[4]);
  if (!minIdleArg.ok) return reply.error(Err.xautoclaimMinIdle);
  const minIdle = minIdleArg.value < 0 ? 0 : minIdleArg.value;
  const start = parseIntervalOrReply(ctx, argv[5], false);
  if (start === null) return;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const opt = option(argv[j]);
    if (opt === 'count' && moreArgs) {
      const v = parseLongLong(argv[j + 1]);
      if (!v.ok || v.value < 1 || BigInt(v.value) > XAUTOCLAIM_MAX_COUNT) return reply.error(Err.xautoclaimCount);
      // Beyond the PEL's possible size a count only bounds the loop.
      count = Number(v.value > Number.MAX_SAFE_INTEGER / ATTEMPTS_FACTOR ? Math.floor(Number.MAX_SAFE_INTEGER / ATTEMPTS_FACTOR) : v.value);
      j++;
    } else if (opt === 'justid') {
      justId = true;
    } else {
      return reply.error(Err.syntax);
    }
  }
  const s = asStream(ctx, value);
  if (s === null) return;
  const group = s ? lookupGroup(s, argv[2]) : undefined;
  if (!s || !group) return reply.error(Err.noSuchKeyOrGroup(cText(argv[1]), cText(argv[2])));

  let attempts = count * ATTEMPTS_FACTOR;
  const now = nowMs(ctx);
  let consumer: StreamConsumer | null = null;
  const out = scratch(reply);
  let claimed = 0;
  const deleted: StreamId[] = [];
  let id = group.pel.ceiling(start);
  while (attempts-- > 0 && count > 0 && id !== null) {
    const nack = group.pel.get(id)!;
    if (!streamEntryExists(s, id)) {
      propagateXclaim(ctx, argv[1], group, argv[2], idBytes(id), nack);
      node.dirty++;
      releaseNack(group, id, nack);
      deleted.push(id);
      count--;
      id = group.pel.ceiling(id);
      continue;
    }
    if (minIdle && since(now, nack.deliveryTime) < minIdle) {
      id = group.pel.higher(id);
      continue;
    }
    consumer = claimant(ctx, group, consumer, out);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount = u64Incr(nack.deliveryCount);
    handOver(nack, id, consumer);
    replyClaimed(out, s, id, justId);
    claimed++;
    count--;
    propagateXclaim(ctx, argv[1], group, argv[2], idBytes(id), nack);
    node.dirty++;
    id = group.pel.higher(id);
  }
  // The cursor: the next pending entry, or 0-0 when the PEL was walked to its end.
  reply.arrayHeader(3);
  replyId(reply, id ?? 0n);
  reply.arrayHeader(claimed);
  reply.raw(out.take());
  reply.arrayHeader(deleted.length);
  for (const d of deleted) replyId(reply, d);
  ctx.client.preventPropagation = true;
};

export const xgroupHandlers: Record<string, Handler> = {
  'xgroup|create': xgroup,
  'xgroup|setid': xgroup,
  'xgroup|destroy': xgroup,
  'xgroup|createconsumer': xgroup,
  'xgroup|delconsumer': xgroup,
  'xgroup|help': xgroup,
  xack,
  xpending,
  xclaim,
  xautoclaim,
};
