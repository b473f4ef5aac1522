// SCAN, HSCAN, SSCAN and ZSCAN: db.c's scanGenericCommand of Redis 7.0.15,
// with its option parsing, its filters (MATCH, TYPE, expired keys) and its
// replies.
//
// Where Redis is deterministic the engine answers the same: a hash or zset
// kept as a listpack and a set kept as an intset come whole in one reply
// with cursor 0, in their order, whatever the cursor given.
//
// A hash table is another matter. Redis's cursor is a position in its
// dict's buckets, in reverse-binary order, and keys land in buckets by a
// hash with a per-process random seed: two real servers scan the same data
// in different orders and cut it at different points. What a client may
// rely on is SCAN's contract: an element present for the whole scan is
// returned at least once; COUNT is a hint; cursor 0 ends the scan; any
// number is a cursor. The engine keeps that contract with a cursor of its
// own over the collection's insertion order:
// - a scan's state is a live iterator of the collection's map (JS map
//   iterators visit every entry present from start to end exactly once,
//   whatever is added or deleted meanwhile), kept in a table under the
//   cursor number handed out;
// - the number is position * 1024 + tag, position being how many entries
//   the scan has passed and tag a counter of cursors handed out (1..1023),
//   so concurrent scans get different numbers;
// - a cursor not in the table (made up, from another server, or evicted:
//   the table keeps the last 1023 cursors) resumes at its position in the
//   current order: nothing is lost while no entry before that position was
//   deleted.
// A scan answers cursor 0 as soon as it has returned the last entry.

import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1, lowerAscii, string2ll } from '../bytes.ts';
import { stringMatch } from '../glob.ts';
import { keyName } from '../keyspace/db.ts';
import type { HashValue } from '../keyspace/hash.ts';
import type { RedisNode } from '../node.ts';
import type { RedisType, RedisValue } from '../keyspace/value.ts';
import { setMembers, type SetValue } from '../keyspace/set.ts';
import type { ZsetValue } from '../keyspace/zset.ts';
import { formatScore, listpackScore } from '../keyspace/zset-score.ts';

/** shared.emptyscan: cursor 0, no elements. */
const EMPTY_SCAN = fromLatin1('*2\r\n$1\r\n0\r\n*0\r\n');
const TAGS = 1023;
const ULONG_MAX = 2n ** 64n - 1n;

/** A scan in progress over a hash table: where it stopped in which collection. */
interface ScanState {
  /** The collection iterated (a map's identity): a cursor applies to it only. */
  readonly source: object;
  readonly iterator: Iterator<unknown>;
  /** An entry read ahead to learn whether the scan had ended. */
  pending: IteratorResult<unknown> | null;
  position: number;
}

/** The scans in progress on a node, by cursor number; the oldest go first beyond TAGS. */
class CursorTable {
  private readonly states = new Map<bigint, ScanState>();
  private nextTag = 0;

  take(cursor: bigint): ScanState | undefined {
    const state = this.states.get(cursor);
    if (state) this.states.delete(cursor);
    return state;
  }

  /** Files a scan that has more to give; returns its cursor number. */
  put(state: ScanState): bigint {
    this.nextTag = (this.nextTag % TAGS) + 1;
    const cursor = BigInt(state.position) * 1024n + BigInt(this.nextTag);
    this.states.delete(cursor);
    this.states.set(cursor, state);
    if (this.states.size > TAGS) this.states.delete(this.states.keys().next().value!);
    return cursor;
  }
}

const TABLES = new WeakMap<RedisNode, CursorTable>();

function cursorTable(node: RedisNode): CursorTable {
  let table = TABLES.get(node);
  if (!table) TABLES.set(node, (table = new CursorTable()));
  return table;
}

/**
 * parseScanCursorOrReply: strtoul in base 10 on the C string, so a sign is
 * allowed ("-1" is ULONG_MAX) and "" is 0; a leading space, trailing
 * garbage or a value beyond an unsigned long is an invalid cursor.
 */
function parseCursor(ctx: CommandContext, arg: Uint8Array): bigint | null {
  const text = latin1(cString(arg));
  if (text === '') return 0n;
  const m = /^([+-]?)(\d+)$/.exec(text);
  const value = m ? BigInt(m[2]) : null;
  if (value === null || value > ULONG_MAX) {
    ctx.reply.error(Err.invalidCursor);
    return null;
  }
  // A negative number wraps around, as strtoul makes it.
  return m![1] === '-' ? (ULONG_MAX + 1n - value) & ULONG_MAX : value;
}

interface ScanOptions {
  count: number;
  pattern: Uint8Array | null;
  type: string | null;
}

/** Step 1 of scanGenericCommand: COUNT, MATCH, and TYPE for SCAN only; null after an error reply. */
function parseOptions(ctx: CommandContext, first: number, keyspaceScan: boolean): ScanOptions | null {
  const { argv, reply } = ctx;
  const options: ScanOptions = { count: 10, pattern: null, type: null };
  for (let i = first; i < argv.length; ) {
    const opt = lowerAscii(cString(argv[i]));
    const left = argv.length - i;
    if (opt === 'count' && left >= 2) {
      const count = string2ll(argv[i + 1]);
      if (count === null) {
        reply.error(Err.notInteger);
        return null;
      }
      if (count < 1) {
        reply.error(Err.syntax);
        return null;
      }
      // Beyond what a scan could ever gather here, a count is as good as infinite.
      options.count = Number(count > 2n ** 40n ? 2n ** 40n : count);
      i += 2;
    } else if (opt === 'match' && left >= 2) {
      const pattern = argv[i + 1];
      // "*" alone matches everything: no pattern at all.
      options.pattern = pattern.length === 1 && pattern[0] === 0x2a ? null : pattern;
      i += 2;
    } else if (opt === 'type' && keyspaceScan && left >= 2) {
      options.type = lowerAscii(cString(argv[i + 1]));
      i += 2;
    } else {
      reply.error(Err.syntax);
      return null;
    }
  }
  return options;
}

/**
 * Step 2 over a hash table: up to `count` entries from where `cursor`
 * stopped (see the top of this file); the next cursor is 0 once the last
 * entry was given.
 */
function scanTable<T>(node: RedisNode, source: object, entries: () => Iterator<T>, cursor: bigint, count: number): { items: T[]; next: bigint } {
  const table = cursorTable(node);
  let state = cursor === 0n ? undefined : table.take(cursor);
  if (state && state.source !== source) state = undefined;
  if (!state) {
    state = { source, iterator: entries(), pending: null, position: 0 };
    const skip = cursor >> 10n;
    for (let i = 0n; i < skip; i++) {
      const r = state.iterator.next();
      if (r.done) return { items: [], next: 0n };
      state.position++;
    }
  }
  const items: T[] = [];
  for (;;) {
    const r = state.pending ?? state.iterator.next();
    state.pending = null;
    if (r.done) return { items, next: 0n };
    if (items.length >= count) {
      state.pending = r;
      return { items, next: table.put(state) };
    }
    items.push(r.value as T);
    state.position++;
  }
}

/** Step 4: the cursor as a bulk string, then the elements. */
function replyScan(ctx: CommandContext, cursor: bigint, elements: readonly Uint8Array[]): void {
  ctx.reply.arrayHeader(2);
  ctx.reply.bulkText(cursor.toString());
  ctx.reply.arrayHeader(elements.length);
  for (const e of elements) ctx.reply.bulk(e);
}

/** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. */
const scan: Handler = (ctx) => {
  const cursor = parseCursor(ctx, ctx.argv[1]);
  if (cursor === null) return;
  const options = parseOptions(ctx, 2, true);
  if (!options) return;
  const { db, keyspace, node } = ctx;
  const { items, next } = scanTable(node, db.dict, () => db.dict.keys(), cursor, options.count);
  const keys: Uint8Array[] = [];
  for (const name of items) {
    const bytes = fromLatin1(name);
    if (options.pattern && !stringMatch(options.pattern, bytes)) continue;
    // The type of the key as a read sees it (a lookup that counts and expires, but does not touch); "none" when gone.
    if (options.type !== null && (keyspace.lookupRead(db, name, true)?.type ?? 'none') !== options.type) continue;
    if (keyspace.expireIfNeeded(db, name)) continue;
    keys.push(bytes);
  }
  replyScan(ctx, next, keys);
};

/**
 * How HSCAN, SSCAN and ZSCAN see their type: the whole value when it is
 * not a hash table (a listpack, an intset), else the table to scan and
 * each entry's elements (one member, or a field or member and its value).
 */
interface CollectionScan<V, E> {
  readonly type: RedisType;
  whole(value: V): Uint8Array[][] | null;
  table(value: V): { source: object; entries: () => Iterator<E> };
  elements(entry: E): Uint8Array[];
}

/**
 * HSCAN, SSCAN, ZSCAN key cursor [MATCH pattern] [COUNT count]: the cursor,
 * then the key (a missing one answers an empty scan) and its type, then the
 * options; MATCH looks at an element's first part (the field, the member)
 * and keeps or drops it whole. COUNT counts elements (Redis doubles it for
 * pairs, which counts pairs too).
 */
function scanCollection<V extends RedisValue, E>(ctx: CommandContext, spec: CollectionScan<V, E>): void {
  const cursor = parseCursor(ctx, ctx.argv[2]);
  if (cursor === null) return;
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[1]));
  if (value === undefined) return ctx.reply.raw(EMPTY_SCAN);
  if (value.type !== spec.type) return ctx.reply.error(Err.wrongType);
  const options = parseOptions(ctx, 3, false);
  if (!options) return;
  let next = 0n;
  let elements = spec.whole(value as V);
  if (!elements) {
    const { source, entries } = spec.table(value as V);
    const r = scanTable(ctx.node, source, entries, cursor, options.count);
    elements = r.items.map((e) => spec.elements(e));
    next = r.next;
  }
  const pattern = options.pattern;
  const kept = pattern ? elements.filter((e) => stringMatch(pattern, e[0])) : elements;
  replyScan(ctx, next, kept.flat());
}

const pair = (name: string, value: Uint8Array): Uint8Array[] => [fromLatin1(name), value];

const hscan: Handler = (ctx) =>
  scanCollection<HashValue, [string, Uint8Array]>(ctx, {
    type: 'hash',
    whole: (hash) => (hash.encoding === 'listpack' ? [...hash.fields].map(([f, v]) => pair(f, v)) : null),
    table: (hash) => ({ source: hash.fields, entries: () => hash.fields.entries() }),
    elements: ([f, v]) => pair(f, v),
  });

const sscan: Handler = (ctx) =>
  scanCollection<SetValue, Uint8Array>(ctx, {
    type: 'set',
    whole: (set) => (set.encoding === 'intset' ? [...setMembers(set)].map((m) => [m]) : null),
    // The member table's iterator works on a copy of its slots: a member added later is not
    // returned (it was not there for the whole scan), one deleted meanwhile may still be.
    table: (set) => ({ source: set.table, entries: () => set.table[Symbol.iterator]() }),
    elements: (m) => [m],
  });

/** Scores as Redis prints each encoding's: a listpack's as it holds them, a skiplist's as "%.17Lg" of the double. */
const zscan: Handler = (ctx) =>
  scanCollection<ZsetValue, [string, number]>(ctx, {
    type: 'zset',
    whole: (zset) => {
      if (zset.encoding !== 'listpack') return null;
      const out: Uint8Array[][] = [];
      zset.tree.forEach((score, member) => out.push(pair(member, fromLatin1(listpackScore(score)))));
      return out;
    },
    table: (zset) => ({ source: zset.dict, entries: () => zset.dict.entries() }),
    elements: ([member, score]) => pair(member, fromLatin1(formatScore(score))),
  });

export const scanHandlers: Record<string, Handler> = { scan, hscan, sscan, zscan };
