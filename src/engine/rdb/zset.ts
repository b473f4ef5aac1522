// Sorted sets in RDB files and DUMP payloads.
//
// Written (rdbSaveObject) as RDB_TYPE_ZSET_LISTPACK when listpack-encoded:
// the listpack of member, score, member, score... from the lowest score, as
// one string (LZF by rdbSaveRawString's rules), each score as zzlInsertAt
// stores it (an integer entry within +-2^62, else its "%.17g" text or
// inf/-inf: keyspace/zset-score.ts listpackScore); as RDB_TYPE_ZSET_2 when
// a skiplist: the number of members, then from the highest score down (the
// skiplist walked from its tail) each member as a string and its score as
// 8 bytes of little-endian binary64. Both orders are the zset's own, so
// the bytes are Redis's exactly.
//
// Read (rdbLoadObject) with the encoding Redis 7.0 gives the loaded zset:
//  - ZSET_2 and the old ZSET (scores as text: a length byte, 253 NaN, 254
//    inf, 255 -inf, else that many bytes read with sscanf %lg): a listpack
//    when it ends up with at most zset-max-listpack-entries members none
//    longer than zset-max-listpack-value, else a skiplist;
//  - ZSET_LISTPACK and ZSET_ZIPLIST: a listpack, a skiplist when it has
//    more than zset-max-listpack-entries members (member lengths are not
//    checked, as Redis does not).
// A NaN score and a member twice are refused with Redis's messages. A zset
// with no member is an empty key.
//
// Redis keeps a loaded listpack's bytes as they are; the engine keeps
// members and scores and writes its listpack again. The bytes are the same
// for every listpack Redis writes; they differ for a hand-made one whose
// scores are not in Redis's form (a score "1.50", or "1e+17" where Redis
// writes the integer) or whose pairs are out of order (the engine sorts
// them). Where Redis with the default `sanitize-dump-payload no` accepts a
// listpack the engine cannot hold (entries it cannot read, an odd number
// of them, a member twice: rdb/listpack.ts), or a NaN score in one, the
// engine refuses it as Redis does with `sanitize-dump-payload yes`.

import { fromLatin1, latin1 } from '../bytes.ts';
import { encodeListpack } from '../keyspace/listpack.ts';
import { memberBytes, newZset, zsetConvert, zsetConvertToListpackIfNeeded, zsetInsertNew, type ZsetLimits, type ZsetValue } from '../keyspace/zset.ts';
import { listpackScore, listpackStrtod, strtod } from '../keyspace/zset-score.ts';
import { RDB_C_LINE, RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_ZSET_ZIPLIST } from './format.ts';
import { lpEntries, lpLength, lpValidateHeader } from './listpack.ts';
import type { RdbReader } from './reader.ts';
import type { ValueDecoder, ValueEncoder } from './values.ts';
import type { RdbWriter } from './writer.ts';
import { ziplistEntries } from './ziplist.ts';

export const zsetEncoder: ValueEncoder<ZsetValue> = {
  rdbType: (zset) => (zset.encoding === 'listpack' ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2),
  write(w: RdbWriter, zset: ZsetValue) {
    if (zset.encoding === 'listpack') {
      const entries: Uint8Array[] = [];
      zset.tree.forEach((score, member) => entries.push(memberBytes(member), fromLatin1(listpackScore(score))));
      w.rawString(encodeListpack(entries));
      return;
    }
    w.length(zset.dict.size);
    const double = new DataView(new ArrayBuffer(8));
    const bytes = new Uint8Array(double.buffer);
    zset.tree.forEach((score, member) => {
      w.rawStringLatin1(member);
      double.setFloat64(0, score, true);
      w.raw(bytes);
    }, true);
  },
};

export const zsetDecoder: ValueDecoder = {
  read(r, rdbType, ctx) {
    const limits = ctx.config;
    switch (rdbType) {
      case RDB_TYPE_ZSET_2:
      case RDB_TYPE_ZSET:
        return readSkiplist(r, rdbType === RDB_TYPE_ZSET_2, limits);
      case RDB_TYPE_ZSET_LISTPACK: {
        const lp = r.string();
        const corrupt = () => r.corrupt(RDB_C_LINE.zsetListpackIntegrity, 'Zset listpack integrity check failed.');
        if (!lpValidateHeader(lp)) throw corrupt();
        const count = lpLength(lp);
        if (count === null) throw corrupt();
        if (Math.floor(count / 2) === 0) return null;
        const zset = pairs(lpEntries(lp));
        if (!zset || zset.dict.size === 0) throw corrupt();
        if (Math.floor(count / 2) > limits.zsetMaxListpackEntries) zsetConvert(zset, 'skiplist');
        return zset;
      }
      case RDB_TYPE_ZSET_ZIPLIST: {
        const zset = pairs(ziplistEntries(r.string()));
        if (!zset) throw r.corrupt(RDB_C_LINE.zsetZiplistIntegrity, 'Zset ziplist integrity check failed.');
        if (zset.dict.size === 0) return null;
        if (zset.dict.size > limits.zsetMaxListpackEntries) zsetConvert(zset, 'skiplist');
        return zset;
      }
      default:
        throw new Error(`not a zset type: ${rdbType}`);
    }
  },
};

/** RDB_TYPE_ZSET_2 (binary scores) or RDB_TYPE_ZSET (text scores): a count, then member and score pairs. */
function readSkiplist(r: RdbReader, binary: boolean, limits: ZsetLimits): ZsetValue | null {
  let len = r.length();
  if (len === 0) return null;
  const zset = newZset('skiplist');
  const double = new DataView(new ArrayBuffer(8));
  while (len-- > 0) {
    const member = r.stringLatin1();
    let score: number;
    if (binary) {
      const at = r.take(8);
      for (let i = 0; i < 8; i++) double.setUint8(i, r.bytes[at + i]);
      score = double.getFloat64(0, true);
    } else {
      score = textScore(r);
    }
    if (Number.isNaN(score)) throw r.corrupt(RDB_C_LINE.zsetNanScore, 'Zset with NAN score detected');
    if (zset.dict.has(member)) throw r.corrupt(RDB_C_LINE.zsetDuplicate, 'Duplicate zset fields detected');
    zsetInsertNew(zset, score, member);
  }
  // Converted after loading: the pairs are not stored in order.
  zsetConvertToListpackIfNeeded(zset, limits);
  return zset;
}

/**
 * rdbLoadDoubleValue: a length byte (253 NaN, 254 inf, 255 -inf), else
 * that many bytes of text read as sscanf("%lg") reads them (a number at the
 * start, after white space); text with none fails the read, which Redis
 * reports as a short read.
 */
function textScore(r: RdbReader): number {
  const len = r.byte();
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return NaN;
  const at = r.take(len);
  const parsed = strtod(r.bytes.subarray(at, at + len));
  if (parsed.end === 0) throw r.shortRead();
  return parsed.value;
}

/**
 * Member, score, member, score... as a listpack-encoded zset; null for no
 * entries to read, an odd count, a member twice or a NaN score. An integer
 * entry comes as its digits, which read back as the same double.
 */
function pairs(entries: readonly Uint8Array[] | null): ZsetValue | null {
  if (!entries || entries.length % 2 !== 0) return null;
  const zset = newZset('listpack');
  for (let i = 0; i < entries.length; i += 2) {
    const member = latin1(entries[i]);
    const score = listpackStrtod(entries[i + 1]);
    if (zset.dict.has(member) || Number.isNaN(score)) return null;
    zsetInsertNew(zset, score, member);
  }
  return zset;
}
