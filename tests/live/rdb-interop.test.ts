// RDB files and DUMP payloads between the engine and real redis-server
// 7.0.15 (strings; lists and hashes are in rdb-collections.test.ts):
//  (a) the engine's dump.rdb passes redis-check-rdb, and a real server
//      started on it holds the same keys, values and expire times (key by
//      key, and DEBUG DIGEST against a real server given the same commands);
//  (b) the engine loads a real server's dump.rdb and answers the same GET,
//      PEXPIRETIME and PTTL;
//  (c) with one key per database the engine's file is the real server's
//      byte for byte once ctime and used-mem are the same (and its SAVE
//      differs in those two AUX records and the checksum only); with
//      several keys per database Redis writes them in its hash table's
//      order, so they are compared as sets of records;
//  (d) DUMP of the same string gives the same bytes on both, and each
//      RESTOREs the other's payload.
// The engine runs in process (a World whose epoch is the real date, so that
// absolute expire times mean the same on both sides); the real servers are
// started on free ports and stopped on every path.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRdb, withRealRedis } from '../support/real-redis.ts';
import { rng } from '../support/seeded.ts';
import { RawClient } from '../support/raw-client.ts';
import { connect } from '../support/world-client.ts';
import { rdbRecords, recordHex } from '../support/rdb-records.ts';
import { World } from '../../src/sim/world.ts';
import type { Reply } from '../../src/engine/resp/reply-reader.ts';
import { writeRdb } from '../../src/engine/rdb/writer.ts';
import { readRdb } from '../../src/engine/rdb/reader.ts';
import { NodeConfig } from '../../src/engine/config.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');

interface Entry {
  db: number;
  key: Uint8Array;
  value: Uint8Array;
  /** PXAT, unix ms. */
  expireAt?: number;
}

/** An hour ahead, rounded: far enough that nothing expires during a run. */
const LATER = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;

/** Strings of every encoding, keys of every form, TTLs, several databases. */
function datasetA(): Entry[] {
  const g = rng(2024);
  const e: Entry[] = [];
  const add = (db: number, key: string | Uint8Array, value: string | Uint8Array, expireAt?: number) =>
    e.push({ db, key: typeof key === 'string' ? b(key) : key, value: typeof value === 'string' ? b(value) : value, expireAt });
  const ints = ['0', '1', '-1', '127', '-128', '128', '-129', '12345', '32767', '-32768', '32768', '70000', '-70000',
    '2147483647', '-2147483648', '2147483648', '-2147483649', '4294967296', '9223372036854775807', '-9223372036854775808',
    '99999999999999999999999', '007', '-0', '+1', '1.5'];
  ints.forEach((v, i) => add(0, `int:${i}`, v));
  add(0, 'short', 'hello');
  add(0, 'empty', '');
  add(0, 'bin', b('\x00\xff\r\n\x00 \x7f\x80'));
  add(0, 'a20', 'a'.repeat(20));
  add(0, 'a21', 'a'.repeat(21));
  add(0, 'a44', 'a'.repeat(44));
  add(0, 'a45', 'a'.repeat(45));
  add(0, 'noise44', g.bytes(44, 'abcdefghijklmnopqrstuvwxyz0123456789'));
  add(0, 'noise45', g.bytes(45, 'abcdefghijklmnopqrstuvwxyz0123456789'));
  add(0, 'fox', 'the quick brown fox jumps over the lazy dog; '.repeat(30));
  add(0, 'random1k', g.bytes(1000));
  add(0, 'random20k', g.bytes(20000));
  add(0, 'zeros20k', new Uint8Array(20000));
  add(0, 'ttl:str', 'v', LATER);
  add(0, 'ttl:int', '123', LATER + 1);
  add(0, 'ttl:long', 'ab'.repeat(100), LATER + 999);
  add(1, '12345', 'a key that is an integer');
  add(1, '-1', 'another');
  add(1, 'k'.repeat(60), 'a long compressible key');
  add(1, g.bytes(30, 'xyz'), 'a random key');
  add(1, b('\x00key\xff'), 'binary key');
  add(7, 'seven', '7', LATER + 7000);
  add(7, 'eight', 'eight');
  add(15, 'last', 'in the last database');
  // Many more, of random kinds, to give the hash tables some work.
  for (let i = 0; i < 600; i++) {
    const kind = g.int(0, 3);
    const value =
      kind === 0 ? b(String(g.int(-3000000000, 3000000000))) :
      kind === 1 ? g.bytes(g.int(0, 60), 'ab') :
      kind === 2 ? g.bytes(g.int(0, 300)) :
      g.bytes(g.int(21, 400), 'the quick brown fox ');
    add(g.int(2, 4), `many:${i}`, value, g.next() < 0.2 ? LATER + g.int(0, 100000) : undefined);
  }
  return e;
}

/** One key per database, covering the encodings, for byte equality of whole files. */
function datasetB(): Entry[] {
  const g = rng(77);
  const values: Array<string | Uint8Array> = ['-100', '12345', '-2147483648', '2147483648', 'hello', 'a'.repeat(44), g.bytes(45, 'abcdefghij0123456789'),
    'the quick brown fox jumps over the lazy dog; '.repeat(10), g.bytes(300), b('\x00\xff\r\n'), '', 'ttl', '007', 'a'.repeat(21), 'k', '9223372036854775807'];
  return values.map((v, db) => ({
    db,
    key: db === 14 ? b('12345') : db === 13 ? b('a long key name that compresses, a long key name that compresses') : b(`key${db}`),
    value: typeof v === 'string' ? b(v) : v,
    expireAt: db === 11 ? LATER : undefined,
  }));
}

function setArgs(e: Entry): Uint8Array[] {
  return e.expireAt === undefined ? [b('SET'), e.key, e.value] : [b('SET'), e.key, e.value, b('PXAT'), b(String(e.expireAt))];
}

/** Runs the dataset's commands on a real server. */
async function fillReal(client: RawClient, data: Entry[]): Promise<void> {
  let db = -1;
  for (const e of data) {
    if (e.db !== db) expect(await client.command('SELECT', String((db = e.db)))).toMatchObject({ type: 'status' });
    expect(await client.command(...setArgs(e))).toMatchObject({ type: 'status' });
  }
}

/** A World whose clock shows the real date, with the dataset on node 6379. */
function engineWith(data: Entry[]): { world: World; run: ReturnType<typeof connect> } {
  const world = new World({ epochMs: Date.now() });
  const run = connect(world);
  let db = -1;
  for (const e of data) {
    if (e.db !== db) run('SELECT', String((db = e.db)));
    expect(run(...setArgs(e))).toMatchObject({ type: 'status' });
  }
  run('SELECT', '0');
  return { world, run };
}

const bulk = (r: Reply): string | null => (r.type === 'bulk' ? hex(r.value) : r.type === 'nil' ? null : `unexpected ${JSON.stringify(r)}`);
const int = (r: Reply): number => (r.type === 'integer' ? Number(r.value) : NaN);

describe('(a) the engine\'s dump.rdb in real redis-server 7.0.15', () => {
  it('passes redis-check-rdb, and a real server started on it holds the same keys, values and expire times', async () => {
    const data = datasetA();
    const { world, run } = engineWith(data);
    expect(run('SAVE')).toMatchObject({ type: 'status' });
    const file = world.disk(6379).read('dump.rdb')!;

    const check = checkRdb(file);
    expect(check).toContain('\\o/ RDB looks OK! \\o/');
    expect(check).toContain('Checksum OK');
    expect(check).toContain(`[info] ${data.length} keys read`);
    expect(check).toContain(`[info] ${data.filter((e) => e.expireAt !== undefined).length} expires`);

    const digestOfLoaded = await withRealRedis(['--enable-debug-command', 'yes'], { 'dump.rdb': file }, async (real, client) => {
      const log = fs.readFileSync(path.join(real.dir, 'redis.log'), 'utf8');
      expect(log).toContain(`Done loading RDB, keys loaded: ${data.length}, keys expired: 0.`);
      for (let db = 0; db < 16; db++) {
        await client.command('SELECT', String(db));
        expect(int(await client.command('DBSIZE')), `DBSIZE of db ${db}`).toBe(data.filter((e) => e.db === db).length);
      }
      for (const e of data) {
        await client.command('SELECT', String(e.db));
        const label = `db ${e.db} key ${hex(e.key)}`;
        expect(bulk(await client.command('GET', e.key)), label).toBe(hex(e.value));
        expect(int(await client.command('PEXPIRETIME', e.key)), label).toBe(e.expireAt ?? -1);
      }
      const digest = await client.command('DEBUG', 'DIGEST');
      return bulk(digest);
    });

    // The same commands given to a real server directly: the same dataset digest.
    const digestOfDirect = await withRealRedis(['--enable-debug-command', 'yes'], undefined, async (_real, client) => {
      await fillReal(client, data);
      return bulk(await client.command('DEBUG', 'DIGEST'));
    });
    expect(digestOfLoaded).toBe(digestOfDirect);
    expect(digestOfLoaded).not.toBe(hex(new Uint8Array(40).fill(0x30)));
  });
});

describe('(b) real redis-server 7.0.15\'s dump.rdb in the engine', () => {
  it('loads it at start-up and answers the same GET, PEXPIRETIME and PTTL, logging what Redis logs', async () => {
    const data = datasetA();
    const { file, pttls } = await withRealRedis([], undefined, async (real, client) => {
      await fillReal(client, data);
      expect(await client.command('SAVE')).toMatchObject({ type: 'status' });
      const pttls = new Map<string, number>();
      for (const e of data.filter((x) => x.expireAt !== undefined)) {
        await client.command('SELECT', String(e.db));
        pttls.set(`${e.db}:${hex(e.key)}`, int(await client.command('PTTL', e.key)));
      }
      return { file: new Uint8Array(fs.readFileSync(path.join(real.dir, 'dump.rdb'))), pttls };
    });

    const world = new World({ epochMs: Date.now() });
    world.disk(6379).write('dump.rdb', file);
    world.crashNode(6379);
    world.startNode(6379);
    expect(world.nodes()[0].up).toBe(true);
    const lines = world.logs(6379).map((l) => l.line.replace(/^\d+:M [\d]+ \w+ \d+ [\d:.]+ /, ''));
    expect(lines.slice(-6)).toEqual([
      '* Loading RDB produced by version 7.0.15',
      expect.stringMatching(/^\* RDB age \d+ seconds$/),
      expect.stringMatching(/^\* RDB memory usage when created \d+\.\d\d Mb$/),
      `* Done loading RDB, keys loaded: ${data.length}, keys expired: 0.`,
      '* DB loaded from disk: 0.000 seconds',
      '* Ready to accept connections',
    ]);

    const run = connect(world);
    for (const e of data) {
      run('SELECT', String(e.db));
      const label = `db ${e.db} key ${hex(e.key)}`;
      expect(bulk(run('GET', e.key)), label).toBe(hex(e.value));
      expect(int(run('PEXPIRETIME', e.key)), label).toBe(e.expireAt ?? -1);
      if (e.expireAt !== undefined) {
        // The two clocks are read at different moments: a few seconds apart at most.
        expect(Math.abs(int(run('PTTL', e.key)) - pttls.get(`${e.db}:${hex(e.key)}`)!), label).toBeLessThan(5000);
      }
    }
  });
});

describe('(c) byte equality of whole files', () => {
  it('with one key per database, writes the real file byte for byte given its ctime and used-mem', async () => {
    const data = datasetB();
    const realFile = await withRealRedis([], undefined, async (real, client) => {
      await fillReal(client, data);
      expect(await client.command('SAVE')).toMatchObject({ type: 'status' });
      return new Uint8Array(fs.readFileSync(path.join(real.dir, 'dump.rdb')));
    });
    const aux = new Map<string, string>();
    readRdb(realFile, { databases: 16, verifyChecksum: true, decode: { config: new NodeConfig() } }, {
      aux: (k, v) => aux.set(Buffer.from(k).toString('latin1'), Buffer.from(v).toString('latin1')),
      key: () => {},
    });
    const { world, run } = engineWith(data);
    const mine = writeRdb(world.node(6379)!.keyspace, {
      compression: true,
      checksum: true,
      ctime: Number(aux.get('ctime')),
      usedMem: Number(aux.get('used-mem')),
    });
    expect(hex(mine)).toBe(hex(realFile));

    // SAVE's own file: the same records but for ctime, used-mem and the checksum.
    expect(run('SAVE')).toMatchObject({ type: 'status' });
    const saved = rdbRecords(world.disk(6379).read('dump.rdb')!);
    const real = rdbRecords(realFile);
    expect(saved.map((r) => r.kind + (r.name ?? ''))).toEqual(real.map((r) => r.kind + (r.name ?? '')));
    const differing = saved.filter((r, i) => recordHex(r) !== recordHex(real[i])).map((r) => r.kind + ':' + (r.name ?? ''));
    expect(differing).toEqual(expect.arrayContaining(['checksum:']));
    expect(differing.filter((d) => d !== 'aux:ctime' && d !== 'aux:used-mem' && d !== 'checksum:')).toEqual([]);
  });

  it('with several keys per database, writes the same records (keys as sets: Redis writes them in its hash table\'s order)', async () => {
    const data = datasetA();
    const realFile = await withRealRedis([], undefined, async (real, client) => {
      await fillReal(client, data);
      expect(await client.command('SAVE')).toMatchObject({ type: 'status' });
      return new Uint8Array(fs.readFileSync(path.join(real.dir, 'dump.rdb')));
    });
    const { run, world } = engineWith(data);
    expect(run('SAVE')).toMatchObject({ type: 'status' });
    const mine = rdbRecords(world.disk(6379).read('dump.rdb')!);
    const real = rdbRecords(realFile);
    const framing = (rs: typeof mine) => rs.filter((r) => r.kind !== 'key' && r.kind !== 'checksum' && r.name !== 'ctime' && r.name !== 'used-mem').map(recordHex);
    expect(framing(mine)).toEqual(framing(real));
    const keysByDb = (rs: typeof mine) => {
      const m = new Map<number, string[]>();
      for (const r of rs.filter((x) => x.kind === 'key')) m.set(r.db!, [...(m.get(r.db!) ?? []), recordHex(r)].sort());
      return m;
    };
    expect(keysByDb(mine)).toEqual(keysByDb(real));
    expect(mine.filter((r) => r.kind === 'key').length).toBe(data.length);
  });
});

describe('(d) DUMP and RESTORE across the engine and real redis-server 7.0.15', () => {
  it('gives identical payloads for every string, and each side restores the other\'s', async () => {
    const g = rng(5);
    const values: Uint8Array[] = datasetA().map((e) => e.value);
    for (let i = 0; i < 300; i++) {
      const n = g.int(0, 3) === 0 ? g.int(0, 30) : g.int(21, 3000);
      const alphabet = ['a', 'ab', 'abcdefgh', 'the quick brown fox ', '0123456789', undefined][g.int(0, 5)];
      const v = g.bytes(n, alphabet);
      // Sprinkle some noise into the compressible ones.
      for (let k = 0; k < n / 40; k++) v[g.int(0, Math.max(0, n - 1))] = g.int(0, 255);
      values.push(v);
    }
    const { run } = engineWith([]);
    await withRealRedis([], undefined, async (_real, client) => {
      let compressed = 0;
      for (let i = 0; i < values.length; i++) {
        const key = b(`d:${i}`);
        await client.command('SET', key, values[i]);
        run('SET', key, values[i]);
        const realDump = await client.command('DUMP', key);
        const mine = run('DUMP', key);
        expect(mine.type === 'bulk' && hex(mine.value), `value ${i}: ${hex(values[i]).slice(0, 80)}`).toBe(realDump.type === 'bulk' && hex(realDump.value));
        if (realDump.type === 'bulk' && realDump.value[1] === 0xc3) compressed++;

        // Each restores the other's payload.
        const restored = b(`r:${i}`);
        expect(run('RESTORE', restored, '0', (realDump as { value: Uint8Array }).value)).toMatchObject({ type: 'status' });
        expect(bulk(run('GET', restored))).toBe(hex(values[i]));
        expect(await client.command('RESTORE', restored, '0', (mine as { value: Uint8Array }).value)).toMatchObject({ type: 'status' });
        expect(bulk(await client.command('GET', restored))).toBe(hex(values[i]));
      }
      expect(compressed).toBeGreaterThan(150);
    });
  });

  it('restores with REPLACE, ABSTTL and a TTL to the same key, value and expire time', async () => {
    const { run } = engineWith([]);
    await withRealRedis([], undefined, async (_real, client) => {
      for (const c of [client]) await c.command('SET', 'src', 'the value');
      run('SET', 'src', 'the value');
      const payload = (await client.command('DUMP', 'src')) as { value: Uint8Array };
      const at = String(LATER);
      for (const args of [['RESTORE', 'src', at, payload.value, 'REPLACE', 'ABSTTL'], ['RESTORE', 'src', '0', payload.value]]) {
        const want = await client.command(...args);
        const got = run(...args);
        expect(got).toEqual(want);
      }
      expect(int(run('PEXPIRETIME', 'src'))).toBe(int(await client.command('PEXPIRETIME', 'src')));
      expect(int(run('PEXPIRETIME', 'src'))).toBe(LATER);
    });
  });
});
