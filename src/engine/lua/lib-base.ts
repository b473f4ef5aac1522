// The base library of Lua 5.1 (lbaselib.c) as Redis keeps it: no print,
// dofile, loadfile, getfenv, setfenv or newproxy; pcall is Redis's own,
// which hands back the message of an error table ({err=...}).

import { LuaTable } from './table.ts';
import { LuaError, LuaFunction, LuaUserdata, typeName, type LuaValue } from './value.ts';
import { argError, callFromNative, luaLError, metamethod, nativeError, rawEquals, rt, where } from './runtime.ts';
import { argCheck, checkAny, checkInt, checkOption, checkString, checkTable, native, optInt, optString, toInteger, type Native } from './args.ts';
import { number2str, isSpace } from './number.ts';
import { toNumber } from './runtime.ts';

/** What the base library needs from the Lua state it belongs to. */
export interface BaseHost {
  readonly globals: LuaTable;
  /** Compiles a chunk: a function, or Lua's error message. */
  load(source: string, chunkname: string): LuaFunction | string;
  /** Kilobytes in use, for collectgarbage("count") and gcinfo(). */
  memoryKb(): number;
}

/** The address tostring prints for a table, function or userdata ("%p"). */
export function pointer(v: { id: number }): string {
  return '0x' + (0x55d0c0000000 + v.id * 4).toString(16);
}

/** luaL_tolstring as tostring does it: __tostring, else the value's text. */
export function tostring(v: LuaValue): LuaValue {
  const mm = metamethod(v, '__tostring');
  if (mm !== undefined) return callFromNative(mm, [v])[0];
  switch (typeof v) {
    case 'number':
      return number2str(v);
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'nil';
    default:
      if (v instanceof LuaUserdata) return `userdata: ${v.address || pointer(v)}`;
      return `${typeName(v)}: ${pointer(v)}`;
  }
}

/** luaO_chunkid: how a chunk name appears in messages. */
export function chunkId(source: string): string {
  const idsize = 60;
  if (source.startsWith('=')) return source.slice(1, idsize);
  if (source.startsWith('@')) {
    const name = source.slice(1);
    const max = idsize - 1 - 4;
    return name.length > max ? '...' + name.slice(name.length - max) : name;
  }
  let len = source.search(/[\n\r]/);
  if (len < 0) len = source.length;
  const max = idsize - 17;
  if (len > max) len = max;
  return len < source.length ? `[string "${source.slice(0, len)}..."]` : `[string "${source}"]`;
}

/** strtoul in a base (tonumber with a base): the value, or null when the text is not all digits. */
function strtoulBase(s: string, base: number): number | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  if (base === 16 && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) i += 2;
  const start = i;
  let n = 0n;
  const b = BigInt(base);
  let overflow = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x7a ? c - 0x61 + 10 : c >= 0x41 && c <= 0x5a ? c - 0x41 + 10 : 99;
    if (d >= base) break;
    n = n * b + BigInt(d);
    if (n > 0xffffffffffffffffn) overflow = true;
  }
  if (i === start) return null;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (i !== s.length) return null;
  if (overflow) n = 0xffffffffffffffffn;
  else if (neg) n = BigInt.asUintN(64, -n);
  return Number(n);
}

/** Redis's pcall: an error table's `err` string comes back instead of the table. */
export function protectedCall(f: LuaValue, args: LuaValue[]): LuaValue[] {
  const top = rt.top;
  const cdepth = rt.cdepth;
  try {
    const r = callFromNative(f, args);
    return [true, ...r];
  } catch (e) {
    rt.top = top;
    rt.cdepth = cdepth;
    let v = toLuaError(e).value;
    if (v instanceof LuaTable) {
      const err = v.get('err');
      if (typeof err === 'string' || typeof err === 'number') v = err;
    }
    return [false, v];
  }
}

/** A JS exception as a Lua error: a JS stack exhausted by deep recursion is Lua's "stack overflow". */
export function toLuaError(e: unknown): LuaError {
  if (e instanceof LuaError) return e;
  if (e instanceof RangeError) {
    const s = rt.top > 0 ? rt.sites[rt.top - 1] : null;
    const pos = s && s.line >= 0 ? `${s.chunk}:${s.line}: ` : '';
    return new LuaError(`${pos}stack overflow`, s?.line ?? -1, s?.chunk ?? '');
  }
  throw e;
}

function ipairsAux(args: LuaValue[]): LuaValue[] {
  const t = checkTable(args, 1);
  const i = checkInt(args, 2) + 1;
  const v = t.get(i);
  return v === undefined ? [] : [i, v];
}

export function baseLibrary(host: BaseHost): Record<string, LuaValue> {
  const ipairsIter = native('ipairs', ipairsAux);
  const next: Native = (args) => {
    const t = checkTable(args, 1);
    const r = t.next(args[1]);
    if (r === undefined) throw nativeError("invalid key to 'next'");
    return r === null ? [undefined] : r;
  };
  const nextFn = native('next', next);
  const fns: Record<string, Native> = {
    assert(args) {
      checkAny(args, 1);
      const v = args[0];
      if (v === undefined || v === false) throw luaLError(optString(args, 2, 'assertion failed!'));
      return args.slice();
    },
    collectgarbage(args) {
      const opt = checkOption(args, 1, 'collect', ['stop', 'restart', 'collect', 'count', 'step', 'setpause', 'setstepmul']);
      optInt(args, 2, 0);
      if (opt === 'count') return [host.memoryKb()];
      if (opt === 'step') return [false];
      return [0];
    },
    error(args) {
      const level = optInt(args, 2, 1);
      let msg = args[0];
      if (typeof msg === 'string' && level > 0) msg = where(level) + msg;
      else if (typeof msg === 'number' && level > 0) msg = where(level) + number2str(msg);
      throw nativeError(msg);
    },
    gcinfo() {
      return [Math.floor(host.memoryKb())];
    },
    getmetatable(args) {
      checkAny(args, 1);
      const v = args[0];
      const mt = v instanceof LuaTable ? v.metatable : typeof v === 'string' ? rt.stringMeta : null;
      if (mt === null) return [undefined];
      const protectedMt = mt.getStr('__metatable');
      return [protectedMt !== undefined ? protectedMt : mt];
    },
    load(args) {
      const f = args[0];
      if (!(f instanceof LuaFunction)) throw argError(1, `function expected, got ${args.length >= 1 ? typeName(f) : 'no value'}`);
      const name = optString(args, 2, '=(load)');
      let source = '';
      for (;;) {
        const piece = callFromNative(f, [])[0];
        if (piece === undefined || piece === '') break;
        if (typeof piece !== 'string') throw luaLError('reader function must return a string');
        source += piece;
      }
      const r = host.load(source, name);
      return typeof r === 'string' ? [undefined, r] : [r];
    },
    loadstring(args) {
      const s = checkString(args, 1);
      const r = host.load(s, optString(args, 2, s));
      return typeof r === 'string' ? [undefined, r] : [r];
    },
    next,
    pairs(args) {
      const t = checkTable(args, 1);
      return [nextFn, t, undefined];
    },
    ipairs(args) {
      const t = checkTable(args, 1);
      return [ipairsIter, t, 0];
    },
    pcall(args) {
      checkAny(args, 1);
      return protectedCall(args[0], args.slice(1));
    },
    rawequal(args) {
      checkAny(args, 1);
      checkAny(args, 2);
      return [rawEquals(args[0], args[1])];
    },
    rawget(args) {
      const t = checkTable(args, 1);
      checkAny(args, 2);
      return [t.get(args[1])];
    },
    rawset(args) {
      const t = checkTable(args, 1);
      checkAny(args, 2);
      checkAny(args, 3);
      if (t.readonly) throw nativeError('Attempt to modify a readonly table');
      const k = args[1];
      if (k === undefined) throw nativeError('table index is nil');
      if (typeof k === 'number' && Number.isNaN(k)) throw nativeError('table index is NaN');
      t.set(k, args[2]);
      return [t];
    },
    select(args) {
      const n = args.length - 1;
      const first = args[0];
      if (typeof first === 'string' && first[0] === '#') return [n];
      let i = checkInt(args, 1);
      if (i < 0) i = n + i;
      else if (i > n) i = n;
      argCheck(1 <= i, 1, 'index out of range');
      return args.slice(i);
    },
    setmetatable(args) {
      const t = checkTable(args, 1);
      const mt = args[1];
      argCheck(mt === undefined || mt instanceof LuaTable, 2, 'nil or table expected');
      if (t.metatable !== null && t.metatable.getStr('__metatable') !== undefined) throw luaLError('cannot change a protected metatable');
      if (t.readonly) throw nativeError('Attempt to modify a readonly table');
      t.metatable = (mt as LuaTable | undefined) ?? null;
      return [t];
    },
    tonumber(args) {
      const base = optInt(args, 2, 10);
      if (base === 10) {
        checkAny(args, 1);
        const n = toNumber(args[0]);
        return [n === null ? undefined : n];
      }
      const s = checkString(args, 1);
      argCheck(2 <= base && base <= 36, 2, 'base out of range');
      const n = strtoulBase(s, base);
      return [n === null ? undefined : n];
    },
    tostring(args) {
      checkAny(args, 1);
      return [tostring(args[0])];
    },
    type(args) {
      checkAny(args, 1);
      return [typeName(args[0])];
    },
    unpack(args) {
      const t = checkTable(args, 1);
      const i = optInt(args, 2, 1);
      const e = args[2] === undefined ? t.length() : checkInt(args, 3);
      if (i > e) return [];
      const n = e - i + 1;
      if (n <= 0 || n >= 8000) throw luaLError('too many results to unpack');
      const out: LuaValue[] = new Array(n);
      for (let k = 0; k < n; k++) out[k] = t.get(i + k);
      return out;
    },
    xpcall(args) {
      checkAny(args, 2);
      const handler = args[1];
      const top = rt.top;
      const cdepth = rt.cdepth;
      try {
        return [true, ...callFromNative(args[0], [])];
      } catch (e) {
        const err = toLuaError(e);
        // The handler runs where the error happened (the stack not yet unwound).
        const r = callFromNative(handler, [err.value]);
        rt.top = top;
        rt.cdepth = cdepth;
        return [false, r[0]];
      }
    },
  };
  const out: Record<string, LuaValue> = {};
  for (const [name, impl] of Object.entries(fns)) out[name] = name === 'next' ? nextFn : native(name, impl);
  out._VERSION = 'Lua 5.1';
  return out;
}

export { toInteger };
