// Randomized differential for the list group (tests/support/list-differential.ts):
// seeded commands against a real redis-server 7.0.15 and the engine, every
// reply byte-equal, and every list's quicklist nodes (from the real
// server's DUMP) equal to the engine's, listpack byte for byte, at each
// checkpoint. Run under several list-max-listpack-size values: size limits
// (-1, -2, -5) and entry counts (0, 1, 4, 16, 128).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { listpackElements, runListDifferential } from '../support/list-differential.ts';

let real: RealRedis;
beforeAll(async () => {
  real = await startRealRedis();
});
afterAll(async () => {
  await real?.stop();
});

describe('random list commands, against redis-server 7.0.15', () => {
  it.each([
    { fill: -2, seed: 1 },
    { fill: -2, seed: 2 },
    { fill: -1, seed: 3 },
    { fill: -5, seed: 4 },
    { fill: 0, seed: 5 },
    { fill: 1, seed: 6 },
    { fill: 4, seed: 7 },
    { fill: 16, seed: 8 },
    { fill: 128, seed: 9 },
  ])('replies and keeps the same quicklist nodes with list-max-listpack-size $fill', async ({ fill, seed }) => {
    let nodes = 0;
    for (let round = 0; round < 5; round++) {
      const result = await runListDifferential(real.port, { fill, seed: seed * 100 + round, n: 2000, checkpoint: 25, element: listpackElements });
      expect(result.differences).toEqual([]);
      expect(result.layouts).toEqual([]);
      nodes += result.nodes;
    }
    // The lists grow past one node, so splits and merges are exercised.
    expect(nodes).toBeGreaterThan(500);
  });
});
