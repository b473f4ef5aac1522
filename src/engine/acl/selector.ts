// An ACL selector (acl.c aclSelector of Redis 7.0.15): the commands it
// allows (a bitmap over the command ids, plus the first arguments allowed
// for commands otherwise denied), the key patterns with their read/write
// permissions, and the channel patterns. A user has a root selector and
// may have more, written "(...)"; a command runs if any selector allows it.

import { ACL_COMMANDS, COMMAND_COUNT, FUTURE_BIT, categoryFlag, lookupAclCommand, type AclCommand } from './commands.ts';
import { cString, fromLatin1, latin1, lowerAscii } from '../bytes.ts';

/** Why a rule was refused (the errno ACLSetUser sets; ACLSetUserStringError words each). */
export type RuleError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'ECHILD' | 'EALREADY';

/** ACL_READ_PERMISSION, ACL_WRITE_PERMISSION. */
export const READ = 1;
export const WRITE = 2;
export const ALL = READ | WRITE;

export interface KeyPattern {
  /** The pattern's bytes, as latin1 text. */
  readonly text: string;
  readonly bytes: Uint8Array;
  flags: number;
}

/** Called for "+cmd|arg" of a command without subcommands (the server logs a deprecation warning). */
export type FirstArgWarning = (rule: string) => void;

export class Selector {
  /** SELECTOR_FLAG_ROOT: the user's own permissions (the rules outside parentheses). */
  readonly root: boolean;
  allKeys = false;
  allChannels = false;
  allCommands = false;
  /** allowed_commands: one byte per command id, then the future-commands bit. */
  allowed = new Uint8Array(COMMAND_COUNT + 1);
  /** allowed_firstargs: for a command id, the first arguments allowed though its bit is clear (lower case). */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  /** Channel patterns, as latin1 text. */
  channels: string[] = [];

  /** ACLCreateSelector: no permissions, but all channels when acl-pubsub-default is allchannels. */
  constructor(root: boolean, allChannels: boolean) {
    this.root = root;
    this.allChannels = allChannels;
  }

  /** ACLCopySelector. */
  copy(): Selector {
    const s = new Selector(this.root, this.allChannels);
    s.allKeys = this.allKeys;
    s.allCommands = this.allCommands;
    s.allowed = this.allowed.slice();
    s.firstArgs = this.firstArgs ? new Map([...this.firstArgs].map(([k, v]) => [k, [...v]])) : null;
    s.patterns = this.patterns.map((p) => ({ ...p }));
    s.channels = [...this.channels];
    return s;
  }

  /** ACLSetSelectorCommandBit. */
  private setBit(id: number, value: boolean): void {
    this.allowed[id] = value ? 1 : 0;
    if (!value) this.allCommands = false;
  }

  /** ACLChangeSelectorPerm: the command, and every subcommand of a container, allowed or not. */
  changePerm(cmd: AclCommand, allow: boolean): void {
    this.setBit(cmd.id, allow);
    this.firstArgs?.delete(cmd.id);
    for (const sub of cmd.subcommands?.values() ?? []) this.setBit(sub.id, allow);
  }

  /** ACLSetSelectorCommandBitsForCategory: every command (and subcommand) in the category; false for an unknown one. */
  setCategory(name: string, allow: boolean): boolean {
    const flag = categoryFlag(name);
    if (!flag) return false;
    const walk = (cmds: Iterable<AclCommand>) => {
      for (const cmd of cmds) {
        if (cmd.categories & flag) this.changePerm(cmd, allow);
        if (cmd.subcommands) walk(cmd.subcommands.values());
      }
    };
    walk(ACL_COMMANDS);
    return true;
  }

  /** +@all / -@all: every bit, the future bit included; the first arguments are forgotten. */
  setAll(allow: boolean): void {
    this.allowed.fill(allow ? 1 : 0);
    this.allCommands = allow;
    this.firstArgs = null;
  }

  /** ACLAddAllowedFirstArg: kept once (case-insensitively), in the order added. */
  private addFirstArg(id: number, arg: string): void {
    this.firstArgs ??= new Map();
    const list = this.firstArgs.get(id) ?? [];
    if (list.some((a) => a.toLowerCase() === arg.toLowerCase())) return;
    list.push(arg);
    this.firstArgs.set(id, list);
  }

  /** ACLSetSelector: one rule about keys, channels or commands; null, or why it was refused. */
  set(op: Uint8Array, warn: FirstArgWarning): RuleError | null {
    const word = lowerAscii(cString(op));
    if (word === 'allkeys' || word === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (word === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (word === 'allchannels' || word === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (word === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (word === 'allcommands' || word === '+@all') {
      this.setAll(true);
    } else if (word === 'nocommands' || word === '-@all') {
      this.setAll(false);
    } else if (op[0] === 0x7e || op[0] === 0x25) {
      return this.addKeyPattern(op);
    } else if (op[0] === 0x26) {
      if (this.allChannels) return 'EISDIR';
      const pattern = op.subarray(1);
      if (hasSpaces(pattern)) return 'EINVAL';
      const text = latin1(pattern);
      if (!this.channels.includes(text)) this.channels.push(text);
      this.allChannels = false;
    } else if (op[0] === 0x2b && op[1] !== 0x40) {
      return this.allowCommand(latin1(cString(op)).slice(1), warn);
    } else if (op[0] === 0x2d && op[1] !== 0x40) {
      const cmd = lookupAclCommand(latin1(cString(op)).slice(1));
      if (!cmd) return 'ENOENT';
      this.changePerm(cmd, false);
    } else if ((op[0] === 0x2b || op[0] === 0x2d) && op[1] === 0x40) {
      if (!this.setCategory(latin1(cString(op)).slice(2), op[0] === 0x2b)) return 'ENOENT';
    } else {
      return 'EINVAL';
    }
    return null;
  }

  /** ~pattern, %R~pattern, %W~pattern, %RW~pattern: a pattern already there gains the permissions. */
  private addKeyPattern(op: Uint8Array): RuleError | null {
    if (this.allKeys) return 'EEXIST';
    let flags = 0;
    let offset = 1;
    if (op[0] === 0x25) {
      for (; offset < op.length; offset++) {
        const c = op[offset] & 0xdf; // toupper for letters
        if (c === 0x52 && !(flags & READ)) flags |= READ;
        else if (c === 0x57 && !(flags & WRITE)) flags |= WRITE;
        else if (op[offset] === 0x7e) {
          offset++;
          break;
        } else return 'EINVAL';
      }
    } else {
      flags = ALL;
    }
    const bytes = op.slice(offset);
    if (hasSpaces(bytes)) return 'EINVAL';
    const text = latin1(bytes);
    const found = this.patterns.find((p) => p.text === text);
    if (found) found.flags |= flags;
    else this.patterns.push({ text, bytes, flags });
    this.allKeys = false;
    return null;
  }

  /** +command, +container|sub, or +command|first-arg for a command without subcommands. */
  private allowCommand(name: string, warn: FirstArgWarning): RuleError | null {
    const bar = name.lastIndexOf('|');
    if (bar < 0) {
      const cmd = lookupAclCommand(name);
      if (!cmd) return 'ENOENT';
      this.changePerm(cmd, true);
      return null;
    }
    const base = lookupAclCommand(name.slice(0, bar));
    const sub = name.slice(bar + 1);
    if (!base) return 'ENOENT';
    if (base.parent) return 'ECHILD';
    if (sub === '') return 'EINVAL';
    if (base.subcommands) {
      const cmd = lookupAclCommand(name);
      if (!cmd) return 'ENOENT';
      this.changePerm(cmd, true);
    } else {
      warn(`+${name}`);
      this.addFirstArg(base.id, sub);
    }
    return null;
  }

  /** The commands the selector allows, without the first arguments: for describe strings. */
  bit(id: number): boolean {
    return this.allowed[id] === 1;
  }

  /** ACLSelectorCanExecuteFutureCommands. */
  get future(): boolean {
    return this.allowed[FUTURE_BIT] === 1;
  }
}

/** ACLStringHasSpaces: isspace() or NUL anywhere. */
export function hasSpaces(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b === 0 || b === 0x20 || (b >= 0x09 && b <= 0x0d)) return true;
  return false;
}

/** A rule given as text (the server's own rules: "+@all", "resetpass"). */
export const rule = (text: string): Uint8Array => fromLatin1(text);
