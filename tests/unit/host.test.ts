// WorkerHost: the worker's logic driven through a fake HostEnv with a fake
// wall clock and a manual queue of `later` callbacks.
import { describe, expect, it } from 'vitest';
import { WorkerHost } from '../../src/worker/host.ts';
import { FakeEnv } from '../support/fake-host-env.ts';
import { PROTOCOL_VERSION, type FromWorker, type WorldSnapshot } from '../../src/protocol/messages.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function started(seed = 1): { host: WorkerHost; env: FakeEnv; ready: Extract<FromWorker, { type: 'ready' }> } {
  const env = new FakeEnv();
  env.wallMs = 1000;
  const host = new WorkerHost(env);
  host.handle({ type: 'hello', version: PROTOCOL_VERSION, seed, epochMs: DEFAULT_EPOCH_MS });
  const [ready] = env.take('ready');
  expect(ready).toBeDefined();
  return { host, env, ready };
}

/**
 * Pauses and returns the world's time as the next patch reports it: pausing
 * paces virtual time to the current wall time, then holds it, so the value
 * does not depend on how frame ticks and the patch timer interleave.
 */
function pausedTime(host: WorkerHost, env: FakeEnv): number {
  host.handle({ type: 'time.pause' });
  env.take('patch');
  env.advance(16);
  const patches = env.take('patch');
  expect(patches.length).toBeGreaterThanOrEqual(1);
  const last = patches[patches.length - 1];
  expect(last.snapshot.paused).toBe(true);
  return last.snapshot.timeUs;
}

describe('WorkerHost: hello', () => {
  it('posts an error for a hello with another protocol version, and no ready', () => {
    const env = new FakeEnv();
    const host = new WorkerHost(env);
    host.handle({ type: 'hello', version: PROTOCOL_VERSION + 1, epochMs: DEFAULT_EPOCH_MS });
    expect(env.posted).toHaveLength(1);
    expect(env.posted[0].type).toBe('error');
    const message = (env.posted[0] as Extract<FromWorker, { type: 'error' }>).message;
    expect(message).toContain(String(PROTOCOL_VERSION + 1));
    expect(message).toContain(String(PROTOCOL_VERSION));
  });

  it('posts an error for a message before hello', () => {
    const env = new FakeEnv();
    const host = new WorkerHost(env);
    host.handle({ type: 'session.open', session: 1, port: 6379 });
    expect(env.posted).toEqual([{ type: 'error', message: "worker: 'session.open' before hello" }]);
  });

  it('posts ready with its version, a snapshot of three nodes up, and their start-up logs', () => {
    const { ready } = started();
    expect(ready.version).toBe(PROTOCOL_VERSION);
    const snap: WorldSnapshot = ready.snapshot;
    expect(snap.timeUs).toBe(0);
    expect(snap.paused).toBe(false);
    expect(snap.speed).toBe(1);
    expect(snap.nodes.map((n) => n.port)).toEqual([6379, 6380, 6381]);
    for (const n of snap.nodes) {
      expect(n.up).toBe(true);
      expect(n.runId).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(new Set(snap.nodes.map((n) => n.pid)).size).toBe(3);
    expect(new Set(ready.logs.map((l) => l.port))).toEqual(new Set([6379, 6380, 6381]));
    expect(ready.logs.some((l) => l.line.includes('Ready to accept connections'))).toBe(true);
  });

  it('gives the same nodes for the same seed', () => {
    expect(started(7).ready.snapshot.nodes).toEqual(started(7).ready.snapshot.nodes);
  });
});

describe('WorkerHost: sessions', () => {
  it('opens a session, writes PING and posts the +PONG bytes back', () => {
    const { host, env } = started();
    host.handle({ type: 'session.open', session: 1, port: 6379 });
    expect(env.take('session.opened')).toEqual([{ type: 'session.opened', session: 1 }]);
    host.handle({ type: 'session.write', session: 1, bytes: b('*1\r\n$4\r\nPING\r\n') });
    const data = env.take('session.data');
    expect(data).toHaveLength(1);
    expect(data[0].session).toBe(1);
    expect(data[0].bytes).toEqual(b('+PONG\r\n'));
  });

  it('posts session.refused for a port where no node listens', () => {
    const { host, env } = started();
    host.handle({ type: 'session.open', session: 2, port: 7000 });
    expect(env.posted).toEqual([{ type: 'session.refused', session: 2 }]);
  });

  it('keeps sessions apart', () => {
    const { host, env } = started();
    host.handle({ type: 'session.open', session: 1, port: 6379 });
    host.handle({ type: 'session.open', session: 2, port: 6381 });
    host.handle({ type: 'session.write', session: 2, bytes: b('ECHO two\r\n') });
    host.handle({ type: 'session.write', session: 1, bytes: b('ECHO one\r\n') });
    expect(env.take('session.data').map((m) => [m.session, String.fromCharCode(...m.bytes)])).toEqual([
      [2, '$3\r\ntwo\r\n'],
      [1, '$3\r\none\r\n'],
    ]);
  });

  it('posts session.closed after the protocol error reply when the node closes the session', () => {
    const { host, env } = started();
    host.handle({ type: 'session.open', session: 3, port: 6380 });
    env.posted = [];
    host.handle({ type: 'session.write', session: 3, bytes: b('*abc\r\n') });
    expect(env.posted.map((m) => m.type)).toEqual(['session.data', 'session.closed']);
    host.handle({ type: 'session.write', session: 3, bytes: b('PING\r\n') });
    expect(env.take('session.data')).toHaveLength(1);
  });

  it('sends nothing more after the page closes a session', () => {
    const { host, env } = started();
    host.handle({ type: 'session.open', session: 4, port: 6379 });
    host.handle({ type: 'session.close', session: 4 });
    env.posted = [];
    host.handle({ type: 'session.write', session: 4, bytes: b('PING\r\n') });
    expect(env.posted).toEqual([]);
  });
});

describe('WorkerHost: patches', () => {
  it('coalesces many changes within one frame into one patch with the latest state', () => {
    const { host, env } = started();
    env.advance(100);
    env.take('patch');
    host.handle({ type: 'time.speed', speed: 2 });
    host.handle({ type: 'time.speed', speed: 3 });
    host.handle({ type: 'time.pause' });
    host.handle({ type: 'time.resume' });
    host.handle({ type: 'time.speed', speed: 4 });
    expect(env.take('patch')).toEqual([]);
    env.advance(16);
    const patches = env.take('patch');
    expect(patches).toHaveLength(1);
    expect(patches[0].snapshot.speed).toBe(4);
    expect(patches[0].snapshot.paused).toBe(false);
  });

  it('posts no patch while paused in frames where nothing changed', () => {
    const { host, env } = started();
    host.handle({ type: 'time.pause' });
    env.advance(16);
    expect(env.take('patch')).toHaveLength(1);
    env.advance(1000);
    expect(env.take('patch')).toEqual([]);
  });

  it('posts a patch each frame while time runs, so the clock the page shows moves', () => {
    const { env } = started();
    env.advance(16);
    env.take('patch');
    env.advance(160);
    const patches = env.take('patch');
    expect(patches).toHaveLength(10);
    for (let i = 1; i < patches.length; i++) expect(patches[i].snapshot.timeUs).toBeGreaterThan(patches[i - 1].snapshot.timeUs);
  });

  it('posts at most one patch per frame while changes keep coming', () => {
    const { host, env } = started();
    env.advance(16);
    env.take('patch');
    for (let frame = 0; frame < 10; frame++) {
      for (let i = 0; i < 5; i++) host.handle({ type: 'time.speed', speed: 1 + ((frame + i) % 3) });
      env.advance(16);
    }
    expect(env.take('patch')).toHaveLength(10);
  });

  it('refuses a speed outside 0.1..20 with an error', () => {
    const { host, env } = started();
    host.handle({ type: 'time.speed', speed: 50 });
    expect(env.take('error')).toHaveLength(1);
    host.handle({ type: 'time.speed', speed: 0 });
    expect(env.take('error')).toHaveLength(1);
  });

  it('does not leave more than the frame tick and one patch timer pending', () => {
    const { host, env } = started();
    for (let i = 0; i < 100; i++) host.handle({ type: 'time.speed', speed: 2 });
    expect(env.pendingTimers).toBeLessThanOrEqual(2);
  });
});

describe('WorkerHost: virtual time', () => {
  // Wall time starts at 1000 ms (see started()).
  it('advances virtual time with wall time at speed 1', () => {
    const { host, env } = started();
    env.advance(250);
    expect(pausedTime(host, env)).toBe(250_000);
  });

  it('advances virtual time four times faster at speed 4', () => {
    const { host, env } = started();
    host.handle({ type: 'time.speed', speed: 4 });
    env.advance(100);
    expect(pausedTime(host, env)).toBe(400_000);
  });

  it('advances virtual time at a quarter of the pace at speed 0.25', () => {
    const { host, env } = started();
    host.handle({ type: 'time.speed', speed: 0.25 });
    env.advance(400);
    expect(pausedTime(host, env)).toBe(100_000);
  });

  it('stops virtual time on time.pause, however much wall time passes', () => {
    const { host, env } = started();
    env.advance(50);
    expect(pausedTime(host, env)).toBe(50_000);
    env.advance(10_000);
    expect(pausedTime(host, env)).toBe(50_000);
  });

  it('does not jump forward by the paused wall time on time.resume', () => {
    const { host, env } = started();
    expect(pausedTime(host, env)).toBe(0);
    env.advance(5000);
    host.handle({ type: 'time.resume' });
    env.advance(100);
    expect(pausedTime(host, env)).toBe(100_000);
  });

  it('advances virtual time by exactly the step while paused', () => {
    const { host, env } = started();
    const t0 = pausedTime(host, env);
    host.handle({ type: 'time.step', us: 1234 });
    env.advance(16);
    const patch = env.take('patch').pop()!;
    expect(patch.snapshot.timeUs).toBe(t0 + 1234);
    host.handle({ type: 'time.step', us: 1_000_000 });
    expect(pausedTime(host, env)).toBe(t0 + 1234 + 1_000_000);
  });

  it('rounds a fractional step to whole microseconds and treats a negative one as zero', () => {
    const { host, env } = started();
    const t0 = pausedTime(host, env);
    host.handle({ type: 'time.step', us: -500 });
    expect(pausedTime(host, env)).toBe(t0);
    host.handle({ type: 'time.step', us: 10.6 });
    expect(pausedTime(host, env)).toBe(t0 + 11);
  });

  it('keeps pacing from where a step left virtual time once resumed', () => {
    const { host, env } = started();
    pausedTime(host, env);
    host.handle({ type: 'time.step', us: 7000 });
    host.handle({ type: 'time.resume' });
    env.advance(30);
    expect(pausedTime(host, env)).toBe(37_000);
  });
});

describe('WorkerHost: SIM SEED', () => {
  it('answers the seed, and with a new one starts a fresh world: sessions closed, ready again at time 0 with new pids', () => {
    const { host, env, ready } = started(1);
    const sim = (line: string, id: number) => {
      host.handle({ type: 'sim', id, argv: line.split(' ').map(b) });
      return String.fromCharCode(...env.take('sim.reply')[0].bytes);
    };
    expect(sim('SIM SEED', 1)).toBe(':1\r\n');
    host.handle({ type: 'session.open', session: 7, port: 6379 });
    expect(env.take('session.opened')).toHaveLength(1);
    env.advance(500);
    expect(sim('SIM SEED 42', 2)).toBe('+OK\r\n');
    expect(env.take('session.closed').map((m) => m.session)).toEqual([7]);
    const [fresh] = env.take('ready');
    expect(fresh.snapshot.timeUs).toBe(0);
    expect(fresh.snapshot.nodes.map((n) => n.port)).toEqual([6379, 6380, 6381]);
    expect(fresh.snapshot.nodes.map((n) => n.pid)).not.toEqual(ready.snapshot.nodes.map((n) => n.pid));
    expect(sim('SIM SEED', 3)).toBe(':42\r\n');
    expect(sim('SIM SEED x', 4)).toBe('-ERR seed must be an integer from 0 to 4294967295\r\n');
  });
});
