// The command table joined with the handlers the engine has. Lookup follows
// Redis's processCommand: find the command (or container|subcommand), then
// check arity, both from the generated table, once for every command.
// A command with no handler is unknown to this engine and answers exactly as
// Redis answers a command it does not have; docs/compat.md lists them.

import type { CommandSpec } from './spec.ts';
import { COMMAND_TABLE } from './table.generated.ts';
import type { Handler } from './context.ts';
import { connectionHandlers } from './connection.ts';
import { serverHandlers } from './server.ts';
import { stringHandlers } from './string.ts';
import { genericHandlers } from './generic.ts';
import { hashHandlers } from './hash.ts';
import { listHandlers } from './list.ts';
import { setHandlers } from './set.ts';
import { zsetHandlers } from './zset.ts';
import { dumpHandlers } from './dump.ts';
import { persistenceHandlers } from './persistence.ts';
import { replicationHandlers } from './replication.ts';
import { authHandlers } from './auth.ts';
import { aclHandlers } from './acl.ts';
import { transactionHandlers } from './transaction.ts';
import { configHandlers } from './config.ts';
import { clientHandlers } from './client.ts';
import { scanHandlers } from './scan.ts';
import { objectHandlers } from './object.ts';
import { sortHandlers } from './sort.ts';
import { bitmapHandlers } from './bitmap.ts';
import { bitfieldHandlers } from './bitfield.ts';
import { hyperloglogHandlers } from './hyperloglog.ts';
import { scriptingHandlers } from './scripting.ts';
import { functionsHandlers } from './functions.ts';
import { pubsubHandlers } from './pubsub.ts';
import { blockingListHandlers } from './blocking-list.ts';
import { blockingZsetHandlers } from './blocking-zset.ts';
import { streamHandlers } from './stream.ts';
import { slowlogHandlers } from './slowlog.ts';
import { migrateHandlers } from './migrate.ts';
import { clientTrackingHandlers } from './client-tracking.ts';
import { LAZY_GROUPS } from './lazy-groups.ts';
import { lazyHandlers } from './lazy.ts';
import { commandGetkeysHandlers } from './command-getkeys.ts';
import { moduleHandlers } from './module.ts';
import { clusterHandlers } from './cluster.ts';
import { Err } from '../errors.ts';
import { cString, latin1, lowerAscii } from '../bytes.ts';

export interface Command {
  readonly spec: CommandSpec;
  readonly handler: Handler | undefined;
  /** For containers (CONFIG, COMMAND, ...): the implemented subcommands, by lower-case name. */
  readonly subcommands: ReadonlyMap<string, Command>;
  /** CMD_WRITE: refused on a read-only replica, and by min-replicas-to-write. */
  readonly write: boolean;
  /** CMD_STALE: allowed while a replica's link is down and replica-serve-stale-data is no. */
  readonly stale: boolean;
  /** CMD_MAY_REPLICATE: paused with writes (PUBLISH, EVAL, ...). */
  readonly mayReplicate: boolean;
  /** CMD_LOADING: allowed while the dataset is loading. */
  readonly allowedWhileLoading: boolean;
  /** Not shown to MONITOR clients (CMD_SKIP_MONITOR, or CMD_ADMIN). */
  readonly skipMonitor: boolean;
  /** CMD_SKIP_SLOWLOG (EXEC: its commands are logged one by one). */
  readonly skipSlowlog: boolean;
  /** CMD_FAST: its latency samples are "fast-command" events. */
  readonly fast: boolean;
  /** CMD_READONLY: a tracking client's keys are remembered after it. */
  readonly readonly: boolean;
  /** CMD_PUBSUB: its "keys" (shard channels) are never tracked. */
  readonly pubsub: boolean;
  /** CMD_NO_AUTH: runs before AUTH (AUTH, HELLO, ...). */
  readonly noAuth: boolean;
  /** CMD_NO_MULTI: refused inside MULTI (SHUTDOWN, ...). */
  readonly noMulti: boolean;
}

/** Every handler of every command group, by full name ("ping", "command|count"). */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  ...connectionHandlers,
  ...serverHandlers,
  ...stringHandlers,
  ...genericHandlers,
  ...hashHandlers,
  ...listHandlers,
  ...setHandlers,
  ...zsetHandlers,
  ...dumpHandlers,
  ...persistenceHandlers,
  ...replicationHandlers,
  ...authHandlers,
  ...aclHandlers,
  ...transactionHandlers,
  ...configHandlers,
  ...clientHandlers,
  ...scanHandlers,
  ...objectHandlers,
  ...sortHandlers,
  ...bitmapHandlers,
  ...bitfieldHandlers,
  ...hyperloglogHandlers,
  ...scriptingHandlers,
  ...functionsHandlers,
  ...pubsubHandlers,
  ...blockingListHandlers,
  ...blockingZsetHandlers,
  ...streamHandlers,
  ...slowlogHandlers,
  ...migrateHandlers,
  ...clientTrackingHandlers,
  ...Object.assign({}, ...LAZY_GROUPS.map(([part, names]) => lazyHandlers(part, names))),
  ...commandGetkeysHandlers,
  ...moduleHandlers,
  ...clusterHandlers,
};

/** Commands flagged CMD_MAY_REPLICATE in 7.0.15 (a flag COMMAND INFO does not print): paused with writes. */
const MAY_REPLICATE = new Set(['eval', 'evalsha', 'fcall', 'pfcount', 'publish', 'spublish']);

function build(spec: CommandSpec): Command {
  const subcommands = new Map<string, Command>();
  for (const sub of spec.subcommands ?? []) {
    const cmd = build(sub);
    if (cmd.handler) subcommands.set(sub.name.slice(sub.name.indexOf('|') + 1), cmd);
  }
  return { spec, handler: HANDLERS[spec.name], subcommands, write: spec.flags.includes('write'), stale: spec.flags.includes('stale'), mayReplicate: spec.flags.includes('may_replicate') || MAY_REPLICATE.has(spec.name), allowedWhileLoading: spec.flags.includes('loading'), skipMonitor: spec.flags.includes('skip_monitor') || spec.flags.includes('admin'), skipSlowlog: spec.flags.includes('skip_slowlog'), fast: spec.flags.includes('fast'), readonly: spec.flags.includes('readonly'), pubsub: spec.flags.includes('pubsub'), noAuth: spec.flags.includes('no_auth'), noMulti: spec.flags.includes('no_multi') };
}

/** Commands this engine implements (a container counts when any subcommand is). */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(
  COMMAND_TABLE.map(build)
    .filter((c) => c.handler !== undefined || c.subcommands.size > 0)
    .map((c) => [c.spec.name, c]),
);

export function isImplemented(fullname: string): boolean {
  return HANDLERS[fullname] !== undefined;
}

export type Lookup = { command: Command } | { error: string };

/** The last name looked up and what it named: a pipeline repeats one command, and the table never changes. */
let lastName: Uint8Array | null = null;
let lastBase: Command | undefined;

/** The top-level command argv[0] names, case-insensitively. */
function baseCommand(name: Uint8Array): Command | undefined {
  const last = lastName;
  if (last !== null && last.length === name.length) {
    let i = 0;
    while (i < name.length && name[i] === last[i]) i++;
    if (i === name.length) return lastBase;
  }
  lastBase = COMMANDS.get(lowerAscii(name));
  lastName = name.slice();
  return lastBase;
}

/** Finds the command argv names and checks its arity, as processCommand does. */
export function lookupCommand(argv: readonly Uint8Array[]): Lookup {
  const base = baseCommand(argv[0]);
  let command: Command | undefined = base;
  if (base && argv.length > 1 && base.spec.subcommands) {
    command = base.subcommands.get(lowerAscii(argv[1]));
    if (!command) {
      return { error: Err.unknownSubcommand(cText(argv[1], 128), latin1(argv[0]).toUpperCase()) };
    }
  }
  // A container named alone (CONFIG, CLIENT) fails its own arity, as in Redis.
  if (!command || (!command.handler && !command.spec.subcommands)) return { error: unknownCommandError(argv) };
  const arity = command.spec.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
    return { error: Err.wrongArity(command.spec.name) };
  }
  if (!command.handler) return { error: unknownCommandError(argv) };
  return { command };
}

/** The first `max` bytes of a C string, as %.Ns prints it. */
function cText(bytes: Uint8Array, max: number): string {
  const s = cString(bytes);
  return latin1(s, 0, Math.min(s.length, max));
}

function unknownCommandError(argv: readonly Uint8Array[]): string {
  // Arguments are quoted until the list reaches 128 chars, each cut to what is left.
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cText(argv[i], 128 - args.length)}' `;
  }
  return Err.unknownCommand(cText(argv[0], 128), args);
}
