// sin, cos and asin as the oracle computes them: the real redis-server calls
// glibc 2.36's libm (Debian 12), which on a CPU with FMA (the machines this
// project runs on) selects its FMA builds, __sin_fma, __cos_fma and
// __ieee754_asin_fma: IBM's Accurate Mathematical Library algorithms
// (s_sin.c, e_asin.c) compiled with -mfma, where gcc fuses every product
// whose uses are all additions or subtractions into a fused multiply-add.
// Those results are within about half an ulp of the true value but not
// always the nearest double, and V8's Math.sin, Math.cos and Math.asin
// (fdlibm) differ from them in the last bit for about 3% of inputs, which
// shows in distances (GEOSEARCHSTORE ... STOREDIST keeps the whole double).
// So this module performs the same operations in the same order, with the
// fused ones done as an exact fused multiply-add (fma below), on the same
// constant tables (libm-tables.generated.ts, read from the oracle's
// libm.so.6). tests/unit/geo-libm.test.ts checks the results bit for bit
// against vectors the oracle's libm produced (scripts/libm-vectors.c).
//
// Covered: every argument of sin and cos below 105414350 in magnitude
// (beyond it glibc reduces with __branred, not done here: Math.sin and
// Math.cos answer instead, see bigArgument), every argument of asin. The
// geo arithmetic never needs the big arguments (shape.ts).
import { ASNCS, INROOT, SINCOSTAB } from './libm-tables.generated.ts';

// --- doubles as bits

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Which half of u32 holds the low 32 bits (little-endian hosts: 0). */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

function highWord(x: number): number {
  f64[0] = x;
  return u32[HI] | 0;
}

function decodeTable(base64: string): Float64Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes = new Uint8Array((base64.replace(/=+$/, '').length * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const ch of base64) {
    if (ch === '=') break;
    acc = (acc << 6) | alphabet.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (acc >> bits) & 0xff;
    }
  }
  const view = new DataView(bytes.buffer);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

const sincostab = decodeTable(SINCOSTAB);
const asncs = decodeTable(ASNCS);
const inroot = decodeTable(INROOT);

// --- an exact fused multiply-add

const SPLITTER = 134217729; // 2^27 + 1

/**
 * fma(a, b, c): a * b + c rounded once, to nearest, ties to even. The
 * product is split exactly (Veltkamp and Dekker), its high part added to c
 * exactly (TwoSum), and the two small remainders added with rounding to odd
 * before the final rounding, which makes the double rounding exact
 * (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums:
 * proved algorithms using rounding to odd", 2008). Valid while nothing
 * overflows or falls into the subnormals, which holds for every operand of
 * the functions below on the arguments they cover.
 */
export function fma(a: number, b: number, c: number): number {
  const ph = a * b;
  if (ph === 0 || !Number.isFinite(ph) || !Number.isFinite(c)) return ph + c;
  // The exact error of the product.
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = al * bl - (((ph - ah * bh) - al * bh) - ah * bl);
  // c + ph exactly as th + tl.
  const th = c + ph;
  const bv = th - c;
  const tl = (c - (th - bv)) + (ph - bv);
  // tl + pl rounded to odd: the nearest double, moved one ulp towards the
  // exact sum when it is inexact and its last bit is even.
  let v = tl + pl;
  const vb = v - tl;
  const verr = (tl - (v - vb)) + (pl - vb);
  if (verr !== 0) {
    f64[0] = v;
    if ((u32[LO] & 1) === 0) {
      const away = v > 0 === verr > 0;
      if (away) {
        u32[LO] = (u32[LO] + 1) >>> 0;
        if (u32[LO] === 0) u32[HI]++;
      } else {
        if (u32[LO] === 0) u32[HI]--;
        u32[LO] = (u32[LO] - 1) >>> 0;
      }
      v = f64[0];
    }
  }
  return th + v;
}

// --- sin and cos (s_sin.c, usncs.h)

const s1 = -0.16666666666666666;
const s2 = 0.008333333333332329;
const s3 = -0.00019841269834414642;
const s4 = 2.755729806860771e-6;
const s5 = -2.5022014848318398e-8;
const sn3 = -0.16666666666666488;
const sn5 = 0.008333332142857223;
const cs2 = 0.5;
const cs4 = -0.04166666666666644;
const cs6 = 0.001388888740079376;
const big = 52776558133248.0;
const hp0 = 1.5707963267948966;
const hp1 = 6.123233995736766e-17;
const mp1 = 1.5707963407039642;
const mp2 = -1.3909067564377153e-8;
const pp3 = -4.97899623147991e-17;
const pp4 = -1.9034889620193266e-25;
const hpinv = 0.6366197723675814;
const toint = 6755399441055744.0;

const copysign = (x: number, y: number): number => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x));

/** TAYLOR_SIN: x + dx with |x| < 0.126, by the Taylor polynomial. */
function taylorSin(x: number, dx: number): number {
  const xx = x * x;
  const poly = fma(fma(fma(fma(s5, xx, s4), xx, s3), xx, s2), xx, s1);
  const t = fma(fma(poly, x, -(0.5 * dx)), xx, dx);
  return x + t;
}

/** The table index of |x| (big + |x| rounds |x| to a multiple of 1/128) and the rest of |x|. */
function tableSplit(ax: number): { k: number; rest: number } {
  const u = big + ax;
  const near = u - big;
  return { k: near * 128 * 4, rest: ax - near };
}

/** do_sin: sin(x + dx). */
function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x, dx);
  if (x <= 0) dx = -dx;
  const { k, rest } = tableSplit(Math.abs(x));
  x = rest;
  const xx = x * x;
  const s = x + fma(x * xx, fma(xx, sn5, sn3), dx);
  const c = fma(x, dx, xx * fma(xx, fma(xx, cs6, cs4), cs2));
  const sn = sincostab[k];
  const ssn = sincostab[k + 1];
  const cs = sincostab[k + 2];
  const ccs = sincostab[k + 3];
  const cor = fma(cs, s, fma(-sn, c, fma(s, ccs, ssn)));
  return copysign(sn + cor, xold);
}

/** do_cos: cos(x + dx). */
function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const { k, rest } = tableSplit(Math.abs(x));
  x = rest + dx;
  const xx = x * x;
  const s = fma(x * xx, fma(xx, sn5, sn3), x);
  const c = xx * fma(xx, fma(xx, cs6, cs4), cs2);
  const sn = sincostab[k];
  const ssn = sincostab[k + 1];
  const cs = sincostab[k + 2];
  const ccs = sincostab[k + 3];
  const cor = fma(-sn, s, fma(-cs, c, fma(-s, ssn, ccs)));
  return cs + cor;
}

/** reduce_sincos: x - n * pi/2 as a + da, and the quadrant n (mod 4). */
function reduce(x: number): { a: number; da: number; n: number } {
  const t = fma(x, hpinv, toint);
  const xn = t - toint;
  const y = fma(-xn, mp2, fma(-xn, mp1, x));
  const t2 = fma(-xn, pp3, y);
  let db = fma(-xn, pp3, y - t2);
  const b = fma(-xn, pp4, t2);
  db += fma(-xn, pp4, t2 - b);
  return { a: b, da: db, n: xn & 3 };
}

/** do_sincos: sin(a + da) turned by quadrant n. */
function doSincos(a: number, da: number, n: number): number {
  const r = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -r : r;
}

/** Arguments glibc reduces with __branred: not emulated (the geo code never uses their values). */
const bigArgument = (k: number): boolean => k >= 0x419921fb;

/** glibc's sin. */
export function libmSin(x: number): number {
  const k = highWord(x) & 0x7fffffff;
  if (k < 0x3e500000) return x;
  if (k < 0x3feb6000) return doSin(x, 0);
  if (k < 0x400368fd) return copysign(doCos(hp0 - Math.abs(x), hp1), x);
  if (!bigArgument(k)) {
    const r = reduce(x);
    return doSincos(r.a, r.da, r.n);
  }
  return Math.sin(x);
}

/** glibc's cos. */
export function libmCos(x: number): number {
  const k = highWord(x) & 0x7fffffff;
  if (k < 0x3e400000) return 1.0;
  if (k < 0x3feb6000) return doCos(x, 0);
  if (k < 0x400368fd) {
    const y = hp0 - Math.abs(x);
    const a = y + hp1;
    const da = y - a + hp1;
    return doSin(a, da);
  }
  if (!bigArgument(k)) {
    const r = reduce(x);
    return doSincos(r.a, r.da, r.n + 1);
  }
  return Math.cos(x);
}

// --- asin (e_asin.c, uasncs.h)

const f1 = 0.1666666666666641;
const f2 = 0.07500000000261227;
const f3 = 0.044642856142105974;
const f4 = 0.03038212685821193;
const f5 = 0.022355121102652562;
const f6 = 0.018138290340456505;
const rt0 = 0.9999999998599908;
const rt1 = 0.4999999994959554;
const rt2 = 0.3750175008673452;
const rt3 = 0.31252362655451865;
const t24 = 16777216.0;

/**
 * asin on [0.125, 0.96875): a Taylor polynomial around the interval's
 * point asncs[n], of `degree` coefficients after the linear one.
 */
function asinInterval(ax: number, n: number, degree: number): number {
  const xx = ax - asncs[n];
  // The polynomial from its highest coefficient down: c2 + xx*(c3 + ... + xx*c_top).
  let poly = asncs[n + 1 + degree];
  for (let i = n + degree; i >= n + 2; i--) poly = fma(xx, poly, asncs[i]);
  const p = fma(xx * xx, poly, asncs[n + 2 + degree]);
  const t = fma(asncs[n + 1], xx, p);
  return asncs[n + 3 + degree] + t;
}

/** glibc's asin. */
export function libmAsin(x: number): number {
  const m = highWord(x);
  const k = m & 0x7fffffff;
  const ax = Math.abs(x);
  const sign = (r: number): number => (m > 0 ? r : -r);
  if (k < 0x3e500000) return x;
  if (k < 0x3fc00000) {
    const x2 = x * x;
    const poly = fma(fma(fma(fma(fma(f6, x2, f5), x2, f4), x2, f3), x2, f2), x2, f1);
    return fma(poly, x2 * x, x);
  }
  if (k < 0x3fe00000) {
    const n = k < 0x3fd00000 ? 11 * ((k & 0x000fffff) >> 15) : 11 * ((k & 0x000fffff) >> 14) + 352;
    return sign(asinInterval(ax, n, 5));
  }
  if (k < 0x3fe80000) return sign(asinInterval(ax, 1056 + ((k & 0x000fe000) >> 11) * 3, 6));
  if (k < 0x3fed8000) return sign(asinInterval(ax, 992 + ((k & 0x000fe000) >> 13) * 13, 7));
  if (k < 0x3fee8000) return sign(asinInterval(ax, 884 + ((k & 0x000fe000) >> 13) * 14, 8));
  if (k < 0x3fef0000) return sign(asinInterval(ax, 768 + ((k & 0x000fe000) >> 13) * 15, 9));
  if (k < 0x3ff00000) {
    // Near 1: asin(x) = pi/2 - 2 asin(sqrt((1 - |x|) / 2)), the root by Newton from a table guess.
    const z = 0.5 * (m > 0 ? 1.0 - x : 1.0 + x);
    const kz = highWord(z);
    let t = inroot[(kz & 0x001fffff) >> 14] * 2 ** (511 - (kz >> 21));
    const r = fma(-(t * t), z, 1.0);
    t = t * fma(r, fma(r, fma(r, rt3, rt2), rt1), rt0);
    const c = t * z;
    t = c * fma(-(0.5 * t), c, 1.5);
    const y = c + t24 - t24;
    const cc = fma(-y, y, z) / (t + y);
    const p = fma(fma(fma(fma(fma(f6, z, f5), z, f4), z, f3), z, f2), z, f1) * z;
    const cor = fma(-(2.0 * (y + cc)), p, fma(-2.0, cc, hp1));
    const res1 = fma(-2.0, y, hp0);
    return sign(res1 + cor);
  }
  if (k === 0x3ff00000 && (f64[0] = x, u32[LO]) === 0) return m > 0 ? hp0 : -hp0;
  return NaN;
}
