// Drives a World in real time: virtual time follows the host's clock, and a
// timer fires when the next simulated event is due.
import type { World } from '../sim/world.ts';

export class RealTimeDriver {
  private readonly startWall = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(private readonly world: World) {}

  /** Brings virtual time up to now, running what fell due. */
  sync(): void {
    const nowUs = Math.floor((performance.now() - this.startWall) * 1000);
    if (nowUs > this.world.nowUs) this.world.runUntil(nowUs);
  }

  /** Sets the timer for the next due event (after anything that may schedule one). */
  arm(): void {
    const next = this.world.nextEventTime();
    if (next === undefined) return;
    if (this.timer && next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    const delayMs = Math.max(0, (next - this.world.nowUs) / 1000);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.sync();
      this.arm();
    }, delayMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
