// Strings changed in place: Redis's dbUnshareStringValue (db.c) followed by
// byte writes, sdsgrowzero and sdsMakeRoomFor, for the bitmap commands
// (SETBIT, BITFIELD) and the HyperLogLog ones (PFADD, PFMERGE, the cached
// cardinality of PFCOUNT).
//
// Everywhere else a value's bytes never change once stored: they may be a
// view of a request, of a file a replica loaded, or of another value (see
// `appended` in commands/string.ts). Copying a whole bitmap for every SETBIT
// would make each one cost its string's length, so a value whose buffer was
// allocated here, and is used by that one value only, is written in place
// (`owned`); any other value is copied into such a buffer first. Every path
// that hands a value's bytes elsewhere copies them (replies, COPY's
// duplicate, RDB and DUMP encoding), so an owned buffer stays unshared.
//
// In place only for a value that came from Keyspace.lookupWrite: that is
// where a running fork's snapshot keeps the key as it was (keyspace.ts,
// snapshot.ts). A command that changes a value it looked up for reading
// (PFCOUNT writing its cached count) takes unshareCopy instead.
//
// A change must end with commit(), which stores the result as the key's
// value (raw, as Redis's unshared strings are; the TTL kept), so a command
// that stops half way (PFADD on a corrupt sparse HLL) leaves what it wrote,
// as Redis's in-place writes do.
//
// The byte after the string. An sds string always has one more byte, its
// NUL terminator, and code that reads one byte too far reads it: a sparse
// HLL ending in the first byte of an XZERO opcode takes its second byte from
// there, and splitting that opcode writes one byte past the new end, over
// the terminator (hllSparseSet), where the next reader finds it. So the byte
// after `length` is kept as sds keeps it: zero, except where such a write put
// something else; byteAfter() reads it for a stored value.

import type { Db, KeyName } from './db.ts';
import { rawStringValue, type StringValue } from './value.ts';

/** Values whose bytes start a buffer of their own, which nothing else reads. */
const owned = new WeakSet<StringValue>();

/** sdsMakeRoomFor's greedy growth (double below 1 MB, 1 MB more above), plus the terminator. */
function capacityFor(length: number): number {
  const MB = 1024 * 1024;
  return (length < MB ? Math.max(length * 2, 16) : length + MB) + 1;
}

/**
 * The bytes of a string being changed: `buf` holds them in its first
 * `length` bytes, then the terminator byte, then room.
 */
export class UnsharedString {
  constructor(
    public buf: Uint8Array,
    public length: number,
  ) {}

  /** The current bytes (a view). */
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The byte after the string (its terminator, see the top of this file). */
  get after(): number {
    return this.buf[this.length];
  }

  /** sdsMakeRoomFor: room for `extra` more bytes past the length (their contents unspecified). */
  reserve(extra: number): void {
    const need = this.length + extra + 1;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(capacityFor(need));
    grown.set(this.buf.subarray(0, this.length + 1));
    this.buf = grown;
  }

  /** sdsgrowzero: at least `length` bytes, the new ones (and the terminator) zero. */
  growZero(length: number): void {
    if (length <= this.length) return;
    this.reserve(length - this.length);
    // Bytes past the length may hold what a shrink left there.
    this.buf.fill(0, this.length, length + 1);
    this.length = length;
  }

  /** sdsIncrLen: the length moves by delta (the bytes are already in place); a new terminator. */
  incrLength(delta: number): void {
    this.length += delta;
    this.buf[this.length] = 0;
  }

  /** Replaces the whole contents with a new string of `bytes` (a new sds: terminator zero). */
  replace(bytes: Uint8Array): void {
    this.buf = new Uint8Array(bytes.length + 1);
    this.buf.set(bytes);
    this.length = bytes.length;
  }
}

/** A new string of `length` zero bytes (createObject(OBJ_STRING, sdsnewlen(NULL, length))). */
export function newUnshared(length: number): UnsharedString {
  return new UnsharedString(new Uint8Array(length + 1), length);
}

/** A new string holding a copy of `bytes`, with room for `room` more. */
export function unsharedCopy(bytes: Uint8Array, room = 16): UnsharedString {
  const buf = new Uint8Array(bytes.length + 1 + room);
  buf.set(bytes);
  return new UnsharedString(buf, bytes.length);
}

/** dbUnshareStringValue: the value's bytes in a buffer only this change will use. */
export function unshare(value: StringValue): UnsharedString {
  const bytes = value.bytes;
  if (!owned.has(value)) return unsharedCopy(bytes);
  return new UnsharedString(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.buffer.byteLength - bytes.byteOffset), bytes.length);
}

/** A copy of a value looked up for reading, to change and commit (the byte after it copied too). */
export function unshareCopy(value: StringValue): UnsharedString {
  const s = unsharedCopy(value.bytes);
  s.buf[s.length] = byteAfter(value);
  return s;
}

/** The byte after a stored value's bytes, as an sds reader past the end would find it. */
export function byteAfter(value: StringValue): number {
  if (!owned.has(value)) return 0;
  const b = value.bytes;
  return new Uint8Array(b.buffer, b.byteOffset + b.length, 1)[0];
}

/** Stores the changed string as the key's value (raw encoding), keeping its TTL unless told not to. */
export function commit(db: Db, key: KeyName, s: UnsharedString, keepTtl = true): StringValue {
  const value = rawStringValue(s.bytes);
  owned.add(value);
  db.set(key, value, keepTtl);
  return value;
}

/**
 * dbUnshareStringValue when nothing is written after it: the value becomes
 * raw (an int or embstr string is re-created as raw), bytes unchanged.
 */
export function makeRaw(db: Db, key: KeyName, value: StringValue): void {
  if (value.encoding !== 'raw') db.set(key, rawStringValue(value.bytes), true);
}
