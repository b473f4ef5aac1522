// Numbers as Lua 5.1 in Redis reads and prints them: strtod's syntax
// (luaO_str2d: decimal, hexadecimal, inf and nan, spaces around) and glibc's
// printf conversions (%.14g for tostring, %.17g for redis.call arguments,
// and string.format's %e %f %g), exact: digits come from the double's exact
// decimal expansion, rounded half to even as glibc rounds.

/** isspace in the C locale. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const SPECIAL = /^([+-]?)(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)/i;

/**
 * strtod on the C string `s` (cut at its first NUL): the value and how many
 * characters it read (0: no conversion).
 */
export function strtod(s: string): { value: number; end: number } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const rest = s.slice(i);
  let m = HEX.exec(rest);
  if (m) {
    const [whole, sign, body, exp] = m;
    const dot = body.indexOf('.');
    const digits = body.replace('.', '');
    const fracDigits = dot < 0 ? 0 : body.length - dot - 1;
    let v = digits === '' ? 0 : Number(BigInt('0x' + digits)) * 2 ** (-4 * fracDigits);
    if (exp !== undefined) v *= 2 ** Number(exp);
    return { value: sign === '-' ? -v : v, end: i + whole.length };
  }
  m = DECIMAL.exec(rest);
  if (m) return { value: Number(m[0]), end: i + m[0].length };
  m = SPECIAL.exec(rest);
  if (m) {
    const nan = m[2][0].toLowerCase() === 'n';
    const v = nan ? NaN : Infinity;
    return { value: m[1] === '-' && !nan ? -v : v, end: i + m[0].length };
  }
  return { value: 0, end: 0 };
}

/** luaO_str2d: the whole string (but trailing spaces) is a number, or null. */
export function str2number(s: string): number | null {
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  const { value, end } = strtod(s);
  if (end === 0) return null;
  let i = end;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i === s.length ? value : null;
}

/** The exact decimal digits of |d| (finite, non-zero) and the power of ten of the first digit. */
function exactDigits(d: number): { digits: string; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  let mant = BigInt(hi & 0xfffff) * 0x100000000n + BigInt(lo);
  let e2 = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) mant += 1n << 52n;
  while (mant > 0n && (mant & 1n) === 0n) {
    mant >>= 1n;
    e2++;
  }
  if (e2 >= 0) {
    const digits = (mant << BigInt(e2)).toString();
    return { digits, exp: digits.length - 1 };
  }
  const digits = (mant * 5n ** BigInt(-e2)).toString();
  return { digits, exp: digits.length - 1 + e2 };
}

/** Rounds exact digits to `n` significant digits (n >= 0), half to even; may carry into a new first digit. */
function roundTo(digits: string, exp: number, n: number): { digits: string; exp: number } {
  if (digits.length <= n) return { digits: digits.padEnd(n, '0'), exp };
  const kept = digits.slice(0, n);
  const first = digits.charCodeAt(n) - 0x30;
  let up = first > 5;
  if (first === 5) {
    up = /[1-9]/.test(digits.slice(n + 1)) || (n > 0 && (kept.charCodeAt(n - 1) - 0x30) % 2 === 1);
  }
  if (!up) return { digits: kept, exp };
  if (n === 0) return { digits: '1', exp: exp + 1 };
  const bumped = (BigInt(kept) + 1n).toString();
  if (bumped.length > n) return { digits: bumped.slice(0, n), exp: exp + 1 };
  return { digits: bumped, exp };
}

function special(d: number, upper: boolean): string | null {
  if (Number.isNaN(d)) return upper ? '-NAN' : '-nan'; // x86's default NaN has its sign bit set
  if (!Number.isFinite(d)) return (d < 0 ? '-' : '') + (upper ? 'INF' : 'inf');
  return null;
}

function isNegative(d: number): boolean {
  return d < 0 || Object.is(d, -0);
}

/** %.<prec>e without sign handling: digits of |d|. */
function expBody(d: number, prec: number, alt: boolean, upper: boolean): string {
  let digits: string;
  let exp: number;
  if (d === 0) {
    digits = '0'.repeat(prec + 1);
    exp = 0;
  } else {
    const exact = exactDigits(d);
    ({ digits, exp } = roundTo(exact.digits, exact.exp, prec + 1));
  }
  const mant = digits[0] + (prec > 0 || alt ? '.' : '') + digits.slice(1);
  const e = Math.abs(exp);
  return mant + (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (e < 10 ? '0' + e : String(e));
}

/** %.<prec>f of |d|. */
function fixedBody(d: number, prec: number, alt: boolean): string {
  let int: string;
  let frac: string;
  if (d === 0) {
    int = '0';
    frac = '0'.repeat(prec);
  } else {
    const { digits, exp } = exactDigits(d);
    // Significant digits to keep: those down to 10^-prec.
    const n = exp + 1 + prec;
    if (n < 0) {
      int = '0';
      frac = '0'.repeat(prec);
    } else {
      const r = roundTo(digits, exp, n);
      const all = r.digits.padEnd(r.exp + 1 + prec, '0');
      if (r.exp >= 0) {
        int = all.slice(0, r.exp + 1);
        frac = all.slice(r.exp + 1);
      } else {
        int = '0';
        frac = ('0'.repeat(-r.exp - 1) + all).slice(0, prec).padEnd(prec, '0');
      }
    }
  }
  return int + (prec > 0 || alt ? '.' + frac : '');
}

/** %.<prec>g of |d|. */
function generalBody(d: number, prec: number, alt: boolean, upper: boolean): string {
  const p = prec === 0 ? 1 : prec;
  let x = 0;
  if (d !== 0) {
    const { digits, exp } = exactDigits(d);
    x = roundTo(digits, exp, p).exp;
  }
  let out: string;
  if (p > x && x >= -4) out = fixedBody(d, p - 1 - x, alt);
  else out = expBody(d, p - 1, alt, upper);
  if (!alt && out.includes('.')) {
    // Trailing zeros of the fraction go, and the point with them.
    const e = out.search(/[eE]/);
    const mant = e < 0 ? out : out.slice(0, e);
    const tail = e < 0 ? '' : out.slice(e);
    out = mant.replace(/\.?0+$/, '') + tail;
  }
  return out;
}

export type FloatConv = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/** A floating conversion of printf, with its sign ('+' or ' ' flags) and '#', without width. */
export function formatFloat(d: number, conv: FloatConv, prec: number, flags = ''): string {
  const upper = conv === 'E' || conv === 'G' || conv === 'F';
  const alt = flags.includes('#');
  const sp = special(d, upper);
  let body: string;
  let neg = isNegative(d);
  if (sp !== null) {
    neg = sp.startsWith('-');
    body = sp.replace('-', '');
  } else {
    const a = Math.abs(d);
    body = conv === 'e' || conv === 'E' ? expBody(a, prec, alt, upper) : conv === 'f' || conv === 'F' ? fixedBody(a, prec, alt) : generalBody(a, prec, alt, upper);
  }
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  return sign + body;
}

/** "%.14g": lua_number2str, what tostring and concatenation print. */
export function number2str(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) < 1e14) return Object.is(d, -0) ? '-0' : String(d);
  return formatFloat(d, 'g', 14);
}

/** "%.17g": how redis.call passes a number argument. */
export function number2str17(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) < 1e16) return Object.is(d, -0) ? '-0' : String(d);
  return formatFloat(d, 'g', 17);
}
