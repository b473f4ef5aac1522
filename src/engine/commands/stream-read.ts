// XREAD and XREADGROUP (xreadCommand of t_stream.c, Redis 7.0.15), with
// BLOCK through the node's blocking machinery (blocking.ts), served as
// serveClientsBlockedOnStreamKey of blocked.c serves them.
//
// The reply is an array of [key, entries] (a map key -> entries in RESP3)
// for the streams that had something, or a null array. XREADGROUP with ">"
// delivers new entries and records them in the group's and the consumer's
// PEL (unless NOACK); with an ID it replays the consumer's own PEL from
// there. XREADGROUP is never propagated as itself: what it did goes out as
// XCLAIM ... (one per delivered entry), XGROUP SETID (NOACK) and XGROUP
// CREATECONSUMER (a consumer NOACK created), see stream-common.ts.
//
// A blocked XREAD waits for an entry beyond the ID it asked from (for "$",
// the stream's last ID when it blocked); a blocked XREADGROUP for an entry
// beyond its group's last ID at the time it is served, and is answered
// -NOGROUP when the group was destroyed and -UNBLOCKED when the stream was
// deleted or replaced by another type (Db.onUnlink tells the node). At most
// COUNT entries (1000 without COUNT) are served to a blocked client.
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1 } from '../bytes.ts';
import { denyBlocking } from '../blocking.ts';
import { keyName, type Db, type KeyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { MAX_ID, parseStreamId, type StreamId } from '../keyspace/stream-id.ts';
import { lookupGroup, streamLastValidId, type StreamGroup, type StreamValue } from '../keyspace/stream.ts';
import type { RedisNode } from '../node.ts';
import { parseLongLong } from './args.ts';
import { blockingTimeout } from './timeout.ts';
import { cText, isStream, lookupOrCreateConsumer, option, propagateConsumerCreation, replyConsumerHistory, replyRange, scratch } from './stream-common.ts';

/** XREAD_BLOCKED_DEFAULT_COUNT: a blocked client without COUNT is served at most this many entries. */
const BLOCKED_DEFAULT_COUNT = 1000;

interface ReadArgs {
  /** Unix ms the block ends at, 0 for never; null without BLOCK. */
  readonly block: number | null;
  readonly count: number;
  readonly keys: readonly Uint8Array[];
  readonly groupName: Uint8Array | null;
  readonly consumerName: Uint8Array | null;
  readonly noack: boolean;
}

/** The options before STREAMS; null after an error reply. */
function parseOptions(ctx: CommandContext, xreadgroup: boolean): (ReadArgs & { idsAt: number }) | null {
  const { argv, reply, client } = ctx;
  let block: number | null = null;
  let count = 0;
  let streamsAt = 0;
  let streams = 0;
  let groupName: Uint8Array | null = null;
  let consumerName: Uint8Array | null = null;
  let noack = false;
  for (let i = 1; i < argv.length; i++) {
    const moreArgs = argv.length - i - 1;
    const o = option(argv[i]);
    if (o === 'block' && moreArgs) {
      if (client.script) return void reply.error(Err.xreadBlockInScript(latin1(cString(argv[0])))), null;
      const t = blockingTimeout(ctx, argv[++i], 'milliseconds');
      if (t === null) return null;
      block = t;
    } else if (o === 'count' && moreArgs) {
      const n = parseLongLong(argv[++i]);
      if (!n.ok) return void reply.error(n.error), null;
      // A count beyond any stream's length reads everything.
      count = n.value < 0 ? 0 : Number(n.value > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n.value);
    } else if (o === 'streams' && moreArgs) {
      streamsAt = i + 1;
      streams = argv.length - streamsAt;
      if (streams % 2 !== 0) return void reply.error(Err.xreadUnbalanced), null;
      streams /= 2;
      break;
    } else if (o === 'group' && moreArgs >= 2) {
      if (!xreadgroup) return void reply.error(Err.xreadGroupOption), null;
      groupName = argv[i + 1];
      consumerName = argv[i + 2];
      i += 2;
    } else if (o === 'noack') {
      if (!xreadgroup) return void reply.error(Err.xreadNoackOption), null;
      noack = true;
    } else {
      return void reply.error(Err.syntax), null;
    }
  }
  if (streamsAt === 0) return void reply.error(Err.syntax), null;
  if (xreadgroup && !groupName) return void reply.error(Err.xreadgroupMissingGroup), null;
  return { block, count, keys: argv.slice(streamsAt, streamsAt + streams), groupName, consumerName, noack, idsAt: streamsAt + streams };
}

/** xreadCommand for XREAD and XREADGROUP. */
function xreadGeneric(ctx: CommandContext, xreadgroup: boolean): void {
  const { argv, reply, client, node, db, keyspace } = ctx;
  // What this command did goes out as other commands, or not at all.
  client.preventPropagation = true;
  const args = parseOptions(ctx, xreadgroup);
  if (!args) return;
  const { keys, groupName } = args;
  const ids: StreamId[] = [];
  const groups: StreamGroup[] = [];
  for (let k = 0; k < keys.length; k++) {
    const value = keyspace.lookupRead(db, keyName(keys[k]));
    if (value !== undefined && !isStream(value)) return reply.error(Err.wrongType);
    if (groupName) {
      const group = value ? lookupGroup(value, groupName) : undefined;
      if (!group) return reply.error(Err.xreadgroupNoGroup(cText(keys[k]), cText(groupName)));
      groups.push(group);
    }
    const idArg = cString(argv[args.idsAt + k]);
    if (idArg.length === 1 && idArg[0] === 0x24) {
      if (xreadgroup) return reply.error(Err.xreadgroupDollar);
      ids.push(value ? value.lastId : 0n);
    } else if (idArg.length === 1 && idArg[0] === 0x3e) {
      if (!xreadgroup) return reply.error(Err.xreadGreaterId);
      // ">": the group's last ID, read when serving.
      ids.push(MAX_ID);
    } else {
      const parsed = parseStreamId(argv[args.idsAt + k], 0n, true);
      if (!parsed) return reply.error(Err.streamInvalidId);
      ids.push(parsed.id);
    }
  }

  // Served at once where there is something to serve.
  const out = scratch(reply);
  let served = 0;
  const saved = ctx.reply;
  for (let k = 0; k < keys.length; k++) {
    const key = keyName(keys[k]);
    const value = keyspace.lookupRead(db, key);
    if (value === undefined) continue;
    const s = value as StreamValue;
    let gt = ids[k];
    let history = false;
    let serve = false;
    if (groupName) {
      if (gt !== MAX_ID) {
        serve = true;
        history = true;
      } else if (s.length && streamLastValidId(s) > groups[k].lastId) {
        serve = true;
        gt = groups[k].lastId;
      }
    } else if (s.length && streamLastValidId(s) > gt) {
      serve = true;
    }
    if (!serve) continue;
    served++;
    if (out.protocol === 2) out.arrayHeader(2);
    out.bulk(keys[k]);
    // The entries go to the scratch writer too: the number of streams comes first.
    const sub: CommandContext = { ...ctx, reply: out };
    const start = gt === MAX_ID ? 0n : gt + 1n;
    if (groupName) {
      db.snapshot?.preserve(key);
      // A consumer created here notifies now: Redis writes that push after this stream's name and before
      // its entries, inside the reply (whose header the engine writes last), so it moves into the reply.
      const mark = saved.size;
      const { consumer, created } = lookupOrCreateConsumer(sub, groups[k], args.consumerName!, keys[k]);
      if (saved.size > mark) out.raw(saved.takeTail(mark));
      if (created && args.noack) propagateConsumerCreation(sub, keys[k], groupName, consumer);
      if (history) replyConsumerHistory(sub, s, start, args.count, consumer);
      else replyRange(sub, s, start, MAX_ID, args.count, false, { group: groups[k], consumer, noack: args.noack, key: keys[k], groupName });
      node.dirty++;
    } else {
      replyRange(sub, s, start, MAX_ID, args.count, false);
    }
  }
  if (served) {
    if (saved.protocol === 2) saved.arrayHeader(served);
    else saved.mapHeader(served);
    saved.raw(out.take());
    return;
  }
  if (args.block === null || denyBlocking(client)) return reply.nullArray();
  blockForStreams(ctx, args, ids);
}

/** blockForKeys with BLOCKED_STREAM: the client waits for entries beyond `ids`. */
function blockForStreams(ctx: CommandContext, args: ReadArgs, ids: readonly StreamId[]): void {
  const { node, db } = ctx;
  const count = args.count || BLOCKED_DEFAULT_COUNT;
  const gtFor = new Map<KeyName, StreamId>();
  args.keys.forEach((k, i) => {
    const name = keyName(k);
    if (!gtFor.has(name)) gtFor.set(name, ids[i]);
  });
  const groupName = args.groupName;
  if (groupName) watchStreamUnlinks(node, db);
  node.blocking.block(ctx, {
    type: 'stream',
    keys: args.keys,
    timeout: args.block!,
    serve: (name, value) => {
      const s = value as StreamValue;
      const key = fromLatin1(name);
      let gt = gtFor.get(name)!;
      let group: StreamGroup | undefined;
      if (groupName) {
        group = lookupGroup(s, groupName);
        if (!group) {
          ctx.reply.error(Err.xreadgroupGroupGone);
          return true;
        }
        gt = group.lastId;
      }
      if (s.lastId <= gt) return false;
      const start = gt + 1n;
      const reply = ctx.reply;
      if (reply.protocol === 2) {
        reply.arrayHeader(1);
        reply.arrayHeader(2);
      } else {
        reply.mapHeader(1);
      }
      reply.bulk(key);
      if (group) {
        ctx.keyspace.lookupWrite(db, name);
        const { consumer, created } = lookupOrCreateConsumer(ctx, group, args.consumerName!, key);
        if (created && args.noack) propagateConsumerCreation(ctx, key, groupName!, consumer);
        replyRange(ctx, s, start, MAX_ID, count, false, { group, consumer, noack: args.noack, key, groupName: groupName! });
      } else {
        replyRange(ctx, s, start, MAX_ID, count, false);
      }
      return true;
    },
    lost: groupName
      ? () => {
          ctx.reply.error(Err.xreadgroupStreamGone);
          return true;
        }
      : undefined,
  });
}

/**
 * dbGenericDelete and dbOverwrite signal a stream key that goes (for
 * XREADGROUP clients, which are then answered -UNBLOCKED): the databases
 * tell the node while such clients wait, and stop once no client waits.
 */
function watchStreamUnlinks(node: RedisNode, db: Db): void {
  if (db.onUnlink) return;
  db.onUnlink = (d: Db, key: KeyName, old: RedisValue) => {
    if (node.blocking.waitingClients === 0) {
      d.onUnlink = null;
      return;
    }
    if (old.type === 'stream') node.blocking.signalKeyAsReady(d, key, 'stream');
  };
}

const xread: Handler = (ctx) => xreadGeneric(ctx, false);
const xreadgroup: Handler = (ctx) => xreadGeneric(ctx, true);

export const xreadHandlers: Record<string, Handler> = { xread, xreadgroup };
