// The RDB writer and reader: exact bytes against files real redis-server
// 7.0.15 wrote, every string encoding, round trips, and the errors of
// broken files (of the kinds Redis tells apart), with a fuzz that feeds
// random and mutated bytes to the reader.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/engine/keyspace/keyspace.ts';
import { stringValue, type RedisValue } from '../../src/engine/keyspace/value.ts';
import type { ExpireTime } from '../../src/engine/keyspace/db.ts';
import { NodeConfig } from '../../src/engine/config.ts';
import { RdbWriter, writeRdb, UnsupportedValueError, type RdbSaveOptions } from '../../src/engine/rdb/writer.ts';
import { RdbError, RdbReader, readRdb, type RdbReadOptions } from '../../src/engine/rdb/reader.ts';
import { crc64 } from '../../src/engine/rdb/crc64.ts';
import { EXAMPLE_1_WITH_A_MODULE_VALUE, REDIS_FACTS_EXAMPLE_1, REDIS_FACTS_EXAMPLE_2, fromHex, hex } from './rdb-fixtures.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array) => String.fromCharCode(...b);
const NOW = 1767225600000;

function keyspace(): Keyspace {
  return new Keyspace(16, { unixMs: NOW });
}

function put(ks: Keyspace, db: number, key: string, value: string | Uint8Array, expire?: ExpireTime): void {
  ks.dbs[db].set(key, stringValue(typeof value === 'string' ? ascii(value) : value));
  if (expire !== undefined) ks.dbs[db].setExpire(key, expire);
}

const SAVE: RdbSaveOptions = { compression: true, checksum: true, ctime: 1767225600, usedMem: 900000 };
const READ: RdbReadOptions = { databases: 16, verifyChecksum: true, decode: { config: new NodeConfig() } };

interface Loaded {
  aux: Array<[string, string]>;
  keys: Array<{ db: number; key: string; value: RedisValue; expire: ExpireTime }>;
}

function load(bytes: Uint8Array, options: RdbReadOptions = READ): Loaded & { result: ReturnType<typeof readRdb> } {
  const out: Loaded = { aux: [], keys: [] };
  const result = readRdb(bytes, options, {
    aux: (k, v) => out.aux.push([text(k), text(v)]),
    key: (db, key, value, expire) => out.keys.push({ db, key, value, expire }),
  });
  return { ...out, result };
}

/** The error readRdb throws for these bytes. */
function loadError(bytes: Uint8Array, options: RdbReadOptions = READ): RdbError {
  try {
    load(bytes, options);
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw e;
  }
  throw new Error('no error');
}

/** The bytes with a correct checksum over everything before the last 8. */
function resum(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  let v = crc64(out, 0, out.length - 8);
  for (let i = out.length - 8; i < out.length; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** One string written alone, as rdbSaveRawString writes it. */
function encoded(s: string | Uint8Array, compression = true): string {
  const w = new RdbWriter(compression);
  w.rawString(typeof s === 'string' ? ascii(s) : s);
  return hex(w.view());
}

describe('writeRdb', () => {
  it('writes byte for byte the file redis-server 7.0.15 saved as a replica (redis-facts.md 9.4)', () => {
    const ks = keyspace();
    put(ks, 0, 'a', '1');
    put(ks, 2, 'b', 'x');
    const bytes = writeRdb(ks, {
      ...SAVE,
      ctime: 0x6b024964,
      usedMem: 0x1ca628,
      replication: { streamDb: 2, replId: '49b68bc2e7d2847475ac525c44bbfd27fb5b2c0f', offset: 1483 },
    });
    expect(hex(bytes)).toBe(hex(REDIS_FACTS_EXAMPLE_2));
  });

  it('writes the AUX fields of a master without replication: redis-ver, redis-bits, ctime, used-mem, aof-base', () => {
    const bytes = writeRdb(keyspace(), { ...SAVE, ctime: 0x6b024894, usedMem: 0x103be8 });
    // The head of redis-facts.md 9.3 up to the first SELECTDB, then EOF and the checksum of an empty dataset.
    const head = REDIS_FACTS_EXAMPLE_1.subarray(0, 0x50);
    expect(hex(bytes.subarray(0, 0x50))).toBe(hex(head));
    expect(bytes[0x50]).toBe(0xff);
    expect(bytes.length).toBe(0x50 + 1 + 8);
    expect(load(bytes).aux).toEqual([
      ['redis-ver', '7.0.15'],
      ['redis-bits', '64'],
      ['ctime', String(0x6b024894)],
      ['used-mem', String(0x103be8)],
      ['aof-base', '0'],
    ]);
  });

  it('writes the string keys of redis-facts.md 9.3 with the bytes Redis wrote for them', () => {
    const ks = keyspace();
    put(ks, 0, 'str', 'hello');
    put(ks, 0, 'big', '70000');
    put(ks, 0, 'ttl', 'v', 4102444800000);
    put(ks, 0, 'lzf', 'a'.repeat(40));
    put(ks, 0, 'num', '12345');
    const body = hex(writeRdb(ks, SAVE)).split('fe00')[1];
    const file = hex(REDIS_FACTS_EXAMPLE_1);
    for (const record of ['000373747205' + hex(ascii('hello')), '0003626967c270110100', 'fc00d8c32cbb030000' + '000374746c0176', '00036c7a66c309280161' + '61e01b00016161', '00036e756dc13930']) {
      expect(file).toContain(record);
      expect(body).toContain(record);
    }
    expect(body.startsWith('fb0501')).toBe(true); // RESIZEDB: 5 keys, 1 with a TTL
  });

  it('skips empty databases and writes SELECTDB and RESIZEDB for each other one', () => {
    const ks = keyspace();
    put(ks, 3, 'k', 'v');
    put(ks, 15, 'k', 'v', NOW + 1000);
    put(ks, 15, 'j', 'w');
    const { keys } = load(writeRdb(ks, SAVE));
    expect(keys.map((k) => [k.db, k.key, k.expire])).toEqual([[3, 'k', -1], [15, 'k', NOW + 1000], [15, 'j', -1]]);
    expect(hex(writeRdb(ks, SAVE))).toContain('fe03fb0100' + '00016b0176');
    expect(hex(writeRdb(ks, SAVE))).toContain('fe0ffb0201' + 'fc');
  });

  it('ends with 8 zero bytes when rdbchecksum is off, and the reader then checks nothing', () => {
    const ks = keyspace();
    put(ks, 0, 'k', 'v');
    const bytes = writeRdb(ks, { ...SAVE, checksum: false });
    expect(hex(bytes.subarray(bytes.length - 9))).toBe('ff0000000000000000');
    expect(load(bytes).result.checksum).toBe('zero');
    expect(load(writeRdb(ks, SAVE)).result.checksum).toBe('ok');
    expect(load(writeRdb(ks, SAVE), { ...READ, verifyChecksum: false }).result.checksum).toBe('unchecked');
  });

  it('writes keys whose time has passed (Redis 7.0 does not skip them) and expire times beyond 2^53', () => {
    const ks = keyspace();
    put(ks, 0, 'old', 'v', 1);
    put(ks, 0, 'far', 'v', 9223372036854775807n);
    put(ks, 0, 'neg', 'v', -5);
    const { keys } = load(writeRdb(ks, SAVE));
    expect(keys.map((k) => [k.key, k.expire])).toEqual([['old', 1], ['far', 9223372036854775807n], ['neg', -5]]);
    expect(hex(writeRdb(ks, SAVE))).toContain('fcffffffffffffff7f');
  });

  it('throws UnsupportedValueError for a value type with no RDB encoder yet', () => {
    const ks = keyspace();
    ks.dbs[4].set('weird', { type: 'not-a-type' } as unknown as RedisValue);
    const err = (() => {
      try {
        writeRdb(ks, SAVE);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedValueError);
    expect(err).toMatchObject({ valueType: 'not-a-type', db: 4, key: 'weird' });
  });
});

describe('strings as rdbSaveRawString writes them', () => {
  it.each([
    ['0', 'c000'],
    ['-1', 'c0ff'],
    ['127', 'c07f'],
    ['-128', 'c080'],
    ['128', 'c18000'],
    ['-129', 'c17fff'],
    ['12345', 'c13930'],
    ['32767', 'c1ff7f'],
    ['-32768', 'c10080'],
    ['32768', 'c200800000'],
    ['70000', 'c270110100'],
    ['2147483647', 'c2ffffff7f'],
    ['-2147483648', 'c200000080'],
  ])('%s -> %s (integer encodings)', (s, want) => {
    expect(encoded(s)).toBe(want);
  });

  it.each([
    ['2147483648', 'beyond 32 bits'],
    ['-2147483649', 'beyond 32 bits'],
    ['9223372036854775807', 'LLONG_MAX'],
    ['007', 'leading zero'],
    ['-0', 'minus zero'],
    ['+1', 'plus sign'],
    [' 1', 'leading space'],
    ['1 ', 'trailing space'],
    ['', 'empty'],
    ['hello', 'text'],
  ])('%j is stored as length and bytes (%s)', (s) => {
    const want = (s.length < 64 ? s.length.toString(16).padStart(2, '0') : '') + hex(ascii(s));
    expect(encoded(s)).toBe(want);
  });

  it('compresses only strings longer than 20 bytes, and only when that saves at least 4 bytes', () => {
    expect(encoded('a'.repeat(20))).toBe('14' + '61'.repeat(20));
    expect(encoded('a'.repeat(21)).startsWith('c3')).toBe(true);
    expect(encoded('a'.repeat(21), false)).toBe('15' + '61'.repeat(21));
    const incompressible = Uint8Array.from({ length: 100 }, (_, i) => (i * 73 + 11) & 0xff);
    expect(encoded(incompressible)).toBe('40' + '64' + hex(incompressible));
  });

  it('writes 14-bit, 32-bit and 64-bit lengths big-endian', () => {
    const lengths: Array<[number, string]> = [[63, '3f'], [64, '4040'], [16383, '7fff'], [16384, '8000004000'], [0xffffffff, '80ffffffff'], [0x100000000, '810000000100000000']];
    for (const [n, want] of lengths) {
      const w = new RdbWriter(true);
      w.length(n);
      expect(hex(w.view())).toBe(want);
      expect(new RdbReader(w.view()).length()).toBe(n);
    }
  });

  it('reads back every encoding as the same bytes, with the encoding OBJECT ENCODING would show', () => {
    const samples = ['0', '-1', '300', '-70000', '4294967296', '12345678901234567890', '', 'x', 'a'.repeat(44), 'a'.repeat(45), 'ab'.repeat(500)];
    const ks = keyspace();
    samples.forEach((s, i) => put(ks, 0, `k${i}`, s));
    put(ks, 0, 'bin', Uint8Array.of(0, 0xff, 0x0d, 0x0a, 0));
    const { keys } = load(writeRdb(ks, SAVE));
    const got = new Map(keys.map((k) => [k.key, k.value]));
    samples.forEach((s, i) => expect(got.get(`k${i}`)).toEqual(stringValue(ascii(s))));
    expect(got.get('bin')).toEqual(stringValue(Uint8Array.of(0, 0xff, 0x0d, 0x0a, 0)));
    expect(got.get('k0')).toMatchObject({ encoding: 'int' });
    expect(got.get('k8')).toMatchObject({ encoding: 'embstr' });
    expect(got.get('k9')).toMatchObject({ encoding: 'raw' });
  });

  it('encodes key names the same way: integers, LZF for long ones, binary bytes kept', () => {
    const ks = keyspace();
    put(ks, 0, '12345', 'v');
    put(ks, 0, 'k'.repeat(50), 'v');
    put(ks, 0, '\u0000\u00ff', 'v');
    const file = hex(writeRdb(ks, SAVE));
    expect(file).toContain('00c139300176');
    expect(file).toContain('00c3');
    expect(load(writeRdb(ks, SAVE)).keys.map((k) => k.key)).toEqual(['12345', 'k'.repeat(50), '\u0000\u00ff']);
  });
});

describe('readRdb', () => {
  it('reads the file of a replica (redis-facts.md 9.4): AUX fields of any name and the keys of two databases', () => {
    const { aux, keys, result } = load(REDIS_FACTS_EXAMPLE_2);
    expect(result).toEqual({ version: 10, checksum: 'ok', length: REDIS_FACTS_EXAMPLE_2.length });
    expect(aux).toContainEqual(['repl-id', '49b68bc2e7d2847475ac525c44bbfd27fb5b2c0f']);
    expect(aux).toContainEqual(['repl-offset', '1483']);
    expect(keys.map((k) => [k.db, k.key, text((k.value as { bytes: Uint8Array }).bytes)])).toEqual([[0, 'a', '1'], [2, 'b', 'x']]);
  });

  it('reads old EXPIRETIME (seconds), IDLE and FREQ before a key, and RESIZEDB anywhere', () => {
    const body = 'fe00' + 'fb0201' + 'fd' + '10270000' + '00016b0176' + 'f8' + '05' + 'f9' + '07' + '00016a0177' + 'ff';
    const bytes = resum(fromHex(hex(ascii('REDIS0010')) + body + '0000000000000000'));
    const { keys } = load(bytes);
    expect(keys.map((k) => [k.key, k.expire])).toEqual([['k', 10000 * 1000], ['j', -1]]);
  });

  it('reads files of older versions: no checksum before version 5', () => {
    const bytes = fromHex(hex(ascii('REDIS0004')) + 'fe00' + '00016b0176' + 'ff');
    expect(load(bytes).result).toEqual({ version: 4, checksum: 'absent', length: bytes.length });
  });

  it('reports a value type the engine cannot load, after the keys before it (a module value in the place of redis-facts.md 9.3\'s last key)', () => {
    const keys: string[] = [];
    let err: unknown;
    try {
      readRdb(EXAMPLE_1_WITH_A_MODULE_VALUE, READ, { key: (_db, key) => keys.push(key) });
    } catch (e) {
      err = e;
    }
    expect(keys).toEqual(['num', 'z', 'si', 'h', 'str', 'big', 'ss', 'ttl', 'lzf']);
    expect(err).toBeInstanceOf(RdbError);
    expect(err).toMatchObject({ kind: 'unsupported', details: { type: 7, key: 'lst', db: 0 } });
  });

  it('reports a wrong checksum with both values', () => {
    const bytes = REDIS_FACTS_EXAMPLE_2.slice();
    bytes[bytes.length - 3] ^= 0xff;
    const e = loadError(bytes);
    expect(e.kind).toBe('checksum');
    expect(e.message).toBe('RDB CRC error');
    expect(e.details.expected).toBe(0xb87ce6b836fd98dcn);
    expect(e.details.got).toBe(0xb87c19b836fd98dcn);
    expect(e.details.line).toBe(3225);
  });

  it('reports a short read for every truncation of a file', () => {
    const ks = keyspace();
    put(ks, 0, 'int', '1');
    put(ks, 0, 'lzf', 'ab'.repeat(30), NOW + 5000);
    put(ks, 1, 'long', 'z'.repeat(300));
    const bytes = writeRdb(ks, SAVE);
    for (let n = 0; n < bytes.length; n++) {
      const e = loadError(bytes.subarray(0, n));
      expect(e.kind, `truncated to ${n} bytes`).toBe('short-read');
      expect(e.message).toBe('Unexpected EOF reading RDB file');
      expect(e.details.loadedBytes).toBe(0);
    }
  });

  it('reports a wrong signature and a version it cannot read', () => {
    expect(loadError(ascii('XEDIS0010\u00ff')).kind).toBe('signature');
    expect(loadError(ascii('XEDIS0010\u00ff')).message).toBe('Wrong signature trying to load DB from file');
    expect(loadError(ascii('REDIS0011\u00ff')).message).toBe("Can't handle RDB format version 11");
    expect(loadError(ascii('REDIS0000\u00ff')).message).toBe("Can't handle RDB format version 0");
    expect(loadError(ascii('REDISabcd\u00ff')).message).toBe("Can't handle RDB format version 0");
  });

  it('reports the corrupt encodings with the messages and rdb.c lines Redis logs', () => {
    const file = (body: string) => resum(fromHex(hex(ascii('REDIS0010')) + 'fe00' + body + 'ff0000000000000000'));
    const cases: Array<[string, string, string, number]> = [
      ['30016b0176', 'unknown-type', 'Unknown RDB encoding type 48', 2681],
      ['f0016b0176', 'unknown-type', 'Unknown RDB encoding type 240', 2681],
      ['08016b0176', 'unknown-type', 'Unknown RDB encoding type 8', 2681],
      ['00016bc401', 'corrupt', 'Unknown RDB string encoding type 4', 529],
      ['00826b0176', 'corrupt', 'Unknown length encoding 2 in rdbLoadLen()', 236],
      ['00016bc3030a016162', 'corrupt', 'Invalid LZF compressed string', 413],
      ['00016bc302ffffffff0f6162', 'corrupt', 'Invalid LZF compressed string', 413],
    ];
    for (const [body, kind, message, line] of cases) {
      const e = loadError(file(body));
      expect([e.kind, e.message, e.details.line], body).toEqual([kind, message, line]);
    }
  });

  it('stops at SELECTDB beyond the number of databases, with the FATAL line Redis logs', () => {
    const bytes = resum(fromHex(hex(ascii('REDIS0010')) + 'fe10' + '00016b0176' + 'ff0000000000000000'));
    const e = loadError(bytes);
    expect(e.kind).toBe('db-range');
    expect(e.message).toBe('FATAL: Data file was created with a Redis server configured to handle more than 16 databases. Exiting\n');
  });

  it('refuses functions and module AUX data (not supported yet) rather than misread them', () => {
    expect(loadError(fromHex(hex(ascii('REDIS0010')) + 'f5' + '00')).kind).toBe('unsupported');
    expect(loadError(fromHex(hex(ascii('REDIS0010')) + 'f7' + '00')).kind).toBe('unsupported');
  });

  it('never hangs and throws nothing but RdbError on random and mutated input', () => {
    let s = 1234;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const ks = keyspace();
    put(ks, 0, 'a', '1');
    put(ks, 0, 'b', 'hello world hello world hello world', NOW + 1);
    put(ks, 1, 'c', '-70000');
    put(ks, 1, 'd', Uint8Array.from({ length: 100 }, (_, i) => i));
    const base = writeRdb(ks, SAVE);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      let bytes: Uint8Array;
      if (i % 4 === 0) {
        bytes = Uint8Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256));
        if (r() < 0.5) bytes.set(ascii('REDIS0010').subarray(0, Math.min(9, bytes.length)));
      } else {
        bytes = base.slice();
        for (let m = 1 + Math.floor(r() * 3); m > 0; m--) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
        if (i % 4 === 1) bytes = resum(bytes);
      }
      for (const verify of [true, false]) {
        try {
          load(bytes, { ...READ, verifyChecksum: verify });
          kinds.set('ok', (kinds.get('ok') ?? 0) + 1);
        } catch (e) {
          if (!(e instanceof RdbError)) throw new Error(`${hex(bytes)}: ${String(e)}`);
          kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
        }
      }
    }
    for (const kind of ['ok', 'short-read', 'checksum', 'signature', 'version', 'unknown-type', 'corrupt']) expect(kinds.get(kind), kind).toBeGreaterThan(0);
  });
});
