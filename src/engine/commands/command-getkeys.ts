// COMMAND GETKEYS and GETKEYSANDFLAGS (getKeysSubcommandImpl in server.c of
// 7.0.15): the keys of a full command line, found as ACL finds them
// (acl/keys.ts: key specs, else the command's getkeys procedure), with the
// flags of the key spec each came from.
import type { Handler } from './context.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { Err } from '../errors.ts';
import { cString, lowerAscii } from '../bytes.ts';
import { KEY, lookupAclCommand, type AclCommand } from '../acl/commands.ts';
import { commandHasKeys, commandKeys } from '../acl/keys.ts';
import { COMMAND_TABLE } from './table.generated.ts';

/** The key-spec flags in the order addReplyFlagsForKeyArgs lists them. */
const KEY_FLAG_NAMES: readonly [number, string][] = [
  [KEY.RO, 'RO'],
  [KEY.RW, 'RW'],
  [KEY.OW, 'OW'],
  [KEY.RM, 'RM'],
  [KEY.ACCESS, 'access'],
  [KEY.UPDATE, 'update'],
  [KEY.INSERT, 'insert'],
  [KEY.DELETE, 'delete'],
  [KEY.NOT_KEY, 'not_key'],
  [KEY.INCOMPLETE, 'incomplete'],
  [KEY.VARIABLE_FLAGS, 'variable_flags'],
];

/** Commands flagged no_mandatory_keys (an empty key list is an answer, not an error). */
const NO_MANDATORY_KEYS = new Set(
  COMMAND_TABLE.flatMap((c) => [c, ...(c.subcommands ?? [])]).filter((c) => c.flags.includes('no_mandatory_keys')).map((c) => c.name),
);

/** lookupCommand over argv: the command, or its subcommand named by the next word. */
function lookup(argv: readonly Uint8Array[]): AclCommand | null {
  const name = lowerAscii(cString(argv[0]));
  if (name.includes('|')) return null;
  const base = lookupAclCommand(name);
  if (!base || argv.length === 1 || !base.subcommands) return base;
  return base.subcommands.get(lowerAscii(cString(argv[1]))) ?? null;
}

function writeKeyFlags(reply: ReplyWriter, flags: number): void {
  const names = KEY_FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  reply.setHeader(names.length);
  for (const name of names) reply.status(name);
}

function getkeys(withFlags: boolean): Handler {
  return ({ argv, reply }) => {
    const line = argv.slice(2);
    const cmd = lookup(line);
    if (!cmd) return reply.error(Err.getkeysInvalidCommand);
    if (!commandHasKeys(cmd)) return reply.error(Err.getkeysNoKeys);
    if ((cmd.arity > 0 && cmd.arity !== line.length) || line.length < -cmd.arity) return reply.error(Err.getkeysArity);
    const keys = commandKeys(cmd, line);
    if (keys.length === 0) return NO_MANDATORY_KEYS.has(cmd.fullname) ? reply.arrayHeader(0) : reply.error(Err.getkeysInvalidArguments);
    reply.arrayHeader(keys.length);
    for (const key of keys) {
      if (!withFlags) {
        reply.bulk(line[key.pos]);
        continue;
      }
      reply.arrayHeader(2);
      reply.bulk(line[key.pos]);
      writeKeyFlags(reply, key.flags);
    }
  };
}

export const commandGetkeysHandlers: Record<string, Handler> = {
  'command|getkeys': getkeys(false),
  'command|getkeysandflags': getkeys(true),
};
