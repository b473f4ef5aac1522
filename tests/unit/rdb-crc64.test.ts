// CRC-64 as Redis computes it over RDB files and DUMP payloads (crc64.c).
import { describe, expect, it } from 'vitest';
import { Crc64, crc64, readU64LE } from '../../src/engine/rdb/crc64.ts';
import { REDIS_FACTS_EXAMPLE_1, hex } from './rdb-fixtures.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The bit-by-bit definition: reflected, polynomial 0xad93d23594c935a9, init 0, no final xor. */
function reference(bytes: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n; // reflected
  let crc = 0n;
  for (const b of bytes) {
    crc ^= BigInt(b);
    for (let k = 0; k < 8; k++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

describe('CRC-64 (Jones, as in crc64.c)', () => {
  it('gives the check value e9c6d914c4b8d9ca for "123456789", as crc64.c\'s own test prints', () => {
    expect(crc64(ascii('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('is 0 for no bytes (init 0, no final xor)', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
  });

  it('matches the bit-by-bit definition on inputs of every length up to 64 and some longer', () => {
    let seed = 7;
    for (const n of [...Array.from({ length: 65 }, (_, i) => i), 100, 1000, 4097]) {
      const bytes = Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
      expect(crc64(bytes), `length ${n}`).toBe(reference(bytes));
    }
  });

  it('gives the same value fed in pieces of any size', () => {
    const bytes = Uint8Array.from({ length: 777 }, (_, i) => (i * 31) & 0xff);
    const whole = crc64(bytes);
    for (const piece of [1, 3, 7, 8, 9, 64, 500]) {
      const c = new Crc64();
      for (let i = 0; i < bytes.length; i += piece) c.update(bytes, i, Math.min(bytes.length, i + piece));
      expect(c.value, `pieces of ${piece}`).toBe(whole);
    }
  });

  it('reproduces the checksum of an RDB file saved by redis-server 7.0.15 (redis-facts.md 9.3)', () => {
    const file = REDIS_FACTS_EXAMPLE_1;
    expect(file.length).toBe(241);
    expect(readU64LE(file, file.length - 8)).toBe(0x720689d08da67979n);
    expect(crc64(file, 0, file.length - 8)).toBe(0x720689d08da67979n);
    const c = new Crc64().update(file, 0, file.length - 8);
    expect(c.matchesLE(file, file.length - 8)).toBe(true);
    const out = new Uint8Array(8);
    c.writeLE(out, 0);
    expect(hex(out)).toBe(hex(file.subarray(file.length - 8)));
  });
});
