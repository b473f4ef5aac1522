// The names the page gives packets, read from the bytes that crossed the
// simulated links: a handshake, a full sync (disk and diskless), the
// command stream, PING and REPLCONF ACK/GETACK.
import { describe, expect, it } from 'vitest';
import { PacketLabeller } from '../../src/worker/packet-labels.ts';
import { Scenario } from '../support/scenario.ts';
import { bytesOf } from '../support/world-client.ts';

/** Every packet's label in order, per direction, from the moment it is called. */
function watch(s: Scenario): { toMaster: string[]; toReplica: string[]; kinds: Map<string, string> } {
  const labeller = new PacketLabeller();
  const seen = { toMaster: [] as string[], toReplica: [] as string[], kinds: new Map<string, string>() };
  s.world.network.onPacket((p) => {
    const l = labeller.label(p.socketId, p.toPort, p.data);
    if (!l) return;
    (p.toPort === 6379 ? seen.toMaster : seen.toReplica).push(l.label);
    seen.kinds.set(l.label, l.kind);
  });
  return seen;
}

function fullSync(diskless: boolean) {
  const s = new Scenario();
  s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', diskless ? 'yes' : 'no');
  s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
  // Values LZF would shrink to nothing: the payload keeps its size.
  s.cmd(6379, 'CONFIG', 'SET', 'rdbcompression', 'no');
  for (let i = 0; i < 2000; i++) s.cmd(6379, 'SET', `key:${i}`, 'x'.repeat(20));
  const seen = watch(s);
  s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => s.info(6380).master_link_status === 'up', 30, 'link up');
  s.cmd(6379, 'SET', 'after', '1');
  s.run(1.5);
  return { s, seen };
}

describe('packet labels', () => {
  for (const diskless of [false, true]) {
    it(`name the handshake, the PSYNC answer, the RDB chunks and the stream of a ${diskless ? 'diskless' : 'disk-based'} full sync`, () => {
      const { s, seen } = fullSync(diskless);
      // Redis 7.0 sends REPLCONF listening-port and capa in one write, then reads both answers.
      expect(seen.toMaster.slice(0, 3)).toEqual(['PING', 'REPLCONF LISTENING-PORT, REPLCONF CAPA', 'PSYNC']);
      expect(seen.toReplica.slice(0, 2)).toEqual(['+PONG', '+OK ×2']);
      // A diskless payload follows +FULLRESYNC at once, often in its segment.
      expect(seen.toReplica[2]).toMatch(diskless ? /^\+FULLRESYNC( · RDB 16 KB)?$/ : /^\+FULLRESYNC$/);
      const rdb = seen.toReplica.filter((l) => /RDB \d+ KB$/.test(l));
      // 2000 keys of ~30 bytes: several 16 KB segments.
      expect(rdb.length).toBeGreaterThan(2);
      expect(seen.kinds.get('RDB 16 KB')).toBe('rdb');
      // After the payload, the stream starts again with SELECT (then the SET).
      const afterRdb = seen.toReplica.slice(seen.toReplica.lastIndexOf(rdb[rdb.length - 1]) + 1);
      expect(afterRdb.some((l) => l.startsWith('SELECT, SET'))).toBe(true);
      expect(seen.toMaster).toContain('REPLCONF ACK');
      expect(seen.kinds.get('REPLCONF ACK')).toBe('ack');
      // WAIT after a write the replica has not acknowledged makes the master ask for an ACK.
      s.pipeline(6379, [['SET', 'k', 'v'], ['WAIT', '1', '100']]);
      s.run(0.5);
      expect(seen.toReplica).toContain('SET, REPLCONF GETACK');
      s.run(11);
      expect(seen.toReplica).toContain('PING');
      expect(seen.kinds.get('PING')).toBe('ping');
    });
  }

  it('follows frames split at any byte', () => {
    const stream = '+FULLRESYNC ' + 'a'.repeat(40) + ' 0\r\n$10\r\n0123456789*2\r\n$4\r\nPING\r\n$3\r\nabc\r\n\n*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n';
    const bytes = bytesOf(stream);
    for (let cut = 1; cut < bytes.length; cut++) {
      const labeller = new PacketLabeller();
      const labels = [labeller.label(1, 6380, bytes.subarray(0, cut))?.label, labeller.label(1, 6380, bytes.subarray(cut))?.label].join(' | ');
      // Whatever the cut, the RDB's 10 bytes are counted once and the ACK is named.
      const rdb = [...labels.matchAll(/RDB (\d+) B/g)].reduce((n, m) => n + Number(m[1]), 0);
      expect(rdb, `cut at ${cut}: ${labels}`).toBe(10);
      expect(labels, `cut at ${cut}`).toMatch(/REPLCONF ACK|\+\d/);
    }
    const labeller = new PacketLabeller();
    expect(labeller.label(1, 6380, bytes)).toEqual({ label: '+FULLRESYNC, PING +2 · RDB 10 B', kind: 'reply' });
    // An EOF-marked payload ends at its mark, and what follows is read as commands again.
    const mark = 'm'.repeat(40);
    const eof = new PacketLabeller();
    expect(eof.label(2, 6380, bytesOf(`$EOF:${mark}\r\nREDIS0010`))?.label).toBe('RDB 9 B');
    expect(eof.label(2, 6380, bytesOf(`more-bytes${mark}`))?.label).toBe(`RDB 50 B`);
    expect(eof.label(2, 6380, bytesOf('*1\r\n$4\r\nPING\r\n'))?.label).toBe('PING');
  });
});
