// struct as Redis embeds it (lua_struct.c): pack, unpack and size of
// binary records on an x86-64 (little-endian native order, long and size_t
// of 8 bytes, int of 4, alignment up to 8 with '!').

import type { LuaTable } from './table.ts';
import type { LuaValue } from './value.ts';
import { argError, luaLError, toNumber } from './runtime.ts';
import { argCheck, checkNumber, checkString, library, optInteger, type Native } from './args.ts';

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const BIG = 0;
const LITTLE = 1;

interface Header {
  endian: number;
  align: number;
}

class Format {
  i = 0;
  constructor(readonly fmt: string) {}
  get done(): boolean {
    return this.i >= this.fmt.length;
  }
  next(): string {
    return this.fmt[this.i++];
  }
  /** getnum. */
  num(df: number): number {
    const c = this.fmt.charCodeAt(this.i);
    if (!(c >= 0x30 && c <= 0x39)) return df;
    let a = 0;
    while (this.i < this.fmt.length && this.fmt.charCodeAt(this.i) >= 0x30 && this.fmt.charCodeAt(this.i) <= 0x39) {
      const d = this.fmt.charCodeAt(this.i) - 0x30;
      if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) throw luaLError('integral size overflow');
      a = a * 10 + d;
      this.i++;
    }
    return a;
  }
}

function optsize(opt: string, f: Format): number {
  switch (opt) {
    case 'B':
    case 'b':
      return 1;
    case 'H':
    case 'h':
      return 2;
    case 'L':
    case 'l':
    case 'T':
      return 8;
    case 'f':
      return 4;
    case 'd':
      return 8;
    case 'x':
      return 1;
    case 'c':
      return f.num(1);
    case 'i':
    case 'I': {
      const sz = f.num(4);
      if (sz > MAXINTSIZE) throw luaLError(`integral size ${sz} is larger than limit of ${MAXINTSIZE}`);
      return sz;
    }
    default:
      return 0;
  }
}

function gettoalign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === 'c') return 0;
  if (size > h.align) size = h.align;
  return (size - (len & (size - 1))) & (size - 1);
}

function controloptions(opt: string, f: Format, h: Header): void {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h.endian = BIG;
      return;
    case '<':
      h.endian = LITTLE;
      return;
    case '!': {
      const a = f.num(MAXALIGN);
      if (!(a > 0 && (a & (a - 1)) === 0)) throw luaLError(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      throw argError(1, `invalid format option '${opt}'`);
  }
}

const INTEGERS = 'bBhHlLTiI';

function bytesOf(view: DataView, size: number, endian: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += String.fromCharCode(view.getUint8(endian === LITTLE ? i : size - 1 - i));
  return s;
}

const pack: Native = (args) => {
  const f = new Format(checkString(args, 1));
  const h: Header = { endian: LITTLE, align: 1 };
  let arg = 2;
  let total = 0;
  let out = '';
  while (!f.done) {
    const opt = f.next();
    let size = optsize(opt, f);
    let toalign = gettoalign(total, h, opt, size);
    total += toalign;
    while (toalign-- > 0) out += '\0';
    if (INTEGERS.includes(opt)) {
      const n = checkNumber(args, arg++);
      let value = BigInt.asUintN(64, BigInt(Math.trunc(n < 0 ? Math.max(n, -9223372036854775808) : Math.min(n, 18446744073709551615))));
      const bytes: number[] = [];
      for (let i = 0; i < size; i++) {
        bytes.push(Number(value & 0xffn));
        value >>= 8n;
      }
      if (h.endian === BIG) bytes.reverse();
      out += String.fromCharCode(...bytes);
    } else if (opt === 'x') out += '\0';
    else if (opt === 'f' || opt === 'd') {
      const view = new DataView(new ArrayBuffer(8));
      const n = checkNumber(args, arg++);
      if (opt === 'f') view.setFloat32(0, n, true);
      else view.setFloat64(0, n, true);
      out += bytesOf(view, size, h.endian);
    } else if (opt === 'c' || opt === 's') {
      const s = checkString(args, arg++);
      if (size === 0) size = s.length;
      argCheck(s.length >= size, arg, 'string too short');
      out += s.slice(0, size);
      if (opt === 's') {
        out += '\0';
        size++;
      }
    } else controloptions(opt, f, h);
    total += size;
  }
  return [out];
};

function getinteger(data: string, pos: number, endian: number, signed: boolean, size: number): number {
  let l = 0n;
  for (let k = 0; k < size; k++) {
    const i = endian === BIG ? k : size - 1 - k;
    l = ((l << 8n) | BigInt(data.charCodeAt(pos + i))) & 0xffffffffffffffffn;
  }
  if (!signed) return Number(l);
  const mask = (0xffffffffffffffffn << BigInt(size * 8 - 1)) & 0xffffffffffffffffn;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

const unpack: Native = (args) => {
  const f = new Format(checkString(args, 1));
  const data = checkString(args, 2);
  const ld = data.length;
  let pos = optInteger(args, 3, 1);
  argCheck(pos > 0, 3, 'offset must be 1 or greater');
  pos--;
  const h: Header = { endian: LITTLE, align: 1 };
  const out: LuaValue[] = [];
  while (!f.done) {
    const opt = f.next();
    let size = optsize(opt, f);
    pos += gettoalign(pos, h, opt, size);
    argCheck(size <= ld && pos <= ld - size, 2, 'data string too short');
    if (INTEGERS.includes(opt)) out.push(getinteger(data, pos, h.endian, opt === opt.toLowerCase(), size));
    else if (opt === 'x') {
      // padding
    } else if (opt === 'f' || opt === 'd') {
      const view = new DataView(new ArrayBuffer(8));
      for (let i = 0; i < size; i++) view.setUint8(i, data.charCodeAt(pos + (h.endian === LITTLE ? i : size - 1 - i)));
      out.push(opt === 'f' ? view.getFloat32(0, true) : view.getFloat64(0, true));
    } else if (opt === 'c') {
      if (size === 0) {
        const prev = out.length > 0 ? toNumber(out[out.length - 1]) : null;
        if (prev === null) throw luaLError("format 'c0' needs a previous size");
        size = Math.trunc(prev);
        out.pop();
        argCheck(size <= ld && pos <= ld - size, 2, 'data string too short');
      }
      out.push(data.substr(pos, size));
    } else if (opt === 's') {
      const e = data.indexOf('\0', pos);
      if (e < 0) throw luaLError('unfinished string in data');
      size = e - pos + 1;
      out.push(data.slice(pos, e));
    } else controloptions(opt, f, h);
    pos += size;
  }
  out.push(pos + 1);
  return out;
};

const size: Native = (args) => {
  const f = new Format(checkString(args, 1));
  const h: Header = { endian: LITTLE, align: 1 };
  let pos = 0;
  while (!f.done) {
    const opt = f.next();
    const sz = optsize(opt, f);
    pos += gettoalign(pos, h, opt, sz);
    if (opt === 's') throw argError(1, "option 's' has no fixed size");
    else if (opt === 'c' && sz === 0) throw argError(1, "option 'c0' has no fixed size");
    if (!/[A-Za-z0-9]/.test(opt)) controloptions(opt, f, h);
    pos += sz;
  }
  return [pos];
};

export function structLibrary(): LuaTable {
  return library({ pack, unpack, size });
}
