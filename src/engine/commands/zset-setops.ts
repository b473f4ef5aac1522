// ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD: one
// zunionInterDiffGenericCommand (t_zset.c of Redis 7.0.15).
//
// Inputs may be sorted sets or sets; a set's members count with score 1.
// The keys are all looked up (and type-checked) before the options are
// read. Except for ZDIFF, the inputs are then sorted by size, smallest
// first (a stable sort, as glibc's qsort is a merge sort), and that order
// decides the order in which WEIGHTS-scaled scores are summed, so sums of
// doubles come out as Redis's do. A weighted score that is NaN (inf * 0)
// counts as 0, and so does a SUM that gives NaN (inf + -inf). A zset is read
// from its highest score down, as zuiNext walks it. The result is built as
// a skiplist; stored, it becomes a listpack when it is small enough.
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { keyName } from '../keyspace/db.ts';
import { setHas, setMembers, setSize, type SetValue } from '../keyspace/set.ts';
import {
  memberBytes,
  memberName,
  newZset,
  zsetConvertToListpackIfNeeded,
  zsetInsertNew,
  type ZsetValue,
} from '../keyspace/zset.ts';
import { string2d } from '../keyspace/zset-score.ts';
import { option, parseLong, parseLongAtLeast, replyPair, replyPairsHeader, storeZset } from './zset-common.ts';

type Op = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

/** zsetopsrc: an input (null for a missing key) and its weight. */
interface Source {
  readonly value: ZsetValue | SetValue | null;
  weight: number;
}

function sourceSize(src: Source): number {
  if (!src.value) return 0;
  return src.value.type === 'zset' ? src.value.dict.size : setSize(src.value);
}

/** zuiNext over a whole input: a zset from its highest score down, a set in its order with score 1. */
function eachMember(src: Source, visit: (member: string, score: number) => void): void {
  const value = src.value;
  if (!value) return;
  if (value.type === 'zset') {
    value.tree.forEach((score, member) => visit(member, score), true);
    return;
  }
  for (const member of setMembers(value)) visit(memberName(member), 1);
}

/** zuiFind: the member's score in an input (1 in a set), or undefined. */
function findMember(src: Source, member: string): number | undefined {
  const value = src.value;
  if (!value) return undefined;
  if (value.type === 'zset') return value.dict.get(member);
  return setHas(value, memberBytes(member)) ? 1 : undefined;
}

/** zunionInterAggregate. */
function aggregate(target: number, value: number, how: Aggregate): number {
  if (how === 'sum') {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === 'min') return value < target ? value : target;
  return value > target ? value : target;
}

/** The score an input gives a member: weight * score, NaN taken as 0. */
function weighted(src: Source, score: number): number {
  const v = src.weight * score;
  return Number.isNaN(v) ? 0 : v;
}

/** What the command does with the result. */
type Mode = { readonly kind: 'reply' } | { readonly kind: 'store'; readonly dstkey: Uint8Array } | { readonly kind: 'card' };

function zunionInterDiffGeneric(ctx: CommandContext, fullname: string, numkeysIndex: number, op: Op, mode: Mode): void {
  const { argv, reply, db, keyspace, node } = ctx;
  const setnum = parseLong(argv[numkeysIndex]);
  if (!setnum.ok) return reply.error(setnum.error);
  if (setnum.value < 1) return reply.error(Err.atLeastOneInputKey(fullname));
  if (setnum.value > argv.length - (numkeysIndex + 1)) return reply.error(Err.syntax);
  const n = setnum.value;

  const sources: Source[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < n; i++, j++) {
    const value = keyspace.lookupRead(db, keyName(argv[j]));
    if (value !== undefined && value.type !== 'zset' && value.type !== 'set') return reply.error(Err.wrongType);
    sources.push({ value: value ?? null, weight: 1 });
  }

  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  const card = mode.kind === 'card';
  while (j < argv.length) {
    const remaining = argv.length - j;
    const opt = option(argv[j]);
    if (op !== 'diff' && !card && remaining >= n + 1 && opt === 'weights') {
      j++;
      for (const src of sources) {
        const weight = string2d(argv[j++]);
        if (weight === null) return reply.error(Err.weightNotFloat);
        src.weight = weight;
      }
    } else if (op !== 'diff' && !card && remaining >= 2 && opt === 'aggregate') {
      const which = option(argv[j + 1]);
      if (which !== 'sum' && which !== 'min' && which !== 'max') return reply.error(Err.syntax);
      how = which;
      j += 2;
    } else if (mode.kind === 'reply' && opt === 'withscores') {
      withScores = true;
      j++;
    } else if (card && remaining >= 2 && opt === 'limit') {
      const parsed = parseLongAtLeast(argv[j + 1], 0, Err.limitNegative);
      if (!parsed.ok) return reply.error(parsed.error);
      limit = parsed.value;
      j += 2;
    } else {
      return reply.error(Err.syntax);
    }
  }

  // Stable, smallest first: the order scores are aggregated in.
  if (op !== 'diff') sources.sort((a, b) => sourceSize(a) - sourceSize(b));
  const result = newZset('skiplist');
  let cardinality = 0;
  const first = sources[0];

  if (op === 'inter') {
    if (sourceSize(first) > 0) {
      let stop = false;
      eachMember(first, (member, s) => {
        if (stop) return;
        let score = weighted(first, s);
        for (let k = 1; k < sources.length; k++) {
          const src = sources[k];
          // The same key twice: its own score (Redis reads the object being walked directly).
          const found = src.value === first.value ? s : findMember(src, member);
          if (found === undefined) return;
          score = aggregate(score, found * src.weight, how);
        }
        if (card) {
          cardinality++;
          if (limit && cardinality >= limit) stop = true;
        } else {
          zsetInsertNew(result, score, member);
        }
      });
    }
  } else if (op === 'union') {
    const accumulator = new Map<string, number>();
    for (const src of sources) {
      eachMember(src, (member, s) => {
        const score = weighted(src, s);
        const existing = accumulator.get(member);
        accumulator.set(member, existing === undefined ? score : aggregate(existing, score, how));
      });
    }
    for (const [member, score] of accumulator) zsetInsertNew(result, score, member);
  } else if (sourceSize(first) > 0 && !sources.some((src, k) => k > 0 && src.value === first.value)) {
    // zdiff: the first input's members that no other input has, with their scores.
    eachMember(first, (member, s) => {
      for (let k = 1; k < sources.length; k++) if (findMember(sources[k], member) !== undefined) return;
      zsetInsertNew(result, s, member);
    });
  }

  if (mode.kind === 'store') {
    zsetConvertToListpackIfNeeded(result, node.config);
    return storeZset(ctx, mode.dstkey, result, `z${op}store`);
  }
  if (card) return reply.integer(cardinality);
  replyPairsHeader(reply, result.dict.size, withScores);
  result.tree.forEach((score, member) => replyPair(reply, memberBytes(member), score, withScores));
}

const zunion: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zunion', 1, 'union', { kind: 'reply' });
const zinter: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zinter', 1, 'inter', { kind: 'reply' });
const zdiff: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zdiff', 1, 'diff', { kind: 'reply' });
const zintercard: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zintercard', 1, 'inter', { kind: 'card' });
const zunionstore: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zunionstore', 2, 'union', { kind: 'store', dstkey: ctx.argv[1] });
const zinterstore: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zinterstore', 2, 'inter', { kind: 'store', dstkey: ctx.argv[1] });
const zdiffstore: Handler = (ctx) => zunionInterDiffGeneric(ctx, 'zdiffstore', 2, 'diff', { kind: 'store', dstkey: ctx.argv[1] });

export const zsetSetopHandlers: Record<string, Handler> = {
  zunion,
  zinter,
  zdiff,
  zintercard,
  zunionstore,
  zinterstore,
  zdiffstore,
};
