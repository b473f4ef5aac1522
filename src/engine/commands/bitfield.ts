// BITFIELD and BITFIELD_RO, following bitfieldGeneric in bitops.c of Redis
// 7.0.15: every operation is parsed (and any error sent) before the key is
// looked at; then they run in order on the string, grown once to the
// farthest bit a SET or INCRBY reaches (even when every one of them then
// fails with OVERFLOW FAIL, which leaves the key created or grown but counts
// no change, so nothing is propagated).
//
// Integers are signed (i1..i64) or unsigned (u1..u63), big endian at any bit
// offset. The overflow checks are the C's to the bit, 64-bit wrap-arounds
// included (SET i8 with a value within 127 of INT64_MIN saturates to +127
// under OVERFLOW SAT there, and so here), so the arithmetic is in BigInt
// reduced to 64 bits where the C's is.
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import type { CommandContext, Handler } from './context.ts';
import { parseLongLong } from './args.ts';
import { byteOf, lookupStringRead, openForBitWrite, parseBitOffset, storeBitWrite } from './bitmap.ts';
import { Err } from '../errors.ts';
import { cString, lowerAscii, string2ll } from '../bytes.ts';

const GET = 0;
const SET = 1;
const INCRBY = 2;

const WRAP = 0;
const SAT = 1;
const FAIL = 2;
const OVERFLOWS: Record<string, number> = { wrap: WRAP, sat: SAT, fail: FAIL };

interface Op {
  readonly opcode: number;
  readonly offset: number;
  /** The SET value or INCRBY increment (a long long). */
  readonly value: bigint;
  readonly overflow: number;
  readonly bits: number;
  readonly signed: boolean;
}

const u64 = (x: bigint) => BigInt.asUintN(64, x);
const i64 = (x: bigint) => BigInt.asIntN(64, x);

/** getBitfieldTypeFromArgument: i1..i64 or u1..u63 (the digits read as a C string). */
function parseType(arg: Uint8Array): { signed: boolean; bits: number } | null {
  const signed = arg[0] === 0x69; // 'i'
  if (!signed && arg[0] !== 0x75) return null; // 'u'
  const bits = string2ll(cString(arg.subarray(1)));
  if (bits === null || bits < 1 || bits > (signed ? 64 : 63)) return null;
  return { signed, bits: Number(bits) };
}

// --- integers at bit offsets (get/setUnsignedBitfield)

function getBits(bytes: Uint8Array, length: number, offset: number, bits: number): bigint {
  let value = 0n;
  for (let j = 0; j < bits; j++, offset++) {
    const byte = byteOf(offset);
    const bit = byte < length ? (bytes[byte] >> (7 - (offset % 8))) & 1 : 0;
    value = (value << 1n) | BigInt(bit);
  }
  return value;
}

function setBits(bytes: Uint8Array, offset: number, bits: number, value: bigint): void {
  for (let j = 0; j < bits; j++, offset++) {
    const bit = Number((value >> BigInt(bits - 1 - j)) & 1n);
    const byte = byteOf(offset);
    const shift = 7 - (offset % 8);
    bytes[byte] = (bytes[byte] & ~(1 << shift)) | (bit << shift);
  }
}

/** getSignedBitfield: the bits as a two's complement integer. */
function toSigned(value: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, value);
}

// --- overflow (checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow)

interface Overflow {
  /** 0: none; 1: overflow; -1: underflow. */
  readonly direction: number;
  /** What to store instead, under WRAP and SAT. */
  readonly limit: bigint;
}

const NO_OVERFLOW: Overflow = { direction: 0, limit: 0n };

/** value is a uint64, incr an int64. */
function checkUnsigned(value: bigint, incr: bigint, bits: number, owtype: number): Overflow {
  const max = (1n << BigInt(bits)) - 1n;
  const maxincr = i64(max - value);
  const minincr = i64(-value);
  const wrap = () => u64(value + incr) & max;
  if (value > max || (incr > 0n && incr > maxincr)) return { direction: 1, limit: owtype === WRAP ? wrap() : max };
  if (incr < 0n && incr < minincr) return { direction: -1, limit: owtype === WRAP ? wrap() : 0n };
  return NO_OVERFLOW;
}

/** value and incr are int64s. */
function checkSigned(value: bigint, incr: bigint, bits: number, owtype: number): Overflow {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  // Both may wrap in the C; they are only relied on once value is in range.
  const maxincr = i64(u64(max) - u64(value));
  const minincr = i64(min - value);
  const wrap = () => {
    let c = u64(u64(value) + u64(incr));
    if (bits < 64) c = BigInt.asIntN(bits, c);
    return i64(c);
  };
  const partial = bits !== 64;
  if (value > max || (partial && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return { direction: 1, limit: owtype === WRAP ? wrap() : max };
  }
  if (value < min || (partial && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return { direction: -1, limit: owtype === WRAP ? wrap() : min };
  }
  return NO_OVERFLOW;
}

// --- the command

/** Parses the operations; null after replying with the error. */
function parseOps(ctx: CommandContext): Op[] | null {
  const { argv, reply } = ctx;
  const ops: Op[] = [];
  let overflow = WRAP;
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const name = lowerAscii(cString(argv[j]));
    let opcode: number;
    if (name === 'get' && remaining >= 2) opcode = GET;
    else if (name === 'set' && remaining >= 3) opcode = SET;
    else if (name === 'incrby' && remaining >= 3) opcode = INCRBY;
    else if (name === 'overflow' && remaining >= 1) {
      const type = OVERFLOWS[lowerAscii(cString(argv[++j]))];
      if (type === undefined) {
        reply.error(Err.bitfieldOverflowType);
        return null;
      }
      overflow = type;
      continue;
    } else {
      reply.error(Err.syntax);
      return null;
    }
    const type = parseType(argv[j + 1]);
    if (!type) {
      reply.error(Err.bitfieldType);
      return null;
    }
    const offset = parseBitOffset(ctx, argv[j + 2], type.bits);
    if (!offset.ok) {
      reply.error(offset.error);
      return null;
    }
    let value = 0n;
    if (opcode !== GET) {
      const parsed = parseLongLong(argv[j + 3]);
      if (!parsed.ok) {
        reply.error(parsed.error);
        return null;
      }
      value = BigInt(parsed.value);
    }
    ops.push({ opcode, offset: offset.value, value, overflow, bits: type.bits, signed: type.signed });
    j += opcode === GET ? 2 : 3;
  }
  return ops;
}

/** One SET or INCRBY: the reply value and what to store, or null on OVERFLOW FAIL. */
function writeValue(op: Op, old: bigint): { reply: bigint; store: bigint } | null {
  const check = op.signed ? checkSigned : checkUnsigned;
  let store: bigint;
  let reply: bigint;
  let over: Overflow;
  if (op.opcode === INCRBY) {
    over = check(old, op.value, op.bits, op.overflow);
    store = over.direction ? over.limit : op.signed ? i64(old + op.value) : u64(old + op.value);
    reply = store;
  } else {
    // An unsigned SET checks the value as the uint64 the C converts it to.
    const value = op.signed ? op.value : u64(op.value);
    over = check(value, 0n, op.bits, op.overflow);
    store = over.direction ? over.limit : value;
    reply = old;
  }
  if (over.direction && op.overflow === FAIL) return null;
  return { reply, store };
}

function bitfieldGeneric(ctx: CommandContext, readonly: boolean): void {
  const { reply } = ctx;
  const ops = parseOps(ctx);
  if (!ops) return;
  const writes = ops.filter((op) => op.opcode !== GET);
  if (writes.length === 0) {
    const value = lookupStringRead(ctx);
    if (value === undefined) return;
    const bytes = value?.bytes ?? EMPTY;
    reply.arrayHeader(ops.length);
    for (const op of ops) reply.integer(readValue(op, bytes, bytes.length));
    return;
  }
  if (readonly) return reply.error(Err.bitfieldRoGetOnly);
  let highest = 0;
  for (const op of writes) highest = Math.max(highest, op.offset + op.bits - 1);
  const w = openForBitWrite(ctx, highest);
  if (!w) return;
  const buf = w.s.buf;
  let changes = 0;
  reply.arrayHeader(ops.length);
  for (const op of ops) {
    if (op.opcode === GET) {
      reply.integer(readValue(op, buf, w.s.length));
      continue;
    }
    const old = readValue(op, buf, w.s.length);
    const result = writeValue(op, old);
    if (!result) {
      reply.nil();
      continue;
    }
    reply.integer(result.reply);
    setBits(buf, op.offset, op.bits, result.store);
    if (w.grown || old !== result.store) changes++;
  }
  storeBitWrite(ctx, w);
  if (changes) notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'setbit', ctx.argv[1], ctx.db.id);
  ctx.node.dirty += changes;
}

function readValue(op: Op, bytes: Uint8Array, length: number): bigint {
  const raw = getBits(bytes, length, op.offset, op.bits);
  return op.signed ? toSigned(raw, op.bits) : raw;
}

const EMPTY = new Uint8Array(0);

/** BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW WRAP|SAT|FAIL] ... */
const bitfield: Handler = (ctx) => bitfieldGeneric(ctx, false);
/** BITFIELD_RO key [GET type offset] ... */
const bitfieldRo: Handler = (ctx) => bitfieldGeneric(ctx, true);

export const bitfieldHandlers: Record<string, Handler> = {
  bitfield,
  bitfield_ro: bitfieldRo,
};
