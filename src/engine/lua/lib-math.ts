// The math library of Lua 5.1 (lmathlib.c) with Redis's math.random and
// math.randomseed: redisLrand48 (rand.c), a 48-bit linear congruential
// generator like lrand48, one per server process, never reseeded but by
// math.randomseed, so a fresh server gives the same sequence every time.

import type { LuaTable } from './table.ts';
import type { LuaValue } from './value.ts';
import { luaLError } from './runtime.ts';
import { argCheck, checkInt, checkNumber, library, type Native } from './args.ts';

const A = 0x5deece66dn;
const C = 0xbn;
const MASK48 = (1n << 48n) - 1n;
/** REDIS_LRAND48_MAX. */
const LRAND48_MAX = 2147483647;

/** rand.c's state: x starts as 0x1234ABCD330E. */
export class Lrand48 {
  private x = 0x1234abcd330en;

  next(): number {
    this.x = (A * this.x + C) & MASK48;
    return Number(this.x >> 17n);
  }

  /** redisSrand48: the seed's two 16-bit halves above 0x330E. */
  seed(seed: number): void {
    const s = BigInt.asUintN(32, BigInt(seed));
    this.x = (s << 16n) | 0x330en;
  }
}

function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

function one(f: (x: number) => number): Native {
  return (args) => [f(checkNumber(args, 1))];
}

export function mathLibrary(rand: Lrand48): LuaTable {
  const fmod: Native = (args) => [checkNumber(args, 1) % checkNumber(args, 2)];
  const fns: Record<string, Native> = {
    abs: one(Math.abs),
    acos: one(Math.acos),
    asin: one(Math.asin),
    atan2: (args) => [Math.atan2(checkNumber(args, 1), checkNumber(args, 2))],
    atan: one(Math.atan),
    ceil: one(Math.ceil),
    cosh: one(Math.cosh),
    cos: one(Math.cos),
    deg: one((x) => x * (180 / Math.PI)),
    exp: one(Math.exp),
    floor: one(Math.floor),
    fmod,
    frexp: (args) => frexp(checkNumber(args, 1)),
    ldexp: (args) => [checkNumber(args, 1) * 2 ** checkInt(args, 2)],
    log10: one(Math.log10),
    log: one(Math.log),
    max(args) {
      let d = checkNumber(args, 1);
      for (let i = 2; i <= args.length; i++) {
        const x = checkNumber(args, i);
        if (x > d) d = x;
      }
      return [d];
    },
    min(args) {
      let d = checkNumber(args, 1);
      for (let i = 2; i <= args.length; i++) {
        const x = checkNumber(args, i);
        if (x < d) d = x;
      }
      return [d];
    },
    modf(args) {
      const x = checkNumber(args, 1);
      const ip = x >= 0 ? Math.floor(x) : Math.ceil(x);
      return [ip, Number.isFinite(x) ? x - ip : 0];
    },
    pow: (args) => [Math.pow(checkNumber(args, 1), checkNumber(args, 2))],
    rad: one((x) => x * (Math.PI / 180)),
    random(args): LuaValue[] {
      const r = (rand.next() % LRAND48_MAX) / LRAND48_MAX;
      switch (args.length) {
        case 0:
          return [r];
        case 1: {
          const u = checkInt(args, 1);
          argCheck(1 <= u, 1, 'interval is empty');
          return [Math.floor(r * u) + 1];
        }
        case 2: {
          const l = checkInt(args, 1);
          const u = checkInt(args, 2);
          argCheck(l <= u, 2, 'interval is empty');
          return [Math.floor(r * (u - l + 1)) + l];
        }
        default:
          throw luaLError('wrong number of arguments');
      }
    },
    randomseed(args) {
      rand.seed(checkInt(args, 1));
      return [];
    },
    sinh: one(Math.sinh),
    sin: one(Math.sin),
    sqrt: one(Math.sqrt),
    tanh: one(Math.tanh),
    tan: one(Math.tan),
  };
  const t = library(fns);
  t.set('pi', Math.PI);
  t.set('huge', Infinity);
  t.set('mod', t.get('fmod')); // LUA_COMPAT_MOD
  return t;
}
