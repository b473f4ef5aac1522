// Randomized differential for the stream type: seeded commands against a
// real redis-server 7.0.15 and an engine node in process, every reply
// byte-equal, and every key's DUMP equal byte for byte at each checkpoint:
// the nodes' listpacks (master entries, SAMEFIELDS, deltas, tombstones,
// counters) and where nodes start and go, the counters and IDs, the groups,
// PELs and consumers. Run under several stream-node-max-entries / -bytes
// settings, so nodes fill by count, by bytes, and hold one entry each
// (which also checks XINFO STREAM's radix-tree-nodes against rax.c).
//
// IDs are explicit (or "<ms>-*", which both sides complete the same way):
// `*` takes the clock. Times differ between the two servers (the engine's
// clock stands still at its epoch), so the replies and payloads that hold
// them are compared with the times masked (tests/support/stream-differential.ts),
// and the idle thresholds the commands test (XCLAIM, XAUTOCLAIM, XPENDING
// IDLE) are chosen far from any idle time the test produces: fresh
// deliveries (idle near 0), IDLE 100000000, TIME 1000..5000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { runStreamDifferential } from '../support/stream-differential.ts';

let real: RealRedis;
beforeAll(async () => {
  real = await startRealRedis();
});
afterAll(async () => {
  await real?.stop();
});

describe('random stream commands, against redis-server 7.0.15', () => {
  it.each([
    { entries: 100, bytes: 4096, seed: 1 },
    { entries: 100, bytes: 4096, seed: 2 },
    { entries: 3, bytes: 4096, seed: 3 },
    { entries: 1, bytes: 0, seed: 4 },
    { entries: 0, bytes: 150, seed: 5 },
    { entries: 10, bytes: 400, seed: 6 },
  ])('replies alike and dumps the same bytes with stream-node-max-entries $entries, -bytes $bytes', async ({ entries, bytes, seed }) => {
    let dumped = 0;
    for (let round = 0; round < 3; round++) {
      const result = await runStreamDifferential(real.port, { entries, bytes, seed: seed * 100 + round, n: 1200, checkpoint: 40 });
      expect(result.differences).toEqual([]);
      expect(result.dumps).toEqual([]);
      expect(result.errors).toBeLessThan(result.commands * 0.3);
      dumped += result.dumped;
    }
    expect(dumped).toBeGreaterThan(50);
  });
});
