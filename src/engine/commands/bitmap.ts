// Bitmap commands (the "bitmap" group of COMMAND DOCS) on string values,
// following bitops.c of Redis 7.0.15: SETBIT, GETBIT, BITCOUNT, BITPOS and
// BITOP here, BITFIELD and BITFIELD_RO in bitfield.ts. Bit 0 is the most
// significant bit of the first byte; a string is read as if zero bytes
// followed it.
//
// Writes change the string in place (keyspace/unshared-string.ts), which
// makes it raw as dbUnshareStringValue does, even when no bit changed.
// Replication: SETBIT counts a change (and is propagated as it was sent)
// only when the string was created or grew or the bit flipped; BITOP
// always when it stored or deleted the destination.
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import type { CommandContext, Handler } from './context.ts';
import { parseLongLong, type Parsed } from './args.ts';
import { Err } from '../errors.ts';
import { cString, lowerAscii, string2ll } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import type { StringValue } from '../keyspace/value.ts';
import { commit, newUnshared, unshare, type UnsharedString } from '../keyspace/unshared-string.ts';

const ONE = new Uint8Array([0x3a, 0x31, 0x0d, 0x0a]); // :1\r\n
const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n

// --- helpers shared with bitfield.ts

/**
 * The byte holding a bit. Bit positions go past 2^31 (a 512 MB string has
 * 2^32 bits), beyond what JavaScript's 32-bit shifts keep.
 */
export const byteOf = (bit: number): number => Math.floor(bit / 8);

/**
 * getBitOffsetFromArgument: a bit offset, from 0 up to (but excluding) the
 * bits of a proto-max-bulk-len string, which Redis does not enforce on its
 * master's commands. With `bits` (BITFIELD), "#N" means N * bits, with the
 * product wrapping as the C's long long does.
 */
export function parseBitOffset(ctx: CommandContext, arg: Uint8Array, bits = 0): Parsed<number> {
  const hash = bits > 0 && arg[0] === 0x23; // '#'
  const parsed = string2ll(arg, hash ? 1 : 0);
  if (parsed === null) return { ok: false, error: Err.bitOffsetInvalid };
  let offset = BigInt(parsed);
  if (hash) offset = BigInt.asIntN(64, offset * BigInt(bits));
  if (offset < 0n || (!ctx.client.isMaster && offset >> 3n >= BigInt(ctx.node.config.protoMaxBulkLen))) {
    return { ok: false, error: Err.bitOffsetInvalid };
  }
  return { ok: true, value: Number(offset) };
}

/** A string value (or nothing) at argv[1] for reading; undefined after a WRONGTYPE error. */
export function lookupStringRead(ctx: CommandContext): StringValue | null | undefined {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[1]));
  if (value === undefined) return null;
  if (value.type !== 'string') {
    ctx.reply.error(Err.wrongType);
    return undefined;
  }
  return value;
}

/** A string being written by a bit command, and whether lookupStringForBitCommand created or grew it. */
export interface BitWrite {
  readonly s: UnsharedString;
  readonly grown: boolean;
  readonly created: boolean;
}

/**
 * lookupStringForBitCommand: the string at argv[1] made writable and at
 * least long enough to address bit `maxbit` (created zero-filled when
 * missing); null after a WRONGTYPE error. Finish with storeBitWrite.
 */
export function openForBitWrite(ctx: CommandContext, maxbit: number): BitWrite | null {
  const value = ctx.keyspace.lookupWrite(ctx.db, keyName(ctx.argv[1]));
  const length = byteOf(maxbit) + 1;
  if (value === undefined) return { s: newUnshared(length), grown: true, created: true };
  if (value.type !== 'string') {
    ctx.reply.error(Err.wrongType);
    return null;
  }
  const s = unshare(value);
  const before = s.length;
  s.growZero(length);
  return { s, grown: s.length !== before, created: false };
}

/** Stores what openForBitWrite opened (dbAdd for a new key, the TTL kept otherwise). */
export function storeBitWrite(ctx: CommandContext, w: BitWrite): void {
  commit(ctx.db, keyName(ctx.argv[1]), w.s, !w.created);
}

/** The number of bits set in each byte value. */
const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >> 1];

/** redisPopcount over bytes[start, end). */
function popcount(bytes: Uint8Array, start: number, end: number): number {
  let bits = 0;
  let i = start;
  // Whole 32-bit words where the buffer allows an aligned view (byte order does not matter here).
  while (i < end && (bytes.byteOffset + i) & 3) bits += BITS_IN_BYTE[bytes[i++]];
  const words = (end - i) >> 2;
  if (words > 16) {
    const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
    for (let w = 0; w < words; w++) {
      let v = view[w];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      bits += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
    }
    i += words * 4;
  }
  while (i < end) bits += BITS_IN_BYTE[bytes[i++]];
  return bits;
}

/**
 * The first bit equal to `bit` at a position in [from, to] (bit positions,
 * both within the string), or -1.
 */
function findBit(bytes: Uint8Array, from: number, to: number, bit: 0 | 1): number {
  const skip = bit ? 0 : 0xff;
  let pos = from;
  while (pos <= to) {
    if ((pos & 7) === 0 && pos + 7 <= to) {
      // A whole byte in range: skip it when it holds no such bit.
      let at = byteOf(pos);
      const last = byteOf(to + 1); // bytes [at, last) are wholly in range
      while (at < last && bytes[at] === skip) at++;
      pos = at * 8;
      if (at === last) continue;
    }
    const value = (bytes[byteOf(pos)] >> (7 - (pos & 7))) & 1;
    if (value === bit) return pos;
    pos++;
  }
  return -1;
}

// --- SETBIT and GETBIT

/** SETBIT key offset value: the bit's old value. */
const setbit: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const offset = parseBitOffset(ctx, argv[2]);
  if (!offset.ok) return reply.error(offset.error);
  const parsed = string2ll(argv[3]);
  if (parsed !== 0 && parsed !== 1) return reply.error(Err.bitValueInvalid);
  const on: number = parsed;
  const w = openForBitWrite(ctx, offset.value);
  if (!w) return;
  const byte = byteOf(offset.value);
  const shift = 7 - (offset.value % 8);
  const buf = w.s.buf;
  const old = (buf[byte] >> shift) & 1;
  const changed = w.grown || old !== on;
  if (changed) {
    buf[byte] = (buf[byte] & ~(1 << shift)) | (on << shift);
    ctx.node.dirty++;
  }
  storeBitWrite(ctx, w);
  if (changed) notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'setbit', ctx.argv[1], ctx.db.id);
  reply.raw(old ? ONE : ZERO);
};

/** GETBIT key offset */
const getbit: Handler = (ctx) => {
  const offset = parseBitOffset(ctx, ctx.argv[2]);
  if (!offset.ok) return ctx.reply.error(offset.error);
  const value = lookupStringRead(ctx);
  if (value === undefined) return;
  const byte = byteOf(offset.value);
  const bytes = value?.bytes;
  const bit = bytes && byte < bytes.length ? (bytes[byte] >> (7 - (offset.value % 8))) & 1 : 0;
  ctx.reply.raw(bit ? ONE : ZERO);
};

// --- BITCOUNT and BITPOS

/** BIT or BYTE as the range unit; null for anything else (a syntax error). */
function rangeUnit(arg: Uint8Array): boolean | null {
  const word = lowerAscii(cString(arg));
  return word === 'bit' ? true : word === 'byte' ? false : null;
}

/**
 * The range conversions both commands share: negative indexes from the
 * end, clamped to the string (in bits when isbit). Exact for any long long.
 */
function clampRange(start: bigint, end: bigint, total: bigint): [bigint, bigint] {
  if (start < 0n) start += total;
  if (end < 0n) end += total;
  if (start < 0n) start = 0n;
  if (end < 0n) end = 0n;
  if (end >= total) end = total - 1n;
  return [start, end];
}

/** BITCOUNT key [start end [BYTE|BIT]] */
const bitcount: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const value = lookupStringRead(ctx);
  if (value === undefined) return;
  if (value === null) return reply.raw(ZERO);
  const bytes = value.bytes;
  let from: number;
  let to: number; // bit positions, inclusive
  if (argv.length === 4 || argv.length === 5) {
    const s = parseLongLong(argv[2]);
    if (!s.ok) return reply.error(s.error);
    const e = parseLongLong(argv[3]);
    if (!e.ok) return reply.error(e.error);
    const start = BigInt(s.value);
    const end = BigInt(e.value);
    // Checked before the unit is read.
    if (start < 0n && end < 0n && start > end) return reply.raw(ZERO);
    let isbit = false;
    if (argv.length === 5) {
      const unit = rangeUnit(argv[4]);
      if (unit === null) return reply.error(Err.syntax);
      isbit = unit;
    }
    const [a, b] = clampRange(start, end, BigInt(bytes.length) * (isbit ? 8n : 1n));
    if (a > b) return reply.raw(ZERO);
    from = isbit ? Number(a) : Number(a) * 8;
    to = isbit ? Number(b) : Number(b) * 8 + 7;
  } else if (argv.length === 2) {
    if (bytes.length === 0) return reply.raw(ZERO);
    from = 0;
    to = bytes.length * 8 - 1;
  } else {
    return reply.error(Err.syntax);
  }
  const first = byteOf(from);
  const last = byteOf(to);
  let count = popcount(bytes, first, last + 1);
  // The bits of the edge bytes outside the range.
  count -= BITS_IN_BYTE[bytes[first] & ~(0xff >> (from & 7)) & 0xff];
  count -= BITS_IN_BYTE[bytes[last] & ((1 << (7 - (to & 7))) - 1)];
  reply.integer(count);
};

/** BITPOS key bit [start [end [BYTE|BIT]]] */
const bitpos: Handler = (ctx) => {
  const { argv, reply } = ctx;
  const parsedBit = parseLongLong(argv[2]);
  if (!parsedBit.ok) return reply.error(parsedBit.error);
  if (parsedBit.value !== 0 && parsedBit.value !== 1) return reply.error(Err.bitposBitArgument);
  const bit = parsedBit.value;
  // A missing key is an endless run of zeros.
  const value = lookupStringRead(ctx);
  if (value === undefined) return;
  if (value === null) return reply.integer(bit ? -1 : 0);
  const bytes = value.bytes;
  let start = 0n;
  let end = BigInt(bytes.length) - 1n;
  let isbit = false;
  let endGiven = false;
  if (argv.length >= 4 && argv.length <= 6) {
    const s = parseLongLong(argv[3]);
    if (!s.ok) return reply.error(s.error);
    start = BigInt(s.value);
    if (argv.length === 6) {
      const unit = rangeUnit(argv[5]);
      if (unit === null) return reply.error(Err.syntax);
      isbit = unit;
    }
    if (argv.length >= 5) {
      const e = parseLongLong(argv[4]);
      if (!e.ok) return reply.error(e.error);
      end = BigInt(e.value);
      endGiven = true;
    }
    [start, end] = clampRange(start, end, BigInt(bytes.length) * (isbit ? 8n : 1n));
  } else if (argv.length !== 3) {
    return reply.error(Err.syntax);
  }
  // An empty range holds neither a 0 nor a 1.
  if (start > end) return reply.integer(-1);
  const from = isbit ? Number(start) : Number(start) * 8;
  const to = isbit ? Number(end) : Number(end) * 8 + 7;
  const pos = findBit(bytes, from, to, bit);
  // Looking for a 0 without an end: the string goes on with zeros.
  if (pos === -1 && bit === 0 && !endGiven) return reply.integer(to + 1);
  reply.integer(pos);
};

// --- BITOP

const AND = 0;
const OR = 1;
const XOR = 2;
const NOT = 3;
const OPS: Record<string, number> = { and: AND, or: OR, xor: XOR, not: NOT };

/** BITOP AND|OR|XOR|NOT destkey key [key ...]: the length of the result. */
const bitop: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const op = OPS[lowerAscii(cString(argv[1]))];
  if (op === undefined) return reply.error(Err.syntax);
  if (op === NOT && argv.length !== 4) return reply.error(Err.bitopNotSingleKey);
  const sources: Uint8Array[] = [];
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const value = keyspace.lookupRead(db, keyName(argv[j]));
    if (value === undefined) {
      sources.push(EMPTY);
      continue;
    }
    if (value.type !== 'string') return reply.error(Err.wrongType);
    sources.push(value.bytes);
    if (value.bytes.length > maxlen) maxlen = value.bytes.length;
  }
  const target = keyName(argv[2]);
  if (maxlen > 0) {
    // Each source is read as if zero bytes followed it.
    const res = newUnshared(maxlen);
    const out = res.buf;
    out.set(sources[0]);
    if (op === NOT) {
      for (let i = 0; i < maxlen; i++) out[i] = ~out[i];
    }
    for (let j = 1; j < sources.length; j++) {
      const src = sources[j];
      if (op === AND) {
        for (let i = 0; i < src.length; i++) out[i] &= src[i];
        out.fill(0, src.length);
      } else if (op === OR) {
        for (let i = 0; i < src.length; i++) out[i] |= src[i];
      } else {
        for (let i = 0; i < src.length; i++) out[i] ^= src[i];
      }
    }
    // setKey: an expired destination is deleted (and that propagated) first; the TTL goes.
    keyspace.lookupWrite(db, target);
    commit(db, target, res, false);
    notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'set', ctx.argv[2], db.id);
    ctx.node.dirty++;
  } else if (db.delete(target)) {
    notifyKeyspaceEvent(ctx.node, NOTIFY.g, 'del', ctx.argv[2], db.id);
    ctx.node.dirty++;
  }
  reply.integer(maxlen);
};

const EMPTY = new Uint8Array(0);

export const bitmapHandlers: Record<string, Handler> = {
  setbit,
  getbit,
  bitcount,
  bitpos,
  bitop,
};
