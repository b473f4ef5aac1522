// Stream commands on entries: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM
// and XSETID, following t_stream.c of Redis 7.0.15: the same argument
// checks in the same order, the same lookups, the same replies. The value
// and its node layout are keyspace/stream.ts; the consumer group commands
// are in stream-group.ts, XREAD and XREADGROUP in stream-read.ts, XINFO in
// stream-info.ts.
//
// Replication: XADD is propagated with the ID it added in place of `*` or
// `<ms>-*`, and an approximate trim (MAXLEN ~ / MINID ~, which removes
// whole nodes only, or less under LIMIT) as the exact trim it came to:
// `MAXLEN = <length after>` or `MINID = <first ID after, tombstones
// included>`, so that replicas and the AOF end with the same entries
// (streamRewriteApproxSpecifier, streamRewriteTrimArgument). XTRIM the
// same, when it removed entries. tests/golden/stream-type.stream has what
// a real master propagates.
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1 } from '../bytes.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { keyName } from '../keyspace/db.ts';
import { formatId, idBytes, MAX_ID, type StreamId } from '../keyspace/stream-id.ts';
import { newStream, streamAppend, streamDelete, streamEdgeId, streamLastValidId, streamTrim, type StreamValue, type TrimArgs } from '../keyspace/stream.ts';
import { parseLongLong } from './args.ts';
import { isStream, option, parseIdOrReply, parseIntervalOrReply, readStreamOrReply, replyRange } from './stream-common.ts';
import { xgroupHandlers } from './stream-group.ts';
import { xreadHandlers } from './stream-read.ts';
import { xinfoHandlers } from './stream-info.ts';

const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n
const EMPTY_ARRAY = new Uint8Array([0x2a, 0x30, 0x0d, 0x0a]); // *0\r\n
const EQUALS = fromLatin1('=');

/** lookupKeyWriteOrReply + checkType. */
function writeStreamOrReply(ctx: CommandContext, missing: () => void): StreamValue | undefined {
  const value = ctx.keyspace.lookupWrite(ctx.db, keyName(ctx.argv[1]));
  if (value === undefined) return void missing();
  if (!isStream(value)) return void ctx.reply.error(Err.wrongType);
  return value;
}

/** streamAddTrimArgs. */
interface AddTrimArgs extends Omit<TrimArgs, 'strategy'> {
  readonly strategy: 'none' | 'maxlen' | 'minid';
  /** The index of MAXLEN's count or MINID's ID (the one before is `~` with approx). */
  readonly argIdx: number;
  readonly id: { id: StreamId; seqGiven: boolean } | null;
  readonly noMkstream: boolean;
  /** XADD: the index of the ID argument. */
  readonly idPos: number;
}

/**
 * streamParseAddOrTrimArgsOrReply: XADD's and XTRIM's options, then (XADD)
 * the ID; null after an error reply. A limit is set for ~ when not given
 * (100 nodes' worth of entries, within 10,000 .. 1,000,000), and never
 * applies to what our master sends (its trims are exact already).
 */
function parseAddOrTrim(ctx: CommandContext, xadd: boolean): AddTrimArgs | null {
  const { argv, reply } = ctx;
  let strategy: AddTrimArgs['strategy'] = 'none';
  let argIdx = 0;
  let approx = false;
  let limit = 0n;
  let limitGiven = false;
  let maxlen = 0n;
  let minid = 0n;
  let noMkstream = false;
  let id: AddTrimArgs['id'] = null;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const opt = cString(argv[i]);
    if (xadd && opt.length === 1 && opt[0] === 0x2a) break;
    const name = option(argv[i]);
    if ((name === 'maxlen' || name === 'minid') && moreArgs) {
      if (strategy !== 'none') return void reply.error(Err.trimMaxlenAndMinid), null;
      approx = false;
      const next = cString(argv[i + 1]);
      if (moreArgs >= 2 && next.length === 1 && next[0] === 0x7e) {
        approx = true;
        i++;
      } else if (moreArgs >= 2 && next.length === 1 && next[0] === 0x3d) {
        i++;
      }
      if (name === 'maxlen') {
        const n = parseLongLong(argv[i + 1]);
        if (!n.ok) return void reply.error(n.error), null;
        if (n.value < 0) return void reply.error(Err.trimMaxlenNegative), null;
        maxlen = BigInt(n.value);
      } else {
        const parsed = parseIdOrReply(ctx, argv[i + 1], 0n, true);
        if (!parsed) return null;
        minid = parsed.id;
      }
      i++;
      strategy = name;
      argIdx = i;
    } else if (name === 'limit' && moreArgs) {
      const n = parseLongLong(argv[i + 1]);
      if (!n.ok) return void reply.error(n.error), null;
      if (n.value < 0) return void reply.error(Err.trimLimitNegative), null;
      limit = BigInt(n.value);
      limitGiven = true;
      i++;
    } else if (xadd && name === 'nomkstream') {
      noMkstream = true;
    } else if (xadd) {
      // The ID, or a syntax error reported as an invalid ID.
      const parsed = parseIdOrReply(ctx, argv[i], 0n, true, true);
      if (!parsed) return null;
      id = parsed;
      break;
    } else {
      return void reply.error(Err.syntax), null;
    }
  }
  if (limit && strategy === 'none') return void reply.error(Err.trimLimitWithoutStrategy), null;
  if (!xadd && strategy === 'none') return void reply.error(Err.xtrimWithoutStrategy), null;
  if (ctx.client.isMaster) {
    limit = 0n;
  } else if (limitGiven) {
    if (!approx) return void reply.error(Err.trimLimitWithoutApprox), null;
  } else if (approx) {
    // 100 * stream-node-max-entries in a long long, kept within bounds.
    limit = BigInt.asIntN(64, 100n * BigInt(ctx.node.config.streamNodeMaxEntries));
    if (limit <= 0n) limit = 10000n;
    if (limit > 1000000n) limit = 1000000n;
  } else {
    limit = 0n;
  }
  return { strategy, argIdx, approx, limit, maxlen, minid, id, noMkstream, idPos: i };
}

/** streamTrim with parsed arguments; nothing for no strategy. */
function trim(s: StreamValue, args: AddTrimArgs): number {
  return args.strategy === 'none' ? 0 : streamTrim(s, { ...args, strategy: args.strategy });
}

/**
 * streamRewriteApproxSpecifier + streamRewriteTrimArgument: `~` becomes
 * `=` and the count the length after, or the ID the first entry's after.
 */
function rewriteApproxTrim(argv: Uint8Array[], s: StreamValue, args: AddTrimArgs): void {
  argv[args.argIdx - 1] = EQUALS;
  argv[args.argIdx] = args.strategy === 'maxlen' ? fromLatin1(String(s.length)) : idBytes(streamEdgeId(s, true, false));
}

/** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
const xadd: Handler = (ctx) => {
  const { argv, reply, node, db } = ctx;
  const args = parseAddOrTrim(ctx, true);
  if (!args) return;
  const fieldPos = args.idPos + 1;
  if (argv.length - fieldPos < 2 || (argv.length - fieldPos) % 2 === 1) return reply.wrongArity('xadd');
  if (args.id && args.id.seqGiven && args.id.id === 0n) return reply.error(Err.xaddIdZero);

  // streamTypeLookupWriteOrCreate: a new stream is added at once (before the append can fail).
  const key = keyName(argv[1]);
  const found = ctx.keyspace.lookupWrite(db, key);
  let s: StreamValue;
  if (found === undefined) {
    if (args.noMkstream) return reply.nil();
    s = newStream();
    db.set(key, s);
  } else if (!isStream(found)) {
    return reply.error(Err.wrongType);
  } else {
    s = found;
  }
  if (s.lastId === MAX_ID) return reply.error(Err.xaddExhausted);

  const added = streamAppend(s, argv.slice(fieldPos), args.id, ctx.node.options.clock.unixMs, node.config);
  if (!added.ok) return reply.error(added.reason === 'edom' ? Err.xaddIdTooSmall : Err.xaddTooLarge);
  const idText = formatId(added.id);
  reply.bulkText(idText);
  notifyKeyspaceEvent(node, NOTIFY.t, 'xadd', argv[1], db.id);
  node.dirty++;

  let rewritten: Uint8Array[] | null = null;
  if (args.strategy !== 'none') {
    if (trim(s, args)) notifyKeyspaceEvent(node, NOTIFY.t, 'xtrim', argv[1], db.id);
    if (args.approx) rewriteApproxTrim((rewritten = [...argv]), s, args);
  }
  // The ID actually added, in place of `*` or `<ms>-*`.
  if (!args.id || !args.id.seqGiven) (rewritten ??= [...argv])[args.idPos] = fromLatin1(idText);
  if (rewritten) ctx.client.propagateAs = rewritten;
  node.blocking.signalKeyAsReady(db, key, 'stream');
};

/** xrangeGenericCommand: the ends (exclusive with "("), then COUNT, then the key. */
function xrangeGeneric(ctx: CommandContext, rev: boolean): void {
  const { argv, reply } = ctx;
  const start = parseIntervalOrReply(ctx, rev ? argv[3] : argv[2], false);
  if (start === null) return;
  const end = parseIntervalOrReply(ctx, rev ? argv[2] : argv[3], true);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (option(argv[j]) === 'count' && argv.length - j - 1 >= 1) {
      const n = parseLongLong(argv[j + 1]);
      if (!n.ok) return reply.error(n.error);
      count = n.value < 0 ? 0 : Number(n.value);
      j++;
    } else {
      return reply.error(Err.syntax);
    }
  }
  const s = readStreamOrReply(ctx, argv[1], () => reply.raw(EMPTY_ARRAY));
  if (!s) return;
  if (count === 0) return reply.nullArray();
  replyRange(ctx, s, start, end, count === -1 ? 0 : count, rev);
}

const xrange: Handler = (ctx) => xrangeGeneric(ctx, false);
const xrevrange: Handler = (ctx) => xrangeGeneric(ctx, true);

const xlen: Handler = (ctx) => {
  const s = readStreamOrReply(ctx, ctx.argv[1], () => ctx.reply.raw(ZERO));
  if (s) ctx.reply.integer(s.length);
};

/** XDEL key id [id ...]: the key is looked up before the IDs are read; all of them are read before any goes. */
const xdel: Handler = (ctx) => {
  const { argv, reply, node, db } = ctx;
  const s = writeStreamOrReply(ctx, () => reply.raw(ZERO));
  if (!s) return;
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const parsed = parseIdOrReply(ctx, argv[j], 0n, true);
    if (!parsed) return;
    ids.push(parsed.id);
  }
  let deleted = 0;
  let firstEntry = false;
  for (const id of ids) {
    if (!streamDelete(s, id)) continue;
    if (id === s.firstId) firstEntry = true;
    if (id > s.maxDeletedId) s.maxDeletedId = id;
    deleted++;
  }
  if (deleted) {
    if (s.length === 0) s.firstId = 0n;
    else if (firstEntry) s.firstId = streamEdgeId(s, true, true);
    notifyKeyspaceEvent(node, NOTIFY.t, 'xdel', argv[1], db.id);
    node.dirty += deleted;
  }
  reply.integer(deleted);
};

/** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
const xtrim: Handler = (ctx) => {
  const { argv, reply, node, db } = ctx;
  const args = parseAddOrTrim(ctx, false);
  if (!args) return;
  const s = writeStreamOrReply(ctx, () => reply.raw(ZERO));
  if (!s) return;
  const deleted = trim(s, args);
  if (deleted) {
    notifyKeyspaceEvent(node, NOTIFY.t, 'xtrim', argv[1], db.id);
    if (args.approx) {
      const rewritten = [...argv];
      rewriteApproxTrim(rewritten, s, args);
      ctx.client.propagateAs = rewritten;
    }
    node.dirty += deleted;
  }
  reply.integer(deleted);
};

/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]: the arguments first, then the key. */
const xsetid: Handler = (ctx) => {
  const { argv, reply, node, db } = ctx;
  const parsed = parseIdOrReply(ctx, argv[2], 0n, true);
  if (!parsed) return;
  const id = parsed.id;
  let entriesAdded = -1n;
  let maxDeleted = 0n;
  for (let i = 3; i < argv.length; i += 2) {
    const moreArgs = argv.length - 1 - i;
    const opt = option(argv[i]);
    if (opt === 'entriesadded' && moreArgs) {
      const n = parseLongLong(argv[i + 1]);
      if (!n.ok) return reply.error(n.error);
      if (n.value < 0) return reply.error(Err.xsetidEntriesAddedNegative);
      entriesAdded = BigInt(n.value);
    } else if (opt === 'maxdeletedid' && moreArgs) {
      const max = parseIdOrReply(ctx, argv[i + 1], 0n, true);
      if (!max) return;
      if (id < max.id) return reply.error(Err.xsetidBelowMaxDeleted);
      maxDeleted = max.id;
    } else {
      return reply.error(Err.syntax);
    }
  }
  const s = writeStreamOrReply(ctx, () => reply.error(Err.noSuchKey));
  if (!s) return;
  if (s.length > 0) {
    if (id < streamLastValidId(s)) return reply.error(Err.xsetidBelowTop);
    if (entriesAdded !== -1n && BigInt(s.length) > entriesAdded) return reply.error(Err.xsetidEntriesAddedBelowLength);
  }
  s.lastId = id;
  if (entriesAdded !== -1n) s.entriesAdded = entriesAdded;
  if (maxDeleted !== 0n) s.maxDeletedId = maxDeleted;
  reply.ok();
  node.dirty++;
  notifyKeyspaceEvent(node, NOTIFY.t, 'xsetid', argv[1], db.id);
};

export const streamHandlers: Record<string, Handler> = {
  xadd,
  xlen,
  xrange,
  xrevrange,
  xdel,
  xtrim,
  xsetid,
  ...xgroupHandlers,
  ...xreadHandlers,
  ...xinfoHandlers,
};
