// The hash HyperLogLog runs every element through: MurmurHash64A (Austin
// Appleby's MurmurHash2, 64-bit version) as hyperloglog.c of Redis 7.0.15
// has it, reading 8-byte blocks little endian whatever the host, with the
// seed 0xadc83b19. Register index and run length follow hllPatLen.
//
// 64-bit arithmetic in 32-bit halves rather than BigInt: PFADD of a million
// elements hashes a million times, and BigInt would make that minutes
// instead of a fraction of a second.

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const M_LO_0 = M_LO & 0xffff;
const M_LO_1 = M_LO >>> 16;
export const HLL_SEED = 0xadc83b19;

/**
 * The high 32 bits of a * M_LO (a unsigned 32-bit): M_LO in 16-bit halves
 * keeps every partial product within a double's 53 exact bits.
 */
const mulHi = (a: number): number => Math.floor((a * M_LO_1 + Math.floor((a * M_LO_0) / 65536)) / 65536);

/** The high half of the last hash (the low half is returned). */
let hashHi = 0;

/**
 * MurmurHash64A(key, len, seed) for a seed below 2^32: returns the low 32
 * bits, leaves the high 32 in hashHi. Each "x *= m" is three 32-bit
 * products, written out in place: in local variables this runs several
 * times faster than through a helper that hands back two halves.
 */
function murmur64a(data: Uint8Array, seed: number): number {
  const len = data.length;
  let hl = ((Math.imul(len, M_LO) >>> 0) ^ seed) >>> 0;
  let hh = (mulHi(len) + Math.imul(len, M_HI)) >>> 0;
  let t: number;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    let kl = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) >>> 0;
    let kh = (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24)) >>> 0;
    t = Math.imul(kl, M_LO) >>> 0; // k *= m
    kh = (mulHi(kl) + Math.imul(kh, M_LO) + Math.imul(kl, M_HI)) >>> 0;
    kl = (t ^ (kh >>> 15)) >>> 0; // k ^= k >> 47
    t = Math.imul(kl, M_LO) >>> 0; // k *= m
    kh = (mulHi(kl) + Math.imul(kh, M_LO) + Math.imul(kl, M_HI)) >>> 0;
    hl = (hl ^ t) >>> 0; // h ^= k
    hh = (hh ^ kh) >>> 0;
    t = Math.imul(hl, M_LO) >>> 0; // h *= m
    hh = (mulHi(hl) + Math.imul(hh, M_LO) + Math.imul(hl, M_HI)) >>> 0;
    hl = t;
  }
  // The last 1..7 bytes, byte i into bits 8i and up, then one more multiply.
  const rest = len & 7;
  if (rest > 0) {
    for (let i = rest - 1; i >= 4; i--) hh ^= data[blocks + i] << (8 * (i - 4));
    for (let i = Math.min(rest, 4) - 1; i >= 0; i--) hl ^= data[blocks + i] << (8 * i);
    hh >>>= 0;
    hl >>>= 0;
    t = Math.imul(hl, M_LO) >>> 0;
    hh = (mulHi(hl) + Math.imul(hh, M_LO) + Math.imul(hl, M_HI)) >>> 0;
    hl = t;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0; // h ^= h >> r
  t = Math.imul(hl, M_LO) >>> 0; // h *= m
  hh = (mulHi(hl) + Math.imul(hh, M_LO) + Math.imul(hl, M_HI)) >>> 0;
  hashHi = hh;
  return (t ^ (hh >>> 15)) >>> 0; // h ^= h >> r
}

/** MurmurHash64A with Redis's seed, as a bigint (for tests and PFDEBUG-style checks). */
export function murmurHash64A(data: Uint8Array, seed = HLL_SEED): bigint {
  const low = murmur64a(data, seed);
  return (BigInt(hashHi) << 32n) | BigInt(low);
}

/** Count trailing zeros of a non-zero 32-bit value. */
const ctz32 = (x: number): number => 31 - Math.clz32(x & -x);

/** Set by patLen: the register the element hashed to. */
export let patIndex = 0;

/**
 * hllPatLen: the length of the 000..1 pattern of the element's hash, from
 * bit HLL_P (14) on, counting the final 1 (1 to 51); the register index
 * (the low 14 bits) is left in patIndex.
 */
export function patLen(element: Uint8Array): number {
  const lo = murmur64a(element, HLL_SEED);
  const hi = hashHi;
  patIndex = lo & 0x3fff;
  // hash >>= 14; hash |= 1 << 50 (bit 18 of the high half), so the loop ends.
  const l = ((lo >>> 14) | (hi << 18)) >>> 0;
  const h = ((hi >>> 14) | (1 << 18)) >>> 0;
  return l !== 0 ? ctz32(l) + 1 : 32 + ctz32(h) + 1;
}
