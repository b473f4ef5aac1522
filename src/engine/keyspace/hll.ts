// HyperLogLog values, byte for byte as hyperloglog.c of Redis 7.0.15 keeps
// them in a string, because GET, DUMP and replicas see those bytes:
//
//   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached
//   cardinality (8 bytes little endian; its top bit set = not valid) | data
//
// Dense data: 16384 registers of 6 bits, packed from the low bits of each
// byte up (register 0 is the low 6 bits of byte 0). Sparse data: a run-length
// code of opcodes, ZERO (00xxxxxx: 1..64 zero registers), XZERO (01xxxxxx
// yyyyyyyy: 1..16384 zero registers) and VAL (1vvvvvxx: 1..4 registers of
// value 1..32). A new HLL is sparse; a register above 32, or a sparse
// string that would grow beyond hll-sparse-max-bytes, turns it dense for
// good. The sparse edits (split an opcode, then merge equal neighbours within
// five opcodes) are Redis's, step for step, since the bytes depend on them.
//
// The count is hllCount's: a register histogram and Otmar Ertl's improved
// estimator ("New cardinality estimation algorithms for HyperLogLog
// sketches", arXiv:1702.01284) with its tau and sigma series, in doubles
// exactly as the C computes them.

import { patIndex, patLen } from './hll-hash.ts';
import type { UnsharedString } from './unshared-string.ts';

export const HLL_P = 14;
export const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + ((HLL_REGISTERS * HLL_BITS + 7) >> 3);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
const HLL_ENCODING_AT = 4;
const HLL_CARD_AT = 8;

const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const HLL_ALPHA_INF = 0.721347520444481703680; // 0.5/ln(2)

// --- opcodes (the HLL_SPARSE_* macros)

const isZero = (b: number) => (b & 0xc0) === 0;
const isXzero = (b: number) => (b & 0xc0) === 0x40;
const isVal = (b: number) => (b & 0x80) !== 0;
const zeroLen = (b: number) => (b & 0x3f) + 1;
const xzeroLen = (b0: number, b1: number) => (((b0 & 0x3f) << 8) | b1) + 1;
const valValue = (b: number) => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number) => (b & 0x3) + 1;
const valOp = (value: number, len: number) => (((value - 1) << 2) | (len - 1) | 0x80);

// --- validity and header

/**
 * isHLLObjectOrReply's checks (the type aside): a header, the magic, a known
 * encoding, and a dense string of exactly the dense size. A sparse string's
 * opcodes are only checked by the commands that read them.
 */
export function isHll(bytes: Uint8Array): boolean {
  if (bytes.length < HLL_HDR_SIZE) return false;
  if (bytes[0] !== 0x48 || bytes[1] !== 0x59 || bytes[2] !== 0x4c || bytes[3] !== 0x4c) return false;
  const encoding = bytes[HLL_ENCODING_AT];
  if (encoding > HLL_MAX_ENCODING) return false;
  return encoding !== HLL_DENSE || bytes.length === HLL_DENSE_SIZE;
}

export const hllEncoding = (bytes: Uint8Array): number => bytes[HLL_ENCODING_AT];

/** HLL_INVALIDATE_CACHE. */
export function invalidateCache(bytes: Uint8Array): void {
  bytes[HLL_CARD_AT + 7] |= 0x80;
}

/** The cached cardinality, or null when the cache is not valid (HLL_VALID_CACHE). */
export function cachedCard(bytes: Uint8Array): number | bigint | null {
  if (bytes[HLL_CARD_AT + 7] & 0x80) return null;
  const low = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16) | (bytes[11] << 24)) >>> 0;
  const high = (bytes[12] | (bytes[13] << 8) | (bytes[14] << 16) | (bytes[15] << 24)) >>> 0;
  if (high < 0x200000) return high * 0x100000000 + low;
  return (BigInt(high) << 32n) | BigInt(low);
}

/** Stores a cardinality in the header (an unsigned 64-bit value). */
export function setCachedCard(bytes: Uint8Array, card: bigint): void {
  for (let i = 0; i < 8; i++) bytes[HLL_CARD_AT + i] = Number((card >> BigInt(8 * i)) & 0xffn);
}

/** createHLLObject: a sparse HLL of all-zero registers (one XZERO of 16384), cache valid at 0. */
export function newHllBytes(): Uint8Array {
  const bytes = new Uint8Array(HLL_HDR_SIZE + 2);
  bytes.set([0x48, 0x59, 0x4c, 0x4c, HLL_SPARSE]);
  bytes[HLL_HDR_SIZE] = 0x40 | ((SPARSE_XZERO_MAX_LEN - 1) >> 8);
  bytes[HLL_HDR_SIZE + 1] = (SPARSE_XZERO_MAX_LEN - 1) & 0xff;
  return bytes;
}

// --- dense registers (HLL_DENSE_GET_REGISTER / HLL_DENSE_SET_REGISTER, at the header's end)

export function denseGet(bytes: Uint8Array, index: number): number {
  const at = HLL_HDR_SIZE + ((index * HLL_BITS) >> 3);
  const fb = (index * HLL_BITS) & 7;
  // The last register's next byte is past the string (sds's NUL in Redis): it adds no bits.
  const b1 = at + 1 < bytes.length ? bytes[at + 1] : 0;
  return ((bytes[at] >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

export function denseSet(bytes: Uint8Array, index: number, value: number): void {
  const at = HLL_HDR_SIZE + ((index * HLL_BITS) >> 3);
  const fb = (index * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  bytes[at] = (bytes[at] & ~(HLL_REGISTER_MAX << fb)) | (value << fb);
  if (at + 1 < bytes.length) bytes[at + 1] = (bytes[at + 1] & ~(HLL_REGISTER_MAX >> fb8)) | (value >> fb8);
}

/** hllDenseSet: raises the register to count; true when it changed. */
export function denseRaise(bytes: Uint8Array, index: number, count: number): boolean {
  if (count <= denseGet(bytes, index)) return false;
  denseSet(bytes, index, count);
  return true;
}

// --- sparse to dense

// A sparse HLL is valid when its opcodes cover exactly 16384 registers.
// Redis 7.0.15 itself let hllSparseToDense and hllMerge accept opcodes that
// reached 16384 and then went on with a VAL (they stopped reading there);
// the oracle, Debian's 7.0.15-1~deb12u10, carries the fix for
// CVE-2025-32023, which refuses any opcode that runs past the last register,
// and so does the engine.
//
// Readers of sparse opcodes take `after`, the byte past the string's end
// (see keyspace/unshared-string.ts): an XZERO cut short at the end reads its
// second byte there, as Redis's readers do.

/**
 * Walks a sparse HLL's opcodes in order, calling run(value, first, count)
 * for each run of registers (value 0 for ZERO and XZERO). False when the
 * runs do not cover exactly 16384 registers; a run past the last register
 * ends the walk there, as the fixed readers do.
 */
function walkSparse(bytes: Uint8Array, after: number, run: (value: number, first: number, count: number) => void): boolean {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = bytes.length;
  while (p < end) {
    const b = bytes[p];
    let count: number;
    let value = 0;
    if (isZero(b)) {
      count = zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      count = xzeroLen(b, p + 1 < end ? bytes[p + 1] : after);
      p += 2;
    } else {
      count = valLen(b);
      value = valValue(b);
      p++;
    }
    if (idx + count > HLL_REGISTERS) return false;
    run(value, idx, count);
    idx += count;
  }
  return idx === HLL_REGISTERS;
}

/**
 * hllSparseToDense: the dense string for a sparse one (its header copied,
 * the encoding changed), or null when the opcodes do not cover exactly
 * 16384 registers.
 */
export function sparseToDense(sparse: Uint8Array, after: number): Uint8Array | null {
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  dense.set(sparse.subarray(0, HLL_HDR_SIZE));
  dense[HLL_ENCODING_AT] = HLL_DENSE;
  const valid = walkSparse(sparse, after, (value, first, count) => {
    if (value) for (let i = first; i < first + count; i++) denseSet(dense, i, value);
  });
  return valid ? dense : null;
}

/** Turns s into its dense form; false when the sparse form is corrupt (s unchanged). */
export function toDense(s: UnsharedString): boolean {
  if (s.buf[HLL_ENCODING_AT] === HLL_DENSE) return true;
  const dense = sparseToDense(s.bytes, s.after);
  if (!dense) return false;
  s.replace(dense);
  return true;
}

// --- sparse set

/**
 * hllSparseSet: raises register `index` to `count` in a sparse HLL, turning
 * it dense when count is above 32 or the edit would make it longer than
 * maxBytes. 1 when the register changed, 0 when not, -1 when the sparse
 * form is corrupt.
 */
export function sparseSet(s: UnsharedString, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(s, index, count);
  // At most 3 bytes more (an XZERO split into XZERO VAL XZERO).
  s.reserve(3);
  let buf = s.buf;
  const sparse = HLL_HDR_SIZE;
  let end = s.length;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  // Step 1: the opcode covering the register.
  while (p < end) {
    const b = buf[p];
    let oplen = 1;
    if (isZero(b)) span = zeroLen(b);
    else if (isVal(b)) span = valLen(b);
    else {
      // At the end, buf[p + 1] is the terminator byte.
      span = xzeroLen(b, buf[p + 1]);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = buf[p];
  const next = isXzero(op) ? p + 2 : p + 1;
  const hasNext = next < end;
  const zero = isZero(op);
  const xzero = isXzero(op);
  const runlen = zero ? zeroLen(op) : xzero ? xzeroLen(op, buf[p + 1]) : valLen(op);

  let updatedInPlace = false;
  if (!zero && !xzero) {
    // A: a VAL already as high; B: a VAL of this register alone.
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      buf[p] = valOp(count, 1);
      updatedInPlace = true;
    }
  }
  // C: a ZERO of this register alone.
  if (!updatedInPlace && zero && runlen === 1) {
    buf[p] = valOp(count, 1);
    updatedInPlace = true;
  }
  if (!updatedInPlace) {
    // D: split the opcode into up to three.
    const seq: number[] = [];
    const last = first + span - 1;
    if (zero || xzero) {
      const zeros = (len: number) => {
        if (len > SPARSE_ZERO_MAX_LEN) seq.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
        else seq.push(len - 1);
      };
      if (index !== first) zeros(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) zeros(last - index);
    } else {
      const current = valValue(op);
      if (index !== first) seq.push(valOp(current, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(current, last - index));
    }
    const deltalen = seq.length - (xzero ? 2 : 1);
    if (deltalen > 0 && s.length + deltalen > maxBytes) return promote(s, index, count);
    if (deltalen !== 0 && hasNext) buf.copyWithin(next + deltalen, next, end);
    s.incrLength(deltalen);
    for (let i = 0; i < seq.length; i++) buf[p + i] = seq[i];
    end += deltalen;
  }

  // Step 4: merge adjacent VALs of one value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : sparse;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const b = buf[p];
    if (isXzero(b)) {
      p += 2;
      continue;
    }
    if (isZero(b)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(buf[p + 1])) {
      const v1 = valValue(b);
      if (v1 === valValue(buf[p + 1])) {
        const len = valLen(b) + valLen(buf[p + 1]);
        if (len <= SPARSE_VAL_MAX_LEN) {
          buf[p + 1] = valOp(v1, len);
          buf.copyWithin(p, p + 1, end);
          s.incrLength(-1);
          end--;
          continue;
        }
      }
    }
    p++;
  }
  buf = s.buf;
  invalidateCache(buf);
  return 1;
}

/** The promote: label of hllSparseSet: dense, then the register set there (it must change). */
function promote(s: UnsharedString, index: number, count: number): number {
  if (!toDense(s)) return -1;
  denseRaise(s.buf, index, count);
  return 1;
}

/**
 * Raises a register as hllDenseSet or hllSparseSet, by the HLL's encoding:
 * 1 when it changed, 0 when not, -1 on a corrupt sparse HLL.
 */
export function setRegister(s: UnsharedString, index: number, count: number, maxBytes: number): number {
  if (s.buf[HLL_ENCODING_AT] === HLL_DENSE) return denseRaise(s.buf, index, count) ? 1 : 0;
  return sparseSet(s, index, count, maxBytes);
}

/** hllAdd: 1 when a register changed, 0 when not, -1 on a corrupt sparse HLL. */
export function hllAdd(s: UnsharedString, element: Uint8Array, maxBytes: number): number {
  const count = patLen(element);
  return setRegister(s, patIndex, count, maxBytes);
}

// --- merge (register-wise max into a plain array of 16384 registers)

/** hllMerge: max[i] = MAX(max[i], register i); false when a sparse HLL is corrupt. */
export function mergeInto(max: Uint8Array, bytes: Uint8Array, after: number): boolean {
  if (bytes[HLL_ENCODING_AT] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const v = denseGet(bytes, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  return walkSparse(bytes, after, (value, first, count) => {
    for (let i = first; i < first + count; i++) if (value > max[i]) max[i] = value;
  });
}

// --- count

/** Register histograms: how many registers hold each value 0..63. */
function denseHisto(bytes: Uint8Array, histo: Int32Array): void {
  let r = HLL_HDR_SIZE;
  for (let j = 0; j < HLL_REGISTERS / 4; j++) {
    // Four 6-bit registers in three bytes.
    const b0 = bytes[r];
    const b1 = bytes[r + 1];
    const b2 = bytes[r + 2];
    histo[b0 & 63]++;
    histo[((b0 >> 6) | (b1 << 2)) & 63]++;
    histo[((b1 >> 4) | (b2 << 4)) & 63]++;
    histo[(b2 >> 2) & 63]++;
    r += 3;
  }
}

/** hllSparseRegHisto; false when the opcodes do not cover exactly 16384 registers. */
function sparseHisto(bytes: Uint8Array, after: number, histo: Int32Array): boolean {
  return walkSparse(bytes, after, (value, _first, count) => {
    histo[value] += count;
  });
}

/** hllSigma. */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau. pow(1 - x, 2) is a product: GCC folds pow(v, 2.0) into v * v. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    const d = 1 - x;
    z -= d * d * y;
  } while (zPrime !== z);
  return z / 3;
}

const LLONG_MIN_AS_U64 = 1n << 63n;

/**
 * The estimate from a histogram, as hllCount computes it: an unsigned 64-bit
 * value. llroundl of a value beyond a long long (an infinite estimate, all
 * registers at 51) gives x86's "integer indefinite", 0x8000000000000000.
 */
function estimate(histo: Int32Array): bigint {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histo[HLL_Q + 1]) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  if (!(e < 9223372036854775807)) return LLONG_MIN_AS_U64;
  // llroundl: halves away from zero (e is never negative); e - floor(e) is exact.
  const whole = Math.floor(e);
  return BigInt(e - whole >= 0.5 ? whole + 1 : whole);
}

/** hllCount of a dense or sparse HLL string; null when a sparse one is corrupt. */
export function hllCount(bytes: Uint8Array, after: number): bigint | null {
  const histo = new Int32Array(64);
  if (bytes[HLL_ENCODING_AT] === HLL_DENSE) denseHisto(bytes, histo);
  else if (!sparseHisto(bytes, after, histo)) return null;
  return estimate(histo);
}

/** hllCount of 16384 plain registers (HLL_RAW, PFCOUNT of several keys). */
export function rawCount(registers: Uint8Array): bigint {
  const histo = new Int32Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histo[registers[i]]++;
  return estimate(histo);
}

/** A count as addReplyLongLong sends it: the unsigned value read as a long long. */
export const asLongLong = (card: bigint): number | bigint => {
  const signed = BigInt.asIntN(64, card);
  return signed >= -9007199254740991n && signed <= 9007199254740991n ? Number(signed) : signed;
};

// --- PFDEBUG DECODE

/** The sparse opcodes as "z:N Z:N v:V,N" (PFDEBUG DECODE). */
export function decodeSparse(bytes: Uint8Array, after: number): string {
  const out: string[] = [];
  let p = HLL_HDR_SIZE;
  while (p < bytes.length) {
    const b = bytes[p];
    if (isZero(b)) {
      out.push(`z:${zeroLen(b)}`);
      p++;
    } else if (isXzero(b)) {
      out.push(`Z:${xzeroLen(b, p + 1 < bytes.length ? bytes[p + 1] : after)}`);
      p += 2;
    } else {
      out.push(`v:${valValue(b)},${valLen(b)}`);
      p++;
    }
  }
  return out.join(' ');
}
