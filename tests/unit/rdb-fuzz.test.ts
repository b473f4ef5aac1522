// Fuzz of the RDB loader, as a node meets a damaged file: at start-up (a
// dump.rdb on its disk) and in RESTORE (a DUMP payload). The files are real
// redis-server's (redis-facts.md's examples) and the engine's own with every
// type and encoding, cut, changed, shortened, stretched, their checksums
// made right again half the time. Whatever the bytes:
// - nothing throws out of the host, and the load's loop is bounded (read in
//   steps of one key, it takes at most a step per byte);
// - a node that refuses its file stays down and says why with one of the
//   lines redis-server logs for it; one that accepts it answers for every
//   key it loaded, each reply well-formed, and DEBUG DIGEST walks them all;
// - RESTORE answers +OK or one of Redis's errors, and a value it accepted
//   reads back and dumps again;
// - another node of the same world keeps answering throughout.
// A few thousand seeded cases run with the unit tests; RDB_FUZZ_CASES=N runs
// N of each (RDB_FUZZ_SEED picks another seed).
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { rng } from '../support/seeded.ts';
import { baseRdbFiles, mutate } from '../support/fuzz-rdb.ts';
import { REFUSALS, ask, cmd, readEverything, stillServing } from '../support/fuzz-load.ts';
import { NodeConfig } from '../../src/engine/config.ts';
import { RdbError, readRdb, readRdbSteps, type RdbReadOptions } from '../../src/engine/rdb/reader.ts';
import { withCrc } from '../support/old-encodings.ts';
import { bytesOf } from '../support/world-client.ts';

const CASES = Number(process.env.RDB_FUZZ_CASES ?? 2000);
const SEED = Number(process.env.RDB_FUZZ_SEED ?? 20261122);
const TIMEOUT = Math.max(60_000, CASES * 40);

/** RESTORE's answers: +OK, or one of these. */
const RESTORE_ERRORS = [/^ERR DUMP payload version or checksum are wrong$/, /^ERR Bad data format$/, /^ERR RESTORE of \w+ values is not supported by this engine yet$/];

const READ: RdbReadOptions = { databases: 16, verifyChecksum: true, decode: { config: new NodeConfig() }, shareBytes: true };

describe('RDB fuzz', () => {
  it(
    'a node meets damaged dump.rdb files at start-up: it loads them or refuses them as Redis does, and the world goes on',
    () => {
      const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
      const r = rng(SEED);
      const bases = baseRdbFiles();
      const outcomes = new Map<string, number>();
      for (let i = 0; i < CASES; i++) {
        const [name, file] = bases[i % bases.length];
        const m = mutate(file, r);
        const what = `case ${i} (${name}: ${m.what})`;
        // The loop is bounded: one key per step at most one step per byte, and the same outcome as in one go.
        let steps = 0;
        let stepped: string;
        try {
          const it = readRdbSteps(m.bytes, READ, { key: () => {} }, { keys: 1, bytes: 1 });
          for (let x = it.next(); !x.done; x = it.next()) if (++steps > m.bytes.length) throw new Error(`${what}: more steps than bytes`);
          stepped = 'ok';
        } catch (e) {
          if (!(e instanceof RdbError)) throw new Error(`${what}: ${String(e)}`);
          stepped = e.kind;
        }
        let whole: string;
        try {
          readRdb(m.bytes, READ, { key: () => {} });
          whole = 'ok';
        } catch (e) {
          if (!(e instanceof RdbError)) throw new Error(`${what}: ${String(e)}`);
          whole = e.kind;
        }
        expect(stepped, what).toBe(whole);

        const from = s.mark();
        let started: boolean;
        try {
          started = s.world.loadDump(6379, m.bytes);
        } catch (e) {
          throw new Error(`${what}: the host got ${(e as Error).stack}`);
        }
        const node = s.world.nodes().find((n) => n.port === 6379)!;
        expect(node.up, what).toBe(started);
        if (started) {
          outcomes.set('loaded', (outcomes.get('loaded') ?? 0) + 1);
          try {
            readEverything(s, 6379);
          } catch (e) {
            throw new Error(`${what}: loaded, then ${(e as Error).message}`);
          }
        } else {
          const lines = s.logs(6379, from).map((l) => l.replace(/^\w \S /, ''));
          const why = REFUSALS.find(([, re]) => lines.some((l) => re.test(l)));
          if (!why) throw new Error(`${what}: refused without one of Redis's lines:\n${lines.join('\n')}`);
          outcomes.set(why[0], (outcomes.get(why[0]) ?? 0) + 1);
        }
        stillServing(s, i);
      }
      if (process.env.RDB_FUZZ_REPORT) console.log(JSON.stringify([...outcomes]));
      // The cases reach both outcomes and the common refusals.
      for (const kind of ['loaded', 'short read', 'checksum', 'internal error']) expect(outcomes.get(kind) ?? 0, `${kind} in ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'RESTORE of damaged DUMP payloads answers +OK or one of Redis\'s errors, and what it accepted reads back',
    () => {
      const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
      const r = rng(SEED + 1);
      // Payloads of every key of every base file, as DUMP gives them after a load of the file.
      const payloads: Array<[string, Uint8Array]> = [];
      for (const [name, file] of baseRdbFiles()) {
        expect(s.world.loadDump(6379, file), name).toBe(true);
        for (let db = 0; db < 16; db++) {
          s.cmd(6379, 'SELECT', String(db));
          for (const key of s.cmd(6379, 'KEYS', '*') as string[]) {
            const dumped = s.pipeline(6379, [['SELECT', String(db)], ['DUMP', key]])();
            if (dumped === 'closed') throw new Error('closed');
            payloads.push([`${name}, ${key}`, bytesOf(dumped[1] as string)]);
          }
        }
        s.cmd(6379, 'SELECT', '0');
      }
      s.cmd(6379, 'FLUSHALL');
      const answers = new Map<string, number>();
      for (let i = 0; i < CASES; i++) {
        const [name, p] = payloads[i % payloads.length];
        const m = damagePayload(p, r);
        const what = `case ${i} (${name}: ${m.what})`;
        let heads: string[];
        try {
          heads = ask(s, 6379, [cmd('RESTORE', 'fz', '0', m.bytes, 'REPLACE')]);
        } catch (e) {
          throw new Error(`${what}: ${(e as Error).message}`);
        }
        const head = heads[0];
        if (head === '+OK') {
          answers.set('OK', (answers.get('OK') ?? 0) + 1);
          const type = s.cmd(6379, 'TYPE', 'fz');
          const back = s.pipeline(6379, [['DUMP', 'fz']])();
          if (back === 'closed' || typeof back[0] !== 'string') throw new Error(`${what}: DUMP after RESTORE gave ${JSON.stringify(back)}`);
          // What it accepted dumps again and restores as the same value.
          const again = ask(s, 6379, [cmd('RESTORE', 'fz2', '0', bytesOf(back[0]), 'REPLACE'), cmd('TYPE', 'fz2'), cmd('DEBUG', 'DIGEST-VALUE', 'fz', 'fz2')]);
          expect(again[0], what).toBe('+OK');
          expect(s.cmd(6379, 'TYPE', 'fz2'), what).toBe(type);
          const digests = s.cmd(6379, 'DEBUG', 'DIGEST-VALUE', 'fz', 'fz2') as string[];
          expect(digests[0], what).toBe(digests[1]);
        } else {
          const message = head.slice(1);
          const known = RESTORE_ERRORS.find((re) => re.test(message));
          if (!known) throw new Error(`${what}: RESTORE answered ${head}`);
          answers.set(message, (answers.get(message) ?? 0) + 1);
        }
        if (i % 10 === 0) stillServing(s, i);
      }
      if (process.env.RDB_FUZZ_REPORT) console.log(JSON.stringify([...answers]));
      for (const a of ['OK', 'ERR DUMP payload version or checksum are wrong', 'ERR Bad data format']) expect(answers.get(a) ?? 0, `${a} in ${JSON.stringify([...answers])}`).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});

/** A DUMP payload damaged inside its value (its footer's CRC made right again most of the time), or in its footer. */
function damagePayload(p: Uint8Array, r: ReturnType<typeof rng>): { bytes: Uint8Array; what: string } {
  const roll = r.next();
  const value = p.length - 10;
  if (roll < 0.1) {
    const out = p.slice();
    out[r.int(value, p.length - 1)] ^= 1 << r.int(0, 7);
    return { bytes: out, what: 'footer changed' };
  }
  let out: Uint8Array;
  let what: string;
  if (roll < 0.4) {
    const n = r.int(0, value - 1);
    out = new Uint8Array(n + 10);
    out.set(p.subarray(0, n));
    out.set(p.subarray(value), n);
    what = `value cut to ${n} bytes`;
  } else {
    out = p.slice();
    const where: number[] = [];
    for (let k = r.int(1, 3); k > 0; k--) {
      const at = r.int(0, value - 1);
      out[at] = r.next() < 0.5 ? r.int(0, 255) : out[at] ^ (1 << r.int(0, 7));
      where.push(at);
    }
    what = `bytes changed at ${where.join(', ')}`;
  }
  if (r.next() < 0.9) return { bytes: withCrc(out), what: `${what}, CRC made right` };
  return { bytes: out, what };
}
