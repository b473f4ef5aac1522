// COMMAND, COMMAND COUNT, INFO, LIST and HELP (server.c of 7.0.15),
// answered from COMMAND INFO as captured from the real server
// (captured/command-info.json, scripts/capture-commands.ts): all 240
// commands of 7.0.15, the ones this engine does not run yet included (they
// answer "unknown command" when called; docs/compat.md lists them). JSON
// keeps values and order; the RESP types are 7.0.15's: flags, ACL
// categories and key-spec flags are sets of status replies, tips and key
// specs sets, numbers integers, other strings bulk; a command's info is an
// array, its subcommands an array (an empty set when it has none).
import type { Handler } from './context.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { writeHelp } from './help.ts';
import { Err } from '../errors.ts';
import { lowerAscii, utf8 } from '../bytes.ts';
import { stringMatch } from '../glob.ts';
import captured from './captured/command-info.json';

type Json = string | number | Json[] | { [key: string]: Json };
/** [name, arity, flags, first, last, step, acl categories, tips, key specs, subcommands] */
type Info = [string, number, string[], number, number, number, string[], string[], Record<string, Json>[], Info[]];
const INFOS = (captured as unknown as { commands: Info[] }).commands;
const BY_NAME = new Map<string, Info>();
for (const info of INFOS) {
  BY_NAME.set(info[0], info);
  for (const sub of info[9]) BY_NAME.set(sub[0], sub);
}

function writeStatusSet(reply: ReplyWriter, items: readonly string[]): void {
  reply.setHeader(items.length);
  for (const item of items) reply.status(item);
}

/** A key spec's map: its flags a set of statuses, numbers integers, nested maps as maps. */
function writeKeySpecValue(reply: ReplyWriter, key: string, value: Json): void {
  if (key === 'flags') return writeStatusSet(reply, value as string[]);
  if (typeof value === 'number') return reply.integer(value);
  if (typeof value === 'string') return reply.bulkText(value);
  const map = value as Record<string, Json>;
  const keys = Object.keys(map);
  reply.mapHeader(keys.length);
  for (const k of keys) {
    reply.bulkText(k);
    writeKeySpecValue(reply, k, map[k]);
  }
}

/** addReplyCommandInfo. */
function writeInfo(reply: ReplyWriter, info: Info | undefined): void {
  if (!info) return reply.nil();
  const [name, arity, flags, first, last, step, categories, tips, keySpecs, subcommands] = info;
  reply.arrayHeader(10);
  reply.bulkText(name);
  reply.integer(arity);
  writeStatusSet(reply, flags);
  reply.integer(first);
  reply.integer(last);
  reply.integer(step);
  writeStatusSet(reply, categories);
  reply.setHeader(tips.length);
  for (const tip of tips) reply.bulkText(tip);
  reply.setHeader(keySpecs.length);
  for (const spec of keySpecs) writeKeySpecValue(reply, '', spec);
  // addReplyCommandSubCommands: an empty set for a command without subcommands, else an array.
  if (subcommands.length === 0) reply.setHeader(0);
  else reply.arrayHeader(subcommands.length);
  for (const sub of subcommands) writeInfo(reply, sub);
}

/** Every command, then its subcommands, as the recursion over Redis's dicts lists them (their order is random there). */
function allNames(): string[] {
  return INFOS.flatMap((info) => [info[0], ...info[9].map((sub) => sub[0])]);
}

/** Every command's info (in Redis's dict order, random per process; the captured order here). */
function writeAll(reply: ReplyWriter): void {
  reply.arrayHeader(INFOS.length);
  for (const info of INFOS) writeInfo(reply, info);
}

const command: Handler = ({ reply }) => writeAll(reply);

const info: Handler = ({ argv, reply }) => {
  if (argv.length === 2) return writeAll(reply);
  reply.arrayHeader(argv.length - 2);
  // lookupCommandBySds: "name" or "container|sub", case-insensitively.
  for (const arg of argv.slice(2)) writeInfo(reply, BY_NAME.get(lowerAscii(arg)));
};

const list: Handler = ({ argv, reply }) => {
  let filter: ((info: Info) => boolean) | null = null;
  for (let i = 2; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    if (lowerAscii(argv[i]) !== 'filterby' || moreArgs !== 2) return reply.error(Err.syntax);
    const type = lowerAscii(argv[i + 1]);
    const arg = argv[i + 2];
    if (type === 'module') {
      // No modules: no command belongs to one.
      filter = () => false;
    } else if (type === 'aclcat') {
      const category = `@${lowerAscii(arg)}`;
      filter = (c) => c[6].includes(category);
    } else if (type === 'pattern') {
      filter = (c) => stringMatch(arg, utf8(c[0]), true);
    } else {
      return reply.error(Err.syntax);
    }
    i += 2;
  }
  const names = filter ? allNames().filter((n) => filter!(BY_NAME.get(n)!)) : allNames();
  reply.arrayHeader(names.length);
  for (const name of names) reply.bulkText(name);
};

const HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

export const commandInfoHandlers: Record<string, Handler> = {
  command,
  'command|count': ({ reply }) => reply.integer(INFOS.length),
  'command|info': info,
  'command|list': list,
  'command|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};
