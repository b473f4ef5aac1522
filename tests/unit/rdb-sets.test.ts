// Sets in RDB files and DUMP payloads (src/engine/rdb/set.ts): the intset
// blob Redis 7.0.15 writes (redis-facts.md 9.3 and DUMPs of the real
// server), the encodings a loaded set gets at set-max-intset-entries, empty
// keys, corrupt values with the messages and rdb.c lines the real server
// logs (observed by starting redis-server 7.0.15 on files built so), and a
// round trip of random sets. tests/live/rdb-collections.test.ts checks the
// same against the real server.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/engine/keyspace/keyspace.ts';
import { newSetFor, setAdd, setMembers, type SetValue } from '../../src/engine/keyspace/set.ts';
import type { RedisValue } from '../../src/engine/keyspace/value.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { RdbError, readRdb } from '../../src/engine/rdb/reader.ts';
import { RdbWriter, writeRdb, writeValue } from '../../src/engine/rdb/writer.ts';
import { createDumpPayload, loadDumpPayload } from '../../src/engine/rdb/dump.ts';
import { RDB_TYPE_SET, RDB_TYPE_SET_INTSET } from '../../src/engine/rdb/format.ts';
import { intsetFromBlob } from '../../src/engine/rdb/set.ts';
import { REDIS_FACTS_EXAMPLE_1, fromHex, hex } from './rdb-fixtures.ts';
import { config, decode, failure } from './rdb-support.ts';
import { rdbLength, rdbString } from '../support/old-encodings.ts';

const b = (s: string) => fromLatin1(s);
const NOW = 1767225600000;


function setOf(members: string[], limits = config()): SetValue {
  const set = newSetFor(b(members[0]));
  for (const m of members) setAdd(set, b(m), limits);
  return set;
}


function set(v: RedisValue | null | RdbError): SetValue {
  if (!v || v instanceof RdbError || v.type !== 'set') throw new Error(`not a set: ${v instanceof RdbError ? v.message : String(v)}`);
  return v;
}

const members = (v: RedisValue | null | RdbError) => [...setMembers(set(v))].map((m) => latin1(m));

/** The bytes writeValue writes, type byte first, the key "k" left out. */
function written(value: RedisValue, compression = true): string {
  const w = new RdbWriter(compression);
  writeValue(w, value, 0, 'k');
  const all = hex(w.view());
  return all.slice(0, 2) + all.slice(6);
}

/** An intset blob: width, count, then the values little-endian in that width. */
function blob(width: number, values: bigint[], count = values.length): Uint8Array {
  const out = new Uint8Array(8 + values.length * width);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, count, true);
  values.forEach((v, i) => {
    if (width === 2) view.setInt16(8 + i * 2, Number(v), true);
    else if (width === 4) view.setInt32(8 + i * 4, Number(v), true);
    else if (width === 8) view.setBigInt64(8 + i * 8, v, true);
  });
  return out;
}

describe('sets written as RDB_TYPE_SET_INTSET or RDB_TYPE_SET', () => {
  it('writes `sadd si 1 2 3` and `sadd ss x` with the bytes of redis-facts.md 9.3', () => {
    const file = hex(REDIS_FACTS_EXAMPLE_1);
    const si = written(setOf(['1', '2', '3']));
    expect(si).toBe('0b0e0200000003000000010002000300');
    expect(file).toContain('0b027369' + si.slice(2));
    expect(file).toContain('02027373' + written(setOf(['x'])).slice(2));
  });

  it('writes an intset in the width of its widest member ever, little-endian, ascending (as DUMP on the real server)', () => {
    // Observed: DUMP after SADD w 1 100000; SREM w 100000 -> 0b 0c 04000000 01000000 01000000.
    const w = setOf(['1', '100000']);
    w.ints = [1n];
    expect(written(w)).toBe('0b0c040000000100000001000000');
    expect(written(setOf(['-5000000000', '7']))).toBe('0b18' + '08000000' + '02000000' + '000efad5feffffff' + '0700000000000000');
    expect(written(setOf(['32767', '-32768']))).toBe('0b0c0200000002000000' + '0080' + 'ff7f');
  });

  it('compresses a long intset blob by rdbSaveRawString\'s rules', () => {
    // 8-byte records of small values: mostly zero bytes, which LZF shrinks.
    const long = setOf(['5000000000', ...Array.from({ length: 100 }, (_, i) => String(i))]);
    expect(written(long, true).slice(2, 4)).toBe('c3');
    // Uncompressed: the 816-byte blob's 14-bit length, 43 30.
    expect(written(long, false).slice(2, 6)).toBe('4330');
  });

  it('writes a hashtable as a count and its members as strings, integers encoded as integers', () => {
    expect(written(setOf(['a', '1', '', 'x'.repeat(3)]))).toBe('0204' + '0161' + 'c001' + '00' + '03787878');
  });
});

describe('reading sets', () => {
  it('RDB_TYPE_SET_INTSET (11): the blob as it is, width kept; a hashtable beyond set-max-intset-entries', () => {
    const v = decode(RDB_TYPE_SET_INTSET, rdbString(blob(8, [-3n, 1n, 2n])));
    expect(members(v)).toEqual(['-3', '1', '2']);
    expect(set(v).encoding).toBe('intset');
    expect(set(v).intWidth).toBe(8);
    expect(written(set(v))).toBe('0b' + hex(Uint8Array.from(rdbString(blob(8, [-3n, 1n, 2n])))));
    const big = decode(RDB_TYPE_SET_INTSET, rdbString(blob(2, [1n, 2n, 3n])), config({ setMaxIntsetEntries: 2 }));
    expect(set(big).encoding).toBe('hashtable');
    expect(members(big)).toEqual(['1', '2', '3']);
  });

  it('RDB_TYPE_SET_INTSET (11): refuses a blob intsetValidateIntegrity refuses, and one out of order (its deep check)', () => {
    const refused = ['Intset integrity check failed.'];
    for (const bad of [
      new Uint8Array(7),
      blob(3, [1n]),
      blob(0, []),
      blob(2, [1n, 2n], 3),
      blob(2, [1n, 2n], 1),
      blob(2, []),
      blob(4, [2n, 1n]),
      blob(8, [5n, 5n]),
    ]) {
      const got = decode(RDB_TYPE_SET_INTSET, rdbString(bad));
      expect(failure(got), hex(bad)).toEqual(['corrupt', ...refused, 2214]);
      expect(intsetFromBlob(bad)).toBeNull();
    }
  });

  it('RDB_TYPE_SET (2): an intset until a member that is not an integer; a hashtable from the start beyond set-max-intset-entries', () => {
    const body = (ms: string[]) => [...rdbLength(ms.length), ...ms.flatMap((m) => rdbString(m))];
    const ints = decode(RDB_TYPE_SET, body(['3', '-1', '70000']));
    expect(set(ints).encoding).toBe('intset');
    expect(set(ints).intWidth).toBe(4);
    expect(members(ints)).toEqual(['-1', '3', '70000']);
    const mixed = decode(RDB_TYPE_SET, body(['3', '1', 'a', '2']));
    expect(set(mixed).encoding).toBe('hashtable');
    expect(members(mixed)).toEqual(['1', '3', 'a', '2']);
    const many = decode(RDB_TYPE_SET, body(['1', '2']), config({ setMaxIntsetEntries: 1 }));
    expect(set(many).encoding).toBe('hashtable');
    expect(decode(RDB_TYPE_SET, [0])).toBeNull();
  });

  it('RDB_TYPE_SET (2): a member twice is refused with the message and line of the place Redis finds it', () => {
    const body = (ms: string[]) => [...rdbLength(ms.length), ...ms.flatMap((m) => rdbString(m))];
    // Observed: rdb.c:1809 (in the intset), rdb.c:1829 (in the dict, also after a conversion).
    expect(failure(decode(RDB_TYPE_SET, body(['1', '1'])))).toEqual(['corrupt', 'Duplicate set members detected', 1809]);
    expect(failure(decode(RDB_TYPE_SET, body(['a', 'a'])))).toEqual(['corrupt', 'Duplicate set members detected', 1829]);
    expect(failure(decode(RDB_TYPE_SET, body(['1', 'a', '1'])))).toEqual(['corrupt', 'Duplicate set members detected', 1829]);
    // "01" is not the integer 1: two members.
    expect(members(decode(RDB_TYPE_SET, body(['1', '01'])))).toEqual(['1', '01']);
    // A count beyond the members there are: a short read.
    expect(failure(decode(RDB_TYPE_SET, [2, ...rdbString('a')]))).toEqual(['short-read', 'Unexpected EOF reading RDB file', 3249]);
  });

  it('reads the sets of redis-facts.md 9.3 example 1', () => {
    const loaded = new Map<string, RedisValue>();
    readRdb(REDIS_FACTS_EXAMPLE_1, { databases: 16, verifyChecksum: true, decode: { config: config() } }, { key: (_db, key, value) => loaded.set(key, value) });
    expect(members(loaded.get('si')!)).toEqual(['1', '2', '3']);
    expect(set(loaded.get('si')!).encoding).toBe('intset');
    expect(members(loaded.get('ss')!)).toEqual(['x']);
    expect(set(loaded.get('ss')!).encoding).toBe('hashtable');
  });
});

describe('whole files and payloads', () => {
  it('reads back what it writes: the same members, encodings and widths, through writeRdb/readRdb and DUMP/RESTORE', () => {
    let s = 5;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const member = () => {
      const k = int(0, 4);
      if (k === 0) return String(int(-30000, 30000));
      if (k === 1) return String(int(-2e9, 2e9));
      if (k === 2) return String(BigInt(int(-1e9, 1e9)) * 10000000000n);
      if (k === 3) return 'v'.repeat(int(0, 40));
      return Array.from({ length: int(0, 20) }, () => String.fromCharCode(int(0, 255))).join('');
    };
    const values: SetValue[] = [];
    for (let i = 0; i < 60; i++) {
      const intsOnly = i % 2 === 0;
      const first = intsOnly ? String(int(-100, 100)) : member();
      const v = newSetFor(b(first));
      setAdd(v, b(first), config());
      for (let n = int(1, i % 6 === 0 ? 700 : 60); n > 0; n--) {
        const widest = i % 4 === 0 ? 0 : i % 4 === 2 ? 1 : 2;
        const m = intsOnly ? String([int(-100, 100), int(-1e6, 1e6), int(-2e9, 2e9) * 1000][int(0, widest)]) : member();
        setAdd(v, b(m), config());
      }
      values.push(v);
    }
    const ks = new Keyspace(16, { unixMs: NOW });
    values.forEach((v, i) => ks.dbs[i % 3].set(`k${i}`, v));
    const loaded = new Map<string, RedisValue>();
    readRdb(writeRdb(ks, { compression: true, checksum: true, ctime: 1, usedMem: 1 }), { databases: 16, verifyChecksum: true, decode: { config: config() } }, {
      key: (_db, key, value) => loaded.set(key, value),
    });
    const shape = (v: RedisValue) => {
      const x = set(v);
      return { encoding: x.encoding, width: x.encoding === 'intset' ? x.intWidth : null, members: [...setMembers(x)].map(hex) };
    };
    values.forEach((v, i) => {
      expect(shape(loaded.get(`k${i}`)!), `k${i}`).toEqual(shape(v));
      for (const compression of [true, false]) {
        const back = loadDumpPayload(createDumpPayload(v, compression, 0, 'k'), { config: config() }, 0, 'k');
        expect(back.ok && shape(back.value), `k${i}`).toEqual(shape(v));
      }
    });
    expect(new Set(values.map((v) => v.encoding))).toEqual(new Set(['intset', 'hashtable']));
    expect(new Set(values.filter((v) => v.encoding === 'intset').map((v) => v.intWidth)).size).toBeGreaterThan(1);
  });

  it('DUMP of an intset is the real server\'s payload (observed: DUMP w after SADD w 1 100000, SREM w 100000)', () => {
    const w = setOf(['1', '100000']);
    w.ints = [1n];
    expect(hex(createDumpPayload(w, true, 0, 'w'))).toBe(hex(fromHex('0b0c040000000100000001000000' + '0a00' + 'ca59bf87762d2635')));
  });
});

describe('mutated set payloads', () => {
  it('never hang and throw nothing but RdbError', () => {
    let s = 11;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const bases = [
      createDumpPayload(setOf(['1', '-70000', '5000000000']), false, 0, 'k'),
      createDumpPayload(setOf(['a', '12', '', 'x'.repeat(30)]), false, 0, 'k'),
      createDumpPayload(setOf(Array.from({ length: 60 }, (_, i) => String(i))), true, 0, 'k'),
    ];
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const p = bases[i % bases.length].slice(0, -10);
      for (let n = 1 + Math.floor(r() * 3); n > 0; n--) p[Math.floor(r() * p.length)] = Math.floor(r() * 256);
      const cut = r() < 0.2 ? p.subarray(0, Math.floor(r() * p.length)) : p;
      const got = decode(cut[0] === RDB_TYPE_SET || cut[0] === RDB_TYPE_SET_INTSET ? cut[0] : RDB_TYPE_SET_INTSET, cut.subarray(1));
      if (got instanceof RdbError) outcomes.refused++;
      else outcomes.ok++;
    }
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});
