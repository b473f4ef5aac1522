// LOLWUT VERSION 6 (lolwut6.c): a city skyline in the four greys of a
// colour terminal, after Plaguemon's 8-bit parallax backgrounds. Every
// building's place and size, and the grey of every lit square on a building, is a rand() draw.
import { Canvas } from './canvas.ts';
import type { GlibcRand } from '../glibc-rand.ts';

interface Building {
  xoff: number;
  width: number;
  height: number;
  windows: boolean;
  color: number;
}

/** One building, drawn bottom up; windows (two pixels wide, one tall) in a random grey. */
function drawBuilding(rand: GlibcRand, canvas: Canvas, b: Building): void {
  const bottom = canvas.height - 1;
  const top = bottom - b.height + 1;
  for (let y = bottom; y >= top; y--) {
    for (let x = b.xoff; x < b.xoff + b.width; x++) {
      // The roof is four pixels narrower.
      if (y === top && (x <= b.xoff + 1 || x >= b.xoff + b.width - 2)) continue;
      let color = b.color;
      if (b.windows && x > b.xoff + 1 && x < b.xoff + b.width - 2 && y > top + 1 && y < bottom - 1) {
        const relx = x - (b.xoff + 1);
        const rely = y - (top + 1);
        if (Math.trunc(relx / 2) % 2 && rely % 2) {
          // The draw happens even for the second pixel, which then copies the first.
          do color = 1 + (rand.next() % 2);
          while (color === b.color);
          if (relx % 2) color = canvas.get(x - 1, y);
        }
      }
      canvas.draw(x, y, color);
    }
  }
}

/** Light grey buildings behind darker ones, then black ones with windows in front. */
export function drawSkyline(rand: GlibcRand, canvas: Canvas): void {
  const h = canvas.height;
  for (let color = 2; color >= 1; color--) {
    for (let offset = -10; offset < canvas.width; ) {
      offset += rand.next() % 8;
      const width = 10 + (rand.next() % 9);
      // C's rand()%h/2 is (rand()%h)/2.
      const height = color === 2
        ? Math.trunc(h / 2) + Math.trunc((rand.next() % h) / 2)
        : Math.trunc(h / 2) + Math.trunc((rand.next() % h) / 3);
      drawBuilding(rand, canvas, { xoff: offset, width, height, windows: false, color });
      offset += color === 2 ? Math.trunc(width / 2) : width + 1;
    }
  }
  for (let offset = -10; offset < canvas.width; ) {
    offset += rand.next() % 8;
    let width = 5 + (rand.next() % 14);
    if (width % 4) width += width % 3;
    const height = Math.trunc(h / 3) + Math.trunc((rand.next() % h) / 2);
    drawBuilding(rand, canvas, { xoff: offset, width, height, windows: true, color: 0 });
    offset += width + 5;
  }
}

/** Foreground and background set together, for the same look on every terminal. */
const GREYS = ['0;30;40m', '0;90;100m', '0;37;47m', '0;97;107m'];

/** LOLWUT 6's picture with its caption. */
export function skyline(rand: GlibcRand, cols: number, rows: number, version: string): string {
  const canvas = new Canvas(cols, rows, 3);
  drawSkyline(rand, canvas);
  let text = '';
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) text += `\x1b[${GREYS[canvas.get(x, y)] ?? GREYS[0]} \x1b[0m`;
    if (y !== canvas.height - 1) text += '\n';
  }
  return (
    `${text}\nDedicated to the 8 bit game developers of past and present.\n` +
    `Original 8 bit image from Plaguemon by hikikomori. Redis ver. ${version}\n`
  );
}
