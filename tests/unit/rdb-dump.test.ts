// DUMP, RESTORE, SAVE and LASTSAVE on a node in a World. The replies and
// errors are checked against real Redis by the golden transcript
// (tests/golden/cases/dump.cmds) and the live tests; these cover what those
// cannot: the clock, the log, values the engine cannot encode yet.
import { describe, expect, it } from 'vitest';
import { World, DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import type { RedisValue } from '../../src/engine/keyspace/value.ts';
import { crc64 } from '../../src/engine/rdb/crc64.ts';
import { bytesOf, connect, plain } from '../support/world-client.ts';
import { hex } from './rdb-fixtures.ts';

function setup() {
  const world = new World();
  const send = connect(world);
  const run = (...args: (string | Uint8Array)[]) => plain(send(...args));
  return { world, run, send };
}

/** A payload with a correct footer around `body` (type byte and value). */
function payload(body: Uint8Array, version = 10): Uint8Array {
  const out = new Uint8Array(body.length + 10);
  out.set(body);
  out[body.length] = version & 0xff;
  out[body.length + 1] = version >> 8;
  return withCrc(out);
}

function withCrc(p: Uint8Array): Uint8Array {
  let v = crc64(p, 0, p.length - 8);
  for (let i = p.length - 8; i < p.length; i++, v >>= 8n) p[i] = Number(v & 0xffn);
  return p;
}

describe('DUMP', () => {
  it('answers nil for a missing key and the payload of a string: type, value, version 10, CRC-64', () => {
    const { run } = setup();
    expect(run('DUMP', 'nope')).toBeNull();
    run('SET', 'k', '12345');
    expect(hex(bytesOf(run('DUMP', 'k') as string))).toBe('00c13930' + '0a00' + hex(bytesOf(run('DUMP', 'k') as string)).slice(-16));
    const p = bytesOf(run('DUMP', 'k') as string);
    expect(hex(p.subarray(p.length - 8))).toBe(hex(withCrc(p.slice()).subarray(p.length - 8)));
  });

  it('compresses as rdbcompression says', () => {
    const { world, run } = setup();
    run('SET', 'k', 'a'.repeat(40));
    expect(hex(bytesOf(run('DUMP', 'k') as string)).slice(0, 20)).toBe('00c309280161' + '61e01b00');
    world.node(6379)!.config.rdbCompression = false;
    expect(hex(bytesOf(run('DUMP', 'k') as string)).slice(0, 6)).toBe('002861');
  });

  it('answers an error and logs a warning for a value type it cannot encode yet', () => {
    const { world, run, send } = setup();
    run('SET', 'k', 'v');
    world.node(6379)!.keyspace.dbs[0].set('odd', { type: 'odd' } as unknown as RedisValue);
    expect(run('DUMP', 'odd')).toBe('-ERR DUMP of odd values is not supported by this engine yet');
    expect(world.logs(6379).at(-1)!.line).toMatch(/ # DUMP of a odd value is not supported by this engine yet$/);
    expect(plain(send('PING'))).toBe('PONG');
  });
});

describe('RESTORE', () => {
  it('creates the key from a DUMP payload, with the TTL relative to now or absolute', () => {
    const { run } = setup();
    run('SET', 'src', 'hello');
    const p = run('DUMP', 'src') as string;
    expect(run('RESTORE', 'a', '0', p)).toBe('OK');
    expect(run('GET', 'a')).toBe('hello');
    expect(run('PTTL', 'a')).toBe(-1);
    expect(run('RESTORE', 'b', '5000', p)).toBe('OK');
    expect(run('PEXPIRETIME', 'b')).toBe(DEFAULT_EPOCH_MS + 5000);
    expect(run('RESTORE', 'c', String(DEFAULT_EPOCH_MS + 9000), p, 'ABSTTL')).toBe('OK');
    expect(run('PTTL', 'c')).toBe(9000);
  });

  it('answers OK and creates nothing when the time is already past; REPLACE then deletes the old key', () => {
    const { run } = setup();
    run('SET', 'src', 'v');
    const p = run('DUMP', 'src') as string;
    expect(run('RESTORE', 'gone', '1', p, 'ABSTTL')).toBe('OK');
    expect(run('EXISTS', 'gone')).toBe(0);
    expect(run('RESTORE', 'src', String(DEFAULT_EPOCH_MS), p, 'ABSTTL', 'REPLACE')).toBe('OK');
    expect(run('EXISTS', 'src')).toBe(0);
    // A TTL so large that now + TTL wraps in 64 bits is in the past.
    expect(run('RESTORE', 'wrap', '9223372036854775807', p)).toBe('OK');
    expect(run('EXISTS', 'wrap')).toBe(0);
  });

  it('checks in Redis\'s order: options, existing key, TTL, payload, then the value', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    const p = run('DUMP', 'k') as string;
    expect(run('RESTORE', 'k', '-1', 'junk', 'BAD')).toBe('-ERR syntax error');
    expect(run('RESTORE', 'k', '-1', 'junk')).toBe('-BUSYKEY Target key name already exists.');
    expect(run('RESTORE', 'n', '-1', 'junk')).toBe('-ERR Invalid TTL value, must be >= 0');
    expect(run('RESTORE', 'n', 'x', 'junk')).toBe('-ERR value is not an integer or out of range');
    expect(run('RESTORE', 'n', '0', 'junk')).toBe('-ERR DUMP payload version or checksum are wrong');
    expect(run('RESTORE', 'n', '0', payload(bytesOf('\u0030\u0001a')))).toBe('-ERR Bad data format');
    expect(run('RESTORE', 'n', '0', payload(bytesOf('\u0000\u0001a'), 11))).toBe('-ERR DUMP payload version or checksum are wrong');
    expect(run('RESTORE', 'n', '0', payload(bytesOf('\u0000\u0001a'), 9))).toBe('OK');
    expect(run('RESTORE', 'k', '0', p, 'IDLETIME', '-1')).toBe('-ERR Invalid IDLETIME value, must be >= 0');
    expect(run('RESTORE', 'k', '0', p, 'FREQ', '256')).toBe('-ERR Invalid FREQ value, must be >= 0 and <= 255');
    expect(run('RESTORE', 'k', '0', p, 'IDLETIME', '1', 'FREQ', '1')).toBe('-ERR syntax error');
    expect(run('RESTORE', 'k', '0', p, 'REPLACE', 'IDLETIME', '5')).toBe('OK');
  });

  it('reads the value from the whole payload, footer included, as Redis does', () => {
    const { run } = setup();
    // A string that claims 5 bytes reads 2 of its own and 3 of the footer.
    const p = payload(bytesOf('\u0000\u0005ab'));
    expect(run('RESTORE', 'k', '0', p)).toBe('OK');
    expect(hex(bytesOf(run('GET', 'k') as string))).toBe('6162' + hex(p.subarray(4, 7)));
    // Bytes between the value and the footer are ignored.
    expect(run('RESTORE', 'j', '0', payload(bytesOf('\u0000\u0001azzz')))).toBe('OK');
    expect(run('GET', 'j')).toBe('a');
  });

  it('answers an engine error and logs a warning for a value type it cannot load yet', () => {
    const { world, run } = setup();
    // A module value (RDB_TYPE_MODULE_2): the engine fails at its type byte, before its contents.
    const p = payload(Uint8Array.of(7, 0));
    expect(run('RESTORE', 's', '0', p)).toBe('-ERR RESTORE of module values is not supported by this engine yet');
    expect(world.logs(6379).at(-1)!.line).toMatch(/ # RESTORE: Can't load module values \(RDB type 7\) yet$/);
  });
});

describe('SAVE and LASTSAVE', () => {
  it('LASTSAVE is the start time until a SAVE, then the time of the SAVE', () => {
    const { world, run } = setup();
    const start = DEFAULT_EPOCH_MS / 1000;
    expect(run('LASTSAVE')).toBe(start);
    world.runUntil(5_500_000);
    expect(run('SAVE')).toBe('OK');
    expect(run('LASTSAVE')).toBe(start + 5);
    expect(world.logs(6379).at(-1)!.line).toMatch(/^\d+:M 01 Jan 2026 00:00:05\.500 \* DB saved on disk$/);
    expect(world.disk(6379).list()).toEqual([{ name: 'dump.rdb', size: expect.any(Number) }, { name: 'redis.conf', size: 0 }]);
  });

  it('fails without touching the file when a value cannot be encoded yet', () => {
    const { world, run } = setup();
    run('SET', 'k', 'v');
    expect(run('SAVE')).toBe('OK');
    const before = world.disk(6379).read('dump.rdb');
    world.node(6379)!.keyspace.dbs[2].set('odd', { type: 'odd' } as unknown as RedisValue);
    world.runUntil(3_000_000);
    expect(run('SAVE')).toBe("-ERR SAVE failed: odd values cannot be written to an RDB file by this engine yet (see the node's log)");
    expect(world.logs(6379).at(-1)!.line).toMatch(/ # Failed saving the DB: key 'odd' in DB 2 holds a odd value, which this engine cannot write to an RDB file yet$/);
    expect(world.disk(6379).read('dump.rdb')).toEqual(before);
    expect(run('LASTSAVE')).toBe(DEFAULT_EPOCH_MS / 1000);
  });
});
