// Randomized differentials for the two groups that live on string values,
// against a real redis-server 7.0.15 and `npm run serve` over real sockets,
// every reply byte-equal (tests/support/pipeline-differential.ts):
//
// - HyperLogLog: seeded PFADD, PFMERGE, PFCOUNT and PFDEBUG with GET of the
//   raw HLL bytes after them, so every register, every sparse opcode split
//   and merge, the promotion to dense (at several hll-sparse-max-bytes) and
//   the cached cardinality in the header must be Redis's byte for byte, and
//   every count equal. Corrupt sparse strings, made with SET, APPEND and
//   SETRANGE, check the INVALIDOBJ paths.
// - Bitmaps: seeded BITFIELD (every width, signed and unsigned, #N offsets,
//   values at and around each width's limits and INT64's, the three OVERFLOW
//   modes), SETBIT, BITOP, BITCOUNT and BITPOS (BYTE and BIT ranges,
//   negative indexes), with GET of the bytes after them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { comparePipelined, type Arg } from '../support/pipeline-differential.ts';
import { rng } from '../support/seeded.ts';

let real: RealRedis;
let serve: Serve;
beforeAll(async () => {
  [real, serve] = await Promise.all([startRealRedis(), startServe(1)]);
});
afterAll(async () => {
  await Promise.all([real?.stop(), serve?.stop()]);
});

type Gen = ReturnType<typeof rng>;

/** An element: short text, a number, binary bytes, or empty. */
function element(g: Gen): Arg {
  switch (g.int(0, 3)) {
    case 0: return `e${g.int(0, 5000)}`;
    case 1: return String(g.int(-1000, 1000000));
    case 2: return g.bytes(g.int(1, 24));
    default: return g.int(0, 9) === 0 ? '' : g.bytes(g.int(1, 3), 'ab\x00');
  }
}

/** A sparse HLL string, valid or not: the header, then opcodes drawn at random. */
function sparseString(g: Gen): Uint8Array {
  const header = [0x48, 0x59, 0x4c, 0x4c, 1, 0, 0, 0, g.int(0, 9), 0, 0, 0, 0, 0, 0, g.int(0, 1) ? 0x80 : 0];
  const ops: number[] = [];
  let left = 16384;
  while (left > 0 && ops.length < 40) {
    const kind = g.int(0, 3);
    if (kind === 0) {
      const n = Math.min(left, g.int(1, 64));
      ops.push(n - 1);
      left -= n;
    } else if (kind === 1) {
      const n = Math.min(left, g.int(1, 16384));
      ops.push(0x40 | ((n - 1) >> 8), (n - 1) & 0xff);
      left -= n;
    } else {
      const n = Math.min(left, g.int(1, 4));
      ops.push(0x80 | ((g.int(1, 32) - 1) << 2) | (n - 1));
      left -= n;
    }
  }
  // Now and then the opcodes stop short, run over, or end in half an XZERO.
  const spoil = g.int(0, 5);
  if (spoil === 0) ops.pop();
  else if (spoil === 1) ops.push(g.int(0, 255));
  else if (spoil === 2) ops.push(0x40 | g.int(0, 63));
  return Uint8Array.from([...header, ...ops]);
}

function hllCommands(g: Gen, n: number): Arg[][] {
  const keys = ['h:0', 'h:1', 'h:2', 'h:3', 'h:4'];
  const key = () => keys[g.int(0, keys.length - 1)];
  const out: Arg[][] = [];
  for (let i = 0; i < n; i++) {
    const r = g.int(0, 99);
    if (r < 40) {
      // Mostly a few elements; sometimes enough to go dense in one command.
      const count = g.int(0, 9) === 0 ? g.int(100, 1500) : g.int(0, 6);
      out.push(['PFADD', key(), ...Array.from({ length: count }, () => element(g))]);
    } else if (r < 55) {
      out.push(['PFCOUNT', key()]);
    } else if (r < 62) {
      out.push(['PFCOUNT', ...Array.from({ length: g.int(2, 4) }, key)]);
    } else if (r < 70) {
      out.push(['PFMERGE', ...Array.from({ length: g.int(1, 4) }, key)]);
    } else if (r < 85) {
      out.push(['GET', key()]);
    } else if (r < 89) {
      out.push(['PFDEBUG', ['ENCODING', 'DECODE', 'TODENSE'][g.int(0, 2)], key()]);
    } else if (r < 91) {
      out.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', String([0, 40, 300, 1000, 3000, 3000, 20000][g.int(0, 6)])]);
    } else if (r < 94) {
      out.push(['DEL', key()]);
    } else if (r < 97) {
      out.push(['SET', key(), sparseString(g)]);
    } else if (r < 98) {
      out.push(['APPEND', key(), g.bytes(g.int(1, 3))]);
    } else {
      out.push(['SETRANGE', key(), String(g.int(0, 40)), g.bytes(1)]);
    }
  }
  out.push(['CONFIG', 'SET', 'hll-sparse-max-bytes', '3000']);
  for (const k of keys) out.push(['GET', k], ['PFCOUNT', k]);
  return out;
}

describe('random HyperLogLog commands, against redis-server 7.0.15', () => {
  it.each([1, 2, 3, 4])('PFADD, PFMERGE and PFCOUNT leave the same bytes and counts (seed %i)', async (seed) => {
    const commands = hllCommands(rng(seed), 3000);
    const { differences, errors, replies } = await comparePipelined(real.port, serve.port, commands);
    expect(differences).toEqual([]);
    // The inputs stay meaningful: most replies are not errors, and some HLLs went dense.
    expect(errors / commands.length).toBeLessThan(0.5);
    expect(replies.filter((r) => r === '+dense\r\n').length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.startsWith('-INVALIDOBJ')).length).toBeGreaterThan(0);
  });

  it('counts dense HLLs whose registers were written by hand, up to the infinite estimate', async () => {
    // Every register at v, packed as the dense encoding packs them (4 registers in 3 bytes).
    const dense = (v: number, cache: number[]) => {
      const body = new Uint8Array(12288);
      for (let i = 0; i < body.length; i += 3) body.set([(v | (v << 6)) & 0xff, ((v >> 2) | (v << 4)) & 0xff, ((v >> 4) | (v << 2)) & 0xff], i);
      return Uint8Array.from([0x48, 0x59, 0x4c, 0x4c, 0, 0, 0, 0, ...cache, ...body]);
    };
    const invalid = [0, 0, 0, 0, 0, 0, 0, 0x80];
    const commands: Arg[][] = [];
    // 51 everywhere: the estimate is infinite and llroundl gives INT64_MIN, which does not stay cached.
    for (const v of [0, 1, 20, 50, 51, 52, 63]) {
      commands.push(['SET', `h:${v}`, dense(v, invalid)], ['PFCOUNT', `h:${v}`], ['GET', `h:${v}`], ['PFCOUNT', `h:${v}`, 'h:none']);
    }
    commands.push(['PFADD', 'h:51', 'x'], ['PFMERGE', 'h:m', 'h:20', 'h:51'], ['PFCOUNT', 'h:m'], ['PFCOUNT', 'h:1', 'h:20', 'h:50']);
    const { differences, replies } = await comparePipelined(real.port, serve.port, commands);
    expect(differences).toEqual([]);
    expect(replies).toContain(':-9223372036854775808\r\n');
  });

  it('passes PFSELFTEST, Redis\'s own test of the registers and the estimator', async () => {
    const { differences, replies } = await comparePipelined(real.port, serve.port, [['PFSELFTEST'], ['CONFIG', 'SET', 'hll-sparse-max-bytes', '100'], ['PFSELFTEST']]);
    expect(differences).toEqual([]);
    expect(replies[2]).toBe('+OK\r\n');
  });

  it('adds a million elements and counts them as Redis does', async () => {
    const commands: Arg[][] = [];
    for (let batch = 0; batch < 100; batch++) {
      commands.push(['PFADD', 'h:big', ...Array.from({ length: 10000 }, (_, i) => `member:${batch * 10000 + i}`)]);
      if (batch % 10 === 9) commands.push(['PFCOUNT', 'h:big']);
    }
    commands.push(['GET', 'h:big'], ['PFCOUNT', 'h:big', 'h:none']);
    const { differences, replies } = await comparePipelined(real.port, serve.port, commands);
    expect(differences).toEqual([]);
    expect(replies.at(-1)).toMatch(/^:\d{6,7}\r\n$/);
  });
});

// --- bitmaps

const pick = <T>(g: Gen, items: readonly T[]): T => items[g.int(0, items.length - 1)];

/** A type argument: mostly valid (i1..i64, u1..u63), now and then not. */
function bitfieldType(g: Gen): { arg: string; bits: number } {
  const signed = g.int(0, 1) === 1;
  const bits = g.int(0, 9) === 0 ? pick(g, [0, 64, 65]) : g.int(1, signed ? 64 : 63);
  return { arg: `${signed ? 'i' : 'u'}${bits}`, bits: Math.max(bits, 1) };
}

/** A value near something interesting for a field of `bits` bits. */
function value(g: Gen, bits: number): string {
  const b = BigInt(bits);
  const anchors = [0n, 1n << (b - 1n), 1n << b, -(1n << (b - 1n)), (1n << 63n) - 1n, -(1n << 63n), BigInt(g.int(-1000, 1000))];
  let v = pick(g, anchors) + BigInt(g.int(-3, 3));
  if (v > (1n << 63n) - 1n) v = (1n << 63n) - 1n;
  if (v < -(1n << 63n)) v = -(1n << 63n);
  return g.int(0, 40) === 0 ? 'x' : v.toString();
}

function offset(g: Gen): string {
  const r = g.int(0, 9);
  if (r === 0) return `#${g.int(0, 20)}`;
  if (r === 1) return pick(g, ['-1', '#-1', '4294967296', 'y']);
  return String(g.int(0, 120));
}

function bitfieldOps(g: Gen, readonly: boolean): Arg[] {
  const ops: Arg[] = [];
  for (let n = g.int(0, 5); n > 0; n--) {
    const r = g.int(0, 9);
    const t = bitfieldType(g);
    if (r < 3 || readonly) ops.push('GET', t.arg, offset(g));
    else if (r < 6) ops.push('SET', t.arg, offset(g), value(g, t.bits));
    else if (r < 9) ops.push('INCRBY', t.arg, offset(g), value(g, t.bits));
    else ops.push('OVERFLOW', pick(g, ['WRAP', 'SAT', 'FAIL', 'sat', 'nope']));
  }
  return ops;
}

/** A range index: inside, at the ends, negative, or far out. */
function index(g: Gen): string {
  return String(pick(g, [g.int(-20, 20), g.int(-200, 200), 0, -1, 9223372036854775807n, -9223372036854775808n]));
}

function bitmapCommands(g: Gen, n: number): Arg[][] {
  const keys = ['b:0', 'b:1', 'b:2', 'b:3'];
  const key = () => pick(g, keys);
  const out: Arg[][] = [];
  for (let i = 0; i < n; i++) {
    const r = g.int(0, 99);
    if (r < 35) out.push(['BITFIELD', key(), ...bitfieldOps(g, false)]);
    else if (r < 40) out.push(['BITFIELD_RO', key(), ...bitfieldOps(g, g.int(0, 4) > 0)]);
    else if (r < 50) out.push(['SETBIT', key(), String(g.int(0, 160)), String(g.int(0, 1))]);
    else if (r < 53) out.push(['GETBIT', key(), String(g.int(0, 160))]);
    else if (r < 63) {
      const range = [[], [index(g), index(g)], [index(g), index(g), pick(g, ['BIT', 'BYTE', 'bit'])]][g.int(0, 2)];
      out.push(['BITCOUNT', key(), ...range]);
    } else if (r < 75) {
      const range = [[], [index(g)], [index(g), index(g)], [index(g), index(g), pick(g, ['BIT', 'BYTE'])]][g.int(0, 3)];
      out.push(['BITPOS', key(), String(g.int(0, 1)), ...range]);
    } else if (r < 82) {
      const op = pick(g, ['AND', 'OR', 'XOR', 'NOT']);
      const sources = op === 'NOT' ? [key()] : Array.from({ length: g.int(1, 3) }, key);
      out.push(['BITOP', op, key(), ...sources]);
    } else if (r < 94) {
      out.push(['GET', key()]);
    } else if (r < 97) {
      out.push(['SET', key(), g.bytes(g.int(0, 12), g.int(0, 1) ? '\x00\xff' : undefined)]);
    } else {
      out.push(['DEL', key()]);
    }
  }
  for (const k of keys) out.push(['GET', k]);
  return out;
}

describe('random bitmap commands, against redis-server 7.0.15', () => {
  it.each([1, 2, 3, 4, 5])('BITFIELD, SETBIT, BITOP, BITCOUNT and BITPOS answer and store the same (seed %i)', async (seed) => {
    const commands = bitmapCommands(rng(seed), 4000);
    const { differences, errors, replies } = await comparePipelined(real.port, serve.port, commands);
    expect(differences).toEqual([]);
    expect(errors / commands.length).toBeLessThan(0.4);
    // OVERFLOW FAIL did refuse some writes.
    expect(replies.some((r) => r.startsWith('*') && r.includes('$-1\r\n'))).toBe(true);
  });
});
