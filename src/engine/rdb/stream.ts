// Streams in RDB files and DUMP payloads (rdbSaveObject and rdbLoadObject
// of rdb.c, Redis 7.0.15).
//
// Written as RDB_TYPE_STREAM_LISTPACKS_2: the number of nodes; each node's
// master ID (16 bytes, big-endian) and its listpack as they are, both as
// raw strings (LZF by rdbSaveRawString's rules); the length, the last ID,
// the first ID, the largest deleted ID (each ID as two lengths: ms, seq)
// and entries_added; then the groups in name order, each with its name, its
// last ID, its entries_read (a long long written as a 64-bit length: -1 is
// 2^64-1), its PEL (the count, then each ID raw with its delivery time, 8
// bytes little-endian, and delivery count) and its consumers in name order
// (name, seen-time, and the IDs of its own PEL: the NACKs are the group's).
//
// Read: RDB_TYPE_STREAM_LISTPACKS_2 and the older RDB_TYPE_STREAM_LISTPACKS
// (Redis 5 and 6: no first ID, deleted ID or entries_added, no entries_read;
// 7.0 derives them as Redis does). Every listpack is checked as
// streamValidateListpackIntegrity does with deep sanitization (the whole
// entry structure), and a PEL entry left without a consumer is refused:
// Redis checks both only with `sanitize-dump-payload yes` and otherwise
// loads them to fail an assertion later; the engine refuses them with
// Redis's sanitizing messages (docs/compat.md).

import { bytesEqual, string2ll } from '../bytes.ts';
import type { ExpireTime } from '../keyspace/db.ts';
import { decodeId, encodeId, idMs, idSeq, makeId, type StreamId } from '../keyspace/stream-id.ts';
import { StreamListpack } from '../keyspace/stream-listpack.ts';
import {
  createConsumer,
  createGroup,
  estimateDistance,
  newStream,
  sortedByName,
  STREAM_ITEM_FLAG_SAMEFIELDS,
  streamEdgeId,
  u64,
  type StreamNack,
  type StreamValue,
  type U64,
} from '../keyspace/stream.ts';
import { RDB_64BITLEN, RDB_C_LINE, RDB_TYPE_STREAM_LISTPACKS_2 } from './format.ts';
import { lpEntries, lpValidateHeader } from './listpack.ts';
import type { RdbReader } from './reader.ts';
import type { ValueDecoder, ValueEncoder } from './values.ts';
import type { RdbWriter } from './writer.ts';

/** rdbSaveLen of an unsigned 64-bit value. */
function writeU64(w: RdbWriter, v: U64 | bigint): void {
  if (typeof v === 'number') return w.length(v);
  if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return w.length(Number(v));
  w.byte(RDB_64BITLEN);
  const bytes = new Uint8Array(8);
  let x = BigInt.asUintN(64, v);
  for (let i = 7; i >= 0; i--, x >>= 8n) bytes[i] = Number(x & 0xffn);
  w.raw(bytes);
}

function writeId(w: RdbWriter, id: StreamId): void {
  writeU64(w, idMs(id));
  writeU64(w, idSeq(id));
}

/** rdbLoadLen of a value that may need all 64 bits (IDs, counters; 2^64-1 included). */
function readU64(r: RdbReader): bigint {
  if (r.remaining > 0 && r.bytes[r.pos] === RDB_64BITLEN) {
    r.byte();
    const at = r.take(8);
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(r.bytes[at + i]);
    return v;
  }
  return BigInt(r.length());
}

function readId(r: RdbReader): StreamId {
  const ms = readU64(r);
  return makeId(ms, readU64(r));
}

export const streamEncoder: ValueEncoder<StreamValue> = {
  rdbType: () => RDB_TYPE_STREAM_LISTPACKS_2,
  write(w: RdbWriter, s: StreamValue) {
    w.length(s.rax.size);
    for (const [master, lp] of s.rax.entries()) {
      w.rawString(encodeId(master));
      w.rawString(lp.view());
    }
    w.length(s.length);
    writeId(w, s.lastId);
    writeId(w, s.firstId);
    writeId(w, s.maxDeletedId);
    writeU64(w, s.entriesAdded);
    const groups = sortedByName(s.groups);
    w.length(groups.length);
    for (const g of groups) {
      w.rawString(g.name);
      writeId(w, g.lastId);
      writeU64(w, BigInt.asUintN(64, g.entriesRead));
      w.length(g.pel.size);
      for (const [id, nack] of g.pel.entries()) {
        w.raw(encodeId(id));
        w.millisecondTime(nack.deliveryTime);
        writeU64(w, nack.deliveryCount);
      }
      const consumers = sortedByName(g.consumers);
      w.length(consumers.length);
      for (const c of consumers) {
        w.rawString(c.name);
        w.millisecondTime(c.seenTime);
        w.length(c.pel.size);
        for (const [id] of c.pel.entries()) w.raw(encodeId(id));
      }
    }
  },
};

export const streamDecoder: ValueDecoder = {
  read(r, rdbType) {
    const v2 = rdbType === RDB_TYPE_STREAM_LISTPACKS_2;
    const s = newStream();
    let nodes = r.length();
    while (nodes-- > 0) {
      const key = r.string();
      if (key.length !== 16) throw r.corrupt(RDB_C_LINE.streamNodeKeySize, 'Stream node key entry is not the size of a stream ID');
      const bytes = r.string();
      if (!lpValidateHeader(bytes)) throw listpackCorrupt(r);
      if (bytes[6] === 0xff) throw r.corrupt(RDB_C_LINE.streamEmptyListpack, 'Empty listpack inside stream');
      if (!validStreamListpack(bytes)) throw listpackCorrupt(r);
      const master = decodeId(key);
      if (s.rax.has(master)) throw r.corrupt(RDB_C_LINE.streamListpackReAdded, 'Listpack re-added with existing key');
      s.rax.set(master, StreamListpack.of(bytes));
    }
    const length = readU64(r);
    if (length > BigInt(Number.MAX_SAFE_INTEGER)) throw r.corrupt(RDB_C_LINE.streamLengthInconsistent, 'Stream length inconsistent with rax entries');
    s.length = Number(length);
    s.lastId = readId(r);
    if (v2) {
      s.firstId = readId(r);
      s.maxDeletedId = readId(r);
      s.entriesAdded = readU64(r);
    } else {
      // Loaded from Redis 5 or 6: counted as if every entry were still there.
      s.entriesAdded = length;
      s.firstId = streamEdgeId(s, true, true);
    }
    if (s.length > 0 && s.rax.size === 0) throw r.corrupt(RDB_C_LINE.streamLengthInconsistent, 'Stream length inconsistent with rax entries');
    let groups = r.length();
    while (groups-- > 0) {
      const name = r.string();
      const lastId = readId(r);
      const entriesRead = v2 ? BigInt.asIntN(64, readU64(r)) : estimateDistance(s, lastId);
      const group = createGroup(s, name, lastId, entriesRead);
      if (!group) throw r.corrupt(RDB_C_LINE.streamDuplicateGroup, `Duplicated consumer group name ${cName(name)}`);
      let pel = r.length();
      while (pel-- > 0) {
        const at = r.take(16);
        const id = decodeId(r.bytes, at);
        const nack: StreamNack = { deliveryTime: r.millisecondTime(), deliveryCount: u64(readU64(r)), consumer: null };
        if (!group.pel.set(id, nack)) throw r.corrupt(RDB_C_LINE.streamDuplicatePel, 'Duplicated global PEL entry loading stream consumer group');
      }
      let consumers = r.length();
      while (consumers-- > 0) {
        const cname = r.string();
        const consumer = createConsumer(group, cname, 0);
        if (!consumer) throw r.corrupt(RDB_C_LINE.streamDuplicateConsumer, 'Duplicate stream consumer detected.');
        consumer.seenTime = r.millisecondTime() as ExpireTime;
        let own = r.length();
        while (own-- > 0) {
          const at = r.take(16);
          const id = decodeId(r.bytes, at);
          const nack = group.pel.get(id);
          if (!nack) throw r.corrupt(RDB_C_LINE.streamConsumerNackMissing, 'Consumer entry not found in group global PEL');
          // The oracle's check (a NACK is one consumer's): it also stops an ID listed twice.
          if (nack.consumer) throw r.corrupt(RDB_C_LINE.streamNackAlreadyOwned, 'Stream consumer PEL entry already has a consumer assigned');
          nack.consumer = consumer;
          consumer.pel.set(id, nack);
        }
      }
      for (const [, nack] of group.pel.entries()) {
        if (!nack.consumer) throw r.corrupt(RDB_C_LINE.streamPelWithoutConsumer, 'Stream CG PEL entry without consumer');
      }
    }
    return s;
  },
};

/** The group name as %s prints an sds: up to its first NUL. */
function cName(name: Uint8Array): string {
  const nul = name.indexOf(0);
  return String.fromCharCode(...(nul < 0 ? name : name.subarray(0, nul)));
}

function listpackCorrupt(r: RdbReader) {
  return r.corrupt(RDB_C_LINE.streamListpackIntegrity, 'Stream listpack integrity check failed.');
}

const ZERO = new Uint8Array([0x30]);

/**
 * streamValidateListpackIntegrity with deep checks, on a listpack whose
 * header passed: every element readable, the master entry, and each entry's
 * flags, ID deltas, fields and lp-count, up to the listpack's end.
 */
function validStreamListpack(lp: Uint8Array): boolean {
  const e = lpEntries(lp);
  if (!e) return false;
  let i = 0;
  const int = (): bigint | null => {
    if (i >= e.length) return null;
    const v = string2ll(e[i++]);
    return v === null ? null : BigInt(v);
  };
  const count = int();
  const deleted = int();
  const masterFields = int();
  if (count === null || deleted === null || masterFields === null) return false;
  // A count below zero skips nothing (a C for loop), and too many entries run off the end.
  const skip = (n: bigint) => (i += n > 0n ? Number(n) : 0);
  skip(masterFields);
  if (i >= e.length || !bytesEqual(e[i], ZERO)) return false;
  i++;
  let entries = count + deleted;
  if (entries < 0n) return false;
  while (entries-- > 0n) {
    const flags = int();
    if (flags === null || int() === null || int() === null) return false;
    let fields = masterFields;
    let extra = 3n;
    if (!(flags & BigInt(STREAM_ITEM_FLAG_SAMEFIELDS))) {
      const n = int();
      if (n === null) return false;
      fields = n;
      skip(fields);
      extra += fields + 1n;
    }
    skip(fields);
    const lpCount = int();
    if (lpCount === null || lpCount !== fields + extra) return false;
  }
  return i === e.length;
}

