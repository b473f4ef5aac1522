// The sorted set type: binary members, each with a double score, ordered by
// score then member bytes (zset-tree.ts), with a dictionary from member to
// score beside the order, as Redis keeps a dict beside its skiplist. The
// value carries the encoding OBJECT ENCODING reports, which follows t_zset.c
// of Redis 7.0.15:
//  - ZADD makes a new key a skiplist when zset-max-listpack-entries is 0 or
//    the first member is longer than zset-max-listpack-value, else a
//    listpack (zaddGenericCommand);
//  - a listpack becomes a skiplist, for good, before it takes a new member
//    that would make it hold more than zset-max-listpack-entries members or
//    that is longer than zset-max-listpack-value bytes (zsetAdd);
//  - the results of ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and ZRANGESTORE,
//    and a zset loaded from an RDB, are a listpack when they hold at most
//    zset-max-listpack-entries members none longer than
//    zset-max-listpack-value (zsetConvertToListpackIfNeeded, the listpack
//    ZRANGESTORE starts from, rdbLoadObject);
//  - removing members never converts back.
//
// A listpack stores an integral score within +-2^62 as an integer entry
// (zzlInsertAt), so a -0 score stored there reads back as 0, while a
// skiplist keeps -0: the engine stores 0 for -0 in a listpack-encoded zset
// (and turns its -0 scores into 0 when it converts one to a listpack).
// Every other score reads back from a listpack exactly ("%.17g" round-trips).
//
// Not modelled: lpSafeToAdd's 1 GB bound on a listpack's total size, which
// only matters when zset-max-listpack-value is raised far beyond its default.

import { fromLatin1, latin1 } from '../bytes.ts';
import { comparePair, ZTree } from './zset-tree.ts';

export type ZsetEncoding = 'listpack' | 'skiplist';

export interface ZsetValue {
  readonly type: 'zset';
  encoding: ZsetEncoding;
  /** Member (its bytes as one char per byte, as KeyName) to score. */
  readonly dict: Map<string, number>;
  /** The members in order. */
  readonly tree: ZTree;
}

/** The directives the encoding follows (NodeConfig has them). */
export interface ZsetLimits {
  readonly zsetMaxListpackEntries: number;
  readonly zsetMaxListpackValue: number;
}

export function newZset(encoding: ZsetEncoding): ZsetValue {
  return { type: 'zset', encoding, dict: new Map(), tree: new ZTree() };
}

/** The map key for a member's bytes (a short one char by char: faster than latin1's chunked apply). */
export function memberName(bytes: Uint8Array): string {
  if (bytes.length > 32) return latin1(bytes);
  let name = '';
  for (let i = 0; i < bytes.length; i++) name += String.fromCharCode(bytes[i]);
  return name;
}

/** The bytes of a member's map key. */
export function memberBytes(name: string): Uint8Array {
  return fromLatin1(name);
}

/** -0 as a listpack gives it back: 0. */
const positiveZero = (score: number): number => (score === 0 ? 0 : score);

/** The score a member gets stored with in this encoding. */
function stored(zset: ZsetValue, score: number): number {
  return zset.encoding === 'listpack' ? positiveZero(score) : score;
}

/** zsetConvert: a skiplist from a listpack, or a listpack (-0 scores becoming 0) from a skiplist. */
export function zsetConvert(zset: ZsetValue, encoding: ZsetEncoding): void {
  if (zset.encoding === encoding) return;
  zset.encoding = encoding;
  if (encoding !== 'listpack') return;
  let negativeZero = false;
  for (const [name, score] of zset.dict) {
    if (Object.is(score, -0)) {
      zset.dict.set(name, 0);
      negativeZero = true;
    }
  }
  if (negativeZero) zset.tree.mapScores(positiveZero);
}

/** The longest member, in bytes. */
function longestMember(zset: ZsetValue): number {
  let max = 0;
  for (const name of zset.dict.keys()) if (name.length > max) max = name.length;
  return max;
}

/**
 * zsetConvertToListpackIfNeeded, for a value built as a skiplist (a set
 * operation's result, a zset read from an RDB): a listpack when it is small
 * enough.
 */
export function zsetConvertToListpackIfNeeded(zset: ZsetValue, limits: ZsetLimits): void {
  if (zset.encoding === 'listpack') return;
  if (zset.dict.size <= limits.zsetMaxListpackEntries && longestMember(zset) <= limits.zsetMaxListpackValue) {
    zsetConvert(zset, 'listpack');
  }
}

/** The encoding ZADD gives a new key, from its first member. */
export function zaddNewEncoding(firstMember: Uint8Array, limits: ZsetLimits): ZsetEncoding {
  return limits.zsetMaxListpackEntries === 0 || limits.zsetMaxListpackValue < firstMember.length ? 'skiplist' : 'listpack';
}

export const ZADD_INCR = 1;
export const ZADD_NX = 2;
export const ZADD_XX = 4;
export const ZADD_GT = 8;
export const ZADD_LT = 16;

/** What zsetAdd did. */
export type ZaddOutcome =
  /** The member is new. */
  | { readonly kind: 'added'; readonly score: number }
  /** Its score changed. */
  | { readonly kind: 'updated'; readonly score: number }
  /** It was there with this score already (or the increment was zero). */
  | { readonly kind: 'same'; readonly score: number }
  /** NX, XX, GT or LT said no. */
  | { readonly kind: 'nop' }
  /** The increment gave NaN (inf - inf). */
  | { readonly kind: 'nan' };

/**
 * zsetAdd: adds a member or updates its score under the ZADD flags; the
 * score reported is the new one as computed, before a listpack stores it
 * (so an increment to -0 reports -0). The score is never NaN here: every
 * caller parses it with string2d first.
 */
export function zsetAdd(zset: ZsetValue, score: number, member: string, flags: number, limits: ZsetLimits): ZaddOutcome {
  const current = zset.dict.get(member);
  if (current !== undefined) {
    if (flags & ZADD_NX) return { kind: 'nop' };
    if (flags & ZADD_INCR) {
      score += current;
      if (Number.isNaN(score)) return { kind: 'nan' };
    }
    if ((flags & ZADD_LT && score >= current) || (flags & ZADD_GT && score <= current)) return { kind: 'nop' };
    // 0 and -0 are equal: no change.
    if (score === current) return { kind: 'same', score };
    const keep = stored(zset, score);
    zset.tree.delete(current, member);
    zset.tree.insert(keep, member);
    zset.dict.set(member, keep);
    return { kind: 'updated', score };
  }
  if (flags & ZADD_XX) return { kind: 'nop' };
  if (zset.encoding === 'listpack' && (zset.dict.size + 1 > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)) {
    zsetConvert(zset, 'skiplist');
  }
  const keep = stored(zset, score);
  zset.tree.insert(keep, member);
  zset.dict.set(member, keep);
  return { kind: 'added', score };
}

/** Adds a member known to be absent, with no encoding check (values being built: set operations, loads). */
export function zsetInsertNew(zset: ZsetValue, score: number, member: string): void {
  const keep = stored(zset, score);
  zset.tree.insert(keep, member);
  zset.dict.set(member, keep);
}

/** zsetDel: true when the member was there. */
export function zsetDelete(zset: ZsetValue, member: string): boolean {
  const score = zset.dict.get(member);
  if (score === undefined) return false;
  zset.dict.delete(member);
  zset.tree.delete(score, member);
  return true;
}

/** zsetRank: the 0-based rank from the lowest score (from the highest when `reverse`), or null. */
export function zsetRank(zset: ZsetValue, member: string, reverse: boolean): number | null {
  const score = zset.dict.get(member);
  if (score === undefined) return null;
  const rank = zset.tree.rank(score, member);
  return reverse ? zset.dict.size - 1 - rank : rank;
}

/** zsetDup (COPY): a copy that shares nothing and keeps the encoding. */
export function zsetDup(zset: ZsetValue): ZsetValue {
  const copy = newZset(zset.encoding);
  zset.tree.forEach((score, member) => {
    copy.tree.insert(score, member);
    copy.dict.set(member, score);
  }, true);
  return copy;
}

// --- ranges

/** zrangespec: scores from min to max, each end open when `ex`. */
export interface ScoreRange {
  readonly min: number;
  readonly max: number;
  readonly minex: boolean;
  readonly maxex: boolean;
}

export const scoreGteMin = (score: number, r: ScoreRange): boolean => (r.minex ? score > r.min : score >= r.min);
export const scoreLteMax = (score: number, r: ScoreRange): boolean => (r.maxex ? score < r.max : score <= r.max);

/** The ends "-" and "+" of a lex range (shared.minstring and shared.maxstring). */
export const LEX_MIN: unique symbol = Symbol('-');
export const LEX_MAX: unique symbol = Symbol('+');
export type LexBound = string | typeof LEX_MIN | typeof LEX_MAX;

/** zlexrangespec: members from min to max, each end open when `ex` ("-" and "+" are open). */
export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
  readonly minex: boolean;
  readonly maxex: boolean;
}

/** sdscmplex: "-" below every string, "+" above, a bound equal to itself. */
function compareLex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MIN || b === LEX_MAX) return -1;
  if (a === LEX_MAX || b === LEX_MIN) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const lexGteMin = (member: string, r: LexRange): boolean => (r.minex ? compareLex(member, r.min) > 0 : compareLex(member, r.min) >= 0);
export const lexLteMax = (member: string, r: LexRange): boolean => (r.maxex ? compareLex(member, r.max) < 0 : compareLex(member, r.max) <= 0);

/**
 * The ranks of the first and last members whose score is in the range
 * (zzlFirstInRange / zslFirstInRange and their Last forms, which agree:
 * the order is by score), or null when none is.
 */
export function scoreRangeRanks(zset: ZsetValue, range: ScoreRange): { first: number; last: number } | null {
  const n = zset.dict.size;
  const first = zset.tree.countWhile((s) => !scoreGteMin(s, range));
  if (first >= n || !scoreLteMax(zset.tree.scoreAt(first), range)) return null;
  const last = zset.tree.countWhile((s) => scoreLteMax(s, range)) - 1;
  if (last < first) return null;
  return { first, last };
}

/** zslIsInLexRange / zzlIsInLexRange: a range that cannot be empty, around the first and last members. */
function inLexRange(zset: ZsetValue, range: LexRange): boolean {
  const cmp = compareLex(range.min, range.max);
  if (cmp > 0 || (cmp === 0 && (range.minex || range.maxex))) return false;
  const n = zset.dict.size;
  if (n === 0 || !lexGteMin(zset.tree.memberAt(n - 1), range)) return false;
  return lexLteMax(zset.tree.memberAt(0), range);
}

/**
 * The rank of the first member in a lex range, or -1. Lex ranges assume
 * every member has the same score; when they do not, Redis's answer
 * depends on the encoding: a listpack is scanned from its start (as here),
 * a skiplist is searched through its random levels (here, by the tree's
 * descent: the same answer whenever the members are in lex order).
 */
export function firstInLexRange(zset: ZsetValue, range: LexRange): number {
  if (!inLexRange(zset, range)) return -1;
  const tree = zset.tree;
  let at: number;
  if (zset.encoding === 'listpack') {
    at = -1;
    tree.walk(0, false, (_s, m) => {
      at++;
      return !lexGteMin(m, range);
    });
  } else {
    at = tree.countWhile((_s, m) => !lexGteMin(m, range));
  }
  return lexLteMax(tree.memberAt(at), range) ? at : -1;
}

/** The rank of the last member in a lex range, or -1 (see firstInLexRange). */
export function lastInLexRange(zset: ZsetValue, range: LexRange): number {
  if (!inLexRange(zset, range)) return -1;
  const tree = zset.tree;
  const n = zset.dict.size;
  let at: number;
  if (zset.encoding === 'listpack') {
    at = n;
    tree.walk(n - 1, true, (_s, m) => {
      at--;
      return !lexLteMax(m, range);
    });
  } else {
    at = tree.countWhile((_s, m) => lexLteMax(m, range)) - 1;
  }
  return at >= 0 && lexGteMin(tree.memberAt(at), range) ? at : -1;
}

/** Compares two members as a zset orders equal scores (memcmp, then length). */
export function compareMembers(a: string, b: string): number {
  return comparePair(0, a, 0, b);
}
