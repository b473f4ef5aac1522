// cmsgpack as Redis embeds it (lua_cmsgpack.c 0.4.0): pack turns each
// argument into MessagePack (integers in their smallest encoding, a number
// that a float holds exactly as a float, tables as arrays when their keys
// are exactly 1..n, else maps in next() order, nesting past 16 as nil),
// unpack reads values back (unpack_one and unpack_limit from an offset).

import { LuaTable } from './table.ts';
import type { LuaValue } from './value.ts';
import { argError, index, luaLError, NATIVE_SITE } from './runtime.ts';
import { checkInteger, checkString, library, optInteger, type Native } from './args.ts';

const MAX_NESTING = 16;
const view = new DataView(new ArrayBuffer(8));

function isInt(n: number, min: number, max: number): boolean {
  return Number.isFinite(n) && Math.trunc(n) === n && n >= min && n <= max;
}

function bytes(...b: number[]): string {
  return String.fromCharCode(...b.map((x) => x & 0xff));
}

function be(n: bigint, count: number): number[] {
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(Number((n >> BigInt(8 * i)) & 0xffn));
  return out;
}

function encodeInt(n: number): string {
  const b = BigInt(n);
  if (n >= 0) {
    if (n <= 127) return bytes(n);
    if (n <= 0xff) return bytes(0xcc, n);
    if (n <= 0xffff) return bytes(0xcd, ...be(b, 2));
    if (n <= 0xffffffff) return bytes(0xce, ...be(b, 4));
    return bytes(0xcf, ...be(b, 8));
  }
  if (n >= -32) return bytes(n);
  if (n >= -128) return bytes(0xd0, n);
  if (n >= -32768) return bytes(0xd1, ...be(BigInt.asUintN(16, b), 2));
  if (n >= -2147483648) return bytes(0xd2, ...be(BigInt.asUintN(32, b), 4));
  return bytes(0xd3, ...be(BigInt.asUintN(64, b), 8));
}

function encodeNumber(n: number): string {
  // IS_INT64_EQUIVALENT: (int64_t)n == n and not infinite.
  if (isInt(n, -9223372036854775808, 9223372036854775807) && n !== 9223372036854775808) return encodeInt(n);
  if (Math.fround(n) === n || Number.isNaN(n)) {
    view.setFloat32(0, n);
    return bytes(0xca, view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  }
  view.setFloat64(0, n);
  const out = [0xcb];
  for (let i = 0; i < 8; i++) out.push(view.getUint8(i));
  return bytes(...out);
}

function header(len: number, fix: number, fixMax: number, c16: number, c32: number): string {
  if (len <= fixMax) return bytes(fix | len);
  if (len <= 0xffff) return bytes(c16, len >> 8, len);
  return bytes(c32, ...be(BigInt(len), 4));
}

function encodeString(s: string): string {
  const len = s.length;
  let h: string;
  if (len < 32) h = bytes(0xa0 | len);
  else if (len <= 0xff) h = bytes(0xd9, len);
  else if (len <= 0xffff) h = bytes(0xda, len >> 8, len);
  else h = bytes(0xdb, ...be(BigInt(len), 4));
  return h + s;
}

/** table_is_an_array: positive integer keys (int-sized) whose count is their maximum. */
function isArray(t: LuaTable): boolean {
  let count = 0;
  let max = 0;
  for (let e = t.next(undefined); e; e = t.next(e[0])) {
    const k = e[0];
    if (typeof k !== 'number' || k <= 0 || !isInt(k, -2147483648, 2147483647)) return false;
    if (k > max) max = k;
    count++;
  }
  return max === count;
}

function encode(v: LuaValue, level: number): string {
  if (v instanceof LuaTable && level === MAX_NESTING) v = undefined;
  switch (typeof v) {
    case 'string':
      return encodeString(v);
    case 'boolean':
      return bytes(v ? 0xc3 : 0xc2);
    case 'number':
      return encodeNumber(v);
  }
  if (!(v instanceof LuaTable)) return bytes(0xc0);
  if (isArray(v)) {
    const len = v.length();
    let out = header(len, 0x90, 15, 0xdc, 0xdd);
    for (let j = 1; j <= len; j++) out += encode(index(v, j, NATIVE_SITE, ''), level + 1);
    return out;
  }
  const entries: [LuaValue, LuaValue][] = [];
  for (let e = v.next(undefined); e; e = v.next(e[0])) entries.push(e);
  let out = header(entries.length, 0x80, 15, 0xde, 0xdf);
  for (const [k, x] of entries) out += encode(k, level + 1) + encode(x, level + 1);
  return out;
}

class Cursor {
  constructor(
    readonly s: string,
    public p: number,
  ) {}
  get left(): number {
    return this.s.length - this.p;
  }
  need(n: number): void {
    if (this.left < n) throw EOF;
  }
  u(i: number): number {
    return this.s.charCodeAt(this.p + i);
  }
  uint(from: number, count: number): bigint {
    let n = 0n;
    for (let i = 0; i < count; i++) n = (n << 8n) | BigInt(this.u(from + i));
    return n;
  }
}

const EOF = Symbol('eof');
const BADFMT = Symbol('badfmt');

function decodeArray(c: Cursor, len: number): LuaTable {
  const t = new LuaTable();
  for (let i = 1; i <= len; i++) t.set(i, decode(c));
  return t;
}

function decodeMap(c: Cursor, len: number): LuaTable {
  const t = new LuaTable();
  for (let i = 0; i < len; i++) {
    const k = decode(c);
    const v = decode(c);
    if (k === undefined) throw luaLError('table index is nil');
    t.set(k, v);
  }
  return t;
}

function decode(c: Cursor): LuaValue {
  c.need(1);
  const b = c.u(0);
  const fixed = (size: number, value: () => LuaValue): LuaValue => {
    c.need(size);
    const v = value();
    c.p += size;
    return v;
  };
  const raw = (lenBytes: number): LuaValue => {
    c.need(1 + lenBytes);
    const l = Number(c.uint(1, lenBytes));
    c.need(1 + lenBytes + l);
    const s = c.s.substr(c.p + 1 + lenBytes, l);
    c.p += 1 + lenBytes + l;
    return s;
  };
  switch (b) {
    case 0xcc: return fixed(2, () => c.u(1));
    case 0xd0: return fixed(2, () => (c.u(1) << 24) >> 24);
    case 0xcd: return fixed(3, () => Number(c.uint(1, 2)));
    case 0xd1: return fixed(3, () => Number(BigInt.asIntN(16, c.uint(1, 2))));
    case 0xce: return fixed(5, () => Number(c.uint(1, 4)));
    case 0xd2: return fixed(5, () => Number(BigInt.asIntN(32, c.uint(1, 4))));
    case 0xcf: return fixed(9, () => Number(c.uint(1, 8)));
    case 0xd3: return fixed(9, () => Number(BigInt.asIntN(64, c.uint(1, 8))));
    case 0xc0: return fixed(1, () => undefined);
    case 0xc3: return fixed(1, () => true);
    case 0xc2: return fixed(1, () => false);
    case 0xca:
      return fixed(5, () => {
        for (let i = 0; i < 4; i++) view.setUint8(i, c.u(1 + i));
        return view.getFloat32(0);
      });
    case 0xcb:
      return fixed(9, () => {
        for (let i = 0; i < 8; i++) view.setUint8(i, c.u(1 + i));
        return view.getFloat64(0);
      });
    case 0xd9: return raw(1);
    case 0xda: return raw(2);
    case 0xdb: return raw(4);
    case 0xdc:
    case 0xdd:
    case 0xde:
    case 0xdf: {
      const n = b === 0xdc || b === 0xde ? 2 : 4;
      c.need(1 + n);
      const l = Number(c.uint(1, n));
      c.p += 1 + n;
      return b <= 0xdd ? decodeArray(c, l) : decodeMap(c, l);
    }
  }
  if ((b & 0x80) === 0) return fixed(1, () => b);
  if ((b & 0xe0) === 0xe0) return fixed(1, () => (b << 24) >> 24);
  if ((b & 0xe0) === 0xa0) {
    const l = b & 0x1f;
    c.need(1 + l);
    const s = c.s.substr(c.p + 1, l);
    c.p += 1 + l;
    return s;
  }
  if ((b & 0xf0) === 0x90) {
    c.p++;
    return decodeArray(c, b & 0xf);
  }
  if ((b & 0xf0) === 0x80) {
    c.p++;
    return decodeMap(c, b & 0xf);
  }
  throw BADFMT;
}

function unpackFull(args: LuaValue[], limit: number, offset: number): LuaValue[] {
  const s = checkString(args, 1);
  const all = limit === 0 && offset === 0;
  if (offset < 0 || limit < 0) throw luaLError(`Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`);
  if (offset > s.length) throw luaLError(`Start offset ${offset} greater than input length ${s.length}.`);
  if (all) limit = 2147483647;
  const c = new Cursor(s, offset);
  const out: LuaValue[] = [];
  try {
    for (let n = 0; c.left > 0 && n < limit; n++) out.push(decode(c));
  } catch (e) {
    if (e === EOF) throw luaLError('Missing bytes in input.');
    if (e === BADFMT) throw luaLError('Bad data format in input.');
    throw e;
  }
  if (!all) out.unshift(c.left === 0 ? -1 : c.p);
  return out;
}

export function cmsgpackLibrary(): LuaTable {
  const fns: Record<string, Native> = {
    pack(args) {
      if (args.length === 0) throw argError(0, 'MessagePack pack needs input.');
      return [args.map((a) => encode(a, 0)).join('')];
    },
    unpack: (args) => unpackFull(args, 0, 0),
    unpack_one: (args) => unpackFull(args, 1, optInteger(args, 2, 0)),
    unpack_limit: (args) => unpackFull(args, checkInteger(args, 2), optInteger(args, 3, 0)),
  };
  const t = library(fns, {}, false);
  t.set('_NAME', 'cmsgpack');
  t.set('_VERSION', 'lua-cmsgpack 0.4.0');
  t.set('_COPYRIGHT', 'Copyright (C) 2012, Salvatore Sanfilippo');
  t.set('_DESCRIPTION', 'MessagePack C implementation for Lua');
  return t;
}
