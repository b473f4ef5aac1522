// Randomized differential for the two string commands whose answers come
// from arithmetic rather than from a table of cases: INCRBYFLOAT (the x87
// long double emulation of long-double.ts: parsing, rounding, formatting)
// and LCS (which subsequence and which ranges the walk picks). The same
// seeded commands go to a real redis-server 7.0.15 and to the engine in
// process; every reply must be byte-equal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { EngineRunner } from '../support/runners.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

let real: RealRedis;
beforeAll(async () => {
  real = await startRealRedis();
});
afterAll(async () => {
  await real?.stop();
});

function generator(seed: number) {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[int(0, chars.length - 1)]).join('');
  return { random, int, pick };
}

/** A number as strtold reads it: decimal or hex, near the format's limits or not. */
function number(g: ReturnType<typeof generator>): string {
  const sign = ['', '', '-', '+'][g.int(0, 3)];
  const kind = g.int(0, 9);
  if (kind === 0) {
    const exp = [g.int(-16520, -16400), g.int(16300, 16390), g.int(-80, 80)][g.int(0, 2)];
    const frac = g.random() < 0.5 ? '.' + g.pick('0123456789abcdef', g.int(0, 20)) : '';
    return `${sign}0x${g.pick('0123456789abcdef', g.int(1, 20))}${frac}p${exp}`;
  }
  let whole = g.pick('0123456789', g.int(0, 22));
  const frac = g.random() < 0.7 ? '.' + g.pick('0123456789', g.int(0, 25)) : '';
  if (whole === '' && frac.length <= 1) whole = '1';
  const exp = kind === 1 ? `e${g.int(-4960, 4940)}` : kind === 2 ? `e${g.int(-30, 30)}` : kind === 3 ? `E${g.int(-4955, -4945)}` : '';
  return `${sign}${whole}${frac}${exp}`;
}

/** The first differences (none expected), and how many replies were values rather than errors. */
async function compare(commands: string[][]): Promise<{ differences: string[]; values: number }> {
  const client = await RawClient.connect(real.port);
  const engine = new EngineRunner();
  const encoded = commands.map((c) => encodeCommand(c.map(fromLatin1)));
  for (const bytes of encoded) client.write(bytes);
  const differences: string[] = [];
  let values = 0;
  for (let i = 0; i < commands.length; i++) {
    const want = latin1((await client.read()).bytes);
    const got = latin1((await engine.run({ source: '', bytes: encoded[i], replies: 1 })).output[0]);
    if (want[0] !== '-') values++;
    if (want !== got && differences.length < 5) differences.push(`${commands[i].join(' ')}: redis ${JSON.stringify(want)}, engine ${JSON.stringify(got)}`);
  }
  client.close();
  return { differences, values };
}

describe('random string commands, against redis-server 7.0.15', () => {
  it('INCRBYFLOAT parses, adds and prints as the real server does', async () => {
    const g = generator(20260101);
    const commands: string[][] = [];
    for (let i = 0; i < 10000; i++) {
      const key = `f:${i}`;
      if (g.random() < 0.3) commands.push(['SET', key, number(g)]);
      commands.push(['INCRBYFLOAT', key, number(g)]);
      // Running sums, which keep rounding.
      commands.push(['INCRBYFLOAT', `f:sum${i % 7}`, number(g).replace(/[eE].*/, '')]);
    }
    const { differences, values } = await compare(commands);
    expect(differences).toEqual([]);
    // The inputs stay meaningful: most replies are results, not errors.
    expect(values / commands.length).toBeGreaterThan(0.6);
  });

  it('LCS picks the same subsequence and ranges', async () => {
    const g = generator(7);
    const commands: string[][] = [];
    for (let i = 0; i < 1500; i++) {
      const alphabet = 'ABCDEFGH'.slice(0, g.int(1, 8));
      commands.push(['MSET', 'a', g.pick(alphabet, g.int(0, 40)), 'b', g.pick(alphabet, g.int(0, 40))]);
      const options = [['IDX', 'WITHMATCHLEN'], [], ['LEN'], ['IDX', 'MINMATCHLEN', String(g.int(-1, 4))]][g.int(0, 3)];
      commands.push(['LCS', 'a', 'b', ...options]);
    }
    expect((await compare(commands)).differences).toEqual([]);
  });
});
