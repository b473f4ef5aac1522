// The command table as ACL rules see it (acl.c works on server.orig_commands):
// every command of Redis 7.0.15, implemented by this engine or not, with its
// subcommands, its ACL categories and an id that indexes the command bitmaps
// of selectors. "+xadd" is a valid rule whether or not XADD answers here,
// and the category counts behind ACL LIST's describe strings count every
// command Redis has, so this is built from the whole captured table.

import { COMMAND_TABLE } from '../commands/table.generated.ts';
import type { CommandSpec, KeySpec } from '../commands/spec.ts';

/** ACLCommandCategories, in its order: ACL CAT lists them so, and describe strings try them so. */
export const CATEGORIES: readonly string[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** ACLGetCommandCategoryFlagByName: the category's bit, or 0 for an unknown name (case-insensitive). */
export function categoryFlag(name: string): number {
  const i = CATEGORIES.indexOf(name.toLowerCase());
  return i < 0 ? 0 : 2 ** i;
}

/** CMD_KEY_* flags of a key spec (server.h). */
export const KEY = {
  RO: 1 << 0,
  RW: 1 << 1,
  OW: 1 << 2,
  RM: 1 << 3,
  ACCESS: 1 << 4,
  UPDATE: 1 << 5,
  INSERT: 1 << 6,
  DELETE: 1 << 7,
  NOT_KEY: 1 << 8,
  INCOMPLETE: 1 << 9,
  VARIABLE_FLAGS: 1 << 10,
} as const;

const KEY_FLAG_NAMES: Readonly<Record<string, number>> = {
  RO: KEY.RO, RW: KEY.RW, OW: KEY.OW, RM: KEY.RM, access: KEY.ACCESS, update: KEY.UPDATE, insert: KEY.INSERT,
  delete: KEY.DELETE, not_key: KEY.NOT_KEY, incomplete: KEY.INCOMPLETE, variable_flags: KEY.VARIABLE_FLAGS,
};

/** A key spec with its flags as bits. */
export interface AclKeySpec extends KeySpec {
  readonly bits: number;
}

export interface AclCommand {
  /** Lower case, "container|sub" for a subcommand (cmd->fullname). */
  readonly fullname: string;
  /** The bit of this command in a selector's bitmap. */
  readonly id: number;
  /** Bits of CATEGORIES. */
  readonly categories: number;
  readonly parent: AclCommand | null;
  /** Its subcommands (a container's), by lower-case name. */
  readonly subcommands: ReadonlyMap<string, AclCommand> | null;
  /** CMD_NO_AUTH: no command bit is needed to run it (AUTH, HELLO, QUIT, RESET). */
  readonly noAuth: boolean;
  /** Arity as in the table: exact when positive, a minimum when negative. */
  readonly arity: number;
  readonly keySpecs: readonly AclKeySpec[];
}

let nextId = 0;

function build(spec: CommandSpec, parent: AclCommand | null): AclCommand {
  let categories = 0;
  for (const c of spec.acl) categories |= categoryFlag(c.replace(/^@/, ''));
  const subs = new Map<string, AclCommand>();
  const cmd: AclCommand = {
    fullname: spec.name,
    id: nextId++,
    categories,
    parent,
    subcommands: spec.subcommands ? subs : null,
    noAuth: spec.flags.includes('no_auth'),
    arity: spec.arity,
    keySpecs: (spec.keySpecs ?? []).map((k) => ({ ...k, bits: k.flags.reduce((b, f) => b | (KEY_FLAG_NAMES[f] ?? 0), 0) })),
  };
  for (const sub of spec.subcommands ?? []) subs.set(sub.name.slice(sub.name.indexOf('|') + 1), build(sub, cmd));
  return cmd;
}

/** Every top-level command, in the table's order. */
export const ACL_COMMANDS: readonly AclCommand[] = COMMAND_TABLE.map((s) => build(s, null));

/** How many ids there are; the bit after the last (FUTURE_BIT) is set only by +@all (ACLSelectorCanExecuteFutureCommands). */
export const COMMAND_COUNT = nextId;
export const FUTURE_BIT = COMMAND_COUNT;

const BY_NAME = new Map<string, AclCommand>();
for (const c of ACL_COMMANDS) {
  BY_NAME.set(c.fullname, c);
  for (const s of c.subcommands?.values() ?? []) BY_NAME.set(s.fullname, s);
}

/** The ACL view of a command of the registry, by its full name. */
export function aclCommand(fullname: string): AclCommand {
  return BY_NAME.get(fullname)!;
}

/**
 * ACLLookupCommand (lookupCommandBySdsLogic, strict): "name" or
 * "container|sub", case-insensitive; a container's subcommand must be
 * named, a command without subcommands must not have one, and only one
 * level exists.
 */
export function lookupAclCommand(name: string): AclCommand | null {
  const parts = name.toLowerCase().split('|');
  if (parts.length > 2) return null;
  const base = BY_NAME.get(parts[0]);
  if (!base || base.parent) return null;
  if (parts.length === 1 || !base.subcommands) return parts.length === 1 ? base : null;
  return base.subcommands.get(parts[1]) ?? null;
}
