// Sets in RDB files and DUMP payloads. Redis 7.0 has two set types in its
// RDB format (rdb.h): RDB_TYPE_SET (2) and RDB_TYPE_SET_INTSET (11);
// RDB_TYPE_SET_LISTPACK came with 7.2 and is no type at all to 7.0.
//
// Written (rdbSaveObject) as RDB_TYPE_SET_INTSET when intset-encoded: the
// intset blob as one string (by rdbSaveRawString's rules, so LZF when
// rdbcompression gains 4 bytes): a 32-bit record width (2, 4 or 8), a
// 32-bit count, then the values ascending, each in that width, all
// little-endian (intset.c stores them so on every host); as RDB_TYPE_SET
// when a hashtable: the count, then each member as a string, in the
// engine's order (Redis writes its dict's order, which follows a random
// per-process seed: the same members, in another order).
//
// Read (rdbLoadObject) with the encoding Redis 7.0 gives the loaded set:
//  - SET: a hashtable from the start when it has more members than
//    set-max-intset-entries; otherwise an intset until a member that is not
//    an integer converts it; a member twice is refused (where Redis checks
//    it: in the intset, or in the dict);
//  - SET_INTSET: the blob checked as intsetValidateIntegrity checks it
//    (a known width, a size that matches the count, at least one record),
//    then a hashtable when it holds more than set-max-intset-entries.
// A set with no member (SET with a count of 0) is an empty key.
//
// Where Redis with the default `sanitize-dump-payload no` accepts an intset
// whose records are not strictly ascending (out of order or repeated: the
// deep check it skips), which its binary searches then misread, the engine
// refuses it as Redis does with `sanitize-dump-payload yes`, with the same
// message: it keeps an intset's values ascending.

import {
  memberInteger,
  newHashtableSet,
  newIntset,
  setAdd,
  setConvertToHashtable,
  type IntsetWidth,
  type SetLimits,
  type SetValue,
} from '../keyspace/set.ts';
import { RDB_C_LINE, RDB_TYPE_SET, RDB_TYPE_SET_INTSET } from './format.ts';
import type { RdbReader } from './reader.ts';
import type { ValueDecoder, ValueEncoder } from './values.ts';
import type { RdbWriter } from './writer.ts';

/** The intset header: encoding (record width) and length, 32 bits each. */
const INTSET_HEADER = 8;

/** The intset blob of an intset-encoded set, as intset.c lays it out. */
export function intsetBlob(set: SetValue): Uint8Array {
  const width = set.intWidth;
  const blob = new Uint8Array(INTSET_HEADER + set.ints.length * width);
  const view = new DataView(blob.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, set.ints.length, true);
  let at = INTSET_HEADER;
  for (const v of set.ints) {
    if (width === 2) view.setInt16(at, Number(v), true);
    else if (width === 4) view.setInt32(at, Number(v), true);
    else view.setBigInt64(at, v, true);
    at += width;
  }
  return blob;
}

export const setEncoder: ValueEncoder<SetValue> = {
  rdbType: (set) => (set.encoding === 'intset' ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET),
  write(w: RdbWriter, set: SetValue) {
    if (set.encoding === 'intset') {
      w.rawString(intsetBlob(set));
      return;
    }
    w.length(set.table.size);
    for (const member of set.table) w.rawString(member);
  },
};

export const setDecoder: ValueDecoder = {
  read(r, rdbType, ctx) {
    if (rdbType === RDB_TYPE_SET) return readSet(r, ctx.config);
    if (rdbType === RDB_TYPE_SET_INTSET) return readIntset(r, ctx.config);
    throw new Error(`not a set type: ${rdbType}`);
  },
};

/** set-max-intset-entries as setTypeAdd and rdbLoadObject bound it (intset internals: 1G entries). */
function maxIntsetEntries(limits: SetLimits): number {
  return Math.min(limits.setMaxIntsetEntries, 1 << 30);
}

/** RDB_TYPE_SET: a count, then the members as strings. */
function readSet(r: RdbReader, limits: SetLimits): SetValue | null {
  const len = r.length();
  if (len === 0) return null;
  const set = len > maxIntsetEntries(limits) ? newHashtableSet() : newIntset();
  for (let i = 0; i < len; i++) {
    const member = r.string();
    if (set.encoding === 'intset') {
      if (memberInteger(member) !== null) {
        // At most len <= set-max-intset-entries members: never converts here.
        if (!setAdd(set, member, limits)) throw r.corrupt(RDB_C_LINE.setDuplicateInIntset, 'Duplicate set members detected');
        continue;
      }
      setConvertToHashtable(set);
    }
    if (!set.table.add(member)) throw r.corrupt(RDB_C_LINE.setDuplicate, 'Duplicate set members detected');
  }
  return set;
}

/** RDB_TYPE_SET_INTSET: the blob, checked, as an intset (or a hashtable beyond set-max-intset-entries). */
function readIntset(r: RdbReader, limits: SetLimits): SetValue {
  const blob = r.string();
  const set = intsetFromBlob(blob);
  if (!set) throw r.corrupt(RDB_C_LINE.intsetIntegrity, 'Intset integrity check failed.');
  if (set.ints.length > limits.setMaxIntsetEntries) setConvertToHashtable(set);
  return set;
}

/**
 * intsetValidateIntegrity, deep: the set an intset blob holds, or null
 * when its width is not 2, 4 or 8, its size is not the header plus count
 * records, it has no record, or its records are not strictly ascending.
 */
export function intsetFromBlob(blob: Uint8Array): SetValue | null {
  if (blob.length < INTSET_HEADER) return null;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const width = view.getUint32(0, true);
  if (width !== 2 && width !== 4 && width !== 8) return null;
  const count = view.getUint32(4, true);
  if (INTSET_HEADER + count * width !== blob.length || count === 0) return null;
  const set = newIntset();
  set.intWidth = width as IntsetWidth;
  for (let i = 0, at = INTSET_HEADER; i < count; i++, at += width) {
    const v = width === 2 ? BigInt(view.getInt16(at, true)) : width === 4 ? BigInt(view.getInt32(at, true)) : view.getBigInt64(at, true);
    if (i > 0 && v <= set.ints[i - 1]) return null;
    set.ints.push(v);
  }
  return set;
}
