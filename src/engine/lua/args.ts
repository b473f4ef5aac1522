// lauxlib's argument checks for native functions (luaL_checkint,
// luaL_checklstring, luaL_optnumber, ...), with their messages: "bad
// argument #1 to 'rep' (string expected, got no value)".

import { LuaTable } from './table.ts';
import { LuaFunction, type LuaValue } from './value.ts';
import { argError, toNumber, toStr, typeArgError } from './runtime.ts';
import { number2str } from './number.ts';

export type Native = (args: LuaValue[]) => LuaValue[];

export function native(name: string, impl: Native): LuaFunction {
  return new LuaFunction(name, impl, true);
}

/** A table of natives (a library). */
export function library(fns: Record<string, Native>, extra: Record<string, LuaValue> = {}, presized = true): LuaTable {
  // luaL_register: a table sized for the functions, filled in their order (lua_newtable when not presized).
  const t = new LuaTable(0, presized ? Object.keys(fns).length : 0);
  for (const [name, impl] of Object.entries(fns)) t.set(name, native(name, impl));
  for (const [name, v] of Object.entries(extra)) t.set(name, v);
  return t;
}

export function checkAny(args: LuaValue[], n: number): LuaValue {
  if (args.length < n) throw argError(n, 'value expected');
  return args[n - 1];
}

export function checkTable(args: LuaValue[], n: number): LuaTable {
  const v = args[n - 1];
  if (!(v instanceof LuaTable)) throw typeArgError(n, 'table', v, args.length >= n);
  return v;
}

export function checkNumber(args: LuaValue[], n: number): number {
  const v = args[n - 1];
  const d = toNumber(v);
  if (d === null) throw typeArgError(n, 'number', v, args.length >= n);
  return d;
}

export function optNumber(args: LuaValue[], n: number, def: number): number {
  return args[n - 1] === undefined ? def : checkNumber(args, n);
}

/** lua_Integer from a number as the C cast truncates (x86: out of range gives LLONG_MIN). */
export function toInteger(d: number): number {
  if (Number.isNaN(d) || d >= 9223372036854775808 || d < -9223372036854775808) return -9223372036854775808;
  return Math.trunc(d);
}

/** (int) of a lua_Integer: its low 32 bits, signed. */
export function toInt(d: number): number {
  const i = toInteger(d);
  if (i >= -2147483648 && i <= 2147483647) return i;
  return Number(BigInt.asIntN(32, BigInt(i)));
}

export function checkInteger(args: LuaValue[], n: number): number {
  return toInteger(checkNumber(args, n));
}

export function checkInt(args: LuaValue[], n: number): number {
  return toInt(checkNumber(args, n));
}

export function optInt(args: LuaValue[], n: number, def: number): number {
  return args[n - 1] === undefined ? def : checkInt(args, n);
}

export function optInteger(args: LuaValue[], n: number, def: number): number {
  return args[n - 1] === undefined ? def : checkInteger(args, n);
}

export function checkString(args: LuaValue[], n: number): string {
  const v = args[n - 1];
  const s = toStr(v);
  if (s === null) throw typeArgError(n, 'string', v, args.length >= n);
  return s;
}

export function optString(args: LuaValue[], n: number, def: string): string {
  return args[n - 1] === undefined ? def : checkString(args, n);
}

/** luaL_checkoption. */
export function checkOption(args: LuaValue[], n: number, def: string | null, options: readonly string[]): string {
  const name = def !== null && args[n - 1] === undefined ? def : checkString(args, n);
  if (!options.includes(name)) throw argError(n, `invalid option '${name}'`);
  return name;
}

export function argCheck(cond: boolean, n: number, msg: string): void {
  if (!cond) throw argError(n, msg);
}

/** lua_tostring of a value known to be a string or number. */
export function str(v: string | number): string {
  return typeof v === 'string' ? v : number2str(v);
}
