// Stream entry IDs (stream.h streamID): a milliseconds part and a sequence
// part, both unsigned 64-bit. The engine holds an ID as one 128-bit bigint,
// ms * 2^64 + seq, whose order is the order of streamCompareID and of the
// 16-byte big-endian form Redis keys its radix trees with (streamEncodeID),
// so comparing, incrementing and encoding need no case analysis.
//
// Parsing follows streamGenericParseIDOrReply of t_stream.c (7.0.15): the
// argument is read as a C string (cut at its first NUL) of at most 127
// bytes; "-" and "+" are the smallest and largest IDs unless strict; each
// part is read by string2ull, which falls back on strtoull (so " 5", "+5"
// and "-0" are accepted, and " -1" wraps to 2^64-1, as on the oracle).

import { cString, fromLatin1, string2ll } from '../bytes.ts';

export type StreamId = bigint;

const U64 = 1n << 64n;
const MASK64 = U64 - 1n;
/** UINT64_MAX-UINT64_MAX: the largest ID. */
export const MAX_ID: StreamId = (U64 << 64n) - 1n;
/** The largest ms or seq part. */
export const UINT64_MAX = MASK64;

export function makeId(ms: bigint, seq: bigint): StreamId {
  return (ms << 64n) | seq;
}

export function idMs(id: StreamId): bigint {
  return id >> 64n;
}

export function idSeq(id: StreamId): bigint {
  return id & MASK64;
}

/** createStreamIDString: "<ms>-<seq>". */
export function formatId(id: StreamId): string {
  return `${id >> 64n}-${id & MASK64}`;
}

export function idBytes(id: StreamId): Uint8Array {
  return fromLatin1(formatId(id));
}

/** streamEncodeID: 16 bytes, big-endian ms then seq. */
export function encodeId(id: StreamId, out = new Uint8Array(16), at = 0): Uint8Array {
  let v = id;
  for (let i = 15; i >= 0; i--) {
    out[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** streamDecodeID. */
export function decodeId(bytes: Uint8Array, at = 0): StreamId {
  let hi = 0n;
  let lo = 0n;
  for (let i = 0; i < 8; i++) hi = (hi << 8n) | BigInt(bytes[at + i]);
  for (let i = 8; i < 16; i++) lo = (lo << 8n) | BigInt(bytes[at + i]);
  return (hi << 64n) | lo;
}

/** streamIncrID: the next ID, or null for the largest (Redis wraps it to 0-0 and fails). */
export function incrId(id: StreamId): StreamId | null {
  return id === MAX_ID ? null : id + 1n;
}

/** streamDecrID: the previous ID, or null for 0-0. */
export function decrId(id: StreamId): StreamId | null {
  return id === 0n ? null : id - 1n;
}

/** C isspace in the C locale. */
const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/** strtoull(s, &end, 10) over the whole C string: the value, or null unless every byte was read without overflow. */
function strtoull(s: Uint8Array, start: number, end: number): bigint | null {
  let i = start;
  while (i < end && isSpace(s[i])) i++;
  let negative = false;
  if (i < end && (s[i] === 0x2b || s[i] === 0x2d)) {
    negative = s[i] === 0x2d;
    i++;
  }
  const first = i;
  let v = 0n;
  let overflow = false;
  for (; i < end && s[i] >= 0x30 && s[i] <= 0x39; i++) {
    v = v * 10n + BigInt(s[i] - 0x30);
    if (v > MASK64) overflow = true;
  }
  // No digits: strtoull stops at the start, which is not the end of a non-empty string.
  if (i === first || i !== end || overflow) return null;
  return negative ? (U64 - v) & MASK64 : v;
}

/** string2ull: string2ll's strict form first, else strtoull; null when neither reads it all. */
function string2ull(s: Uint8Array, start: number, end: number): bigint | null {
  if (start === end) return null;
  const ll = string2ll(s, start, end);
  if (ll !== null) return ll < 0 ? null : BigInt(ll);
  return strtoull(s, start, end);
}

export interface ParsedId {
  readonly id: StreamId;
  /** False for the "<ms>-*" form (accepted only where asked for): the sequence is to be generated. */
  readonly seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply without the reply: null where Redis answers
 * "Invalid stream ID specified as stream command argument".
 * `missingSeq` is the sequence of an ID given as "<ms>" alone.
 */
export function parseStreamId(arg: Uint8Array, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (arg.length > 127) return null;
  const s = cString(arg);
  const one = s.length === 1;
  if (one && (s[0] === 0x2d || s[0] === 0x2b)) {
    if (strict) return null;
    return { id: s[0] === 0x2d ? 0n : MAX_ID, seqGiven: true };
  }
  const dash = s.indexOf(0x2d);
  const msEnd = dash < 0 ? s.length : dash;
  const ms = string2ull(s, 0, msEnd);
  if (ms === null) return null;
  if (dash < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  if (allowSeqStar && s.length - dash - 1 === 1 && s[dash + 1] === 0x2a) return { id: makeId(ms, 0n), seqGiven: false };
  const seq = string2ull(s, dash + 1, s.length);
  if (seq === null) return null;
  return { id: makeId(ms, seq), seqGiven: true };
}
