// stringmatchlen as Redis 7.0.15 util.c has it. Every row was observed on
// redis-server 7.0.15 as KEYS <pattern> against a database holding only
// <key> (the one exception is marked), and a fuzz run of 16,000 random
// patterns over keys of * ? [ ] ^ \ - \x00 \x80 \xff and letters agreed.
import { describe, expect, it } from 'vitest';
import { stringMatch } from '../../src/engine/glob.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

const OBSERVED: [pattern: string, key: string, matches: boolean][] = [
  ['h?llo', 'hello', true],
  ['h?llo', 'hllo', false],
  ['h*llo', 'hllo', true],
  ['h*llo', 'heeeello', true],
  ['h[ae]llo', 'hallo', true],
  ['h[ae]llo', 'hillo', false],
  ['h[^e]llo', 'hallo', true],
  ['h[^e]llo', 'hello', false],
  ['h[a-b]llo', 'hbllo', true],
  ['h[a-b]llo', 'hcllo', false],
  ['h[b-a]llo', 'hallo', true],
  ['[z-a]', 'm', true],
  ['[a-c]', '-', false],
  ['[a-]', '-', false],
  ['[a-]', 'a', true],
  ['[-a]', '-', true],
  ['[]]', ']', false],
  ['[]a]', 'a', false],
  ['[\\]]', ']', true],
  ['[\\', '\\', true],
  ['[', '[', false],
  ['[abc', 'a', true],
  ['[abc', '[', false],
  ['[^', 'a', true],
  ['[^', 'x', true],
  ['\\*', '*', true],
  ['\\*', 'a', false],
  ['*\\', 'a\\', true],
  ['*\\', 'ab', false],
  ['\\', '\\', true],
  ['a\\', 'a\\', true],
  ['\\a', 'a', true],
  ['[\\a-c]', 'b', false],
  ['[\\a-c]', '-', true],
  ['[\\a-c]', 'c', true],
  ['[a-\\]', 'b', false],
  ['[a-\\]', '\\', true],
  ['**', 'x', true],
  ['**', '', false],
  ['', '', true],
  ['a*', '', false],
  ['?', '', false],
  ['*a*b', 'xaxxb', true],
  ['*a*b', 'xaxxbx', false],
  ['a*b*c', 'abc', true],
  ['[^a-c]x', 'dx', true],
  ['[^a-c]x', 'bx', false],
  ['[a^]', '^', true],
  ['[[]', '[', true],
  ['[*]', '*', true],
  ['[*]', 'a', false],
  ['[?]', '?', true],
  ['x[a-c]*', 'xb', true],
  // Signed chars: \xff is -1, so a-\xff is the range -1..97.
  ['[a-\xff]', 'b', false],
  ['[a-\xff]', '\xff', true],
  ['[a-\xff]', '\x00', true],
  ['[a-\xff]', '\x80', false],
  ['[\x80-\xff]', '\x90', true],
  ['[\x80-\xff]', 'a', false],
  ['\x00*', '\x00x', true],
  ['a\x00?', 'a\x00b', true],
  ['*[', 'a[', false],
  ['[a-c-e]', 'd', false],
  ['[a-c-e]', '-', true],
  ['[a-c-e]', 'e', true],
];

describe('stringMatch', () => {
  it.each(OBSERVED)('%j against %j: %s', (pattern, key, matches) => {
    expect(stringMatch(b(pattern), b(key))).toBe(matches);
  });

  it('does not match * against the empty string (KEYS * lists it through its own shortcut)', () => {
    expect(stringMatch(b('*'), b(''))).toBe(false);
  });

  it('gives up early on patterns with many stars instead of taking exponential time', () => {
    const pattern = b('*a'.repeat(40) + 'b');
    const key = b('a'.repeat(200));
    const start = process.hrtime.bigint();
    expect(stringMatch(pattern, key)).toBe(false);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(1000);
  });

  it('compares letters without case when nocase is set, and only then', () => {
    expect(stringMatch(b('H[A-C]LLO'), b('hbllo'), true)).toBe(true);
    expect(stringMatch(b('H?LL*'), b('hello'), true)).toBe(true);
    expect(stringMatch(b('HELLO'), b('hello'))).toBe(false);
  });
});
