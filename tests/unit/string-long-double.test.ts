// INCRBYFLOAT's x87 long double emulation. The golden transcript and a
// differential run against redis-server 7.0.15 cover it broadly; these pin
// a few values whose answers were observed on the oracle.
import { describe, expect, it } from 'vitest';
import { addLongDouble, formatHuman, LD_ZERO, parseLongDouble, type LongDouble } from '../../src/engine/commands/long-double.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';

const parse = (s: string) => parseLongDouble(fromLatin1(s));
const incr = (...values: string[]) => {
  let v: LongDouble = LD_ZERO;
  for (const s of values) v = addLongDouble(v, parse(s)!);
  return formatHuman(v);
};

describe('long double', () => {
  it('rounds and prints as the 80-bit format does, not as a double', () => {
    // Observed: a double would print 0.10000000000000001 and 0.30000000000000004.
    expect(incr('0.1')).toBe('0.1');
    expect(incr('0.1', '0.2')).toBe('0.3');
    expect(incr('3.0000000000000000001')).toBe('3');
    expect(incr('1e-18')).toBe('0');
    expect(incr('-1e-18')).toBe('0');
    expect(incr('0x1p-18')).toBe('0.00000381469726562'); // a tie at the 17th digit, to even
    expect(incr('1e20', '1')).toBe('100000000000000000000'); // 1 is below half an ulp of 1e20
    expect(incr('18446744073709551615')).toBe('18446744073709551615');
    expect(incr('18446744073709551617')).toBe('18446744073709551616');
  });

  it('refuses what string2ld refuses', () => {
    for (const s of ['', ' 1', '1 ', 'nan', '-nan', 'abc', '1e', '0x', '0x1p', '.', '1e4933', '1e-5000', '0x1p16384', '0x1.0000000000000001p-16446', 'x'.repeat(5120)]) {
      expect({ s, v: parse(s) }).toEqual({ s, v: null });
    }
    expect(parse('inf')).toEqual({ kind: 'inf', neg: false });
    expect(parse('-Infinity')).toEqual({ kind: 'inf', neg: true });
    expect(parse('0e99999999999999999999')).not.toBeNull();
    expect(parse('1e-4940')).not.toBeNull();
  });

  it('overflows to infinity and cancels infinities to NaN', () => {
    expect(addLongDouble(parse('1e4932')!, parse('1e4932')!).kind).toBe('inf');
    expect(addLongDouble(parse('inf')!, parse('-inf')!).kind).toBe('nan');
  });
});
