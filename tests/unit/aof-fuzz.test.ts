// Fuzz of the AOF loader, as a node with appendonly yes meets damaged files
// at start-up: its incr file, its manifest or its base (an RDB), cut,
// changed, shortened, stretched (tests/support/fuzz-rdb.ts's mutations).
// Whatever the bytes, nothing throws out of the host; a node that refuses
// its files stays down and says why with one of the lines redis-server
// logs for it; one that accepts them answers for every key it loaded; the
// other node of the world keeps answering. AOF_FUZZ_CASES=N runs N cases.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { rng } from '../support/seeded.ts';
import { FILL_COMMANDS, mutate } from '../support/fuzz-rdb.ts';
import { REFUSALS, readEverything, stillServing } from '../support/fuzz-load.ts';

const CASES = Number(process.env.AOF_FUZZ_CASES ?? 600);
const SEED = Number(process.env.AOF_FUZZ_SEED ?? 20261122);

/** The lines redis-server 7.0.15 logs when it refuses its AOF at start-up. */
const AOF_REFUSALS: ReadonlyArray<readonly [string, RegExp]> = [
  ['bad format', /^Bad file format reading the append only file \S+: make a backup of your AOF file, then use \.\/redis-check-aof --fix <filename\.manifest>$/],
  ['unexpected end', /^Unexpected end of file reading the append only file \S+\. You can: 1\) Make a backup/],
  ['unknown command', /^Unknown command '[^]*' reading the append only file \S+$/],
  ['truncated not last', /^Fatal error: the truncated file is not the last file$/],
  ['missing file', /^Unable to obtain the AOF file [^]+ length\. stat: No such file or directory$/],
  ['manifest', /^\n\*\*\* FATAL AOF MANIFEST FILE ERROR \*\*\*\n$/],
  ['base', /^Error reading the RDB base file \S+, AOF loading aborted$/],
  ...REFUSALS,
];

const DIR = 'appendonlydir';

describe('AOF fuzz', () => {
  it('a node meets damaged AOF files at start-up: it loads them or refuses them as Redis does, and the world goes on', () => {
    const s = new Scenario({ ports: [6379, 6380], directives: [['appendonly', 'yes'], ['enable-debug-command', 'yes']] });
    // The base holds a rewrite of every type; the incr file the same commands again, MULTI/EXEC and SELECTs.
    for (const c of FILL_COMMANDS) s.cmd(6379, ...c);
    s.cmd(6379, 'BGREWRITEAOF');
    s.waitFor(() => s.info(6379, 'persistence').aof_rewrite_in_progress === '0', 10);
    s.cmd(6379, 'SELECT', '0');
    for (const c of FILL_COMMANDS.slice(0, 8)) s.cmd(6379, ...c);
    s.cmd(6379, 'MULTI');
    s.cmd(6379, 'INCR', 'counter');
    s.cmd(6379, 'LPUSH', 'list:lp', 'z');
    s.cmd(6379, 'EXEC');
    s.sim('KILL', '6379');
    const disk = s.world.disk(6379);
    const names = disk.list().map((f) => f.name).filter((n) => n.startsWith(`${DIR}/`));
    const original = new Map(names.map((n) => [n, disk.read(n)!]));
    const incr = names.find((n) => n.endsWith('.incr.aof'))!;
    const base = names.find((n) => n.endsWith('.base.rdb'))!;
    const manifest = names.find((n) => n.endsWith('.manifest'))!;
    // Most cases damage the incr file, where the AOF's own format is.
    const targets = [incr, incr, incr, manifest, base];

    const r = rng(SEED);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      for (const [n, bytes] of original) disk.write(n, bytes);
      const target = targets[i % targets.length]!;
      const m = mutate(original.get(target)!, r);
      disk.write(target, m.bytes);
      const what = `case ${i} (${target}: ${m.what})`;
      const from = s.mark();
      try {
        s.sim('START', '6379');
      } catch (e) {
        throw new Error(`${what}: the host got ${(e as Error).stack}`);
      }
      const up = s.world.nodes().find((n) => n.port === 6379)!.up;
      if (up) {
        outcomes.set('loaded', (outcomes.get('loaded') ?? 0) + 1);
        try {
          readEverything(s, 6379);
        } catch (e) {
          throw new Error(`${what}: loaded, then ${(e as Error).message}`);
        }
        s.sim('KILL', '6379');
      } else {
        const lines = s.logs(6379, from).map((l) => l.replace(/^\w \S /, ''));
        const why = AOF_REFUSALS.find(([, re]) => lines.some((l) => re.test(l)));
        if (!why) throw new Error(`${what}: refused without one of Redis's lines:\n${lines.join('\n')}`);
        outcomes.set(why[0], (outcomes.get(why[0]) ?? 0) + 1);
      }
      stillServing(s, i);
    }
    if (process.env.AOF_FUZZ_REPORT) console.log(JSON.stringify([...outcomes]));
    for (const kind of ['loaded', 'bad format', 'manifest', 'base']) expect(outcomes.get(kind) ?? 0, `${kind} in ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
  }, 120_000);
});
