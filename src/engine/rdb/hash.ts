// Hashes in RDB files and DUMP payloads.
//
// Written (rdbSaveObject) as RDB_TYPE_HASH_LISTPACK when listpack-encoded:
// the listpack of field, value, field, value... in the hash's order, as one
// string (LZF by rdbSaveRawString's rules); as RDB_TYPE_HASH when a
// hashtable: the number of fields, then each field and value as strings,
// in the engine's order (Redis writes its dict's order, which follows a
// random per-process seed: the same pairs, in another order).
//
// Read (rdbLoadObject) with the encoding Redis 7.0 gives the loaded hash:
//  - HASH: a hashtable from the start when it has more fields than
//    hash-max-listpack-entries; otherwise a listpack until a field or value
//    longer than hash-max-listpack-value converts it;
//  - HASH_LISTPACK, HASH_ZIPLIST: a listpack, a hashtable when it has more
//    fields than hash-max-listpack-entries (lengths are not checked: that
//    would take a walk Redis does not do);
//  - HASH_ZIPMAP (Redis 2.4 and older): a listpack, a hashtable when it has
//    too many fields or one too long.
// A hash with no field is an empty key.
//
// A field twice is refused where Redis refuses it. Where Redis with the
// default `sanitize-dump-payload no` accepts a value the engine cannot hold
// (a field twice in a listpack, an odd number of entries, entries it could
// not read: see rdb/listpack.ts), the engine refuses it as Redis does with
// `sanitize-dump-payload yes`, with the same message.
//
// Not modelled: lpSafeToAdd's 1 GB bound on a listpack, which only a value
// near 1 GB reaches.

import { fieldBytes, fieldName, newHash, type HashLimits, type HashValue } from '../keyspace/hash.ts';
import { encodeListpack } from '../keyspace/listpack.ts';
import {
  RDB_C_LINE,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
} from './format.ts';
import { lpEntries, lpLength, lpValidateHeader } from './listpack.ts';
import type { RdbReader } from './reader.ts';
import type { ValueDecoder, ValueEncoder } from './values.ts';
import type { RdbWriter } from './writer.ts';
import { ziplistEntries } from './ziplist.ts';
import { zipmapPairs } from './zipmap.ts';

export const hashEncoder: ValueEncoder<HashValue> = {
  rdbType: (hash) => (hash.encoding === 'listpack' ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH),
  write(w: RdbWriter, hash: HashValue) {
    if (hash.encoding === 'listpack') {
      const entries: Uint8Array[] = [];
      for (const [name, value] of hash.fields) entries.push(fieldBytes(name), value);
      w.rawString(encodeListpack(entries));
      return;
    }
    w.length(hash.fields.size);
    for (const [name, value] of hash.fields) {
      w.rawStringLatin1(name);
      w.rawString(value);
    }
  },
};

export const hashDecoder: ValueDecoder = {
  read(r, rdbType, ctx) {
    const limits = ctx.config;
    switch (rdbType) {
      case RDB_TYPE_HASH:
        return readHashtable(r, limits);
      case RDB_TYPE_HASH_LISTPACK:
        return readListpack(r, limits);
      case RDB_TYPE_HASH_ZIPLIST: {
        const entries = ziplistEntries(r.string());
        const hash = entries && pairs(entries);
        if (!hash) throw r.corrupt(RDB_C_LINE.hashZiplistIntegrity, 'Hash ziplist integrity check failed.');
        if (hash.fields.size === 0) return null;
        if (hash.fields.size > limits.hashMaxListpackEntries) hash.encoding = 'hashtable';
        return hash;
      }
      case RDB_TYPE_HASH_ZIPMAP:
        return readZipmap(r, limits);
      default:
        throw new Error(`not a hash type: ${rdbType}`);
    }
  },
};

/** RDB_TYPE_HASH: a count, then field and value strings. */
function readHashtable(r: RdbReader, limits: HashLimits): HashValue | null {
  let len = r.length();
  if (len === 0) return null;
  const hash = newHash();
  if (len > limits.hashMaxListpackEntries) hash.encoding = 'hashtable';
  while (len-- > 0) {
    const field = r.string();
    const value = r.string();
    const name = fieldName(field);
    if (hash.encoding === 'listpack') {
      if (field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue) {
        hash.encoding = 'hashtable';
        if (hash.fields.has(name)) throw r.corrupt(RDB_C_LINE.hashDuplicateAtConversion, 'Duplicate hash fields detected');
      } else if (hash.fields.has(name)) {
        // Redis appends it to the listpack a second time.
        throw r.corrupt(RDB_C_LINE.hashDupElements, 'Hash with dup elements');
      }
    } else if (hash.fields.has(name)) {
      throw r.corrupt(RDB_C_LINE.hashDuplicate, 'Duplicate hash fields detected');
    }
    hash.fields.set(name, value);
  }
  return hash;
}

/**
 * RDB_TYPE_HASH_LISTPACK: the header checked as Redis checks it; the length
 * Redis takes from it (lpLength / 2) decides emptiness and the encoding;
 * the entries must then be readable pairs of distinct fields.
 */
function readListpack(r: RdbReader, limits: HashLimits): HashValue | null {
  const lp = r.string();
  const corrupt = () => r.corrupt(RDB_C_LINE.hashListpackIntegrity, 'Hash listpack integrity check failed.');
  if (!lpValidateHeader(lp)) throw corrupt();
  const count = lpLength(lp);
  if (count === null) throw corrupt();
  const length = Math.floor(count / 2);
  if (length === 0) return null;
  const entries = lpEntries(lp);
  const hash = entries && pairs(entries);
  if (!hash || hash.fields.size === 0) throw corrupt();
  if (length > limits.hashMaxListpackEntries) hash.encoding = 'hashtable';
  return hash;
}

/** RDB_TYPE_HASH_ZIPMAP: checked in full, then converted with its longest string in mind. */
function readZipmap(r: RdbReader, limits: HashLimits): HashValue {
  const found = zipmapPairs(r.string());
  if (!found) throw r.corrupt(RDB_C_LINE.zipmapIntegrity, 'Zipmap integrity check failed.');
  const hash = newHash();
  let maxlen = 0;
  for (const [field, value] of found) {
    maxlen = Math.max(maxlen, field.length, value.length);
    const name = fieldName(field);
    if (hash.fields.has(name)) {
      throw r.corrupt(RDB_C_LINE.zipmapDup, `Hash zipmap with dup elements, or big length (${field.length})`);
    }
    hash.fields.set(name, value);
  }
  if (hash.fields.size > limits.hashMaxListpackEntries || maxlen > limits.hashMaxListpackValue) hash.encoding = 'hashtable';
  return hash;
}

/** Field, value, field, value... as a listpack-encoded hash; null for an odd count or a field twice. */
function pairs(entries: readonly Uint8Array[]): HashValue | null {
  if (entries.length % 2 !== 0) return null;
  const hash = newHash();
  for (let i = 0; i < entries.length; i += 2) {
    const name = fieldName(entries[i]);
    if (hash.fields.has(name)) return null;
    hash.fields.set(name, entries[i + 1]);
  }
  return hash;
}
