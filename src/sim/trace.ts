// The world's trace: every externally visible step, folded into a running
// hash so that a test can compare two runs with one value.

export interface TraceEntry {
  readonly timeUs: number;
  readonly kind: string;
  readonly detail: string;
}

export class Trace {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193;
  count = 0;

  record(timeUs: number, kind: string, detail: string): void {
    const text = `${timeUs} ${kind} ${detail}\n`;
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
    }
    this.h1 = h1;
    this.h2 = h2;
    this.count++;
  }

  /** The hash of everything recorded so far, as 16 hex chars. */
  get hash(): string {
    return this.h1.toString(16).padStart(8, '0') + this.h2.toString(16).padStart(8, '0');
  }
}
