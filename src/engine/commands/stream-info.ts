// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO
// HELP (xinfoCommand of t_stream.c, Redis 7.0.15). Maps are flat arrays in
// RESP2. Groups and consumers are listed in name order (their radix trees'
// order); XINFO CONSUMERS gives 7.0's three fields (name, pending, idle:
// "inactive" came in 7.2).
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { MAX_ID } from '../keyspace/stream-id.ts';
import {
  groupLag,
  INVALID_ENTRIES_READ,
  lookupGroup,
  rangeEntryFields,
  raxShape,
  sortedByName,
  streamRange,
  u64Signed,
  type StreamGroup,
  type StreamNack,
  type StreamValue,
} from '../keyspace/stream.ts';
import type { IdMap } from '../keyspace/stream-idmap.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { parseLongLong } from './args.ts';
import { writeHelp, subcommandSyntaxError } from './help.ts';
import { cText, nowMs, option, readStreamOrReply, replyEntry, replyId, replyRange } from './stream-common.ts';

const XINFO_HELP = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

/** A long long, or null, as XINFO prints entries-read and lag. */
function integerOrNull(reply: ReplyWriter, v: bigint | null): void {
  if (v === null) reply.nil();
  else reply.integer(v);
}

function entriesRead(group: StreamGroup): bigint | null {
  return group.entriesRead === INVALID_ENTRIES_READ ? null : group.entriesRead;
}

/** The first or last entry ([id, fields]), or a null. */
function edgeEntry(reply: ReplyWriter, s: StreamValue, last: boolean): void {
  for (const e of streamRange(s, 0n, MAX_ID, last)) return replyEntry(reply, e.id, rangeEntryFields(e));
  reply.nil();
}

/** xinfoReplyWithStreamInfo. */
function streamInfo(ctx: CommandContext, s: StreamValue): void {
  const { argv, reply } = ctx;
  const opts = argv.length - 3;
  let full = false;
  let count = 10;
  if (opts > 0) {
    if ((opts !== 1 && opts !== 3) || option(argv[3]) !== 'full') return reply.error(subcommandSyntaxError(argv));
    if (opts === 3) {
      if (option(argv[4]) !== 'count') return reply.error(subcommandSyntaxError(argv));
      const n = parseLongLong(argv[5]);
      if (!n.ok) return reply.error(n.error);
      count = n.value < 0 ? 10 : Number(n.value > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : n.value);
    }
    full = true;
  }
  const shape = raxShape(s);
  reply.mapHeader(full ? 9 : 10);
  reply.bulkText('length');
  reply.integer(s.length);
  reply.bulkText('radix-tree-keys');
  reply.integer(shape.keys);
  reply.bulkText('radix-tree-nodes');
  reply.integer(shape.nodes);
  reply.bulkText('last-generated-id');
  replyId(reply, s.lastId);
  reply.bulkText('max-deleted-entry-id');
  replyId(reply, s.maxDeletedId);
  reply.bulkText('entries-added');
  reply.integer(BigInt.asIntN(64, s.entriesAdded));
  reply.bulkText('recorded-first-entry-id');
  replyId(reply, s.firstId);
  if (!full) {
    reply.bulkText('groups');
    reply.integer(s.groups?.size ?? 0);
    reply.bulkText('first-entry');
    edgeEntry(reply, s, false);
    reply.bulkText('last-entry');
    edgeEntry(reply, s, true);
    return;
  }
  reply.bulkText('entries');
  replyRange(ctx, s, 0n, MAX_ID, count, false);
  reply.bulkText('groups');
  const groups = sortedByName(s.groups);
  reply.arrayHeader(groups.length);
  for (const g of groups) {
    reply.mapHeader(7);
    reply.bulkText('name');
    reply.bulk(g.name);
    reply.bulkText('last-delivered-id');
    replyId(reply, g.lastId);
    reply.bulkText('entries-read');
    integerOrNull(reply, entriesRead(g));
    reply.bulkText('lag');
    integerOrNull(reply, groupLag(s, g));
    reply.bulkText('pel-count');
    reply.integer(g.pel.size);
    reply.bulkText('pending');
    replyPel(reply, g.pel, count, true);
    reply.bulkText('consumers');
    const consumers = sortedByName(g.consumers);
    reply.arrayHeader(consumers.length);
    for (const c of consumers) {
      reply.mapHeader(4);
      reply.bulkText('name');
      reply.bulk(c.name);
      reply.bulkText('seen-time');
      reply.integer(c.seenTime);
      reply.bulkText('pel-count');
      reply.integer(c.pel.size);
      reply.bulkText('pending');
      replyPel(reply, c.pel, count, false);
    }
  }
}

/** xinfoCommand: HELP, or a subcommand on a stream that must exist. */
const xinfo: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const sub = option(argv[1]);
  if (sub === 'help') return writeHelp(reply, argv[0], XINFO_HELP);
  const s = readStreamOrReply(ctx, argv[2], () => reply.error(Err.noSuchKey));
  if (!s) return;
  if (sub === 'consumers' && argv.length === 4) {
    const group = lookupGroup(s, argv[3]);
    if (!group) return reply.error(Err.noSuchGroup(cText(argv[3]), cText(argv[2])));
    const consumers = sortedByName(group.consumers);
    const now = nowMs(ctx);
    reply.arrayHeader(consumers.length);
    for (const c of consumers) {
      const idle = typeof c.seenTime === 'number' ? now - c.seenTime : BigInt.asIntN(64, BigInt(now) - c.seenTime);
      reply.mapHeader(3);
      reply.bulkText('name');
      reply.bulk(c.name);
      reply.bulkText('pending');
      reply.integer(c.pel.size);
      reply.bulkText('idle');
      reply.integer(idle < 0 ? 0 : idle);
    }
  } else if (sub === 'groups' && argv.length === 3) {
    const groups = sortedByName(s.groups);
    reply.arrayHeader(groups.length);
    for (const g of groups) {
      reply.mapHeader(6);
      reply.bulkText('name');
      reply.bulk(g.name);
      reply.bulkText('consumers');
      reply.integer(g.consumers.size);
      reply.bulkText('pending');
      reply.integer(g.pel.size);
      reply.bulkText('last-delivered-id');
      replyId(reply, g.lastId);
      reply.bulkText('entries-read');
      integerOrNull(reply, entriesRead(g));
      reply.bulkText('lag');
      integerOrNull(reply, groupLag(s, g));
    }
  } else if (sub === 'stream') {
    streamInfo(ctx, s);
  } else {
    reply.error(subcommandSyntaxError(argv));
  }
};

export const xinfoHandlers: Record<string, Handler> = {
  'xinfo|consumers': xinfo,
  'xinfo|groups': xinfo,
  'xinfo|stream': xinfo,
  'xinfo|help': xinfo,
};

/** XINFO STREAM FULL's pending lists: a PEL's first `count` entries (all with 0), the group's with each entry's consumer. */
function replyPel(reply: ReplyWriter, pel: IdMap<StreamNack>, count: number, withConsumer: boolean): void {
  const n = count ? Math.min(count, pel.size) : pel.size;
  reply.arrayHeader(n);
  let i = 0;
  for (const [id, nack] of pel.entries()) {
    if (i++ === n) break;
    reply.arrayHeader(withConsumer ? 4 : 3);
    replyId(reply, id);
    if (withConsumer) reply.bulk(nack.consumer!.name);
    reply.integer(nack.deliveryTime);
    reply.integer(u64Signed(nack.deliveryCount));
  }
}
