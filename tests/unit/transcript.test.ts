// The golden transcript format's per-step tolerances (tests/support/transcript.ts).
import { describe, expect, it } from 'vitest';
import { comparable, parseCases, type Step } from '../support/transcript.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const same = (step: Step, x: string, y: string) => comparable(step, [b(x)])[0] === comparable(step, [b(y)])[0];

describe('tolerance prefixes', () => {
  it('parse as a tolerance on that step only, keeping the line as its source', () => {
    const [a, c, d] = parseCases('~sorted KEYS *\nKEYS *\n~type raw 1 "PTTL k\\r\\n"\n');
    expect(a).toMatchObject({ source: '~sorted KEYS *', tolerance: 'sorted', replies: 1 });
    expect(a.bytes).toEqual(c.bytes);
    expect(c.tolerance).toBeUndefined();
    expect(d).toMatchObject({ tolerance: 'type', bytes: b('PTTL k\r\n') });
  });

  it('refuse unknown names and a prefix with no step', () => {
    expect(() => parseCases('~fuzzy KEYS *')).toThrow(/unknown tolerance/);
    expect(() => parseCases('~sorted')).toThrow(/needs a step/);
  });
});

describe('~sorted', () => {
  const step = parseCases('~sorted KEYS *')[0];

  it('compares arrays of bulk strings as multisets', () => {
    expect(same(step, '*2\r\n$1\r\na\r\n$2\r\nbc\r\n', '*2\r\n$2\r\nbc\r\n$1\r\na\r\n')).toBe(true);
    expect(same(step, '*0\r\n', '*0\r\n')).toBe(true);
    expect(same(step, '*2\r\n$1\r\na\r\n$1\r\na\r\n', '*2\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe(false);
    expect(same(step, '*1\r\n$1\r\na\r\n', '*2\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe(false);
  });

  it('keeps bulk strings holding CR LF intact', () => {
    expect(same(step, '*2\r\n$3\r\na\r\n\r\n$0\r\n\r\n', '*2\r\n$0\r\n\r\n$3\r\na\r\n\r\n')).toBe(true);
  });

  it('compares anything else exactly: errors, and an error against an array', () => {
    expect(same(step, '-ERR x\r\n', '-ERR y\r\n')).toBe(false);
    expect(same(step, '-ERR x\r\n', '*0\r\n')).toBe(false);
    expect(same(step, ':1\r\n', ':2\r\n')).toBe(false);
  });
});

describe('~type', () => {
  const step = parseCases('~type PTTL k')[0];

  it('compares integers >= 0 by class and negative ones exactly', () => {
    expect(same(step, ':99998\r\n', ':100000\r\n')).toBe(true);
    expect(same(step, ':0\r\n', ':7\r\n')).toBe(true);
    expect(same(step, ':-1\r\n', ':-2\r\n')).toBe(false);
    expect(same(step, ':-1\r\n', ':5\r\n')).toBe(false);
    expect(same(step, ':-2\r\n', ':-2\r\n')).toBe(true);
  });

  it('compares bulk strings by presence', () => {
    expect(same(step, '$1\r\na\r\n', '$3\r\nbcd\r\n')).toBe(true);
    expect(same(step, '$-1\r\n', '$1\r\na\r\n')).toBe(false);
  });

  it('never equates an error with a value, or two different errors', () => {
    expect(same(step, '-ERR x\r\n', ':5\r\n')).toBe(false);
    expect(same(step, '-ERR x\r\n', '-ERR y\r\n')).toBe(false);
    expect(same(step, '+OK\r\n', '+QUEUED\r\n')).toBe(false);
  });

  it('applies to its own step only', () => {
    const plain = parseCases('PTTL k')[0];
    expect(same(plain, ':99998\r\n', ':100000\r\n')).toBe(false);
  });
});
