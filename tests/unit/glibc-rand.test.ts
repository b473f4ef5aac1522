// glibc's rand() as the engine computes it, against values glibc 2.36 gave
// (python3: ctypes.CDLL('libc.so.6').srand(seed); rand() ...), including the
// seeds 0 and 1 (glibc takes 0 as 1) and seeds beyond 2^31 (the signed word).
import { describe, expect, it } from 'vitest';
import { GlibcRand, redisStartSeed } from '../../src/engine/glibc-rand.ts';

const GLIBC: readonly [number, readonly number[], number][] = [
  [0, [1804289383, 846930886, 1681692777, 1714636915, 1957747793], 981914693],
  [1, [1804289383, 846930886, 1681692777, 1714636915, 1957747793], 981914693],
  [12345, [383100999, 858300821, 357768173, 455528251, 133005921], 1842355799],
  [0xdeadbeef, [352217057, 918588210, 499345174, 513054021, 248820349], 1945308114],
  [2 ** 31 + 5, [902410239, 292943431, 1491539546, 1641990203, 466614789], 1800294126],
  [2 ** 32 - 1, [254925627, 1205188300, 366127624, 1401405153, 76053476], 1216673817],
];

describe('glibc rand()', () => {
  it.each(GLIBC)('seed %i gives glibc\'s first draws and its 1001st', (seed, first, thousandth) => {
    const rand = new GlibcRand(seed);
    const draws = Array.from({ length: 1001 }, () => rand.next());
    expect(draws.slice(0, 5)).toEqual(first);
    expect(draws[1000]).toBe(thousandth);
  });

  it('is seeded as main() seeds it: seconds ^ pid ^ microseconds', () => {
    expect(redisStartSeed(1_795_360_389_123_456, 3948)).toBe((1_795_360_389 ^ 3948 ^ 123_456) >>> 0);
  });
});
