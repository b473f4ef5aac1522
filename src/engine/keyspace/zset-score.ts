// Sorted set scores: C doubles (IEEE binary64, as JavaScript numbers are),
// read and printed exactly as redis-server 7.0.15 on glibc reads and prints
// them, because every score in a reply, a listpack and an RDB file is
// compared byte for byte with the real server.
//
// Reading: glibc's strtod in the C locale (strtod below): leading white
// space, a sign, decimal digits with a point and an exponent, hexadecimal
// ("0x1.8p3"), "inf"/"infinity" and "nan"/"nan(...)" in any case; the
// longest prefix that forms a number, correctly rounded (nearest, ties to
// even). Redis uses it three ways:
//  - string2d (util.c; ZADD and ZINCRBY scores, WEIGHTS): the whole string,
//    no leading space, not NaN, and not an ERANGE result that is +-HUGE_VAL
//    (overflow) or zero (underflow); a denormal result is accepted;
//  - zslParseRange (score ranges): a C string (it stops at a NUL byte) that
//    must be consumed to its end, NaN refused, overflow and underflow fine;
//  - zzlStrtod (a score stored as a string in a listpack): any prefix.
//
// Printing: "%.17g" (addReplyDouble), with glibc's exact decimal expansion
// rounded to 17 significant digits, ties to even; inf as "inf"/"-inf". A
// listpack stores a score as d2string does after double2ll (zzlInsertAt):
// an integer in [-2^62, 2^62] as that integer (so -0 becomes 0), anything
// else as its "%.17g" text or "inf"/"-inf" (listpackScore).

/** C isspace() in the C locale. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/** ASCII case-insensitive match of `word` at bytes[at]. */
function matchWord(bytes: Uint8Array, at: number, end: number, word: string): boolean {
  if (end - at < word.length) return false;
  for (let i = 0; i < word.length; i++) if ((bytes[at + i] | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** What strtod read. */
export interface Strtod {
  /** The value (0 when nothing was read). */
  readonly value: number;
  /** Where reading stopped (0 when nothing formed a number, as strtod sets endptr to the start). */
  readonly end: number;
  /** ERANGE: the result overflowed to +-HUGE_VAL or underflowed to zero. */
  readonly range: boolean;
}

const NOTHING: Strtod = { value: 0, end: 0, range: false };

/**
 * glibc strtod over bytes[0..end), which is read as a C string: a NUL byte
 * stops it, like any byte that cannot continue the number.
 */
export function strtod(bytes: Uint8Array, end = bytes.length): Strtod {
  let i = 0;
  while (i < end && isSpace(bytes[i])) i++;
  let neg = false;
  if (i < end && (bytes[i] === 0x2b || bytes[i] === 0x2d)) {
    neg = bytes[i] === 0x2d;
    i++;
  }
  const sign = neg ? -1 : 1;
  if (i >= end) return NOTHING;
  const c = bytes[i] | 0x20;
  if (c === 0x69 /* i */) {
    if (!matchWord(bytes, i, end, 'inf')) return NOTHING;
    const stop = matchWord(bytes, i, end, 'infinity') ? i + 8 : i + 3;
    return { value: sign * Infinity, end: stop, range: false };
  }
  if (c === 0x6e /* n */) {
    if (!matchWord(bytes, i, end, 'nan')) return NOTHING;
    let stop = i + 3;
    // "nan(n-char-sequence)": letters, digits and '_' up to a closing parenthesis.
    if (stop < end && bytes[stop] === 0x28) {
      let j = stop + 1;
      while (j < end && (isDigit(bytes[j]) || ((bytes[j] | 0x20) >= 0x61 && (bytes[j] | 0x20) <= 0x7a) || bytes[j] === 0x5f)) j++;
      if (j < end && bytes[j] === 0x29) stop = j + 1;
    }
    return { value: NaN, end: stop, range: false };
  }
  if (bytes[i] === 0x30 && i + 1 < end && (bytes[i + 1] | 0x20) === 0x78) {
    const hex = readHex(bytes, i + 2, end, neg);
    // "0x" with no hex digit after it reads as the "0" alone.
    return hex ?? { value: neg ? -0 : 0, end: i + 1, range: false };
  }
  return readDecimal(bytes, i, end, neg) ?? NOTHING;
}

/** An exponent's [+-]digits at `at`, or null when no digit follows (strtod then stops before the letter). */
function readExponent(bytes: Uint8Array, at: number, end: number): { value: number; end: number } | null {
  let i = at;
  let neg = false;
  if (i < end && (bytes[i] === 0x2b || bytes[i] === 0x2d)) {
    neg = bytes[i] === 0x2d;
    i++;
  }
  if (i >= end || !isDigit(bytes[i])) return null;
  let value = 0;
  for (; i < end && isDigit(bytes[i]); i++) value = Math.min(1e9, value * 10 + (bytes[i] - 0x30));
  return { value: neg ? -value : value, end: i };
}

/**
 * Decimal digits with an optional point, then an optional exponent, from
 * `start` (after the sign). The conversion itself is JavaScript's Number()
 * of the same text, which rounds correctly as glibc does; the text is
 * rebuilt around the significant digits only when an exponent is so large
 * that Number() would read it differently from strtod.
 */
function readDecimal(bytes: Uint8Array, start: number, end: number, neg: boolean): Strtod | null {
  let i = start;
  let seen = 0;
  let nonzero = false;
  let afterPoint = false;
  /** The decimal exponent of the first nonzero digit, plus one (before the exponent part). */
  let magnitude = 0;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b === 0x2e && !afterPoint) {
      afterPoint = true;
      continue;
    }
    if (!isDigit(b)) break;
    seen++;
    if (b !== 0x30) nonzero = true;
    if (nonzero && !afterPoint) magnitude++;
    else if (!nonzero && afterPoint) magnitude--;
  }
  if (seen === 0) return null;
  const mantissaEnd = i;
  let exp = 0;
  if (i < end && (bytes[i] | 0x20) === 0x65) {
    const e = readExponent(bytes, i + 1, end);
    if (e) {
      exp = e.value;
      i = e.end;
    }
  }
  const zero = neg ? -0 : 0;
  if (!nonzero) return { value: zero, end: i, range: false };
  let text = '';
  for (let j = start; j < mantissaEnd; j++) text += String.fromCharCode(bytes[j]);
  // Far beyond the doubles' range (1e308 down to 5e-324), strtod saturates.
  if (magnitude + exp > 400) return { value: neg ? -Infinity : Infinity, end: i, range: true };
  if (magnitude + exp < -400) return { value: zero, end: i, range: true };
  const value = Number(`${neg ? '-' : ''}${text}e${exp}`);
  return { value, end: i, range: !Number.isFinite(value) || value === 0 };
}

function readHex(bytes: Uint8Array, start: number, end: number, neg: boolean): Strtod | null {
  let i = start;
  let mant = 0n;
  let digits = 0;
  let fracDigits = 0;
  let afterPoint = false;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b === 0x2e && !afterPoint) {
      afterPoint = true;
      continue;
    }
    const h = hexValue(b);
    if (h < 0) break;
    mant = mant * 16n + BigInt(h);
    digits++;
    if (afterPoint) fracDigits++;
  }
  if (digits === 0) return null;
  let exp = 0;
  if (i < end && (bytes[i] | 0x20) === 0x70) {
    const e = readExponent(bytes, i + 1, end);
    if (e) {
      exp = e.value;
      i = e.end;
    }
  }
  const value = binaryToDouble(mant, exp - 4 * fracDigits);
  const signed = neg ? -value : value;
  return { value: signed, end: i, range: mant !== 0n && (value === 0 || value === Infinity) };
}

/** mant * 2^exp2 rounded to a double (nearest, ties to even), denormals and overflow included. */
function binaryToDouble(mant: bigint, exp2: number): number {
  if (mant === 0n) return 0;
  const bits = mant.toString(2).length;
  const top = bits - 1 + exp2; // the exponent of the leading bit
  if (top > 1100) return Infinity;
  if (top < -1100) return 0;
  // Keep 53 bits, fewer for a denormal (whose lowest bit is 2^-1074).
  const keep = Math.min(53, top + 1075);
  let q: bigint;
  let e: number;
  if (keep <= 0) {
    // Under 2^-1074: above half of it rounds up to it; exactly half (a
    // power of two) is a tie that goes to the even 0.
    return top === -1075 && (mant & (mant - 1n)) !== 0n ? 2 ** -1074 : 0;
  }
  const shift = bits - keep;
  if (shift > 0) {
    q = mant >> BigInt(shift);
    const rest = mant & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
    e = exp2 + shift;
  } else {
    q = mant;
    e = exp2;
  }
  let x = Number(q);
  // Scale in steps that stay exact: the result itself is representable.
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  return x * 2 ** e;
}

/**
 * string2d (util.c): the whole string as a score, or null for "value is not
 * a valid float": empty, a leading space, bytes left over (a NUL byte too),
 * NaN, or an overflow or underflow.
 */
export function string2d(bytes: Uint8Array): number | null {
  if (bytes.length === 0 || isSpace(bytes[0])) return null;
  // The common case first: a short decimal integer.
  if (bytes.length <= 15) {
    let v = 0;
    let i = bytes[0] === 0x2d ? 1 : 0;
    if (i < bytes.length) {
      for (; i < bytes.length && isDigit(bytes[i]); i++) v = v * 10 + (bytes[i] - 0x30);
      if (i === bytes.length) return bytes[0] === 0x2d ? -v : v;
    }
  }
  const r = strtod(bytes);
  if (r.end !== bytes.length || r.range || Number.isNaN(r.value)) return null;
  return r.value;
}

/** zzlStrtod: a score read back from a listpack string (at most 127 bytes of it). */
export function listpackStrtod(bytes: Uint8Array): number {
  return strtod(bytes, Math.min(bytes.length, 127)).value;
}

/** 2^62: (double)(LLONG_MAX/2), double2ll's bound. */
const LL_HALF = 4611686018427387904;

/** double2ll (util.c): the integer a score is stored as in a listpack, or null. */
export function double2ll(d: number): number | null {
  if (!(d >= -LL_HALF && d <= LL_HALF) || !Number.isInteger(d)) return null;
  return d === 0 ? 0 : d;
}

/**
 * The text a listpack holds for a score (zzlInsertAt): an integer's digits
 * (lpAppend stores them as an integer entry), else d2string's "%.17g".
 */
export function listpackScore(d: number): string {
  const ll = double2ll(d);
  if (ll !== null) return Math.abs(ll) <= Number.MAX_SAFE_INTEGER ? String(ll) : BigInt(ll).toString();
  return formatScore(d);
}

/**
 * "%.17g" of a double as glibc prints it; "inf", "-inf", "nan" for the
 * others (addReplyDouble prints infinities the same way).
 */
export function formatScore(d: number): string {
  if (d === 0) return 1 / d < 0 ? '-0' : '0';
  // An integer of up to 17 digits prints whole and exactly (String()
  // gives the shortest round-trip digits instead beyond 2^53).
  if (Number.isInteger(d) && Math.abs(d) < 1e17) return Math.abs(d) <= Number.MAX_SAFE_INTEGER ? String(d) : BigInt(d).toString();
  if (!Number.isFinite(d)) return Number.isNaN(d) ? 'nan' : d > 0 ? 'inf' : '-inf';
  const tie = tieDigits(d);
  if (tie) return formatG(d < 0, tie.digits, tie.exp);
  // toExponential rounds exactly, half away from zero: only an exact tie
  // can differ from glibc's half to even, and tieDigits handles those.
  const text = Math.abs(d).toExponential(16);
  const e = text.indexOf('e');
  return formatG(d < 0, text[0] + text.slice(2, e), Number(text.slice(e + 1)));
}

/**
 * For a double whose exact decimal expansion has exactly 18 significant
 * digits (the 18th then is a 5: a tie at 17 digits), the 17 digits glibc
 * prints (rounded to even) and the decimal exponent; null otherwise. Only a
 * value with at most 25 fractional bits can have so few digits.
 */
function tieDigits(d: number): { digits: string; exp: number } | null {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let mant = BigInt(hi & 0xfffff) * 0x100000000n + BigInt(lo);
  let exp2 = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mant += 1n << 52n;
  while ((mant & 1n) === 0n) {
    mant >>= 1n;
    exp2++;
  }
  const fracBits = -exp2;
  if (fracBits < 1 || fracBits > 25) return null;
  // d = mant / 2^n = mant * 5^n / 10^n: the digits of mant * 5^n are its significant digits.
  const all = (mant * 5n ** BigInt(fracBits)).toString();
  if (all.length !== 18) return null;
  let kept = BigInt(all.slice(0, 17));
  if ((kept & 1n) === 1n) kept++;
  let exp = all.length - 1 - fracBits;
  let digits = kept.toString();
  if (digits.length > 17) {
    digits = digits.slice(0, 17);
    exp++;
  }
  return { digits, exp };
}

/** %g with precision 17 from 17 significant digits and the decimal exponent of the first. */
function formatG(neg: boolean, digits: string, exp: number): string {
  let last = digits.length;
  while (last > 1 && digits.charCodeAt(last - 1) === 0x30) last--;
  const s = digits.slice(0, last);
  let out: string;
  if (exp < -4 || exp >= 17) {
    const e = Math.abs(exp);
    out = s[0] + (s.length > 1 ? '.' + s.slice(1) : '') + (exp < 0 ? 'e-' : 'e+') + (e < 10 ? '0' + e : String(e));
  } else if (exp >= 0) {
    const int = s.length > exp + 1 ? s.slice(0, exp + 1) : s.padEnd(exp + 1, '0');
    const frac = s.slice(exp + 1);
    out = frac === '' ? int : int + '.' + frac;
  } else {
    out = '0.' + '0'.repeat(-exp - 1) + s;
  }
  return neg ? '-' + out : out;
}
