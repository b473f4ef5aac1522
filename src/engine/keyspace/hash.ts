// The hash type: fields and values are binary; the fields keep the order
// they were first added in (a listpack appends new pairs at its tail and
// replaces a value in place), and the value carries the encoding OBJECT
// ENCODING reports, which follows t_hash.c of Redis 7.0.15:
//  - a new hash is a listpack;
//  - it becomes a hashtable, once and for good, when a write brings a
//    field or value longer than hash-max-listpack-value bytes (64; a length
//    of 64 stays listpack), or when a new field makes it hold more than
//    hash-max-listpack-entries fields (512 stays listpack, 513 converts);
//  - deleting fields never converts it back.
// Observed on redis-server 7.0.15 with OBJECT ENCODING: HSET of a 64-byte
// value -> listpack, 65 bytes (as value or as field) -> hashtable; 512
// fields -> listpack, the 513th -> hashtable, HDEL down to 510 -> still
// hashtable; HINCRBYFLOAT to a 81-byte result -> hashtable; HINCRBY on a
// 65-byte field -> hashtable; HSETNX of a 65-byte value on a field that
// exists (reply 0) -> still listpack; HSET with an odd count -> nothing.
//
// A hashtable-encoded hash here keeps insertion order too; Redis lists it in
// its dict's order (siphash with a per-process random seed), which the
// engine does not reproduce (docs/compat.md).
//
// Not modelled: lpSafeToAdd's 1 GB bound on a listpack's total size
// (hashTypeTryConversion, t_hash.c:56), which only matters when
// hash-max-listpack-value is raised far beyond its default.

import { fromLatin1, latin1 } from '../bytes.ts';

export type HashEncoding = 'listpack' | 'hashtable';

export interface HashValue {
  readonly type: 'hash';
  encoding: HashEncoding;
  /** Field (its bytes as one char per byte, as KeyName) to value bytes, in insertion order. */
  readonly fields: Map<string, Uint8Array>;
}

/** The directives the encoding follows (NodeConfig has them). */
export interface HashLimits {
  readonly hashMaxListpackEntries: number;
  readonly hashMaxListpackValue: number;
}

/** createHashObject: an empty listpack. */
export function newHash(): HashValue {
  return { type: 'hash', encoding: 'listpack', fields: new Map() };
}

/** The map key for a field's bytes. */
export function fieldName(bytes: Uint8Array): string {
  return latin1(bytes);
}

/** The bytes of a field's map key. */
export function fieldBytes(name: string): Uint8Array {
  return fromLatin1(name);
}

export function hashGet(hash: HashValue, field: Uint8Array): Uint8Array | undefined {
  return hash.fields.get(fieldName(field));
}

/**
 * hashTypeTryConversion: before a write, a listpack becomes a hashtable
 * when any of the arguments it is about to take (fields and values alike,
 * whether or not the field exists) is too long.
 */
export function hashTryConversion(hash: HashValue, args: readonly Uint8Array[], limits: HashLimits): void {
  if (hash.encoding !== 'listpack') return;
  for (const arg of args) {
    if (arg.length > limits.hashMaxListpackValue) {
      hash.encoding = 'hashtable';
      return;
    }
  }
}

/**
 * hashTypeSet: sets a field's value; true when the field existed (an
 * update), false when it was added. A too long field or value converts
 * first (the HINCRBY and HINCRBYFLOAT path); a new field beyond
 * hash-max-listpack-entries converts after.
 */
export function hashSet(hash: HashValue, field: Uint8Array, value: Uint8Array, limits: HashLimits): boolean {
  if (hash.encoding === 'listpack' && (field.length > limits.hashMaxListpackValue || value.length > limits.hashMaxListpackValue)) {
    hash.encoding = 'hashtable';
  }
  const name = fieldName(field);
  const update = hash.fields.has(name);
  // Map.set keeps an existing field's position, as lpReplace does.
  hash.fields.set(name, value);
  if (hash.encoding === 'listpack' && hash.fields.size > limits.hashMaxListpackEntries) hash.encoding = 'hashtable';
  return update;
}

/** hashTypeDelete: true when the field was there. */
export function hashDelete(hash: HashValue, field: Uint8Array): boolean {
  return hash.fields.delete(fieldName(field));
}

/** hashTypeDup (COPY): a copy that shares no bytes and keeps the encoding. */
export function hashDup(hash: HashValue): HashValue {
  const fields = new Map<string, Uint8Array>();
  for (const [name, value] of hash.fields) fields.set(name, value.slice());
  return { type: 'hash', encoding: hash.encoding, fields };
}
