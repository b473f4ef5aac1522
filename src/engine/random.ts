// The randomness a node may use (RANDOMKEY, later SPOP, SRANDMEMBER, ...):
// a stream the simulation derives from its seed, never the host's.
export interface RandomSource {
  /** A uniformly drawn unsigned 32-bit integer. */
  nextU32(): number;
  /** An integer in [0, n). */
  below(n: number): number;
}
