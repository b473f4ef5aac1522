// FUNCTION and FCALL/FCALL_RO (functions.c). A library is its code, whose
// first line names it ("#!lua name=mylib"); loading it runs the code, which
// registers functions with redis.register_function. Libraries are part of
// the dataset: FUNCTION LOAD, DELETE, FLUSH and RESTORE change it (they are
// propagated as they are), DUMP and RESTORE carry them as RDB payloads, and
// RDB files hold them (rdb/functions.ts).

import type { CommandContext, Handler } from './context.ts';
import type { RedisNode } from '../node.ts';
import type { FunctionEngine, RegisteredFunction } from '../lua/api.ts';
import { Err } from '../errors.ts';
import { fromLatin1, latin1, lowerAscii, string2ll } from '../bytes.ts';
import { splitArgs } from '../resp/split-args.ts';
import { stringMatch } from '../glob.ts';
import { writeHelp, subcommandSyntaxError } from './help.ts';
import { FLAG_NAMES, flagsFrom, scriptServer, waitForLua, type ScriptServer } from './script-run.ts';
import { functionsDumpPayload, readFunctionsPayload } from '../rdb/functions.ts';

/** A loaded library (functionLibInfo). */
interface Library {
  readonly name: string;
  /** The whole code, metadata line included, as given to FUNCTION LOAD. */
  readonly code: Uint8Array;
  readonly functions: Map<string, RegisteredFunction>;
}

/**
 * functionsLibCtx: libraries by name, and every library's functions by
 * name, which Redis's dict compares without case (FCALL F1 finds f1).
 */
class LibraryContext {
  readonly libraries = new Map<string, Library>();
  readonly functions = new Map<string, { lib: Library; fn: RegisteredFunction }>();

  link(lib: Library): void {
    this.libraries.set(lib.name, lib);
    for (const fn of lib.functions.values()) this.functions.set(fn.name.toLowerCase(), { lib, fn });
  }

  unlink(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const name of lib.functions.keys()) this.functions.delete(name.toLowerCase());
  }

  find(name: string): { lib: Library; fn: RegisteredFunction } | undefined {
    return this.functions.get(name.toLowerCase());
  }
}

/**
 * The node's libraries. Library codes read from an RDB before the Lua
 * runtime is loaded (in the browser) wait in `pending` and are compiled
 * when functions are first used.
 */
interface NodeFunctions {
  current: LibraryContext;
  pending: Uint8Array[];
  engine: FunctionEngine | null;
}

const nodes = new WeakMap<RedisNode, NodeFunctions>();

function nodeFunctions(node: RedisNode): NodeFunctions {
  let f = nodes.get(node);
  if (!f) nodes.set(node, (f = { current: new LibraryContext(), pending: [], engine: null }));
  return f;
}

/** INFO memory's number_of_functions and number_of_libraries (of the compiled libraries: in the page, an RDB's libraries compile when functions are first used). */
export function functionCounts(node: RedisNode): { functions: number; libraries: number } {
  const f = nodes.get(node);
  if (!f) return { functions: 0, libraries: 0 };
  return { functions: f.current.functions.size, libraries: f.current.libraries.size };
}

/** FUNCTION LOAD's time limit (LOAD_TIMEOUT_MS), in script steps. */
const LOAD_TIMEOUT_STEPS = 500 * 20_000;

const NAME_ERROR = 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

function engineOf(server: ScriptServer, nf: NodeFunctions): FunctionEngine {
  nf.engine ??= server.lua.newFunctionEngine(server, server.rand);
  return nf.engine;
}

/**
 * functionsCreateWithLibraryCtx: the library's name once loaded into `ctx`,
 * or the error (with its ERR code).
 */
function createLibrary(server: ScriptServer, nf: NodeFunctions, code: Uint8Array, replace: boolean, ctx: LibraryContext, timeout: boolean): { name: string } | { error: string } {
  if (code.length < 2 || code[0] !== 0x23 || code[1] !== 0x21) return { error: 'ERR Missing library metadata' };
  // The code is a C string here: it ends at a NUL.
  const nul = code.indexOf(0);
  const text = nul >= 0 ? code.subarray(0, nul) : code;
  const end = text.indexOf(0x0a);
  if (end < 0) return { error: 'ERR Invalid library metadata' };
  const parts = splitArgs(text.subarray(0, end));
  if (!parts || parts.length === 0) return { error: 'ERR Invalid library metadata' };
  const engine = latin1(parts[0]).slice(2);
  let name: string | null = null;
  for (const p of parts.slice(1)) {
    const part = latin1(p);
    if (part.slice(0, 5).toLowerCase() === 'name=') {
      if (name !== null) return { error: 'ERR Invalid metadata value, name argument was given multiple times' };
      name = part.slice(5);
      continue;
    }
    return { error: `ERR Invalid metadata value given: ${part}` };
  }
  if (name === null) return { error: 'ERR Library name was not given' };
  if (!/^[A-Za-z0-9_]+$/.test(name)) return { error: NAME_ERROR };
  if (engine.toLowerCase() !== 'lua') return { error: `ERR Engine '${engine}' not found` };
  const old = ctx.libraries.get(name);
  if (old && !replace) return { error: `ERR Library '${name}' already exists` };
  if (old) ctx.unlink(old);
  const created = engineOf(server, nf).create(text.subarray(end), timeout ? LOAD_TIMEOUT_STEPS : 0);
  const fail = (error: string) => {
    if (old) ctx.link(old);
    return { error };
  };
  if ('error' in created) return fail('ERR ' + created.error);
  if (created.functions.size === 0) return fail('ERR No functions registered');
  for (const fname of created.functions.keys()) if (ctx.find(fname)) return fail(`ERR Function ${fname} already exists`);
  ctx.link({ name, code: code.slice(), functions: created.functions });
  return { name };
}

/** Compiles libraries read from an RDB before the runtime was there. */
function settle(server: ScriptServer, nf: NodeFunctions): void {
  const pending = nf.pending.splice(0);
  for (const code of pending) {
    const r = createLibrary(server, nf, code, true, nf.current, false);
    if ('error' in r) server.node.options.log.warning(`Failed loading library, ${r.error.replace(/^ERR /, '')}`);
  }
}

/** The functions state with the runtime ready, or null when the client waits for it. */
function ready(ctx: CommandContext): { server: ScriptServer; nf: NodeFunctions } | null {
  const server = scriptServer(ctx.node);
  if (!server) {
    if (!waitForLua(ctx.node, ctx.client, ctx.argv)) ctx.reply.error(Err.internal('function'));
    return null;
  }
  const nf = nodeFunctions(ctx.node);
  if (nf.pending.length > 0) settle(server, nf);
  return { server, nf };
}

function fcall(ctx: CommandContext, ro: boolean): void {
  const { node, client, argv, reply } = ctx;
  const r = ready(ctx);
  if (!r) return;
  if (node.monitors.length > 0) node.feedMonitors(client, argv);
  const found = r.nf.current.find(latin1(argv[1]));
  if (!found) return reply.error('ERR Function not found');
  const numkeys = string2ll(argv[2]);
  if (numkeys === null) return reply.error('ERR Bad number of keys provided');
  if (numkeys > argv.length - 3) return reply.error(Err.numkeysExceedArgs);
  if (numkeys < 0) return reply.error(Err.numkeysNegative);
  const flags = flagsFrom(found.fn.flags, false);
  const refusal = r.server.refusal(flags, ro);
  if (refusal) return reply.error(refusal);
  const n = Number(numkeys);
  const engine = engineOf(r.server, r.nf);
  r.server.execute(client, reply, { eval: false, funcname: found.fn.name }, flags, ro, (steps) =>
    engine.call(found.fn, argv.slice(3, 3 + n), argv.slice(3 + n), reply, () => r.server.client.reply.protocol, (out, text, count) => r.server.writeError(out, text, count), steps),
  );
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

function bulkText(ctx: CommandContext, text: string): void {
  ctx.reply.bulk(fromLatin1(text));
}

export const functionsHandlers: Record<string, Handler> = {
  fcall: (ctx) => fcall(ctx, false),
  fcall_ro: (ctx) => fcall(ctx, true),
  'function|help': ({ argv, reply }) => writeHelp(reply, argv[0], FUNCTION_HELP),
  'function|load': (ctx) => {
    const { node, argv, reply, client } = ctx;
    let replace = false;
    let pos = 2;
    while (pos < argv.length - 1) {
      const arg = argv[pos++];
      if (lowerAscii(arg) === 'replace') {
        replace = true;
        continue;
      }
      return reply.error(`ERR Unknown option given: ${latin1(arg)}`);
    }
    if (pos >= argv.length) return reply.error('ERR Function code is missing');
    const r = ready(ctx);
    if (!r) return;
    const made = createLibrary(r.server, r.nf, argv[pos], replace, r.nf.current, !client.isMaster);
    if ('error' in made) return reply.error(made.error);
    node.dirty++;
    bulkText(ctx, made.name);
  },
  'function|delete': (ctx) => {
    const r = ready(ctx);
    if (!r) return;
    const lib = r.nf.current.libraries.get(latin1(ctx.argv[2]));
    if (!lib) return ctx.reply.error('ERR Library not found');
    r.nf.current.unlink(lib);
    ctx.node.dirty++;
    ctx.reply.ok();
  },
  'function|flush': (ctx) => {
    const { argv, reply, node } = ctx;
    if (argv.length > 3) return reply.error(subcommandSyntaxError(argv));
    if (argv.length === 3 && !['sync', 'async'].includes(lowerAscii(argv[2]))) return reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    const nf = nodeFunctions(node);
    nf.current = new LibraryContext();
    nf.pending = [];
    node.dirty++;
    reply.ok();
  },
  'function|kill': ({ reply }) => reply.error(Err.notBusy),
  'function|stats': (ctx) => {
    const r = ready(ctx);
    if (!r) return;
    const { reply } = ctx;
    reply.mapHeader(2);
    bulkText(ctx, 'running_script');
    reply.nil();
    bulkText(ctx, 'engines');
    reply.mapHeader(1);
    bulkText(ctx, 'LUA');
    reply.mapHeader(2);
    bulkText(ctx, 'libraries_count');
    reply.integer(r.nf.current.libraries.size);
    bulkText(ctx, 'functions_count');
    reply.integer(r.nf.current.functions.size);
  },
  'function|list': (ctx) => {
    const { argv, reply } = ctx;
    let withCode = false;
    let pattern: Uint8Array | null = null;
    for (let i = 2; i < argv.length; i++) {
      const a = lowerAscii(argv[i]);
      if (!withCode && a === 'withcode') {
        withCode = true;
        continue;
      }
      if (!pattern && a === 'libraryname') {
        if (i >= argv.length - 1) return reply.error('ERR library name argument was not given');
        pattern = argv[++i];
        continue;
      }
      return reply.error(`ERR Unknown argument ${latin1(argv[i])}`);
    }
    const r = ready(ctx);
    if (!r) return;
    const libs = [...r.nf.current.libraries.values()].filter((l) => !pattern || stringMatch(pattern, fromLatin1(l.name), true));
    reply.arrayHeader(libs.length);
    for (const lib of libs) {
      reply.mapHeader(withCode ? 4 : 3);
      bulkText(ctx, 'library_name');
      bulkText(ctx, lib.name);
      bulkText(ctx, 'engine');
      bulkText(ctx, 'LUA');
      bulkText(ctx, 'functions');
      reply.arrayHeader(lib.functions.size);
      for (const fn of lib.functions.values()) {
        reply.mapHeader(3);
        bulkText(ctx, 'name');
        bulkText(ctx, fn.name);
        bulkText(ctx, 'description');
        if (fn.description === null) reply.nil();
        else bulkText(ctx, fn.description);
        bulkText(ctx, 'flags');
        const flags = FLAG_NAMES.filter((f) => fn.flags.includes(f));
        reply.latin1((reply.protocol === 3 ? '~' : '*') + flags.length + '\r\n');
        for (const f of flags) reply.status(f);
      }
      if (withCode) {
        bulkText(ctx, 'library_code');
        reply.bulk(lib.code);
      }
    }
  },
  'function|dump': (ctx) => {
    const nf = nodeFunctions(ctx.node);
    ctx.reply.bulk(functionsDumpPayload(libraryCodes(ctx.node), ctx.node.config.rdbCompression));
    void nf;
  },
  'function|restore': (ctx) => {
    const { argv, reply, node } = ctx;
    if (argv.length > 4) return reply.error(subcommandSyntaxError(argv));
    let policy = 'append';
    if (argv.length === 4) {
      policy = lowerAscii(argv[3]);
      if (!['append', 'replace', 'flush'].includes(policy)) return reply.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
    }
    const codes = readFunctionsPayload(argv[2]);
    if ('error' in codes) return reply.error(codes.error);
    const r = ready(ctx);
    if (!r) return;
    const temp = new LibraryContext();
    for (const code of codes.codes) {
      const made = createLibrary(r.server, r.nf, code, false, temp, false);
      if ('error' in made) return reply.error(made.error);
    }
    const cur = r.nf.current;
    if (policy === 'flush') r.nf.current = temp;
    else {
      // libraryJoin: collisions abort, or (REPLACE) old libraries go, back again if a function collides.
      const replaced: Library[] = [];
      for (const lib of temp.libraries.values()) {
        const old = cur.libraries.get(lib.name);
        if (!old) continue;
        if (policy !== 'replace') return reply.error(`ERR Library ${lib.name} already exists`);
        cur.unlink(old);
        replaced.push(old);
      }
      for (const { fn } of temp.functions.values()) {
        if (cur.find(fn.name)) {
          for (const old of replaced) cur.link(old);
          return reply.error(`ERR Function ${fn.name} already exists`);
        }
      }
      for (const lib of temp.libraries.values()) cur.link(lib);
    }
    node.dirty++;
    reply.ok();
  },
};

/** The libraries' codes in the order they were loaded (what an RDB or FUNCTION DUMP holds); pending ones too. */
export function libraryCodes(node: RedisNode): Uint8Array[] {
  const nf = nodes.get(node);
  if (!nf) return [];
  return [...[...nf.current.libraries.values()].map((l) => l.code), ...nf.pending];
}

/** A library read from an RDB: compiled now when the runtime is there, else when functions are first used. */
export function loadLibraryFromRdb(node: RedisNode, code: Uint8Array): string | null {
  const nf = nodeFunctions(node);
  const server = scriptServer(node);
  if (!server) {
    nf.pending.push(code.slice());
    return null;
  }
  const r = createLibrary(server, nf, code, true, nf.current, false);
  return 'error' in r ? r.error.replace(/^ERR /, '') : null;
}

/** Before an RDB replaces the dataset: its libraries replace ours. */
export function clearLibraries(node: RedisNode): void {
  const nf = nodeFunctions(node);
  nf.current = new LibraryContext();
  nf.pending = [];
}
