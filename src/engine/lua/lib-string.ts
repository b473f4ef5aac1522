// The string library of Lua 5.1 (lstrlib.c): byte strings, Lua patterns
// (classes of the C locale, %b, %f, captures and position captures, the
// same error messages) and string.format with C's conversions.

import { LuaTable } from './table.ts';
import { LuaFunction, typeName, type LuaValue } from './value.ts';
import { argError, callFromNative, index, luaLError, NATIVE_SITE, toStr } from './runtime.ts';
import { argCheck, checkInt, checkNumber, checkString, library, native, optInt, toInteger, type Native } from './args.ts';
import { formatFloat, type FloatConv } from './number.ts';

const MAXCAPTURES = 32;
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;
/** The largest string the engine builds (string.rep, gsub): beyond, "not enough memory". */
const MAX_STRING = 512 * 1024 * 1024;

function posrelat(pos: number, len: number): number {
  if (pos < 0) pos += len + 1;
  return pos >= 0 ? pos : 0;
}

// --- character classes (ctype in the C locale)

function isalpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isdigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function islower(c: number): boolean {
  return c >= 97 && c <= 122;
}
function isupper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isspace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function iscntrl(c: number): boolean {
  return c < 32 || c === 127;
}
function ispunct(c: number): boolean {
  return c > 32 && c < 127 && !isalpha(c) && !isdigit(c);
}
function isxdigit(c: number): boolean {
  return isdigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function matchClass(c: number, cl: number): boolean {
  let res: boolean;
  switch (cl | 0x20) {
    case 0x61: res = isalpha(c); break; // a
    case 0x63: res = iscntrl(c); break; // c
    case 0x64: res = isdigit(c); break; // d
    case 0x6c: res = islower(c); break; // l
    case 0x70: res = ispunct(c); break; // p
    case 0x73: res = isspace(c); break; // s
    case 0x75: res = isupper(c); break; // u
    case 0x77: res = isalpha(c) || isdigit(c); break; // w
    case 0x78: res = isxdigit(c); break; // x
    case 0x7a: res = c === 0; break; // z
    default: return cl === c;
  }
  return isupper(cl) ? !res : res;
}

class MatchState {
  level = 0;
  readonly capStart: number[] = [];
  readonly capLen: number[] = [];
  constructor(
    readonly src: string,
    readonly pat: string,
  ) {}

  private classEnd(p: number): number {
    const pat = this.pat;
    const c = pat.charCodeAt(p++);
    if (c === 0x25) {
      if (p >= pat.length) throw luaLError("malformed pattern (ends with '%')");
      return p + 1;
    }
    if (c === 0x5b) {
      if (pat.charCodeAt(p) === 0x5e) p++;
      do {
        if (p >= pat.length) throw luaLError("malformed pattern (missing ']')");
        const cc = pat.charCodeAt(p++);
        if (cc === 0x25 && p < pat.length) p++;
      } while (pat.charCodeAt(p) !== 0x5d);
      return p + 1;
    }
    return p;
  }

  private matchBracketClass(c: number, p: number, ec: number): boolean {
    const pat = this.pat;
    let sig = true;
    if (pat.charCodeAt(p + 1) === 0x5e) {
      sig = false;
      p++;
    }
    while (++p < ec) {
      const pc = pat.charCodeAt(p);
      if (pc === 0x25) {
        p++;
        if (matchClass(c, pat.charCodeAt(p))) return sig;
      } else if (pat.charCodeAt(p + 1) === 0x2d && p + 2 < ec) {
        p += 2;
        if (pc <= c && c <= pat.charCodeAt(p)) return sig;
      } else if (pc === c) return sig;
    }
    return !sig;
  }

  private singleMatch(s: number, p: number, ep: number): boolean {
    if (s >= this.src.length) return false;
    const c = this.src.charCodeAt(s);
    const pc = this.pat.charCodeAt(p);
    switch (pc) {
      case 0x2e:
        return true;
      case 0x25:
        return matchClass(c, this.pat.charCodeAt(p + 1));
      case 0x5b:
        return this.matchBracketClass(c, p, ep - 1);
      default:
        return pc === c;
    }
  }

  private matchBalance(s: number, p: number): number {
    const pat = this.pat;
    if (p + 1 >= pat.length) throw luaLError('unbalanced pattern');
    const src = this.src;
    if (s >= src.length || src.charCodeAt(s) !== pat.charCodeAt(p)) return -1;
    const b = pat.charCodeAt(p);
    const e = pat.charCodeAt(p + 1);
    let cont = 1;
    while (++s < src.length) {
      const c = src.charCodeAt(s);
      if (c === e) {
        if (--cont === 0) return s + 1;
      } else if (c === b) cont++;
    }
    return -1;
  }

  private maxExpand(s: number, p: number, ep: number): number {
    let i = 0;
    while (this.singleMatch(s + i, p, ep)) i++;
    while (i >= 0) {
      const res = this.match(s + i, ep + 1);
      if (res >= 0) return res;
      i--;
    }
    return -1;
  }

  private minExpand(s: number, p: number, ep: number): number {
    for (;;) {
      const res = this.match(s, ep + 1);
      if (res >= 0) return res;
      if (this.singleMatch(s, p, ep)) s++;
      else return -1;
    }
  }

  private startCapture(s: number, p: number, what: number): number {
    if (this.level >= MAXCAPTURES) throw luaLError('too many captures');
    this.capStart[this.level] = s;
    this.capLen[this.level] = what;
    this.level++;
    const res = this.match(s, p);
    if (res < 0) this.level--;
    return res;
  }

  private endCapture(s: number, p: number): number {
    const l = this.captureToClose();
    this.capLen[l] = s - this.capStart[l];
    const res = this.match(s, p);
    if (res < 0) this.capLen[l] = CAP_UNFINISHED;
    return res;
  }

  private captureToClose(): number {
    let level = this.level;
    for (level--; level >= 0; level--) if (this.capLen[level] === CAP_UNFINISHED) return level;
    throw luaLError('invalid pattern capture');
  }

  private checkCapture(l: number): number {
    l -= 0x31;
    if (l < 0 || l >= this.level || this.capLen[l] === CAP_UNFINISHED) throw luaLError('invalid capture index');
    return l;
  }

  private matchCapture(s: number, l: number): number {
    l = this.checkCapture(l);
    const len = this.capLen[l];
    const cap = this.src.substr(this.capStart[l], len);
    if (this.src.length - s >= len && this.src.substr(s, len) === cap) return s + len;
    return -1;
  }

  /** match: the end of the match of pattern[p..] at s, or -1. */
  match(s: number, p: number): number {
    const pat = this.pat;
    const src = this.src;
    for (;;) {
      if (p >= pat.length) return s;
      const pc = pat.charCodeAt(p);
      switch (pc) {
        case 0x28: // (
          if (pat.charCodeAt(p + 1) === 0x29) return this.startCapture(s, p + 2, CAP_POSITION);
          return this.startCapture(s, p + 1, CAP_UNFINISHED);
        case 0x29: // )
          return this.endCapture(s, p + 1);
        case 0x25: {
          const n = pat.charCodeAt(p + 1);
          if (n === 0x62) {
            // %b
            s = this.matchBalance(s, p + 2);
            if (s < 0) return -1;
            p += 4;
            continue;
          }
          if (n === 0x66) {
            // %f
            p += 2;
            if (pat.charCodeAt(p) !== 0x5b) throw luaLError("missing '[' after '%f' in pattern");
            const ep = this.classEnd(p);
            const prev = s === 0 ? 0 : src.charCodeAt(s - 1);
            const cur = s < src.length ? src.charCodeAt(s) : 0;
            if (this.matchBracketClass(prev, p, ep - 1) || !this.matchBracketClass(cur, p, ep - 1)) return -1;
            p = ep;
            continue;
          }
          if (isdigit(n)) {
            s = this.matchCapture(s, n);
            if (s < 0) return -1;
            p += 2;
            continue;
          }
          break;
        }
        case 0x24: // $
          if (p + 1 === pat.length) return s === src.length ? s : -1;
          break;
      }
      const ep = this.classEnd(p);
      const m = this.singleMatch(s, p, ep);
      switch (pat.charCodeAt(ep)) {
        case 0x3f: {
          // ?
          if (m) {
            const res = this.match(s + 1, ep + 1);
            if (res >= 0) return res;
          }
          p = ep + 1;
          continue;
        }
        case 0x2a: // *
          return this.maxExpand(s, p, ep);
        case 0x2b: // +
          return m ? this.maxExpand(s + 1, p, ep) : -1;
        case 0x2d: // -
          return this.minExpand(s, p, ep);
        default:
          if (!m) return -1;
          s++;
          p = ep;
      }
    }
  }

  /** get_onecapture: capture i (0 with no captures: the whole match). */
  capture(i: number, s: number, e: number): LuaValue {
    if (i >= this.level) {
      if (i === 0) return this.src.slice(s, e);
      throw luaLError('invalid capture index');
    }
    const l = this.capLen[i];
    if (l === CAP_UNFINISHED) throw luaLError('unfinished capture');
    if (l === CAP_POSITION) return this.capStart[i] + 1;
    return this.src.substr(this.capStart[i], l);
  }

  /** push_captures: the captures, or the whole match (when s >= 0) if there are none. */
  captures(s: number, e: number, wholeIfNone: boolean): LuaValue[] {
    const n = this.level === 0 && wholeIfNone ? 1 : this.level;
    const out: LuaValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.capture(i, s, e));
    return out;
  }
}

/** A pattern is read as a C string: it ends at its first NUL. */
function cPattern(p: string): string {
  const nul = p.indexOf('\0');
  return nul < 0 ? p : p.slice(0, nul);
}

const SPECIALS = /[\^$*+?.(\[%-]/;

function strFindAux(args: LuaValue[], find: boolean): LuaValue[] {
  const s = checkString(args, 1);
  const p = checkString(args, 2);
  let init = posrelat(optInt(args, 3, 1), s.length) - 1;
  if (init < 0) init = 0;
  else if (init > s.length) init = s.length;
  const pat = cPattern(p);
  const a4 = args[3];
  if (find && ((a4 !== undefined && a4 !== false) || !SPECIALS.test(pat))) {
    const at = s.indexOf(p, init);
    return at >= 0 ? [at + 1, at + p.length] : [undefined];
  }
  const anchor = pat.charCodeAt(0) === 0x5e;
  const ms = new MatchState(s, pat);
  let s1 = init;
  do {
    ms.level = 0;
    const e = ms.match(s1, anchor ? 1 : 0);
    if (e >= 0) {
      if (find) return [s1 + 1, e, ...ms.captures(-1, 0, false)];
      return ms.captures(s1, e, true);
    }
  } while (s1++ < s.length && !anchor);
  return [undefined];
}

function addValue(ms: MatchState, s: number, e: number, repl: LuaValue, whole: string): string {
  if (typeof repl === 'string' || typeof repl === 'number') {
    const news = toStr(repl)!;
    let out = '';
    for (let i = 0; i < news.length; i++) {
      const c = news.charCodeAt(i);
      if (c !== 0x25) {
        out += news[i];
        continue;
      }
      i++;
      const d = news.charCodeAt(i);
      if (!isdigit(d)) out += news[i] ?? '';
      else if (d === 0x30) out += whole;
      else {
        const cap = ms.capture(d - 0x31, s, e);
        out += typeof cap === 'number' ? String(cap) : (cap as string);
      }
    }
    return out;
  }
  const key = ms.capture(0, s, e);
  let v: LuaValue;
  if (repl instanceof LuaFunction) v = callFromNative(repl, ms.captures(s, e, true))[0];
  else v = index(repl, key, NATIVE_SITE, '');
  if (v === undefined || v === false) return whole;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return toStr(v)!;
  throw luaLError(`invalid replacement value (a ${typeName(v)})`);
}

function gsub(args: LuaValue[]): LuaValue[] {
  const src = checkString(args, 1);
  const p = checkString(args, 2);
  const repl = args[2];
  const maxN = optInt(args, 4, src.length + 1);
  const tr = typeName(repl);
  argCheck(tr === 'number' || tr === 'string' || tr === 'function' || tr === 'table', 3, 'string/function/table expected');
  const pat = cPattern(p);
  const anchor = pat.charCodeAt(0) === 0x5e;
  const ms = new MatchState(src, pat);
  let s = 0;
  let n = 0;
  const parts: string[] = [];
  let size = 0;
  while (n < maxN) {
    ms.level = 0;
    const e = ms.match(s, anchor ? 1 : 0);
    if (e >= 0) {
      n++;
      const piece = addValue(ms, s, e, repl, src.slice(s, e));
      parts.push(piece);
      size += piece.length;
    }
    if (e >= 0 && e > s) s = e;
    else if (s < src.length) {
      parts.push(src[s++]);
      size++;
    } else break;
    if (size > MAX_STRING) throw luaLError('not enough memory');
    if (anchor) break;
  }
  parts.push(src.slice(s));
  return [parts.join(''), n];
}

function gmatch(args: LuaValue[]): LuaValue[] {
  const s = checkString(args, 1);
  const pat = cPattern(checkString(args, 2));
  let start = 0;
  const iter = native('gmatch_aux', () => {
    const ms = new MatchState(s, pat);
    for (let src = start; src <= s.length; src++) {
      ms.level = 0;
      const e = ms.match(src, 0);
      if (e >= 0) {
        start = e === src ? e + 1 : e;
        return ms.captures(src, e, true);
      }
    }
    return [];
  });
  return [iter];
}

// --- string.format

/** Pads a converted number or string to its width as printf does. */
function pad(body: string, sign: string, flags: string, width: number, zeroAllowed: boolean): string {
  const total = sign.length + body.length;
  if (total >= width) return sign + body;
  const fill = width - total;
  if (flags.includes('-')) return sign + body + ' '.repeat(fill);
  if (flags.includes('0') && zeroAllowed) return sign + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + body;
}

/** %d %i %o %u %x %X %c on a long. */
function formatInt(conv: string, v: bigint, flags: string, width: number, prec: number): string {
  let sign = '';
  let digits: string;
  let prefix = '';
  if (conv === 'd' || conv === 'i') {
    if (v < 0n) {
      sign = '-';
      v = -v;
    } else if (flags.includes('+')) sign = '+';
    else if (flags.includes(' ')) sign = ' ';
    digits = v.toString();
  } else {
    const u = BigInt.asUintN(64, v);
    digits = conv === 'o' ? u.toString(8) : conv === 'u' ? u.toString() : u.toString(16);
    if (conv === 'X') digits = digits.toUpperCase();
    if (flags.includes('#')) {
      if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
      else if ((conv === 'x' || conv === 'X') && u !== 0n) prefix = conv === 'x' ? '0x' : '0X';
    }
  }
  if (prec >= 0) {
    if (prec === 0 && v === 0n && !(conv === 'o' && flags.includes('#'))) digits = '';
    digits = digits.padStart(prec, '0');
  }
  return pad(digits, sign + prefix, flags, width, prec < 0);
}

/** The text up to its first NUL (what strlen sees of sprintf's output). */
function cut(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * (unsigned long) of a double as gcc converts it on x86-64: below 2^63 through
 * a signed conversion, from 2^63 by subtracting it first and flipping the top
 * bit (so infinity and NaN give 0).
 */
function toUnsignedLong(d: number): bigint {
  const TOP = 9223372036854775808;
  if (d < TOP) return BigInt.asUintN(64, BigInt(toInteger(d)));
  return BigInt.asUintN(64, BigInt(toInteger(d - TOP))) ^ 0x8000000000000000n;
}

function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '"':
      case '\\':
        out += '\\' + c;
        break;
      case '\n':
        out += '\\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\0':
        out += '\\000';
        break;
      default:
        out += c;
    }
  }
  return out + '"';
}

function format(args: LuaValue[]): LuaValue[] {
  const fmt = checkString(args, 1);
  let arg = 1;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i++];
    if (c !== '%') {
      out += c;
      continue;
    }
    if (fmt[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (++arg > args.length) throw argError(arg, 'no value');
    // scanformat
    let flags = '';
    while (i < fmt.length && '-+ #0'.includes(fmt[i])) flags += fmt[i++];
    if (flags.length > 5) throw luaLError('invalid format (repeated flags)');
    let w = '';
    if (isdigit(fmt.charCodeAt(i))) w += fmt[i++];
    if (isdigit(fmt.charCodeAt(i))) w += fmt[i++];
    let p = '';
    let hasPrec = false;
    if (fmt[i] === '.') {
      hasPrec = true;
      i++;
      if (isdigit(fmt.charCodeAt(i))) p += fmt[i++];
      if (isdigit(fmt.charCodeAt(i))) p += fmt[i++];
    }
    if (isdigit(fmt.charCodeAt(i))) throw luaLError('invalid format (width or precision too long)');
    const width = w === '' ? 0 : Number(w);
    const prec = hasPrec ? (p === '' ? 0 : Number(p)) : -1;
    const conv = fmt[i++] ?? '';
    switch (conv) {
      case 'c': {
        // sprintf's output is added up to its first NUL (strlen): %c of 0 adds the padding only.
        const ch = String.fromCharCode(checkInt(args, arg) & 0xff);
        out += cut(pad(ch, '', flags, width, false));
        break;
      }
      case 'd':
      case 'i':
        out += formatInt(conv, BigInt(toInteger(checkNumber(args, arg))), flags, width, prec);
        break;
      case 'o':
      case 'u':
      case 'x':
      case 'X':
        out += formatInt(conv, toUnsignedLong(checkNumber(args, arg)), flags, width, prec);
        break;
      case 'e':
      case 'E':
      case 'f':
      case 'g':
      case 'G': {
        const d = checkNumber(args, arg);
        const text = formatFloat(d, conv as FloatConv, prec < 0 ? 6 : prec, flags);
        const neg = text[0] === '-' || text[0] === '+' || text[0] === ' ';
        out += pad(neg ? text.slice(1) : text, neg ? text[0] : '', flags, width, Number.isFinite(d));
        break;
      }
      case 'q':
        out += quoted(checkString(args, arg));
        break;
      case 's': {
        let s = checkString(args, arg);
        if (prec < 0 && s.length >= 100) {
          out += s;
          break;
        }
        const nul = s.indexOf('\0');
        if (nul >= 0) s = s.slice(0, nul); // sprintf's %s stops at a NUL
        if (prec >= 0) s = s.slice(0, prec);
        out += pad(s, '', flags, width, false);
        break;
      }
      default:
        throw luaLError(`invalid option '%${conv}' to 'format'`);
    }
  }
  return [out];
}

export function stringLibrary(): LuaTable {
  const fns: Record<string, Native> = {
    byte(args) {
      const s = checkString(args, 1);
      let posi = posrelat(optInt(args, 2, 1), s.length);
      let pose = posrelat(args[2] === undefined ? posi : checkInt(args, 3), s.length);
      if (posi <= 0) posi = 1;
      if (pose > s.length) pose = s.length;
      if (posi > pose) return [];
      const out: LuaValue[] = [];
      for (let i = posi - 1; i < pose; i++) out.push(s.charCodeAt(i));
      return out;
    },
    char(args) {
      let out = '';
      for (let i = 1; i <= args.length; i++) {
        const c = checkInt(args, i);
        argCheck(c >= 0 && c <= 255, i, 'invalid value');
        out += String.fromCharCode(c);
      }
      return [out];
    },
    dump() {
      // Lua bytecode does not exist in this interpreter.
      throw luaLError('unable to dump given function');
    },
    find: (args) => strFindAux(args, true),
    format,
    gfind: gmatch, // LUA_COMPAT_GFIND: gmatch under its old name
    gmatch,
    gsub,
    len(args) {
      return [checkString(args, 1).length];
    },
    lower(args) {
      return [checkString(args, 1).replace(/[A-Z]+/g, (m) => m.toLowerCase())];
    },
    match: (args) => strFindAux(args, false),
    rep(args) {
      const s = checkString(args, 1);
      const n = checkInt(args, 2);
      if (n <= 0 || s.length === 0) return [''];
      if (s.length * n > MAX_STRING) throw luaLError('not enough memory');
      return [s.repeat(n)];
    },
    reverse(args) {
      return [checkString(args, 1).split('').reverse().join('')];
    },
    sub(args) {
      const s = checkString(args, 1);
      const l = s.length;
      let start = posrelat(checkInt(args, 2), l);
      let end = posrelat(optInt(args, 3, -1), l);
      if (start < 1) start = 1;
      if (end > l) end = l;
      return [start <= end ? s.slice(start - 1, end) : ''];
    },
    upper(args) {
      return [checkString(args, 1).replace(/[a-z]+/g, (m) => m.toUpperCase())];
    },
  };
  return library(fns);
}
