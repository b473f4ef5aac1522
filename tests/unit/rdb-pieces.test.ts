// The RDB reader over a file kept in pieces (a replica's received payload,
// never joined into one array): whatever the cut, it reads what it reads
// over the whole file, value for value, and fails where and as it fails
// there (the same kind, message, offset and loading_loaded_bytes).
import { describe, expect, it } from 'vitest';
import { NodeConfig } from '../../src/engine/config.ts';
import { RdbError, RdbReader, readRdb, readRdbSteps, type RdbReadOptions } from '../../src/engine/rdb/reader.ts';
import { writeRdb } from '../../src/engine/rdb/writer.ts';
import { createDumpPayload } from '../../src/engine/rdb/dump.ts';
import { crc64 } from '../../src/engine/rdb/crc64.ts';
import { Keyspace } from '../../src/engine/keyspace/keyspace.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';
import { rng } from '../support/seeded.ts';
import { baseRdbFiles, mutate } from '../support/fuzz-rdb.ts';

const OPTIONS: RdbReadOptions = { databases: 16, verifyChecksum: true, decode: { config: new NodeConfig() }, shareBytes: true };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Everything a read gives: AUX fields, keys and values (as JSON), the result, or the error and where. */
function outcome(file: Uint8Array | readonly Uint8Array[], options = OPTIONS): unknown[][] {
  const seen: unknown[][] = [];
  try {
    const result = readRdb(file, options, {
      aux: (k, v) => seen.push(['aux', hex(k), hex(v)]),
      // A value as the bytes DUMP gives for it (its RDB encoding), summed.
      key: (db, key, value, expire) => seen.push(['key', db, key, value.type, String(crc64(createDumpPayload(value, false, db, key))), String(expire)]),
      emptyKey: (db, key) => seen.push(['empty', db, key]),
    });
    seen.push(['result', result]);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    seen.push(['error', e.kind, e.message, JSON.stringify(e.details, (_k, v) => (typeof v === 'bigint' ? String(v) : v))]);
  }
  return seen;
}

/** The file cut into pieces at random places (empty pieces and one-byte pieces included). */
function cut(file: Uint8Array, r: ReturnType<typeof rng>, maxPiece: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < file.length; ) {
    const n = r.next() < 0.1 ? r.int(0, 1) : r.int(1, maxPiece);
    pieces.push(file.slice(at, at + n));
    at += n;
  }
  if (r.next() < 0.2) pieces.push(new Uint8Array(0));
  return pieces;
}

/** A file with values long enough to cross the 2 MB progress boundaries and many pieces. */
function bigFile(): Uint8Array {
  const ks = new Keyspace(16, { unixMs: 0 });
  const r = rng(7);
  for (let i = 0; i < 10; i++) ks.dbs[0].set(`k${i}`, stringValue(r.bytes(100 * 1024 + i)));
  ks.dbs[0].set('huge', stringValue(r.bytes(2_500_000)));
  ks.dbs[0].set('lzf', stringValue(new Uint8Array(3_000_000).fill(97)));
  return writeRdb(ks, { compression: true, checksum: true, ctime: 1, usedMem: 1 });
}

describe('the RDB reader over pieces', () => {
  it('reads every base file cut anywhere exactly as the whole file', () => {
    const r = rng(42);
    for (const [name, file] of baseRdbFiles()) {
      const whole = outcome(file);
      expect(whole.at(-1)?.[0], name).toBe('result');
      for (let i = 0; i < 200; i++) expect(outcome(cut(file, r, i < 100 ? 4 : 64)), `${name}, cut ${i}`).toEqual(whole);
    }
  });

  it('fails on damaged files cut anywhere exactly as on the whole damaged file', () => {
    const r = rng(43);
    const bases = baseRdbFiles();
    for (let i = 0; i < 1500; i++) {
      const [name, file] = bases[i % bases.length];
      const m = mutate(file, r);
      expect(outcome(cut(m.bytes, r, 1 + r.int(1, 40))), `${name}: ${m.what}`).toEqual(outcome(m.bytes));
    }
  });

  it('keeps offsets, progress and the checksum right across 2 MB boundaries and big values', () => {
    const file = bigFile();
    const whole = outcome(file);
    const r = rng(44);
    for (const max of [1000, 300_000, 1 << 20, 5_000_000]) expect(outcome(cut(file, r, max))).toEqual(whole);
    // Cut short, and with a wrong checksum: the same error, offset and loaded bytes.
    const short = file.slice(0, 2_700_000);
    expect(outcome(cut(short, r, 1 << 20))).toEqual(outcome(short));
    const wrong = file.slice();
    wrong[wrong.length - 1] ^= 1;
    const failed = outcome(cut(wrong, r, 1 << 20));
    expect(failed).toEqual(outcome(wrong));
    expect(failed.at(-1)?.[1]).toBe('checksum');
  });

  it('after every read, the next byte is at bytes[pos] while bytes are left (decoders may look at it)', () => {
    const r = rng(45);
    const file = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    for (let round = 0; round < 50; round++) {
      const reader = RdbReader.over(cut(file, r, 50));
      let offset = 0;
      while (reader.remaining > 0) {
        expect(reader.bytes[reader.pos]).toBe(file[offset]);
        expect(reader.offset).toBe(offset);
        const n = Math.min(reader.remaining, r.next() < 0.5 ? 1 : r.int(0, 120));
        if (n === 1 && r.next() < 0.5) {
          expect(reader.byte()).toBe(file[offset]);
        } else {
          const at = reader.take(n);
          expect([...reader.bytes.subarray(at, at + n)]).toEqual([...file.subarray(offset, offset + n)]);
        }
        offset += n;
      }
      expect(() => reader.byte()).toThrow(RdbError);
    }
  });

  it('reads in the pieces themselves, copying only what straddles two of them', () => {
    const pieces = cut(Uint8Array.from({ length: 100_000 }, (_, i) => i & 0xff), rng(47), 4000).filter((p) => p.length > 0);
    const reader = RdbReader.over(pieces);
    const own = new Set(pieces.map((p) => p.buffer));
    let inPiece = 0;
    let reads = 0;
    while (reader.remaining > 8) {
      reader.take(1 + (reads % 8));
      reads++;
      if (own.has(reader.bytes.buffer as ArrayBuffer)) inPiece++;
    }
    expect(inPiece / reads).toBeGreaterThan(0.95);
  });

  it('steps end after the keys or the bytes a step may take, at a key boundary', () => {
    const ks = new Keyspace(16, { unixMs: 0 });
    for (let i = 0; i < 100; i++) ks.dbs[0].set(`k${i}`, stringValue(new Uint8Array(i === 50 ? 10_000 : 100).fill(i)));
    const file = writeRdb(ks, { compression: false, checksum: true, ctime: 1, usedMem: 1 });
    const steps = readRdbSteps(cut(file, rng(46), 700), OPTIONS, { key: () => {} }, { keys: 30, bytes: 2000 });
    const seen: Array<{ bytes: number; keys: number }> = [];
    for (let s = steps.next(); !s.done; s = steps.next()) seen.push(s.value);
    // 100-byte values: a step reaches 2000 bytes after 18 or 19 keys, before 30; key 50 ends its step alone.
    expect(seen.every((s, i) => s.keys - (seen[i - 1]?.keys ?? 0) <= 30)).toBe(true);
    expect(seen.map((s) => s.keys)).toContain(51);
    expect(seen.length).toBeGreaterThan(100 / 30);
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytes - seen[i - 1].bytes).toBeLessThan(2000 + 10_100);
  });
});
