// Reading numeric arguments the way object.c's get*FromObjectOrReply
// functions do, with their exact error replies.

import { string2ll } from '../bytes.ts';
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
