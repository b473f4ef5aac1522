// A small seeded generator (a 32-bit LCG) for test data that is the same in
// every run: numbers, integers in a range, random bytes (from an alphabet).
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const bytes = (n: number, alphabet?: string) =>
    Uint8Array.from({ length: n }, () => (alphabet ? alphabet.charCodeAt(int(0, alphabet.length - 1)) : int(0, 255)));
  return { next, int, bytes };
}
