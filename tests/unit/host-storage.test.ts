// The worker keeps the world's disks and node list in a store, so a page
// reload finds the nodes again, started from their redis.conf and
// dump.rdb; SIM SEED (the page's Reset world) forgets them.
import { describe, expect, it } from 'vitest';
import { WorkerHost } from '../../src/worker/host.ts';
import { WorldPersistence } from '../../src/worker/persistence.ts';
import { MemoryStore } from '../../src/worker/storage.ts';
import { FakeEnv } from '../support/fake-host-env.ts';
import { PROTOCOL_VERSION, type FromWorker } from '../../src/protocol/messages.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { bytesOf } from '../support/world-client.ts';

const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);
/** Lets the store's promises settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A worker on the store, once it has answered hello. */
async function open(store: MemoryStore) {
  const env = new FakeEnv(store);
  env.wallMs = 1000;
  const host = new WorkerHost(env);
  host.handle({ type: 'hello', version: PROTOCOL_VERSION, epochMs: DEFAULT_EPOCH_MS });
  await settle();
  const [ready] = env.take('ready');
  expect(ready).toBeDefined();
  const [storage] = env.take('storage');
  let nextId = 1;
  let nextSession = 1;
  /** One command on a session of its own; the reply's bytes as text. */
  const cmd = (port: number, line: string): string => {
    const session = nextSession++;
    host.handle({ type: 'session.open', session, port });
    env.take('session.opened');
    host.handle({ type: 'session.write', session, bytes: bytesOf(line + '\r\n') });
    const reply = env.take('session.data').map((m) => text(m.bytes)).join('');
    host.handle({ type: 'session.close', session });
    return reply;
  };
  const sim = (line: string): string => {
    host.handle({ type: 'sim', id: nextId, argv: line.split(' ').map(bytesOf) });
    return text(env.take('sim.reply').find((m) => m.id === nextId++)!.bytes);
  };
  /** Waits past the save throttle and for the save itself. */
  const saved = async () => {
    env.advance(WorldPersistence.THROTTLE_MS + 20);
    await host.storageSettled();
  };
  return { env, host, ready, storage: storage as Extract<FromWorker, { type: 'storage' }>, cmd, sim, saved };
}

describe('the world kept across page loads', () => {
  it('starts fresh with an empty store, then saves disks after writes and the node list after SIM ADD', async () => {
    const store = new MemoryStore();
    const w = await open(store);
    expect(w.storage).toEqual({ type: 'storage', restored: false, error: null });
    expect(w.cmd(6379, 'SET k v')).toBe('+OK\r\n');
    expect(w.cmd(6379, 'SAVE')).toBe('+OK\r\n');
    expect(w.cmd(6380, 'CONFIG SET maxmemory 1mb')).toBe('+OK\r\n');
    expect(w.cmd(6380, 'CONFIG REWRITE')).toBe('+OK\r\n');
    expect(w.sim('SIM ADD 6390')).toBe(':6390\r\n');
    // Nothing is saved before the quiet moment.
    expect(store.file(6379, 'dump.rdb')).toBe(null);
    await w.saved();
    expect(store.file(6379, 'dump.rdb')).toEqual(w.host['world']!.disk(6379).read('dump.rdb'));
    expect(text(store.file(6380, 'redis.conf')!)).toContain('maxmemory 1mb');
    expect((await store.load())!.ports).toEqual([6379, 6380, 6381, 6390]);
  });

  it('keeps the links\' latency, bandwidth and partitions, and sets them again on the next load', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    expect(first.sim('SIM LATENCY 6379 6380 25')).toBe('+OK\r\n');
    expect(first.sim('SIM BANDWIDTH 6379 6381 1000000')).toBe('+OK\r\n');
    expect(first.sim('SIM PARTITION 6380 6381')).toBe('+OK\r\n');
    await first.saved();
    expect((await store.load())!.links).toEqual([
      { a: 6379, b: 6380, latencyUs: 25000, bandwidth: 0, partitioned: false },
      { a: 6379, b: 6381, latencyUs: 100, bandwidth: 1000000, partitioned: false },
      { a: 6380, b: 6381, latencyUs: 100, bandwidth: 0, partitioned: true },
    ]);
    const second = await open(store);
    expect(second.host['world']!.network.links()).toEqual((await store.load())!.links);
    expect(second.sim('SIM LATENCY 6379 6380')).toBe(first.sim('SIM LATENCY 6379 6380'));
    // Healing is a change to save too.
    second.sim('SIM HEAL');
    await second.saved();
    expect((await store.load())!.links!.map((l) => l.partitioned)).toEqual([false, false]);
  });

  it('restores the nodes on the next load, each started from its disk as SIM START starts it', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    first.sim('SIM SEED 9');
    first.cmd(6379, 'RPUSH list a b c');
    first.cmd(6379, 'SAVE');
    first.cmd(6380, 'CONFIG SET repl-backlog-size 2mb');
    first.cmd(6380, 'CONFIG REWRITE');
    first.sim('SIM ADD 7000');
    first.sim('SIM REMOVE 6381');
    await first.saved();

    const second = await open(store);
    expect(second.storage).toEqual({ type: 'storage', restored: true, error: null });
    expect(second.ready.snapshot.seed).toBe(9);
    expect(second.ready.snapshot.nodes.map((n) => [n.port, n.up])).toEqual([[6379, true], [6380, true], [7000, true]]);
    expect(second.cmd(6379, 'LRANGE list 0 -1')).toBe('*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
    expect(second.cmd(6380, 'CONFIG GET repl-backlog-size')).toBe('*2\r\n$17\r\nrepl-backlog-size\r\n$7\r\n2097152\r\n');
    expect(second.ready.logs.some((l) => l.port === 6379 && l.line.includes('DB loaded from disk'))).toBe(true);
  });

  it('keeps each node\'s log: after a reload it goes on after the lines of the earlier visit, as a logfile does', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    first.cmd(6379, 'SAVE');
    first.sim('SIM ADD 7000');
    first.sim('SIM REMOVE 6381');
    await first.saved();
    const before = first.host['world']!.logs(6379).map((r) => r.line);
    expect(before.at(-1)).toMatch(/\* DB saved on disk$/);

    const second = await open(store);
    const lines = second.ready.logs.filter((l) => l.port === 6379).map((l) => l.line);
    // The earlier visit's lines, then this process's start-up from its disk.
    expect(lines.slice(0, before.length)).toEqual(before);
    const restart = lines.slice(before.length);
    expect(restart[0]).toMatch(/# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$/);
    expect(restart.some((l) => l.includes('DB loaded from disk'))).toBe(true);
    // A removed node's log went with it; an added one's stayed.
    expect(second.ready.logs.some((l) => l.port === 6381)).toBe(false);
    expect(second.ready.logs.filter((l) => l.port === 7000).length).toBeGreaterThan(restart.length);
    // The log saved again after the reload holds both visits.
    second.cmd(6379, 'SAVE');
    await second.saved();
    const stored = (await store.load())!.logs!.find((l) => l.port === 6379)!.lines.map((l) => l.line);
    expect(stored.slice(0, lines.length)).toEqual(lines);
    expect(stored.at(-1)).toMatch(/\* DB saved on disk$/);
  });

  it('keeps a node whose dump.rdb it cannot load down, with its log, and starts the others', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    first.cmd(6380, 'SET k v');
    first.cmd(6380, 'SAVE');
    await first.saved();
    await store.commit({ meta: { seed: 1, ports: [6379, 6380, 6381] }, put: [{ port: 6380, name: 'dump.rdb', bytes: bytesOf('REDIS0010garbage') }], remove: [] });
    const second = await open(store);
    expect(second.ready.snapshot.nodes.map((n) => n.up)).toEqual([true, false, true]);
    expect(second.ready.logs.filter((l) => l.port === 6380).at(-1)!.line).toMatch(/# Internal error in RDB reading offset 0, function at rdb.c:3249 -> Unexpected EOF reading RDB file$/);
    expect(second.cmd(6379, 'PING')).toBe('+PONG\r\n');
  });

  it('forgets the saved world on SIM SEED: the next load has fresh, empty nodes', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    first.cmd(6379, 'SET k v');
    first.cmd(6379, 'SAVE');
    first.sim('SIM ADD');
    await first.saved();
    expect(store.file(6379, 'dump.rdb')).not.toBe(null);
    expect(first.sim('SIM SEED 3')).toBe('+OK\r\n');
    await first.saved();
    expect(store.file(6379, 'dump.rdb')).toBe(null);
    const second = await open(store);
    expect(second.ready.snapshot.seed).toBe(3);
    expect(second.ready.snapshot.nodes.map((n) => n.port)).toEqual([6379, 6380, 6381]);
    expect(second.cmd(6379, 'DBSIZE')).toBe(':0\r\n');
  });

  it('drops what a removed node left when a new node takes its port', async () => {
    const store = new MemoryStore();
    const first = await open(store);
    first.cmd(6381, 'SET k v');
    first.cmd(6381, 'SAVE');
    await first.saved();
    first.sim('SIM REMOVE 6381');
    first.sim('SIM ADD 6381');
    await first.saved();
    expect(store.file(6381, 'dump.rdb')).toBe(null);
    expect(store.file(6381, 'redis.conf')).toEqual(new Uint8Array());
  });

  it('answers what the page sent while the saved world was being read, once it is', async () => {
    const store = new MemoryStore();
    const env = new FakeEnv(store);
    const host = new WorkerHost(env);
    host.handle({ type: 'hello', version: PROTOCOL_VERSION, epochMs: DEFAULT_EPOCH_MS });
    host.handle({ type: 'session.open', session: 1, port: 6379 });
    expect(env.posted).toEqual([]);
    await settle();
    expect(env.posted.map((m) => m.type)).toEqual(['ready', 'storage', 'session.opened']);
  });
});
