// Values are bytes. These helpers convert between the byte arrays the engine
// keeps and the few JavaScript strings it needs (command names, reply texts).

/**
 * Encodes text as UTF-8 bytes. Written here rather than with TextEncoder,
 * which is a host API outside the ECMAScript library the engine is held to.
 * A lone surrogate becomes U+FFFD, as TextEncoder does.
 */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes bytes one char per byte, so every byte value survives the trip. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  // Chunked so that large values do not exceed the argument limit of apply().
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

/** Encodes a string of chars 0..255 back into the bytes latin1() came from. */
export function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** ASCII lower-casing of a command name, as strcasecmp compares them. */
export function lowerAscii(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    out += String.fromCharCode(b >= 0x41 && b <= 0x5a ? b + 32 : b);
  }
  return out;
}

/** The bytes up to the first NUL, as a C string would see them. */
export function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses a whole byte range as a signed 64-bit decimal the way Redis's
 * string2ll does: no spaces, no '+', no leading zeros, no "-0".
 * Returns null when Redis would refuse it. Values beyond 2^53 lose
 * precision but keep their sign and range check (BigInt is used for those).
 */
export function string2ll(bytes: Uint8Array, start = 0, end = bytes.length): number | bigint | null {
  const len = end - start;
  if (len === 0 || len > 20) return null;
  if (len === 1 && bytes[start] === 0x30) return 0;
  let i = start;
  let negative = false;
  if (bytes[i] === 0x2d) {
    negative = true;
    i++;
    if (i === end) return null;
  }
  if (bytes[i] < 0x31 || bytes[i] > 0x39) return null;
  let value = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  if (value <= Number.MAX_SAFE_INTEGER) return negative ? -value : value;
  // Slow path for the few values near the 64-bit limits.
  const big = BigInt(latin1(bytes, negative ? start + 1 : start, end));
  if (negative ? big > 9223372036854775808n : big > 9223372036854775807n) return null;
  return negative ? -big : big;
}

/** sdscatrepr: a quoted, escaped rendering of bytes (isprint in the C locale). */
export function repr(bytes: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    switch (b) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '\\x' + b.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

const LLONG_MAX_BIG = (1n << 63n) - 1n;
const LLONG_MIN_BIG = -(1n << 63n);
/** C isspace() and isdigit() in the C locale. */
const isCSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
const isCDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/**
 * strtoll(s, &end, base) on a C string: leading white space and a sign
 * allowed, the value saturated at LLONG_MIN_BIG/LLONG_MAX_BIG (ERANGE), and the
 * index where reading stopped (0 when there were no digits at all).
 */
export function strtoll(bytes: Uint8Array, base: 8 | 10 = 10): { value: bigint; end: number } {
  const s = cString(bytes);
  let i = 0;
  while (i < s.length && isCSpace(s[i])) i++;
  let negative = false;
  if (s[i] === 0x2b || s[i] === 0x2d) {
    negative = s[i] === 0x2d;
    i++;
  }
  const first = i;
  let value = 0n;
  const B = BigInt(base);
  while (i < s.length && isCDigit(s[i]) && s[i] - 0x30 < base) {
    value = value * B + BigInt(s[i] - 0x30);
    i++;
  }
  if (i === first) return { value: 0n, end: 0 };
  if (negative) value = -value;
  if (value > LLONG_MAX_BIG) value = LLONG_MAX_BIG;
  if (value < LLONG_MIN_BIG) value = LLONG_MIN_BIG;
  return { value, end: i };
}

/** C's atoi: optional spaces and sign, then digits up to the first other character; 0 without digits; wraps as an int. */
export function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]!))) : 0;
}

/** C's atoll / strtol on 64 bits: the same digits as a long long (beyond 2^53 only approximately). */
export function atoll(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m ? Number(BigInt.asIntN(64, BigInt(m[1]!))) : 0;
}
