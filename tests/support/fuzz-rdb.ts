// RDB files for the loader's fuzz and piece tests: files real redis-server
// 7.0.15 wrote (redis-facts.md's examples), and files the engine writes
// from a node filled through its commands, so that every value type and
// every encoding it keeps (listpack, intset, quicklist, hashtable,
// skiplist; LZF strings, integers, expires, several databases) is in them.
// And the ways the fuzz damages a file, from a seeded generator.
import { Scenario } from './scenario.ts';
import { REDIS_FACTS_EXAMPLE_1, REDIS_FACTS_EXAMPLE_2 } from '../unit/rdb-fixtures.ts';
import { withCrc } from './old-encodings.ts';
import type { rng as seededRng } from './seeded.ts';

type Rng = ReturnType<typeof seededRng>;

/**
 * Commands that fill a node with every type in each of its encodings. Sizes
 * stay small enough that a few thousand loads of the file run in seconds.
 */
export const FILL_COMMANDS: readonly string[][] = [
  ['SET', 'str:small', 'hello'],
  ['SET', 'str:int', '-70000'],
  ['SET', 'str:lzf', 'abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc'],
  ['SET', 'str:ttl', 'v', 'PX', '100000000'],
  ['RPUSH', 'list:lp', 'a', 'b', '1', '-2', '300000'],
  ['RPUSH', 'list:big', ...Array.from({ length: 300 }, (_, i) => `element-${i}-${'x'.repeat(i % 40)}`)],
  ['HSET', 'hash:lp', 'f1', 'v1', 'f2', '2'],
  ['HSET', 'hash:ht', ...Array.from({ length: 140 }, (_, i) => [`field${i}`, `value${i}`]).flat()],
  ['SADD', 'set:int', '1', '2', '3', '-4', '70000'],
  ['SADD', 'set:lp', 'a', 'b', 'c'],
  ['SADD', 'set:ht', ...Array.from({ length: 140 }, (_, i) => `member${i}`)],
  ['ZADD', 'zset:lp', '1', 'a', '2.5', 'b', '-3', 'c'],
  ['ZADD', 'zset:sl', ...Array.from({ length: 140 }, (_, i) => [`${i / 7}`, `m${i}`]).flat()],
  ['SELECT', '3'],
  ['SET', 'db3', 'x'],
  ['HSET', 'db3:hash', 'k', 'v'],
];

/** An engine node's dump.rdb after FILL_COMMANDS and SAVE (rdbcompression on). */
export function engineRdbFile(): Uint8Array {
  const s = new Scenario();
  for (const c of FILL_COMMANDS) s.cmd(6379, ...c);
  s.cmd(6379, 'SAVE');
  return s.world.disk(6379).read('dump.rdb')!;
}

/** The files the fuzz starts from, by name. */
export function baseRdbFiles(): Array<[string, Uint8Array]> {
  return [
    ['redis-facts example 1 (real server, every type)', REDIS_FACTS_EXAMPLE_1],
    ['redis-facts example 2 (real server)', REDIS_FACTS_EXAMPLE_2],
    ['engine file (every type and encoding)', engineRdbFile()],
  ];
}

/** One way of damaging a file: its bytes, and what was done (for a failure message). */
export interface Mutation {
  readonly bytes: Uint8Array;
  readonly what: string;
}

/**
 * A damaged copy of `file`: truncated, bytes changed, a range removed or
 * repeated, random garbage inserted, a length byte made huge; half the time
 * the checksum at the end is made right again so that the loader reaches
 * the damaged value rather than stopping at the checksum.
 */
export function mutate(file: Uint8Array, rng: Rng): Mutation {
  const kind = rng.int(0, 5);
  let out: Uint8Array;
  let what: string;
  const at = 9 + rng.int(0, Math.max(0, file.length - 10));
  switch (kind) {
    case 0: {
      out = file.slice(0, rng.int(0, file.length - 1));
      what = `cut to ${out.length} bytes`;
      break;
    }
    case 1: {
      out = file.slice();
      const n = rng.int(1, 4);
      const where: number[] = [];
      for (let i = 0; i < n; i++) {
        const p = rng.int(0, out.length - 1);
        out[p] = rng.int(0, 255);
        where.push(p);
      }
      what = `bytes changed at ${where.join(', ')}`;
      break;
    }
    case 2: {
      const len = rng.int(1, 16);
      out = new Uint8Array(file.length - Math.min(len, file.length - at));
      out.set(file.subarray(0, at));
      out.set(file.subarray(at + len), at);
      what = `${len} bytes removed at ${at}`;
      break;
    }
    case 3: {
      const len = rng.int(1, 16);
      const piece = file.subarray(at, at + len);
      out = new Uint8Array(file.length + piece.length);
      out.set(file.subarray(0, at + piece.length));
      out.set(piece, at + piece.length);
      out.set(file.subarray(at + piece.length), at + 2 * piece.length);
      what = `${piece.length} bytes repeated at ${at}`;
      break;
    }
    case 4: {
      const len = rng.int(1, 8);
      out = new Uint8Array(file.length + len);
      out.set(file.subarray(0, at));
      for (let i = 0; i < len; i++) out[at + i] = rng.int(0, 255);
      out.set(file.subarray(at), at + len);
      what = `${len} random bytes inserted at ${at}`;
      break;
    }
    default: {
      // A length that claims far more than there is: 32- or 64-bit lengths and huge counts.
      out = file.slice();
      const p = Math.min(at, out.length - 1);
      out[p] = [0x80, 0x81, 0xbf, 0x7f, 0xc3, 0xff][rng.int(0, 5)];
      what = `byte ${p} made 0x${out[p].toString(16)}`;
      break;
    }
  }
  if (out.length >= 18 && rng.next() < 0.5) {
    out = withCrc(out);
    what += ', checksum made right';
  }
  return { bytes: out, what };
}
