// INCRBYFLOAT's arithmetic: the C `long double` of the oracle, which on
// x86-64 (Debian's amd64 redis-server 7.0.15) is the x87 80-bit extended
// format: a 64-bit significand with an explicit leading bit, exponents of
// normal numbers from -16382 to 16383, and denormals down to 2^-16445.
//
// JavaScript has only binary64 doubles, which would answer differently
// (0.1 as a double prints as 0.10000000000000001 with %.17f; as an x87 long
// double it prints 0.1). So this module emulates the format exactly with
// BigInt rationals:
//  - parseLongDouble is string2ld (util.c): glibc strtold in the C locale,
//    correctly rounded (nearest, ties to even), decimal and hexadecimal
//    forms, "inf"/"infinity", refusing what string2ld refuses: an empty or
//    5120+ byte string, a leading space, trailing bytes, NaN, and ERANGE
//    results that are +-HUGE_VAL (overflow) or zero (underflow).
//  - addLongDouble is x87 FADD in extended precision: the exact sum rounded
//    once to 64 significant bits, nearest, ties to even, gradual underflow.
//  - formatHuman is ld2string(..., LD_STR_HUMAN) (util.c): glibc's exact
//    "%.17Lf" (the binary value's exact decimal expansion rounded to 17
//    fractional digits, ties to even), then trailing zeros and a trailing
//    '.' removed, and "-0" turned into "0".
// Within the x87 format these are exact, not approximations: every value,
// rounding and digit matches the oracle, glibc's one misrounded input
// included (isGlibcUnderflowQuirk). The limit is the format itself: a
// redis-server whose long double is something else (aarch64's binary128,
// or a 64-bit double on some platforms) would answer differently.
// BigInt is part of ECMAScript, so no host API is involved.

/** A value of the 80-bit format: finite as (-1)^neg * mant * 2^exp, or infinite, or NaN. */
export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly mant: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly neg: boolean }
  | { readonly kind: 'nan' };

/** Significand bits (explicit leading bit included). */
const MANT_BITS = 64;
const MANT_MIN = 1n << 63n;
const MANT_LIMIT = 1n << 64n;
/** The exponent of a denormal's (and of the smallest normal's) lowest significand bit: 2^-16445. */
const MIN_EXP = -16445;
/** The largest finite value is (2^64 - 1) * 2^16320, just below 2^16384. */
const MAX_EXP = 16320;
/** MAX_LONG_DOUBLE_CHARS: string2ld refuses strings this long or longer. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

export const LD_ZERO: LongDouble = { kind: 'finite', neg: false, mant: 0n, exp: 0 };

function zero(neg: boolean): LongDouble {
  return { kind: 'finite', neg, mant: 0n, exp: 0 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds num/den * 2^exp2 (num >= 0, den > 0) to the nearest value of the
 * format, ties to even. Too large gives infinity; too small gives zero or a
 * denormal, as the hardware and glibc do.
 */
function roundToFormat(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  if (num === 0n) return zero(neg);
  // num/den lies in (2^(bn-bd-1), 2^(bn-bd+1)), so with this e the quotient
  // below lies in (2^63, 2^65): at most one step up is needed.
  let e = bitLength(num) - bitLength(den) + exp2 - MANT_BITS;
  let q: bigint;
  let r: bigint;
  let d: bigint;
  for (;;) {
    if (e < MIN_EXP) e = MIN_EXP;
    const shift = exp2 - e;
    const n = shift >= 0 ? num << BigInt(shift) : num;
    d = shift >= 0 ? den : den << BigInt(-shift);
    q = n / d;
    r = n - q * d;
    if (q >= MANT_LIMIT) {
      e++;
      continue;
    }
    break;
  }
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) {
    q++;
    if (q === MANT_LIMIT) {
      q = MANT_MIN;
      e++;
    }
  }
  if (q === 0n) return zero(neg);
  if (e > MAX_EXP) return { kind: 'inf', neg };
  return { kind: 'finite', neg, mant: q, exp: e };
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/** C isspace() in the C locale. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/** The bytes, ASCII-lower-cased, as a string (for the "inf" words). */
function lowerText(bytes: Uint8Array, start: number): string {
  let s = '';
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    s += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
  }
  return s;
}

/** Decimal exponents beyond this saturate: any nonzero value is then far out of range. */
const EXP_SATURATE = 1_000_000_000;

/**
 * Reads an exponent's digits from `at`: [+-]digits. Returns null when no
 * digit follows (strtold then stops before the exponent letter).
 */
function readExponent(bytes: Uint8Array, at: number): { value: number; end: number } | null {
  let i = at;
  let neg = false;
  if (bytes[i] === 0x2b || bytes[i] === 0x2d) {
    neg = bytes[i] === 0x2d;
    i++;
  }
  if (i >= bytes.length || !isDigit(bytes[i])) return null;
  let value = 0;
  for (; i < bytes.length && isDigit(bytes[i]); i++) {
    value = Math.min(EXP_SATURATE, value * 10 + (bytes[i] - 0x30));
  }
  return { value: neg ? -value : value, end: i };
}

/**
 * string2ld: the whole byte string as a long double, or null when Redis
 * refuses it ("value is not a valid float").
 */
export function parseLongDouble(bytes: Uint8Array): LongDouble | null {
  const len = bytes.length;
  if (len === 0 || len >= MAX_LONG_DOUBLE_CHARS) return null;
  if (isSpace(bytes[0])) return null;
  let i = 0;
  let neg = false;
  if (bytes[i] === 0x2b || bytes[i] === 0x2d) {
    neg = bytes[i] === 0x2d;
    i++;
  }
  if (i >= len) return null;

  // "inf" and "infinity", any case; "nan..." is NaN, which string2ld refuses.
  const c = bytes[i] | 0x20;
  if (c === 0x69 /* i */ || c === 0x6e /* n */) {
    const word = lowerText(bytes, i);
    return word === 'inf' || word === 'infinity' ? { kind: 'inf', neg } : null;
  }

  // Hexadecimal: 0x, hex digits with an optional point, optional p exponent.
  if (bytes[i] === 0x30 && (bytes[i + 1] | 0x20) === 0x78 /* x */) {
    let j = i + 2;
    let mant = 0n;
    let digits = 0;
    let fracDigits = 0;
    let seenPoint = false;
    for (; j < len; j++) {
      const b = bytes[j];
      if (b === 0x2e && !seenPoint) {
        seenPoint = true;
        continue;
      }
      const h = hexDigit(b);
      if (h < 0) break;
      mant = mant * 16n + BigInt(h);
      digits++;
      if (seenPoint) fracDigits++;
    }
    // "0x" with no hex digit: strtold reads the "0" and stops at the 'x'.
    if (digits === 0) return null;
    let exp = 0;
    if (j < len && (bytes[j] | 0x20) === 0x70 /* p */) {
      const e = readExponent(bytes, j + 1);
      if (!e) return null;
      exp = e.value;
      j = e.end;
    }
    if (j !== len) return null;
    if (isGlibcUnderflowQuirk(mant, exp - 4 * fracDigits)) return null;
    return checkRange(mant, 1n, exp - 4 * fracDigits, neg, bitLength(mant) + exp - 4 * fracDigits);
  }

  // Decimal: digits with an optional point, optional e exponent.
  let j = i;
  let digitText = '';
  let digits = 0;
  let fracDigits = 0;
  let seenPoint = false;
  for (; j < len; j++) {
    const b = bytes[j];
    if (b === 0x2e && !seenPoint) {
      seenPoint = true;
      continue;
    }
    if (!isDigit(b)) break;
    digits++;
    if (seenPoint) fracDigits++;
    if (digitText !== '' || b !== 0x30) digitText += String.fromCharCode(b);
  }
  if (digits === 0) return null;
  let exp = 0;
  if (j < len && (bytes[j] | 0x20) === 0x65 /* e */) {
    const e = readExponent(bytes, j + 1);
    if (!e) return null;
    exp = e.value;
    j = e.end;
  }
  if (j !== len) return null;
  if (digitText === '') return zero(neg);
  // The digit count and exponent give the magnitude: 10^(m-1) <= value < 10^m.
  const tenExp = exp - fracDigits;
  const magnitude = digitText.length + tenExp;
  // The largest finite value is about 1.19e4932, the smallest denormal 3.6e-4951.
  if (magnitude > 4934) return null; // overflow: ERANGE with HUGE_VAL
  if (magnitude < -4952) return null; // underflow to zero: ERANGE with 0
  const n = BigInt(digitText);
  const v = tenExp >= 0 ? roundToFormat(neg, n * 10n ** BigInt(tenExp), 1n, 0) : roundToFormat(neg, n, 10n ** BigInt(-tenExp), 0);
  return v.kind === 'inf' || (v.kind === 'finite' && v.mant === 0n) ? null : v;
}

/**
 * glibc's strtold rounds one value wrongly: (2^64 + 1) * 2^-16510, just
 * above half the smallest denormal. In round_and_return (stdlib/strtod_l.c),
 * when the denormal shift equals the significand width the round bit is
 * replaced by the leading bit and the old round bit is dropped, so this value
 * reads as an exact tie and rounds to zero (ERANGE: string2ld refuses it)
 * where correct rounding gives the smallest denormal. Observed on the
 * oracle with 0x1.0000000000000001p-16446. A decimal spelling of the value
 * needs about 16500 digits, past string2ld's 5119-byte limit, so only the
 * hexadecimal form can reach it.
 */
function isGlibcUnderflowQuirk(mant: bigint, exp2: number): boolean {
  // Only values in [2^-16446, 2^-16445) can be it.
  if (mant === 0n || bitLength(mant) + exp2 !== -16445) return false;
  while ((mant & 1n) === 0n) {
    mant >>= 1n;
    exp2++;
  }
  return mant === MANT_LIMIT + 1n && exp2 === -16510;
}

/** Hex values: mant * 2^exp2, refused when out of range as strtold reports ERANGE. */
function checkRange(mant: bigint, den: bigint, exp2: number, neg: boolean, magnitude2: number): LongDouble | null {
  if (mant === 0n) return zero(neg);
  if (magnitude2 > 16385) return null;
  if (magnitude2 < -16447) return null;
  const v = roundToFormat(neg, mant, den, exp2);
  return v.kind === 'inf' || (v.kind === 'finite' && v.mant === 0n) ? null : v;
}

/** a + b in extended precision, as the x87 computes `value += incr`. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  if (a.kind === 'inf' && b.kind === 'inf') return a.neg === b.neg ? a : { kind: 'nan' };
  if (a.kind === 'inf') return a;
  if (b.kind === 'inf') return b;
  if (a.mant === 0n && b.mant === 0n) return zero(a.neg && b.neg);
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - e);
  const sb = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - e);
  const sum = sa + sb;
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return zero(false);
  return sum < 0n ? roundToFormat(true, -sum, 1n, e) : roundToFormat(false, sum, 1n, e);
}

/** ld2string(value, LD_STR_HUMAN) of a finite value. */
export function formatHuman(v: LongDouble): string {
  if (v.kind === 'nan') return 'nan';
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf';
  // |v| * 10^17, rounded to an integer, ties to even: the digits of %.17Lf.
  const scaled = v.mant * 10n ** 17n;
  let q: bigint;
  if (v.exp >= 0) {
    q = scaled << BigInt(v.exp);
  } else {
    const den = 1n << BigInt(-v.exp);
    q = scaled / den;
    const twice = (scaled - q * den) * 2n;
    if (twice > den || (twice === den && (q & 1n) === 1n)) q++;
  }
  const digits = q.toString().padStart(18, '0');
  let text = (v.neg ? '-' : '') + digits.slice(0, -17) + '.' + digits.slice(-17);
  // Remove trailing zeros after the point, then the point itself.
  let end = text.length;
  while (text.charCodeAt(end - 1) === 0x30) end--;
  if (text.charCodeAt(end - 1) === 0x2e) end--;
  text = text.slice(0, end);
  return text === '-0' ? '0' : text;
}

/** a * b in extended precision, as the x87 computes it: the exact product rounded once. */
export function mulLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  const neg = a.neg !== b.neg;
  if (a.kind === 'inf' || b.kind === 'inf') {
    // inf * 0 is NaN.
    if ((a.kind === 'finite' && a.mant === 0n) || (b.kind === 'finite' && b.mant === 0n)) return { kind: 'nan' };
    return { kind: 'inf', neg };
  }
  return roundToFormat(neg, a.mant * b.mant, 1n, a.exp + b.exp);
}

const LLONG_MIN = -(1n << 63n);
const LLONG_MAX = (1n << 63n) - 1n;

/**
 * (long long) ceill(v): rounded up to an integer, then converted as the x87
 * does it (FISTP): a value outside the long long range, an infinity or a
 * NaN becomes LLONG_MIN, the "integer indefinite".
 */
export function ceilToLongLong(v: LongDouble): bigint {
  if (v.kind !== 'finite') return LLONG_MIN;
  let n: bigint;
  if (v.exp >= 0) {
    n = v.mant << BigInt(v.exp);
  } else {
    const whole = v.mant >> BigInt(-v.exp);
    const exact = whole << BigInt(-v.exp) === v.mant;
    // Up for a positive fraction; toward zero (which is up) for a negative one.
    n = v.neg ? whole : exact ? whole : whole + 1n;
  }
  if (v.neg) n = -n;
  return n < LLONG_MIN || n > LLONG_MAX ? LLONG_MIN : n;
}
