// The bit library Redis embeds (LuaBitOp 1.0.2): 32-bit operations on
// numbers normalized as it normalizes them (the double plus 2^52 + 2^51,
// whose low 32 bits are the value rounded to an integer modulo 2^32),
// results as signed 32-bit numbers.

import type { LuaTable } from './table.ts';
import type { LuaValue } from './value.ts';
import { checkNumber, library, type Native } from './args.ts';

const view = new DataView(new ArrayBuffer(8));

/** barg: the argument's 32 bits. */
function barg(args: LuaValue[], n: number): number {
  view.setFloat64(0, checkNumber(args, n) + 6755399441055744.0, true);
  return view.getInt32(0, true);
}

export function bitLibrary(): LuaTable {
  const fold = (op: (a: number, b: number) => number): Native => (args) => {
    let b = barg(args, 1);
    for (let i = args.length; i > 1; i--) b = op(b, barg(args, i));
    return [b | 0];
  };
  const shift = (op: (b: number, n: number) => number): Native => (args) => {
    const b = barg(args, 1);
    const n = barg(args, 2) & 31;
    return [op(b, n) | 0];
  };
  const fns: Record<string, Native> = {
    tobit: (args) => [barg(args, 1)],
    bnot: (args) => [~barg(args, 1)],
    band: fold((a, b) => a & b),
    bor: fold((a, b) => a | b),
    bxor: fold((a, b) => a ^ b),
    lshift: shift((b, n) => b << n),
    rshift: shift((b, n) => b >>> n),
    arshift: shift((b, n) => b >> n),
    rol: shift((b, n) => (b << n) | (b >>> (32 - n))),
    ror: shift((b, n) => (b >>> n) | (b << (32 - n))),
    bswap: (args) => {
      const b = barg(args, 1);
      return [((b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)) | 0];
    },
    tohex: (args) => {
      const b = barg(args, 1);
      let n = args[1] === undefined ? 8 : barg(args, 2);
      let upper = false;
      if (n < 0) {
        n = -n;
        upper = true;
      }
      if (n > 8) n = 8;
      let hex = (b >>> 0).toString(16).padStart(8, '0').slice(8 - n);
      if (upper) hex = hex.toUpperCase();
      return [hex];
    },
  };
  return library(fns);
}
