// Reconnections and topology changes (redis-facts.md sections 3.3-3.11 and
// 4): which PSYNC the master accepts, what both sides log, and what INFO
// says about ids and offsets afterwards.
import { describe, expect, it } from 'vitest';
import { Scenario, partialResyncLines } from '../support/scenario.ts';

/** A master on 6379 with a replica on 6380 in sync (and 6381 following 6380 when `chain`). */
function synced(chain = false): Scenario {
  const s = new Scenario();
  for (const port of [6379, 6380, 6381]) s.world.node(port)!.config.replDisklessSyncDelay = 0;
  s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => /state=online/.test(s.info(6379).slave0 ?? ''), 10, 'replica online');
  if (chain) {
    s.cmd(6381, 'REPLICAOF', '127.0.0.1', '6380');
    s.waitFor(() => /state=online/.test(s.info(6380).slave0 ?? ''), 10, 'sub-replica online');
  }
  s.run(1.1); // the first ACKs
  return s;
}

const offsets = (s: Scenario, ...ports: number[]) => ports.map((p) => s.info(p).master_repl_offset);

describe('Partial resynchronization', () => {
  it('after SIM RESET the replica reconnects at once and continues with 0 bytes of backlog', () => {
    const s = synced();
    const offset = Number(s.info(6380).master_repl_offset);
    const t0 = s.mark();
    expect(s.sim('RESET', '6379', '6380')).toBe(1);
    s.waitForLog(6380, 'Master accepted a Partial Resynchronization', t0, 5);
    expect(s.logs(6380, t0)).toEqual(partialResyncLines('127.0.0.1:6379', s.info(6379).master_replid, offset + 1));
    expect(s.logs(6379, t0)).toEqual([
      'M # Connection with replica 127.0.0.1:6380 lost.',
      'M * Replica 127.0.0.1:6380 asks for synchronization',
      `M * Partial resynchronization request from 127.0.0.1:6380 accepted. Sending 0 bytes of backlog starting from offset ${offset + 1}.`,
    ]);
    expect(s.info(6379).slave0).toMatch(/state=online/);
  });

  it('sends the writes made while the replica pointed elsewhere: SELECT 0 and five SETs are 183 bytes', () => {
    const s = synced();
    const offset = Number(s.info(6380).master_repl_offset);
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    for (let i = 1; i <= 5; i++) s.cmd(6379, 'set', `pk${i}`, `val${i}`);
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6379, 'accepted', t0, 5);
    expect(s.logs(6379, t0)).toContain(
      `M * Partial resynchronization request from 127.0.0.1:6380 accepted. Sending 183 bytes of backlog starting from offset ${offset + 1}.`,
    );
    s.run(0.1);
    expect(s.cmd(6380, 'GET', 'pk5')).toBe('val5');
    expect(offsets(s, 6379, 6380)).toEqual([String(offset + 183), String(offset + 183)]);
  });

  it('falls back to a full resync with the same replid when the offset left the 16 KB backlog', () => {
    const s = synced();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-backlog-size', '1'); // raised to the 16 KB minimum
    expect(s.info(6379).repl_backlog_size).toBe('16384');
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    for (let i = 0; i < 2000; i++) s.cmd(6379, 'SET', `key:${i}`, 'x'.repeat(100));
    const m = s.info(6379);
    expect(Number(m.repl_backlog_histlen)).toBeGreaterThan(16384);
    expect(Number(m.repl_backlog_first_byte_offset)).toBe(Number(m.master_repl_offset) - Number(m.repl_backlog_histlen) + 1);
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6380, 'Finished with success', t0, 10);
    expect(s.logs(6379, t0).find((l) => l.includes('for lack of backlog'))).toMatch(
      /^M \* Unable to partial resync with replica 127\.0\.0\.1:6380 for lack of backlog \(Replica request was: \d+\)\.$/,
    );
    expect(s.logs(6380, t0)).toContain(`S * Full resync from master: ${m.master_replid}:${m.master_repl_offset}`);
    expect(s.cmd(6380, 'DBSIZE')).toBe(2000);
  });

  it('shows histlen in 20440-byte blocks: one full block and the tail once the backlog overflowed', () => {
    const s = synced();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-backlog-size', '16384');
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    for (let i = 0; i < 3000; i++) s.cmd(6379, 'SET', `k${i}`, 'v'.repeat(60));
    const m = s.info(6379);
    const histlen = Number(m.repl_backlog_histlen);
    expect(histlen).toBeGreaterThan(20440);
    expect(histlen).toBeLessThanOrEqual(16384 + 20440);
  });

  it('is refused with a replid mismatch when the replica is pointed at an unrelated master', () => {
    const s = synced();
    const replid = s.info(6380).master_replid;
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6381');
    s.waitForLog(6380, 'Finished with success', t0, 10);
    const other = s.info(6381);
    expect(s.logs(6381, t0)).toContain(
      `M * Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '${replid}', my replication IDs are '${other.master_replid}' and '0000000000000000000000000000000000000000')`.replace(
        other.master_replid,
        s.logs(6381, t0).find((l) => l.includes('mismatch'))!.match(/my replication IDs are '([0-9a-f]{40})'/)![1],
      ),
    );
    // The unrelated master had no backlog: it created one with a new id, which the replica adopted.
    expect(s.info(6380).master_replid).toBe(other.master_replid);
  });
});

describe('Failover with REPLICAOF NO ONE', () => {
  it('keeps data, backlog and offset, moves the old id to replid2 and lets the old master continue partially', () => {
    const s = synced();
    s.cmd(6379, 'SET', 'k', 'v');
    s.run(0.2);
    const old = s.info(6380);
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', 'NO', 'ONE');
    const promoted = s.info(6380);
    expect(promoted.role).toBe('master');
    expect(promoted.master_replid2).toBe(old.master_replid);
    expect(promoted.master_repl_offset).toBe(old.master_repl_offset);
    expect(promoted.second_repl_offset).toBe(String(Number(old.master_repl_offset) + 1));
    expect(promoted.master_replid).not.toBe(old.master_replid);
    expect(promoted.repl_backlog_active).toBe('1');
    const lines = s.logs(6380, t0);
    expect(lines.slice(0, 4)).toEqual([
      'M # Connection with master lost.',
      'M * Caching the disconnected master state.',
      'M * Discarding previously cached master state.',
      `M # Setting secondary replication ID to ${old.master_replid}, valid up to offset: ${Number(old.master_repl_offset) + 1}. New replication ID is ${promoted.master_replid}`,
    ]);
    expect(lines[4]).toMatch(/^M \* MASTER MODE enabled \(user request from 'id=\d+ addr=.* cmd=replicaof user=default redir=-1 resp=2'\)$/);
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
    // The old master follows the new one: +CONTINUE with the new id.
    const t1 = s.mark();
    s.cmd(6379, 'REPLICAOF', '127.0.0.1', '6380');
    s.waitForLog(6379, 'Master accepted a Partial Resynchronization', t1, 5);
    expect(s.logs(6379, t1)).toContain(`S # Master replication ID changed to ${promoted.master_replid}`);
    const demoted = s.info(6379);
    expect([demoted.master_replid, demoted.master_replid2, demoted.second_repl_offset]).toEqual([
      promoted.master_replid,
      old.master_replid,
      promoted.second_repl_offset,
    ]);
    expect(s.info(6380).sync_full ?? '').toBe('');
  });

  it('sends the old master to a full sync when it took a write after the promotion', () => {
    const s = synced();
    const old = s.info(6380);
    s.cmd(6380, 'REPLICAOF', 'NO', 'ONE');
    s.cmd(6379, 'SET', 'written-on-old-master', '1');
    const t0 = s.mark();
    s.cmd(6379, 'REPLICAOF', '127.0.0.1', '6380');
    s.waitForLog(6379, 'Finished with success', t0, 10);
    const after = Number(old.master_repl_offset) + 1 + 71;
    expect(s.logs(6380, t0)).toContain(
      `M * Partial resynchronization not accepted: Requested offset for second ID was ${after}, but I can reply up to ${Number(old.master_repl_offset) + 1}`,
    );
    expect(s.cmd(6379, 'GET', 'written-on-old-master')).toBe(null);
  });
});

describe('Chained replicas', () => {
  it('proxy the exact stream: all three share replid and offset', () => {
    const s = synced(true);
    for (let i = 0; i < 10; i++) s.cmd(6379, 'SET', `c${i}`, String(i));
    s.run(0.5);
    const [a, b, c] = [6379, 6380, 6381].map((p) => s.info(p));
    expect(new Set([a.master_replid, b.master_replid, c.master_replid]).size).toBe(1);
    expect(new Set([a.master_repl_offset, b.master_repl_offset, c.master_repl_offset]).size).toBe(1);
    expect(s.cmd(6381, 'GET', 'c9')).toBe('9');
  });

  it('pass a new replid down one hop at a time after the top is replaced', () => {
    const s = synced(true);
    const t0 = s.mark();
    // 6379 is promoted... it is already master; make 6380's master a new history instead.
    s.cmd(6379, 'REPLICAOF', '127.0.0.1', '7198');
    s.cmd(6379, 'REPLICAOF', 'NO', 'ONE');
    s.waitForLog(6381, 'Master replication ID changed to', t0, 10);
    const top = s.info(6379).master_replid;
    expect(s.info(6380).master_replid).toBe(top);
    expect(s.info(6381).master_replid).toBe(top);
    expect(s.logs(6380, t0)).toContain('S # Connection with replica 127.0.0.1:6381 lost.');
  });

  it('drop their sub-replicas when they full-sync from a new master, and the sub-replicas then full-sync from them', () => {
    const s = synced(true);
    s.world.addNode(6382);
    s.cmd(6382, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6382');
    s.waitFor(() => s.info(6381).master_link_status === 'up' && s.info(6381).master_replid === s.info(6382).master_replid, 20, 'chain re-synced');
    const middle = s.logs(6380, t0);
    const at = middle.indexOf('S * Discarding previously cached master state.');
    expect(middle.slice(at, at + 3)).toEqual([
      'S * Discarding previously cached master state.',
      'S # Connection with replica 127.0.0.1:6381 lost.',
      'S * MASTER <-> REPLICA sync: Flushing old data',
    ]);
    expect(middle.some((l) => l.includes('Replica 127.0.0.1:6381 asks for synchronization'))).toBe(true);
    expect(middle.some((l) => l.startsWith('S * Partial resynchronization not accepted: Replication ID mismatch'))).toBe(true);
    expect(s.logs(6381, t0).some((l) => l.startsWith(`S * Full resync from master: ${s.info(6382).master_replid}:`))).toBe(true);
  });

  it('answer NOMASTERLINK to a sub-replica while their own link is down', () => {
    const s = synced(true);
    s.sim('PARTITION', '6379', '6380');
    const t0 = s.mark();
    s.world.node(6380)!.config.replTimeout = 2;
    s.world.node(6381)!.config.replTimeout = 2;
    s.waitForLog(6381, 'Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK', t0, 20);
    s.sim('HEAL');
    s.waitFor(() => s.info(6381).master_link_status === 'up' && s.info(6380).master_link_status === 'up', 20, 'both links up');
  });
});

describe('Timeouts and crashes', () => {
  it('a partition longer than repl-timeout makes both sides time out; after HEAL the replica continues partially', () => {
    const s = synced();
    const t0 = s.mark();
    s.sim('PARTITION', '6379', '6380');
    s.run(75);
    expect(s.logs(6380, t0)).toContain('S # MASTER timeout: no data nor PING received...');
    expect(s.logs(6379, t0)).toContain('M # Disconnecting timedout replica (streaming sync): 127.0.0.1:6380');
    s.sim('HEAL');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 70, 'link up');
    expect(s.logs(6379, t0).some((l) => l.includes('Partial resynchronization request from 127.0.0.1:6380 accepted'))).toBe(true);
  });

  it('a killed master refuses the reconnections; restarted without an RDB it full-syncs the replica, which ends up empty', () => {
    const s = synced();
    s.cmd(6379, 'SET', 'k', 'v');
    s.run(0.2);
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
    const t0 = s.mark();
    s.sim('KILL', '6379');
    s.run(1.5);
    expect(s.logs(6380, t0).slice(0, 6)).toEqual([
      'S # Connection with master lost.',
      'S * Caching the disconnected master state.',
      'S * Reconnecting to MASTER 127.0.0.1:6379',
      'S * MASTER <-> REPLICA sync started',
      'S # Error condition on socket for SYNC: Connection refused',
      'S * Connecting to MASTER 127.0.0.1:6379',
    ]);
    expect(s.info(6380).master_link_down_since_seconds).toMatch(/^[01]$/);
    s.sim('START', '6379');
    s.world.node(6379)!.config.replDisklessSyncDelay = 0;
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10, 'link up');
    expect(s.cmd(6380, 'GET', 'k')).toBe(null);
    expect(s.logs(6379, t0).some((l) => l.includes('Replication ID mismatch'))).toBe(true);
  });
});

describe('A master restarted from its RDB', () => {
  it('keeps its history as replid2, so the replica continues partially and learns the new id', () => {
    const s = synced();
    const before = s.info(6379);
    expect(s.cmd(6379, 'SAVE')).toBe('OK');
    s.sim('KILL', '6379');
    s.run(0.5);
    const t0 = s.mark();
    s.sim('START', '6379');
    const after = s.info(6379);
    expect(after.master_replid).not.toBe(before.master_replid);
    expect(after.master_replid2).toBe(before.master_replid);
    expect(after.master_repl_offset).toBe(before.master_repl_offset);
    expect(after.second_repl_offset).toBe(String(Number(before.master_repl_offset) + 1));
    expect(after.repl_backlog_active).toBe('1');
    expect(after.repl_backlog_first_byte_offset).toBe(String(Number(before.master_repl_offset) + 1));
    expect(after.repl_backlog_histlen).toBe('0');
    s.waitForLog(6380, 'Master accepted a Partial Resynchronization', t0, 5);
    expect(s.logs(6380, t0)).toContain(`S # Master replication ID changed to ${after.master_replid}`);
    expect(s.logs(6379, t0)).toContain(
      `M * Partial resynchronization request from 127.0.0.1:6380 accepted. Sending 0 bytes of backlog starting from offset ${Number(before.master_repl_offset) + 1}.`,
    );
  });
});

describe('Determinism', () => {
  it('gives the same trace hash for the same seed and script', () => {
    const run = () => {
      const s = synced(true);
      for (let i = 0; i < 20; i++) s.cmd(6379, 'SET', `d${i}`, String(i));
      s.sim('PARTITION', '6379', '6380');
      s.run(70);
      s.sim('HEAL');
      s.run(5);
      return s.world.trace.hash;
    };
    expect(run()).toBe(run());
  });
});

describe('A slow replica', () => {
  it('is dropped for overcoming the replica output buffer limit, then needs a full sync because the backlog moved on', () => {
    const s = synced();
    expect(s.cmd(6379, 'CONFIG', 'SET', 'client-output-buffer-limit', 'replica 256kb 128kb 5')).toBe('OK');
    expect(s.cmd(6379, 'CONFIG', 'SET', 'repl-backlog-size', '1')).toBe('OK');
    s.sim('PARTITION', '6379', '6380');
    const t0 = s.mark();
    const value = 'x'.repeat(1000);
    for (let i = 0; i < 1500; i++) s.cmd(6379, 'SET', `big:${i}`, value);
    s.run(0.1);
    const dropped = s.logs(6379, t0);
    expect(dropped.find((l) => l.includes('output buffer limits'))).toMatch(
      /^M # Client id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:6379 fd=\d+ name= .*flags=S .*omem=\d+ .* scheduled to be closed ASAP for overcoming of output buffer limits\.$/,
    );
    expect(dropped).toContain('M # Connection with replica 127.0.0.1:6380 lost.');
    s.sim('HEAL');
    s.waitForLog(6380, 'Finished with success', t0, 20);
    expect(s.logs(6379, t0).some((l) => /Unable to partial resync with replica 127\.0\.0\.1:6380 for lack of backlog/.test(l))).toBe(true);
    expect(s.cmd(6380, 'DBSIZE')).toBe(1500);
  });

  it('keeps blocks the backlog alone would have trimmed while it has not sent them (histlen beyond repl-backlog-size)', () => {
    const s = synced();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-backlog-size', '1');
    s.sim('BANDWIDTH', '6379', '6380', '100000');
    // 1.5 MB at 100 KB/s: a socket takes 512 KB, the rest waits in the buffer.
    for (let i = 0; i < 1500; i++) s.cmd(6379, 'SET', `k${i}`, 'v'.repeat(1000));
    const histlen = Number(s.info(6379).repl_backlog_histlen);
    expect(histlen).toBeGreaterThan(16384 + 20440);
    s.waitFor(() => s.info(6380).master_repl_offset === s.info(6379).master_repl_offset, 60, 'replica caught up');
    s.cmd(6379, 'SET', 'one', 'more'.repeat(5000));
    expect(Number(s.info(6379).repl_backlog_histlen)).toBeLessThanOrEqual(16384 + 2 * 20440);
  });
});

describe('Replication events for views', () => {
  it('carry the master\'s answer to each PSYNC with its reason', () => {
    const s = synced();
    const answers: string[] = [];
    s.world.onReplicationEvent((e) => {
      if (e.event.kind === 'psync-answer') answers.push(`${e.port}->${e.event.replicaPort} ${e.event.answer}: ${e.event.reason}`);
    });
    s.sim('RESET', '6379', '6380');
    s.run(0.5);
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6381');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10);
    expect(answers).toEqual([
      "6379->6380 continue: the replica's offset is in the backlog",
      '6381->6380 fullresync: replication ID mismatch',
    ]);
  });
});
