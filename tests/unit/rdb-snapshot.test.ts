// The fork's RDB written a piece at a time from the copy-on-write snapshot
// (rdb/snapshot-writer.ts, keyspace/snapshot.ts) is byte for byte the RDB
// a one-step save would have written at the fork, whatever the parent does
// to the keyspace meanwhile: every command path that changes keys (set,
// delete, in-place changes of strings, lists, hashes, sets and sorted sets,
// TTLs, RENAME, MOVE, COPY, SWAPDB, FLUSHDB, FLUSHALL, expiry) runs between
// the pieces.
import { describe, expect, it } from 'vitest';
import { engineSession } from '../support/engine-session.ts';
import { rng } from '../support/seeded.ts';
import { writeRdb } from '../../src/engine/rdb/writer.ts';
import { SnapshotWriter } from '../../src/engine/rdb/snapshot-writer.ts';
import { estimateUsedMemory } from '../../src/engine/memory.ts';
import type { RedisNode } from '../../src/engine/node.ts';
import { concatBytes } from '../../src/engine/bytes.ts';

const OPTIONS = { compression: true, checksum: true, ctime: 1767225600 };

/** What SAVE would write now (the node's clients: none in an engine session). */
function oneStep(node: RedisNode): Uint8Array {
  return writeRdb(node.keyspace, { ...OPTIONS, usedMem: estimateUsedMemory(node.keyspace, 0) });
}

/** A dataset of every type, with TTLs, in several databases. */
function populate(run: (...args: string[]) => string): void {
  for (let i = 0; i < 300; i++) run('SET', `s:${i}`, i % 3 === 0 ? String(i * 1000) : `value ${i} `.repeat(1 + (i % 5)));
  for (let i = 0; i < 40; i++) run('RPUSH', `l:${i}`, ...Array.from({ length: 1 + (i % 9) }, (_, j) => `e${j}`));
  for (let i = 0; i < 40; i++) run('HSET', `h:${i}`, ...Array.from({ length: 1 + (i % 6) }, (_, j) => [`f${j}`, `v${j}`]).flat());
  for (let i = 0; i < 40; i++) run('SADD', `set:${i}`, ...Array.from({ length: 1 + (i % 7) }, (_, j) => (i % 2 ? `m${j}` : String(j))));
  for (let i = 0; i < 40; i++) run('ZADD', `z:${i}`, ...Array.from({ length: 1 + (i % 5) }, (_, j) => [String(j * 1.5), `m${j}`]).flat());
  for (let i = 0; i < 60; i++) run('PEXPIREAT', `s:${i * 5}`, String(4102444800000 + i));
  run('SELECT', '3');
  for (let i = 0; i < 50; i++) run('SET', `db3:${i}`, `x${i}`);
  run('RPUSH', 'db3:list', 'a', 'b', 'c');
  run('SELECT', '5');
  for (let i = 0; i < 20; i++) run('HSET', `db5:${i}`, 'f', `v${i}`);
  run('SELECT', '0');
}

/** One random write among the command paths that change keys. */
function randomWrite(run: (...args: string[]) => string, g: ReturnType<typeof rng>): void {
  const n = g.int(0, 299);
  const pick = <T,>(xs: T[]) => xs[g.int(0, xs.length - 1)];
  const db = pick(['0', '0', '0', '3', '5']);
  run('SELECT', db);
  const k = pick([`s:${n}`, `l:${n % 40}`, `h:${n % 40}`, `set:${n % 40}`, `z:${n % 40}`, `db3:${n % 50}`, `db5:${n % 20}`, `new:${n}`]);
  switch (g.int(0, 21)) {
    case 0: run('SET', k, `changed ${n}`); break;
    case 1: run('DEL', k); break;
    case 2: run('APPEND', k, '+tail'); break;
    case 3: run('INCR', `s:${(n % 100) * 3}`); break;
    case 4: run('RPUSH', k, 'pushed'); break;
    case 5: run('LPOP', k); break;
    case 6: run('LSET', k, '0', 'replaced'); break;
    case 7: run('HSET', k, 'f0', 'changed', 'new', 'field'); break;
    case 8: run('HDEL', k, 'f1'); break;
    case 9: run('SADD', k, 'added', '12345'); break;
    case 10: run('SREM', k, 'm0', '0'); break;
    case 11: run('ZADD', k, '99', 'm0', '100', 'new'); break;
    case 12: run('ZREM', k, 'm1'); break;
    case 13: run('EXPIRE', k, '1000'); break;
    case 14: run('PERSIST', k); break;
    case 15: run('RENAME', k, `renamed:${n}`); break;
    case 16: run('MOVE', k, pick(['0', '3', '5', '9'])); break;
    case 17: run('COPY', k, `copy:${n}`, 'REPLACE'); break;
    case 18: run('SETRANGE', k, '2', 'XY'); break;
    case 19: run('SWAPDB', pick(['0', '3']), pick(['5', '9'])); break;
    case 20: run('HINCRBY', k, 'count', '1'); break;
    case 21: run('GETDEL', k); break;
  }
  run('SELECT', '0');
}

/** Runs a save piece by piece, `between` running after every step (the used-mem pass's and the writing's). */
function pieceByPiece(node: RedisNode, between: () => void, keysPerStep = 7): Uint8Array {
  const w = new SnapshotWriter(node.keyspace, { ...OPTIONS, clients: 0 });
  while (!w.measure(keysPerStep)) between();
  between();
  const pieces: Uint8Array[] = [];
  for (let p = w.next(keysPerStep); p; p = w.next(keysPerStep)) {
    pieces.push(p);
    between();
  }
  w.release();
  return concatBytes(pieces);
}

describe('the RDB a fork writes a piece at a time', () => {
  it('is what a one-step save writes when nothing changes meanwhile', () => {
    const { node, run } = engineSession();
    populate(run);
    expect(pieceByPiece(node, () => {})).toEqual(oneStep(node));
  });

  it('is what a one-step save at the fork writes, whatever the parent writes between its pieces', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { node, run } = engineSession();
      populate(run);
      const atFork = oneStep(node);
      const g = rng(seed);
      const got = pieceByPiece(node, () => {
        for (let i = g.int(0, 6); i > 0; i--) randomWrite(run, g);
      });
      expect(got).toEqual(atFork);
      // The parent's writes are all there in the live keyspace.
      expect(oneStep(node)).not.toEqual(atFork);
    }
  });

  it('keeps the databases of the fork through FLUSHDB, FLUSHALL and SWAPDB', () => {
    const { node, run } = engineSession();
    populate(run);
    const atFork = oneStep(node);
    let step = 0;
    const got = pieceByPiece(node, () => {
      step++;
      if (step === 3) run('SWAPDB', '0', '3');
      if (step === 6) run('FLUSHDB');
      if (step === 9) run('FLUSHALL');
      if (step > 9) run('SET', `after:${step}`, 'x');
    });
    expect(got).toEqual(atFork);
    expect(node.keyspace.dbs.every((db) => db.snapshot === null)).toBe(true);
  });

  it('keeps a key that expires meanwhile as it was', () => {
    const { node, run, clock } = engineSession();
    run('SET', 'short', 'lived', 'PX', '50');
    run('SET', 'other', 'x');
    const atFork = oneStep(node);
    const got = pieceByPiece(node, () => {
      clock.advanceTo(clock.nowUs + 100_000);
      run('GET', 'short'); // lazy expiry deletes it
    }, 1);
    expect(run('EXISTS', 'short')).toBe(':0\r\n');
    expect(got).toEqual(atFork);
  });

  it('lets the databases go once released: later writes are not kept', () => {
    const { node, run } = engineSession();
    populate(run);
    const w = new SnapshotWriter(node.keyspace, { ...OPTIONS, clients: 0 });
    run('SET', 's:1', 'kept');
    expect(w.snapshot.dbs[0].kept.size).toBe(1);
    w.release();
    run('SET', 's:2', 'not kept');
    expect(w.snapshot.dbs[0].kept.size).toBe(1);
    expect(node.keyspace.dbs.every((db) => db.snapshot === null)).toBe(true);
  });
});
