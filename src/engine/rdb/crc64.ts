// CRC-64 as Redis computes it for RDB files and DUMP payloads (crc64.c):
// the "Jones" polynomial 0xad93d23594c935a9, reflected input and output,
// initial value 0, no final xor. crc64(0, "123456789") = 0xe9c6d914c4b8d9ca.
//
// JavaScript has no fast unsigned 64-bit arithmetic, so the running value is
// kept as two unsigned 32-bit halves and the tables likewise. Eight bytes
// are folded in per step with eight tables (the "slicing-by-8" method that
// Redis's crcspeed.c uses too): table k maps a byte to the CRC of that
// byte followed by k zero bytes.

/** The reflected polynomial: 0xad93d23594c935a9 with its bits reversed. */
const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** TABLE_LO[k * 256 + n] / TABLE_HI[...]: the halves of table k's entry for byte n. */
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

(function buildTables() {
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const odd = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi >>>= 1;
      if (odd) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[n] = lo;
    TABLE_HI[n] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      // One more zero byte through table 0.
      const lo = TABLE_LO[(k - 1) * 256 + n];
      const hi = TABLE_HI[(k - 1) * 256 + n];
      const i = lo & 0xff;
      TABLE_LO[k * 256 + n] = (((lo >>> 8) | (hi << 24)) ^ TABLE_LO[i]) >>> 0;
      TABLE_HI[k * 256 + n] = ((hi >>> 8) ^ TABLE_HI[i]) >>> 0;
    }
  }
})();

/** A running CRC-64 over bytes fed in any number of pieces. */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  /** Folds in bytes[start, end). */
  update(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const T_LO = TABLE_LO;
    const T_HI = TABLE_HI;
    // Byte at a time up to the first 8-byte step, then eight at a time.
    while (i < end && end - i < 8) {
      const t = (lo ^ bytes[i++]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[t];
      hi = (hi >>> 8) ^ T_HI[t];
    }
    for (; i + 8 <= end; i += 8) {
      const a = lo ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      const b = hi ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24));
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = T_LO[i7] ^ T_LO[i6] ^ T_LO[i5] ^ T_LO[i4] ^ T_LO[i3] ^ T_LO[i2] ^ T_LO[i1] ^ T_LO[i0];
      hi = T_HI[i7] ^ T_HI[i6] ^ T_HI[i5] ^ T_HI[i4] ^ T_HI[i3] ^ T_HI[i2] ^ T_HI[i1] ^ T_HI[i0];
    }
    while (i < end) {
      const t = (lo ^ bytes[i++]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T_LO[t];
      hi = (hi >>> 8) ^ T_HI[t];
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC so far, as an unsigned 64-bit value. */
  get value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The CRC as Redis stores it after the data: 8 bytes, little-endian. */
  writeLE(out: Uint8Array, at: number): void {
    writeU32LE(out, at, this.lo);
    writeU32LE(out, at + 4, this.hi);
  }

  /** Whether the 8 little-endian bytes at `at` hold this CRC. */
  matchesLE(bytes: Uint8Array, at: number): boolean {
    return readU32LE(bytes, at) === this.lo && readU32LE(bytes, at + 4) === this.hi;
  }
}

/** crc64(0, bytes[start, end)) as an unsigned 64-bit value. */
export function crc64(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  return new Crc64().update(bytes, start, end).value;
}

/** The unsigned 64-bit little-endian value at `at`. */
export function readU64LE(bytes: Uint8Array, at: number): bigint {
  return (BigInt(readU32LE(bytes, at + 4)) << 32n) | BigInt(readU32LE(bytes, at));
}

function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

function writeU32LE(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = v >>> 24;
}
