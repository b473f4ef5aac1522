// The `redis` table scripts see (script_lua.c's luaRegisterRedisAPI and
// eval.c's additions), the global protection Redis puts on a Lua state, and
// one script run: KEYS and ARGV, the error handler's source and line, and
// the reply (luaCallFunction).

import { LuaTable } from './table.ts';
import { LuaFunction, type LuaValue } from './value.ts';
import { luaLError, nativeError, toStr } from './runtime.ts';
import { library, native, type Native } from './args.ts';
import { number2str, number2str17 } from './number.ts';
import { LuaState, protectRecursively } from './state.ts';
import type { Lrand48 } from './lib-math.ts';
import { bytesOf, errorTable, luaToReply, replyToLua, type ErrorSink } from './convert.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { tostring } from './lib-base.ts';
import { Err } from '../errors.ts';

/** What a script's redis.* functions need from the server. */
export interface ScriptHost {
  /** True while a script runs (redis.call outside of one is refused). */
  readonly running: boolean;
  /** scriptCall: the command's reply bytes (in the script client's protocol), or why it was refused before running. */
  call(argv: Uint8Array[]): { reply: string } | { rejected: string };
  /** redis.acl_check_cmd: null for an unknown command. */
  aclCheck(argv: Uint8Array[]): boolean | null;
  /** serverLogRaw at `level` (0 debug .. 3 warning), when the verbosity lets it through. */
  log(level: number, text: string): void;
  setResp(resp: 2 | 3): void;
  setRepl(flags: number): void;
  sha1hex(s: string): string;
}

import { REDIS_VERSION } from '../version.ts';
export { REDIS_VERSION };

/** REDIS_VERSION_NUM of 7.0.15. */
const REDIS_VERSION_NUM = 0x07000f;

function pushError(msg: string): LuaTable {
  return errorTable(msg);
}

/** luaArgsToRedisArgv: strings as they are, numbers as "%.17g"; null (an error table pushed) otherwise. */
function toArgv(args: LuaValue[]): Uint8Array[] | LuaTable {
  if (args.length === 0) return pushError('Please specify at least one argument for this redis lib call');
  const argv: Uint8Array[] = [];
  for (const a of args) {
    if (typeof a === 'number') argv.push(bytesOf(number2str17(a)));
    else if (typeof a === 'string') argv.push(bytesOf(a));
    else return pushError('Lua redis lib command arguments must be strings or integers');
  }
  return argv;
}

/** The functions every Redis Lua state's `redis` table has (luaRegisterRedisAPI's part shared with functions). */
export function registerLog(t: LuaTable, host: ScriptHost): void {
  t.set(
    'log',
    native('log', (args) => {
      if (args.length < 2) throw nativeError(pushError('redis.log() requires two arguments or more.'));
      const level = args[0];
      if (typeof level !== 'number' && (typeof level !== 'string' || toStr(level) === null || Number.isNaN(Number(level)))) throw nativeError(pushError('First argument must be a number (log level).'));
      const lv = Math.trunc(Number(level));
      if (lv < 0 || lv > 3) throw nativeError(pushError('Invalid debug level.'));
      const parts: string[] = [];
      for (let j = 1; j < args.length; j++) {
        const s = toStr(args[j]);
        if (s !== null) parts.push(s);
      }
      host.log(lv, parts.join(' '));
      return [];
    }),
  );
  t.set('LOG_DEBUG', 0);
  t.set('LOG_VERBOSE', 1);
  t.set('LOG_NOTICE', 2);
  t.set('LOG_WARNING', 3);
}

export function registerVersion(t: LuaTable): void {
  t.set('REDIS_VERSION_NUM', REDIS_VERSION_NUM);
  t.set('REDIS_VERSION', REDIS_VERSION);
}

/** The `redis` table of a script run (EVAL and FCALL). */
export function redisTable(host: ScriptHost, evalExtras: boolean): LuaTable {
  const generic = (raise: boolean): Native => (args) => {
    if (!host.running) throw nativeError(pushError('redis.call/pcall can only be called inside a script invocation'));
    const argv = toArgv(args);
    let result: LuaValue;
    if (argv instanceof LuaTable) {
      if (raise) throw nativeError(argv);
      return [argv];
    }
    const r = host.call(argv);
    if ('rejected' in r) {
      const t = pushError(r.rejected);
      t.set('ignore_error_stats_update', true);
      result = t;
      if (raise) throw nativeError(t);
      return [t];
    }
    result = replyToLua(r.reply, 0)[0];
    if (raise && r.reply[0] === '-') throw nativeError(result);
    return [result];
  };
  const t = new LuaTable();
  t.set('call', native('call', generic(true)));
  t.set('pcall', native('pcall', generic(false)));
  registerLog(t, host);
  registerVersion(t);
  const fns: [string, Native][] = [
    [
      'setresp',
      (args) => {
        if (!host.running) throw nativeError(pushError('redis.setresp can only be called inside a script invocation'));
        if (args.length !== 1) throw nativeError(pushError('redis.setresp() requires one argument.'));
        const resp = Math.trunc(toNumberOr0(args[0]));
        if (resp !== 2 && resp !== 3) throw nativeError(pushError('RESP version must be 2 or 3.'));
        host.setResp(resp);
        return [];
      },
    ],
    [
      'sha1hex',
      (args) => {
        if (args.length !== 1) throw nativeError(pushError('wrong number of arguments'));
        return [host.sha1hex(toStr(args[0]) ?? '')];
      },
    ],
    ['error_reply', (args) => {
      if (args.length !== 1 || typeof args[0] !== 'string') return [pushError('wrong number or type of arguments')];
      const e = args[0];
      return [errorTable(e.startsWith('-') ? e : '-' + e)];
    }],
    ['status_reply', (args) => {
      if (args.length !== 1 || typeof args[0] !== 'string') return [pushError('wrong number or type of arguments')];
      const s = new LuaTable();
      s.set('ok', args[0]);
      return [s];
    }],
    [
      'set_repl',
      (args) => {
        if (!host.running) throw nativeError(pushError('redis.set_repl can only be called inside a script invocation'));
        if (args.length !== 1) throw nativeError(pushError('redis.set_repl() requires two arguments.'));
        const flags = Math.trunc(toNumberOr0(args[0]));
        if ((flags & ~3) !== 0) throw nativeError(pushError('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'));
        host.setRepl(flags);
        return [];
      },
    ],
  ];
  for (const [name, fn] of fns) t.set(name, native(name, fn));
  t.set('REPL_NONE', 0);
  t.set('REPL_AOF', 1);
  t.set('REPL_SLAVE', 2);
  t.set('REPL_REPLICA', 2);
  t.set('REPL_ALL', 3);
  t.set(
    'acl_check_cmd',
    native('acl_check_cmd', (args) => {
      if (!host.running) throw nativeError(pushError('redis.acl_check_cmd can only be called inside a script invocation'));
      const argv = toArgv(args);
      if (argv instanceof LuaTable) throw nativeError(argv);
      const ok = host.aclCheck(argv);
      if (ok === null) throw nativeError(pushError('Invalid command passed to redis.acl_check_cmd()'));
      return [ok];
    }),
  );
  if (evalExtras) {
    // eval.c: the debugger's two (inactive outside SCRIPT DEBUG) and replicate_commands, a no-op since 7.0.
    t.set('breakpoint', native('breakpoint', () => [false]));
    t.set('debug', native('debug', () => []));
    t.set('replicate_commands', native('replicate_commands', () => [true]));
  }
  return t;
}

function toNumberOr0(v: LuaValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

/** luaSetErrorMetatable: reading a missing key raises "Script attempted to access nonexistent global variable". */
export function errorMetatable(): LuaTable {
  const mt = new LuaTable();
  mt.set(
    '__index',
    native('luaProtectedTableError', (args) => {
      const name = args[1];
      if (typeof name !== 'string' && typeof name !== 'number') throw luaLError('Second argument to luaProtectedTableError must be a string or number');
      throw luaLError(`Script attempted to access nonexistent global variable '${typeof name === 'number' ? number2str(name) : name}'`);
    }),
  );
  return mt;
}

/** The libraries Redis adds to a state (cjson, struct, cmsgpack, bit) are registered by `addLibraries`. */
export type LibraryInstaller = (globals: LuaTable) => void;

/** scriptingInit's state: libraries, pcall, `redis`, the error handler, then every reachable table read-only. */
export function evalState(host: ScriptHost, addLibraries: LibraryInstaller, rand: Lrand48): LuaState {
  const state = new LuaState(rand);
  const g = state.globals;
  addLibraries(g);
  g.set('redis', redisTable(host, true));
  g.set(
    '__redis__err__handler',
    native('__redis__err__handler', (args) => [handleError(args[0], -1, '')]),
  );
  g.metatable = errorMetatable();
  protectRecursively(g);
  return state;
}

/** Redis's error handler: a string becomes {err='ERR ' .. msg}; source and line are added where known. */
function handleError(err: LuaValue, line: number, chunk: string): LuaValue {
  let t: LuaTable;
  if (err instanceof LuaTable) t = err;
  else {
    t = new LuaTable();
    t.set('err', 'ERR ' + toStr(tostring(err) as string | number));
  }
  if (line >= 0 && !t.readonly) {
    t.set('source', '@' + chunk);
    t.set('line', line);
  }
  return t;
}

/** How a run's error reaches the client: the text, and whether it counts in the error stats. */
export type RunErrorSink = ErrorSink;

/**
 * luaCallFunction: runs `fn` with `args`, then writes its first result (or
 * its error, "<err> script: <name>, on @user_script:<line>.") to `out`.
 */
export function runScript(state: LuaState, fn: LuaFunction, args: LuaValue[], funcname: string, scriptResp: () => 2 | 3, out: ReplyWriter, error: ErrorSink): void {
  const r = state.call(fn, args, handleError);
  if (r.ok) {
    luaToReply(r.values[0], out, scriptResp(), error);
    return;
  }
  const e = r.error;
  if (!(e instanceof LuaTable)) {
    const msg = toStr(e as string) ?? 'execution failure';
    error(out, `ERR Error running script ${funcname}, ${msg.slice(0, 100)}`, true);
    return;
  }
  const msg = toStr(e.get('err') as string | number);
  // Redis 7.0.15 crashes on an error table without err (NULL in sdscatfmt); the engine answers.
  let text = msg ?? Err.scriptErrorTableWithoutErr;
  const source = toStr(e.get('source') as string | number);
  const line = toStr(e.get('line') as string | number);
  if (source !== null && line !== null) text += ` script: ${funcname}, on ${source}:${line}.`;
  error(out, text, e.get('ignore_error_stats_update') !== true);
}

export { LuaFunction, library };
