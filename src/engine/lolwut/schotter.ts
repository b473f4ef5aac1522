// LOLWUT VERSION 5 (lolwut5.c): Georg Nees's "Schotter", squares growing
// disordered row by row, printed in braille characters (2x4 pixels each).
import { Canvas } from './canvas.ts';
import { RAND_MAX, type GlibcRand } from '../glibc-rand.ts';

const f = Math.fround;

/** Draws the squares; every step mirrors lwDrawSchotter's float and int types. */
function drawSchotter(rand: GlibcRand, cols: number, perRow: number, perCol: number): Canvas {
  const width = cols * 2;
  const padding = width > 4 ? 2 : 0;
  const side = f((width - padding * 2) / perRow);
  const height = Math.trunc(f(f(side * perCol) + padding * 2));
  const canvas = new Canvas(width, height, 0);
  const randMax = f(RAND_MAX);
  const half = f(side / 2);
  for (let y = 0; y < perCol; y++) {
    for (let x = 0; x < perRow; x++) {
      let sx = Math.trunc(f(f(f(x * side) + half) + padding));
      let sy = Math.trunc(f(f(f(y * side) + half) + padding));
      let angle = 0;
      // Rows below the second turn and shift more the lower they are.
      if (y > 1) {
        let r1 = f(f(f(f(rand.next()) / randMax) / perCol) * y);
        let r2 = f(f(f(f(rand.next()) / randMax) / perCol) * y);
        let r3 = f(f(f(f(rand.next()) / randMax) / perCol) * y);
        if (rand.next() % 2) r1 = -r1;
        if (rand.next() % 2) r2 = -r2;
        if (rand.next() % 2) r3 = -r3;
        angle = r1;
        sx = Math.trunc(f(sx + f(f(r2 * side) / 3)));
        sy = Math.trunc(f(sy + f(f(r3 * side) / 3)));
      }
      canvas.square(sx, sy, side, angle, 1);
    }
  }
  return canvas;
}

/** The canvas as UTF-8 braille, one byte per char; a newline after each row of cells but a last one at height-1. */
function renderBraille(canvas: Canvas): string {
  let text = '';
  for (let y = 0; y < canvas.height; y += 4) {
    for (let x = 0; x < canvas.width; x += 2) {
      // Braille dots: 0 3 / 1 4 / 2 5 / 6 7, bit 0 the least significant.
      let byte = 0;
      if (canvas.get(x, y)) byte |= 1 << 0;
      if (canvas.get(x, y + 1)) byte |= 1 << 1;
      if (canvas.get(x, y + 2)) byte |= 1 << 2;
      if (canvas.get(x + 1, y)) byte |= 1 << 3;
      if (canvas.get(x + 1, y + 1)) byte |= 1 << 4;
      if (canvas.get(x + 1, y + 2)) byte |= 1 << 5;
      if (canvas.get(x, y + 3)) byte |= 1 << 6;
      if (canvas.get(x + 1, y + 3)) byte |= 1 << 7;
      const code = 0x2800 + byte;
      text += String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    }
    if (y !== canvas.height - 1) text += '\n';
  }
  return text;
}

/** LOLWUT 5's picture with its caption (a latin1 string of the UTF-8 bytes). */
export function schotter(rand: GlibcRand, cols: number, perRow: number, perCol: number, version: string): string {
  const canvas = drawSchotter(rand, cols, perRow, perCol);
  return `${renderBraille(canvas)}\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ${version}\n`;
}
