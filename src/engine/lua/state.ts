// One Lua state (lua_State): its globals, the libraries Redis opens, the
// string metatable and the random generator, and the way in: compile a
// chunk, run a function protected (lua_pcall with an error handler).

import { LuaTable } from './table.ts';
import { LuaError, LuaFunction, type LuaValue } from './value.ts';
import { parseLua } from './parser.ts';
import { LuaSyntaxError } from './lexer.ts';
import { loadChunk } from './compile.ts';
import { rt, callFromNative } from './runtime.ts';
import { baseLibrary, chunkId, toLuaError } from './lib-base.ts';
import { stringLibrary } from './lib-string.ts';
import { tableLibrary } from './lib-table.ts';
import { Lrand48, mathLibrary } from './lib-math.ts';

/** What a protected call gives: the results, or the error value (after the handler, when one was given). */
export type CallOutcome = { ok: true; values: LuaValue[] } | { ok: false; error: LuaValue; line: number; chunk: string };

export class LuaState {
  readonly globals = new LuaTable(0, 2);
  readonly stringMeta = new LuaTable(0, 1);
  /** Kilobytes the scripts hold (collectgarbage("count")): not measured, a constant near a fresh Redis's. */
  memoryKb = 24;

  /** `rand`: the process's generator (EVAL's and FUNCTION's states share it, as they share redisLrand48). */
  constructor(readonly rand = new Lrand48()) {
    const g = this.globals;
    g.set('_G', g);
    const base = baseLibrary({ globals: g, load: (s, name) => this.load(s, name), memoryKb: () => this.memoryKb });
    for (const [k, v] of Object.entries(base)) g.set(k, v);
    g.set('coroutine', coroutineLibrary());
    g.set('table', tableLibrary());
    const string = stringLibrary();
    g.set('string', string);
    this.stringMeta.set('__index', string);
    g.set('math', mathLibrary(this.rand));
  }

  /** luaL_loadbuffer: a function, or Lua's message ("[string \"x\"]:1: ..."). */
  load(source: string, chunkname: string): LuaFunction | string {
    try {
      return loadChunk(this, parseLua(source, chunkId(chunkname)));
    } catch (e) {
      if (e instanceof LuaSyntaxError) return e.message;
      if (e instanceof RangeError) return `${chunkId(chunkname)}: chunk has too many syntax levels`;
      throw e;
    }
  }

  /**
   * lua_pcall of `fn` with `args` in this state. `handler`, when given, sees
   * the error value where it was raised (and its line), as Redis's error
   * handler does.
   */
  call(fn: LuaValue, args: LuaValue[], handler?: (error: LuaValue, line: number, chunk: string) => LuaValue): CallOutcome {
    const saved = { top: rt.top, cdepth: rt.cdepth, meta: rt.stringMeta };
    rt.stringMeta = this.stringMeta;
    try {
      return { ok: true, values: callFromNative(fn, args) };
    } catch (e) {
      const err = toLuaError(e);
      const value = handler ? handler(err.value, err.line, err.chunk) : err.value;
      return { ok: false, error: value, line: err.line, chunk: err.chunk };
    } finally {
      rt.top = saved.top;
      rt.cdepth = saved.cdepth;
      rt.stringMeta = saved.meta;
    }
  }

  /** Sets a global around Redis's readonly protection (lua_enablereadonlytable off, set, on). */
  setGlobal(name: string, value: LuaValue): void {
    this.globals.set(name, value);
  }
}

/** lua_enablereadonlytable on every table reachable from `t`, metatables included. */
export function protectRecursively(t: LuaTable): void {
  if (t.readonly) return;
  t.readonly = true;
  let e = t.next(undefined);
  while (e) {
    if (e[1] instanceof LuaTable) protectRecursively(e[1]);
    e = t.next(e[0]);
  }
  if (t.metatable) protectRecursively(t.metatable);
}

/** Coroutines: not in this interpreter; the table is there, each function fails honestly. */
function coroutineLibrary(): LuaTable {
  const t = new LuaTable(0, 6);
  for (const name of ['create', 'resume', 'running', 'status', 'wrap', 'yield']) {
    t.set(
      name,
      new LuaFunction(name, () => {
        throw new LuaError(`coroutine.${name} is not supported by this engine`, rt.top > 0 ? rt.sites[rt.top - 1].line : -1, '');
      }, true),
    );
  }
  return t;
}

export { LuaSyntaxError };
