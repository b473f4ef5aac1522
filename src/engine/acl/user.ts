// An ACL user (acl.c of Redis 7.0.15): on or off, its passwords (SHA-256
// hex), nopass, the sanitize-payload flags, and its selectors, the first of
// which is the root selector. Clients hold the user object itself: ACL
// SETUSER changes it in place (ACLCopyUser), so their permissions change
// with it.

import { sha256Hex } from '../sha256.ts';
import { cString, latin1, lowerAscii } from '../bytes.ts';
import { splitArgs } from '../resp/split-args.ts';
import { Selector, rule, type FirstArgWarning, type RuleError } from './selector.ts';
import { describeSelector } from './describe.ts';

/** USER_FLAG_*. */
export const USER_FLAG = { ENABLED: 1, DISABLED: 2, NOPASS: 4, SANITIZE_PAYLOAD: 8, SKIP_SANITIZE_PAYLOAD: 16 } as const;

/** ACLUserFlags: their names, in the order describe strings and ACL GETUSER list them. */
export const USER_FLAG_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['on', USER_FLAG.ENABLED],
  ['off', USER_FLAG.DISABLED],
  ['nopass', USER_FLAG.NOPASS],
  ['skip-sanitize-payload', USER_FLAG.SKIP_SANITIZE_PAYLOAD],
  ['sanitize-payload', USER_FLAG.SANITIZE_PAYLOAD],
];

/** What rules need from the server: acl-pubsub-default, and where to log a first-arg rule's warning. */
export interface RuleContext {
  readonly allChannelsByDefault: boolean;
  readonly warn: FirstArgWarning;
}

/** ACLCheckPasswordHash: 64 characters of 0-9a-f. */
function validHash(bytes: Uint8Array): boolean {
  if (bytes.length !== 64) return false;
  for (const c of bytes) if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  return true;
}

export class AclUser {
  /** A new user is off (USER_FLAG_DISABLED), with no password and a root selector that allows nothing. */
  flags: number = USER_FLAG.DISABLED;
  /** SHA-256 hex of each password, in the order added. */
  passwords: string[] = [];
  selectors: Selector[];
  /** u->acl_string: the describe string, kept until a rule changes the user. */
  private described: string | null = null;

  /** ACLCreateUser. */
  constructor(
    readonly name: string,
    allChannelsByDefault: boolean,
  ) {
    this.selectors = [new Selector(true, allChannelsByDefault)];
  }

  get root(): Selector {
    return this.selectors[0];
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  /** The root selector allows every command, key and channel, and there are no others to look at: checks can stop here. */
  get unrestricted(): boolean {
    const r = this.root;
    return r.allCommands && r.allKeys && r.allChannels;
  }

  /** ACLCopyUser: the rules of `src` (not its name). */
  copyFrom(src: AclUser): void {
    this.flags = src.flags;
    this.passwords = [...src.passwords];
    this.selectors = src.selectors.map((s) => s.copy());
    this.described = src.described;
  }

  /** ACLSetUser: one rule; null, or why it was refused (the user may be half-changed: callers work on a copy). */
  setRule(op: Uint8Array, ctx: RuleContext): RuleError | null {
    this.described = null;
    if (op.length === 0) return null;
    const word = lowerAscii(cString(op));
    const f = USER_FLAG;
    if (word === 'on') this.flags = (this.flags | f.ENABLED) & ~f.DISABLED;
    else if (word === 'off') this.flags = (this.flags | f.DISABLED) & ~f.ENABLED;
    else if (word === 'skip-sanitize-payload') this.flags = (this.flags | f.SKIP_SANITIZE_PAYLOAD) & ~f.SANITIZE_PAYLOAD;
    else if (word === 'sanitize-payload') this.flags = (this.flags | f.SANITIZE_PAYLOAD) & ~f.SKIP_SANITIZE_PAYLOAD;
    else if (word === 'nopass') {
      this.flags |= f.NOPASS;
      this.passwords = [];
    } else if (word === 'resetpass') {
      this.flags &= ~f.NOPASS;
      this.passwords = [];
    } else if (op[0] === 0x3e || op[0] === 0x23) {
      // >password, #hash
      const rest = op.subarray(1);
      if (op[0] === 0x23 && !validHash(rest)) return 'EBADMSG';
      const hash = op[0] === 0x3e ? sha256Hex(rest) : latin1(rest);
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.flags &= ~f.NOPASS;
    } else if (op[0] === 0x3c || op[0] === 0x21) {
      // <password, !hash
      const rest = op.subarray(1);
      if (op[0] === 0x21 && !validHash(rest)) return 'EBADMSG';
      const at = this.passwords.indexOf(op[0] === 0x3c ? sha256Hex(rest) : latin1(rest));
      if (at < 0) return 'ENODEV';
      this.passwords.splice(at, 1);
    } else if (op[0] === 0x28 && op[op.length - 1] === 0x29) {
      // (selector rules): aclCreateSelectorFromOpSet. Unbalanced quotes inside give no rules: an empty selector.
      const selector = new Selector(false, ctx.allChannelsByDefault);
      for (const r of splitArgs(op.subarray(1, op.length - 1)) ?? []) {
        const error = selector.set(r, ctx.warn);
        if (error) return error;
      }
      this.selectors.push(selector);
    } else if (word === 'clearselectors') {
      this.selectors.length = 1;
    } else if (word === 'reset') {
      for (const r of ['resetpass', 'resetkeys', 'resetchannels', ...(ctx.allChannelsByDefault ? ['allchannels'] : []), 'off', 'sanitize-payload', 'clearselectors', '-@all']) {
        this.setRule(rule(r), ctx);
      }
    } else {
      return this.root.set(op, ctx.warn);
    }
    return null;
  }

  /** ACLCheckUserCredentials for an existing user: on, and nopass or one of its passwords. */
  checkPassword(password: Uint8Array): boolean {
    if (this.has(USER_FLAG.DISABLED)) return false;
    if (this.has(USER_FLAG.NOPASS)) return true;
    return this.passwords.includes(sha256Hex(password));
  }

  /** ACLDescribeUser: flags, password hashes, the root selector, then each other selector in parentheses. */
  describe(): string {
    if (this.described !== null) return this.described;
    const words: string[] = [];
    for (const [name, flag] of USER_FLAG_NAMES) if (this.has(flag)) words.push(name);
    for (const p of this.passwords) words.push(`#${p}`);
    let text = words.map((w) => w + ' ').join('') + describeSelector(this.root);
    for (const s of this.selectors.slice(1)) text += ` (${describeSelector(s)})`;
    this.described = text;
    return text;
  }
}
