// World: simulated redis-server processes, connections from outside, the
// virtual clock and event queue, and the trace hash.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, World, type ExternalConnection } from '../../src/sim/world.ts';
import { ReplyReader, encodeCommand, type Reply } from '../../src/engine/resp/reply-reader.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cmd = (...args: string[]) => encodeCommand(args.map(b));

/** A client outside the world: collects replies and notes when it is closed. */
class TestClient {
  readonly reader = new ReplyReader();
  readonly events: string[] = [];
  closed = false;
  conn: ExternalConnection | null;

  constructor(world: World, port: number) {
    this.conn = world.connectExternal(port, {
      data: (bytes) => {
        this.events.push('data');
        this.reader.feed(bytes);
      },
      closed: () => {
        this.events.push('closed');
        this.closed = true;
      },
    });
  }

  replies(): Reply[] {
    const out: Reply[] = [];
    for (let r = this.reader.next(); r; r = this.reader.next()) out.push(r);
    return out;
  }
}

describe('World: nodes', () => {
  it('starts three nodes on 127.0.0.1:6379, 6380 and 6381, all up', () => {
    const world = new World();
    const nodes = world.nodes();
    expect(DEFAULT_PORTS).toEqual([6379, 6380, 6381]);
    expect(nodes.map((n) => n.port)).toEqual([6379, 6380, 6381]);
    for (const n of nodes) {
      expect(n.host).toBe('127.0.0.1');
      expect(n.up).toBe(true);
      expect(n.role).toBe('master');
    }
  });

  it('gives each node a distinct pid and a distinct 40-hex run_id', () => {
    const nodes = new World().nodes();
    expect(new Set(nodes.map((n) => n.pid)).size).toBe(3);
    expect(new Set(nodes.map((n) => n.runId)).size).toBe(3);
    for (const n of nodes) {
      expect(Number.isInteger(n.pid)).toBe(true);
      expect(n.pid!).toBeGreaterThan(0);
      expect(n.runId).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('starts at virtual time 0', () => {
    expect(new World().nowUs).toBe(0);
  });

  it('logs the start-up lines of each node in Redis format', () => {
    const world = new World();
    const pid = world.nodes()[0].pid;
    const lines = world.logs(6379).map((r) => r.line);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('Ready to accept connections'))).toBe(true);
    for (const l of lines) expect(l).toMatch(new RegExp(`^${pid}:[CM] \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [.\\-*#] `));
  });

  it('refuses to add a node on a port already taken', () => {
    expect(() => new World().addNode(6379)).toThrow();
  });

  it('adds a node on a new port, up, with its own pid and run_id', () => {
    const world = new World();
    world.addNode(6382);
    const nodes = world.nodes();
    expect(nodes.map((n) => n.port)).toEqual([6379, 6380, 6381, 6382]);
    expect(new Set(nodes.map((n) => n.pid)).size).toBe(4);
    expect(new Set(nodes.map((n) => n.runId)).size).toBe(4);
  });

  it('reports a crashed node as down with no pid and no run_id', () => {
    const world = new World();
    world.crashNode(6380);
    const n = world.nodes().find((x) => x.port === 6380)!;
    expect(n.up).toBe(false);
    expect(n.pid).toBeNull();
    expect(n.runId).toBeNull();
  });

  it('gives a restarted node a new pid and a new run_id', () => {
    const world = new World();
    const before = world.nodes().find((n) => n.port === 6380)!;
    world.crashNode(6380);
    world.startNode(6380);
    const after = world.nodes().find((n) => n.port === 6380)!;
    expect(after.up).toBe(true);
    expect(after.pid).not.toBe(before.pid);
    expect(after.runId).not.toBe(before.runId);
    expect(after.runId).toMatch(/^[0-9a-f]{40}$/);
    expect(world.nodes().map((n) => n.pid).filter((p) => p === after.pid)).toHaveLength(1);
  });

  it('refuses to start a node that is already running, and ignores a crash of a node already down', () => {
    const world = new World();
    expect(() => world.startNode(6379)).toThrow();
    world.crashNode(6379);
    const hash = world.trace.hash;
    world.crashNode(6379);
    expect(world.trace.hash).toBe(hash);
    expect(() => world.crashNode(7000)).toThrow();
  });

  it('tells change listeners about starts and crashes', () => {
    const world = new World();
    let changes = 0;
    const off = world.onChange(() => changes++);
    world.crashNode(6379);
    world.startNode(6379);
    expect(changes).toBe(2);
    off();
    world.crashNode(6379);
    expect(changes).toBe(2);
  });
});

describe('World: connections from outside', () => {
  it('answers PING on a connection to a node', () => {
    const world = new World();
    const c = new TestClient(world, 6379);
    expect(c.conn).not.toBeNull();
    c.conn!.write(cmd('PING'));
    expect(c.replies()).toEqual([{ type: 'status', text: b('PONG') }]);
  });

  it('refuses a connection to a port where no node listens', () => {
    const world = new World();
    const c = new TestClient(world, 7000);
    expect(c.conn).toBeNull();
    expect(c.events).toEqual([]);
  });

  it('refuses a connection to a crashed node', () => {
    const world = new World();
    world.crashNode(6381);
    expect(new TestClient(world, 6381).conn).toBeNull();
  });

  it('closes open connections when their node crashes, and drops later writes', () => {
    const world = new World();
    const a = new TestClient(world, 6380);
    const b2 = new TestClient(world, 6380);
    const other = new TestClient(world, 6379);
    world.crashNode(6380);
    expect(a.closed).toBe(true);
    expect(b2.closed).toBe(true);
    expect(other.closed).toBe(false);
    a.conn!.write(cmd('PING'));
    expect(a.replies()).toEqual([]);
    expect(a.events).toEqual(['closed']);
  });

  it('accepts connections again after the crashed node is started', () => {
    const world = new World();
    world.crashNode(6380);
    world.startNode(6380);
    const c = new TestClient(world, 6380);
    c.conn!.write(cmd('ECHO', 'back'));
    expect(c.replies()).toEqual([{ type: 'bulk', value: b('back') }]);
  });

  it('does not call closed() on the client that closed its own connection', () => {
    const world = new World();
    const c = new TestClient(world, 6379);
    c.conn!.close();
    c.conn!.write(cmd('PING'));
    world.crashNode(6379);
    expect(c.events).toEqual([]);
  });

  it('delivers the protocol error reply, then closes the connection', () => {
    const world = new World();
    const c = new TestClient(world, 6379);
    c.conn!.write(b('PING\r\n*x\r\n'));
    expect(c.events).toEqual(['data', 'closed']);
    expect(c.replies()).toEqual([
      { type: 'status', text: b('PONG') },
      { type: 'error', text: b('ERR Protocol error: invalid multibulk length') },
    ]);
  });
});

describe('World: time', () => {
  it('runs events in time order, then by scheduling order, and sets the clock to each', () => {
    const world = new World();
    const seen: string[] = [];
    world.schedule(300, () => seen.push(`c@${world.nowUs}`));
    world.schedule(100, () => seen.push(`a@${world.nowUs}`));
    world.schedule(200, () => seen.push(`b1@${world.nowUs}`));
    world.schedule(200, () => seen.push(`b2@${world.nowUs}`));
    world.runUntil(1000);
    expect(seen).toEqual(['a@100', 'b1@200', 'b2@200', 'c@300']);
    expect(world.nowUs).toBe(1000);
  });

  it('stops at the target time and leaves later events queued', () => {
    const world = new World();
    const seen: number[] = [];
    world.schedule(50, () => seen.push(50));
    world.schedule(150, () => seen.push(150));
    world.runUntil(100);
    expect(seen).toEqual([50]);
    expect(world.nowUs).toBe(100);
    expect(world.nextEventTime()).toBe(150);
    world.runUntil(150);
    expect(seen).toEqual([50, 150]);
  });

  it('runs events that events schedule, in the same run, when they fall due', () => {
    const world = new World();
    const seen: string[] = [];
    world.schedule(10, () => {
      seen.push('first');
      world.schedule(5, () => seen.push(`child@${world.nowUs}`));
      world.schedule(0, () => seen.push(`now@${world.nowUs}`));
    });
    world.schedule(12, () => seen.push('second'));
    world.runUntil(100);
    expect(seen).toEqual(['first', 'now@10', 'second', 'child@15']);
  });

  it('skips cancelled events', () => {
    const world = new World();
    const seen: number[] = [];
    const e = world.schedule(10, () => seen.push(1));
    world.schedule(20, () => seen.push(2));
    e.cancelled = true;
    world.runUntil(30);
    expect(seen).toEqual([2]);
  });

  it('rounds delays to whole microseconds and never schedules in the past', () => {
    const world = new World();
    world.runUntil(100);
    expect(world.schedule(-50, () => {}).timeUs).toBe(100);
    expect(world.schedule(2.6, () => {}).timeUs).toBe(103);
  });
});

describe('World: determinism', () => {
  /** One script: connections, pipelined commands, errors, a crash and restart, timed events. */
  function run(seed: number): { hash: string; count: number } {
    const world = new World({ seed });
    const a = new TestClient(world, 6379);
    const b2 = new TestClient(world, 6380);
    world.schedule(1000, () => a.conn!.write(cmd('PING')));
    world.schedule(1500, () => b2.conn!.write(b('ECHO "hi there"\r\nPING x\r\n')));
    world.schedule(2000, () => world.crashNode(6380));
    world.schedule(3000, () => world.startNode(6380));
    world.schedule(3500, () => {
      const c = new TestClient(world, 6380);
      c.conn!.write(cmd('COMMAND', 'COUNT'));
      new TestClient(world, 7000);
    });
    world.schedule(4000, () => a.conn!.write(b('*1\r\n$4\r\nPING\r\n*abc\r\n')));
    world.runUntil(10_000);
    return { hash: world.trace.hash, count: world.trace.count };
  }

  it('gives the same trace hash for the same seed and the same script', () => {
    const first = run(42);
    const second = run(42);
    expect(first.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(second).toEqual(first);
  });

  it('gives a different trace hash for a different seed', () => {
    expect(run(43).hash).not.toBe(run(42).hash);
  });

  it('gives a different trace hash for a different script', () => {
    const world = new World({ seed: 42 });
    const c = new TestClient(world, 6379);
    c.conn!.write(cmd('PING'));
    expect(world.trace.hash).not.toBe(run(42).hash);
  });

  it('gives the same nodes (pids and run_ids) for the same seed and different ones for another seed', () => {
    expect(new World({ seed: 5 }).nodes()).toEqual(new World({ seed: 5 }).nodes());
    expect(new World({ seed: 5 }).nodes()).not.toEqual(new World({ seed: 6 }).nodes());
  });
});
