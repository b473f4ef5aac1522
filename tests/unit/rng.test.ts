// Rng: seeded sfc32 streams, split by label.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/sim/rng.ts';

const draw = (r: Rng, n = 50) => Array.from({ length: n }, () => r.nextU32());

describe('Rng', () => {
  it('gives the same stream for the same seed and label', () => {
    expect(draw(new Rng(7, 'node:6379'))).toEqual(draw(new Rng(7, 'node:6379')));
    expect(draw(new Rng(7))).toEqual(draw(new Rng(7, 'world')));
  });

  it('gives different streams for different seeds', () => {
    expect(draw(new Rng(1))).not.toEqual(draw(new Rng(2)));
  });

  it('gives different streams for different labels', () => {
    expect(draw(new Rng(1, 'a'))).not.toEqual(draw(new Rng(1, 'b')));
  });

  it('draws unsigned 32-bit integers', () => {
    const r = new Rng(3);
    for (const v of draw(r, 1000)) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(2 ** 32);
    }
  });

  it('splits into a stream named after the parent label, independent of what the parent drew', () => {
    const parent = new Rng(5);
    const before = draw(parent.split('node:6380'));
    draw(parent, 100);
    const after = draw(parent.split('node:6380'));
    expect(after).toEqual(before);
    expect(parent.split('x').label).toBe('world/x');
    expect(draw(parent.split('x'))).toEqual(draw(new Rng(5, 'world/x')));
  });

  it('gives split streams that do not affect each other', () => {
    const root = new Rng(9);
    const a1 = root.split('a');
    const b1 = root.split('b');
    const aAlone = draw(root.split('a'), 20);
    // Drawing from b in between must not change a.
    const interleaved: number[] = [];
    for (let i = 0; i < 20; i++) {
      interleaved.push(a1.nextU32());
      b1.nextU32();
    }
    expect(interleaved).toEqual(aAlone);
    expect(draw(root.split('a'))).not.toEqual(draw(root.split('b')));
  });

  it('draws below(n) in [0, n)', () => {
    const r = new Rng(11);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.below(10);
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(10);
      seen.add(v);
    }
    expect(seen.size).toBe(10);
  });

  it.each([0, 1, 7, 8, 9, 16, 40, 41, 100])('draws hex(%i) as exactly that many lower-case hex chars', (n) => {
    const r = new Rng(13);
    for (let i = 0; i < 20; i++) {
      const h = r.hex(n);
      expect(h).toHaveLength(n);
      expect(h).toMatch(/^[0-9a-f]*$/);
    }
  });

  it('draws 40-char run ids that differ from each other and use all 16 hex digits', () => {
    const r = new Rng(17);
    const ids = Array.from({ length: 200 }, () => r.hex(40));
    expect(new Set(ids).size).toBe(200);
    expect(new Set(ids.join('')).size).toBe(16);
  });

  it('gives the same hex for the same seed and label', () => {
    expect(new Rng(21, 'node:6379').hex(40)).toBe(new Rng(21, 'node:6379').hex(40));
  });
});
