// glibc's rand(): the TYPE_3 additive feedback generator behind srand() and
// random(). LOLWUT draws with it, so the same seed gives the same picture as
// real Redis, which seeds it at start-up with time ^ pid ^ microseconds.
// The state is the classic r[i] = r[i-31] + r[i-3] (mod 2^32) lagged
// Fibonacci sequence, primed by a Park-Miller LCG and 310 discarded draws.

const DEGREE = 31;
const SEPARATION = 3;
const DISCARDED = 310;

export class GlibcRand {
  private readonly ring = new Int32Array(DEGREE);
  private front = SEPARATION;
  private rear = 0;

  constructor(seed: number) {
    // srandom_r: seed 0 is taken as 1; the LCG runs on the signed word.
    let word = seed | 0 || 1;
    this.ring[0] = word;
    for (let i = 1; i < DEGREE; i++) {
      // 16807 * word % 2147483647 without overflow (Schrage's method), as glibc does it.
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      this.ring[i] = word;
    }
    for (let i = 0; i < DISCARDED; i++) this.next();
  }

  /** rand(): an integer in [0, RAND_MAX], RAND_MAX being 2^31 - 1. */
  next(): number {
    const sum = (this.ring[this.front]! + this.ring[this.rear]!) | 0;
    this.ring[this.front] = sum;
    if (++this.front === DEGREE) this.front = 0;
    if (++this.rear === DEGREE) this.rear = 0;
    return sum >>> 1;
  }
}

export const RAND_MAX = 2147483647;

/** The seed main() gives srand(): time(NULL) ^ getpid() ^ tv_usec, as an unsigned int. */
export function redisStartSeed(unixUs: number, pid: number): number {
  const seconds = Math.floor(unixUs / 1_000_000);
  const micros = Math.floor(unixUs % 1_000_000);
  return ((seconds ^ pid ^ micros) >>> 0);
}
