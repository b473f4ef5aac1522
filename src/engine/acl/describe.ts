// The text of a selector's rules as ACL LIST, ACL GETUSER, ACL SAVE and
// CONFIG REWRITE print them (acl.c ACLDescribeSelector and
// ACLDescribeSelectorCommandRules of Redis 7.0.15): keys, channels, then
// the command rules rebuilt from the bitmap, not the rules as typed.
//
// The command rules start from +@all (when the future-commands bit is set)
// or -@all, then add (or remove) the categories that fit best, one at a
// time, then fix the remaining differences command by command. Redis walks
// its command dict for that last step, whose order follows a per-process
// random hash seed: two real servers print those single-command rules in
// different orders. This engine walks the table's order (alphabetical).

import { ACL_COMMANDS, CATEGORIES, type AclCommand } from './commands.ts';
import { ALL, READ, WRITE, Selector, rule, type KeyPattern } from './selector.ts';

/** A selector that only follows rules (the fake and temp selectors of the describe). */
function scratch(from?: Selector): Selector {
  const s = new Selector(false, false);
  if (from) s.allowed = from.allowed.slice();
  return s;
}

const noWarning = () => {};

/** ACLCountCategoryBitsForSelector: commands of the category the selector allows, and denies. */
function countCategory(selector: Selector, flag: number): { on: number; off: number } {
  let on = 0;
  let off = 0;
  const walk = (cmds: Iterable<AclCommand>) => {
    for (const cmd of cmds) {
      if (cmd.categories & flag) {
        if (selector.bit(cmd.id)) on++;
        else off++;
      }
      if (cmd.subcommands) walk(cmd.subcommands.values());
    }
  };
  walk(ACL_COMMANDS);
  return { on, off };
}

/** ACLDescribeSelectorCommandRules. */
export function describeCommandRules(selector: Selector): string {
  const rules: string[] = [];
  const fake = scratch();
  const additive = !selector.future;
  rules.push(additive ? '-@all' : '+@all');
  fake.set(rule(rules[0]), noWarning);

  // The best-fitting category each round: more commands in common than not, the fewest differences, then the most in common.
  const temp = scratch(selector);
  const applied = new Set<number>();
  for (;;) {
    let best = -1;
    let minDiff = Number.MAX_SAFE_INTEGER;
    let maxSame = 0;
    for (let j = 0; j < CATEGORIES.length; j++) {
      if (applied.has(j)) continue;
      const { on, off } = countCategory(temp, 2 ** j);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = j;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    const op = `${additive ? '+' : '-'}@${CATEGORIES[best]}`;
    fake.set(rule(op), noWarning);
    temp.set(rule(`${additive ? '-' : '+'}@${CATEGORIES[best]}`), noWarning);
    rules.push(op);
    applied.add(best);
  }

  // ACLDescribeSelectorCommandRulesSingleCommands: what the categories did not get right, command by command.
  const single = (cmds: Iterable<AclCommand>) => {
    for (const cmd of cmds) {
      const userBit = selector.bit(cmd.id);
      if (userBit !== fake.bit(cmd.id)) {
        rules.push(`${userBit ? '+' : '-'}${cmd.fullname}`);
        fake.changePerm(cmd, userBit);
      }
      if (cmd.subcommands) single(cmd.subcommands.values());
      const firstArgs = selector.firstArgs?.get(cmd.id);
      if (!userBit && firstArgs) for (const arg of firstArgs) rules.push(`+${cmd.fullname}|${arg}`);
    }
  };
  single(ACL_COMMANDS);
  return rules.join(' ');
}

/** sdsCatPatternString: ~ for read and write, %R~ or %W~ for one of them. */
export function patternString(p: KeyPattern): string {
  if (p.flags === ALL) return `~${p.text}`;
  if (p.flags === READ) return `%R~${p.text}`;
  if (p.flags === WRITE) return `%W~${p.text}`;
  // Redis panics here ("Invalid key pattern flag detected"): a "%" rule with no permission letter.
  throw new Error('Invalid key pattern flag detected');
}

/** ACLDescribeSelector: keys, channels, commands. */
export function describeSelector(s: Selector): string {
  const words: string[] = [];
  if (s.allKeys) words.push('~*');
  else for (const p of s.patterns) words.push(patternString(p));
  if (s.allChannels) words.push('&*');
  else words.push('resetchannels', ...s.channels.map((c) => `&${c}`));
  words.push(describeCommandRules(s));
  return words.join(' ');
}
