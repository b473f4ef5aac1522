// What the stream commands share (t_stream.c of Redis 7.0.15): ID
// arguments with their error replies, the reply of a range of entries
// (streamReplyWithRange, with its consumer-group side: PEL entries, the
// group's last ID and read counter), consumer creation with its side
// effects, and the commands a master propagates for a group's changes
// (streamPropagateXCLAIM, streamPropagateGroupID,
// streamPropagateConsumerCreation).
import type { CommandContext } from './context.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1 } from '../bytes.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { ReplyWriter } from '../resp/reply-writer.ts';
import { decrId, formatId, idBytes, incrId, parseStreamId, type ParsedId, type StreamId } from '../keyspace/stream-id.ts';
import {
  advanceGroup,
  createConsumer,
  rangeEntryFields,
  streamEntry,
  streamRange,
  u64Incr,
  u64Signed,
  type StreamConsumer,
  type StreamGroup,
  type StreamNack,
  type StreamValue,
} from '../keyspace/stream.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { keyName } from '../keyspace/db.ts';

export function isStream(value: RedisValue | undefined): value is StreamValue {
  return value?.type === 'stream';
}

/** lookupKeyReadOrReply + checkType: the stream, or undefined after replying `missing` or WRONGTYPE. */
export function readStreamOrReply(ctx: CommandContext, key: Uint8Array, missing: () => void): StreamValue | undefined {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(key));
  if (value === undefined) return void missing();
  if (!isStream(value)) return void ctx.reply.error(Err.wrongType);
  return value;
}

/** A name or key as %s prints it: its bytes up to the first NUL. */
export function cText(bytes: Uint8Array): string {
  return latin1(cString(bytes));
}

/** Lower-cased option word as strcasecmp sees it. */
export function option(arg: Uint8Array): string {
  return latin1(cString(arg)).toLowerCase();
}

/**
 * streamParseIDOrReply (strict: streamParseStrictIDOrReply, which refuses
 * "-" and "+"): the ID, or null after the error reply.
 */
export function parseIdOrReply(ctx: CommandContext, arg: Uint8Array, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  const parsed = parseStreamId(arg, missingSeq, strict, allowSeqStar);
  if (!parsed) ctx.reply.error(Err.streamInvalidId);
  return parsed;
}

/**
 * The two ends of a range argument pair (XRANGE, XPENDING, XAUTOCLAIM's
 * start): "(" before an ID makes that end exclusive (then strict, and
 * moved by one, which fails at the extremes). `end` null: only a start.
 */
export function parseIntervalOrReply(ctx: CommandContext, arg: Uint8Array, isEnd: boolean): StreamId | null {
  const exclusive = arg.length > 1 && arg[0] === 0x28;
  const parsed = exclusive ? parseIdOrReply(ctx, arg.subarray(1), isEnd ? (1n << 64n) - 1n : 0n, true) : parseIdOrReply(ctx, arg, isEnd ? (1n << 64n) - 1n : 0n, false);
  if (!parsed) return null;
  if (!exclusive) return parsed.id;
  const moved = isEnd ? decrId(parsed.id) : incrId(parsed.id);
  if (moved === null) ctx.reply.error(isEnd ? Err.invalidEndId : Err.invalidStartId);
  return moved;
}

/** addReplyStreamID: a bulk string "<ms>-<seq>". */
export function replyId(reply: ReplyWriter, id: StreamId): void {
  reply.bulkText(formatId(id));
}

/** One entry: [id, [field, value, ...]]. */
export function replyEntry(reply: ReplyWriter, id: StreamId, fields: readonly Uint8Array[]): void {
  reply.arrayHeader(2);
  replyId(reply, id);
  reply.arrayHeader(fields.length);
  for (const f of fields) reply.bulk(f);
}

/** A writer for a reply whose length is known only at its end (addReplyDeferredLen). */
export function scratch(reply: ReplyWriter): ReplyWriter {
  const w = new ReplyWriter();
  w.protocol = reply.protocol;
  return w;
}

/** streamCreateNACK: delivered now, once. */
export function newNack(consumer: StreamConsumer | null, now: number): StreamNack {
  return { deliveryTime: now, deliveryCount: 1, consumer };
}

/** The node's clock in ms (mstime). */
export function nowMs(ctx: CommandContext): number {
  return Math.floor(ctx.node.options.clock.unixMs);
}

/** streamCreateConsumer with its side effects: a change (dirty) and the xgroup-createconsumer event. */
export function createConsumerNotify(ctx: CommandContext, group: StreamGroup, name: Uint8Array, key: Uint8Array): StreamConsumer | null {
  const consumer = createConsumer(group, name, nowMs(ctx));
  if (!consumer) return null;
  ctx.node.dirty++;
  notifyKeyspaceEvent(ctx.node, NOTIFY.t, 'xgroup-createconsumer', key, ctx.db.id);
  return consumer;
}

/** The consumer, seen now, or a new one made as streamCreateConsumer makes it. */
export function lookupOrCreateConsumer(ctx: CommandContext, group: StreamGroup, name: Uint8Array, key: Uint8Array): { consumer: StreamConsumer; created: boolean } {
  const now = nowMs(ctx);
  const found = group.consumers.get(latin1(name));
  if (found) {
    found.seenTime = now;
    return { consumer: found, created: false };
  }
  return { consumer: createConsumerNotify(ctx, group, name, key)!, created: true };
}

const XCLAIM = fromLatin1('XCLAIM');
const XGROUP = fromLatin1('XGROUP');
const ZERO = fromLatin1('0');
const TIME = fromLatin1('TIME');
const RETRYCOUNT = fromLatin1('RETRYCOUNT');
const FORCE = fromLatin1('FORCE');
const JUSTID = fromLatin1('JUSTID');
const LASTID = fromLatin1('LASTID');
const SETID = fromLatin1('SETID');
const ENTRIESREAD = fromLatin1('ENTRIESREAD');
const CREATECONSUMER = fromLatin1('CREATECONSUMER');

/**
 * streamPropagateXCLAIM: XCLAIM <key> <group> <consumer> 0 <id> TIME <ms>
 * RETRYCOUNT <count> FORCE JUSTID LASTID <group's last ID>, which a replica
 * applies whatever state it is in.
 */
export function propagateXclaim(ctx: CommandContext, key: Uint8Array, group: StreamGroup, groupName: Uint8Array, id: Uint8Array, nack: StreamNack): void {
  ctx.node.propagate(ctx.db.id, [
    XCLAIM, key, groupName, nack.consumer!.name, ZERO, id,
    TIME, fromLatin1(String(nack.deliveryTime)),
    RETRYCOUNT, fromLatin1(String(u64Signed(nack.deliveryCount))),
    FORCE, JUSTID, LASTID, idBytes(group.lastId),
  ]);
}

/** streamPropagateGroupID: XGROUP SETID <key> <group> <last ID> ENTRIESREAD <entries_read>. */
export function propagateGroupId(ctx: CommandContext, key: Uint8Array, group: StreamGroup, groupName: Uint8Array): void {
  ctx.node.propagate(ctx.db.id, [XGROUP, SETID, key, groupName, idBytes(group.lastId), ENTRIESREAD, fromLatin1(String(group.entriesRead))]);
}

/** streamPropagateConsumerCreation: XGROUP CREATECONSUMER <key> <group> <consumer>. */
export function propagateConsumerCreation(ctx: CommandContext, key: Uint8Array, groupName: Uint8Array, consumer: StreamConsumer): void {
  ctx.node.propagate(ctx.db.id, [XGROUP, CREATECONSUMER, key, groupName, consumer.name]);
}

/** What streamReplyWithRange does for a consumer group. */
export interface GroupRead {
  readonly group: StreamGroup;
  readonly consumer: StreamConsumer;
  readonly noack: boolean;
  /** streamPropInfo: the key and group name the propagated commands name. */
  readonly key: Uint8Array;
  readonly groupName: Uint8Array;
}

/**
 * streamReplyWithRange: the entries from start to end (at most `count`, 0
 * for all) as an array of [id, fields]. With a group (XREADGROUP reading
 * new entries), each entry delivered beyond the group's last ID moves it
 * and its read counter, gets a NACK in the group's and the consumer's PEL
 * (taken from another consumer if it had one) unless NOACK, and each NACK
 * is propagated as XCLAIM; with NOACK the group's new last ID goes out as
 * XGROUP SETID. Returns the number of entries.
 */
export function replyRange(ctx: CommandContext, s: StreamValue, start: StreamId, end: StreamId, count: number, rev: boolean, read: GroupRead | null = null): number {
  const out = scratch(ctx.reply);
  let n = 0;
  let propagateLastId = false;
  const now = nowMs(ctx);
  for (const e of streamRange(s, start, end, rev)) {
    if (read && e.id > read.group.lastId) {
      advanceGroup(s, read.group, e.id);
      if (read.noack) propagateLastId = true;
    }
    replyEntry(out, e.id, rangeEntryFields(e));
    if (read && !read.noack) {
      const { group, consumer } = read;
      let nack = group.pel.get(e.id);
      if (!nack) {
        nack = newNack(consumer, now);
        group.pel.set(e.id, nack);
        consumer.pel.set(e.id, nack);
      } else {
        // Delivered before (XGROUP SETID moved the group back): it changes hands.
        nack.consumer?.pel.delete(e.id);
        nack.consumer = consumer;
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
        consumer.pel.set(e.id, nack);
      }
      propagateXclaim(ctx, read.key, group, read.groupName, idBytes(e.id), nack);
    }
    n++;
    if (count && n === count) break;
  }
  if (read && propagateLastId) propagateGroupId(ctx, read.key, read.group, read.groupName);
  ctx.reply.arrayHeader(n);
  ctx.reply.raw(out.take());
  return n;
}

/**
 * streamReplyWithRangeFromConsumerPEL: a consumer's history (XREADGROUP
 * with an ID other than ">"): its pending entries from `start`, each
 * delivered again (its time and count move), or [id, nil] for one whose
 * entry was deleted since.
 */
export function replyConsumerHistory(ctx: CommandContext, s: StreamValue, start: StreamId, count: number, consumer: StreamConsumer): number {
  const out = scratch(ctx.reply);
  let n = 0;
  const now = nowMs(ctx);
  for (let id = consumer.pel.ceiling(start); id !== null && (!count || n < count); id = consumer.pel.higher(id)) {
    const fields = streamEntry(s, id);
    if (fields) {
      replyEntry(out, id, fields);
      const nack = consumer.pel.get(id)!;
      nack.deliveryTime = now;
      nack.deliveryCount = u64Incr(nack.deliveryCount);
    } else {
      out.arrayHeader(2);
      replyId(out, id);
      out.nullArray();
    }
    n++;
  }
  ctx.reply.arrayHeader(n);
  ctx.reply.raw(out.take());
  return n;
}
