// The listpack (listpack.c of Redis 7.0.15) as the keyspace uses it: how
// many bytes an element takes in one, and the bytes of a whole listpack,
// built exactly as lpAppend builds it (a string that is a canonical 64-bit
// integer is stored as an integer). A quicklist node's size and a hash's
// listpack in an RDB file or a DUMP payload follow from these.

import { string2ll } from '../bytes.ts';

/** An empty listpack: 4 bytes total length, 2 bytes element count, the end byte. */
export const LP_EMPTY_BYTES = 7;

/** The listpack integer an element is stored as (lpStringToInt64, the rules of string2ll), or null. */
function listpackInteger(e: Uint8Array): number | bigint | null {
  return e.length > 0 && e.length <= 20 ? string2ll(e) : null;
}

/** Bytes of the integer encoding of v (lpEncodeIntegerGetType). */
function integerEncodingSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes of a string's encoding header (lpEncodeString). */
function stringHeaderSize(length: number): number {
  return length < 64 ? 1 : length < 4096 ? 2 : 5;
}

/** Bytes of the back-length field after an entry whose encoding is `l` bytes (lpEncodeBacklen). */
export function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Bytes an element takes in a listpack: encoding, data, back-length. */
export function listpackEntrySize(e: Uint8Array): number {
  const int = listpackInteger(e);
  const encoded = int === null ? stringHeaderSize(e.length) + e.length : integerEncodingSize(int);
  return encoded + backlenSize(encoded);
}

/**
 * The listpack of a node's elements, byte for byte as Redis builds it
 * (for DUMP and RDB). The element count field saturates at 65535.
 */
export function encodeListpack(entries: readonly Uint8Array[]): Uint8Array {
  let total = LP_EMPTY_BYTES;
  for (const e of entries) total += listpackEntrySize(e);
  const out = new Uint8Array(total);
  writeU32(out, 0, total);
  const n = Math.min(entries.length, 65535);
  out[4] = n & 0xff;
  out[5] = n >> 8;
  let at = 6;
  for (const e of entries) at = writeListpackEntry(out, at, e);
  out[at] = 0xff;
  return out;
}

function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

/** Bytes an integer takes in a listpack (lpAppendInteger): encoding and back-length. */
export function listpackIntegerSize(v: number | bigint): number {
  const encoded = integerEncodingSize(v);
  return encoded + backlenSize(encoded);
}

/**
 * Writes one element at `at` as lpInsert encodes it (a string that is a
 * canonical 64-bit integer, or an integer, in the integer encoding), with
 * its back-length; returns where the next element starts. `out` must have
 * room for listpackEntrySize (or listpackIntegerSize) bytes.
 */
export function writeListpackEntry(out: Uint8Array, at: number, e: Uint8Array | number | bigint): number {
  const start = at;
  const int = e instanceof Uint8Array ? listpackInteger(e) : e;
  if (int !== null) {
    const size = integerEncodingSize(int);
    if (size === 1) {
      out[at++] = Number(int);
    } else if (size === 2) {
      const v = Number(int);
      const u = v < 0 ? (1 << 13) + v : v;
      out[at++] = (u >> 8) | 0xc0;
      out[at++] = u & 0xff;
    } else {
      const bytes = size - 1;
      out[at++] = [0xf1, 0xf2, 0xf3][bytes - 2] ?? 0xf4;
      let u = BigInt.asUintN(bytes * 8, BigInt(int));
      for (let i = 0; i < bytes; i++, u >>= 8n) out[at++] = Number(u & 0xffn);
    }
  } else {
    const s = e as Uint8Array;
    const len = s.length;
    if (len < 64) {
      out[at++] = len | 0x80;
    } else if (len < 4096) {
      out[at++] = (len >> 8) | 0xe0;
      out[at++] = len & 0xff;
    } else {
      out[at++] = 0xf0;
      writeU32(out, at, len);
      at += 4;
    }
    out.set(s, at);
    at += len;
  }
  return writeBacklen(out, at, at - start);
}

function writeBacklen(out: Uint8Array, at: number, l: number): number {
  const size = backlenSize(l);
  // Most significant 7-bit group first; every byte but the first has the high bit set.
  for (let i = size - 1; i >= 0; i--) {
    const group = Math.floor(l / 2 ** (7 * i)) & 127;
    out[at++] = i === size - 1 ? group : group | 128;
  }
  return at;
}
