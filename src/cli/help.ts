// redis-cli's command help, built as redis-cli 7.0 builds it: at the start
// of an interactive session it sends COMMAND DOCS and turns the reply into
// help entries (cliInitHelp), one per command and subcommand, with the
// argument line cliAddArgument writes from each command's argument tree;
// then one entry per command group ("@string"). From them come the online
// hints shown after the cursor (hintsCallback), `help ...` (cliOutputHelp)
// and TAB completion (completionCallback).
//
// Everything works on the reply as hiredis decodes it, RESP2 arrays and
// RESP3 maps alike, so a server that answers COMMAND DOCS differently gives
// different help, exactly as with redis-cli.

import type { Reply } from '../engine/resp/reply-reader.ts';
import { cString, latin1, utf8 } from '../engine/bytes.ts';
import { splitArgs } from '../engine/resp/split-args.ts';

interface CommandHelp {
  kind: 'command';
  /** The words that name it, upper case: ["SET"] or ["CONFIG", "GET"]. */
  words: string[];
  /** The words joined by a space; the table is sorted on it (strcmp). */
  full: string;
  params: string;
  summary: string;
  since: string | null;
  group: string;
}

interface GroupHelp {
  kind: 'group';
  full: string;
}

export type HelpEntry = CommandHelp | GroupHelp;

/** The help table of a session: sorted by full name as redis-cli's qsort leaves it. */
export class HelpTable {
  private constructor(readonly entries: readonly HelpEntry[]) {}

  /**
   * From a COMMAND DOCS reply; null when it is not a map or an array (an
   * error, say), where redis-cli falls back to the help.h it was built with.
   */
  static fromCommandDocs(reply: Reply): HelpTable | null {
    if (!isPairs(reply)) return null;
    const entries: HelpEntry[] = [];
    const groups: string[] = [];
    for (let i = 0; i + 1 < reply.items.length; i += 2) {
      const name = text(reply.items[i]);
      addCommand(entries, groups, name.toUpperCase(), null, reply.items[i + 1]);
    }
    for (const g of groups) entries.push({ kind: 'group', full: `@${g}` });
    entries.sort((a, b) => strcmp(a.full, b.full));
    return new HelpTable(entries);
  }

  /**
   * hintsCallback: the arguments still to type for the longest command (or
   * command and subcommand) the line starts with, in grey after the cursor.
   */
  hint(line: string): string | null {
    const argv = splitWords(line);
    if (argv === null || argv.length === 0) return null;
    let best: CommandHelp | null = null;
    for (const e of this.entries) {
      if (e.kind !== 'command' || e.words.length > argv.length) continue;
      if (best !== null && e.words.length <= best.words.length) continue;
      if (e.words.every((w, j) => caseEqual(w, argv[j]))) best = e;
    }
    if (!best) return null;
    // Drop the arguments already typed, one space at a time, up to the first optional one.
    let hint = best.params;
    let toRemove = argv.length - best.words.length;
    while (toRemove > 0 && hint.length > 0) {
      if (hint[0] === '[') break;
      if (hint[0] === ' ') toRemove--;
      hint = hint.slice(1);
    }
    const endSpace = line.length > 0 && isSpace(line.charCodeAt(line.length - 1));
    return endSpace ? hint : ` ${hint}`;
  }

  /** cliOutputGenericHelp: `help` alone, which needs no table. */
  static genericHelp(version: string): string {
    return genericHelp(version);
  }

  /** cliOutputHelp for `help <args>` (args without the word help): what it prints. */
  help(args: readonly string[], version: string): string {
    if (args.length === 0) return genericHelp(version);
    const group = args[0].startsWith('@') ? args[0].slice(1) : null;
    let out = '';
    for (const e of this.entries) {
      if (e.kind !== 'command') continue;
      if (group === null) {
        if (args.length <= e.words.length && args.every((a, j) => caseEqual(a, e.words[j]))) out += commandHelp(e, true);
      } else if (caseEqual(group, e.group)) {
        out += commandHelp(e, false);
      }
    }
    return out + '\r\n';
  }

  /** completionCallback: the lines TAB offers, in the table's order. */
  completions(line: string): string[] {
    let start = 0;
    let groupsToo = false;
    if (line.length >= 5 && caseEqual(line.slice(0, 5), 'help ')) {
      start = 5;
      while (start < line.length && isSpace(line.charCodeAt(start))) start++;
      groupsToo = true;
    }
    const typed = line.slice(start);
    const out: string[] = [];
    for (const e of this.entries) {
      if (e.kind === 'group' && !groupsToo) continue;
      if (caseEqual(e.full.slice(0, typed.length), typed) && e.full.length >= typed.length) out.push(line.slice(0, start) + e.full);
    }
    return out;
  }
}

/** cliInitCommandHelpEntry: the command's entry, then its subcommands' (recursively). */
function addCommand(entries: HelpEntry[], groups: string[], command: string, sub: string | null, specs: Reply): void {
  const words = [command];
  if (sub !== null) words.push(sub.slice(sub.indexOf('|') + 1).toUpperCase());
  const entry: CommandHelp = { kind: 'command', words, full: words.join(' '), params: '', summary: '', since: null, group: '' };
  entries.push(entry);
  if (!isPairs(specs)) return;
  for (let j = 0; j + 1 < specs.items.length; j += 2) {
    const key = text(specs.items[j]);
    const value = specs.items[j + 1];
    if (key === 'summary') entry.summary = text(value);
    else if (key === 'since') entry.since = text(value);
    else if (key === 'group') {
      entry.group = text(value);
      if (!groups.includes(entry.group)) groups.push(entry.group);
    } else if (key === 'arguments' && value.type === 'array') {
      entry.params += concatArguments(value.items, ' ');
    } else if (key === 'subcommands' && isPairs(value)) {
      for (let i = 0; i + 1 < value.items.length; i += 2) addCommand(entries, groups, command, text(value.items[i]), value.items[i + 1]);
    }
  }
}

/** cliConcatArguments. */
function concatArguments(args: readonly Reply[], separator: string): string {
  return args.map(addArgument).join(separator);
}

/**
 * cliAddArgument: "[TOKEN repeat [TOKEN repeat ...]]" as its flags say. A
 * pure token is its token alone; an empty name or token shows as "".
 */
function addArgument(arg: Reply): string {
  if (!isPairs(arg)) return '';
  let name = '';
  let type = '';
  let token = '';
  let optional = false;
  let multiple = false;
  let multipleToken = false;
  let nested: readonly Reply[] = [];
  for (let i = 0; i + 1 < arg.items.length; i += 2) {
    const key = text(arg.items[i]);
    const value = arg.items[i + 1];
    if (key === 'name') name = text(value);
    else if (key === 'token') token += orEmpty(text(value));
    else if (key === 'type') type = text(value);
    else if (key === 'arguments' && (value.type === 'array' || value.type === 'set')) nested = value.items;
    else if (key === 'flags' && (value.type === 'array' || value.type === 'set')) {
      for (const f of value.items) {
        const flag = text(f);
        if (flag === 'optional') optional = true;
        else if (flag === 'multiple') multiple = true;
        else if (flag === 'multiple_token') multipleToken = true;
      }
    }
  }
  let repeat = '';
  if (SIMPLE_TYPES.has(type)) repeat = orEmpty(name);
  else if (type === 'oneof') repeat = concatArguments(nested, '|');
  else if (type === 'block') repeat = concatArguments(nested, ' ');
  if (token !== '' && type !== 'pure-token') token += ' ';
  let out = optional ? '[' : '';
  out += token + repeat;
  if (multiple) out += ' [' + (multipleToken ? token : '') + repeat + ' ...]';
  if (optional) out += ']';
  return out;
}

const SIMPLE_TYPES = new Set(['key', 'string', 'integer', 'double', 'pattern', 'unix-time', 'token']);

/** cliOutputCommandHelp. */
function commandHelp(e: CommandHelp, withGroup: boolean): string {
  let out = `\r\n  \x1b[1m${e.full}\x1b[0m \x1b[90m${e.params}\x1b[0m\r\n`;
  out += `  \x1b[33msummary:\x1b[0m ${e.summary}\r\n`;
  if (e.since !== null) out += `  \x1b[33msince:\x1b[0m ${e.since}\r\n`;
  if (withGroup) out += `  \x1b[33mgroup:\x1b[0m ${e.group}\r\n`;
  return out;
}

/** cliOutputGenericHelp. */
function genericHelp(version: string): string {
  return (
    `redis-cli ${version}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set redis-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    'Set your preferences in ~/.redisclirc\n'
  );
}

function isPairs(r: Reply): r is Extract<Reply, { type: 'array' | 'map' }> {
  return r.type === 'map' || r.type === 'array';
}

/** A reply's string as a C string (hiredis hands redis-cli NUL-terminated strings). */
function text(r: Reply): string {
  switch (r.type) {
    case 'bulk':
    case 'verbatim':
      return latin1(cString(r.value));
    case 'status':
    case 'error':
      return latin1(cString(r.text));
    default:
      return '';
  }
}

/** sdscat_orempty. */
const orEmpty = (s: string) => (s === '' ? '""' : s);

/** sdssplitargs of the typed line, as strings; null when its quotes do not close. */
function splitWords(line: string): string[] | null {
  const argv = splitArgs(utf8(line));
  return argv === null ? null : argv.map((a) => latin1(a));
}

/** strcasecmp(a, b) === 0 (ASCII letters only, as in the C locale). */
function caseEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (lowerCode(a.charCodeAt(i)) !== lowerCode(b.charCodeAt(i))) return false;
  return true;
}

const lowerCode = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** C isspace(). */
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * linenoise's refreshShowHints: the hint in grey after the typed line, cut
 * to what is left of the terminal's width; nothing once the line fills it.
 */
export function hintSequence(hint: string | null, cols: number, promptLength: number, lineLength: number): string {
  if (hint === null || promptLength + lineLength >= cols) return '';
  return `\x1b[0;90;49m${hint.slice(0, cols - (promptLength + lineLength))}\x1b[0m`;
}
