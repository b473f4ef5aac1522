// Drives a World in real time: virtual time follows the host's clock (times
// the speed, unless paused), and a timer fires when the next simulated event
// is due. SIM PAUSE / RESUME / SPEED / STEP on the control port land here.
import type { World } from '../sim/world.ts';
import type { TimeControl } from '../sim/control.ts';

export class RealTimeDriver implements TimeControl {
  private anchorWall = performance.now();
  private anchorVirtualUs = 0;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  paused = false;
  speed = 1;
  static readonly WORK_MS = 20;

  constructor(private readonly world: World) {}

  /** Brings virtual time up to now, running what fell due. */
  sync(): void {
    if (this.paused) return;
    const now = performance.now();
    const target = this.anchorVirtualUs + Math.floor((now - this.anchorWall) * 1000 * this.speed);
    if (target <= this.world.nowUs) return;
    // Sockets are served between slices of at most WORK_MS; a world that
    // needs more falls behind wall time and goes on from there.
    const deadline = now + RealTimeDriver.WORK_MS;
    if (!this.world.runUntil(target, () => performance.now() >= deadline)) this.anchor();
  }

  /** Sets the timer for the next due event (after anything that may schedule one). */
  arm(): void {
    const next = this.world.nextEventTime();
    if (next === undefined || this.paused) return;
    if (this.timer && next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    const delayMs = Math.max(0, (next - this.world.nowUs) / 1000 / this.speed);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.sync();
      this.arm();
    }, delayMs);
  }

  private anchor(): void {
    this.anchorWall = performance.now();
    this.anchorVirtualUs = this.world.nowUs;
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  pause(): void {
    this.sync();
    this.paused = true;
    this.disarm();
  }

  resume(): void {
    this.paused = false;
    this.anchor();
    this.arm();
  }

  setSpeed(speed: number): void {
    this.sync();
    this.speed = speed;
    this.anchor();
    this.disarm();
    this.arm();
  }

  step(us: number): void {
    this.sync();
    this.world.runUntil(this.world.nowUs + us);
    this.anchor();
    this.disarm();
    this.arm();
  }

  stop(): void {
    this.disarm();
  }
}
