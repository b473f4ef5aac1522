// LOLWUT's canvas (lolwut.c): a grid of small colour numbers, Bresenham
// lines and rotated squares. The squares use C's float and double steps one
// by one (Math.fround where C stores a float) and glibc's sin/cos, so every
// pixel lands where real Redis puts it.
import { libmCos, libmSin } from '../geo/libm.ts';

export class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number, background: number) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  draw(x: number, y: number, color: number): void {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return;
    this.pixels[x + y * this.width] = color;
  }

  get(x: number, y: number): number {
    if (x < 0 || x >= this.width || y < 0 || y >= this.height) return 0;
    return this.pixels[x + y * this.width]!;
  }

  line(x1: number, y1: number, x2: number, y2: number, color: number): void {
    const dx = Math.abs(x2 - x1);
    const dy = Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1;
    const sy = y1 < y2 ? 1 : -1;
    let err = dx - dy;
    for (;;) {
      this.draw(x1, y1, color);
      if (x1 === x2 && y1 === y2) break;
      const e2 = err * 2;
      if (e2 > -dy) {
        err -= dy;
        x1 += sx;
      }
      if (e2 < dx) {
        err += dx;
        y1 += sy;
      }
    }
  }

  /** A square centred on x,y, turned by angle; size is a float, angle a float. */
  square(x: number, y: number, size: number, angle: number, color: number): void {
    // The side of a square inscribed in the unit circle is sqrt(2): divide
    // by Redis's constant so size scales the circle's radius.
    const radius = Math.fround(roundHalfAway(Math.fround(size / 1.4142135623)));
    const px: number[] = [];
    const py: number[] = [];
    let k = Math.fround(Math.PI / 4 + angle);
    for (let j = 0; j < 4; j++) {
      px.push(roundHalfAway(libmSin(k) * radius + x));
      py.push(roundHalfAway(libmCos(k) * radius + y));
      k = Math.fround(k + Math.PI / 2);
    }
    for (let j = 0; j < 4; j++) this.line(px[j]!, py[j]!, px[(j + 1) % 4]!, py[(j + 1) % 4]!, color);
  }
}

/** C's round(): halves away from zero (Math.round takes them towards +infinity). */
export function roundHalfAway(v: number): number {
  const whole = Math.trunc(v);
  const rest = v - whole;
  if (rest >= 0.5) return whole + 1;
  if (rest <= -0.5) return whole - 1;
  return whole;
}
