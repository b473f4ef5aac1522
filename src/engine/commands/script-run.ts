// What EVAL and FCALL share (script.c): the script client a script's
// redis.call runs as, the checks before a run (scriptPrepareForRun), the
// checks before each command (scriptCall), and the Lua runtime's loading
// in the browser. One ScriptServer per node process.

import { Client, type ClientTransport } from '../client.ts';
import type { RedisNode } from '../node.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { ScriptHost } from '../lua/api.ts';
import { luaPart, luaRuntime, type LuaRuntime } from '../lua-runtime.ts';
import { needsPart, waitForPart } from './lazy.ts';
import { lookupCommand } from './registry.ts';
import { Err } from '../errors.ts';
import { latin1 } from '../bytes.ts';
import { sha1 } from '../sha1.ts';
import type { LogLevel } from '../log.ts';
import { configValues } from '../config-values.ts';

/** Script flags (scripts_flags_def), from a shebang or a function's registration. */
export interface ScriptFlags {
  /** No shebang: EVAL's compatibility mode. */
  readonly compat: boolean;
  readonly noWrites: boolean;
  readonly allowOom: boolean;
  readonly allowStale: boolean;
  readonly noCluster: boolean;
  readonly allowCrossSlot: boolean;
}

export const FLAG_NAMES = ['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'] as const;

export function flagsFrom(names: readonly string[], compat: boolean): ScriptFlags {
  return {
    compat,
    noWrites: names.includes('no-writes'),
    allowOom: names.includes('allow-oom'),
    allowStale: names.includes('allow-stale'),
    noCluster: names.includes('no-cluster'),
    allowCrossSlot: names.includes('allow-cross-slot-keys'),
  };
}

const NO_TRANSPORT: ClientTransport = { write() {}, close() {} };
const LEVELS: LogLevel[] = ['debug', 'verbose', 'notice', 'warning'];
/** Steps (loop iterations and calls) a script takes per millisecond of simulated time. */
const STEPS_PER_MS = 20_000;

/** The run in progress (scriptRunCtx). */
interface Run {
  readonly caller: Client;
  readonly readOnly: boolean;
  /** SCRIPT_WRITE_DIRTY: a write ran, later writes are not refused for the server's state. */
  writeDirty: boolean;
  /** PROPAGATE_REPL in redis.set_repl's flags. */
  propagate: boolean;
}

/** Raised through Lua (no pcall catches it) when a script runs past its step budget. */
export class ScriptTimeout {
  constructor(readonly ms: number) {}
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** sha1hex of bytes. */
export function sha1hex(body: Uint8Array): string {
  return hex(sha1(body));
}

export class ScriptServer implements ScriptHost {
  /** The script client (lctx.lua_client): not a connection, CLIENT LIST does not show it. */
  readonly client: Client;
  private run: Run | null = null;
  readonly rand;

  constructor(
    readonly node: RedisNode,
    readonly lua: LuaRuntime,
  ) {
    const client = new Client(0, { ip: '', port: 0 }, NO_TRANSPORT, () => node.config.protoMaxBulkLen);
    client.script = true;
    client.inExec = true; // CLIENT_DENY_BLOCKING: blocking commands answer at once
    client.reply.onError = (text) => node.stats.errorReply(client, text);
    this.client = client;
    this.rand = lua.newRandom();
  }

  get running(): boolean {
    return this.run !== null;
  }

  /** scriptPrepareForRun: null to go on, or the error the caller gets. */
  refusal(flags: ScriptFlags, ro: boolean): string | null {
    const node = this.node;
    const repl = node.replication;
    const cfg = node.config;
    const runningStale = repl.isReplica && repl.replica.state !== 'connected' && !cfg.replicaServeStaleData;
    if (flags.compat) return runningStale ? Err.masterDown : null;
    if (runningStale && !flags.allowStale) return Err.scriptStaleFlag;
    if (!flags.noWrites) {
      if (repl.isReplica && cfg.replicaReadOnly) return Err.scriptReadonlyReplica;
      if (node.bgsave.deniesWrites) return Err.scriptMisconf;
      if (ro) return Err.scriptWriteWithRo;
      if (!repl.isReplica && cfg.minReplicasMaxLag && cfg.minReplicasToWrite && repl.master.goodSlaves < cfg.minReplicasToWrite) return Err.noReplicas;
    }
    return null;
  }

  /**
   * Runs `body` as a script of `caller`: the script client takes the
   * caller's database, RESP2, the caller's MULTI state; afterwards the
   * caller's command is not propagated (its effects were).
   */
  execute(caller: Client, out: ReplyWriter, name: { eval: boolean; funcname: string }, flags: ScriptFlags, ro: boolean, body: (steps: { limit: number; onLimit(): void }) => void): void {
    const c = this.client;
    c.db = caller.db;
    c.reply.protocol = 2;
    this.run = { caller, readOnly: ro || (!flags.compat && flags.noWrites), writeDirty: false, propagate: true };
    c.scriptCaller = caller;
    const thresholdMs = Number(configValues(this.node).text('busy-reply-threshold'));
    const limit = thresholdMs > 0 ? thresholdMs * STEPS_PER_MS : Number.POSITIVE_INFINITY;
    try {
      body({
        limit,
        onLimit: () => {
          throw new ScriptTimeout(thresholdMs);
        },
      });
    } catch (e) {
      if (!(e instanceof ScriptTimeout)) throw e;
      this.node.options.log.warning(
        `Slow script detected: still in execution after ${e.ms} milliseconds. You can try killing the script using the ${name.eval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${name.funcname}.`,
      );
      out.error(Err.scriptTooLong(e.ms));
    } finally {
      this.run = null;
      c.scriptCaller = null;
      c.reply.take();
    }
    caller.preventPropagation = true;
  }

  /**
   * The error a run ends with: counted in the error stats unless the
   * command's own error was (then afterErrorReply counts the script's
   * command as failed directly, ERR_REPLY_FLAG_NO_STATS_UPDATE).
   */
  writeError(out: ReplyWriter, text: string, countStats: boolean): void {
    const w = out as ReplyWriter & { onError?: ((t: string) => void) | null };
    const hook = w.onError;
    if (!countStats) {
      w.onError = null;
      if (this.run) this.node.stats.failedCall(this.run.caller.lastCommand);
    }
    try {
      out.error(text);
    } finally {
      w.onError = hook;
    }
  }

  // --- ScriptHost

  call(argv: Uint8Array[]): { reply: string } | { rejected: string } {
    const run = this.run!;
    const node = this.node;
    const c = this.client;
    const found = lookupCommand(argv);
    const reject = (msg: string, name: string | null) => {
      node.stats.errorReply(c, 'ERR ' + msg); // afterErrorReply
      if (name) node.stats.rejected(name); // incrCommandStatsOnError(cmd, ERROR_COMMAND_REJECTED), which moves the mark
      node.stats.errorMark = node.stats.totalErrorReplies;
      return { rejected: msg };
    };
    if ('error' in found) {
      const arity = found.error.startsWith('ERR wrong number');
      if (arity) node.stats.rejectedLookup(argv);
      return reject(arity ? Err.scriptWrongArity : Err.scriptUnknownCommand, null);
    }
    const cmd = found.command;
    const name = cmd.spec.name;
    if (cmd.spec.flags.includes('noscript')) return reject(Err.scriptNoScript, name);
    const repl = node.replication;
    const cfg = node.config;
    if (repl.isReplica && repl.replica.state !== 'connected' && !cfg.replicaServeStaleData && !cmd.stale) return reject(Err.scriptStaleReplica, name);
    if (run.readOnly && (cmd.write || cmd.mayReplicate)) return reject(Err.scriptReadOnly, name);
    if (cmd.write && !run.writeDirty) {
      const obey = run.caller.isMaster;
      if (repl.isReplica && cfg.replicaReadOnly && !obey) return reject(Err.readonlyReplica, name);
      if (node.bgsave.deniesWrites) return reject(Err.misconf, name);
      if (!repl.isReplica && cfg.minReplicasMaxLag && cfg.minReplicasToWrite && repl.master.goodSlaves < cfg.minReplicasToWrite) return reject(Err.noReplicas, name);
    }
    if (cmd.write) run.writeDirty = true;
    node.runFromScript(c, cmd, argv, run.propagate);
    return { reply: latin1(c.reply.take()) };
  }

  aclCheck(argv: Uint8Array[]): boolean | null {
    // Only the default user exists, with every permission; lookupCommand there does not check arity.
    const found = lookupCommand(argv);
    return 'command' in found || found.error.startsWith('ERR wrong number') ? true : null;
  }

  log(level: number, text: string): void {
    this.node.options.log.log(LEVELS[level], text);
  }

  setResp(resp: 2 | 3): void {
    this.client.reply.protocol = resp;
  }

  setRepl(flags: number): void {
    this.run!.propagate = (flags & 2) !== 0;
  }

  sha1hex(s: string): string {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
    return sha1hex(b);
  }
}

const servers = new WeakMap<RedisNode, ScriptServer>();

/** The node's script server, or null while the Lua runtime is not loaded. */
/** The node's script server if scripts ever ran there (INFO reads it without creating one). */
export function existingScriptServer(node: RedisNode): ScriptServer | undefined {
  return servers.get(node);
}

export function scriptServer(node: RedisNode): ScriptServer | null {
  let s = servers.get(node);
  if (s) return s;
  const lua = luaRuntime();
  if (!lua) return null;
  s = new ScriptServer(node, lua);
  servers.set(node, s);
  return s;
}

/** The runtime is not loaded (the browser, before the first script): the client waits for it (commands/lazy.ts). */
export function waitForLua(node: RedisNode, client: Client, argv: readonly Uint8Array[]): boolean {
  return waitForPart(node, client, argv, luaPart);
}

// What EXEC waits for before it runs queued scripts (SCRIPT and FUNCTION compile or call Lua too).
needsPart(luaPart, ['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro', 'script', 'function']);
