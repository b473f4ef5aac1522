// MEMORY USAGE (objectComputeSize and memoryCommand in object.c of 7.0.15):
// the bytes jemalloc gives a key's allocations. Each allocation is its
// jemalloc size class (je_malloc_usable_size), so what Redis allocates
// with a known size is exact here: the key's sds, a string (int, embstr
// or raw), a list's quicklist nodes and their listpacks, a listpack hash
// or sorted set, an intset, a stream's nodes, groups and PELs (the golden
// memory checks them). Estimated where Redis's figure depends on what the
// engine does not keep: a dict's size during an incremental rehash (its
// progress follows the random hash seed), the elements Redis samples in
// its dict order, skiplist nodes' random levels, the spare room of a
// string grown by APPEND or SETRANGE, a stream node loaded from an RDB
// (allocated to fit, where a node appended to keeps its preallocation).

import type { RedisValue } from './keyspace/value.ts';
import type { NodeConfig } from './config.ts';
import { listpackEntrySize } from './keyspace/listpack.ts';
import { listpackScore } from './keyspace/zset-score.ts';
import { memberBytes } from './keyspace/zset.ts';
import { setMembers } from './keyspace/set.ts';
import { raxShapeOf } from './keyspace/stream.ts';
import { fromLatin1, utf8 } from './bytes.ts';

/** je_malloc_usable_size of an allocation of n bytes (x86-64: 8, then 16-byte steps to 128, then four classes per doubling). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  let group = 128;
  while (n > group * 2) group *= 2;
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

/** sdsnewlen's allocation for a string of len bytes: the header its length needs, the bytes, the NUL. */
export function sdsAllocSize(len: number): number {
  const header = len === 0 ? 3 : len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
  return jemallocSize(header + len + 1);
}

const ROBJ = 16;
const DICT_ENTRY = 24;
const DICT = 56;
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;
const ZSET = 16;
const ZSKIPLIST = 32;
const ZSKIPLIST_HEADER = jemallocSize(24 + 32 * 16);
const STREAM = 80;
const STREAM_CG = 40;
const STREAM_NACK = 24;
const STREAM_CONSUMER = 24;
const LISTPACK_OVERHEAD = 7; // the 6-byte header and the end byte
const EMBSTR_SIZE_LIMIT = 44;
const STREAM_LISTPACK_MAX_PRE_ALLOCATE = 4096;

/** memoryCommand's USAGE: the value, the key's sds and its dict entry; samples as given (0: all). */
export function memoryUsage(key: string, value: RedisValue, samples: number, config: NodeConfig): number {
  return objectComputeSize(value, samples === 0 ? Infinity : samples, config) + sdsAllocSize(key.length) + DICT_ENTRY;
}

function listpackBytes(entries: Iterable<Uint8Array>): number {
  let n = LISTPACK_OVERHEAD;
  for (const e of entries) n += listpackEntrySize(e);
  return n;
}

/** A dict's slots: the smallest power of two (4 at least) holding its elements, as growth and dictResize leave it. */
function dictSlots(size: number): number {
  let slots = 4;
  while (slots < size) slots *= 2;
  return slots;
}

/** The first `samples` elements' average size times the element count, as objectComputeSize samples. */
function sampled(sizes: Iterable<number>, count: number, samples: number): number {
  let total = 0;
  let n = 0;
  for (const s of sizes) {
    if (n >= samples) break;
    total += s;
    n++;
  }
  return n ? (total / n) * count : 0;
}

function objectComputeSize(value: RedisValue, samples: number, config: NodeConfig): number {
  switch (value.type) {
    case 'string':
      if (value.encoding === 'int') return ROBJ;
      if (value.encoding === 'embstr' && value.bytes.length <= EMBSTR_SIZE_LIMIT) return jemallocSize(ROBJ + 3 + value.bytes.length + 1);
      return sdsAllocSize(value.bytes.length) + ROBJ;
    case 'list': {
      const list = value.list;
      const nodes = function* () {
        for (const node of list.nodes()) yield QUICKLIST_NODE + jemallocSize(node.sz);
      };
      return Math.floor(ROBJ + QUICKLIST + sampled(nodes(), list.len, samples));
    }
    case 'hash': {
      if (value.encoding === 'listpack') {
        const entries = function* () {
          for (const [field, v] of value.fields) {
            yield fromLatin1(field);
            yield v;
          }
        };
        return ROBJ + jemallocSize(listpackBytes(entries()));
      }
      const size = ROBJ + DICT + 8 * dictSlots(value.fields.size);
      const elements = function* () {
        for (const [field, v] of value.fields) yield sdsAllocSize(field.length) + sdsAllocSize(v.length) + DICT_ENTRY;
      };
      return Math.floor(size + sampled(elements(), value.fields.size, samples));
    }
    case 'set': {
      if (value.encoding === 'intset') return ROBJ + jemallocSize(8 + value.ints.length * value.intWidth);
      const members = [...setMembers(value)];
      const size = ROBJ + DICT + 8 * dictSlots(members.length);
      return Math.floor(size + sampled(members.map((m) => DICT_ENTRY + sdsAllocSize(m.length)), members.length, samples));
    }
    case 'zset': {
      const tree = value.tree;
      if (value.encoding === 'listpack') {
        const entries = function* () {
          for (let r = 0; r < tree.size; r++) {
            yield memberBytes(tree.memberAt(r));
            yield utf8(listpackScore(tree.scoreAt(r)));
          }
        };
        return ROBJ + jemallocSize(listpackBytes(entries()));
      }
      // Each skiplist node taken at level 1 (three in four are; Redis draws the levels at random).
      const size = ROBJ + ZSET + ZSKIPLIST + DICT + 8 * dictSlots(tree.size) + ZSKIPLIST_HEADER;
      const nodes = function* () {
        for (let r = 0; r < tree.size; r++) yield sdsAllocSize(memberBytes(tree.memberAt(r)).length) + DICT_ENTRY + jemallocSize(24 + 16);
      };
      return Math.floor(size + sampled(nodes(), tree.size, samples));
    }
    case 'stream': {
      let size = ROBJ + STREAM + radixTree(value.rax.keys());
      // Nodes are allocated with room to grow (the last one) and shrunk to fit once full.
      const prealloc = config.streamNodeMaxBytes > 0 && config.streamNodeMaxBytes < STREAM_LISTPACK_MAX_PRE_ALLOCATE ? config.streamNodeMaxBytes : STREAM_LISTPACK_MAX_PRE_ALLOCATE;
      const lps = [...value.rax.entries()].map(([, lp]) => lp.bytes);
      const alloc = (bytes: number, last: boolean) => (last ? Math.max(jemallocSize(prealloc), jemallocSize(bytes)) : jemallocSize(bytes));
      const taken = lps.slice(0, samples).map((b, i) => alloc(b, i === lps.length - 1));
      const lpSize = taken.reduce((a, b) => a + b, 0);
      if (lps.length <= taken.length) size += lpSize;
      else size += Math.floor(lpSize / taken.length) * (lps.length - 1) + alloc(lps[lps.length - 1], true);
      for (const group of value.groups?.values() ?? []) {
        size += STREAM_CG + radixTree(group.pel.keys()) + STREAM_NACK * group.pel.size;
        for (const consumer of group.consumers.values()) size += STREAM_CONSUMER + consumer.name.length + radixTree(consumer.pel.keys());
      }
      return size;
    }
  }
}

/** streamRadixTreeMemoryUsage, with its quirk: sizeof(rax) is assigned, then overwritten. */
function radixTree(ids: readonly bigint[]): number {
  const { keys, nodes } = raxShapeOf(ids);
  return keys * 16 + nodes * 4 + nodes * 8 * 30;
}
