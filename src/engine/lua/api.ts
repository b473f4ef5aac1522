// The Lua runtime's entry point: what the scripting commands use. In the
// browser this module and everything it imports is a chunk of its own,
// loaded on the first script (engine/lua-runtime.ts); under Node and in
// tests it is installed at start.

import { LuaTable } from './table.ts';
import { LuaFunction, type LuaValue } from './value.ts';
import { evalState, runScript, type ScriptHost } from './redis-api.ts';
import { Lrand48 } from './lib-math.ts';
import { cjsonLibrary } from './lib-cjson.ts';
import { bitLibrary } from './lib-bit.ts';
import { structLibrary } from './lib-struct.ts';
import { cmsgpackLibrary } from './lib-cmsgpack.ts';
import { luaArray, luaString } from './convert.ts';
import { rt } from './runtime.ts';
import type { LuaState } from './state.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { ErrorSink } from './convert.ts';
import { FunctionEngine, type RegisteredFunction } from './function-engine.ts';

export type { ScriptHost, ErrorSink };

/** The libraries Redis opens beyond Lua's own (cjson, struct, cmsgpack, bit). */
function addLibraries(g: LuaTable): void {
  g.set('cjson', cjsonLibrary());
  g.set('struct', structLibrary());
  g.set('cmsgpack', cmsgpackLibrary());
  g.set('bit', bitLibrary());
}

/** The random generator of a server process (redisLrand48): one for EVAL and FUNCTION alike. */
export function newRandom(): Lrand48 {
  return new Lrand48();
}

/** How many steps a script may take before the host is asked what to do (SCRIPT KILL, timeouts). */
export interface StepControl {
  limit: number;
  onLimit(): void;
}

/** EVAL's Lua state and its compiled scripts (eval.c's lctx). */
export class EvalEngine {
  private state: LuaState;
  private readonly functions = new Map<string, LuaFunction>();

  constructor(
    private readonly host: ScriptHost,
    private readonly rand: Lrand48,
  ) {
    this.state = this.newState();
  }

  private newState(): LuaState {
    return evalState(this.host, addLibraries, this.rand);
  }

  /** luaCreateFunction: compiles a body (the shebang line already blanked); null, or Lua's error message. */
  compile(sha: string, body: Uint8Array): string | null {
    if (this.functions.has(sha)) return null;
    const f = this.state.load(luaString(body), '@user_script');
    if (typeof f === 'string') return f;
    this.functions.set(sha, f);
    return null;
  }

  has(sha: string): boolean {
    return this.functions.has(sha);
  }

  /** SCRIPT FLUSH: a new Lua state (scriptingReset). */
  reset(): void {
    this.functions.clear();
    this.state = this.newState();
  }

  /** Runs a compiled script: KEYS and ARGV set, the reply (or error) written to `out`. */
  run(sha: string, keys: readonly Uint8Array[], args: readonly Uint8Array[], out: ReplyWriter, scriptResp: () => 2 | 3, error: ErrorSink, steps: StepControl): void {
    const fn = this.functions.get(sha)!;
    const g = this.state.globals;
    g.set('KEYS', luaArray(keys));
    g.set('ARGV', luaArray(args));
    rt.steps = 0;
    rt.stepLimit = steps.limit;
    rt.onStepLimit = steps.onLimit;
    try {
      runScript(this.state, fn, [], sha, scriptResp, out, error);
    } finally {
      rt.stepLimit = Number.POSITIVE_INFINITY;
    }
  }
}


/** FUNCTION's Lua engine, with the same libraries as EVAL's state. */
export function newFunctionEngine(host: ScriptHost, rand: Lrand48): FunctionEngine {
  return new FunctionEngine(host, addLibraries, rand);
}

export { LuaFunction, FunctionEngine, type LuaValue, type RegisteredFunction };
