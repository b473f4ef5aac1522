// Number formatting as Redis's INFO prints it: printf's "%.Nf" (the exact
// binary value rounded, a tie to even, where toFixed rounds a tie up) and
// bytesToHuman (server.c).

/**
 * printf("%.<digits>f", v) for a finite double: the double's exact value
 * (mantissa * 2^exponent) scaled by 10^digits and rounded half to even.
 */
export function printfFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  const negative = v < 0 || Object.is(v, -0);
  const { num, den } = exactRatio(Math.abs(v));
  const scaled = num * 10n ** BigInt(digits);
  let q = scaled / den;
  const twice = (scaled % den) * 2n;
  if (twice > den || (twice === den && q % 2n === 1n)) q++;
  let s = q.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return negative ? '-' + s : s;
}

/** A non-negative finite double as num / den, both integers, exactly. */
function exactRatio(v: number): { num: bigint; den: bigint } {
  if (Number.isInteger(v)) return { num: BigInt(v), den: 1n };
  let den = 1n;
  let x = v;
  // Each doubling is exact; a double has at most 1074 fractional bits.
  while (!Number.isInteger(x)) {
    x *= 2;
    den *= 2n;
  }
  return { num: BigInt(x), den };
}

/** bytesToHuman: B below 1 KB, then K, M, G, T, P with two decimals. */
export function bytesToHuman(n: number): string {
  const units: Array<[number, string]> = [
    [1024 ** 2, 'K'],
    [1024 ** 3, 'M'],
    [1024 ** 4, 'G'],
    [1024 ** 5, 'T'],
    [1024 ** 6, 'P'],
  ];
  if (n < 1024) return `${n}B`;
  for (const [limit, unit] of units) {
    if (n < limit) return printfFixed(n / (limit / 1024), 2) + unit;
  }
  return `${n}B`;
}

/** C's (float) cast: INFO computes some ratios in single precision. */
export const float = Math.fround;
