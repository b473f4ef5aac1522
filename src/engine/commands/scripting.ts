// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (eval.c). Scripts are
// cached by the SHA1 of their body; a body may start with a shebang
// ("#!lua flags=no-writes,allow-stale") that sets its flags, the line kept
// as an empty one so line numbers hold. The script's writes reach the
// replication stream as effects: each command it ran, through call(), the
// EVAL itself never (script-run.ts).

import type { CommandContext, Handler } from './context.ts';
import type { EvalEngine } from '../lua/api.ts';
import type { RedisNode } from '../node.ts';
import { Err } from '../errors.ts';
import { latin1, lowerAscii, fromLatin1 } from '../bytes.ts';
import { splitArgs } from '../resp/split-args.ts';
import { parseLongLong } from './args.ts';
import { FLAG_NAMES, existingScriptServer, flagsFrom, scriptServer, sha1hex, waitForLua, type ScriptFlags, type ScriptServer } from './script-run.ts';
import { writeHelp } from './help.ts';

interface CachedScript {
  readonly body: Uint8Array;
  readonly flags: ScriptFlags;
}

/** lctx: the scripts (sha -> body and flags) and the Lua state that compiled them. */
interface EvalState {
  readonly scripts: Map<string, CachedScript>;
  engine: EvalEngine;
}

const states = new WeakMap<ScriptServer, EvalState>();

/** INFO memory's number_of_cached_scripts: the bodies EVAL and SCRIPT LOAD cached. */
export function cachedScriptCount(node: RedisNode): number {
  const server = existingScriptServer(node);
  return server ? (states.get(server)?.scripts.size ?? 0) : 0;
}

function evalState(server: ScriptServer): EvalState {
  let s = states.get(server);
  if (!s) {
    s = { scripts: new Map(), engine: new server.lua.EvalEngine(server, server.rand) };
    states.set(server, s);
  }
  return s;
}

/** evalExtractShebangFlags: the flags and the length of the shebang line, or the error. */
export function shebangFlags(body: Uint8Array): { flags: ScriptFlags; length: number } | { error: string } {
  if (body.length < 2 || body[0] !== 0x23 || body[1] !== 0x21) return { flags: flagsFrom([], true), length: 0 };
  const end = body.indexOf(0x0a);
  if (end < 0) return { error: Err.shebangInvalid };
  const parts = splitArgs(body.subarray(0, end));
  if (!parts || parts.length === 0) return { error: Err.shebangNoEngine };
  const engine = latin1(parts[0]);
  if (engine !== '#!lua') return { error: Err.shebangEngine(engine) };
  const names: string[] = [];
  for (const part of parts.slice(1).map((p) => latin1(p))) {
    if (!part.startsWith('flags=')) return { error: Err.shebangOption(part) };
    const list = part.slice(6);
    if (list === '') continue;
    for (const flag of list.split(',')) {
      if (!(FLAG_NAMES as readonly string[]).includes(flag)) return { error: Err.shebangFlag(flag) };
      names.push(flag);
    }
  }
  return { flags: flagsFrom(names, false), length: end };
}

/** luaCreateFunction: the script's sha once compiled and cached, or null (the error is replied). */
function createFunction(state: EvalState, ctx: CommandContext, body: Uint8Array): string | null {
  const sha = sha1hex(body);
  if (state.scripts.has(sha)) return sha;
  const shebang = shebangFlags(body);
  if ('error' in shebang) {
    ctx.reply.error(shebang.error);
    return null;
  }
  // The shebang line is left out but its newline kept, so line numbers stay the user's.
  const error = state.engine.compile(sha, body.subarray(shebang.length));
  if (error !== null) {
    ctx.reply.error(Err.compileScript(error));
    return null;
  }
  state.scripts.set(sha, { body: body.slice(), flags: shebang.flags });
  return sha;
}

function evalGeneric(ctx: CommandContext, evalsha: boolean, ro: boolean): void {
  const { node, client, argv, reply } = ctx;
  const server = scriptServer(node);
  if (!server) {
    // The runtime is not loaded yet (the browser): the command runs again once it is.
    if (!waitForLua(node, client, argv)) reply.error(Err.internal(latin1(argv[0]).toLowerCase()));
    return;
  }
  // evalCommand feeds MONITOR itself, so the script's commands show after it.
  if (node.monitors.length > 0) node.feedMonitors(client, argv);
  if (evalsha && argv[1].length !== 40) return reply.error(Err.noScript);
  const parsed = parseLongLong(argv[2]);
  if (!parsed.ok) return reply.error(parsed.error);
  const numkeys = BigInt(parsed.value);
  if (numkeys > BigInt(argv.length - 3)) return reply.error(Err.numkeysExceedArgs);
  if (numkeys < 0n) return reply.error(Err.numkeysNegative);
  const state = evalState(server);
  let sha: string | null;
  if (evalsha) {
    sha = lowerAscii(argv[1]);
    if (!state.scripts.has(sha)) return reply.error(Err.noScript);
  } else {
    sha = createFunction(state, ctx, argv[1]);
    if (sha === null) return;
  }
  const script = state.scripts.get(sha)!;
  const refusal = server.refusal(script.flags, ro);
  if (refusal) return reply.error(refusal);
  const n = Number(numkeys);
  const keys = argv.slice(3, 3 + n);
  const args = argv.slice(3 + n);
  server.execute(client, reply, { eval: true, funcname: sha }, script.flags, ro, (steps) =>
    state.engine.run(sha!, keys, args, reply, () => server.client.reply.protocol, (out, text, count) => server.writeError(out, text, count), steps),
  );
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

/** SCRIPT subcommands that need the runtime (LOAD compiles, FLUSH resets the state). */
function withServer(ctx: CommandContext, run: (server: ScriptServer) => void): void {
  const server = scriptServer(ctx.node);
  if (server) return run(server);
  if (!waitForLua(ctx.node, ctx.client, ctx.argv)) ctx.reply.error(Err.internal('script'));
}

export const scriptingHandlers: Record<string, Handler> = {
  eval: (ctx) => evalGeneric(ctx, false, false),
  evalsha: (ctx) => evalGeneric(ctx, true, false),
  eval_ro: (ctx) => evalGeneric(ctx, false, true),
  evalsha_ro: (ctx) => evalGeneric(ctx, true, true),
  'script|help': ({ argv, reply }) => writeHelp(reply, argv[0], SCRIPT_HELP),
  'script|flush': (ctx) => {
    const { argv, reply } = ctx;
    if (argv.length > 3 || (argv.length === 3 && !['sync', 'async'].includes(lowerAscii(argv[2])))) return reply.error(Err.scriptFlushMode);
    withServer(ctx, (server) => {
      const state = states.get(server);
      if (state) {
        state.scripts.clear();
        state.engine.reset();
      }
      reply.ok();
    });
  },
  'script|exists': ({ node, argv, reply }) => {
    const server = scriptServer(node);
    const scripts = server ? states.get(server)?.scripts : undefined;
    reply.arrayHeader(argv.length - 2);
    // The cache's dict compares sha keys case-insensitively.
    for (const a of argv.slice(2)) reply.integer(scripts?.has(lowerAscii(a)) ? 1 : 0);
  },
  'script|load': (ctx) =>
    withServer(ctx, (server) => {
      const sha = createFunction(evalState(server), ctx, ctx.argv[2]);
      if (sha !== null) ctx.reply.bulk(fromLatin1(sha));
    }),
  'script|kill': ({ reply }) => reply.error(Err.notBusy),
  'script|debug': ({ argv, reply }) => {
    const mode = lowerAscii(argv[2]);
    if (mode === 'no') return reply.ok();
    if (mode === 'yes' || mode === 'sync') return reply.error(Err.scriptDebugUnsupported);
    reply.error(Err.scriptDebugMode);
  },
};
