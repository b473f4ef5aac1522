// Lua values: nil is undefined, booleans and numbers are JS ones, strings
// are byte strings (JS strings of char codes 0-255, binary-safe, compared
// byte by byte as strcmp does in the C locale), tables are LuaTable and
// functions LuaFunction. Errors travel as LuaError.

import { LuaTable, newObjectId } from './table.ts';

export type LuaValue = undefined | boolean | number | string | LuaTable | LuaFunction | LuaUserdata;

/** A light userdata (cjson.null, a NULL pointer): equal only to itself. */
export class LuaUserdata {
  readonly id = newObjectId();
  constructor(readonly address: string) {}
}

/** A function: a Lua closure (compiled) or a native one (what Lua calls a C function). */
export class LuaFunction {
  readonly id = newObjectId();
  constructor(
    /** Its name, for the messages of natives' argument errors. */
    readonly name: string,
    readonly call: (args: LuaValue[]) => LuaValue[],
    readonly native: boolean,
  ) {}
}

/**
 * An error object in flight. `line` is where it was raised, as the error
 * handler Redis installs finds it (the current line of the Lua function
 * running, or calling the native that raised it); -1 when no Lua function
 * is on the stack.
 */
export class LuaError {
  constructor(
    readonly value: LuaValue,
    readonly line: number,
    readonly chunk: string,
  ) {}
}

export function typeName(v: LuaValue): string {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return v instanceof LuaTable ? 'table' : v instanceof LuaFunction ? 'function' : 'userdata';
  }
}

export function truthy(v: LuaValue): boolean {
  return v !== undefined && v !== false;
}
