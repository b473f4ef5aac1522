// Lists in RDB files and DUMP payloads.
//
// Written as RDB_TYPE_LIST_QUICKLIST_2 (rdbSaveObject): the number of
// quicklist nodes, then per node its container (2 packed, 1 plain) and its
// bytes as a string: the node's listpack, or a plain node's one element. A
// node Redis holds LZF-compressed in memory (list-compress-depth) is written
// as the compressed bytes it holds (rdbSaveLzfBlob), any other through
// rdbSaveRawString. With rdbcompression on both come out the same: a node is
// compressed in memory only when LZF saves more than 8 bytes of it, and then
// rdbSaveRawString compresses it too, into the same bytes. With it off, the
// compressed nodes stay compressed and the others raw.
//
// Which nodes Redis holds compressed is not stored in the model
// (keyspace/list.ts); it is derived here as __quicklistCompress leaves
// them: every node but the `compress` nodes at either end, when the list
// has more than 2 * compress nodes, if the node has 48 bytes or more and LZF
// saves more than 8. Redis decides per node when a node is touched, so a
// node can differ from that rule after some edits (a small inner node grown
// by LINSERT is not compressed again until it is compressed once more).
//
// Read (rdbLoadObject): RDB_TYPE_LIST_QUICKLIST_2 and the older formats
// real files carry, each rebuilt as Redis 7.0 rebuilds it:
//  - QUICKLIST_2 and QUICKLIST (ziplist nodes): each node appended as it
//    is, never merged or split (quicklistAppendListpack), empty ones
//    skipped; a ziplist node becomes a listpack of the same elements;
//  - ZIPLIST (one ziplist) and LIST (a count, then strings): the elements
//    pushed one by one at the tail (quicklistPushTail), so nodes follow
//    list-max-listpack-size.
// A list with no element left is an empty key. Listpacks are checked as
// Redis checks them by default (the header only: see rdb/listpack.ts);
// ziplists in full, as Redis always checks them.

import { newListValue, type ListValue } from '../keyspace/list.ts';
import { encodeListpack } from '../keyspace/listpack.ts';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_C_LINE,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
} from './format.ts';
import { lpCountEntries, lpLength, lpValidateHeader } from './listpack.ts';
import { lzfCompress } from './lzf.ts';
import type { RdbReader } from './reader.ts';
import type { ValueDecoder, ValueEncoder } from './values.ts';
import type { RdbWriter } from './writer.ts';
import { ziplistEntries } from './ziplist.ts';

/** MIN_COMPRESS_BYTES: smaller nodes are never compressed. */
const MIN_COMPRESS_BYTES = 48;
/** MIN_COMPRESS_IMPROVE: compression must save more than this many bytes. */
const MIN_COMPRESS_IMPROVE = 8;

export const listEncoder: ValueEncoder<ListValue> = {
  rdbType: () => RDB_TYPE_LIST_QUICKLIST_2,
  write(w: RdbWriter, value: ListValue) {
    const ql = value.list;
    w.length(ql.len);
    // __quicklistCompress leaves `depth` nodes raw at each end, and every node raw while there are 2 * depth or fewer.
    const depth = ql.compress;
    const compressing = depth > 0 && ql.len > 2 * depth;
    let i = 0;
    for (const node of ql.nodes()) {
      w.length(node.plain ? QUICKLIST_NODE_CONTAINER_PLAIN : QUICKLIST_NODE_CONTAINER_PACKED);
      // A node no command has touched since it was loaded is written back as the listpack it was read as.
      const data = node.plain ? node.entries[0] : (node.listpack ?? encodeListpack(node.entries));
      const inner = compressing && i >= depth && i < ql.len - depth;
      const compressed = inner && !w.compression ? compressNode(data) : null;
      if (compressed) w.lzfBlob(compressed, data.length);
      else w.rawString(data);
      i++;
    }
  },
};

/** __quicklistCompressNode: the compressed bytes, or null when Redis keeps the node raw. */
function compressNode(data: Uint8Array): Uint8Array | null {
  if (data.length < MIN_COMPRESS_BYTES) return null;
  const compressed = lzfCompress(data, data.length);
  if (!compressed || compressed.length + MIN_COMPRESS_IMPROVE >= data.length) return null;
  return compressed;
}

export const listDecoder: ValueDecoder = {
  read(r, rdbType, ctx) {
    const value = newListValue(ctx.config.listMaxListpackSize, ctx.config.listCompressDepth, ctx.config.quicklistPackedThreshold);
    const ql = value.list;
    if (rdbType === RDB_TYPE_LIST) {
      let n = r.length();
      while (n-- > 0) ql.push(r.string(), false);
    } else if (rdbType === RDB_TYPE_LIST_ZIPLIST) {
      const entries = ziplistEntries(r.string());
      if (!entries) throw r.corrupt(RDB_C_LINE.listZiplistIntegrity, 'List ziplist integrity check failed.');
      for (const e of entries) ql.push(e, false);
    } else {
      // RDB_TYPE_LIST_QUICKLIST_2, or RDB_TYPE_LIST_QUICKLIST (every node a ziplist).
      const nodes = r.length();
      for (let i = 0; i < nodes; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (rdbType === RDB_TYPE_LIST_QUICKLIST_2) {
          container = r.length();
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            throw r.corrupt(RDB_C_LINE.quicklistIntegrity, 'Quicklist integrity check failed.');
          }
        }
        const data = r.string();
        // Redis fails an empty node without a message of its own: the loader then reports a short read.
        if (data.length === 0) throw r.shortRead();
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          ql.appendNode([data], true);
          continue;
        }
        if (rdbType === RDB_TYPE_LIST_QUICKLIST_2) {
          const count = listpackNode(r, data);
          if (count > 0) ql.appendListpack(data, count);
          continue;
        }
        const entries = ziplistNode(r, data);
        if (entries.length > 0) ql.appendNode(entries, false);
      }
    }
    return ql.count === 0 ? null : value;
  },
};

/**
 * A QUICKLIST_2 node: the header checked as lpValidateIntegrity(deep = 0)
 * does; a node whose count says empty is skipped as Redis skips it; the
 * entries must then be readable (see rdb/listpack.ts). The number of
 * entries the node holds: the node keeps the listpack itself, as Redis
 * does, and makes element arrays only when a command reads it.
 */
function listpackNode(r: RdbReader, lp: Uint8Array): number {
  const corrupt = () => r.corrupt(RDB_C_LINE.listpackIntegrity, 'Listpack integrity check failed.');
  if (!lpValidateHeader(lp)) throw corrupt();
  const count = lpLength(lp);
  if (count === null) throw corrupt();
  if (count === 0) return 0;
  const walked = lpCountEntries(lp);
  if (!walked) throw corrupt();
  return walked;
}

/** A QUICKLIST node: a ziplist, checked in full, its elements as a listpack's. */
function ziplistNode(r: RdbReader, zl: Uint8Array): Uint8Array[] {
  const entries = ziplistEntries(zl);
  if (!entries) throw r.corrupt(RDB_C_LINE.ziplistIntegrity, 'Ziplist integrity check failed.');
  return entries;
}
