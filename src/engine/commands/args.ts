// Reading numeric arguments the way object.c's get*FromObjectOrReply
// functions do, with their exact error replies.

import { cString, lowerAscii, string2ll } from '../bytes.ts';
import { Err } from '../errors.ts';

/** A parsed value, or the error text to reply with. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** getLongLongFromObjectOrReply: a signed 64-bit integer (bigint beyond 2^53). */
export function parseLongLong(bytes: Uint8Array): Parsed<number | bigint> {
  const v = string2ll(bytes);
  return v === null ? { ok: false, error: Err.notInteger } : { ok: true, value: v };
}

/** getRangeLongFromObjectOrReply / getIntFromObjectOrReply: an integer within [min, max]. */
export function parseRange(bytes: Uint8Array, min: number, max: number): Parsed<number> {
  const v = string2ll(bytes);
  if (v === null) return { ok: false, error: Err.notInteger };
  if (v < min || v > max) return { ok: false, error: Err.outOfRange(min, max) };
  return { ok: true, value: Number(v) };
}

/** getIntFromObjectOrReply. */
export function parseInt32(bytes: Uint8Array): Parsed<number> {
  return parseRange(bytes, INT_MIN, INT_MAX);
}

/**
 * The options after LMPOP's and ZMPOP's LEFT|RIGHT or MIN|MAX, from argv
 * index `from`: at most one COUNT n (n from 1 to LONG_MAX, clamped beyond
 * 2^53: it only bounds a pop), anything else a syntax error. The count is
 * 1 without the option.
 */
export function parseMpopCount(argv: readonly Uint8Array[], from: number): Parsed<number> {
  let count = -1;
  for (let j = from; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (count === -1 && lowerAscii(cString(argv[j])) === 'count' && moreArgs > 0) {
      const v = string2ll(argv[++j]);
      if (v === null || v < 1) return { ok: false, error: Err.countNotPositive };
      count = typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER;
    } else {
      return { ok: false, error: Err.syntax };
    }
  }
  return { ok: true, value: count === -1 ? 1 : count };
}

/**
 * LMPOP's and ZMPOP's arguments from numkeys at argv[numkeysIdx] (their
 * blocking forms have a timeout before it): numkeys (1 to LONG_MAX), the
 * keys, the word after them (LEFT|RIGHT, MIN|MAX: `where` reads it, null
 * for a syntax error), then the options parseMpopCount reads.
 */
export function parseMpop<T>(argv: readonly Uint8Array[], numkeysIdx: number, where: (arg: Uint8Array) => T | null): Parsed<{ keys: readonly Uint8Array[]; where: T; count: number }> {
  const numkeys = string2ll(argv[numkeysIdx]);
  if (numkeys === null || numkeys < 1) return { ok: false, error: Err.numkeysNotPositive };
  // Beyond the arguments there are: a huge numkeys is the same syntax error.
  const whereIdx = numkeysIdx + Number(numkeys) + 1;
  if (whereIdx >= argv.length) return { ok: false, error: Err.syntax };
  const w = where(argv[whereIdx]);
  if (w === null) return { ok: false, error: Err.syntax };
  const count = parseMpopCount(argv, whereIdx + 1);
  if (!count.ok) return count;
  return { ok: true, value: { keys: argv.slice(numkeysIdx + 1, whereIdx), where: w, count: count.value } };
}
