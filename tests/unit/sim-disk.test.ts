// A node's disk through the SIM language (DESIGN.md 2.2): SIM DISK lists
// and reads its files, SIM LOAD puts a dump.rdb on it and starts the node
// from it. And what the master shows of an RDB it sends, per replica.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { runSimCommand } from '../../src/sim/control.ts';
import { ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { bytesOf } from '../support/world-client.ts';
import type { TransferView, World } from '../../src/sim/world.ts';
import { SimDisk } from '../../src/sim/disk.ts';

/** A SIM command with raw byte arguments (a file), its reply. */
function simBytes(world: World, ...args: (string | Uint8Array)[]): Reply {
  const reader = new ReplyReader();
  reader.feed(runSimCommand(world, ['SIM', ...args].map((a) => (typeof a === 'string' ? bytesOf(a) : a)), null));
  return reader.next()!;
}

function fileOf(world: World, port: number, name: string): Uint8Array {
  const r = simBytes(world, 'DISK', String(port), name);
  if (r.type !== 'bulk') throw new Error(`no ${name} on ${port}: ${JSON.stringify(r)}`);
  return r.value;
}

describe('a simulated disk', () => {
  it('moves a file\'s version on every write and removal, and tells who listens', () => {
    const changed: string[] = [];
    const disk = new SimDisk({ files: [['redis.conf', bytesOf('port 1\n')]], onChange: (name) => changed.push(name) });
    const v0 = disk.version('redis.conf');
    expect(v0).toBeGreaterThan(0);
    expect(disk.read('redis.conf')).toEqual(bytesOf('port 1\n'));
    disk.write('redis.conf', bytesOf('port 2\n'));
    const v1 = disk.version('redis.conf');
    expect(v1).toBeGreaterThan(v0);
    disk.write('dump.rdb', bytesOf('REDIS'));
    expect(disk.version('redis.conf')).toBe(v1);
    expect(disk.remove('dump.rdb')).toBe(true);
    expect(disk.remove('dump.rdb')).toBe(false);
    expect(disk.version('dump.rdb')).toBe(0);
    expect(changed).toEqual(['redis.conf', 'dump.rdb', 'dump.rdb']);
  });
});

describe('SIM DISK and SIM LOAD', () => {
  it('lists a node\'s files, also while it is down, and reads one', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    s.cmd(6379, 'SAVE');
    const size = s.world.disk(6379).read('dump.rdb')!.length;
    expect(s.sim('DISK', '6379')).toEqual([`dump.rdb ${size}`, 'redis.conf 0']);
    s.sim('KILL', '6379');
    expect(s.sim('DISK', '6379')).toEqual([`dump.rdb ${size}`, 'redis.conf 0']);
    expect([...fileOf(s.world, 6379, 'dump.rdb').subarray(0, 9)].map((c) => String.fromCharCode(c)).join('')).toBe('REDIS0010');
    expect(s.sim('DISK', '6379', 'nothing.rdb')).toBe(null);
    expect(s.sim('DISK', '6379', '../x')).toBe("-ERR not a file name: '../x'");
    expect(s.sim('DISK', '7000')).toBe('-ERR no node on port 7000');
  });

  it('loads another node\'s dump.rdb into a running node: a new process that starts from it', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'from-6379', 'yes');
    s.cmd(6379, 'RPUSH', 'list', 'a', 'b');
    s.cmd(6379, 'SAVE');
    s.cmd(6380, 'SET', 'old', '1');
    const pid = s.world.nodes()[1].pid;
    const rdb = fileOf(s.world, 6379, 'dump.rdb');
    const mark = s.mark();
    expect(simBytes(s.world, 'LOAD', '6380', rdb)).toEqual({ type: 'status', text: bytesOf('OK') });
    expect(s.world.nodes()[1].pid).not.toBe(pid);
    expect(s.cmd(6380, 'GET', 'from-6379')).toBe('yes');
    expect(s.cmd(6380, 'LRANGE', 'list', '0', '-1')).toEqual(['a', 'b']);
    expect(s.cmd(6380, 'EXISTS', 'old')).toBe(0);
    expect(s.logs(6380, mark).some((l) => l.includes('DB loaded from disk'))).toBe(true);
    expect(s.world.disk(6380).read('dump.rdb')).toEqual(rdb);
  });

  it('refuses a file the node cannot load: it exits at start-up with Redis\'s log lines and the world goes on', () => {
    const s = new Scenario();
    const mark = s.mark();
    const reply = s.sim('LOAD', '6380', 'not an rdb file');
    expect(reply).toBe('-ERR node 6380 exited during start-up (see its log)');
    expect(s.world.isUp(6380)).toBe(false);
    // What redis-server 7.0.15 logs for a file without the REDIS signature.
    expect(s.logs(6380, mark).slice(-2).map((l) => l.replace(/^.*?[#*] /, ''))).toEqual([
      'Wrong signature trying to load DB from file',
      'Fatal error loading the DB: Invalid argument. Exiting.',
    ]);
    // The others run on; a good file brings it back.
    expect(s.cmd(6379, 'PING')).toBe('PONG');
    s.cmd(6379, 'SAVE');
    expect(simBytes(s.world, 'LOAD', '6380', fileOf(s.world, 6379, 'dump.rdb')).type).toBe('status');
    expect(s.world.isUp(6380)).toBe(true);
  });

  it('loads into a node that is down, under the dbfilename its last process ran with', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    s.cmd(6379, 'SAVE');
    // dbfilename is a protected config: it comes from redis.conf at start-up.
    s.world.disk(6380).write('redis.conf', bytesOf('dbfilename other.rdb\n'));
    s.sim('KILL', '6380');
    s.sim('START', '6380');
    s.sim('KILL', '6380');
    expect(simBytes(s.world, 'LOAD', '6380', fileOf(s.world, 6379, 'dump.rdb')).type).toBe('status');
    expect(s.world.disk(6380).exists('other.rdb')).toBe(true);
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
  });
});

describe('the master\'s side of an RDB transfer', () => {
  for (const diskless of [false, true]) {
    it(`shows the fork's keys, then bytes sent of total, for a ${diskless ? 'diskless' : 'disk-based'} sync`, () => {
      const s = new Scenario();
      s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', diskless ? 'yes' : 'no');
      s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
      // Values LZF would shrink to nothing: the payload keeps its size.
      s.cmd(6379, 'CONFIG', 'SET', 'rdbcompression', 'no');
      for (let i = 0; i < 3000; i++) s.cmd(6379, 'SET', `key:${i}`, 'x'.repeat(30));
      // 200 KB/s: the payload of some 60 KB takes a good part of a second.
      s.sim('BANDWIDTH', '6379', '6380', '200000');
      // A diskless child as slow as the link (100 µs a key), so that its size is known only at its end.
      if (diskless) s.cmd(6379, 'CONFIG', 'SET', 'rdb-key-save-delay', '100');
      s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
      const seen: TransferView[] = [];
      s.waitFor(() => {
        const t = s.world.nodes()[0].replication?.replicas[0]?.transfer;
        if (t) seen.push(t);
        return s.world.nodes()[0].replication?.replicas[0]?.state === 'online';
      }, 30, 'online on the master');
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.every((t) => t.target === (diskless ? 'socket' : 'disk'))).toBe(true);
      const sending = seen.filter((t) => t.phase === 'send');
      const sent = sending.map((t) => t.sent);
      expect(sent).toEqual([...sent].sort((a, b) => a - b));
      const total = sending.at(-1)!.total;
      // The last reading is within a 10 ms step (2 KB at this rate) of the end.
      expect(sent.at(-1)).toBeGreaterThan(total - 16_384);
      if (diskless) {
        // The child writes into the pipe as it goes: the size is known once it finished; its keys count up meanwhile.
        expect(sending[0].total).toBe(0);
        expect(total).toBeGreaterThan(40_000);
        expect(sending[0].keys!.total).toBe(3000);
        expect(sending.at(-1)!.keys!.written).toBe(3000);
      } else {
        // First the child writes dump.rdb, then the file goes out as `$<len>\r\n` and its bytes.
        expect(seen[0].phase).toBe('bgsave');
        expect(seen[0].keys!.total).toBe(3000);
        const size = s.world.disk(6379).read('dump.rdb')!.length;
        expect(total).toBe(`$${size}\r\n`.length + size);
        expect(sending.every((t) => t.total === total && t.keys === null)).toBe(true);
      }
      expect(sent[0]).toBeLessThan(total / 4);
      expect(s.world.nodes()[0].replication?.replicas[0]?.transfer).toBe(null);
    });
  }
});
