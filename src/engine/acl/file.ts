// Users that come from files (acl.c of Redis 7.0.15): the `user` lines of
// redis.conf, checked when the config is read and applied at start-up
// (ACLAppendUserForLoading, ACLLoadConfiguredUsers), and the aclfile that
// ACL LOAD reads and ACL SAVE writes (ACLLoadFromFile, ACLSaveToFile).
//
// The node's disk is a flat set of files: the aclfile is the file of that
// base name on the node's disk, wherever its path points.

import type { RedisNode } from '../node.ts';
import type { AclUser } from './user.ts';
import { USER_FLAG } from './user.ts';
import { mergeSelectorArguments, ruleErrorMessage } from './acl.ts';
import { hasSpaces, type RuleError } from './selector.ts';
import { configValues } from '../config-values.ts';
import { cString, fromLatin1, latin1 } from '../bytes.ts';

/** The users of redis.conf's `user` lines, in their order: the name, then the rules (selectors merged). */
export type PendingUsers = Array<{ name: Uint8Array; rules: Uint8Array[] }>;

/**
 * ACLAppendUserForLoading for `user <name> <rules...>` (argv without
 * "user"): null when its rules look valid (unknown commands are only found
 * at start-up), or the message config.c prints, naming argv[index] of the
 * whole line as Redis does (that index counts the rules, not the line's
 * words: Redis names a word of the line that is not the rule at fault).
 */
export function appendUserForLoading(node: RedisNode, pending: PendingUsers, line: readonly Uint8Array[]): string | null {
  const words = [fromLatin1('user'), ...line];
  const fail = (index: number, error: RuleError) => `Error in user declaration '${latin1(cString(words[index]))}': ${ruleErrorMessage(error)}`;
  const name = line[0];
  if (pending.some((p) => latin1(p.name) === latin1(name))) return fail(1, 'EALREADY');
  const merged = mergeSelectorArguments(line.slice(1));
  // An unclosed "(": no rule failed, so Redis words whatever errno an earlier call left; 7.0.15 prints ENOENT's message.
  if ('unmatched' in merged) return fail(merged.unmatched, 'ENOENT');
  const fake = node.acl.unlinkedUser();
  const ctx = node.acl.ruleContext;
  for (const [j, op] of merged.merged.entries()) {
    const error = fake.setRule(op, ctx);
    if (error && error !== 'ENOENT') return fail(j, error);
  }
  pending.push({ name, rules: merged.merged });
  return null;
}

/**
 * ACLLoadUsersAtStartup: the users of redis.conf, then the aclfile. False
 * when the process must exit (the reason is logged).
 */
export function loadUsersAtStartup(node: RedisNode, pending: PendingUsers): boolean {
  const log = node.options.log;
  const acl = node.acl;
  const aclfile = configValues(node).text('aclfile');
  if (aclfile !== '' && pending.length > 0) {
    log.warning(
      'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
    );
    return false;
  }
  // ACLLoadConfiguredUsers.
  const ctx = acl.ruleContext;
  for (const { name, rules } of pending) {
    if (hasSpaces(name)) {
      log.warning('Spaces not allowed in ACL usernames');
      log.warning('Critical error while loading ACLs. Exiting.');
      return false;
    }
    let u = acl.createUser(latin1(name));
    if (!u) {
      // Only the default user can be there already: it starts over.
      u = acl.defaultUser;
      u.setRule(fromLatin1('reset'), ctx);
    }
    for (const op of rules) {
      const error = u.setRule(op, ctx);
      if (error) {
        log.warning(`Error loading ACL rule '${latin1(cString(op))}' for the user named '${latin1(cString(name))}': ${ruleErrorMessage(error)}`);
        log.warning('Critical error while loading ACLs. Exiting.');
        return false;
      }
    }
    if (u.has(USER_FLAG.DISABLED)) {
      log.notice(`The user '${latin1(cString(name))}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
    }
  }
  if (aclfile !== '') {
    const errors = loadAclFile(node);
    if (errors !== null) {
      log.warning(`Aborting Redis startup because of ACL errors: ${errors}`);
      return false;
    }
  }
  return true;
}

/** The aclfile's name on the node's disk. */
function diskName(aclfile: string): string {
  return aclfile.slice(aclfile.lastIndexOf('/') + 1);
}

/** sdstrim with a set of characters. */
function trim(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/**
 * ACLLoadFromFile: the users of the aclfile replace every user, all or
 * nothing. Null, or the problems found (then nothing changed). Clients
 * authenticated as a user other than default are disconnected, even if
 * the file defines that user again.
 */
export function loadAclFile(node: RedisNode): string | null {
  const acl = node.acl;
  const filename = configValues(node).text('aclfile');
  const name = diskName(filename);
  const bytes = name === '' ? null : node.disk.read(name);
  if (bytes === null) return `Error loading ACLs, opening file '${filename}': No such file or directory`;
  // fgets and sdscat read it as C strings: a NUL ends what is read.
  const text = latin1(cString(bytes));
  const users = new Map<string, AclUser>();
  let errors = '';
  const ctx = acl.ruleContext;
  for (const [i, raw] of text.split('\n').entries()) {
    const linenum = i + 1;
    const line = trim(raw, ' \t\r\n');
    if (line === '') continue;
    const argv = line.split(' ');
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
      continue;
    }
    if (hasSpaces(fromLatin1(argv[1]))) {
      errors += `'${filename}:${linenum}: username '${argv[1]}' contains invalid characters. `;
      continue;
    }
    const u = acl.createUser(argv[1], users);
    if (!u) {
      errors += `WARNING: Duplicate user '${argv[1]}' found on line ${linenum}. `;
      continue;
    }
    const merged = mergeSelectorArguments(argv.slice(2).map(fromLatin1));
    if ('unmatched' in merged) {
      errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let syntaxError = false;
    for (const op of merged.merged) {
      const trimmed = trim(latin1(op), '\t\r\n');
      const error = u.setRule(fromLatin1(trimmed), ctx);
      if (!error) continue;
      // Unknown commands are all reported; other errors only the line's first (it may explain the next ones).
      if (error === 'ENOENT') errors += `${filename}:${linenum}: Error in applying operation '${trimmed}': ${ruleErrorMessage(error)}. `;
      else if (!syntaxError) {
        errors += `${filename}:${linenum}: ${ruleErrorMessage(error)}. `;
        syntaxError = true;
      }
    }
  }
  if (errors !== '') return errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed';
  // The default user object stays: it takes the file's rules, or the defaults.
  const fileDefault = users.get('default') ?? acl.createDefaultUser(new Map());
  acl.defaultUser.copyFrom(fileDefault);
  users.set('default', acl.defaultUser);
  acl.replaceUsers(users);
  return null;
}

/** ACLSaveToFile: every user as a `user` line, in name order. */
export function saveAclFile(node: RedisNode): boolean {
  const filename = configValues(node).text('aclfile');
  const name = diskName(filename);
  if (name === '') {
    node.options.log.warning('Opening temp ACL file for ACL SAVE: No such file or directory');
    return false;
  }
  const text = node.acl.sortedUsers().map((u) => `user ${u.name} ${u.describe()}\n`).join('');
  node.disk.write(name, fromLatin1(text));
  return true;
}
