// The B+tree that keeps a sorted set's order (src/engine/keyspace/zset-tree.ts),
// against a plain sorted array under seeded random inserts and deletes:
// order, ranks, pairs at ranks, walks both ways and prefix counts, through
// leaf splits, merges and root changes.
import { describe, expect, it } from 'vitest';
import { comparePair, ZTree } from '../../src/engine/keyspace/zset-tree.ts';
import { rng } from '../support/seeded.ts';

type Pair = [number, string];
const cmp = (a: Pair, b: Pair) => comparePair(a[0], a[1], b[0], b[1]);

function contents(t: ZTree, reverse = false): Pair[] {
  const out: Pair[] = [];
  t.forEach((s, m) => void out.push([s, m]), reverse);
  return out;
}

function check(t: ZTree, ref: Pair[], g: ReturnType<typeof rng>): void {
  expect(t.size).toBe(ref.length);
  expect(contents(t)).toEqual(ref);
  expect(contents(t, true)).toEqual([...ref].reverse());
  for (let k = 0; k < 20 && ref.length > 0; k++) {
    const r = g.int(0, ref.length - 1);
    expect([t.scoreAt(r), t.memberAt(r)]).toEqual(ref[r]);
    expect(t.rank(ref[r][0], ref[r][1])).toBe(r);
    const reverse = g.next() < 0.5;
    const got: Pair[] = [];
    const n = g.int(1, 300);
    t.walk(r, reverse, (s, m) => got.push([s, m]) < n);
    const want = reverse ? ref.slice(Math.max(0, r - n + 1), r + 1).reverse() : ref.slice(r, r + n);
    expect(got).toEqual(want);
    const bound = g.int(-5, 105);
    expect(t.countWhile((s) => s < bound)).toBe(ref.filter((p) => p[0] < bound).length);
  }
}

describe('ZTree', () => {
  it.each([1, 2, 3])('keeps order, ranks and walks through random inserts and deletes (seed %i)', (seed) => {
    const g = rng(seed);
    const t = new ZTree();
    let ref: Pair[] = [];
    const present = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      const grow = round % 8 < 5;
      for (let i = 0; i < 400; i++) {
        if (grow || g.next() < 0.3) {
          const m = `m${g.int(0, 4000)}`;
          if (present.has(m)) continue;
          const s = g.int(0, 100) + (g.next() < 0.3 ? 0.5 : 0);
          present.set(m, s);
          t.insert(s, m);
          ref.push([s, m]);
        } else if (ref.length > 0) {
          const [s, m] = ref[g.int(0, ref.length - 1)];
          expect(t.delete(s, m)).toBe(true);
          expect(t.delete(s, m)).toBe(false);
          present.delete(m);
          ref = ref.filter((p) => p[1] !== m);
        }
      }
      ref.sort(cmp);
      check(t, ref, g);
    }
    // Down to nothing and back.
    for (const [s, m] of [...ref]) t.delete(s, m);
    expect(t.size).toBe(0);
    expect(contents(t)).toEqual([]);
    t.insert(1, 'a');
    expect(contents(t)).toEqual([[1, 'a']]);
  });

  it('orders by score, then member bytes, shorter first', () => {
    const t = new ZTree();
    for (const [s, m] of [[1, 'b'], [1, 'a'], [0, 'z'], [1, 'ab'], [-Infinity, 'x'], [Infinity, ''], [1, '\xff'], [1, '']] as Pair[]) t.insert(s, m);
    expect(contents(t)).toEqual([[-Infinity, 'x'], [0, 'z'], [1, ''], [1, 'a'], [1, 'ab'], [1, 'b'], [1, '\xff'], [Infinity, '']]);
  });

  it('builds large trees in ascending and descending order (as RDB loads do)', () => {
    for (const descending of [false, true]) {
      const t = new ZTree();
      const n = 50000;
      for (let i = 0; i < n; i++) {
        const v = descending ? n - 1 - i : i;
        t.insert(v, `k${v}`);
      }
      expect(t.size).toBe(n);
      for (const r of [0, 1, 127, 128, 4095, 25000, n - 1]) expect(t.scoreAt(r)).toBe(r);
      expect(t.rank(30000, 'k30000')).toBe(30000);
      for (let i = 0; i < n; i += 2) t.delete(i, `k${i}`);
      expect(t.size).toBe(n / 2);
      expect(t.scoreAt(100)).toBe(201);
    }
  });
});
