// Builders of the encodings Redis 7.0 reads and no longer writes, so tests
// can hand-build RDB values and DUMP payloads of older versions: ziplists
// (ziplist.c, used by RDB_TYPE_LIST_ZIPLIST, each node of
// RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_HASH_ZIPLIST) and zipmaps (zipmap.c,
// RDB_TYPE_HASH_ZIPMAP), byte by byte from the format descriptions in those
// files; and the DUMP payload around a value (cluster.c). Redis 7.0.15
// cannot write these formats, but it reads them in RESTORE, so the live
// tests hand the same bytes to the real server.
import { crc64 } from '../../src/engine/rdb/crc64.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A ziplist integer entry with the encoding it is stored in. */
export interface ZlInt {
  int: number | bigint;
  enc: 'imm' | 'i8' | 'i16' | 'i24' | 'i32' | 'i64';
}
export type ZlEntry = string | Uint8Array | ZlInt;

/** Little-endian bytes of a two's complement integer. */
function le(v: number | bigint, bytes: number): number[] {
  let u = BigInt.asUintN(bytes * 8, BigInt(v));
  const out: number[] = [];
  for (let i = 0; i < bytes; i++, u >>= 8n) out.push(Number(u & 0xffn));
  return out;
}

/**
 * One ziplist entry after a previous entry of `prevlen` bytes:
 * <prevlen: 1 byte below 254, else 0xFE + u32 LE> <encoding> <data>.
 */
export function ziplistEntry(e: ZlEntry, prevlen: number): number[] {
  const out = prevlen < 254 ? [prevlen] : [0xfe, ...le(prevlen, 4)];
  if (typeof e === 'string' || e instanceof Uint8Array) {
    const s = typeof e === 'string' ? ascii(e) : e;
    const n = s.length;
    if (n <= 0x3f) out.push(n); // 00pppppp
    else if (n <= 0x3fff) out.push(0x40 | (n >> 8), n & 0xff); // 01pppppp qqqqqqqq (big-endian)
    else out.push(0x80, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff); // 10000000 + u32 big-endian
    out.push(...s);
    return out;
  }
  switch (e.enc) {
    case 'imm': return [...out, 0xf1 + Number(e.int)]; // 1111xxxx: xxxx - 1 is the value, 0..12
    case 'i8': return [...out, 0xfe, ...le(e.int, 1)];
    case 'i16': return [...out, 0xc0, ...le(e.int, 2)];
    case 'i24': return [...out, 0xf0, ...le(e.int, 3)];
    case 'i32': return [...out, 0xd0, ...le(e.int, 4)];
    case 'i64': return [...out, 0xe0, ...le(e.int, 8)];
  }
}

/**
 * A whole ziplist: <zlbytes u32 LE> <zltail u32 LE: offset of the last
 * entry> <zllen u16 LE> <entries> <0xFF>. `count` overrides zllen.
 */
export function ziplist(entries: readonly ZlEntry[], count = entries.length): Uint8Array {
  const body: number[] = [];
  let prevlen = 0;
  let tail = 10;
  for (const e of entries) {
    tail = 10 + body.length;
    const bytes = ziplistEntry(e, prevlen);
    body.push(...bytes);
    prevlen = bytes.length;
  }
  const total = 10 + body.length + 1;
  return Uint8Array.from([...le(total, 4), ...le(tail, 4), ...le(Math.min(count, 0xffff), 2), ...body, 0xff]);
}

/**
 * A zipmap: <count byte> then per pair <len> field <len> <free> value
 * <free bytes>, then 0xFF; a length is one byte below 254, else 0xFE + u32
 * LE. `free` adds unused bytes after a value (filled with 'Z').
 */
export function zipmap(pairs: ReadonlyArray<readonly [string, string, number?]>, count = pairs.length): Uint8Array {
  const len = (n: number) => (n < 254 ? [n] : [0xfe, ...le(n, 4)]);
  const out: number[] = [Math.min(count, 254)];
  for (const [f, v, free = 0] of pairs) {
    out.push(...len(f.length), ...ascii(f), ...len(v.length), free, ...ascii(v), ...new Array(free).fill(0x5a));
  }
  out.push(0xff);
  return Uint8Array.from(out);
}

/** rdbSaveLen for the lengths these tests need (6 and 14 bits, 32 bits big-endian). */
export function rdbLength(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 0xff];
  return [0x80, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** A string as a plain RDB string: its length, then its bytes. */
export function rdbString(bytes: Uint8Array | string): number[] {
  const b = typeof bytes === 'string' ? ascii(bytes) : bytes;
  return [...rdbLength(b.length), ...b];
}

/** A DUMP payload: <type> <value> <RDB version 10, u16 LE> <CRC-64 of all before, u64 LE>. */
export function dumpPayload(type: number, value: readonly number[] | Uint8Array, version = 10): Uint8Array {
  const out = new Uint8Array(1 + value.length + 10);
  out[0] = type;
  out.set(value, 1);
  out[1 + value.length] = version & 0xff;
  out[2 + value.length] = version >> 8;
  return withCrc(out);
}

/** The payload with its last 8 bytes set to the CRC-64 of the others. */
export function withCrc(p: Uint8Array): Uint8Array {
  let v = crc64(p, 0, p.length - 8);
  for (let i = p.length - 8; i < p.length; i++, v >>= 8n) p[i] = Number(v & 0xffn);
  return p;
}
