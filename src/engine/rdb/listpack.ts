// Reading a listpack from an RDB file or a DUMP payload (listpack.c of
// Redis 7.0.15). Writing one is keyspace/listpack.ts's encodeListpack.
//
// Layout: total bytes (u32 LE), element count (u16 LE, 65535 when there are
// more), the entries, the end byte 0xFF. An entry is an encoding byte (with
// the length or the small integer in it), maybe more length bytes, the data,
// then its back-length: the size of encoding and data, 7 bits per byte, read
// from the entry's last byte backwards.
//
// Redis loads these with `sanitize-dump-payload no` (the default): only
// lpValidateIntegrity's header checks run on load (lpValidateHeader here),
// and the entries are checked one by one when a command first walks them,
// where a bad one fails an assertion and takes the server down. The engine
// holds elements, not listpack bytes, so it walks them on load: lpEntries
// returns null where Redis's walk would assert, and the codecs refuse such
// a value (what Redis answers with `sanitize-dump-payload yes`).

import { fromLatin1 } from '../bytes.ts';
import { backlenSize } from '../keyspace/listpack.ts';

/** LP_HDR_SIZE: total bytes and element count. */
const LP_HDR_SIZE = 6;
/** LP_HDR_NUMELE_UNKNOWN: the count does not fit the header; it takes a walk. */
export const LP_HDR_NUMELE_UNKNOWN = 65535;
const LP_EOF = 0xff;

/** lpValidateIntegrity with deep = 0: a whole header, the total bytes it states, and the end byte. */
export function lpValidateHeader(lp: Uint8Array): boolean {
  const size = lp.length;
  if (size < LP_HDR_SIZE + 1) return false;
  const total = (lp[0] | (lp[1] << 8) | (lp[2] << 16) | (lp[3] << 24)) >>> 0;
  return total === size && lp[size - 1] === LP_EOF;
}

/** lpGetNumElements: the count in the header (LP_HDR_NUMELE_UNKNOWN when it did not fit). */
export function lpHeaderCount(lp: Uint8Array): number {
  return lp[4] | (lp[5] << 8);
}

/**
 * lpLength: the header's count, or the entries counted by a walk when the
 * header does not know it (null when that walk would assert).
 */
export function lpLength(lp: Uint8Array): number | null {
  const n = lpHeaderCount(lp);
  if (n !== LP_HDR_NUMELE_UNKNOWN) return n;
  return lpCountEntries(lp);
}

/**
 * The entries of a listpack whose header passed lpValidateHeader, as
 * lpFirst / lpNext walk them: up to the first end byte, each entry checked
 * as lpValidateNext checks it (its header and data inside the listpack, its
 * back-length matching). Integers come back as their decimal digits, as
 * lpGet gives them to the commands. Null when an entry fails the check.
 */
export function lpEntries(lp: Uint8Array): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  return lpWalk(lp, (p) => void out.push(entryValue(lp, p))) === null ? null : out;
}

/** The walk of lpEntries without taking the values: the number of entries, or null when one fails the check. */
export function lpCountEntries(lp: Uint8Array): number | null {
  return lpWalk(lp, null);
}

/** lpFirst / lpNext with lpValidateNext's checks, calling `visit` with each entry's offset; the count, or null. */
function lpWalk(lp: Uint8Array, visit: ((p: number) => void) | null): number | null {
  let count = 0;
  const last = lp.length - 1;
  let p = LP_HDR_SIZE;
  for (;;) {
    if (p > last) return null;
    if (lp[p] === LP_EOF) return count;
    const sizeBytes = encodedSizeBytes(lp[p]);
    if (sizeBytes === 0 || p + sizeBytes > last) return null;
    const encoded = encodedSize(lp, p);
    // A 32-bit length that wraps the size passes Redis's walk and then
    // makes lpGet read past the listpack; it is no value either way.
    if (encoded < sizeBytes) return null;
    const backlen = backlenSize(encoded);
    const next = p + encoded + backlen;
    if (next > last) return null;
    if (decodeBacklen(lp, next - 1) + backlen !== encoded + backlen) return null;
    visit?.(p);
    count++;
    p = next;
  }
}

/** lpCurrentEncodedSizeBytes: the bytes of the encoding and length header; 0 for no encoding. */
function encodedSizeBytes(b: number): number {
  if ((b & 0x80) === 0) return 1; // 7-bit unsigned integer
  if ((b & 0xc0) === 0x80) return 1; // string of up to 63 bytes
  if ((b & 0xe0) === 0xc0) return 1; // 13-bit signed integer
  if ((b & 0xf0) === 0xe0) return 2; // string of up to 4095 bytes
  if (b >= 0xf1 && b <= 0xf4) return 1; // 16, 24, 32, 64-bit integers
  if (b === 0xf0) return 5; // string with a 32-bit length
  if (b === LP_EOF) return 1;
  return 0;
}

/**
 * lpCurrentEncodedSizeUnsafe: encoding plus data, in uint32_t arithmetic
 * (a 32-bit string length near 2^32 wraps, as in C, and then fails the
 * back-length check).
 */
function encodedSize(lp: Uint8Array, p: number): number {
  const b = lp[p];
  if ((b & 0x80) === 0) return 1;
  if ((b & 0xc0) === 0x80) return 1 + (b & 0x3f);
  if ((b & 0xe0) === 0xc0) return 2;
  if (b === 0xf1) return 3;
  if (b === 0xf2) return 4;
  if (b === 0xf3) return 5;
  if (b === 0xf4) return 9;
  if ((b & 0xf0) === 0xe0) return 2 + (((b & 0x0f) << 8) | lp[p + 1]);
  if (b === 0xf0) return (5 + u32(lp, p + 1)) >>> 0;
  return 1; // LP_EOF
}

/** lpDecodeBacklen from the entry's last byte backwards; -1 for UINT64_MAX (more than five bytes). */
function decodeBacklen(lp: Uint8Array, p: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    val += (lp[p] & 127) * 2 ** shift;
    if (!(lp[p] & 128)) return val;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
}

/** lpGet of an entry whose size was checked: its string, or its integer's digits. */
function entryValue(lp: Uint8Array, p: number): Uint8Array {
  const b = lp[p];
  if ((b & 0x80) === 0) return digits(b);
  if ((b & 0xc0) === 0x80) return lp.slice(p + 1, p + 1 + (b & 0x3f));
  if ((b & 0xe0) === 0xc0) {
    const u = ((b & 0x1f) << 8) | lp[p + 1];
    return digits(u >= 1 << 12 ? u - (1 << 13) : u);
  }
  if (b === 0xf1) return digits(((lp[p + 1] | (lp[p + 2] << 8)) << 16) >> 16);
  if (b === 0xf2) return digits(((lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16)) << 8) >> 8);
  if (b === 0xf3) return digits(u32(lp, p + 1) | 0);
  if (b === 0xf4) return digits(BigInt.asIntN(64, (BigInt(u32(lp, p + 5)) << 32n) | BigInt(u32(lp, p + 1))));
  if ((b & 0xf0) === 0xe0) {
    const len = ((b & 0x0f) << 8) | lp[p + 1];
    return lp.slice(p + 2, p + 2 + len);
  }
  return lp.slice(p + 5, p + 5 + u32(lp, p + 1)); // 0xf0
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

/** ll2string: the decimal digits of an integer entry. */
export function digits(v: number | bigint): Uint8Array {
  return fromLatin1(String(v));
}
