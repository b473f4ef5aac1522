// The range commands of the sorted set group (t_zset.c of Redis 7.0.15):
// ZRANGE in every form (by rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES)
// and ZRANGESTORE, the older ZREVRANGE, Z[REV]RANGEBYSCORE and
// Z[REV]RANGEBYLEX (all one zrangeGenericCommand with fixed options),
// ZCOUNT, ZLEXCOUNT and ZREMRANGEBYRANK/SCORE/LEX.
//
// Score ranges read their ends with strtod, as zslParseRange does: a C
// string (a NUL byte ends it), leading white space allowed, "(" for an open
// end, inf and hexadecimal forms, NaN refused, and an empty string is 0.
// Lex ranges are "-", "+", "(member" or "[member", binary after the first
// byte. With lex ranges over members of different scores, Redis's answers
// depend on the encoding (keyspace/zset.ts, firstInLexRange).
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { keyName } from '../keyspace/db.ts';
import {
  firstInLexRange,
  lastInLexRange,
  lexGteMin,
  lexLteMax,
  LEX_MAX,
  LEX_MIN,
  memberBytes,
  newZset,
  scoreGteMin,
  scoreLteMax,
  scoreRangeRanks,
  zsetAdd,
  zsetDelete,
  type LexBound,
  type LexRange,
  type ScoreRange,
  type ZsetValue,
} from '../keyspace/zset.ts';
import { strtod } from '../keyspace/zset-score.ts';
import {
  EMPTY_ARRAY,
  isZset,
  lookupReadOrReply,
  option,
  parseLong,
  replyPair,
  replyPairsHeader,
  storeZset,
  ZERO,
} from './zset-common.ts';

// --- parsing ranges

/** One end of a score range, or null when it is not a float. */
function scoreEnd(arg: Uint8Array): { value: number; ex: boolean } | null {
  const ex = arg.length > 0 && arg[0] === 0x28; /* ( */
  const text = ex ? arg.subarray(1) : arg;
  const r = strtod(text);
  // Read to the end of the C string: the bytes' end or a NUL.
  if ((r.end < text.length && text[r.end] !== 0) || Number.isNaN(r.value)) return null;
  return { value: r.value, ex };
}

/** zslParseRange. */
export function parseScoreRange(minArg: Uint8Array, maxArg: Uint8Array): ScoreRange | null {
  const min = scoreEnd(minArg);
  const max = min && scoreEnd(maxArg);
  if (!min || !max) return null;
  return { min: min.value, minex: min.ex, max: max.value, maxex: max.ex };
}

/** zslParseLexRangeItem: "+" and "-" alone (up to a NUL byte), or "(" / "[" and the member. */
function lexEnd(arg: Uint8Array): { bound: LexBound; ex: boolean } | null {
  const first = arg.length > 0 ? arg[0] : 0;
  const alone = arg.length === 1 || arg[1] === 0;
  if (first === 0x2b /* + */) return alone ? { bound: LEX_MAX, ex: true } : null;
  if (first === 0x2d /* - */) return alone ? { bound: LEX_MIN, ex: true } : null;
  if (first === 0x28 /* ( */ || first === 0x5b /* [ */) {
    let name = '';
    for (let i = 1; i < arg.length; i++) name += String.fromCharCode(arg[i]);
    return { bound: name, ex: first === 0x28 };
  }
  return null;
}

/** zslParseLexRange. */
export function parseLexRange(minArg: Uint8Array, maxArg: Uint8Array): LexRange | null {
  const min = lexEnd(minArg);
  const max = lexEnd(maxArg);
  if (!min || !max) return null;
  return { min: min.bound, minex: min.ex, max: max.bound, maxex: max.ex };
}

// --- ranges as ranks

/** A run of the order: `count` members from rank `from`, walking down when `reverse`. */
interface Run {
  readonly from: number;
  readonly count: number;
  readonly reverse: boolean;
}

const NO_RUN: Run = { from: 0, count: 0, reverse: false };

/** genericZrangebyrankCommand's index arithmetic: start and end, negative from the end. */
function rankRun(size: number, startArg: number, endArg: number, reverse: boolean): Run {
  let start = startArg < 0 ? size + startArg : startArg;
  let end = endArg < 0 ? size + endArg : endArg;
  if (start < 0) start = 0;
  if (start > end || start >= size) return NO_RUN;
  if (end >= size) end = size - 1;
  return { from: reverse ? size - 1 - start : start, count: end - start + 1, reverse };
}

/**
 * The members from `start` (a rank), skipping `offset`, then up to `limit`
 * (negative: no limit) while `inRange` holds: the walk of
 * genericZrangebyscoreCommand and genericZrangebylexCommand. A negative
 * offset walks off the end (Redis's `while (eptr && offset--)`).
 */
function boundedRun(zset: ZsetValue, start: number, offset: number, limit: number, reverse: boolean, inRange: (s: number, m: string) => boolean): Run {
  const size = zset.dict.size;
  if (start < 0 || offset < 0) return NO_RUN;
  const from = reverse ? start - offset : start + offset;
  if (from < 0 || from >= size) return NO_RUN;
  let count = 0;
  zset.tree.walk(from, reverse, (s, m) => {
    if (count === limit || !inRange(s, m)) return false;
    count++;
  });
  return { from, count, reverse };
}

function scoreRun(zset: ZsetValue, range: ScoreRange, offset: number, limit: number, reverse: boolean): Run {
  // For an invalid offset, nothing at once.
  if (offset > 0 && offset >= zset.dict.size) return NO_RUN;
  const ranks = scoreRangeRanks(zset, range);
  if (!ranks) return NO_RUN;
  const inRange = reverse ? (s: number) => scoreGteMin(s, range) : (s: number) => scoreLteMax(s, range);
  return boundedRun(zset, reverse ? ranks.last : ranks.first, offset, limit, reverse, inRange);
}

function lexRun(zset: ZsetValue, range: LexRange, offset: number, limit: number, reverse: boolean): Run {
  const start = reverse ? lastInLexRange(zset, range) : firstInLexRange(zset, range);
  const inRange = reverse ? (_s: number, m: string) => lexGteMin(m, range) : (_s: number, m: string) => lexLteMax(m, range);
  return boundedRun(zset, start, offset, limit, reverse, inRange);
}

// --- ZRANGE and its family

type RangeType = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** The command line's form: where the source key is, and what the command fixes. */
interface RangeForm {
  /** argv index of the source key; min and max follow it. */
  readonly keyIndex: number;
  /** ZRANGESTORE: argv[1] is the destination. */
  readonly store: boolean;
  readonly type: RangeType;
  readonly direction: Direction;
}

/** zrangeGenericCommand. */
function zrangeGeneric(ctx: CommandContext, form: RangeForm): void {
  const { argv, reply, node } = ctx;
  let type = form.type;
  let direction = form.direction;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  // Step 1: the options after <src> <min> <max>, errors as met.
  for (let j = form.keyIndex + 3; j < argv.length; j++) {
    const opt = option(argv[j]);
    const left = argv.length - j - 1;
    if (!form.store && opt === 'withscores') {
      withScores = true;
    } else if (opt === 'limit' && left >= 2) {
      const o = parseLong(argv[j + 1]);
      if (!o.ok) return reply.error(o.error);
      const l = parseLong(argv[j + 2]);
      if (!l.ok) return reply.error(l.error);
      offset = o.value;
      limit = l.value;
      j += 2;
    } else if (direction === 'auto' && opt === 'rev') {
      direction = 'reverse';
    } else if (type === 'auto' && opt === 'bylex') {
      type = 'lex';
    } else if (type === 'auto' && opt === 'byscore') {
      type = 'score';
    } else {
      return reply.error(Err.syntax);
    }
  }
  if (direction === 'auto') direction = 'forward';
  if (type === 'auto') type = 'rank';
  if (limit !== -1 && type === 'rank') return reply.error(Err.zrangeLimitWithRank);
  if (withScores && type === 'lex') return reply.error(Err.zrangeWithscoresWithLex);
  const reverse = direction === 'reverse';
  // Scores and lex ranges are given as max then min when reversed.
  let minArg = argv[form.keyIndex + 1];
  let maxArg = argv[form.keyIndex + 2];
  if (reverse && type !== 'rank') [minArg, maxArg] = [maxArg, minArg];

  // Step 2: the range.
  let pick: (zset: ZsetValue) => Run;
  if (type === 'rank') {
    const start = parseLong(minArg);
    if (!start.ok) return reply.error(start.error);
    const end = parseLong(maxArg);
    if (!end.ok) return reply.error(end.error);
    pick = (zset) => rankRun(zset.dict.size, start.value, end.value, reverse);
  } else if (type === 'score') {
    const range = parseScoreRange(minArg, maxArg);
    if (!range) return reply.error(Err.minMaxNotFloat);
    pick = (zset) => scoreRun(zset, range, offset, limit, reverse);
  } else {
    const range = parseLexRange(minArg, maxArg);
    if (!range) return reply.error(Err.minMaxNotLexItem);
    pick = (zset) => lexRun(zset, range, offset, limit, reverse);
  }

  // Step 3: the key, then the result to the client or into the destination.
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(argv[form.keyIndex]));
  if (value !== undefined && !isZset(value)) return reply.error(Err.wrongType);
  const run = value === undefined ? NO_RUN : pick(value);
  if (!form.store) {
    if (value === undefined) return reply.raw(EMPTY_ARRAY);
    replyPairsHeader(reply, run.count, withScores);
    let left = run.count;
    value.tree.walk(run.from, run.reverse, (s, m) => {
      if (left-- === 0) return false;
      replyPair(reply, memberBytes(m), s, withScores);
    });
    return;
  }
  // zrangeResultBeginStore: a skiplist for a rank range known to be too
  // long, a listpack otherwise; each member then goes in through zsetAdd.
  const result = newZset(type === 'rank' && run.count > node.config.zsetMaxListpackEntries ? 'skiplist' : 'listpack');
  let left = run.count;
  value?.tree.walk(run.from, run.reverse, (s, m) => {
    if (left-- === 0) return false;
    zsetAdd(result, s, m, 0, node.config);
  });
  storeZset(ctx, argv[1], result, 'zrangestore');
}

const zrange: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 1, store: false, type: 'auto', direction: 'auto' });
const zrangestore: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 2, store: true, type: 'auto', direction: 'auto' });
const zrevrange: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 1, store: false, type: 'rank', direction: 'reverse' });
const zrangebyscore: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 1, store: false, type: 'score', direction: 'forward' });
const zrevrangebyscore: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 1, store: false, type: 'score', direction: 'reverse' });
const zrangebylex: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 1, store: false, type: 'lex', direction: 'forward' });
const zrevrangebylex: Handler = (ctx) => zrangeGeneric(ctx, { keyIndex: 1, store: false, type: 'lex', direction: 'reverse' });

// --- ZCOUNT, ZLEXCOUNT

const zcount: Handler = (ctx) => {
  const range = parseScoreRange(ctx.argv[2], ctx.argv[3]);
  if (!range) return ctx.reply.error(Err.minMaxNotFloat);
  const zset = lookupReadOrReply(ctx, 1, () => ctx.reply.raw(ZERO));
  if (!zset) return;
  const ranks = scoreRangeRanks(zset, range);
  ctx.reply.integer(ranks ? ranks.last - ranks.first + 1 : 0);
};

/**
 * ZLEXCOUNT: a listpack counts from the first member in range while they
 * stay in it; a skiplist subtracts ranks (the two differ only where lex
 * ranges are not meant to be used: members of different scores).
 */
const zlexcount: Handler = (ctx) => {
  const range = parseLexRange(ctx.argv[2], ctx.argv[3]);
  if (!range) return ctx.reply.error(Err.minMaxNotLexItem);
  const zset = lookupReadOrReply(ctx, 1, () => ctx.reply.raw(ZERO));
  if (!zset) return;
  const first = firstInLexRange(zset, range);
  if (first < 0) return ctx.reply.raw(ZERO);
  const size = zset.dict.size;
  if (zset.encoding === 'listpack') {
    return ctx.reply.integer(lexRun(zset, range, 0, -1, false).count);
  }
  let count = size - first;
  const last = lastInLexRange(zset, range);
  if (last >= 0) count -= size - 1 - last;
  ctx.reply.integer(count);
};

// --- ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX

/** zremrangeGenericCommand: the range is parsed first, then the key is looked up; `event` is the command's name. */
function zremrangeGeneric(ctx: CommandContext, event: string, pick: (zset: ZsetValue) => Run): void {
  const { argv, reply, db, keyspace, node } = ctx;
  const key = keyName(argv[1]);
  const zset = keyspace.lookupWrite(db, key);
  if (zset === undefined) return reply.raw(ZERO);
  if (!isZset(zset)) return reply.error(Err.wrongType);
  const run = pick(zset);
  const members: string[] = [];
  if (run.count > 0) zset.tree.walk(run.from, false, (_s, m) => members.push(m) < run.count);
  for (const m of members) zsetDelete(zset, m);
  const keyRemoved = zset.dict.size === 0;
  if (keyRemoved) db.delete(key);
  if (members.length) {
    notifyKeyspaceEvent(node, NOTIFY.z, event, argv[1], db.id);
    if (keyRemoved) notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
  }
  node.dirty += members.length;
  reply.integer(members.length);
}

const zremrangebyrank: Handler = (ctx) => {
  const start = parseLong(ctx.argv[2]);
  if (!start.ok) return ctx.reply.error(start.error);
  const end = parseLong(ctx.argv[3]);
  if (!end.ok) return ctx.reply.error(end.error);
  zremrangeGeneric(ctx, 'zremrangebyrank', (zset) => rankRun(zset.dict.size, start.value, end.value, false));
};

const zremrangebyscore: Handler = (ctx) => {
  const range = parseScoreRange(ctx.argv[2], ctx.argv[3]);
  if (!range) return ctx.reply.error(Err.minMaxNotFloat);
  zremrangeGeneric(ctx, 'zremrangebyscore', (zset) => scoreRun(zset, range, 0, -1, false));
};

const zremrangebylex: Handler = (ctx) => {
  const range = parseLexRange(ctx.argv[2], ctx.argv[3]);
  if (!range) return ctx.reply.error(Err.minMaxNotLexItem);
  zremrangeGeneric(ctx, 'zremrangebylex', (zset) => lexRun(zset, range, 0, -1, false));
};

export const zsetRangeHandlers: Record<string, Handler> = {
  zrange,
  zrangestore,
  zrevrange,
  zrangebyscore,
  zrevrangebyscore,
  zrangebylex,
  zrevrangebylex,
  zcount,
  zlexcount,
  zremrangebyrank,
  zremrangebyscore,
  zremrangebylex,
};
