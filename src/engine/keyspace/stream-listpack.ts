// The listpack of one stream node, held as its bytes and changed as
// t_stream.c changes it with listpack.c of Redis 7.0.15: elements appended
// at the tail (lpAppend, lpAppendInteger) and integers replaced in place
// (lpReplaceInteger, which moves the rest when the new encoding is longer
// or shorter). A node's listpack goes into an RDB file and a DUMP payload
// as it is, so keeping the bytes keeps every DUMP of a stream exact, also
// for a listpack loaded from a file or a payload.
//
// Positions are byte offsets of an element's first byte; -1 is "none"
// (lpFirst, lpNext and lpPrev's NULL).

import { fromLatin1, string2ll } from '../bytes.ts';
import { backlenSize, LP_EMPTY_BYTES, listpackEntrySize, listpackIntegerSize, writeListpackEntry } from './listpack.ts';

const LP_HDR_SIZE = 6;
const LP_EOF = 0xff;
const LP_HDR_NUMELE_UNKNOWN = 65535;

export class StreamListpack {
  /** The bytes; the listpack is the first `size` of them (the rest is room to grow, as malloc's). */
  private buf: Uint8Array;
  private size: number;

  private constructor(buf: Uint8Array, size: number) {
    this.buf = buf;
    this.size = size;
  }

  /** lpNew: no elements. */
  static empty(): StreamListpack {
    const buf = new Uint8Array(64);
    buf[0] = LP_EMPTY_BYTES;
    buf[LP_HDR_SIZE] = LP_EOF;
    return new StreamListpack(buf, LP_EMPTY_BYTES);
  }

  /** A listpack holding a copy of these bytes (from an RDB file, a payload, or another stream). */
  static of(bytes: Uint8Array): StreamListpack {
    return new StreamListpack(bytes.slice(), bytes.length);
  }

  /** lpBytes. */
  get bytes(): number {
    return this.size;
  }

  /** The listpack's bytes (a view: valid until the next change). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }

  copy(): StreamListpack {
    return StreamListpack.of(this.view());
  }

  /** lpFirst. */
  first(): number {
    return this.buf[LP_HDR_SIZE] === LP_EOF ? -1 : LP_HDR_SIZE;
  }

  /** lpNext. */
  next(p: number): number {
    const q = p + this.entryLength(p);
    return this.buf[q] === LP_EOF ? -1 : q;
  }

  /** lpPrev. */
  prev(p: number): number {
    if (p <= LP_HDR_SIZE) return -1;
    // The back-length of the element before: 7 bits a byte, read from its end.
    const buf = this.buf;
    let at = p - 1;
    let len = 0;
    let shift = 0;
    for (;;) {
      len += (buf[at] & 127) * 2 ** shift;
      if (!(buf[at] & 128)) break;
      shift += 7;
      at--;
    }
    return at - len;
  }

  /** lpLast. */
  last(): number {
    return this.size - 1 === LP_HDR_SIZE ? -1 : this.prev(this.size - 1);
  }

  /** An element's bytes: its encoding, data and back-length. */
  private entryLength(p: number): number {
    const b = this.buf[p];
    let encoded: number;
    if (b < 0x80) encoded = 1;
    else if ((b & 0xc0) === 0x80) encoded = 1 + (b & 0x3f);
    else if ((b & 0xe0) === 0xc0) encoded = 2;
    else if ((b & 0xf0) === 0xe0) encoded = 2 + (((b & 0x0f) << 8) | this.buf[p + 1]);
    else if (b === 0xf0) encoded = 5 + this.u32(p + 1);
    else encoded = [3, 4, 5, 9][b - 0xf1];
    return encoded + backlenSize(encoded);
  }

  private u32(at: number): number {
    const b = this.buf;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  }

  /** The integer of an integer-encoded element, or null for a string element. */
  private intAt(p: number): number | bigint | null {
    const buf = this.buf;
    const b = buf[p];
    if (b < 0x80) return b;
    if ((b & 0xe0) === 0xc0) {
      const v = ((b & 0x1f) << 8) | buf[p + 1];
      return v >= 4096 ? v - 8192 : v;
    }
    if (b === 0xf1) return ((buf[p + 1] | (buf[p + 2] << 8)) << 16) >> 16;
    if (b === 0xf2) return ((buf[p + 1] | (buf[p + 2] << 8) | (buf[p + 3] << 16)) << 8) >> 8;
    if (b === 0xf3) return buf[p + 1] | (buf[p + 2] << 8) | (buf[p + 3] << 16) | (buf[p + 4] << 24);
    if (b === 0xf4) {
      const lo = this.u32(p + 1);
      const hi = buf[p + 5] | (buf[p + 6] << 8) | (buf[p + 7] << 16) | (buf[p + 8] << 24);
      if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
      return (BigInt(hi) << 32n) | BigInt(lo);
    }
    return null;
  }

  /** Where a string element's data starts and how long it is. */
  private stringAt(p: number): { start: number; length: number } {
    const b = this.buf[p];
    if ((b & 0xc0) === 0x80) return { start: p + 1, length: b & 0x3f };
    if ((b & 0xf0) === 0xe0) return { start: p + 2, length: ((b & 0x0f) << 8) | this.buf[p + 1] };
    return { start: p + 5, length: this.u32(p + 1) };
  }

  /**
   * lpGetInteger (lpGetIntegerIfValid): the element as an int64; a string
   * element is read with string2ll, null when it is not one (where Redis
   * asserts, or its validation refuses the listpack).
   */
  getInt(p: number): number | bigint | null {
    const v = this.intAt(p);
    if (v !== null) return v;
    const { start, length } = this.stringAt(p);
    return string2ll(this.buf, start, start + length);
  }

  /** lpGet as the iterator hands fields and values out: a string's bytes (a copy), an integer's decimal digits. */
  getBytes(p: number): Uint8Array {
    const v = this.intAt(p);
    if (v !== null) return fromLatin1(String(v));
    const { start, length } = this.stringAt(p);
    return this.buf.slice(start, start + length);
  }

  /** Whether the element equals these bytes (the SAMEFIELDS test of streamAppendItem). */
  equals(p: number, bytes: Uint8Array): boolean {
    const v = this.intAt(p);
    if (v !== null) {
      const digits = String(v);
      if (digits.length !== bytes.length) return false;
      for (let i = 0; i < bytes.length; i++) if (bytes[i] !== digits.charCodeAt(i)) return false;
      return true;
    }
    const { start, length } = this.stringAt(p);
    if (length !== bytes.length) return false;
    for (let i = 0; i < length; i++) if (this.buf[start + i] !== bytes[i]) return false;
    return true;
  }

  /** Room for `n` more bytes, growing by doubling (as jemalloc's size classes let a listpack grow). */
  private reserve(n: number): void {
    if (this.size + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.size + n) cap *= 2;
    const grown = new Uint8Array(cap);
    grown.set(this.buf.subarray(0, this.size));
    this.buf = grown;
  }

  private setHeader(total: number): void {
    const b = this.buf;
    b[0] = total & 0xff;
    b[1] = (total >>> 8) & 0xff;
    b[2] = (total >>> 16) & 0xff;
    b[3] = (total >>> 24) & 0xff;
  }

  /** lpAppend / lpAppendInteger: the element goes before the end byte; the count grows until it saturates. */
  append(e: Uint8Array | number | bigint): void {
    const n = e instanceof Uint8Array ? listpackEntrySize(e) : listpackIntegerSize(e);
    this.reserve(n);
    const at = this.size - 1;
    writeListpackEntry(this.buf, at, e);
    this.size += n;
    this.buf[this.size - 1] = LP_EOF;
    this.setHeader(this.size);
    const count = this.buf[4] | (this.buf[5] << 8);
    if (count !== LP_HDR_NUMELE_UNKNOWN) {
      this.buf[4] = (count + 1) & 0xff;
      this.buf[5] = (count + 1) >> 8;
    }
  }

  /** lpReplaceInteger: the element at p becomes the integer v; later elements move by the difference in size. */
  replaceInt(p: number, v: number | bigint): void {
    const old = this.entryLength(p);
    const n = listpackIntegerSize(v);
    if (n !== old) {
      this.reserve(n - old);
      this.buf.copyWithin(p + n, p + old, this.size);
      this.size += n - old;
      this.setHeader(this.size);
    }
    writeListpackEntry(this.buf, p, v);
  }
}
