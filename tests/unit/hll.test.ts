// The HyperLogLog representation (src/engine/keyspace/hll.ts, hll-hash.ts)
// in isolation: the 32-bit-halves MurmurHash64A against a plain BigInt
// rendering of the algorithm, register indexes and run lengths Redis gives
// (read back with PFDEBUG DECODE on redis-server 7.0.15), the dense packing,
// and the estimator's corners. The commands are checked against the real
// server by tests/golden/hll.golden and tests/live/hll-random.test.ts.
import { describe, expect, it } from 'vitest';
import { murmurHash64A, patIndex, patLen } from '../../src/engine/keyspace/hll-hash.ts';
import {
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  asLongLong,
  decodeSparse,
  denseGet,
  denseSet,
  hllAdd,
  hllCount,
  newHllBytes,
  rawCount,
  sparseToDense,
} from '../../src/engine/keyspace/hll.ts';
import { unsharedCopy } from '../../src/engine/keyspace/unshared-string.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';
import { rng } from '../support/seeded.ts';

/** MurmurHash64A as the C reads, in BigInt arithmetic modulo 2^64. */
function reference(data: Uint8Array, seed: bigint): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const mask = (1n << 64n) - 1n;
  let h = (seed ^ (BigInt(data.length) * m)) & mask;
  const blocks = data.length - (data.length & 7);
  for (let i = 0; i < blocks; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(data[i + j]);
    k = (k * m) & mask;
    k ^= k >> 47n;
    k = (k * m) & mask;
    h ^= k;
    h = (h * m) & mask;
  }
  const rest = data.length & 7;
  if (rest) {
    for (let j = rest - 1; j >= 0; j--) h ^= BigInt(data[blocks + j]) << BigInt(8 * j);
    h = (h * m) & mask;
  }
  h ^= h >> 47n;
  h = (h * m) & mask;
  h ^= h >> 47n;
  return h;
}

describe('MurmurHash64A', () => {
  it('gives the 64-bit hash of the BigInt rendering for every length and byte', () => {
    const g = rng(42);
    for (let n = 0; n < 3000; n++) {
      const data = g.bytes(n % 41);
      expect(murmurHash64A(data)).toBe(reference(data, 0xadc83b19n));
    }
  });

  it('puts elements in the registers redis-server 7.0.15 puts them in', () => {
    // PFADD h a b c; PFDEBUG DECODE h -> Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603
    const got = ['a', 'b', 'c'].map((e) => [patLen(fromLatin1(e)), patIndex]);
    expect(got).toEqual([[2, 12711], [1, 15780], [1, 8436]]);
  });
});

describe('HyperLogLog registers and counts', () => {
  it('packs 6-bit registers without touching their neighbours', () => {
    const bytes = new Uint8Array(HLL_DENSE_SIZE);
    const g = rng(7);
    const want = Array.from({ length: HLL_REGISTERS }, () => g.int(0, 63));
    want.forEach((v, i) => denseSet(bytes, i, v));
    expect(want.every((v, i) => denseGet(bytes, i) === v)).toBe(true);
  });

  it('turns a sparse HLL dense with the same registers and count', () => {
    const s = unsharedCopy(newHllBytes());
    for (let i = 0; i < 300; i++) hllAdd(s, fromLatin1(`x${i}`), 3000);
    const dense = sparseToDense(s.bytes, s.after)!;
    expect(dense.length).toBe(HLL_DENSE_SIZE);
    expect(hllCount(dense, 0)).toBe(hllCount(s.bytes, s.after));
    expect(decodeSparse(s.bytes, s.after)).toMatch(/^(Z|z|v)/);
  });

  it('counts an empty HLL as 0, and an infinite estimate as INT64_MIN (x87 llroundl)', () => {
    const registers = new Uint8Array(HLL_REGISTERS);
    expect(rawCount(registers)).toBe(0n);
    registers.fill(51);
    expect(rawCount(registers)).toBe(1n << 63n);
    expect(asLongLong(rawCount(registers))).toBe(-9223372036854775808n);
  });

  it('refuses sparse opcodes that do not cover exactly 16384 registers', () => {
    const header = [0x48, 0x59, 0x4c, 0x4c, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80];
    const xzero = (n: number) => [0x40 | ((n - 1) >> 8), (n - 1) & 0xff];
    const short = Uint8Array.from([...header, ...xzero(16383)]);
    // Redis 7.0.15 read these last two as valid; the CVE-2025-32023 fix (the oracle has it) does not.
    const valAfter = Uint8Array.from([...header, ...xzero(16384), 0x80]);
    for (const bytes of [short, valAfter]) {
      expect(hllCount(bytes, 0)).toBeNull();
      expect(sparseToDense(bytes, 0)).toBeNull();
    }
  });
});
