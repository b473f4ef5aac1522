// Corrupt variants of DUMP payloads for the RDB differential tests: every
// byte of the value flipped (three masks), and the value cut at every
// length, each with the footer kept and its CRC-64 made right again, so a
// server reads the damaged value rather than refusing the checksum.
import { withCrc } from './old-encodings.ts';

/** The payload with byte i of its value changed (the footer's CRC made right again). */
export function flipped(p: Uint8Array, i: number, mask: number): Uint8Array {
  const out = p.slice();
  out[i] ^= mask;
  return withCrc(out);
}

/** The value cut to n bytes, the footer kept. */
export function truncated(p: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n + 10);
  out.set(p.subarray(0, n));
  out.set(p.subarray(p.length - 10), n);
  return withCrc(out);
}

/**
 * Every flip (masks ff, 01, 80) and every truncation of each named base
 * payload; a flip of the type byte into one of `skipTypes` is left out.
 */
export function corruptVariants(bases: ReadonlyArray<readonly [string, Uint8Array]>, skipTypes: readonly number[]): Array<[string, Uint8Array]> {
  const variants: Array<[string, Uint8Array]> = [];
  for (const [name, p] of bases) {
    for (let i = 0; i < p.length - 8; i++) {
      for (const mask of [0xff, 0x01, 0x80]) {
        if (i === 0 && skipTypes.includes(p[0] ^ mask)) continue;
        variants.push([`${name}: byte ${i} ^ ${mask.toString(16)}`, flipped(p, i, mask)]);
      }
    }
    for (let n = 1; n < p.length - 10; n++) variants.push([`${name}: cut to ${n}`, truncated(p, n)]);
  }
  return variants;
}

export interface RestoreTally {
  /** Variants both sides answered alike: accepted, or refused. */
  same: number;
  ok: number;
  refused: number;
  /** Variants answered differently, which `differ` accepted as a named tolerance. */
  tolerated: string[];
}

/**
 * RESTOREs each variant on a real server and on the engine (each answer as
 * text) and tallies the outcomes; a variant answered differently goes to
 * `differ`, which asserts that it is a tolerated difference.
 */
export async function tallyRestores(
  variants: ReadonlyArray<readonly [string, Uint8Array]>,
  real: (payload: Uint8Array) => Promise<string>,
  engine: (payload: Uint8Array) => string,
  differ: (name: string, payload: Uint8Array, want: string, got: string) => Promise<void>,
): Promise<RestoreTally> {
  const tally: RestoreTally = { same: 0, ok: 0, refused: 0, tolerated: [] };
  for (const [name, payload] of variants) {
    const want = await real(payload);
    const got = engine(payload);
    if (got === want) {
      tally.same++;
      if (want === 'status:OK') tally.ok++;
      else tally.refused++;
      continue;
    }
    await differ(name, payload, want, got);
    tally.tolerated.push(name);
  }
  return tally;
}
