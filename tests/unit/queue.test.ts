// EventQueue: a binary heap ordered by (time, sequence).
import { describe, expect, it } from 'vitest';
import { EventQueue, type SimEvent } from '../../src/sim/queue.ts';

function popAll(q: EventQueue): SimEvent[] {
  const out: SimEvent[] = [];
  for (let e = q.pop(); e; e = q.pop()) out.push(e);
  return out;
}

describe('EventQueue', () => {
  it('is empty at first', () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peek()).toBeUndefined();
    expect(q.pop()).toBeUndefined();
  });

  it('pops events in time order', () => {
    const q = new EventQueue();
    for (const t of [50, 10, 40, 20, 30]) q.push(t, () => {});
    expect(popAll(q).map((e) => e.timeUs)).toEqual([10, 20, 30, 40, 50]);
  });

  it('pops events at the same time in the order they were pushed', () => {
    const q = new EventQueue();
    const order: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) q.push(100, () => order.push(name));
    for (const e of popAll(q)) e.run();
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('gives each event a rising sequence number and starts it not cancelled', () => {
    const q = new EventQueue();
    const a = q.push(5, () => {});
    const b = q.push(1, () => {});
    expect(b.seq).toBe(a.seq + 1);
    expect(a.cancelled).toBe(false);
  });

  it('peeks at the next event without removing it', () => {
    const q = new EventQueue();
    q.push(7, () => {});
    const first = q.push(3, () => {});
    expect(q.peek()).toBe(first);
    expect(q.size).toBe(2);
    expect(q.pop()).toBe(first);
    expect(q.size).toBe(1);
  });

  it('matches a sorted reference over 20,000 random pushes and interleaved pops', () => {
    const q = new EventQueue();
    const reference: { timeUs: number; seq: number }[] = [];
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.floor((seed / 4294967296) * n);
    };
    const popped: SimEvent[] = [];
    const expected: { timeUs: number; seq: number }[] = [];
    const byTimeThenSeq = (x: { timeUs: number; seq: number }, y: { timeUs: number; seq: number }) =>
      x.timeUs - y.timeUs || x.seq - y.seq;
    for (let i = 0; i < 20_000; i++) {
      if (rand(3) === 0 && reference.length > 0) {
        reference.sort(byTimeThenSeq);
        expected.push(reference.shift()!);
        popped.push(q.pop()!);
      } else {
        // Few distinct times, so ties on time are common.
        const e = q.push(rand(200), () => {});
        reference.push({ timeUs: e.timeUs, seq: e.seq });
      }
      expect(q.size).toBe(reference.length);
    }
    reference.sort(byTimeThenSeq);
    expected.push(...reference);
    popped.push(...popAll(q));
    expect(popped.map((e) => [e.timeUs, e.seq])).toEqual(expected.map((e) => [e.timeUs, e.seq]));
  });

  it('pops a large random batch in non-decreasing (time, seq) order', () => {
    const q = new EventQueue();
    let x = 1;
    for (let i = 0; i < 5000; i++) {
      x = (x * 48271) % 2147483647;
      q.push(x % 1000, () => {});
    }
    const out = popAll(q);
    expect(out).toHaveLength(5000);
    for (let i = 1; i < out.length; i++) {
      const a = out[i - 1];
      const b = out[i];
      expect(a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq)).toBe(true);
    }
  });
});
