// The Lua engine of FUNCTION (function_lua.c): one Lua state for every
// library. Globals are an empty read-only table whose metatable sends reads
// to the real globals, or, while a library's code runs at FUNCTION LOAD, to
// the library API (redis.register_function, redis.log, the version) only.

import { LuaTable } from './table.ts';
import { LuaFunction, LuaError, type LuaValue } from './value.ts';
import { errorMetatable, redisTable, registerLog, registerVersion, runScript, type ScriptHost } from './redis-api.ts';
import { LuaState, protectRecursively } from './state.ts';
import { parseLua } from './parser.ts';
import { LuaSyntaxError } from './lexer.ts';
import { loadChunk } from './compile.ts';
import { nativeError, rt, toStr } from './runtime.ts';
import { native } from './args.ts';
import { errorTable, luaArray, luaString, type ErrorSink } from './convert.ts';
import type { Lrand48 } from './lib-math.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { StepControl } from './api.ts';

/** A function a library registered. */
export interface RegisteredFunction {
  readonly name: string;
  readonly description: string | null;
  /** The flag names given (scripts_flags_def's, any case), lower-cased. */
  readonly flags: readonly string[];
  readonly callback: LuaFunction;
}

const FLAG_NAMES = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'];

export class FunctionEngine {
  private readonly state: LuaState;
  private readonly globalsMeta = new LuaTable();
  private readonly env = new LuaTable();
  private readonly realGlobals: LuaTable;
  private readonly libraryApi: LuaTable;
  /** The functions of the library being loaded (loadCtx), or null outside FUNCTION LOAD. */
  private loading: Map<string, RegisteredFunction> | null = null;

  constructor(host: ScriptHost, addLibraries: (g: LuaTable) => void, rand: Lrand48) {
    const state = new LuaState(rand);
    this.state = state;
    const g = state.globals;
    addLibraries(g);
    g.set('redis', redisTable(host, false));
    g.metatable = errorMetatable();
    protectRecursively(g);
    this.realGlobals = g;
    // The library API: what a library's code sees while it loads.
    const api = new LuaTable();
    const redis = new LuaTable();
    redis.set('register_function', native('register_function', (args) => this.register(args)));
    registerLog(redis, host);
    registerVersion(redis);
    redis.metatable = errorMetatable();
    api.set('redis', redis);
    api.metatable = errorMetatable();
    protectRecursively(api);
    this.libraryApi = api;
    this.globalsMeta.set('__index', g);
    this.globalsMeta.readonly = true;
    this.env.metatable = this.globalsMeta;
    this.env.readonly = true;
  }

  /** luaRegisterFunction. */
  private register(args: LuaValue[]): LuaValue[] {
    const fns = this.loading;
    if (!fns) throw nativeError(errorTable('redis.register_function can only be called on FUNCTION LOAD command'));
    const fail = (msg: string): never => {
      throw nativeError(errorTable(msg));
    };
    if (args.length < 1 || args.length > 2) fail('wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: string | null = null;
    let callback: LuaFunction | null = null;
    let flags: string[] = [];
    if (args.length === 1) {
      const t = args[0];
      if (!(t instanceof LuaTable)) return fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      for (let e = t.next(undefined); e; e = t.next(e[0])) {
        const k = e[0];
        const v = e[1];
        if (typeof k !== 'string' && typeof k !== 'number') fail('named argument key given to redis.register_function is not a string');
        const key = toStr(k as string | number)!.toLowerCase();
        if (key === 'function_name') {
          const s = typeof v === 'string' || typeof v === 'number' ? toStr(v) : null;
          if (s === null) fail('function_name argument given to redis.register_function must be a string');
          name = s;
        } else if (key === 'description') {
          const s = typeof v === 'string' || typeof v === 'number' ? toStr(v) : null;
          if (s === null) fail('description argument given to redis.register_function must be a string');
          description = s;
        } else if (key === 'callback') {
          if (!(v instanceof LuaFunction)) fail('callback argument given to redis.register_function must be a function');
          callback = v as LuaFunction;
        } else if (key === 'flags') {
          if (!(v instanceof LuaTable)) fail('flags argument to redis.register_function must be a table representing function flags');
          flags = [];
          for (let j = 1; ; j++) {
            const f = (v as LuaTable).get(j);
            if (f === undefined) break;
            const s = typeof f === 'string' || typeof f === 'number' ? toStr(f)!.toLowerCase() : null;
            if (s === null || !FLAG_NAMES.includes(s)) fail('unknown flag given');
            flags.push(s!);
          }
        } else fail('unknown argument given to redis.register_function');
      }
      if (name === null) fail('redis.register_function must get a function name argument');
      if (callback === null) fail('redis.register_function must get a callback argument');
    } else {
      const n = args[0];
      name = typeof n === 'string' || typeof n === 'number' ? toStr(n) : null;
      if (name === null) fail('first argument to redis.register_function must be a string');
      if (!(args[1] instanceof LuaFunction)) fail('second argument to redis.register_function must be a function');
      callback = args[1] as LuaFunction;
    }
    if (!/^[A-Za-z0-9_]+$/.test(name!)) fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
    if (fns.has(name!)) fail('Function already exists in the library');
    fns.set(name!, { name: name!, description, flags, callback: callback! });
    return [];
  }

  /**
   * luaEngineCreate: compiles and runs a library's code (after its shebang
   * line); its registered functions, or the error ("Error compiling
   * function: ..." / "Error registering functions: ...").
   */
  create(code: Uint8Array, timeoutSteps: number): { functions: Map<string, RegisteredFunction> } | { error: string } {
    let fn: LuaFunction;
    try {
      fn = loadChunk({ globals: this.env }, parseLua(luaString(code), 'user_function'));
    } catch (e) {
      if (e instanceof LuaSyntaxError) return { error: `Error compiling function: ${e.message}` };
      throw e;
    }
    const functions = new Map<string, RegisteredFunction>();
    this.globalsMeta.set('__index', this.libraryApi);
    this.loading = functions;
    rt.steps = 0;
    rt.stepLimit = timeoutSteps > 0 ? timeoutSteps : Number.POSITIVE_INFINITY;
    // luaEngineLoadHook: past the time limit every step raises again, so pcall cannot swallow it.
    rt.onStepLimit = () => {
      rt.stepLimit = rt.steps;
      throw nativeError(errorTable('FUNCTION LOAD timeout'));
    };
    try {
      const r = this.state.call(fn, []);
      if (!r.ok) {
        const e = r.error;
        let msg: string | null = null;
        if (typeof e === 'string' || typeof e === 'number') msg = 'ERR ' + toStr(e);
        if (e instanceof LuaTable) {
          const err = e.get('err');
          if (typeof err === 'string' || typeof err === 'number') msg = toStr(err);
        }
        return { error: `Error registering functions: ${msg ?? '(null)'}` };
      }
    } finally {
      rt.stepLimit = Number.POSITIVE_INFINITY;
      this.loading = null;
      this.globalsMeta.set('__index', this.realGlobals);
    }
    return { functions };
  }

  /** luaEngineCall: the callback with the keys and the arguments as two tables. */
  call(f: RegisteredFunction, keys: readonly Uint8Array[], args: readonly Uint8Array[], out: ReplyWriter, scriptResp: () => 2 | 3, error: ErrorSink, steps: StepControl): void {
    rt.steps = 0;
    rt.stepLimit = steps.limit;
    rt.onStepLimit = steps.onLimit;
    try {
      runScript(this.state, f.callback, [luaArray(keys), luaArray(args)], f.name, scriptResp, out, error);
    } finally {
      rt.stepLimit = Number.POSITIVE_INFINITY;
    }
  }
}

export { LuaError };
