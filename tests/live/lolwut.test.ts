// LOLWUT's random drawings against redis-server 7.0.15. Real Redis seeds
// glibc's rand() with time ^ pid ^ microseconds at start-up; the pid and the
// second are known here and the microseconds are at most 20 bits, so the
// seed is found by drawing a small skyline for each candidate until one
// matches the real server's. The real server's next drawings must then come
// out of the engine's drawing code, from that same stream, byte for byte.
import { describe, expect, it } from 'vitest';
import { withRealRedis } from '../support/real-redis.ts';
import { latin1 } from '../../src/engine/bytes.ts';
import { GlibcRand } from '../../src/engine/glibc-rand.ts';
import { schotter } from '../../src/engine/lolwut/schotter.ts';
import { skyline } from '../../src/engine/lolwut/skyline.ts';
import { REDIS_VERSION } from '../../src/engine/version.ts';

type Draw = (rand: GlibcRand) => string;

/** The drawings asked of the real server, in order, with the engine's code for each. */
const DRAWINGS: readonly { readonly args: readonly string[]; readonly draw: Draw }[] = [
  // The first is small, to test a million seeds quickly.
  { args: ['VERSION', '6', '10', '4'], draw: (r) => skyline(r, 10, 4, REDIS_VERSION) },
  { args: ['VERSION', '6', '40', '10'], draw: (r) => skyline(r, 40, 10, REDIS_VERSION) },
  { args: ['VERSION', '5', '30', '4', '6'], draw: (r) => schotter(r, 30, 4, 6, REDIS_VERSION) },
  { args: ['VERSION', '5'], draw: (r) => schotter(r, 66, 8, 12, REDIS_VERSION) },
  { args: ['VERSION', '6'], draw: (r) => skyline(r, 80, 20, REDIS_VERSION) },
  { args: ['VERSION', '5', '200', '40', '60'], draw: (r) => schotter(r, 200, 40, 60, REDIS_VERSION) },
];

describe('LOLWUT VERSION 5 and 6 against redis-server', () => {
  it('draws what the real server draws from the same rand() seed', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { pid, after, outputs } = await withRealRedis([], undefined, async (_real, client) => {
      const after = Math.floor(Date.now() / 1000);
      const info = await client.command('INFO', 'server');
      if (info.type !== 'bulk') throw new Error('INFO gave no bulk reply');
      const pid = Number(/process_id:(\d+)/.exec(latin1(info.value))?.[1]);
      const outputs: string[] = [];
      for (const { args } of DRAWINGS) {
        const reply = await client.command('LOLWUT', ...args);
        if (reply.type !== 'bulk') throw new Error(`LOLWUT ${args.join(' ')} gave no bulk reply`);
        outputs.push(latin1(reply.value));
      }
      return { pid, after, outputs };
    });
    expect(pid).toBeGreaterThan(0);

    // Every seed time(NULL) ^ pid ^ usec can be, for the seconds the start may have fallen in.
    const seeds: number[] = [];
    const tried = new Set<number>();
    for (let second = before - 1; second <= after + 1; second++) {
      const high = ((second ^ pid) & ~0xfffff) >>> 0;
      if (tried.has(high)) continue;
      tried.add(high);
      for (let low = 0; low < 0x100000; low++) {
        const seed = (high | low) >>> 0;
        if (DRAWINGS[0]!.draw(new GlibcRand(seed)) === outputs[0]) seeds.push(seed);
      }
    }
    expect(seeds.length).toBeGreaterThan(0);
    // A seed matching by chance on the small drawing would fail the big ones; one must match them all.
    const matching = seeds.filter((seed) => {
      const rand = new GlibcRand(seed);
      return DRAWINGS.every(({ draw }, i) => draw(rand) === outputs[i]);
    });
    expect(matching.length).toBe(1);
  }, 120_000);
});
