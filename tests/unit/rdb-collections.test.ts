// Lists and hashes in RDB files and DUMP payloads (src/engine/rdb/list.ts,
// hash.ts and the readers of listpacks, ziplists and zipmaps): the bytes
// Redis 7.0.15 writes (redis-facts.md 9.3), the compressed nodes of
// list-compress-depth, the older encodings Redis 7.0 reads and never writes
// (hand-built here from ziplist.c and zipmap.c; tests/live/rdb-collections
// hands the same bytes to the real server), the encodings and thresholds a
// loaded value gets, empty keys, corrupt payloads with the messages and
// rdb.c lines Redis logs, and a fuzz.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/engine/keyspace/keyspace.ts';
import { newHash, hashSet, type HashValue } from '../../src/engine/keyspace/hash.ts';
import { newListValue, type ListValue } from '../../src/engine/keyspace/list.ts';
import { encodeListpack } from '../../src/engine/keyspace/listpack.ts';
import type { RedisValue } from '../../src/engine/keyspace/value.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { RdbError, RdbReader, readObject, readRdb } from '../../src/engine/rdb/reader.ts';
import { RdbWriter, writeRdb, writeValue } from '../../src/engine/rdb/writer.ts';
import { createDumpPayload, loadDumpPayload } from '../../src/engine/rdb/dump.ts';
import { World } from '../../src/sim/world.ts';
import { connect, plain } from '../support/world-client.ts';
import { dumpPayload, rdbLength, rdbString, withCrc, ziplist, zipmap, type ZlEntry } from '../support/old-encodings.ts';
import { fromHex, hex } from './rdb-fixtures.ts';
import { config, decode, failure } from './rdb-support.ts';

const b = (s: string) => fromLatin1(s);
const NOW = 1767225600000;



function list(v: RedisValue | null | RdbError): ListValue {
  if (!v || v instanceof RdbError || v.type !== 'list') throw new Error(`not a list: ${v instanceof RdbError ? v.message : String(v)}`);
  return v;
}

function hash(v: RedisValue | null | RdbError): HashValue {
  if (!v || v instanceof RdbError || v.type !== 'hash') throw new Error(`not a hash: ${v instanceof RdbError ? v.message : String(v)}`);
  return v;
}

/** A list's nodes: the elements of each, or 'plain:<element>' for a plain node. */
const nodes = (v: RedisValue | null | RdbError) =>
  [...list(v).list.nodes()].map((n) => (n.plain ? `plain:${latin1(n.entries[0])}` : n.entries.map((e) => latin1(e))));

const pairs = (v: RedisValue | null | RdbError) => [...hash(v).fields].map(([f, x]) => [f, latin1(x)]);


function listOf(elements: string[], fill = -2, compress = 0): ListValue {
  const value = newListValue(fill, compress);
  for (const e of elements) value.list.push(b(e), false);
  return value;
}

function hashOf(entries: Array<[string, string]>, limits = config()): HashValue {
  const h = newHash();
  for (const [f, v] of entries) hashSet(h, b(f), b(v), limits);
  return h;
}

/** The bytes writeValue writes after the key. */
function valueBytes(value: RedisValue, compression = true): string {
  const w = new RdbWriter(compression);
  writeValue(w, value, 0, 'k');
  return hex(w.view()).slice(2 + 4); // the type byte, then the key "k" as 01 6b
}

/** Each node's string as written (hex), after its container. */
function nodeStrings(value: ListValue, compression: boolean): string[] {
  const r = new RdbReader(fromHex(valueBytes(value, compression)));
  const out: string[] = [];
  for (let i = r.length(); i > 0; i--) {
    r.length();
    const start = r.pos;
    r.string();
    out.push(hex(r.bytes.subarray(start, r.pos)));
  }
  return out;
}

/** Per node: 'lzf' when its string is LZF-encoded, 'raw' otherwise. */
const written = (value: ListValue, compression: boolean) => nodeStrings(value, compression).map((s) => (s.startsWith('c3') ? 'lzf' : 'raw'));

describe('lists written as RDB_TYPE_LIST_QUICKLIST_2', () => {
  it('writes `rpush lst a b 1` with the bytes of redis-facts.md 9.3', () => {
    const w = new RdbWriter(true);
    writeValue(w, listOf(['a', 'b', '1']), 0, 'lst');
    // 12: type 18; 03 "lst"; 01: one node; 02: packed; 0F: a 15-byte string, the listpack:
    // 0F000000 total, 0300 count, 81 'a' 02, 81 'b' 02, 01 (7-bit uint 1) 01, FF.
    expect(hex(w.view())).toBe('12036c7374' + '01' + '02' + '0f' + '0f000000' + '0300' + '816102' + '816202' + '0101' + 'ff');
  });

  it('writes one string per node: listpacks of up to 8 KB, LZF-compressed by rdbSaveRawString\'s rules', () => {
    const elements = Array.from({ length: 1000 }, (_, i) => `element-${i}`);
    const value = listOf(elements);
    const r = new RdbReader(fromHex(valueBytes(value)));
    const count = r.length();
    expect(count).toBe(value.list.len);
    expect(count).toBeGreaterThan(1);
    for (const node of value.list.nodes()) {
      expect(r.length()).toBe(2);
      expect(r.bytes[r.pos]).toBe(0xc3); // compressible: LZF
      const lp = r.string();
      expect(lp.length).toBeLessThanOrEqual(8192);
      expect(hex(lp)).toBe(hex(encodeListpack(node.entries)));
    }
    expect(r.remaining).toBe(0);
    expect(written(value, false).every((w) => w === 'raw')).toBe(true);
  });

  it('writes a plain node as container 1 and its element as it is', () => {
    const value = newListValue(-2, 0);
    value.list.packedThreshold = 10;
    for (const e of ['a', 'P'.repeat(12), 'b']) value.list.push(b(e), false);
    expect(nodes(value)).toEqual([['a'], 'plain:PPPPPPPPPPPP', ['b']]);
    // 03 nodes; 02 packed, 0A the 10-byte listpack of 'a'; 01 plain, 0C the 12 bytes; 02 packed, the listpack of 'b'.
    expect(valueBytes(value)).toBe('03' + '02' + '0a' + hex(encodeListpack([b('a')])) + '01' + '0c' + hex(b('P'.repeat(12))) + '02' + '0a' + hex(encodeListpack([b('b')])));
  });

  describe('list-compress-depth', () => {
    /** A list of `n` nodes of 50 elements each (about 300 bytes, compressible by LZF). */
    function compressedList(depth: number, n: number): ListValue {
      const value = newListValue(50, depth);
      for (let i = 0; i < n * 50; i++) value.list.push(b(`e${Math.floor(i / 50)}-${i % 50}`), false);
      expect(value.list.len).toBe(n);
      return value;
    }

    it('with rdbcompression off, writes the inner nodes Redis holds compressed as LZF and the `depth` nodes at each end raw', () => {
      expect(written(compressedList(1, 5), false)).toEqual(['raw', 'lzf', 'lzf', 'lzf', 'raw']);
      expect(written(compressedList(2, 5), false)).toEqual(['raw', 'raw', 'lzf', 'raw', 'raw']);
      // Nothing is compressed until the list has more than 2 * depth nodes.
      expect(written(compressedList(2, 4), false)).toEqual(['raw', 'raw', 'raw', 'raw']);
      expect(written(compressedList(0, 5), false)).toEqual(['raw', 'raw', 'raw', 'raw', 'raw']);
    });

    it('writes the bytes of the node\'s LZF, which decompress to its listpack', () => {
      const value = compressedList(1, 3);
      const r = new RdbReader(fromHex(valueBytes(value, false)));
      r.length();
      r.length();
      r.string();
      r.length();
      const middle = [...value.list.nodes()][1];
      expect(hex(r.string())).toBe(hex(encodeListpack(middle.entries)));
    });

    it('with rdbcompression on, writes every node through rdbSaveRawString, which gives the same bytes for the compressed ones', () => {
      const value = compressedList(1, 5);
      expect(written(value, true)).toEqual(['lzf', 'lzf', 'lzf', 'lzf', 'lzf']);
      expect(nodeStrings(value, false).slice(1, 4)).toEqual(nodeStrings(value, true).slice(1, 4));
    });

    it('leaves a node raw when it is under 48 bytes or LZF saves 8 bytes or less', () => {
      const value = newListValue(1, 1);
      for (const e of ['head', 'tiny', Array.from({ length: 60 }, (_, i) => String.fromCharCode(33 + ((i * 37) % 90))).join(''), 'a'.repeat(60), 'tail']) {
        value.list.push(b(e), false);
      }
      expect(written(value, false)).toEqual(['raw', 'raw', 'raw', 'lzf', 'raw']);
    });
  });
});

describe('hashes written as RDB_TYPE_HASH_LISTPACK or RDB_TYPE_HASH', () => {
  it('writes `hset h f v` with the bytes of redis-facts.md 9.3', () => {
    const w = new RdbWriter(true);
    writeValue(w, hashOf([['f', 'v']]), 0, 'h');
    // 10: type 16; 01 "h"; 0D: a 13-byte listpack: 0D000000 total, 0200 count, 81 'f' 02, 81 'v' 02, FF.
    expect(hex(w.view())).toBe('1001' + '68' + '0d' + '0d000000' + '0200' + '816602' + '817602' + 'ff');
  });

  it('writes a listpack hash in its order, integers as listpack integers', () => {
    const h = hashOf([['b', '2'], ['a', '-1'], ['b', '70000']]);
    expect(valueBytes(h)).toBe(hex(Uint8Array.from(rdbString(encodeListpack([b('b'), b('70000'), b('a'), b('-1')])))));
  });

  it('writes a hashtable hash as a count and field, value strings in the engine\'s order', () => {
    const h = hashOf([['f', 'x'.repeat(65)], ['n', '12345'], ['z', '']]);
    expect(h.encoding).toBe('hashtable');
    const w = new RdbWriter(false);
    w.rawString(b('x'.repeat(65)));
    expect(valueBytes(h, false)).toBe('03' + '0166' + hex(w.view()) + '016e' + 'c13930' + '017a' + '00');
  });
});

// --- reading: the formats Redis 7.0.15 writes, then the older ones

describe('reading lists', () => {
  it('appends each QUICKLIST_2 node as it is, without merging small ones', () => {
    const lp = (...e: string[]) => rdbString(encodeListpack(e.map(b)));
    const v = decode(18, [...rdbLength(3), 2, ...lp('a'), 1, ...rdbString('big one'), 2, ...lp('b', '7')]);
    expect(nodes(v)).toEqual([['a'], 'plain:big one', ['b', '7']]);
    expect(list(v).list.count).toBe(4);
    expect(list(v).encoding).toBe('quicklist');
  });

  it('keeps a loaded node\'s listpack as it was read, and writes it back so, until a command needs the elements', () => {
    // "a" with a 12-bit string length (e0 01), which Redis reads but never writes: lpEncodeString would use 81.
    const odd = fromHex('0b000000' + '0100' + 'e00161' + '03' + 'ff');
    const v = list(decode(18, [...rdbLength(1), 2, ...rdbString(odd)]));
    const node = [...v.list.nodes()][0]!;
    expect(node.listpack).toEqual(odd);
    expect([node.count, node.sz, v.list.count]).toEqual([1, 11, 1]);
    expect(nodeStrings(v, false)).toEqual([hex(Uint8Array.from(rdbString(odd)))]);
    // A copy (a key copied, a fork's snapshot) shares it; a read makes the elements, and the node is then written as Redis would write it.
    expect(v.list.dup().head!.listpack).toBe(node.listpack);
    expect(node.entries.map((e) => latin1(e))).toEqual(['a']);
    expect(node.listpack).toBe(null);
    expect(nodeStrings(v, false)).toEqual([hex(Uint8Array.from(rdbString(encodeListpack([b('a')]))))]);
  });

  it('gives a loaded list the node\'s list-max-listpack-size and list-compress-depth', () => {
    const v = list(decode(1, [2, ...rdbString('a'), ...rdbString('b')], config({ listMaxListpackSize: 5, listCompressDepth: 2 })));
    expect([v.list.fill, v.list.compress]).toEqual([5, 2]);
  });

  it('RDB_TYPE_LIST (1): a count of strings, of any string encoding, pushed one by one (nodes follow the fill)', () => {
    const w = new RdbWriter(true);
    w.rawString(b('a'.repeat(40))); // LZF: C3 09 28 ...
    // 05: five elements: "x", the integer 7 (C0 07), 40 a's as LZF, -300 (C1 D4 FE), "".
    const v = decode(1, [5, ...rdbString('x'), 0xc0, 7, ...w.view(), 0xc1, 0xd4, 0xfe, 0], config({ listMaxListpackSize: 2 }));
    expect(nodes(v)).toEqual([['x', '7'], ['a'.repeat(40), '-300'], ['']]);
  });

  it('RDB_TYPE_LIST_ZIPLIST (10): one ziplist of every entry encoding, pushed one by one', () => {
    // Hand-built: zlbytes 10000000 (16), zltail 0D000000 (13), zllen 0200,
    // entry 1: prevlen 00, 00000001 (a 1-byte string) 'a'; entry 2: prevlen 03, F6 (immediate 6 - 1 = 5); end FF.
    expect(hex(ziplist(['a', { int: 5, enc: 'imm' }]))).toBe('10000000' + '0d000000' + '0200' + '000161' + '03f6' + 'ff');
    expect(nodes(decode(10, rdbString(ziplist(['a', { int: 5, enc: 'imm' }]))))).toEqual([['a', '5']]);

    const entries: ZlEntry[] = [
      '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(300), // 6-bit, 14-bit lengths; the entry after 'z' has a 5-byte prevlen
      { int: 0, enc: 'imm' }, { int: 12, enc: 'imm' }, { int: -128, enc: 'i8' }, { int: 127, enc: 'i8' },
      { int: -32768, enc: 'i16' }, { int: 32767, enc: 'i16' }, { int: -8388608, enc: 'i24' }, { int: 8388607, enc: 'i24' },
      { int: -2147483648, enc: 'i32' }, { int: 2147483647, enc: 'i32' },
      { int: -9223372036854775808n, enc: 'i64' }, { int: 9223372036854775807n, enc: 'i64' },
      // Integers in a wider encoding than needed read the same.
      { int: 3, enc: 'i64' }, 'w'.repeat(20000), // a 32-bit length (big-endian)
    ];
    const zl = ziplist(entries);
    expect(hex(zl.subarray(0, 4))).toBe(hex(Uint8Array.of(zl.length & 0xff, (zl.length >> 8) & 0xff, zl.length >> 16, 0)));
    const v = list(decode(10, rdbString(zl)));
    expect(v.list.toArray().map((e) => latin1(e))).toEqual([
      '', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(300), '0', '12', '-128', '127', '-32768', '32767', '-8388608', '8388607',
      '-2147483648', '2147483647', '-9223372036854775808', '9223372036854775807', '3', 'w'.repeat(20000),
    ]);
    // Pushed one by one: the 8 KB nodes of list-max-listpack-size -2, the big one alone.
    expect(nodes(v).map((n) => n.length)).toEqual([17, 1]);
  });

  it('RDB_TYPE_LIST_QUICKLIST (14): each ziplist becomes a node as it is; an empty one is skipped', () => {
    const v = decode(14, [3, ...rdbString(ziplist(['a', { int: 1, enc: 'i16' }])), ...rdbString(ziplist([])), ...rdbString(ziplist(['b']))]);
    expect(nodes(v)).toEqual([['a', '1'], ['b']]);
    // The node's listpack is what lpAppend builds: the integer in its listpack encoding.
    expect(hex(encodeListpack(list(v).list.head!.entries))).toBe('0c000000' + '0200' + '816102' + '0101' + 'ff');
  });

  it('refuses a node container other than 1 and 2, and an empty node string (a short read, as Redis reports it)', () => {
    expect(failure(decode(18, [1, 3, ...rdbString(encodeListpack([b('a')]))]))).toEqual(['corrupt', 'Quicklist integrity check failed.', 2048]);
    expect(failure(decode(18, [1, 2, 0]))).toEqual(['short-read', 'Unexpected EOF reading RDB file', 3249]);
    expect(failure(decode(14, [1, 0]))).toEqual(['short-read', 'Unexpected EOF reading RDB file', 3249]);
  });

  it('checks a ziplist in full (ziplistValidateIntegrity, deep): every broken variant is refused', () => {
    const good = ziplist(['a', 'bc', { int: 5, enc: 'imm' }]);
    // zlbytes 20, zltail 17, zllen 3 | @10: 00 01 'a' | @13: 03 02 'bc' | @17: 04 F6 | @19: FF
    expect(hex(good)).toBe('14000000' + '11000000' + '0300' + '000161' + '03026263' + '04f6' + 'ff');
    const variants: Array<[string, (z: Uint8Array) => void]> = [
      ['zlbytes one more than the bytes', (z) => (z[0] = 21)],
      ['no end byte', (z) => (z[19] = 0xfe)],
      ['zltail beyond the end', (z) => (z[4] = 20)],
      ['zltail not at the last entry', (z) => (z[4] = 13)],
      ['zllen wrong', (z) => (z[8] = 2)],
      ['a prevlen that is not the previous entry\'s size', (z) => (z[13] = 2)],
      ['an invalid integer encoding', (z) => (z[18] = 0xc1)],
      ['a string longer than the ziplist', (z) => (z[14] = 0x3f)],
      ['the end byte early', (z) => (z[13] = 0xff)],
    ];
    expect(nodes(decode(10, rdbString(good)))).toEqual([['a', 'bc', '5']]);
    expect(nodes(decode(10, rdbString(ziplist(['a', 'bc', { int: 5, enc: 'imm' }], 0xffff))))).toEqual([['a', 'bc', '5']]); // zllen unknown
    for (const [what, change] of variants) {
      const z = good.slice();
      change(z);
      expect(failure(decode(10, rdbString(z))), what).toEqual(['corrupt', 'List ziplist integrity check failed.', 2189]);
      expect(failure(decode(14, [1, ...rdbString(z)])), what).toEqual(['corrupt', 'Ziplist integrity check failed.', 2081]);
    }
    expect(failure(decode(10, rdbString(Uint8Array.of(10, 0, 0, 0, 10, 0, 0, 0, 0, 0))))).toEqual(['corrupt', 'List ziplist integrity check failed.', 2189]);
  });
});

describe('reading hashes', () => {
  it('RDB_TYPE_HASH_LISTPACK (16): the pairs in their order; a hashtable beyond hash-max-listpack-entries, whatever the lengths', () => {
    // redis-facts.md 9.3: 0D000000 0200 81'f'02 81'v'02 FF.
    const v = decode(16, [0x0d, ...fromHex('0d000000020081660281760' + '2ff')]);
    expect(pairs(v)).toEqual([['f', 'v']]);
    expect(hash(v).encoding).toBe('listpack');
    const long = encodeListpack([b('f'), b('v'.repeat(100))]);
    expect(hash(decode(16, rdbString(long))).encoding).toBe('listpack'); // lengths are not checked on load
    const three = encodeListpack(['a', '1', 'b', '2', 'c', '3'].map(b));
    expect(hash(decode(16, rdbString(three), config({ hashMaxListpackEntries: 2 }))).encoding).toBe('hashtable');
    expect(hash(decode(16, rdbString(three), config({ hashMaxListpackEntries: 3 }))).encoding).toBe('listpack');
  });

  it('RDB_TYPE_HASH (4): a listpack until a long field or value converts it, a hashtable from the start beyond the entries limit', () => {
    const body = (entries: string[][]) => [...rdbLength(entries.length), ...entries.flatMap(([f, v]) => [...rdbString(f), ...rdbString(v)])];
    const small = decode(4, body([['f', 'v'], ['n', '1']]));
    expect([hash(small).encoding, pairs(small)]).toEqual(['listpack', [['f', 'v'], ['n', '1']]]);
    const converted = decode(4, body([['a', '1'], ['b', 'x'.repeat(65)], ['c', '3']]));
    expect([hash(converted).encoding, pairs(converted).map(([f]) => f)]).toEqual(['hashtable', ['a', 'b', 'c']]);
    expect(hash(decode(4, body([['f', 'x'.repeat(64)]]))).encoding).toBe('listpack');
    expect(hash(decode(4, body([['a', '1'], ['b', '2']]), config({ hashMaxListpackEntries: 1 }))).encoding).toBe('hashtable');
  });

  it('RDB_TYPE_HASH (4): a field twice is refused with the message and line of the place Redis finds it', () => {
    const body = (entries: string[][]) => [...rdbLength(entries.length), ...entries.flatMap(([f, v]) => [...rdbString(f), ...rdbString(v)])];
    // As a hashtable from the start (observed with hash-max-listpack-entries 1).
    expect(failure(decode(4, body([['f', 'a'], ['f', 'b']]), config({ hashMaxListpackEntries: 1 })))).toEqual(['corrupt', 'Duplicate hash fields detected', 2019]);
    // The pair that converts the listpack repeats a field.
    expect(failure(decode(4, body([['f', 'a'], ['f', 'x'.repeat(70)]])))).toEqual(['corrupt', 'Duplicate hash fields detected', 1969]);
    // After the conversion.
    expect(failure(decode(4, body([['g', 'x'.repeat(70)], ['f', 'a'], ['f', 'b']])))).toEqual(['corrupt', 'Duplicate hash fields detected', 2019]);
    // While a listpack: Redis (sanitize-dump-payload no) appends the field twice; the engine refuses it as with sanitize-dump-payload yes.
    expect(failure(decode(4, body([['f', 'a'], ['f', 'b']])))).toEqual(['corrupt', 'Hash with dup elements', 1951]);
  });

  it('RDB_TYPE_HASH_ZIPMAP (9): the zipmap of zipmap.c\'s comment, free bytes skipped, 5-byte lengths', () => {
    // "\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff": 2 pairs; len 3 "foo"; len 3, free 0, "bar"; ...
    const zm = fromLatin1('\x02\x03foo\x03\x00bar\x05hello\x05\x00world\xff');
    expect(hex(zipmap([['foo', 'bar'], ['hello', 'world']]))).toBe(hex(zm));
    const v = decode(9, rdbString(zm));
    expect([hash(v).encoding, pairs(v)]).toEqual(['listpack', [['foo', 'bar'], ['hello', 'world']]]);
    // A value with 3 free bytes after it ("hi" then ZZZ), and a 300-byte value: 0xFE + u32 LE length; too long for a listpack.
    const zm2 = zipmap([['a', 'hi', 3], ['b', 'v'.repeat(300)]]);
    expect(hex(zm2.subarray(0, 12))).toBe('02' + '0161' + '02' + '03' + '6869' + '5a5a5a' + '0162');
    expect(hex(zm2.subarray(12, 18))).toBe('fe2c010000' + '00');
    const v2 = decode(9, rdbString(zm2));
    expect([hash(v2).encoding, pairs(v2)]).toEqual(['hashtable', [['a', 'hi'], ['b', 'v'.repeat(300)]]]);
    // 254 in the count byte: the count is not known and not checked.
    expect(pairs(decode(9, rdbString(zipmap([['a', '1']], 254))))).toEqual([['a', '1']]);
    expect(hash(decode(9, rdbString(zipmap([['a', '1'], ['b', '2']])), config({ hashMaxListpackEntries: 1 }))).encoding).toBe('hashtable');
  });

  it('RDB_TYPE_HASH_ZIPMAP (9): refuses a broken zipmap and a field twice, with Redis\'s messages', () => {
    const integrity = ['corrupt', 'Zipmap integrity check failed.', 2130];
    expect(failure(decode(9, rdbString(Uint8Array.of(0, 0xff))))).toEqual(integrity); // no pair
    expect(failure(decode(9, rdbString(zipmap([['a', '1']], 2))))).toEqual(integrity); // count 2, one pair
    expect(failure(decode(9, rdbString(zipmap([['a', '1']]).subarray(0, 5))))).toEqual(integrity); // no end byte
    const long = zipmap([['a', '1']]);
    long[1] = 9; // a field reaching past the end
    expect(failure(decode(9, rdbString(long)))).toEqual(integrity);
    expect(failure(decode(9, rdbString(zipmap([['ab', '1'], ['ab', '2']]))))).toEqual(['corrupt', 'Hash zipmap with dup elements, or big length (2)', 2154]);
  });

  it('RDB_TYPE_HASH_ZIPLIST (13): pairs of a ziplist, integers as their digits; a field twice or an odd count is refused', () => {
    const v = decode(13, rdbString(ziplist(['f', 'v', { int: 7, enc: 'imm' }, { int: -70000, enc: 'i32' }])));
    expect([hash(v).encoding, pairs(v)]).toEqual(['listpack', [['f', 'v'], ['7', '-70000']]]);
    // Long values stay in the listpack (Redis checks only the count here).
    expect(hash(decode(13, rdbString(ziplist(['f', 'v'.repeat(100)])))).encoding).toBe('listpack');
    const many = Array.from({ length: 513 }, (_, i) => [`f${i}`, `${i}`]).flat();
    expect(hash(decode(13, rdbString(ziplist(many)))).encoding).toBe('hashtable');
    const integrity = ['corrupt', 'Hash ziplist integrity check failed.', 2275];
    expect(failure(decode(13, rdbString(ziplist(['f', 'v', 'f', 'w']))))).toEqual(integrity);
    expect(failure(decode(13, rdbString(ziplist(['f', 'v', 'g']))))).toEqual(integrity);
    expect(failure(decode(13, rdbString(ziplist(['f', 'v'], 3))))).toEqual(integrity);
  });
});

describe('empty values', () => {
  it('are empty keys for every type that can hold none', () => {
    const empties: Array<[number, number[]]> = [
      [1, [0]], // RDB_TYPE_LIST of 0 elements
      [18, [0]], // QUICKLIST_2 of 0 nodes
      [18, [1, 2, ...rdbString(encodeListpack([]))]], // one node, an empty listpack
      [14, [2, ...rdbString(ziplist([])), ...rdbString(ziplist([]))]], // only empty ziplists
      [10, rdbString(ziplist([]))],
      [4, [0]],
      [16, rdbString(encodeListpack([]))],
      [13, rdbString(ziplist([]))],
    ];
    for (const [type, bytes] of empties) expect(decode(type, bytes), `type ${type}: ${hex(Uint8Array.from(bytes))}`).toBeNull();
    // The count in the header decides, as lpLength does: a count of 1 is no pair; 0 is no node.
    const lp = encodeListpack([b('f'), b('v')]);
    lp[4] = 1;
    expect(decode(16, rdbString(lp))).toBeNull();
    lp[4] = 0;
    expect(decode(18, [1, 2, ...rdbString(lp)])).toBeNull();
  });

  it('make RESTORE answer "Bad data format"', () => {
    const world = new World();
    const run = connect(world);
    expect(plain(run('RESTORE', 'k', '0', dumpPayload(18, [0])))).toBe('-ERR Bad data format');
    expect(plain(run('RESTORE', 'k', '0', dumpPayload(4, [0])))).toBe('-ERR Bad data format');
    expect(plain(run('EXISTS', 'k'))).toBe(0);
  });

  it('are skipped at start-up with the lines Redis logs (observed: rdbLoadObject skipping empty key), ten at most', () => {
    const world = new World();
    const empties = Array.from({ length: 11 }, (_, i) => [0x12, ...rdbString(`e${i}`), 0]);
    const file = withCrc(Uint8Array.from([...b('REDIS0010'), 0xfe, 0, ...empties.flat(), 0, ...rdbString('k'), ...rdbString('v'), 0xff, ...new Array(8).fill(0)]));
    world.crashNode(6379);
    world.disk(6379).write('dump.rdb', file);
    world.startNode(6379);
    const lines = world.logs(6379).map((l) => l.line.replace(/^\d+:M [\d]+ \w+ \d+ [\d:.]+ /, ''));
    expect(lines.filter((l) => l.includes('skipping empty key'))).toEqual(Array.from({ length: 10 }, (_, i) => `# rdbLoadObject skipping empty key: e${i}`));
    expect(lines).toContain('# Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 11.');
    expect(plain(connect(world)('DBSIZE'))).toBe(1);
  });
});

describe('listpacks as Redis checks them on load (sanitize-dump-payload no: the header only)', () => {
  const lpList = (lp: Uint8Array) => decode(18, [1, 2, ...rdbString(lp)]);
  const lpHash = (lp: Uint8Array) => decode(16, rdbString(lp));
  const LIST = ['corrupt', 'Listpack integrity check failed.', 2071];
  const HASH = ['corrupt', 'Hash listpack integrity check failed.', 2301];

  it('refuses a listpack whose header is wrong: too short, total bytes not its size, no end byte', () => {
    const good = encodeListpack(['f', 'v'].map(b));
    const variants: Uint8Array[] = [good.subarray(0, 6), good.subarray(0, good.length - 1), good.slice(), good.slice()];
    variants[2][0] += 1;
    variants[3][good.length - 1] = 0xfe;
    for (const v of variants) {
      expect(failure(lpList(v)), hex(v)).toEqual(LIST);
      expect(failure(lpHash(v)), hex(v)).toEqual(HASH);
    }
  });

  it('takes the header\'s count for the length and the encoding, and the entries as a walk finds them', () => {
    const lp = encodeListpack(['a', '1', 'b', '2'].map(b));
    lp[4] = 7; // count 7 for 4 entries: accepted, as Redis accepts it
    expect(nodes(lpList(lp))).toEqual([['a', '1', 'b', '2']]);
    expect(pairs(lpHash(lp))).toEqual([['a', '1'], ['b', '2']]);
    lp[5] = 0xff; // count 65287: a length of 32643 pairs, beyond 512: a hashtable (Redis converts it by walking the entries)
    expect(hash(lpHash(lp)).encoding).toBe('hashtable');
    lp[4] = 0xff; // count 65535: unknown, so counted by a walk
    expect(hash(lpHash(lp)).encoding).toBe('listpack');
    // An end byte inside: the walk stops there, as lpNext does.
    const early = encodeListpack(['a', '1', 'b', '2'].map(b));
    early[11] = 0xff; // where 'b' starts: header 6, 'a' 81 61 02, '1' 01 01
    expect(nodes(lpList(early))).toEqual([['a', '1']]);
    expect(pairs(lpHash(early))).toEqual([['a', '1']]);
  });

  it('refuses what the engine cannot hold and Redis accepts until a command walks it: unreadable entries, odd or repeated fields', () => {
    // (Redis with sanitize-dump-payload yes refuses them with these messages; with no, it asserts on the first walk.)
    const lp = encodeListpack(['a', '1', 'b', '2'].map(b));
    const badEncoding = lp.slice();
    badEncoding[6] = 0xf5;
    const badBacklen = lp.slice();
    badBacklen[8] = 3;
    const pastEnd = lp.slice();
    pastEnd[6] = 0x8f;
    for (const v of [badEncoding, badBacklen, pastEnd]) {
      expect(failure(lpList(v)), hex(v)).toEqual(LIST);
      expect(failure(lpHash(v)), hex(v)).toEqual(HASH);
    }
    expect(failure(lpHash(encodeListpack(['a', '1', 'b'].map(b))))).toEqual(HASH);
    expect(failure(lpHash(encodeListpack(['a', '1', 'a', '2'].map(b))))).toEqual(HASH);
    // A count that says entries where there are none.
    const none = encodeListpack([]);
    none[4] = 2;
    expect(failure(lpList(none))).toEqual(LIST);
    expect(failure(lpHash(none))).toEqual(HASH);
  });

  it('reads every listpack entry encoding', () => {
    const items = ['0', '127', '128', '-1', '4095', '-4096', '4096', '-32768', '40000', '8388607', '-8388609',
      '2147483647', '-2147483649', '9223372036854775807', '-9223372036854775808', '', 'a', '01', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(5000)];
    expect(list(lpList(encodeListpack(items.map(b)))).list.toArray().map((e) => latin1(e))).toEqual(items);
  });
});

describe('whole files and payloads', () => {
  function randomValues(seed: number) {
    let s = seed;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const element = () => {
      const k = int(0, 5);
      if (k === 0) return String(int(-100000, 100000));
      if (k === 1) return String(BigInt(int(-1e9, 1e9)) * 10000000000n);
      if (k === 2) return 'v'.repeat(int(0, 100));
      return Array.from({ length: int(0, 30) }, () => String.fromCharCode(int(0, 255))).join('');
    };
    const values: RedisValue[] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 2 === 0) {
        const v = newListValue([-2, -1, 3, 128][int(0, 3)], int(0, 2));
        if (i % 10 === 0) v.list.packedThreshold = 50;
        for (let n = int(1, 600); n > 0; n--) v.list.push(b(element()), r() < 0.5);
        values.push(v);
      } else {
        const h = newHash();
        for (let n = int(1, i % 5 === 1 ? 700 : 40); n > 0; n--) hashSet(h, b(element()), b(element()), config());
        values.push(h);
      }
    }
    return values;
  }

  it('reads back what it writes: the same nodes, fields and encodings, through writeRdb/readRdb and DUMP/RESTORE', () => {
    const values = randomValues(7);
    const ks = new Keyspace(16, { unixMs: NOW });
    values.forEach((v, i) => ks.dbs[i % 3].set(`k${i}`, v));
    const loaded = new Map<string, RedisValue>();
    readRdb(writeRdb(ks, { compression: true, checksum: true, ctime: 1, usedMem: 1 }), { databases: 16, verifyChecksum: true, decode: { config: config() } }, {
      key: (_db, key, value) => loaded.set(key, value),
    });
    const shape = (v: RedisValue) =>
      v.type === 'list'
        ? { plain: [...v.list.nodes()].map((n) => n.plain), nodes: [...v.list.nodes()].map((n) => n.entries.map((e) => hex(e)).join(',')), sz: [...v.list.nodes()].map((n) => n.sz) }
        : v.type === 'hash' ? { encoding: v.encoding, fields: [...v.fields].map(([f, x]) => [f, hex(x)]) } : null;
    values.forEach((v, i) => {
      expect(shape(loaded.get(`k${i}`)!), `k${i}`).toEqual(shape(v));
      for (const compression of [true, false]) {
        const back = loadDumpPayload(createDumpPayload(v, compression, 0, 'k'), { config: config() }, 0, 'k');
        expect(back.ok && shape(back.value), `k${i}`).toEqual(shape(v));
      }
    });
    expect(values.filter((v) => v.type === 'hash' && v.encoding === 'hashtable').length).toBeGreaterThan(0);
    expect(values.some((v) => v.type === 'list' && [...v.list.nodes()].some((n) => n.plain))).toBe(true);
  });

  it('a node restarted on its dump.rdb has its lists and hashes back', () => {
    const world = new World();
    const run = connect(world);
    run('RPUSH', 'l', 'a', 'b', '3');
    run('HSET', 'h', 'f', 'v', 'n', '1');
    run('HSET', 'ht', 'f', 'x'.repeat(100));
    expect(plain(run('SAVE'))).toBe('OK');
    world.crashNode(6379);
    world.startNode(6379);
    const again = connect(world);
    expect(plain(again('LRANGE', 'l', '0', '-1'))).toEqual({ type: 'array', items: ['a', 'b', '3'].map((x) => ({ type: 'bulk', value: b(x) })) });
    expect(plain(again('HGET', 'ht', 'f'))).toBe('x'.repeat(100));
    const h = world.node(6379)!.keyspace.dbs[0].dict.get('ht') as HashValue;
    expect(h.encoding).toBe('hashtable');
    expect(world.logs(6379).map((l) => l.line).some((l) => l.includes('Done loading RDB, keys loaded: 3, keys expired: 0.'))).toBe(true);
  });

  it('a node whose dump.rdb holds a corrupt listpack stays down, with the lines Redis logs (observed)', () => {
    const world = new World();
    const bad = encodeListpack([b('a')]);
    bad[0] += 1;
    const file = withCrc(Uint8Array.from([...b('REDIS0010'), 0xfe, 0, 0x12, ...rdbString('l'), 1, 2, ...rdbString(bad), 0xff, ...new Array(8).fill(0)]));
    world.crashNode(6379);
    world.disk(6379).write('dump.rdb', file);
    world.startNode(6379);
    const lines = world.logs(6379).map((l) => l.line.replace(/^\d+:M [\d]+ \w+ \d+ [\d:.]+ /, ''));
    expect(lines.slice(-2)).toEqual([
      '# Internal error in RDB reading offset 0, function at rdb.c:2071 -> Listpack integrity check failed.',
      '# Terminating server after rdb file reading failure.',
    ]);
    expect(world.nodes()[0].up).toBe(false);
  });

  it('never hangs and throws nothing but RdbError on mutated list and hash payloads', () => {
    let s = 99;
    const r = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const bases = randomValues(3).slice(0, 12).map((v) => createDumpPayload(v, r() < 0.5, 0, 'k'));
    bases.push(dumpPayload(10, rdbString(ziplist(['a', 'bcd', { int: 300, enc: 'i16' }, 'x'.repeat(300), 'y']))));
    bases.push(dumpPayload(14, [2, ...rdbString(ziplist(['a', { int: 1, enc: 'imm' }])), ...rdbString(ziplist(['b'.repeat(70)]))]));
    bases.push(dumpPayload(13, rdbString(ziplist(['f', 'v', 'g', { int: -5, enc: 'i8' }]))));
    bases.push(dumpPayload(9, rdbString(zipmap([['f', 'v', 2], ['g', 'w'.repeat(300)]]))));
    const kinds = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      const p = bases[i % bases.length].slice();
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) p[1 + Math.floor(r() * (p.length - 11))] = Math.floor(r() * 256);
      try {
        const got = readObject(new RdbReader(p), p[0], { config: config() }, 0, 'k');
        kinds.set(got ? 'ok' : 'empty', (kinds.get(got ? 'ok' : 'empty') ?? 0) + 1);
      } catch (e) {
        if (!(e instanceof RdbError)) throw new Error(`${hex(p)}: ${String(e)}`);
        kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      }
    }
    for (const kind of ['ok', 'short-read', 'corrupt']) expect(kinds.get(kind), kind).toBeGreaterThan(0);
  });
});
