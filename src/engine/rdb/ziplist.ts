// Reading a ziplist (ziplist.c of Redis 7.0.15), the encoding older RDB
// files use for small lists (RDB_TYPE_LIST_ZIPLIST, and each node of
// RDB_TYPE_LIST_QUICKLIST) and small hashes (RDB_TYPE_HASH_ZIPLIST). Redis
// 7.0 never writes one; it converts them on load, after
// ziplistValidateIntegrity with deep = 1 (whatever sanitize-dump-payload
// says), so a ziplist either passes every check below or is refused.
//
// Layout: total bytes (u32 LE), offset of the last entry (u32 LE), entry
// count (u16 LE, 65535 when there are more), the entries, the end byte
// 0xFF. An entry is the previous entry's size (1 byte below 254, else 0xFE
// and a u32 LE), an encoding (strings: 00pppppp, 01pppppp qqqqqqqq,
// 10000000 and a u32 big-endian length; integers: 0xC0 int16, 0xD0 int32,
// 0xE0 int64, 0xF0 int24, 0xFE int8, 0xF1..0xFD the values 0..12 in the
// low four bits less one), then the data (integers little-endian).

import { digits } from './listpack.ts';

/** ZIPLIST_HEADER_SIZE: total bytes, tail offset, count. */
const HEADER_SIZE = 10;
const ZIP_END = 0xff;
const ZIP_BIG_PREVLEN = 254;

/**
 * ziplistValidateIntegrity(deep = 1), collecting the entries as ziplistGet
 * gives them (integers as their decimal digits); null when a check fails.
 */
export function ziplistEntries(zl: Uint8Array): Uint8Array[] | null {
  const size = zl.length;
  if (size < HEADER_SIZE + 1) return null;
  if (u32le(zl, 0) !== size) return null;
  if (zl[size - 1] !== ZIP_END) return null;
  const tail = u32le(zl, 4);
  if (tail > size - 1) return null;

  const headerCount = zl[8] | (zl[9] << 8);
  const last = size - 1; // zllast: the end byte
  const out: Uint8Array[] = [];
  let p = HEADER_SIZE;
  let prev = -1;
  let prevRawSize = 0;
  while (zl[p] !== ZIP_END) {
    // zipEntrySafe with validate_prevlen, the careful path.
    const prevlenSize = zl[p] < ZIP_BIG_PREVLEN ? 1 : 5;
    if (p + prevlenSize > last) return null;
    const enc = encoding(zl[p + prevlenSize]);
    const lensize = encodingLenSize(enc);
    if (lensize === 0) return null;
    if (p + prevlenSize + lensize > last) return null;
    const prevRaw = prevlenSize === 1 ? zl[p] : u32le(zl, p + 1);
    const e = p + prevlenSize; // the encoding
    const len = dataLength(zl, e, enc);
    const header = prevlenSize + lensize;
    if (p + header + len > last) return null;
    if (p - prevRaw < HEADER_SIZE) return null;
    if (prevRaw !== prevRawSize) return null;

    const data = p + header;
    out.push(enc < 0xc0 ? zl.slice(data, data + len) : digits(loadInteger(zl, data, enc)));
    prevRawSize = header + len;
    prev = p;
    p += header + len;
  }
  if (p !== size - 1) return null;
  if (prev !== -1 && prev !== tail) return null;
  if (headerCount !== 0xffff && out.length !== headerCount) return null;
  return out;
}

/** ZIP_ENTRY_ENCODING: a string's encoding is its top two bits. */
function encoding(b: number): number {
  return b < 0xc0 ? b & 0xc0 : b;
}

/** zipEncodingLenSize: bytes of the encoding and length; 0 for ZIP_ENCODING_SIZE_INVALID. */
function encodingLenSize(enc: number): number {
  if (enc === 0xc0 || enc === 0xd0 || enc === 0xf0 || enc === 0xe0 || enc === 0xfe) return 1;
  if (enc >= 0xf1 && enc <= 0xfd) return 1;
  if (enc === 0x00) return 1;
  if (enc === 0x40) return 2;
  if (enc === 0x80) return 5;
  return 0;
}

/** ZIP_DECODE_LENGTH's len: a string's length, or an integer's size in bytes. */
function dataLength(zl: Uint8Array, e: number, enc: number): number {
  switch (enc) {
    case 0x00: return zl[e] & 0x3f;
    case 0x40: return ((zl[e] & 0x3f) << 8) | zl[e + 1];
    case 0x80: return ((zl[e + 1] << 24) | (zl[e + 2] << 16) | (zl[e + 3] << 8) | zl[e + 4]) >>> 0;
    case 0xfe: return 1;
    case 0xc0: return 2;
    case 0xf0: return 3;
    case 0xd0: return 4;
    case 0xe0: return 8;
    default: return 0; // 4-bit immediate
  }
}

/** zipLoadInteger. */
function loadInteger(zl: Uint8Array, p: number, enc: number): number | bigint {
  switch (enc) {
    case 0xfe: return (zl[p] << 24) >> 24;
    case 0xc0: return ((zl[p] | (zl[p + 1] << 8)) << 16) >> 16;
    case 0xf0: return ((zl[p] | (zl[p + 1] << 8) | (zl[p + 2] << 16)) << 8) >> 8;
    case 0xd0: return u32le(zl, p) | 0;
    case 0xe0: return BigInt.asIntN(64, (BigInt(u32le(zl, p + 4)) << 32n) | BigInt(u32le(zl, p)));
    default: return (enc & 0x0f) - 1;
  }
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
