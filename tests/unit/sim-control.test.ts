// The SIM control language on a headless World (DESIGN.md 2.2).
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.ts';
import { runSimCommand, type TimeControl } from '../../src/sim/control.ts';
import { latin1 } from '../../src/engine/bytes.ts';

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const sim = (world: World, line: string, time: TimeControl | null = null) => latin1(runSimCommand(world, line.split(' ').map(b), time));

class ManualTime implements TimeControl {
  paused = false;
  speed = 1;
  constructor(private readonly world: World) {}
  pause() { this.paused = true; }
  resume() { this.paused = false; }
  setSpeed(x: number) { this.speed = x; }
  step(us: number) { this.world.runUntil(this.world.nowUs + us); }
}

describe('SIM on a World', () => {
  it('lists every node with SIM NODES', () => {
    const world = new World({ seed: 3 });
    const reply = sim(world, 'SIM NODES');
    expect(reply.startsWith('*3\r\n')).toBe(true);
    for (const n of world.nodes()) expect(reply).toContain(`port=${n.port} role=master state=up pid=${n.pid} run_id=${n.runId} master=-`);
  });

  it('kills and starts a node: a new process with a new pid and run_id', () => {
    const world = new World({ seed: 3 });
    const before = world.nodes()[1];
    expect(sim(world, 'SIM KILL 6380')).toBe('+OK\r\n');
    expect(world.isUp(6380)).toBe(false);
    expect(world.connectExternal(6380, { data: () => {}, closed: () => {} })).toBeNull();
    expect(sim(world, 'SIM KILL 6380')).toBe('-ERR node 6380 is not running\r\n');
    expect(sim(world, 'SIM START 6380')).toBe('+OK\r\n');
    const after = world.nodes()[1];
    expect(after.up).toBe(true);
    expect(after.pid).not.toBe(before.pid);
    expect(after.runId).not.toBe(before.runId);
    expect(sim(world, 'SIM START 6380')).toBe('-ERR node 6380 is already running\r\n');
  });

  it('adds a node on the next free port, or the one given, and removes it', () => {
    const world = new World();
    expect(sim(world, 'SIM ADD')).toBe(':6382\r\n');
    expect(sim(world, 'SIM ADD 7000')).toBe(':7000\r\n');
    expect(sim(world, 'SIM ADD 7000')).toBe('-ERR a node already listens on port 7000\r\n');
    expect(sim(world, 'SIM ADD')).toBe(':7001\r\n');
    expect(sim(world, 'SIM REMOVE 7000')).toBe('+OK\r\n');
    expect(world.hasNode(7000)).toBe(false);
    expect(sim(world, 'SIM REMOVE 7000')).toBe('-ERR no node on port 7000\r\n');
  });

  it('refuses bad ports, unknown subcommands and wrong argument counts', () => {
    const world = new World();
    expect(sim(world, 'SIM KILL 0')).toBe("-ERR invalid port '0'\r\n");
    expect(sim(world, 'SIM KILL abc')).toBe("-ERR invalid port 'abc'\r\n");
    expect(sim(world, 'SIM FOO')).toBe("-ERR unknown subcommand 'FOO'. Try SIM HELP.\r\n");
    expect(sim(world, 'SIM KILL')).toBe("-ERR wrong number of arguments for 'sim|kill' command\r\n");
    expect(sim(world, 'SIM SEED 7')).toBe('-ERR this host cannot start a fresh world: restart it with --seed n\r\n');
  });

  it('drives time through the host, and says so when the host has no time control', () => {
    const world = new World();
    expect(sim(world, 'SIM PAUSE')).toBe('-ERR this host does not control virtual time\r\n');
    const time = new ManualTime(world);
    expect(sim(world, 'SIM PAUSE', time)).toBe('+OK\r\n');
    expect(time.paused).toBe(true);
    expect(sim(world, 'SIM STEP 250', time)).toBe(':250\r\n');
    expect(sim(world, 'SIM TIME', time)).toBe(':250\r\n');
    expect(sim(world, 'SIM SPEED 2.5', time)).toBe('+OK\r\n');
    expect(time.speed).toBe(2.5);
    expect(sim(world, 'SIM SPEED 50', time)).toBe('-ERR speed must be a number from 0.1 to 20\r\n');
    expect(sim(world, 'SIM RESUME', time)).toBe('+OK\r\n');
  });
});
