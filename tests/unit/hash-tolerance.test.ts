// The ~sortedpairs golden tolerance (tests/support/transcript.ts), added
// for HGETALL and HRANDFIELD ... WITHVALUES on hashtable-encoded hashes.
import { describe, expect, it } from 'vitest';
import { comparable, parseCases, type Step } from '../support/transcript.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const same = (step: Step, x: string, y: string) => comparable(step, [b(x)])[0] === comparable(step, [b(y)])[0];

describe('~sortedpairs', () => {
  const step = parseCases('~sortedpairs HGETALL h')[0];

  it('parses as a tolerance', () => {
    expect(step).toMatchObject({ source: '~sortedpairs HGETALL h', tolerance: 'sortedpairs', replies: 1 });
  });

  it('compares flat arrays as multisets of (field, value) pairs', () => {
    expect(same(step, '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n', '*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n')).toBe(true);
    expect(same(step, '*0\r\n', '*0\r\n')).toBe(true);
    // The same elements, paired differently.
    expect(same(step, '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n', '*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n1\r\n')).toBe(false);
    expect(same(step, '*2\r\n$1\r\na\r\n$1\r\n1\r\n', '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n')).toBe(false);
  });

  it('compares RESP3 maps the same way, and never a map with an array', () => {
    expect(same(step, '%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n', '%2\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n')).toBe(true);
    expect(same(step, '%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n', '*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n')).toBe(false);
  });

  it('compares anything else exactly: odd arrays, errors, nested arrays', () => {
    expect(same(step, '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n', '*3\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n')).toBe(false);
    expect(same(step, '-ERR x\r\n', '-ERR y\r\n')).toBe(false);
    expect(same(step, '-ERR x\r\n', '*0\r\n')).toBe(false);
    expect(same(step, '*2\r\n*0\r\n*0\r\n', '*2\r\n*0\r\n*0\r\n')).toBe(true);
    expect(same(step, '*2\r\n:1\r\n:2\r\n', '*2\r\n:2\r\n:1\r\n')).toBe(false);
  });

  it('keeps bulk strings holding CR LF intact', () => {
    expect(same(step, '*4\r\n$3\r\na\r\n\r\n$0\r\n\r\n$1\r\nb\r\n$1\r\nc\r\n', '*4\r\n$1\r\nb\r\n$1\r\nc\r\n$3\r\na\r\n\r\n$0\r\n\r\n')).toBe(true);
  });
});
