// LOLWUT [VERSION v] [...] (lolwut.c): 7.0 has no drawing of its own and
// prints its version; VERSION 5 draws Schotter, VERSION 6 the skyline, both
// with the process's glibc rand() stream as real Redis does.
import type { Handler } from './context.ts';
import { parseLongLong } from './args.ts';
import { lowerAscii } from '../bytes.ts';
import { writeVerbatim } from '../info/verbatim.ts';
import { REDIS_VERSION } from '../version.ts';
import { schotter } from '../lolwut/schotter.ts';
import { skyline } from '../lolwut/skyline.ts';

const clamp = (v: number | bigint, min: number, max: number): number => Number(v < min ? min : v > max ? max : v);

/** The optional integer arguments in order, with their defaults; an error text when one is not an integer. */
function readArgs(args: readonly Uint8Array[], defaults: readonly number[]): (number | bigint)[] | string {
  const values: (number | bigint)[] = [...defaults];
  for (let i = 0; i < defaults.length && i < args.length; i++) {
    const parsed = parseLongLong(args[i]!);
    if (!parsed.ok) return parsed.error;
    values[i] = parsed.value;
  }
  return values;
}

const lolwut: Handler = ({ node, argv, reply }) => {
  let version = REDIS_VERSION;
  let args = argv.slice(1);
  if (argv.length >= 3 && lowerAscii(argv[1]!) === 'version') {
    const parsed = parseLongLong(argv[2]!);
    if (!parsed.ok) return reply.error(parsed.error);
    // snprintf("%u.0.0", (unsigned int)ver): the low 32 bits, unsigned.
    version = `${Number(BigInt.asUintN(32, BigInt(parsed.value)))}.0.0`;
    args = argv.slice(3);
  }
  // Redis picks the drawing by the version string's first characters: 4.9 and 5.x draw 5, 5.9 and 6.x draw 6.
  const [a, b, c] = version;
  const draws5 = (a === '5' && b === '.' && c !== '9') || (a === '4' && b === '.' && c === '9');
  const draws6 = (a === '6' && b === '.' && c !== '9') || (a === '5' && b === '.' && c === '9');
  if (draws5) {
    const values = readArgs(args, [66, 8, 12]);
    if (typeof values === 'string') return reply.error(values);
    const [cols, perRow, perCol] = values as [number | bigint, number | bigint, number | bigint];
    return writeVerbatim(reply, schotter(node.libcRand, clamp(cols, 1, 1000), clamp(perRow, 1, 200), clamp(perCol, 1, 200), REDIS_VERSION));
  }
  if (draws6) {
    const values = readArgs(args, [80, 20]);
    if (typeof values === 'string') return reply.error(values);
    const [cols, rows] = values as [number | bigint, number | bigint];
    return writeVerbatim(reply, skyline(node.libcRand, clamp(cols, 1, 1000), clamp(rows, 1, 1000), REDIS_VERSION));
  }
  writeVerbatim(reply, `Redis ver. ${REDIS_VERSION}\n`);
};

export const lolwutHandlers: Record<string, Handler> = { lolwut };
