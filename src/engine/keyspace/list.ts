// List values: a model of Redis 7.0's quicklist (quicklist.c), the only
// list encoding of Redis 7.0 (OBJECT ENCODING answers "quicklist" even for
// a one-element list; listpack-encoded small lists came in 7.2).
//
// A quicklist is a doubly linked list of nodes; each node is a listpack
// holding several elements, or (a "plain" node) one element of at least
// packed_threshold bytes. The model keeps the same nodes Redis would have,
// because several outputs depend on them and not only on the elements:
// DUMP and the RDB file (RDB_TYPE_LIST_QUICKLIST_2 writes one listpack per
// node), MEMORY USAGE, DEBUG LISTPACK. So every operation takes the same
// decisions as its C counterpart: when a push starts a new node
// (_quicklistNodeAllowInsert, from the node's listpack size and the list's
// fill, list-max-listpack-size when the list was created), how LINSERT and
// LSET split nodes and merge neighbours (_quicklistInsert,
// _quicklistMergeNodes), which nodes a range delete removes
// (quicklistDelRange). A node keeps its elements as byte arrays and its
// listpack size (lpBytes) exactly, from listpackEntrySize (listpack.ts), so
// the RDB writer can rebuild each node's listpack with encodeListpack().
//
// Not modelled: LZF compression of inner nodes (list-compress-depth, 0 by
// default). The depth is kept per list, as Redis does; which nodes are
// compressed follows from it (all but the `compress` nodes at either end,
// when compression saves more than 8 bytes of a listpack of 48 or more),
// and the RDB writer derives that (src/engine/rdb/list.ts). Bookmarks (used
// only by active defrag) are not modelled either.
//
// Complexity, as in Redis: push and pop at either end O(1) (plus a copy of
// at most one node's elements, as lpInsert's memmove); index, LSET,
// LINDEX O(n / node size) from the nearer end; LRANGE O(start + range).

import { LP_EMPTY_BYTES, listpackEntrySize } from './listpack.ts';
import { lpEntries } from '../rdb/listpack.ts';

/** Redis's default packed_threshold (1 GB): an element this long or longer gets a plain node. */
export const PACKED_THRESHOLD = 1 << 30;
/** Size limits of the negative list-max-listpack-size values -1 .. -5 (optimization_level). */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
/** SIZE_SAFETY_LIMIT: a node limited by entry count still stays within 8 KB. */
const SIZE_SAFETY_LIMIT = 8192;
/** SIZE_ESTIMATE_OVERHEAD: what a push adds to a listpack beyond the element, at most. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** FILL_MAX and COMPRESS_MAX (QL_FILL_BITS and QL_COMP_BITS are 16 on 64-bit builds). */
const FILL_MAX = 32767;
const COMPRESS_MAX = 65535;

export class QuicklistNode {
  /**
   * A node loaded from an RDB keeps the listpack it was read as, as Redis
   * keeps it, until a command needs its elements: a load of a long list
   * then makes no array per element (a million small arrays cost more in
   * garbage collection than the load itself).
   */
  private raw: Uint8Array | null = null;
  private rawCount = 0;
  private items: Uint8Array[] = [];
  /** lpBytes of the node's listpack; for a plain node, its element's length. */
  sz = LP_EMPTY_BYTES;
  prev: QuicklistNode | null = null;
  next: QuicklistNode | null = null;

  /** QUICKLIST_NODE_CONTAINER_PLAIN (1) when true, _PACKED (2) otherwise: the RDB writes it. */
  constructor(readonly plain = false) {}

  /** A packed node holding `lp` (checked by the loader) and its `count` elements. */
  static fromListpack(lp: Uint8Array, count: number): QuicklistNode {
    const node = new QuicklistNode();
    node.raw = lp;
    node.rawCount = count;
    node.sz = lp.length;
    return node;
  }

  /** The node's elements, head to tail (a plain node has exactly one); the caller may change the array. */
  get entries(): Uint8Array[] {
    if (this.raw) {
      const entries = lpEntries(this.raw);
      if (!entries) throw new Error('a loaded listpack no longer reads');
      this.items = entries;
      this.raw = null;
    }
    return this.items;
  }

  set entries(entries: Uint8Array[]) {
    this.raw = null;
    this.items = entries;
  }

  /** The listpack as loaded, while no command has asked for the elements. */
  get listpack(): Uint8Array | null {
    return this.raw;
  }

  get count(): number {
    return this.raw ? this.rawCount : this.items.length;
  }

  /** quicklistDup's copy of a node: a loaded listpack is shared (its bytes never change). */
  clone(): QuicklistNode {
    if (this.raw) return QuicklistNode.fromListpack(this.raw, this.rawCount);
    const node = new QuicklistNode(this.plain);
    node.items = this.items.slice();
    node.sz = this.sz;
    return node;
  }
}

/** A position in a quicklist: a node and an offset (0 = the node's first element). */
export interface ListPosition {
  node: QuicklistNode;
  offset: number;
}

export class Quicklist {
  head: QuicklistNode | null = null;
  tail: QuicklistNode | null = null;
  /** Elements in the whole list. */
  count = 0;
  /** Nodes. */
  len = 0;
  /** list-max-listpack-size when the list was created, clamped as quicklistSetFill does. */
  readonly fill: number;
  /** list-compress-depth when the list was created, clamped as quicklistSetCompressDepth does. */
  readonly compress: number;
  /**
   * packed_threshold, a process-wide setting in Redis (DEBUG
   * QUICKLIST-PACKED-THRESHOLD changes it); kept here so a node of the
   * simulation can set it on its lists, and tests can lower it.
   */
  packedThreshold = PACKED_THRESHOLD;

  constructor(fill: number, compress: number) {
    this.fill = Math.max(-5, Math.min(FILL_MAX, fill));
    this.compress = Math.max(0, Math.min(COMPRESS_MAX, compress));
  }

  /** The nodes head to tail, for the RDB writer and tests. */
  *nodes(): Generator<QuicklistNode> {
    for (let n = this.head; n; n = n.next) yield n;
  }

  private isLarge(sz: number): boolean {
    return sz >= this.packedThreshold;
  }

  // --- node decisions, as quicklist.c takes them

  /** _quicklistNodeSizeMeetsOptimizationRequirement. */
  private meetsOptimization(sz: number): boolean {
    if (this.fill >= 0) return false;
    const limit = OPTIMIZATION_LEVEL[-this.fill - 1];
    return limit !== undefined && sz <= limit;
  }

  /** _quicklistNodeAllowInsert: may an element of `sz` bytes go into `node`? */
  private allowInsert(node: QuicklistNode | null, sz: number): boolean {
    if (!node || node.plain || this.isLarge(sz)) return false;
    const estimate = node.sz + sz + SIZE_ESTIMATE_OVERHEAD;
    if (this.meetsOptimization(estimate)) return true;
    if (estimate > SIZE_SAFETY_LIMIT) return false;
    return node.count < this.fill;
  }

  /** _quicklistNodeAllowMerge. */
  private allowMerge(a: QuicklistNode | null, b: QuicklistNode | null): boolean {
    if (!a || !b || a.plain || b.plain) return false;
    // Redis estimates the merged size as both sizes less 11 (not 7) bytes.
    const mergeSz = a.sz + b.sz - 11;
    if (this.meetsOptimization(mergeSz)) return true;
    if (mergeSz > SIZE_SAFETY_LIMIT) return false;
    return a.count + b.count <= this.fill;
  }

  // --- node plumbing

  /** __quicklistInsertNode: links `node` after (or before) `old`, or as the only node. */
  private insertNode(old: QuicklistNode | null, node: QuicklistNode, after: boolean): void {
    if (after) {
      node.prev = old;
      if (old) {
        node.next = old.next;
        if (old.next) old.next.prev = node;
        old.next = node;
      }
      if (this.tail === old) this.tail = node;
    } else {
      node.next = old;
      if (old) {
        node.prev = old.prev;
        if (old.prev) old.prev.next = node;
        old.prev = node;
      }
      if (this.head === old) this.head = node;
    }
    if (this.len === 0) this.head = this.tail = node;
    this.len++;
  }

  /** __quicklistDelNode: unlinks a node; its elements leave the count. */
  private deleteNode(node: QuicklistNode): void {
    if (node.next) node.next.prev = node.prev;
    if (node.prev) node.prev.next = node.next;
    if (node === this.tail) this.tail = node.prev;
    if (node === this.head) this.head = node.next;
    this.len--;
    this.count -= node.count;
    node.prev = node.next = null;
  }

  private static packedNode(value: Uint8Array): QuicklistNode {
    const node = new QuicklistNode();
    node.entries.push(value);
    node.sz += listpackEntrySize(value);
    return node;
  }

  private static plainNode(value: Uint8Array): QuicklistNode {
    const node = new QuicklistNode(true);
    node.entries.push(value);
    node.sz = value.length;
    return node;
  }

  private static addAt(node: QuicklistNode, index: number, value: Uint8Array): void {
    node.entries.splice(index, 0, value);
    node.sz += listpackEntrySize(value);
  }

  private static prepend(node: QuicklistNode, value: Uint8Array): void {
    node.entries.unshift(value);
    node.sz += listpackEntrySize(value);
  }

  private static append(node: QuicklistNode, value: Uint8Array): void {
    node.entries.push(value);
    node.sz += listpackEntrySize(value);
  }

  /** Removes `n` elements of a packed node from `offset` (lpDeleteRange); the list count is the caller's. */
  private static removeEntries(node: QuicklistNode, offset: number, n: number): void {
    const entries = node.entries;
    // The ends alone take shift() and pop(), which V8 does in O(1); splice copies.
    if (n === 1 && offset === 0) {
      node.sz -= listpackEntrySize(entries.shift()!);
    } else if (n === 1 && offset === entries.length - 1) {
      node.sz -= listpackEntrySize(entries.pop()!);
    } else {
      for (const e of entries.splice(offset, n)) node.sz -= listpackEntrySize(e);
    }
  }

  // --- push and pop

  /** quicklistPushHead / quicklistPushTail. */
  push(value: Uint8Array, atHead: boolean): void {
    const end = atHead ? this.head : this.tail;
    if (this.isLarge(value.length)) {
      this.insertNode(end, Quicklist.plainNode(value), !atHead);
    } else if (this.allowInsert(end, value.length)) {
      if (atHead) Quicklist.prepend(end!, value);
      else Quicklist.append(end!, value);
    } else {
      this.insertNode(end, Quicklist.packedNode(value), !atHead);
    }
    this.count++;
  }

  /** quicklistPopCustom: the first (or last) element, removed; undefined when empty. */
  pop(atHead: boolean): Uint8Array | undefined {
    const node = atHead ? this.head : this.tail;
    if (!node) return undefined;
    const offset = atHead ? 0 : node.count - 1;
    const value = node.entries[offset];
    this.deleteAt({ node, offset });
    return value;
  }

  /** quicklistDelIndex: removes the element at `pos`; its node goes when it empties. */
  deleteAt(pos: ListPosition): void {
    const { node, offset } = pos;
    if (node.plain) {
      this.deleteNode(node);
      return;
    }
    Quicklist.removeEntries(node, offset, 1);
    if (node.count === 0) this.deleteNode(node);
    this.count--;
  }

  // --- positions

  /**
   * quicklistGetIteratorAtIdx: the position of index `index` (negative
   * from the tail), or null when out of range. The walk starts at the
   * nearer end, as Redis's does.
   */
  locate(index: number): ListPosition | null {
    const at = index < 0 ? this.count + index : index;
    if (at < 0 || at >= this.count) return null;
    if (at <= (this.count - 1) / 2) {
      let accum = 0;
      for (let n = this.head; n; n = n.next) {
        if (accum + n.count > at) return { node: n, offset: at - accum };
        accum += n.count;
      }
    } else {
      const fromTail = this.count - 1 - at;
      let accum = 0;
      for (let n = this.tail; n; n = n.prev) {
        if (accum + n.count > fromTail) return { node: n, offset: n.count - 1 - (fromTail - accum) };
        accum += n.count;
      }
    }
    return null;
  }

  /** The element at index `index` (negative from the tail). */
  get(index: number): Uint8Array | undefined {
    const pos = this.locate(index);
    return pos ? pos.node.entries[pos.offset] : undefined;
  }

  /** The next position toward the tail (or toward the head when `reverse`), or null at the end. */
  static step(pos: ListPosition, reverse: boolean): ListPosition | null {
    if (reverse) {
      if (pos.offset > 0) return { node: pos.node, offset: pos.offset - 1 };
      const prev = pos.node.prev;
      return prev ? { node: prev, offset: prev.count - 1 } : null;
    }
    if (pos.offset < pos.node.count - 1) return { node: pos.node, offset: pos.offset + 1 };
    const next = pos.node.next;
    return next ? { node: next, offset: 0 } : null;
  }

  /**
   * Calls `visit` with each element from index `from` toward the tail (or
   * the head when `reverse`) until it returns false or the list ends.
   */
  forEach(from: number, reverse: boolean, visit: (value: Uint8Array) => boolean): void {
    let pos = this.locate(from);
    if (!pos) return;
    let { node, offset } = pos;
    for (;;) {
      if (!visit(node.entries[offset])) return;
      if (reverse) {
        if (--offset < 0) {
          if (!node.prev) return;
          node = node.prev;
          offset = node.count - 1;
        }
      } else if (++offset >= node.count) {
        if (!node.next) return;
        node = node.next;
        offset = 0;
      }
    }
  }

  /** The elements from `from` on, `n` of them, in the walk's order (addListRangeReply's walk). */
  range(from: number, n: number, reverse: boolean): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (n <= 0) return out;
    this.forEach(from, reverse, (v) => {
      out.push(v);
      return out.length < n;
    });
    return out;
  }

  /** The first position, head to tail, whose element satisfies `match` (LINSERT's pivot). */
  find(match: (value: Uint8Array) => boolean): ListPosition | null {
    for (let n = this.head; n; n = n.next) {
      for (let i = 0; i < n.count; i++) if (match(n.entries[i])) return { node: n, offset: i };
    }
    return null;
  }

  /**
   * LREM's walk: deletes the elements satisfying `match`, from the head
   * (or from the tail when `fromTail`), at most `limit` of them (0: all);
   * returns how many went. Nodes that empty are removed; nothing merges.
   */
  removeWhere(match: (value: Uint8Array) => boolean, limit: number, fromTail: boolean): number {
    let removed = 0;
    let node = fromTail ? this.tail : this.head;
    let offset = fromTail && node ? node.count - 1 : 0;
    while (node) {
      if (offset < 0 || offset >= node.count) {
        node = fromTail ? node.prev : node.next;
        offset = fromTail && node ? node.count - 1 : 0;
        continue;
      }
      if (match(node.entries[offset])) {
        const { prev, next } = node;
        const gone = node.plain || node.count === 1;
        this.deleteAt({ node, offset });
        removed++;
        if (limit && removed === limit) break;
        if (gone) {
          node = fromTail ? prev : next;
          offset = fromTail && node ? node.count - 1 : 0;
          continue;
        }
        // Forward, the next element slid into this offset; backward, it is the one before.
        if (fromTail) offset--;
      } else {
        offset += fromTail ? -1 : 1;
      }
    }
    return removed;
  }

  // --- insert and replace

  /** _quicklistSplitNode: the new node takes the elements after `offset` (after) or before it. */
  private split(node: QuicklistNode, offset: number, after: boolean): QuicklistNode {
    const taken = after ? node.entries.splice(offset + 1) : node.entries.splice(0, offset);
    const fresh = new QuicklistNode();
    fresh.entries = taken;
    for (const e of taken) {
      const size = listpackEntrySize(e);
      node.sz -= size;
      fresh.sz += size;
    }
    return fresh;
  }

  /** _quicklistListpackMerge: b's elements join a's (a is left of b); b's node goes. */
  private merge(a: QuicklistNode, b: QuicklistNode): QuicklistNode {
    a.entries = a.entries.concat(b.entries);
    a.sz += b.sz - LP_EMPTY_BYTES;
    // Elements stay in the list: take them out of b before deleting the node.
    b.entries = [];
    this.deleteNode(b);
    return a;
  }

  /** _quicklistMergeNodes: after a split, merge the neighbours of `center` that fit together. */
  private mergeAround(center: QuicklistNode): void {
    const prev = center.prev;
    const prevPrev = prev?.prev ?? null;
    const next = center.next;
    const nextNext = next?.next ?? null;
    if (this.allowMerge(prev, prevPrev)) this.merge(prevPrev!, prev!);
    if (this.allowMerge(next, nextNext)) this.merge(next!, nextNext!);
    let target = center;
    if (this.allowMerge(center, center.prev)) target = this.merge(center.prev!, center);
    if (this.allowMerge(target, target.next)) this.merge(target, target.next!);
  }

  /** _quicklistInsert: `value` goes right after (or before) the element at `pos`. */
  insert(pos: ListPosition, value: Uint8Array, after: boolean): void {
    const { node, offset } = pos;
    const sz = value.length;
    const full = !this.allowInsert(node, sz);
    const atTail = after && offset === node.count - 1;
    const atHead = !after && offset === 0;
    const availNext = atTail && this.allowInsert(node.next, sz);
    const availPrev = atHead && this.allowInsert(node.prev, sz);

    if (this.isLarge(sz)) {
      if (node.plain || atTail || atHead) {
        this.insertNode(node, Quicklist.plainNode(value), after);
      } else {
        const fresh = this.split(node, offset, after);
        const plain = Quicklist.plainNode(value);
        this.insertNode(node, plain, after);
        this.insertNode(plain, fresh, after);
      }
      this.count++;
      return;
    }

    if (!full) {
      Quicklist.addAt(node, after ? offset + 1 : offset, value);
    } else if (atTail && availNext) {
      Quicklist.prepend(node.next!, value);
    } else if (atHead && availPrev) {
      Quicklist.append(node.prev!, value);
    } else if (atTail || atHead) {
      this.insertNode(node, Quicklist.packedNode(value), after);
    } else {
      const fresh = this.split(node, offset, after);
      if (after) Quicklist.prepend(fresh, value);
      else Quicklist.append(fresh, value);
      this.insertNode(node, fresh, after);
      this.mergeAround(node);
    }
    this.count++;
  }

  /** quicklistReplaceEntry: the element at `pos` becomes `value`. */
  replace(pos: ListPosition, value: Uint8Array): void {
    const { node, offset } = pos;
    const large = this.isLarge(value.length);
    if (!node.plain && !large) {
      // In place, whatever the node's size becomes (Redis 7.0 does not check the fill here).
      node.sz += listpackEntrySize(value) - listpackEntrySize(node.entries[offset]);
      node.entries[offset] = value;
    } else if (node.plain && large) {
      node.entries[0] = value;
      node.sz = value.length;
    } else if (node.plain) {
      this.insert(pos, value, true);
      this.deleteNode(node);
    } else {
      // A large element into a packed node: it gets a plain node after the
      // old element (splitting the node), then the old element goes.
      this.insert(pos, value, true);
      if (node.count === 1) this.deleteNode(node);
      else this.deleteAt({ node, offset: node.count - 1 });
    }
  }

  /** quicklistReplaceAtIndex: false when the index is out of range. */
  replaceAt(index: number, value: Uint8Array): boolean {
    const pos = this.locate(index);
    if (!pos) return false;
    this.replace(pos, value);
    return true;
  }

  // --- ranges

  /**
   * quicklistDelRange: deletes `n` elements from index `start` (negative
   * from the tail), as many as there are. Whole nodes in the range go;
   * partly covered ones lose their part; nothing merges.
   */
  deleteRange(start: number, n: number): boolean {
    if (n <= 0) return false;
    let extent = n;
    if (start >= 0 && extent > this.count - start) extent = this.count - start;
    else if (start < 0 && extent > -start) extent = -start;
    const pos = this.locate(start);
    if (!pos) return false;
    let node: QuicklistNode | null = pos.node;
    let offset = pos.offset;
    while (extent > 0 && node) {
      const next: QuicklistNode | null = node.next;
      let del: number;
      if ((offset === 0 && extent >= node.count) || node.plain) {
        del = node.count;
        this.deleteNode(node);
      } else {
        del = Math.min(node.count - offset, extent);
        Quicklist.removeEntries(node, offset, del);
        this.count -= del;
        if (node.count === 0) this.deleteNode(node);
      }
      extent -= del;
      node = next;
      offset = 0;
    }
    return true;
  }

  // --- whole lists

  /** quicklistDup: the same nodes, with the same fill and depth (element bytes are shared: never mutated). */
  dup(): Quicklist {
    const copy = new Quicklist(this.fill, this.compress);
    copy.packedThreshold = this.packedThreshold;
    for (const n of this.nodes()) {
      const node = n.clone();
      copy.insertNode(copy.tail, node, true);
      copy.count += node.count;
    }
    return copy;
  }

  /**
   * quicklistAppendListpack / quicklistAppendPlainNode: a node as an RDB
   * of type QUICKLIST_2 stores it, appended as it is (for the RDB loader).
   */
  appendNode(entries: readonly Uint8Array[], plain: boolean): void {
    const node = new QuicklistNode(plain);
    node.entries = entries.slice();
    node.sz = plain ? entries[0].length : LP_EMPTY_BYTES + entries.reduce((s, e) => s + listpackEntrySize(e), 0);
    this.insertNode(this.tail, node, true);
    this.count += node.count;
  }

  /** quicklistAppendListpack: a loaded listpack of `count` elements becomes the last node, as it is. */
  appendListpack(lp: Uint8Array, count: number): void {
    const node = QuicklistNode.fromListpack(lp, count);
    this.insertNode(this.tail, node, true);
    this.count += count;
  }

  /** Every element, head to tail. */
  toArray(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const n of this.nodes()) out.push(...n.entries);
    return out;
  }
}

export interface ListValue {
  readonly type: 'list';
  /** OBJECT ENCODING: always quicklist in Redis 7.0. */
  readonly encoding: 'quicklist';
  readonly list: Quicklist;
}

/**
 * A new, empty list as createQuicklistObject makes it, with the node's
 * list-max-listpack-size and list-compress-depth of the moment (and its
 * packed_threshold, which DEBUG QUICKLIST-PACKED-THRESHOLD changes).
 */
export function newListValue(fill: number, compress: number, packedThreshold = PACKED_THRESHOLD): ListValue {
  const list = new Quicklist(fill, compress);
  list.packedThreshold = packedThreshold;
  return { type: 'list', encoding: 'quicklist', list };
}

/** listTypeDup, for COPY: the same nodes in a new list (element bytes are never changed in place, so they are shared). */
export function listDup(value: ListValue): ListValue {
  return { type: 'list', encoding: 'quicklist', list: value.list.dup() };
}
