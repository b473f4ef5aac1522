// Virtual time: an integer count of microseconds since the world began.
// Nothing in engine or sim reads the host's clock; the wall-clock date a
// node shows (log lines, INFO) is the world's epoch plus virtual time.
export class Clock {
  private us = 0;
  constructor(
    /** Unix time in ms at which virtual time 0 happens. */
    readonly epochMs: number,
  ) {}

  get nowUs(): number {
    return this.us;
  }

  get nowMs(): number {
    return Math.floor(this.us / 1000);
  }

  /** Unix time in ms as the simulated machines see it. */
  /** Unix time in microseconds. */
  get unixUs(): number {
    return this.epochMs * 1000 + this.us;
  }

  get unixMs(): number {
    return this.epochMs + Math.floor(this.us / 1000);
  }

  /** Moves time forward; time never goes back. */
  advanceTo(us: number): void {
    if (!Number.isInteger(us)) throw new Error(`virtual time must be an integer, got ${us}`);
    if (us < this.us) throw new Error(`virtual time cannot go back (${us} < ${this.us})`);
    this.us = us;
  }
}
