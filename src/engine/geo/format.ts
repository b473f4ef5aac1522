// The texts geo replies are made of (Redis 7.0.15 with glibc):
//  - distances: fixedpoint_d2string(d, 4) (util.c): llrint(d * 10000), the
//    product rounded to a double first, then to an integer, ties to even,
//    written with four decimals; an llrint out of range (NaN too) is
//    LLONG_MIN, printed as such;
//  - coordinates: addReplyHumanLongDouble, ld2string's "%.17Lf" with the
//    trailing zeros cut (the double converts to a long double exactly);
//  - the "invalid longitude,latitude pair" error's "%f": exact decimals
//    rounded to six places, ties to even, "inf", "-inf", "-0.000000".
import { formatHuman, type LongDouble } from '../commands/long-double.ts';

/** A double as (-1)^neg * mant * 2^exp, mant an integer (exact). */
function exactParts(d: number): { neg: boolean; mant: bigint; exp: number } {
  const neg = d < 0 || Object.is(d, -0);
  let v = Math.abs(d);
  let exp = 0;
  // Scale to an integer by powers of two (exact).
  while (!Number.isInteger(v)) {
    v *= 2 ** 64;
    exp -= 64;
  }
  return { neg, mant: BigInt(v), exp };
}

/** A finite or infinite double as the long double it converts to. */
function toLongDouble(d: number): LongDouble {
  if (Number.isNaN(d)) return { kind: 'nan' };
  if (!Number.isFinite(d)) return { kind: 'inf', neg: d < 0 };
  return { kind: 'finite', ...exactParts(d) };
}

/** ld2string(d, LD_STR_HUMAN): the text of a coordinate. */
export function formatCoordinate(d: number): string {
  return formatHuman(toLongDouble(d));
}

/** Round-half-even of mant * 2^exp to an integer. */
function roundHalfEven(mant: bigint, exp: number): bigint {
  if (exp >= 0) return mant << BigInt(exp);
  const den = 1n << BigInt(-exp);
  let q = mant / den;
  const twice = (mant - q * den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  return q;
}

/** printf("%.Nf", d) as glibc prints it. */
export function formatFixed(d: number, decimals: number): string {
  if (Number.isNaN(d)) return d < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(d)) return d < 0 ? '-inf' : 'inf';
  const { neg, mant, exp } = exactParts(d);
  const q = roundHalfEven(mant * 10n ** BigInt(decimals), exp);
  const digits = q.toString().padStart(decimals + 1, '0');
  const text = decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
  return neg ? `-${text}` : text;
}

const LLONG_MIN = -(2n ** 63n);
const LLONG_LIMIT = 2 ** 63;

/** fixedpoint_d2string(d, 4): a distance's text. */
export function formatDistance(d: number): string {
  if (d === 0) return '0.0000';
  const scaled = d * 10000;
  // llrint: nearest, ties to even; out of range (and NaN) gives LLONG_MIN.
  let n: bigint;
  if (scaled >= -LLONG_LIMIT && scaled < LLONG_LIMIT) {
    let r = Math.round(scaled);
    if (r - scaled === 0.5 && r % 2 !== 0) r -= 1;
    n = BigInt(r);
  } else {
    n = LLONG_MIN;
  }
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(5, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`;
}
