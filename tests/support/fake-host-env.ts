// A HostEnv for driving WorkerHost in tests: a fake wall clock, a manual
// queue of `later` callbacks, and the posted messages kept for inspection.
import type { HostEnv } from '../../src/worker/host.ts';
import type { FromWorker } from '../../src/protocol/messages.ts';
import type { WorldStore } from '../../src/worker/storage.ts';

export class FakeEnv implements HostEnv {
  wallMs = 0;
  store?: WorldStore;

  constructor(store?: WorldStore) {
    this.store = store;
  }

  posted: FromWorker[] = [];
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private seq = 0;

  post(message: FromWorker): void {
    this.posted.push(message);
  }

  now(): number {
    return this.wallMs;
  }

  later(ms: number, fn: () => void): void {
    this.timers.push({ at: this.wallMs + ms, seq: this.seq++, fn });
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves wall time forward by ms, running every callback that falls due, in order. */
  advance(ms: number): void {
    const end = this.wallMs + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      this.timers.sort((x, y) => x.at - y.at || x.seq - y.seq);
      const next = this.timers[0];
      if (!next || next.at > end) {
        this.wallMs = end;
        return;
      }
      this.timers.shift();
      this.wallMs = Math.max(this.wallMs, next.at);
      next.fn();
    }
    throw new Error('timers never settled');
  }

  /** Messages of one type posted since the last take(). */
  take<T extends FromWorker['type']>(type: T): Extract<FromWorker, { type: T }>[] {
    const hits = this.posted.filter((m) => m.type === type) as Extract<FromWorker, { type: T }>[];
    this.posted = this.posted.filter((m) => m.type !== type);
    return hits;
  }
}
