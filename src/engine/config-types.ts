// How CONFIG SET reads a value and CONFIG GET prints it, type by type, as
// config.c of Redis 7.0.15 does: the generic types (bool, enum, numeric,
// string) and the "special" parameters that have a setter and a getter of
// their own (save, client-output-buffer-limit, ...). The table of parameters
// is in config-table.ts; the per-node values and the CONFIG GET/SET
// algorithms are in config-values.ts.
//
// Values arrive as the bytes of the command argument. Most setters in
// config.c read them as C strings (strcasecmp, strtoll, zstrdup), so they
// see the argument cut at its first NUL byte; the few that read the sds
// (string2ll, string2d, sds configs) see all of it. Each function says which.

import { cString, latin1, lowerAscii, string2ll, strtoll } from './bytes.ts';

export { strtoll };
import { Err } from './errors.ts';

/** A value read from an argument, or the error text after "CONFIG SET failed (...) - ". */
export type ConfigResult<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): ConfigResult<T> => ({ ok: true, value });
const fail = <T>(error: string): ConfigResult<T> => ({ ok: false, error });

// --- C library behaviour the setters rely on

const LLONG_MAX = (1n << 63n) - 1n;
const LLONG_MIN = -(1n << 63n);
const ULLONG_MAX = (1n << 64n) - 1n;

/** isspace() in the C locale. */
const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
const isDigit = (b: number): boolean => b >= 0x30 && b <= 0x39;

/** strcasecmp(bytes, text) == 0 for a C string (the bytes are already cut at a NUL). */
export function caseEquals(bytes: Uint8Array, text: string): boolean {
  return lowerAscii(bytes) === text;
}

/**
 * sdssplitlen(value, " "): the words of a MULTI_ARG_CONFIG value, split at
 * every single space (two spaces make an empty word); an empty value has none.
 */
export function splitWords(value: Uint8Array): Uint8Array[] {
  if (value.length === 0) return [];
  const words: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === 0x20) {
      words.push(value.subarray(start, i));
      start = i + 1;
    }
  }
  words.push(value.subarray(start));
  return words;
}

/** strtoll with the check config.c makes after it: the whole C string was a number. */
function wholeStrtoll(bytes: Uint8Array): bigint | null {
  const s = cString(bytes);
  const { value, end } = strtoll(s);
  return end === s.length ? value : null;
}

const MEMORY_UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n * 1000n,
  mb: 1024n * 1024n,
  g: 1000n * 1000n * 1000n,
  gb: 1024n * 1024n * 1024n,
};

/**
 * memtoull (util.c) on a C string: digits then an optional unit (b, k, kb,
 * m, mb, g, gb, any case). No sign, no spaces. Quirks kept: no digits at all
 * reads as 0 ("" and "kb" are 0), a number beyond 2^64-1 saturates (strtoull)
 * and the product with the unit wraps around 2^64 unchecked.
 */
export function memtoull(bytes: Uint8Array): bigint | null {
  const s = cString(bytes);
  if (s[0] === 0x2d) return null;
  let u = 0;
  while (u < s.length && isDigit(s[u])) u++;
  const mul = MEMORY_UNITS[lowerAscii(s.subarray(u))];
  if (mul === undefined) return null;
  if (u >= 128) return null;
  let value = u === 0 ? 0n : BigInt(latin1(s, 0, u));
  if (value > ULLONG_MAX) value = ULLONG_MAX;
  return BigInt.asUintN(64, value * mul);
}

/**
 * string2d (util.c): the whole sds must be a double as strtod reads it in
 * the C locale, with no leading space, not NaN, and not out of range
 * (overflow, or an underflow to zero); null otherwise.
 */
export function string2d(bytes: Uint8Array): number | null {
  if (bytes.length === 0 || isSpace(bytes[0])) return null;
  const text = latin1(bytes);
  const dec = /^([+-]?)(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.exec(text);
  if (dec) {
    const v = Number(text);
    if (!Number.isFinite(v)) return null; // ERANGE, HUGE_VAL
    if (v === 0 && /[1-9]/.test(dec[2])) return null; // ERANGE, underflow to zero
    return v;
  }
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/.exec(text);
  if (hex) {
    const [whole, frac = ''] = hex[2].split('.');
    const mant = BigInt('0x' + (whole + frac || '0'));
    const exp = (hex[3] ? Number(hex[3].slice(1)) : 0) - 4 * frac.length;
    const v = Number(mant) * 2 ** exp;
    if (!Number.isFinite(v) || (v === 0 && mant !== 0n)) return null;
    return hex[1] === '-' ? -v : v;
  }
  return null; // NaN in any spelling, or not a number at all
}

/** sprintf("%f") then trimDoubleString: "99.900000" -> "99.9", "50.000000" -> "50". */
export function formatPlainDouble(v: number): string {
  let s = v.toFixed(6);
  if (Object.is(v, -0) || (v < 0 && !s.startsWith('-'))) s = '-' + s;
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

// --- bool

/** yesnotoi: "yes" or "no", any case, as a C string. */
export function parseBool(value: Uint8Array): ConfigResult<boolean> {
  const s = cString(value);
  if (caseEquals(s, 'yes')) return ok(true);
  if (caseEquals(s, 'no')) return ok(false);
  return fail(Err.configNotYesNo);
}

export const formatBool = (v: boolean): string => (v ? 'yes' : 'no');

// --- enum

/** An enum's names and values, in config.c's order (the order of its error message). */
export type EnumValues = readonly (readonly [name: string, value: number])[];

/**
 * configEnumGetValue: one name (any case, as a C string), or for a
 * MULTI_ARG enum (bitflags) one or more words whose values are OR-ed.
 */
export function parseEnum(values: EnumValues, words: readonly Uint8Array[], bitflags: boolean): ConfigResult<number> {
  let result = 0;
  if (words.length === 0 || (!bitflags && words.length !== 1)) return fail(enumError(values));
  for (const word of words) {
    const name = lowerAscii(cString(word));
    let matched = false;
    for (const [n, v] of values) {
      if (n === name) {
        result |= v;
        matched = true;
      }
    }
    if (!matched) return fail(enumError(values));
  }
  return ok(result);
}

function enumError(values: EnumValues): string {
  return Err.configEnumChoices(values.map(([n]) => n));
}

/**
 * configEnumGetName: the first name with exactly this value (so "relative"
 * reads back as "yes", its synonym listed first); for bitflags, the names of
 * the flags set, in table order, or "unknown".
 */
export function formatEnum(values: EnumValues, value: number, bitflags: boolean): string {
  const names: string[] = [];
  let unmatched = value;
  for (const [n, v] of values) {
    if (value === v) return n;
    if (bitflags && v !== 0 && v === (unmatched & v)) {
      names.push(n);
      unmatched &= ~v;
    }
  }
  return names.length === 0 || unmatched !== 0 ? 'unknown' : names.join(' ');
}

// --- numeric

/** The C type a numeric config is stored in: it decides the bound check. */
export type NumericType = 'int' | 'uint' | 'long' | 'ulong' | 'long-long' | 'ulong-long' | 'size_t' | 'ssize_t' | 'off_t' | 'time_t';

/** How a numeric config reads and prints (config.c's INTEGER/MEMORY/PERCENT/OCTAL_CONFIG). */
export type NumericUnit = 'integer' | 'memory' | 'memory-percent' | 'octal';

export interface NumericSpec {
  readonly ctype: NumericType;
  readonly unit: NumericUnit;
  readonly min: bigint;
  readonly max: bigint;
}

/**
 * numericBoundaryCheck compares these three as unsigned and every other
 * type (unsigned long included) as signed: slowlog-max-len -1 fails as a
 * signed value below 0, maxmemory 2^64-1 passes as an unsigned one.
 */
const UNSIGNED: ReadonlySet<NumericType> = new Set(['uint', 'ulong-long', 'size_t']);

/**
 * numericParseString then numericBoundaryCheck: the value as the C long
 * long Redis stores (a percentage as its negative). A memory config reads
 * memtoull, then a percentage "N%"; an octal one strtoll base 8; a plain one
 * string2ll on the whole argument. A memory value that is not one gets no
 * second chance as a plain integer.
 */
export function parseNumeric(spec: NumericSpec, value: Uint8Array): ConfigResult<bigint> {
  let ll: bigint | null = null;
  if (spec.unit === 'memory' || spec.unit === 'memory-percent') {
    const m = memtoull(value);
    if (m !== null) ll = BigInt.asIntN(64, m);
  }
  if (ll === null && spec.unit === 'memory-percent' && value.length > 1 && value[value.length - 1] === 0x25) {
    const p = string2ll(value, 0, value.length - 1);
    if (p !== null && p >= 0) ll = -BigInt(p);
  }
  if (ll === null && spec.unit === 'octal') {
    const s = cString(value);
    const { value: v, end } = strtoll(s, 8);
    if (end === s.length && v > LLONG_MIN && v < LLONG_MAX) ll = v;
  }
  if (ll === null && spec.unit === 'integer') {
    const v = string2ll(value);
    if (v !== null) ll = BigInt(v);
  }
  if (ll === null) {
    if (spec.unit === 'memory-percent') return fail(Err.configNotMemoryOrPercent);
    if (spec.unit === 'memory') return fail(Err.configNotMemory);
    if (spec.unit === 'octal') return fail(Err.configNotOctal);
    return fail(Err.configNotInteger);
  }
  if (UNSIGNED.has(spec.ctype)) {
    const u = BigInt.asUintN(64, ll);
    const lo = BigInt.asUintN(64, spec.min);
    const hi = BigInt.asUintN(64, spec.max);
    if (u > hi || u < lo) {
      return spec.unit === 'octal'
        ? fail(Err.configOutOfRange(lo.toString(8), hi.toString(8)))
        : fail(Err.configOutOfRange(String(lo), String(hi)));
    }
  } else if (spec.unit === 'memory-percent' && ll < 0) {
    if (ll < spec.min) return fail(Err.configPercentTooBig(-spec.min));
  } else if (ll > spec.max || ll < spec.min) {
    return fail(Err.configOutOfRange(String(spec.min), String(spec.max)));
  }
  return ok(ll);
}

/** numericConfigGet: "N%" for a percentage, a memory value as unsigned bytes (no unit), octal digits, or the integer. */
export function formatNumeric(spec: NumericSpec, v: bigint): string {
  if (spec.unit === 'memory-percent' && v < 0) return `${-v}%`;
  if (spec.unit === 'memory' || spec.unit === 'memory-percent') return BigInt.asUintN(64, v).toString();
  if (spec.unit === 'octal') return BigInt.asUintN(64, v).toString(8);
  return v.toString();
}

// --- special parameters: a setter and a getter of their own

/**
 * A special parameter's value is kept as the text CONFIG GET prints, which
 * its setter builds in canonical form (the engine reads it back from there
 * when it acts on the parameter).
 */
export interface SpecialCodec {
  /** setXxxOption: the words of the value (one word unless the parameter is MULTI_ARG), the current value. */
  set(words: readonly Uint8Array[], current: string): ConfigResult<string>;
  /** Whether setting the same value counts as a change (runs the onSet hook); config.c's special setters say so, but for oom-score-adj-values. */
  readonly unchangedIsChange: boolean;
}

/** save: "<seconds> <changes> ..." pairs; "" for none (setConfigSaveOption). */
export const SAVE: SpecialCodec = {
  unchangedIsChange: true,
  set(words) {
    let w = words;
    if (w.length === 1 && cString(w[0]).length === 0) w = [];
    if (w.length % 2 !== 0) return fail(Err.configInvalidSave);
    const values: bigint[] = [];
    for (let j = 0; j < w.length; j++) {
      // strtoll with an end check: an empty word reads as 0 (a valid count of changes).
      const v = wholeStrtoll(w[j]);
      if (v === null || (j % 2 === 0 && v < 1n) || (j % 2 === 1 && v < 0n)) return fail(Err.configInvalidSave);
      values.push(v);
    }
    const parts: string[] = [];
    // seconds is a time_t, changes an int: truncated to 32 bits as C assigns it.
    for (let j = 0; j < values.length; j += 2) parts.push(`${values[j]} ${BigInt.asIntN(32, values[j + 1])}`);
    return ok(parts.join(' '));
  },
};

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const;

/** getClientTypeByName: the class index, 'master' (refused here), or null. */
function clientClass(word: Uint8Array): number | 'master' | null {
  const name = lowerAscii(cString(word));
  if (name === 'normal') return 0;
  if (name === 'slave' || name === 'replica') return 1;
  if (name === 'pubsub') return 2;
  if (name === 'master') return 'master';
  return null;
}

/**
 * client-output-buffer-limit: groups of "<class> <hard> <soft> <soft-seconds>";
 * classes not named keep their limits (updateClientOutputBufferLimit).
 */
export const CLIENT_OUTPUT_BUFFER_LIMIT: SpecialCodec = {
  unchangedIsChange: true,
  set(words, current) {
    if (words.length % 4 !== 0) return fail(Err.configObufArgCount);
    const limits = current.split(' ');
    const next = new Map<number, string>();
    for (let j = 0; j < words.length; j += 4) {
      const cls = clientClass(words[j]);
      if (cls === null || cls === 'master') return fail(Err.configObufClass);
      const hard = memtoull(words[j + 1]);
      const soft = memtoull(words[j + 2]);
      // strtoll into an int: truncated to 32 bits before the sign check.
      const s = cString(words[j + 3]);
      const { value, end } = strtoll(s);
      const seconds = BigInt.asIntN(32, value);
      if (hard === null || soft === null || seconds < 0n || end !== s.length) {
        return fail(Err.configObufValues);
      }
      next.set(cls, `${OBUF_CLASSES[cls]} ${hard} ${soft} ${seconds}`);
    }
    const out = OBUF_CLASSES.map((_, i) => next.get(i) ?? limits.slice(i * 4, i * 4 + 4).join(' '));
    return ok(out.join(' '));
  },
};

/** oom-score-adj-values: three integers in [-2000, 2000] (setConfigOOMScoreAdjValuesOption). */
export const OOM_SCORE_ADJ_VALUES: SpecialCodec = {
  unchangedIsChange: false,
  set(words) {
    if (words.length !== 3) return fail(Err.configWrongArgCount);
    const values: bigint[] = [];
    for (const w of words) {
      const v = wholeStrtoll(w);
      if (v === null || v < -2000n || v > 2000n) return fail(Err.configOomValues);
      values.push(v);
    }
    return ok(values.join(' '));
  },
};

/** notify-keyspace-events class characters and their bits (notify.c). */
export const NOTIFY = {
  K: 1 << 0, E: 1 << 1, g: 1 << 2, $: 1 << 3, l: 1 << 4, s: 1 << 5, h: 1 << 6, z: 1 << 7,
  x: 1 << 8, e: 1 << 9, t: 1 << 10, m: 1 << 11, d: 1 << 13, n: 1 << 14,
} as const;
/** 'A': every class but K, E, m (key miss) and n (new key). */
const NOTIFY_ALL = NOTIFY.g | NOTIFY.$ | NOTIFY.l | NOTIFY.s | NOTIFY.h | NOTIFY.z | NOTIFY.x | NOTIFY.e | NOTIFY.t | NOTIFY.d;

/** keyspaceEventsStringToFlags on a C string; null for a character it does not know. */
export function notifyFlags(bytes: Uint8Array): number | null {
  let flags = 0;
  for (const b of cString(bytes)) {
    const c = String.fromCharCode(b);
    if (c === 'A') flags |= NOTIFY_ALL;
    else if (Object.hasOwn(NOTIFY, c)) flags |= NOTIFY[c as keyof typeof NOTIFY];
    else return null;
  }
  return flags;
}

/** keyspaceEventsFlagsToString: A (or the classes), then K, E, m. */
export function notifyText(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) s += 'A';
  else for (const c of 'g$lshzxetdn') if (flags & NOTIFY[c as keyof typeof NOTIFY]) s += c;
  for (const c of 'KEm') if (flags & NOTIFY[c as keyof typeof NOTIFY]) s += c;
  return s;
}

/** notify-keyspace-events: one word of class characters, kept canonical ("KEA" reads back "AKE"). */
export const NOTIFY_KEYSPACE_EVENTS: SpecialCodec = {
  unchangedIsChange: true,
  set(words) {
    if (words.length !== 1) return fail(Err.configWrongArgCount);
    const flags = notifyFlags(words[0]);
    if (flags === null) return fail(Err.configNotifyClass);
    return ok(notifyText(flags));
  },
};

/** CONFIG_BINDADDR_MAX. */
const BIND_MAX = 16;

/** bind: up to 16 addresses; "" for none (setConfigBindOption). */
export const BIND: SpecialCodec = {
  unchangedIsChange: true,
  set(words) {
    if (words.length > BIND_MAX) return fail(Err.configTooManyBind);
    if (words.length === 1 && words[0].length === 0) return ok('');
    return ok(words.map((w) => latin1(cString(w))).join(' '));
  },
};

/**
 * replicaof: "<host> <port>", or "no one" for none (setConfigReplicaOfOption).
 * It is IMMUTABLE, so CONFIG SET never reaches this; CONFIG GET shows the
 * replication state live (config-table.ts).
 */
export const REPLICAOF: SpecialCodec = {
  unchangedIsChange: true,
  set(words) {
    if (words.length !== 2) return fail(Err.configWrongArgCount);
    if (caseEquals(cString(words[0]), 'no') && caseEquals(cString(words[1]), 'one')) return ok('');
    const s = cString(words[1]);
    const { value, end } = strtoll(s);
    // strtol into an int: masterport is an int.
    const port = BigInt.asIntN(32, value);
    if (port < 0n || port > 65535n || end !== s.length) return fail(Err.configInvalidMasterPort);
    return ok(`${latin1(cString(words[0]))} ${port}`);
  },
};

/** latency-tracking-info-percentiles: doubles in [0, 100]; "" for none. */
export const LATENCY_PERCENTILES: SpecialCodec = {
  unchangedIsChange: true,
  set(words) {
    if (words.length === 1 && words[0].length === 0) return ok('');
    const out: string[] = [];
    for (const w of words) {
      const v = string2d(w);
      if (v === null) return fail(Err.configPercentilesInvalid);
      if (v > 100 || v < 0) return fail(Err.configPercentilesRange);
      out.push(formatPlainDouble(v));
    }
    return ok(out.join(' '));
  },
};

/**
 * dir: chdir(2) then getcwd(3). The simulated node has no directory tree
 * (its disk is a flat set of files), so every directory exists: the path is
 * resolved against the current one and normalised as getcwd would print it.
 * It is PROTECTED, so CONFIG SET reaches this only with enable-protected-configs.
 */
export const DIR: SpecialCodec = {
  unchangedIsChange: true,
  set(words, current) {
    if (words.length !== 1) return fail(Err.configWrongArgCount);
    const path = latin1(cString(words[0]));
    if (path === '') return fail(Err.configNoSuchDirectory);
    const parts = path.startsWith('/') ? [] : current.split('/').filter(Boolean);
    for (const p of path.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') parts.pop();
      else parts.push(p);
    }
    return ok('/' + parts.join('/'));
  },
};
