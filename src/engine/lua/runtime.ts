// What the VM does between instructions (lvm.c, ldebug.c of Lua 5.1):
// indexing with __index/__newindex, arithmetic with string coercion and
// metamethods, comparisons, concatenation, calls with __call, and the
// runtime errors worded as Lua words them ("attempt to index local 't' (a
// nil value)"). The call stack is a stack of call sites, so errors know
// their line, natives know the name they were called by, and error()
// finds the position of any level.

import { LuaTable } from './table.ts';
import { LuaError, LuaFunction, typeName, type LuaValue } from './value.ts';
import { number2str, str2number } from './number.ts';

/** Where a call happens: the calling function's chunk and line, and the name the callee is known by there. */
export interface Site {
  readonly chunk: string;
  /** -1: the caller is a native function. */
  readonly line: number;
  /** getfuncname: how the callee was named ("global", "local", "method", "field", "upvalue"), or null. */
  readonly name: string | null;
  readonly namewhat: string;
}

/** A native calling a function: no line, no name. */
export const NATIVE_SITE: Site = { chunk: '=[C]', line: -1, name: null, namewhat: '' };

/** LUAI_MAXCALLS. */
const MAX_CALLS = 20000;
/** LUAI_MAXCCALLS: nested native calls. */
const MAX_CCALLS = 200;

/** The running interpreter's state: one script runs at a time, so it is module-wide. */
export const rt = {
  sites: new Array<Site>(MAX_CALLS + 8),
  top: 0,
  /** Nested native calls (pcall, sort comparators, ...). */
  cdepth: 0,
  /** The metatable strings share: __index is the string library. */
  stringMeta: null as LuaTable | null,
  /** Instructions counted (loop iterations and calls), for the script time limit. */
  steps: 0,
  stepLimit: Number.POSITIVE_INFINITY,
  onStepLimit: (): void => {},
};

/** Counts one step; past the limit the host decides (a script time limit). */
export function step(): void {
  if (++rt.steps > rt.stepLimit) rt.onStepLimit();
}

export function pushSite(site: Site): void {
  if (rt.top >= MAX_CALLS) throw runtimeErrorAt('stack overflow', site);
  rt.sites[rt.top++] = site;
}

/** A runtime error raised by Lua code at `site` (luaG_runerror: the position first). */
export function runtimeErrorAt(msg: string, site: { chunk: string; line: number }): LuaError {
  // From a native (table.sort comparing, lua_rawset) there is no position: luaG_runerror adds it only in Lua code.
  if (site.line < 0) return nativeError(msg);
  return new LuaError(`${site.chunk}:${site.line}: ${msg}`, site.line, site.chunk);
}

/** luaL_where(L, level): "chunk:line: " of the function at that level, or "" for a native or no function. */
export function where(level: number): string {
  const i = rt.top - level;
  if (i < 0) return '';
  const s = rt.sites[i];
  return s.line >= 0 ? `${s.chunk}:${s.line}: ` : '';
}

/** An error raised by a native: the current line of its caller is where the error handler will say it happened. */
export function nativeError(value: LuaValue): LuaError {
  const s = rt.top > 0 ? rt.sites[rt.top - 1] : NATIVE_SITE;
  return new LuaError(value, s.line, s.chunk);
}

/** luaL_error: the message with the position of the calling Lua code. */
export function luaLError(msg: string): LuaError {
  return nativeError(where(1) + msg);
}

/** luaL_argerror, naming the function as its call site names it. */
export function argError(narg: number, extramsg: string): LuaError {
  const s = rt.top > 0 ? rt.sites[rt.top - 1] : NATIVE_SITE;
  if (s.namewhat === 'method') {
    narg--;
    if (narg === 0) return luaLError(`calling '${s.name}' on bad self (${extramsg})`);
  }
  return luaLError(`bad argument #${narg} to '${s.name ?? '?'}' (${extramsg})`);
}

/** luaL_typerror. */
export function typeArgError(narg: number, expected: string, got: LuaValue, present: boolean): LuaError {
  return argError(narg, `${expected} expected, got ${present ? typeName(got) : 'no value'}`);
}

/** luaG_typeerror: `desc` names the operand (" local 't'") or is empty. */
export function typeError(op: string, v: LuaValue, desc: string, site: Site): LuaError {
  const t = typeName(v);
  return runtimeErrorAt(desc ? `attempt to ${op}${desc} (a ${t} value)` : `attempt to ${op} a ${t} value`, site);
}

// --- metatables

export function getMetatable(v: LuaValue): LuaTable | null {
  if (v instanceof LuaTable) return v.metatable;
  if (typeof v === 'string') return rt.stringMeta;
  return null;
}

/** luaT_gettmbyobj: the metamethod `event` of v, or nil. */
export function metamethod(v: LuaValue, event: string): LuaValue {
  const mt = getMetatable(v);
  return mt === null ? undefined : mt.getStr(event);
}

/** Calls a metamethod from VM code at `site`: its first result. */
function callMeta(mm: LuaValue, args: LuaValue[], site: Site): LuaValue {
  return call(mm, args, site)[0];
}

// --- indexing

/** luaV_gettable. */
export function index(o: LuaValue, key: LuaValue, site: Site, desc: string): LuaValue {
  for (let loop = 0; loop < 100; loop++) {
    let mm: LuaValue;
    if (o instanceof LuaTable) {
      const v = o.get(key);
      if (v !== undefined || o.metatable === null) return v;
      mm = o.metatable.getStr('__index');
      if (mm === undefined) return undefined;
    } else {
      mm = metamethod(o, '__index');
      if (mm === undefined) throw typeError('index', o, desc, site);
    }
    if (mm instanceof LuaFunction) return callMeta(mm, [o, key], site);
    o = mm;
    desc = '';
  }
  throw runtimeErrorAt('loop in gettable', site);
}

/** luaV_settable, with Redis's readonly tables. */
export function setIndex(o: LuaValue, key: LuaValue, value: LuaValue, site: Site, desc: string): void {
  for (let loop = 0; loop < 100; loop++) {
    let mm: LuaValue;
    if (o instanceof LuaTable) {
      if (o.readonly) throw runtimeErrorAt('Attempt to modify a readonly table', site);
      const mt = o.metatable;
      if (mt === null || (mm = mt.getStr('__newindex')) === undefined || o.get(key) !== undefined) {
        checkKey(key, site);
        o.set(key, value);
        return;
      }
    } else {
      mm = metamethod(o, '__newindex');
      if (mm === undefined) throw typeError('index', o, desc, site);
    }
    if (mm instanceof LuaFunction) {
      call(mm, [o, key, value], site);
      return;
    }
    o = mm;
    desc = '';
  }
  throw runtimeErrorAt('loop in settable', site);
}

/** luaH_set's checks. */
export function checkKey(key: LuaValue, site: Site): void {
  if (key === undefined) throw runtimeErrorAt('table index is nil', site);
  if (typeof key === 'number' && Number.isNaN(key)) throw runtimeErrorAt('table index is NaN', site);
}

// --- calls

/** Calls `f` from `site`: a function, or a value with __call. */
export function call(f: LuaValue, args: LuaValue[], site: Site, desc = ''): LuaValue[] {
  if (f instanceof LuaFunction) {
    pushSite(site);
    const r = f.call(args);
    rt.top--;
    return r;
  }
  const mm = metamethod(f, '__call');
  if (mm instanceof LuaFunction) {
    pushSite(site);
    const r = mm.call([f, ...args]);
    rt.top--;
    return r;
  }
  throw typeError('call', f, desc, site);
}

/** A native calling a function (pcall, sort's comparator, gsub's replacement). */
export function callFromNative(f: LuaValue, args: LuaValue[]): LuaValue[] {
  if (++rt.cdepth >= MAX_CCALLS) {
    rt.cdepth--;
    throw luaLError('C stack overflow');
  }
  try {
    return call(f, args, NATIVE_SITE);
  } finally {
    rt.cdepth--;
  }
}

// --- coercions

/** luaV_tonumber: a number, or a string that reads as one; null otherwise. */
export function toNumber(v: LuaValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return str2number(v);
  return null;
}

/** lua_tolstring's view for concatenation: strings and numbers, else null. */
export function toStr(v: LuaValue): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return number2str(v);
  return null;
}

// --- arithmetic

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '^' | 'unm';

const ARITH_EVENT: Record<ArithOp, string> = { '+': '__add', '-': '__sub', '*': '__mul', '/': '__div', '%': '__mod', '^': '__pow', unm: '__unm' };

export function arithRaw(op: ArithOp, x: number, y: number): number {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    case '%': return x - Math.floor(x / y) * y;
    case '^': return Math.pow(x, y);
    case 'unm': return -x;
  }
}

/** luaV_arith's slow path: coercion, then the metamethods of either operand, else the error. */
export function arith(op: ArithOp, a: LuaValue, b: LuaValue, site: Site, descA: string, descB: string): LuaValue {
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== null && y !== null) return arithRaw(op, x, y);
  const event = ARITH_EVENT[op];
  let mm = metamethod(a, event);
  if (mm === undefined) mm = metamethod(b, event);
  if (mm !== undefined) return callMeta(mm, [a, b], site);
  // luaG_aritherror: the first operand when it is not a number, else the second.
  if (x === null) throw typeError('perform arithmetic on', a, descA, site);
  throw typeError('perform arithmetic on', b, descB, site);
}

// --- concatenation

export function concat(a: LuaValue, b: LuaValue, site: Site, descA: string, descB: string): LuaValue {
  const x = toStr(a);
  const y = toStr(b);
  if (x !== null && y !== null) return x + y;
  let mm = metamethod(a, '__concat');
  if (mm === undefined) mm = metamethod(b, '__concat');
  if (mm !== undefined) return callMeta(mm, [a, b], site);
  // luaG_concaterror: the second operand when the first is a string or number.
  if (typeof a === 'string' || typeof a === 'number') throw typeError('concatenate', b, descB, site);
  throw typeError('concatenate', a, descA, site);
}

// --- length

export function len(v: LuaValue, site: Site, desc: string): LuaValue {
  if (typeof v === 'string') return v.length;
  if (v instanceof LuaTable) return v.length();
  const mm = metamethod(v, '__len');
  if (mm !== undefined) return callMeta(mm, [v, undefined], site);
  throw typeError('get length of', v, desc, site);
}

// --- comparisons

/** luaO_rawequalObj. */
export function rawEquals(a: LuaValue, b: LuaValue): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && a === b);
}

/** get_compTM: the metamethod both operands share, or nil. */
function sharedMeta(a: LuaValue, b: LuaValue, event: string): LuaValue {
  const mt1 = getMetatable(a);
  if (mt1 === null) return undefined;
  const tm1 = mt1.getStr(event);
  if (tm1 === undefined) return undefined;
  const mt2 = getMetatable(b);
  if (mt1 === mt2) return tm1;
  if (mt2 === null) return undefined;
  const tm2 = mt2.getStr(event);
  return tm2 !== undefined && rawEquals(tm1, tm2) ? tm1 : undefined;
}

/** luaV_equalval. */
export function equals(a: LuaValue, b: LuaValue, site: Site): boolean {
  if (a === b) return true;
  if (!(a instanceof LuaTable) || !(b instanceof LuaTable)) return false;
  const mm = sharedMeta(a, b, '__eq');
  if (mm === undefined) return false;
  const r = callMeta(mm, [a, b], site);
  return r !== undefined && r !== false;
}

function orderError(a: LuaValue, b: LuaValue, site: Site): LuaError {
  const t1 = typeName(a);
  const t2 = typeName(b);
  // luaG_ordererror compares the third letters of the type names.
  return runtimeErrorAt(t1[2] === t2[2] ? `attempt to compare two ${t1} values` : `attempt to compare ${t1} with ${t2}`, site);
}

/** call_orderTM: the result of the metamethod both share, or null when there is none. */
function orderMeta(a: LuaValue, b: LuaValue, event: string, site: Site): boolean | null {
  const tm1 = metamethod(a, event);
  if (tm1 === undefined) return null;
  const tm2 = metamethod(b, event);
  if (!rawEquals(tm1, tm2)) return null;
  const r = callMeta(tm1, [a, b], site);
  return r !== undefined && r !== false;
}

/** luaV_lessthan. */
export function lessThan(a: LuaValue, b: LuaValue, site: Site): boolean {
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'number' || ta === 'string') return (a as number) < (b as number);
  } else throw orderError(a, b, site);
  const r = orderMeta(a, b, '__lt', site);
  if (r !== null) return r;
  throw orderError(a, b, site);
}

/** lessequal. */
export function lessEqual(a: LuaValue, b: LuaValue, site: Site): boolean {
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'number' || ta === 'string') return (a as number) <= (b as number);
  } else throw orderError(a, b, site);
  let r = orderMeta(a, b, '__le', site);
  if (r !== null) return r;
  r = orderMeta(b, a, '__lt', site);
  if (r !== null) return !r;
  throw orderError(a, b, site);
}
