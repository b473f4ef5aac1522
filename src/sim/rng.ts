// Seeded randomness: sfc32 streams, each derived from the world seed and a
// label ("node:6379", "link:6379-6380"), so adding a node does not change
// what another node draws.

function hash32(text: string, seed: number): number {
  // FNV-1a over the label, mixed with the seed.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number, readonly label = 'world') {
    this.a = hash32(label, seed);
    this.b = hash32(label + '#b', seed ^ 0x9e3779b9);
    this.c = hash32(label + '#c', seed ^ 0x85ebca6b);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** An independent stream for a named part of the world. */
  split(label: string): Rng {
    return new Rng(this.seed, `${this.label}/${label}`);
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.nextU32() / 4294967296) * n);
  }

  /** n random lower-case hex chars (run_id and replid are 40 of them). */
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += this.nextU32().toString(16).padStart(8, '0');
    return out.slice(0, n);
  }
}
