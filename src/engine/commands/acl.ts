// ACL SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, LOG,
// DRYRUN, LOAD, SAVE and HELP (acl.c aclCommand of Redis 7.0.15). The table
// checks each subcommand's arity before these run; the users, rules and
// checks are in src/engine/acl/.

import type { Handler } from './context.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { Selector } from '../acl/selector.ts';
import { Acl, checkUserCommand } from '../acl/acl.ts';
import { ACL_COMMANDS, CATEGORIES, categoryFlag, type AclCommand } from '../acl/commands.ts';
import { describeCommandRules, patternString } from '../acl/describe.ts';
import { USER_FLAG_NAMES } from '../acl/user.ts';
import { DENIED } from '../acl/log.ts';
import { loadAclFile, saveAclFile } from '../acl/file.ts';
import { configValues } from '../config-values.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1, lowerAscii } from '../bytes.ts';
import { parseLongLong } from './args.ts';
import { subcommandSyntaxError, writeHelp } from './help.ts';

/** An argument as %s prints it: up to its first NUL. */
const cText = (arg: Uint8Array): string => latin1(cString(arg));

const setuser: Handler = ({ node, client, argv, reply }) => {
  // The rules may hold passwords: MONITOR sees none of the arguments after the subcommand.
  client.redacted = argv.map((_, i) => i).filter((i) => i >= 2);
  if (!Acl.validName(argv[2])) return reply.error(Err.aclUsernameSpaces);
  const error = node.acl.setUser(latin1(argv[2]), argv.slice(3));
  if (error) reply.error(error);
  else reply.ok();
};

const deluser: Handler = ({ node, argv, reply }) => {
  // strcmp: the name as a C string.
  if (argv.slice(2).some((a) => cText(a) === 'default')) return reply.error(Err.aclDeleteDefault);
  let deleted = 0;
  for (const name of argv.slice(2)) if (node.acl.deleteUser(latin1(name))) deleted++;
  reply.integer(deleted);
};

/** aclAddReplySelectorDescription: commands, keys and channels (3 fields). */
function writeSelector(reply: ReplyWriter, s: Selector): void {
  reply.bulkText('commands');
  reply.bulkText(describeCommandRules(s));
  reply.bulkText('keys');
  reply.bulkText(s.allKeys ? '~*' : s.patterns.map(patternString).join(' '));
  reply.bulkText('channels');
  reply.bulkText(s.allChannels ? '&*' : s.channels.map((c) => `&${c}`).join(' '));
}

const getuser: Handler = ({ node, argv, reply }) => {
  const u = node.acl.user(latin1(argv[2]));
  if (!u) return reply.nil();
  reply.mapHeader(6);
  reply.bulkText('flags');
  const flags = USER_FLAG_NAMES.filter(([, f]) => u.has(f));
  reply.setHeader(flags.length);
  for (const [name] of flags) reply.bulkText(name);
  reply.bulkText('passwords');
  reply.arrayHeader(u.passwords.length);
  for (const p of u.passwords) reply.bulkText(p);
  // The root selector at the top level (as before selectors existed), then the others.
  writeSelector(reply, u.root);
  reply.bulkText('selectors');
  reply.arrayHeader(u.selectors.length - 1);
  for (const s of u.selectors.slice(1)) {
    reply.mapHeader(3);
    writeSelector(reply, s);
  }
};

const list: Handler = ({ node, reply }) => {
  const users = node.acl.sortedUsers();
  reply.arrayHeader(users.length);
  for (const u of users) reply.bulkText(`user ${u.name} ${u.describe()}`);
};

const users: Handler = ({ node, reply }) => {
  const all = node.acl.sortedUsers();
  reply.arrayHeader(all.length);
  for (const u of all) reply.bulkText(u.name);
};

const whoami: Handler = ({ client, reply }) => {
  if (client.user) reply.bulkText(client.user.name);
  else reply.nil();
};

/** LOAD and SAVE need an aclfile. */
function withAclFile(run: Handler): Handler {
  return (ctx) => {
    if (configValues(ctx.node).text('aclfile') === '') return ctx.reply.error(Err.aclNoFile);
    run(ctx);
  };
}

const load = withAclFile(({ node, reply }) => {
  const errors = loadAclFile(node);
  if (errors === null) reply.ok();
  else reply.error(Err.aclLoad(errors));
});

const save = withAclFile(({ node, reply }) => {
  if (saveAclFile(node)) reply.ok();
  else reply.error(Err.aclSaveFailed);
});

/** aclCatWithFlags: the commands of the category, each subcommand of a container too. */
function commandsIn(flag: number): string[] {
  const out: string[] = [];
  const walk = (cmds: Iterable<AclCommand>) => {
    for (const cmd of cmds) {
      if (cmd.categories & flag) out.push(cmd.fullname);
      if (cmd.subcommands) walk(cmd.subcommands.values());
    }
  };
  walk(ACL_COMMANDS);
  return out;
}

const cat: Handler = ({ argv, reply }) => {
  if (argv.length > 3) return reply.error(subcommandSyntaxError(argv));
  if (argv.length === 2) {
    reply.arrayHeader(CATEGORIES.length);
    for (const c of CATEGORIES) reply.bulkText(c);
    return;
  }
  const flag = categoryFlag(cText(argv[2]));
  if (!flag) return reply.error(Err.aclUnknownCategory(cText(argv[2]).slice(0, 128)));
  const names = commandsIn(flag);
  reply.arrayHeader(names.length);
  for (const n of names) reply.bulkText(n);
};

/** GENPASS_MAX_BITS. */
const GENPASS_MAX_BITS = 4096;

const genpass: Handler = ({ node, argv, reply }) => {
  if (argv.length > 3) return reply.error(subcommandSyntaxError(argv));
  let bits = 256;
  if (argv.length === 3) {
    const parsed = parseLongLong(argv[2]);
    if (!parsed.ok) return reply.error(parsed.error);
    if (parsed.value <= 0 || parsed.value > GENPASS_MAX_BITS) return reply.error(Err.aclGenpassBits);
    bits = Number(parsed.value);
  }
  // getRandomHexChars: one hex digit per random byte's low nibble, here from the node's seeded stream.
  const chars = Math.floor((bits + 3) / 4);
  let pass = '';
  for (let i = 0; i < chars; i++) pass += '0123456789abcdef'[node.options.random.below(16)];
  reply.bulkText(pass);
};

const log: Handler = ({ node, argv, reply }) => {
  if (argv.length > 3) return reply.error(subcommandSyntaxError(argv));
  let count = 10;
  if (argv.length === 3) {
    if (lowerAscii(cString(argv[2])) === 'reset') {
      node.acl.log.reset();
      return reply.ok();
    }
    const parsed = parseLongLong(argv[2]);
    if (!parsed.ok) return reply.error(parsed.error);
    count = Math.max(0, Number(parsed.value));
  }
  node.acl.log.write(reply, count, node.options.clock.unixMs);
};

/** lookupCommand (not strict): a container's subcommand when it has any and one is named; extra words are arguments. */
function lookupForDryrun(argv: readonly Uint8Array[]): AclCommand | null {
  const base = ACL_COMMANDS.find((c) => c.fullname === lowerAscii(argv[0]));
  if (!base || argv.length === 1 || !base.subcommands) return base ?? null;
  return base.subcommands.get(lowerAscii(argv[1])) ?? null;
}

/** What ACL DRYRUN answers for a denial (a bulk string, not an error). */
const DRYRUN_DENIALS: Readonly<Record<number, (cmd: AclCommand, arg: Uint8Array) => Uint8Array>> = {
  [DENIED.CMD]: (cmd) => fromLatin1(`This user has no permissions to run the '${cmd.fullname}' command`),
  [DENIED.KEY]: (_, arg) => fromLatin1(`This user has no permissions to access the '${cText(arg)}' key`),
  [DENIED.CHANNEL]: (_, arg) => fromLatin1(`This user has no permissions to access the '${cText(arg)}' channel`),
};

const dryrun: Handler = ({ node, argv, reply }) => {
  const u = node.acl.user(latin1(argv[2]));
  if (!u) return reply.error(Err.aclDryrunNoUser(cText(argv[2])));
  const args = argv.slice(3);
  const cmd = lookupForDryrun(args);
  if (!cmd) return reply.error(Err.aclDryrunNoCommand(cText(argv[3])));
  if ((cmd.arity > 0 && cmd.arity !== args.length) || args.length < -cmd.arity) return reply.error(Err.wrongArity(cmd.fullname));
  const denied = checkUserCommand(u, cmd, args);
  if (denied) return reply.bulk(DRYRUN_DENIALS[denied.reason](cmd, args[denied.pos]));
  reply.ok();
};

const HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const help: Handler = ({ argv, reply }) => writeHelp(reply, argv[0], HELP);

export const aclHandlers: Record<string, Handler> = {
  'acl|setuser': setuser,
  'acl|deluser': deluser,
  'acl|getuser': getuser,
  'acl|list': list,
  'acl|users': users,
  'acl|whoami': whoami,
  'acl|load': load,
  'acl|save': save,
  'acl|cat': cat,
  'acl|genpass': genpass,
  'acl|log': log,
  'acl|dryrun': dryrun,
  'acl|help': help,
};
