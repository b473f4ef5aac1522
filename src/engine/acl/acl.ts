// A node's ACL (acl.c of Redis 7.0.15): its users, the default user every
// connection starts as, the permission checks of the dispatch path, and
// the ACL log. ACL LOAD and SAVE, and the users of redis.conf, are in
// file.ts; the ACL command in commands/acl.ts.

import type { RedisNode } from '../node.ts';
import type { Client } from '../client.ts';
import { AclUser, USER_FLAG, type RuleContext } from './user.ts';
import { AclLog, DENIED, type Denial, type LogContext } from './log.ts';
import { hasSpaces, rule, type RuleError, type Selector } from './selector.ts';
import { aclCommand, type AclCommand } from './commands.ts';
import { CHANNEL, commandChannels, commandHasChannels, commandHasKeys, commandKeys, type KeyRef } from './keys.ts';
import { KEY } from './commands.ts';
import { READ, WRITE } from './selector.ts';
import { configValues } from '../config-values.ts';
import { clientInfoString } from '../client-info.ts';
import { cString, fromLatin1, latin1, lowerAscii } from '../bytes.ts';
import { stringMatch } from '../glob.ts';
import { Err } from '../errors.ts';
import type { PendingUsers } from './file.ts';

/** A command refused: why, and the argument (key or channel) that was. */
export interface AclDenied {
  readonly reason: Denial;
  readonly pos: number;
}

/** ACLSetUserStringError. */
export function ruleErrorMessage(error: RuleError): string {
  return Err.aclRule[error];
}

/** Keys a command names, computed once for all of a user's selectors (aclKeyResultCache). */
interface KeyCache {
  keys: KeyRef[] | null;
}

/** ACLSelectorCheckKey: a pattern with the permissions the key's use needs matches it. */
function selectorCheckKey(s: Selector, key: Uint8Array, keySpecFlags: number): boolean {
  if (s.allKeys) return true;
  let need = 0;
  if (keySpecFlags & KEY.ACCESS) need |= READ;
  if (keySpecFlags & (KEY.INSERT | KEY.DELETE | KEY.UPDATE)) need |= WRITE;
  for (const p of s.patterns) {
    if ((p.flags & need) !== need) continue;
    if (stringMatch(p.bytes, key)) return true;
  }
  return false;
}

/** ACLCheckChannelAgainstList: a pattern of PSUBSCRIBE matches literally (as C strings), a channel by glob. */
function channelAllowed(patterns: readonly string[], channel: Uint8Array, isPattern: boolean): boolean {
  const literal = isPattern ? latin1(cString(channel)) : '';
  for (const p of patterns) if (isPattern ? p === literal : stringMatch(fromLatin1(p), channel)) return true;
  return false;
}

/** ACLSelectorCheckCmd: null, or the denial (with the key or channel's position). */
function selectorCheckCmd(s: Selector, cmd: AclCommand, argv: readonly Uint8Array[], cache: KeyCache): AclDenied | null {
  if (!s.allCommands && !cmd.noAuth && !s.bit(cmd.id)) {
    // The command may still be allowed with this first argument ("+select|0").
    const allowed = s.firstArgs?.get(cmd.id);
    if (argv.length < 2 || !allowed) return { reason: DENIED.CMD, pos: 0 };
    const arg = lowerAscii(cString(argv[cmd.parent ? 2 : 1] ?? new Uint8Array(0)));
    if (!allowed.some((a) => a.toLowerCase() === arg)) return { reason: DENIED.CMD, pos: 0 };
  }
  if (!s.allKeys && commandHasKeys(cmd)) {
    cache.keys ??= commandKeys(cmd, argv);
    for (const k of cache.keys) if (!selectorCheckKey(s, argv[k.pos], k.flags)) return { reason: DENIED.KEY, pos: k.pos };
  }
  const channelFlags = CHANNEL.PUBLISH | CHANNEL.SUBSCRIBE;
  if (!s.allChannels && commandHasChannels(cmd, channelFlags)) {
    for (const ch of commandChannels(cmd, argv)) {
      if (!(ch.flags & channelFlags)) continue;
      if (!channelAllowed(s.channels, argv[ch.pos], (ch.flags & CHANNEL.PATTERN) !== 0)) return { reason: DENIED.CHANNEL, pos: ch.pos };
    }
  }
  return null;
}

/**
 * ACLCheckAllUserCommandPerm: null when some selector of the user allows
 * the command with these arguments (a null user, the master link, may run
 * anything). Otherwise the denial to report: a command denial only if no
 * selector got past the command, else the highest reason, and for a tie
 * the latest argument.
 */
export function checkUserCommand(user: AclUser | null, cmd: AclCommand, argv: readonly Uint8Array[]): AclDenied | null {
  if (user === null || user.unrestricted) return null;
  let relevant: Denial = DENIED.CMD;
  let last = 0;
  // Redis keeps one position across selectors: a command denial leaves the previous selector's there.
  let local = 0;
  const cache: KeyCache = { keys: null };
  for (const s of user.selectors) {
    const denied = selectorCheckCmd(s, cmd, argv, cache);
    if (!denied) return null;
    if (denied.reason !== DENIED.CMD) local = denied.pos;
    if (denied.reason > relevant || (denied.reason === relevant && local > last)) {
      relevant = denied.reason;
      last = local;
    }
  }
  return { reason: relevant, pos: last };
}

/**
 * ACLUserCheckCmdWithUnrestrictedKeyAccess: a selector allows the command
 * and grants the access of `keyFlags` to every key (SORT's BY and GET).
 */
export function userHasUnrestrictedKeyAccess(user: AclUser | null, cmd: AclCommand, argv: readonly Uint8Array[], keyFlags: number): boolean {
  if (user === null) return true;
  const cache: KeyCache = { keys: null };
  let need = 0;
  if (keyFlags & KEY.ACCESS) need |= READ;
  if (keyFlags & (KEY.INSERT | KEY.DELETE | KEY.UPDATE)) need |= WRITE;
  for (const s of user.selectors) {
    if (selectorCheckCmd(s, cmd, argv, cache)) continue;
    if (s.allKeys || s.patterns.some((p) => (p.flags & need) === need && p.text === '*')) return true;
  }
  return false;
}

/** SORT's BY and GET (user_has_full_key_access): the client's user may run the command and read any key. */
export function canReadAnyKey(client: Client, fullname: string, argv: readonly Uint8Array[]): boolean {
  return userHasUnrestrictedKeyAccess(client.user, aclCommand(fullname), argv, KEY.ACCESS);
}

/** ACLMergeSelectorArguments: "(" ... ")" spread over several arguments joined into one; or the index of an unclosed "(". */
export function mergeSelectorArguments(args: readonly Uint8Array[]): { merged: Uint8Array[] } | { unmatched: number } {
  const merged: Uint8Array[] = [];
  let open = -1;
  let selector = '';
  for (const [j, op] of args.entries()) {
    const last = op.length > 0 ? op[op.length - 1] : -1;
    if (op[0] === 0x28 && last !== 0x29) {
      selector = latin1(op);
      open = j;
      continue;
    }
    if (open !== -1) {
      // sdscatfmt " %s": each argument as a C string.
      selector += ' ' + latin1(cString(op));
      if (last === 0x29) {
        open = -1;
        merged.push(fromLatin1(selector));
      }
      continue;
    }
    merged.push(op);
  }
  return open === -1 ? { merged } : { unmatched: open };
}

export class Acl {
  /** The users by name (latin1 text of the name's bytes). */
  private readonly users = new Map<string, AclUser>();
  /** DefaultUser: the object stays the same for the life of the process (ACL LOAD copies into it). */
  readonly defaultUser: AclUser;
  readonly log = new AclLog();
  /** UsersToLoad: the `user` lines of redis.conf, applied at start-up (file.ts). */
  pendingUsers: PendingUsers = [];

  constructor(private readonly node: RedisNode) {
    this.defaultUser = this.createDefaultUser(this.users);
  }

  /** What rules need from the server. */
  get ruleContext(): RuleContext {
    return {
      allChannelsByDefault: configValues(this.node).text('acl-pubsub-default') === 'allchannels',
      warn: (r) => this.node.options.log.warning(`Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: ${r})`),
    };
  }

  /** ACLCreateUser: a new user in `users`, or null when the name is taken. */
  createUser(name: string, users: Map<string, AclUser> = this.users): AclUser | null {
    if (users.has(name)) return null;
    const u = new AclUser(name, this.ruleContext.allChannelsByDefault);
    users.set(name, u);
    return u;
  }

  /** ACLCreateDefaultUser: +@all ~* &* on nopass (the same whatever acl-pubsub-default says: &* is among its rules). */
  createDefaultUser(users: Map<string, AclUser>): AclUser {
    const u = new AclUser('default', false);
    users.set('default', u);
    const ctx: RuleContext = { allChannelsByDefault: false, warn: () => {} };
    for (const r of ['+@all', '~*', '&*', 'on', 'nopass']) u.setRule(rule(r), ctx);
    return u;
  }

  /** A user that is in no set (ACLCreateUnlinkedUser): to stage rules on. */
  unlinkedUser(): AclUser {
    return new AclUser('__fakeuser:0__', this.ruleContext.allChannelsByDefault);
  }

  /** ACLGetUserByName. */
  user(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** The users in the radix tree's order: by the bytes of their names. */
  sortedUsers(users: Map<string, AclUser> = this.users): AclUser[] {
    return [...users.keys()].sort().map((n) => users.get(n)!);
  }

  /** Replaces the user set (ACL LOAD); the old users' clients go (but the default user's). */
  replaceUsers(next: Map<string, AclUser>): void {
    const old = [...this.users.values()].filter((u) => u !== this.defaultUser);
    this.users.clear();
    for (const [name, u] of next) this.users.set(name, u);
    for (const u of old) this.killClientsOf(u);
  }

  /** ACLUpdateDefaultUserPassword (requirepass): resetpass, then >password, or nopass for none. */
  updateDefaultUserPassword(password: Uint8Array | null): void {
    const ctx = this.ruleContext;
    this.defaultUser.setRule(rule('resetpass'), ctx);
    if (password && password.length > 0) this.defaultUser.setRule(new Uint8Array([0x3e, ...password]), ctx);
    else this.defaultUser.setRule(rule('nopass'), ctx);
  }

  /** authRequired: the default user has a password (or is off) and this client has not authenticated. */
  authRequired(client: Client): boolean {
    const d = this.defaultUser;
    return (!d.has(USER_FLAG.NOPASS) || d.has(USER_FLAG.DISABLED)) && !client.authenticated;
  }

  /** clientSetDefaultAuth: the default user, authenticated when it is nopass and on. */
  setDefaultAuth(client: Client): void {
    client.user = this.defaultUser;
    client.authenticated = this.defaultUser.has(USER_FLAG.NOPASS) && !this.defaultUser.has(USER_FLAG.DISABLED);
  }

  /**
   * ACLStringSetUser: the rules are tried on a copy of the user (or a new
   * one), all or nothing; then they replace its rules. Null, or the error
   * to reply with.
   */
  setUser(name: string, args: readonly Uint8Array[]): string | null {
    const found = mergeSelectorArguments(args);
    if ('unmatched' in found) return Err.aclUnmatchedParenthesis(latin1(cString(args[found.unmatched])));
    const existing = this.users.get(name);
    const temp = this.unlinkedUser();
    if (existing) temp.copyFrom(existing);
    const ctx = this.ruleContext;
    for (const op of found.merged) {
      const error = temp.setRule(op, ctx);
      if (error) return Err.aclSetuserModifier(latin1(cString(op)), ruleErrorMessage(error));
    }
    if (existing) this.killPubsubClientsIfNeeded(temp, existing);
    const u = existing ?? this.createUser(name)!;
    u.copyFrom(temp);
    return null;
  }

  /** ACL DELUSER of one user: false when there is none. */
  deleteUser(name: string): boolean {
    const u = this.users.get(name);
    if (!u) return false;
    this.users.delete(name);
    this.killClientsOf(u);
    return true;
  }

  /**
   * ACLFreeUserAndKillClients: its connections go back to the default user,
   * unauthenticated, and are closed (the one running this command after
   * its reply).
   */
  private killClientsOf(u: AclUser): void {
    for (const c of [...this.node.clientList()]) {
      if (c.user !== u) continue;
      c.user = this.defaultUser;
      c.authenticated = false;
      this.closeClient(c);
    }
  }

  /** The client running the current command closes after its reply; the others now. */
  private closeClient(c: Client): void {
    if (c.executing) c.closeAfterReply = true;
    else this.node.closeClient(c);
  }

  /**
   * ACLKillPubsubClientsIfNeeded: when the new rules take away channels the
   * user had, its pub/sub clients subscribed to something no longer
   * allowed are disconnected.
   */
  private killPubsubClientsIfNeeded(next: AclUser, original: AclUser): void {
    if (next.selectors.some((s) => s.allChannels)) return;
    const upcoming = next.selectors.flatMap((s) => s.channels);
    const superset = original.selectors.every((s) => !s.allChannels && s.channels.every((c) => upcoming.includes(c)));
    if (superset) return;
    for (const c of [...this.node.clientList()]) {
      if (c.user !== original || c.isMaster || (c.slave && !c.monitor) || !c.pubsub) continue;
      const subs = c.subscriptions!;
      const denied =
        subs.patterns.some((p) => !upcoming.includes(p)) ||
        [...subs.channels, ...subs.shardChannels].some((ch) => !upcoming.some((p) => stringMatch(fromLatin1(p), fromLatin1(ch))));
      if (denied) this.closeClient(c);
    }
  }

  /**
   * ACLAuthenticateUser: the client becomes the user when its credentials
   * check; otherwise the failure is logged (object: the command as typed).
   */
  authenticate(client: Client, username: Uint8Array, password: Uint8Array, command: Uint8Array): boolean {
    const u = this.users.get(latin1(username));
    if (u && u.checkPassword(password)) {
      client.authenticated = true;
      client.user = u;
      return true;
    }
    this.logDenial(client, DENIED.AUTH, client.multi ? 'multi' : 'toplevel', command, username);
    return false;
  }

  /** The command check of processCommand for a client; a denial is logged. */
  checkCommand(client: Client, fullname: string, argv: readonly Uint8Array[], context: LogContext): AclDenied | null {
    const user = client.user;
    if (user === null || user.unrestricted) return null;
    const cmd = aclCommand(fullname);
    const denied = checkUserCommand(user, cmd, argv);
    if (denied) this.logDenial(client, denied.reason, context, denied.reason === DENIED.CMD ? fromLatin1(cmd.fullname) : argv[denied.pos], fromLatin1(user.name));
    return denied;
  }

  /** addACLLogEntry; `infoOf` is the client whose info is recorded (a script's caller for the script client). */
  logDenial(client: Client, reason: Denial, context: LogContext, object: Uint8Array, username: Uint8Array, infoOf: Client = client): void {
    const maxLen = Number(configValues(this.node).text('acllog-max-len'));
    this.log.add({ reason, context, object: object.slice(), username: username.slice(), ctime: this.node.options.clock.unixMs, cinfo: clientInfoString(this.node, infoOf) }, maxLen);
  }

  /** A user name ACL accepts: no spaces, no NUL. */
  static validName(name: Uint8Array): boolean {
    return !hasSpaces(name);
  }
}
