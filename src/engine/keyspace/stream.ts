// The stream type, as t_stream.c of Redis 7.0.15 keeps it: a radix tree of
// listpack nodes (here an IdMap keyed by each node's master ID), the
// stream's counters and IDs, and its consumer groups.
//
// A node's listpack holds a master entry, then the entries appended to the
// node, each delta-encoded against the master ID (streamAppendItem):
//
//   master: count | deleted | num-fields | field_1 .. field_N | 0
//   entry:  flags | ms-delta | seq-delta | [num-fields | field_1 ..] value_1 .. | lp-count
//
// `count` and `deleted` are the node's live and deleted (tombstone)
// entries; an entry with the same field names as the master entry has the
// SAMEFIELDS flag and no field names of its own; lp-count is how many
// elements the entry has before it, so the node can be walked backwards.
// XDEL and exact trimming only set the DELETED flag and move the counters
// (the node is dropped when its last live entry goes), approximate trimming
// drops whole nodes from the head. A new node starts when the tail one's
// listpack would reach stream-node-max-bytes or holds
// stream-node-max-entries entries (live or deleted). The listpacks are
// built and changed byte for byte as Redis does (stream-listpack.ts), so
// RDB files and DUMP payloads, which hold them as they are, are Redis's.
//
// Consumer groups (streamCG) keep their last delivered ID, their read
// counter, their pending entries list (PEL: ID -> NACK) and their
// consumers, each with its own PEL sharing the group's NACKs.
//
// Not modelled: the garbage collection Redis does not do either (a node
// full of tombstones stays until its last live entry goes).

import type { ExpireTime } from './db.ts';
import { latin1 } from '../bytes.ts';
import { IdMap } from './stream-idmap.ts';
import { encodeId, MAX_ID, UINT64_MAX, idMs, idSeq, makeId, type StreamId } from './stream-id.ts';
import { StreamListpack } from './stream-listpack.ts';

export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;
/** STREAM_LISTPACK_MAX_SIZE: a node never grows beyond 1 GB, whatever stream-node-max-bytes says. */
const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
/** SCG_INVALID_ENTRIES_READ. */
export const INVALID_ENTRIES_READ = -1n;

/** An unsigned 64-bit counter: a number while it is exactly one, else a bigint. */
export type U64 = number | bigint;

export interface StreamNack {
  /** Unix ms of the last delivery (a long long in Redis). */
  deliveryTime: ExpireTime;
  deliveryCount: U64;
  /** The consumer it was last delivered to; null only while an XCLAIM FORCE creates it, or while an RDB loads. */
  consumer: StreamConsumer | null;
}

export interface StreamConsumer {
  readonly name: Uint8Array;
  /** Unix ms it was last active (seen_time). */
  seenTime: ExpireTime;
  readonly pel: IdMap<StreamNack>;
}

export interface StreamGroup {
  readonly name: Uint8Array;
  lastId: StreamId;
  /** entries_read, a long long; -1 (INVALID_ENTRIES_READ) when unknown. */
  entriesRead: bigint;
  readonly pel: IdMap<StreamNack>;
  /** By name (its bytes as one char per byte). */
  readonly consumers: Map<string, StreamConsumer>;
}

export interface StreamValue {
  readonly type: 'stream';
  readonly encoding: 'stream';
  /** The nodes by master ID. */
  readonly rax: IdMap<StreamListpack>;
  /** Live entries. */
  length: number;
  lastId: StreamId;
  /** The first live entry's ID; 0-0 when empty. */
  firstId: StreamId;
  maxDeletedId: StreamId;
  /** entries_added: every entry ever added (XSETID may set it). */
  entriesAdded: bigint;
  /** By name; null until the first group (s->cgroups is created on demand). */
  groups: Map<string, StreamGroup> | null;
}

/** The directives node creation follows (NodeConfig has them). */
export interface StreamLimits {
  readonly streamNodeMaxBytes: number;
  readonly streamNodeMaxEntries: number;
}

export function newStream(): StreamValue {
  return { type: 'stream', encoding: 'stream', rax: new IdMap(), length: 0, lastId: 0n, firstId: 0n, maxDeletedId: 0n, entriesAdded: 0n, groups: null };
}

/** The map key of a group's or consumer's name. */
export const nameKey = (name: Uint8Array): string => latin1(name);

// --- u64 counters

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function u64(v: bigint): U64 {
  return v <= BigInt(MAX_SAFE) ? Number(v) : v;
}

/** v + 1, wrapping at 2^64 as a uint64_t does. */
export function u64Incr(v: U64): U64 {
  if (typeof v === 'number' && v < MAX_SAFE) return v + 1;
  return u64(BigInt.asUintN(64, BigInt(v) + 1n));
}

/** As addReplyLongLong prints a uint64_t: the same bits as a long long. */
export function u64Signed(v: U64): number | bigint {
  return typeof v === 'number' ? v : BigInt.asIntN(64, v);
}

// --- reading a node

/** A node's master entry (the first elements of its listpack). */
export interface NodeHeader {
  readonly count: number;
  readonly deleted: number;
  readonly masterFields: number;
  /** The first master field's position. */
  readonly masterFieldsPos: number;
  /** The position of the master entry's terminating 0. */
  readonly terminatorPos: number;
}

const int = (lp: StreamListpack, p: number): number => Number(lp.getInt(p) ?? 0);

export function nodeHeader(lp: StreamListpack): NodeHeader {
  const countPos = lp.first();
  const deletedPos = lp.next(countPos);
  const numFieldsPos = lp.next(deletedPos);
  const masterFields = int(lp, numFieldsPos);
  const masterFieldsPos = lp.next(numFieldsPos);
  let p = masterFieldsPos;
  for (let i = 0; i < masterFields; i++) p = lp.next(p);
  return { count: int(lp, countPos), deleted: int(lp, deletedPos), masterFields, masterFieldsPos, terminatorPos: p };
}

/** One entry of a node. */
export interface NodeEntry {
  readonly id: StreamId;
  readonly flags: number;
  readonly flagsPos: number;
  readonly numFields: number;
  /** The first field (or, with SAMEFIELDS, the first value). */
  readonly fieldsPos: number;
  /** The entry's lp-count element. */
  readonly lpCountPos: number;
}

/** The entries of a node in order, tombstones included. */
export function nodeEntries(master: StreamId, lp: StreamListpack, header = nodeHeader(lp)): NodeEntry[] {
  const out: NodeEntry[] = [];
  const masterMs = idMs(master);
  const masterSeq = idSeq(master);
  let p = lp.next(header.terminatorPos);
  while (p >= 0) {
    const flagsPos = p;
    const flags = int(lp, p);
    p = lp.next(p);
    const ms = BigInt.asUintN(64, masterMs + BigInt(lp.getInt(p) ?? 0));
    p = lp.next(p);
    const seq = BigInt.asUintN(64, masterSeq + BigInt(lp.getInt(p) ?? 0));
    p = lp.next(p);
    let numFields = header.masterFields;
    let skip = numFields;
    if (!(flags & STREAM_ITEM_FLAG_SAMEFIELDS)) {
      numFields = int(lp, p);
      p = lp.next(p);
      skip = numFields * 2;
    }
    const fieldsPos = p;
    for (let i = 0; i < skip; i++) p = lp.next(p);
    out.push({ id: makeId(ms, seq), flags, flagsPos, numFields, fieldsPos, lpCountPos: p });
    p = lp.next(p);
  }
  return out;
}

/** streamIteratorGetField for a whole entry: field, value, field, value... */
export function entryFields(lp: StreamListpack, header: NodeHeader, e: NodeEntry): Uint8Array[] {
  const out: Uint8Array[] = new Array(e.numFields * 2);
  let p = e.fieldsPos;
  if (e.flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
    let f = header.masterFieldsPos;
    for (let i = 0; i < e.numFields; i++) {
      out[2 * i] = lp.getBytes(f);
      out[2 * i + 1] = lp.getBytes(p);
      f = lp.next(f);
      p = lp.next(p);
    }
  } else {
    for (let i = 0; i < e.numFields * 2; i++) {
      out[i] = lp.getBytes(p);
      p = lp.next(p);
    }
  }
  return out;
}

/** An entry the range iterator emits, with what reading its fields takes. */
export interface RangeEntry {
  readonly id: StreamId;
  readonly lp: StreamListpack;
  readonly header: NodeHeader;
  readonly entry: NodeEntry;
}

export function rangeEntryFields(r: RangeEntry): Uint8Array[] {
  return entryFields(r.lp, r.header, r.entry);
}

/**
 * streamIteratorStart/GetID: the entries from start to end inclusive, in
 * order (reversed when `rev`), without tombstones unless asked. The stream
 * must not change while the iteration runs.
 */
export function* streamRange(s: StreamValue, start: StreamId, end: StreamId, rev = false, skipTombstones = true): Generator<RangeEntry> {
  const rax = s.rax;
  if (!rev) {
    let master = rax.floor(start) ?? rax.first();
    while (master !== null) {
      const lp = rax.get(master)!;
      const header = nodeHeader(lp);
      for (const entry of nodeEntries(master, lp, header)) {
        if (entry.id < start || (skipTombstones && entry.flags & STREAM_ITEM_FLAG_DELETED)) continue;
        if (entry.id > end) return;
        yield { id: entry.id, lp, header, entry };
      }
      master = rax.higher(master);
    }
  } else {
    let master = rax.floor(end);
    while (master !== null) {
      const lp = rax.get(master)!;
      const header = nodeHeader(lp);
      const entries = nodeEntries(master, lp, header);
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i];
        if (entry.id > end || (skipTombstones && entry.flags & STREAM_ITEM_FLAG_DELETED)) continue;
        if (entry.id < start) return;
        yield { id: entry.id, lp, header, entry };
      }
      master = rax.lower(master);
    }
  }
}

/** The first entry of a range, or null. */
function firstOf(it: Generator<RangeEntry>): RangeEntry | null {
  const r = it.next();
  it.return(undefined);
  return r.done ? null : r.value;
}

/**
 * streamGetEdgeID: the first (or last) entry's ID, tombstones counted
 * unless skipped; with no such entry, the largest ID for the first and
 * 0-0 for the last.
 */
export function streamEdgeId(s: StreamValue, first: boolean, skipTombstones: boolean): StreamId {
  const e = firstOf(streamRange(s, 0n, MAX_ID, !first, skipTombstones));
  return e ? e.id : first ? MAX_ID : 0n;
}

/** streamLastValidID: the last live entry's ID (0-0 when none). */
export function streamLastValidId(s: StreamValue): StreamId {
  return firstOf(streamRange(s, 0n, MAX_ID, true))?.id ?? 0n;
}

/** streamEntryExists: a live entry with this ID. */
export function streamEntryExists(s: StreamValue, id: StreamId): boolean {
  return firstOf(streamRange(s, id, id)) !== null;
}

/** The fields of the live entry with this ID, or null (streamReplyWithRange of one ID). */
export function streamEntry(s: StreamValue, id: StreamId): Uint8Array[] | null {
  const e = firstOf(streamRange(s, id, id));
  return e ? rangeEntryFields(e) : null;
}

// --- adding

export type AppendResult = { ok: true; id: StreamId } | { ok: false; reason: 'edom' | 'erange' };

/**
 * streamAppendItem: appends an entry of field/value pairs, with a new ID
 * (from the clock, `nowMs`), the ID given, or the ID given with a sequence
 * to generate (`seqGiven` false). Fails as Redis does: 'edom' for an ID not
 * above the last one, 'erange' for elements over 1 GB in all or a
 * generated sequence that would overflow (errno is not EDOM there).
 */
export function streamAppend(s: StreamValue, pairs: readonly Uint8Array[], use: { id: StreamId; seqGiven: boolean } | null, nowMs: number, limits: StreamLimits): AppendResult {
  let id: StreamId;
  if (use) {
    if (use.seqGiven) {
      id = use.id;
    } else if (idMs(s.lastId) === idMs(use.id)) {
      if (idSeq(s.lastId) === UINT64_MAX) return { ok: false, reason: 'erange' };
      id = s.lastId + 1n;
    } else {
      id = use.id;
    }
  } else {
    // streamNextID: the clock's ms, or the last ID's successor when the clock is not ahead of it.
    const ms = BigInt(Math.floor(nowMs));
    id = ms > idMs(s.lastId) ? makeId(ms, 0n) : s.lastId === MAX_ID ? 0n : s.lastId + 1n;
  }
  if (id <= s.lastId) return { ok: false, reason: 'edom' };

  const numFields = pairs.length / 2;
  let totelelen = 0;
  for (const e of pairs) totelelen += e.length;
  if (totelelen > STREAM_LISTPACK_MAX_SIZE) return { ok: false, reason: 'erange' };

  let master = s.rax.last();
  let lp = master === null ? null : s.rax.get(master)!;
  if (lp) {
    let maxBytes = limits.streamNodeMaxBytes;
    if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
    if (lp.bytes + totelelen >= maxBytes) {
      lp = null;
    } else if (limits.streamNodeMaxEntries) {
      const h = lp.first();
      if (int(lp, h) + int(lp, lp.next(h)) >= limits.streamNodeMaxEntries) lp = null;
    }
  }

  let flags = 0;
  if (!lp) {
    // A new node: its master entry names the fields of its first entry.
    master = id;
    lp = StreamListpack.empty();
    lp.append(1);
    lp.append(0);
    lp.append(numFields);
    for (let i = 0; i < numFields; i++) lp.append(pairs[2 * i]);
    lp.append(0);
    s.rax.set(id, lp);
    flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
  } else {
    const countPos = lp.first();
    lp.replaceInt(countPos, int(lp, countPos) + 1);
    const numFieldsPos = lp.next(lp.next(countPos));
    const masterFields = int(lp, numFieldsPos);
    if (numFields === masterFields) {
      let p = lp.next(numFieldsPos);
      let i = 0;
      for (; i < masterFields; i++, p = lp.next(p)) if (!lp.equals(p, pairs[2 * i])) break;
      if (i === masterFields) flags |= STREAM_ITEM_FLAG_SAMEFIELDS;
    }
  }
  const same = (flags & STREAM_ITEM_FLAG_SAMEFIELDS) !== 0;
  lp.append(flags);
  lp.append(BigInt.asIntN(64, idMs(id) - idMs(master!)));
  lp.append(BigInt.asIntN(64, idSeq(id) - idSeq(master!)));
  if (!same) lp.append(numFields);
  for (let i = 0; i < numFields; i++) {
    if (!same) lp.append(pairs[2 * i]);
    lp.append(pairs[2 * i + 1]);
  }
  lp.append(numFields + 3 + (same ? 0 : numFields + 1));
  s.length++;
  s.entriesAdded++;
  s.lastId = id;
  if (s.length === 1) s.firstId = id;
  return { ok: true, id };
}

// --- deleting and trimming

/** Marks an entry deleted and moves the node's counters; the node goes with its last live entry. */
function markDeleted(s: StreamValue, master: StreamId, lp: StreamListpack, flagsPos: number, flags: number): void {
  lp.replaceInt(flagsPos, flags | STREAM_ITEM_FLAG_DELETED);
  const countPos = lp.first();
  const count = int(lp, countPos);
  if (count === 1) {
    s.rax.delete(master);
  } else {
    lp.replaceInt(countPos, count - 1);
    const deletedPos = lp.next(countPos);
    lp.replaceInt(deletedPos, int(lp, deletedPos) + 1);
  }
  s.length--;
}

/** streamDeleteItem: true when a live entry with this ID was there. */
export function streamDelete(s: StreamValue, id: StreamId): boolean {
  const master = s.rax.floor(id);
  if (master === null) return false;
  const lp = s.rax.get(master)!;
  for (const e of nodeEntries(master, lp)) {
    if (e.id !== id) continue;
    if (e.flags & STREAM_ITEM_FLAG_DELETED) return false;
    markDeleted(s, master, lp, e.flagsPos, e.flags);
    return true;
  }
  return false;
}

export interface TrimArgs {
  readonly strategy: 'maxlen' | 'minid';
  readonly maxlen: bigint;
  readonly minid: StreamId;
  /** Only whole nodes go. */
  readonly approx: boolean;
  /** At most this many entries go (0: no limit). */
  readonly limit: bigint;
}

/** streamTrim: removes entries from the head; returns how many went. */
export function streamTrim(s: StreamValue, args: TrimArgs): number {
  const { strategy, maxlen, minid, approx, limit } = args;
  let deleted = 0;
  let master = s.rax.first();
  while (master !== null) {
    if (strategy === 'maxlen' && BigInt(s.length) <= maxlen) break;
    const lp = s.rax.get(master)!;
    const header = nodeHeader(lp);
    const entries = header.count;
    if (limit && BigInt(deleted + entries) > limit) break;
    let removeNode: boolean;
    if (strategy === 'maxlen') {
      removeNode = BigInt(s.length - entries) >= maxlen;
    } else {
      // The node's last entry, tombstone or not (lpGetEdgeStreamID).
      const all = nodeEntries(master, lp, header);
      removeNode = all.length > 0 && all[all.length - 1].id < minid;
    }
    if (removeNode) {
      const next = s.rax.higher(master);
      s.rax.delete(master);
      s.length -= entries;
      deleted += entries;
      master = next;
      continue;
    }
    if (approx) break;
    // Mark entries deleted from the node's head until the goal is met.
    let fromNode = 0;
    for (const e of nodeEntries(master, lp, header)) {
      const stop = strategy === 'maxlen' ? BigInt(s.length) <= maxlen : e.id >= minid;
      if (stop) break;
      if (!(e.flags & STREAM_ITEM_FLAG_DELETED)) {
        // A flag stays one byte: positions after it do not move.
        lp.replaceInt(e.flagsPos, e.flags | STREAM_ITEM_FLAG_DELETED);
        fromNode++;
        s.length--;
      }
    }
    deleted += fromNode;
    const countPos = lp.first();
    lp.replaceInt(countPos, entries - fromNode);
    const deletedPos = lp.next(countPos);
    lp.replaceInt(deletedPos, header.deleted + fromNode);
    break;
  }
  if (s.length === 0) s.firstId = 0n;
  else if (deleted) s.firstId = streamEdgeId(s, true, true);
  return deleted;
}

// --- consumer groups

export function lookupGroup(s: StreamValue, name: Uint8Array): StreamGroup | undefined {
  return s.groups?.get(nameKey(name));
}

/** streamCreateCG: null when a group of that name exists. */
export function createGroup(s: StreamValue, name: Uint8Array, lastId: StreamId, entriesRead: bigint): StreamGroup | null {
  s.groups ??= new Map();
  const key = nameKey(name);
  if (s.groups.has(key)) return null;
  const group: StreamGroup = { name: name.slice(), lastId, entriesRead, pel: new IdMap(), consumers: new Map() };
  s.groups.set(key, group);
  return group;
}

/** A rax's order: bytewise, a prefix first (JavaScript's order of one-char-per-byte strings). */
export function sortedByName<T>(map: ReadonlyMap<string, T> | null): T[] {
  if (!map) return [];
  return [...map.keys()].sort().map((k) => map.get(k)!);
}

/** streamCreateConsumer without its side effects (the caller counts dirty and notifies): null when it exists. */
export function createConsumer(group: StreamGroup, name: Uint8Array, nowMs: ExpireTime): StreamConsumer | null {
  const key = nameKey(name);
  if (group.consumers.has(key)) return null;
  const consumer: StreamConsumer = { name: name.slice(), seenTime: nowMs, pel: new IdMap() };
  group.consumers.set(key, consumer);
  return consumer;
}

/** streamLookupConsumer: its seen-time becomes now unless `noRefresh` (SLC_NO_REFRESH). */
export function lookupConsumer(group: StreamGroup, name: Uint8Array, nowMs: number, noRefresh = false): StreamConsumer | undefined {
  const consumer = group.consumers.get(nameKey(name));
  if (consumer && !noRefresh) consumer.seenTime = nowMs;
  return consumer;
}

/** streamDelConsumer: its pending entries leave the group's PEL too. */
export function deleteConsumer(group: StreamGroup, consumer: StreamConsumer): void {
  for (const [id] of consumer.pel.entries()) group.pel.delete(id);
  group.consumers.delete(nameKey(consumer.name));
}

/** Takes a pending entry out of the group's PEL and its consumer's. */
export function releaseNack(group: StreamGroup, id: StreamId, nack: StreamNack): void {
  group.pel.delete(id);
  nack.consumer?.pel.delete(id);
}

// --- read counters and lag

/** streamRangeHasTombstones, with `start` as given and no end. */
export function rangeHasTombstones(s: StreamValue, start: StreamId, end: StreamId = MAX_ID): boolean {
  if (s.length === 0 || s.maxDeletedId === 0n) return false;
  if (s.firstId > s.maxDeletedId) return false;
  return start <= s.maxDeletedId && s.maxDeletedId <= end;
}

/**
 * streamEstimateDistanceFromFirstEverEntry: the logical read counter of
 * an ID, or INVALID_ENTRIES_READ when it cannot be known.
 */
export function estimateDistance(s: StreamValue, id: StreamId): bigint {
  if (s.entriesAdded === 0n) return 0n;
  if (s.length === 0 && id <= s.lastId) return s.entriesAdded;
  if (id === s.lastId) return s.entriesAdded;
  if (id > s.lastId) return INVALID_ENTRIES_READ;
  if (s.maxDeletedId === 0n || s.maxDeletedId < s.firstId) {
    if (id < s.firstId) return s.entriesAdded - BigInt(s.length);
    if (id === s.firstId) return s.entriesAdded - BigInt(s.length) + 1n;
  }
  return INVALID_ENTRIES_READ;
}

/** streamReplyWithCGLag's value: entries yet to be delivered, or null when unknown. */
export function groupLag(s: StreamValue, group: StreamGroup): bigint | null {
  if (s.entriesAdded === 0n) return 0n;
  // The long long subtraction of Redis, wrapped.
  const lag = (read: bigint) => BigInt.asIntN(64, s.entriesAdded - read);
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, group.lastId)) return lag(group.entriesRead);
  const read = estimateDistance(s, group.lastId);
  return read === INVALID_ENTRIES_READ ? null : lag(read);
}

/**
 * What delivering the entry `id` beyond the group's last ID does to the
 * group (streamReplyWithRange): its read counter follows, and the last ID
 * moves.
 */
export function advanceGroup(s: StreamValue, group: StreamGroup, id: StreamId): void {
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(s, id)) {
    group.entriesRead = BigInt.asIntN(64, group.entriesRead + 1n);
  } else if (s.entriesAdded !== 0n) {
    group.entriesRead = estimateDistance(s, id);
  }
  group.lastId = id;
}

// --- the radix tree's shape

/**
 * raxSize and rax->numnodes of the node tree (XINFO STREAM's
 * radix-tree-keys and radix-tree-nodes). rax.c keeps a tree of 16-byte
 * keys compressed: a node for the root, for every key, for every place
 * where keys part, and for every first byte after such a place (checked
 * against redis-server 7.0.15 after random XADDs and XDELs with one entry
 * per node, tests/live/stream-random.test.ts).
 */
export function raxShape(s: StreamValue): { keys: number; nodes: number } {
  return raxShapeOf(s.rax.keys());
}

/** raxSize and rax->numnodes of a rax of stream IDs (the node tree, a PEL). */
export function raxShapeOf(ids: readonly StreamId[]): { keys: number; nodes: number } {
  const keys = ids.map((id) => latin1(encodeId(id)));
  const nodes = new Set<string>(['']);
  for (const k of keys) nodes.add(k);
  for (let i = 0; i + 1 < keys.length; i++) {
    const a = keys[i];
    const b = keys[i + 1];
    let l = 0;
    while (a.charCodeAt(l) === b.charCodeAt(l)) l++;
    nodes.add(a.slice(0, l));
    nodes.add(a.slice(0, l + 1));
    nodes.add(b.slice(0, l + 1));
  }
  return { keys: keys.length, nodes: nodes.size };
}

// --- COPY

/** streamDup: a copy sharing nothing, consumers and NACKs re-linked. */
export function streamDup(s: StreamValue): StreamValue {
  const copy = newStream();
  for (const [master, lp] of s.rax.entries()) copy.rax.set(master, lp.copy());
  copy.length = s.length;
  copy.lastId = s.lastId;
  copy.firstId = s.firstId;
  copy.maxDeletedId = s.maxDeletedId;
  copy.entriesAdded = s.entriesAdded;
  if (!s.groups) return copy;
  for (const g of sortedByName(s.groups)) {
    const ng = createGroup(copy, g.name, g.lastId, g.entriesRead)!;
    for (const [id, nack] of g.pel.entries()) ng.pel.set(id, { deliveryTime: nack.deliveryTime, deliveryCount: nack.deliveryCount, consumer: null });
    for (const c of sortedByName(g.consumers)) {
      const nc = createConsumer(ng, c.name, c.seenTime)!;
      for (const [id] of c.pel.entries()) {
        const nack = ng.pel.get(id)!;
        nack.consumer = nc;
        nc.pel.set(id, nack);
      }
    }
  }
  return copy;
}
