// src/engine/geo/libm.ts against the oracle's libm: the same 300,000
// arguments per function that scripts/libm-vectors.c drew and evaluated
// with glibc 2.36 (Debian 12, x86-64, FMA builds), compared through a hash
// of every result's bits and, for the first 40, one by one. Math.sin and
// friends would fail it (they differ from glibc for about 3% of arguments).
import { describe, expect, it } from 'vitest';
import { fma, libmAsin, libmCos, libmSin } from '../../src/engine/geo/libm.ts';
import vectors from './geo-libm-vectors.json';

const MASK = (1n << 64n) - 1n;
let state = 0x9e3779b97f4a7c15n;
function next(): bigint {
  state ^= (state << 13n) & MASK;
  state ^= state >> 7n;
  state ^= (state << 17n) & MASK;
  return state;
}
const unit = (): number => Number(next() >> 11n) / 9007199254740992;
const ldexpNeg = (x: number, k: number): number => x * 2 ** -k;

function trigArg(i: number): number {
  switch (i % 7) {
    case 0: return (unit() * 2 - 1) * 3.5;
    case 1: return (unit() * 2 - 1) * 0.2;
    case 2: return (unit() * 2 - 1) * 40;
    case 3: return (unit() * 2 - 1) * 1e6;
    case 4: return (unit() * 2 - 1) * 1.5;
    case 5: return ldexpNeg(unit(), Number(next() % 40n));
    default: return (unit() * 2 - 1) * 1e8;
  }
}

function asinArg(i: number): number {
  switch (i % 4) {
    case 0: return unit() * 2 - 1;
    case 1: return 1 - ldexpNeg(unit(), Number(next() % 50n));
    case 2: return unit() * 0.2;
    default: return ldexpNeg(unit(), Number(next() % 40n));
  }
}

const view = new DataView(new ArrayBuffer(8));
function bitsOf(d: number): bigint {
  view.setFloat64(0, d, true);
  return view.getBigUint64(0, true);
}
const hex = (d: number): string => bitsOf(d).toString(16).padStart(16, '0');

/** FNV-1a over each result's 8 little-endian bytes, as the C program does. */
class Fnv {
  h = 0xcbf29ce484222325n;
  add(d: number): void {
    const u = bitsOf(d);
    for (let b = 0n; b < 64n; b += 8n) this.h = ((this.h ^ ((u >> b) & 0xffn)) * 0x100000001b3n) & MASK;
  }
  get text(): string {
    return this.h.toString(16).padStart(16, '0');
  }
}

describe('libm emulation (glibc 2.36 FMA builds)', () => {
  it('gives the oracle\'s sin, cos and asin bit for bit', () => {
    const hs = new Fnv();
    const hc = new Fnv();
    const ha = new Fnv();
    for (let i = 0; i < vectors.n; i++) {
      const x = trigArg(i);
      const a = asinArg(i);
      const s = libmSin(x);
      const c = libmCos(x);
      const r = libmAsin(a);
      if (i < vectors.samples.length) expect([hex(x), hex(s), hex(c), hex(a), hex(r)]).toEqual(vectors.samples[i]);
      hs.add(s);
      hc.add(c);
      ha.add(r);
    }
    expect({ sin: hs.text, cos: hc.text, asin: ha.text }).toEqual({ sin: vectors.sin, cos: vectors.cos, asin: vectors.asin });
  });

  it('fuses a multiply-add with one rounding', () => {
    // (1 + 2^-52)(1 - 2^-52) = 1 - 2^-104: a plain product rounds it to 1.
    expect(fma(1 + 2 ** -52, 1 - 2 ** -52, -1)).toBe(-(2 ** -104));
    // A tie after the product's exact sum: to even.
    expect(fma(1 + 2 ** -30, 1 + 2 ** -30, 0)).toBe(1 + 2 ** -29);
    expect(fma(3, 5, 7)).toBe(22);
  });
});
