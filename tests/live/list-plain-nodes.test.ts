// The list differential (tests/support/list-differential.ts) with plain
// quicklist nodes: elements of at least packed_threshold bytes get a node of
// their own. The threshold is 1 GB by default; the real server lowers it
// with DEBUG QUICKLIST-PACKED-THRESHOLD (a process-wide setting), the
// engine through the setting that command sets (the differential's node is
// driven directly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { runListDifferential, type ElementSource } from '../support/list-differential.ts';

const THRESHOLD = 200;

let real: RealRedis;
beforeAll(async () => {
  real = await startRealRedis(['--enable-debug-command', 'yes']);
  const client = await RawClient.connect(real.port);
  const ok = await client.command('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(THRESHOLD));
  client.close();
  if (ok.type !== 'status') throw new Error('DEBUG QUICKLIST-PACKED-THRESHOLD failed');
});
afterAll(async () => {
  await real?.stop();
});

/** Mostly small elements, some right at the threshold and beyond it. */
const elements: ElementSource = (g) => {
  const kind = g.int(0, 9);
  if (kind <= 1) return 'P'.repeat(g.pick([THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, 500]));
  if (kind <= 3) return String(g.int(-1000, 1000));
  if (kind <= 5) return 'z'.repeat(g.int(30, 150));
  return 'e' + g.int(0, 20);
};

describe('random list commands with plain nodes, against redis-server 7.0.15', () => {
  it.each([
    { fill: -2, seed: 11 },
    { fill: -1, seed: 12 },
    { fill: 4, seed: 13 },
  ])('replies and keeps the same nodes with list-max-listpack-size $fill', async ({ fill, seed }) => {
    let plainNodes = 0;
    for (let round = 0; round < 5; round++) {
      const result = await runListDifferential(real.port, { fill, seed: seed * 100 + round, n: 1500, checkpoint: 20, element: elements, packedThreshold: THRESHOLD });
      expect(result.differences).toEqual([]);
      expect(result.layouts).toEqual([]);
      plainNodes += result.plainNodes;
    }
    expect(plainNodes).toBeGreaterThan(100);
  });
});
