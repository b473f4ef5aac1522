// psync2.tcl's idea on a simulated world: five nodes, a new master chosen
// at random again and again, the others attached in a random tree below it
// (each to a node already in the tree), writes on every master. PSYNC2 lets
// every one of those moves continue partially: over all the cycles the only
// full syncs are the four first ones, and every node ends with the same data
// and offset.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';

const PORTS = [6379, 6380, 6381, 6382, 6383];

describe('PSYNC2 under repeated failovers', () => {
  it('needs no full sync beyond the first four, and all nodes converge on the same data and offset', () => {
    const s = new Scenario();
    s.world.addNode(6382);
    s.world.addNode(6383);
    for (const p of PORTS) {
      // No master PINGs: a demoted master pinging its own replicas would move past the new master's history.
      s.cmd(p, 'CONFIG', 'SET', 'repl-ping-replica-period', '3600');
      s.cmd(p, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    }
    let seed = 12345;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const inSync = (master: number) => {
      const offset = s.info(master).master_repl_offset;
      return PORTS.every((p) => s.info(p).master_repl_offset === offset && (p === master || s.info(p).master_link_status === 'up'));
    };

    let master = 6379;
    for (const p of PORTS) if (p !== master) s.cmd(p, 'REPLICAOF', '127.0.0.1', String(master));
    s.waitFor(() => inSync(master), 30, 'the first syncs');
    let counter = 0;
    for (let cycle = 0; cycle < 15; cycle++) {
      master = PORTS[rand(PORTS.length)];
      s.cmd(master, 'REPLICAOF', 'NO', 'ONE');
      const tree = [master];
      const others = PORTS.filter((p) => p !== master);
      while (others.length > 0) {
        const node = others.splice(rand(others.length), 1)[0];
        const parent = tree[rand(tree.length)];
        s.cmd(node, 'REPLICAOF', '127.0.0.1', String(parent));
        tree.push(node);
      }
      for (let i = 0; i < 5; i++) s.cmd(master, 'INCR', 'x');
      counter += 5;
      s.waitFor(() => inSync(master), 60, `cycle ${cycle} in sync`);
    }
    for (const p of PORTS) expect(s.cmd(p, 'GET', 'x')).toBe(String(counter));
    const fullSyncs = PORTS.reduce((n, p) => n + Number(s.info(p, 'stats').sync_full), 0);
    expect(fullSyncs).toBe(4);
  });
});
