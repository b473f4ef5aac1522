// CLIENT KILL on the replication links, and the INFO stats counters of
// full and partial syncs (sync_full, sync_partial_ok, sync_partial_err),
// as Redis 7.0.15 counts them: on the master that served the sync. The
// first sync of a node that was a master counts a refused partial resync
// too: it asks PSYNC with the history it synthesized from its own
// (observed on two real 7.0.15 servers: sync_full:1, sync_partial_err:1,
// then sync_partial_ok:1 after CLIENT KILL TYPE master on the replica).
import { describe, expect, it } from 'vitest';
import { Scenario, partialResyncLines } from '../support/scenario.ts';

/** A master on 6379 with a replica on 6380 in sync. */
function synced(diskless = true): Scenario {
  const s = new Scenario();
  for (const port of [6379, 6380]) {
    s.world.node(port)!.config.replDisklessSyncDelay = 0;
    s.world.node(port)!.config.replDisklessSync = diskless;
  }
  s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => /state=online/.test(s.info(6379).slave0 ?? ''), 10, 'replica online');
  s.run(1.1); // the first ACKs
  return s;
}

const syncs = (s: Scenario, port: number) => {
  const st = s.info(port, 'stats');
  return [st.sync_full, st.sync_partial_ok, st.sync_partial_err].map(Number);
};

describe('CLIENT KILL on replication links', () => {
  it('TYPE master on a replica drops its master link, which comes back with a partial resync', () => {
    const s = synced();
    expect(syncs(s, 6379)).toEqual([1, 0, 1]);
    const master = String(s.cmd(6380, 'CLIENT', 'LIST', 'TYPE', 'master'));
    expect(master).toMatch(/^id=\d+ addr=127\.0\.0\.1:6379 .* flags=M db=0 .* cmd=ping user=\(superuser\) redir=-1 resp=2\n$/);
    const offset = Number(s.info(6380).master_repl_offset);
    const t0 = s.mark();
    expect(s.cmd(6380, 'CLIENT', 'KILL', 'TYPE', 'master')).toBe(1);
    s.waitForLog(6380, 'Master accepted a Partial Resynchronization', t0, 5);
    expect(s.logs(6380, t0)).toEqual(partialResyncLines('127.0.0.1:6379', s.info(6379).master_replid, offset + 1));
    expect(s.logs(6379, t0)).toContain('M # Connection with replica 127.0.0.1:6380 lost.');
    expect(syncs(s, 6379)).toEqual([1, 1, 1]);
    // The replica served no sync: its own counters stay 0.
    expect(syncs(s, 6380)).toEqual([0, 0, 0]);
    // The new link is a new client.
    expect(String(s.cmd(6380, 'CLIENT', 'LIST', 'TYPE', 'master'))).not.toBe(master);
    expect(s.info(6380).master_link_status).toBe('up');
  });

  it('TYPE replica on the master drops the replica, which comes back with a partial resync', () => {
    const s = synced();
    const replica = String(s.cmd(6379, 'CLIENT', 'LIST', 'TYPE', 'replica'));
    expect(replica).toMatch(/ flags=S db=0 .* cmd=replconf /);
    expect(s.cmd(6379, 'CLIENT', 'LIST', 'TYPE', 'slave')).toBe(replica);
    const t0 = s.mark();
    expect(s.cmd(6379, 'CLIENT', 'KILL', 'TYPE', 'slave')).toBe(1);
    s.waitForLog(6380, 'Master accepted a Partial Resynchronization', t0, 5);
    expect(s.logs(6379, t0)[0]).toBe('M # Connection with replica 127.0.0.1:6380 lost.');
    expect(syncs(s, 6379)).toEqual([1, 1, 1]);
    expect(s.info(6379, 'clients').connected_clients).toBe('1'); // this test's client: replicas are not counted
  });

  it('KILL ID of the master link and CLIENT LIST ID find the same client', () => {
    const s = synced();
    const id = /^id=(\d+) /.exec(String(s.cmd(6380, 'CLIENT', 'LIST', 'TYPE', 'master')))![1];
    expect(String(s.cmd(6380, 'CLIENT', 'LIST', 'ID', id))).toMatch(/ flags=M /);
    const t0 = s.mark();
    expect(s.cmd(6380, 'CLIENT', 'KILL', 'ID', id)).toBe(1);
    s.waitForLog(6380, 'Master accepted a Partial Resynchronization', t0, 5);
    expect(s.cmd(6380, 'CLIENT', 'LIST', 'ID', id)).toBe('');
  });
});

describe('INFO stats sync counters', () => {
  it('count a full sync, then a partial one, on the master only', () => {
    const s = synced();
    const st = s.info(6379, 'stats');
    expect([st.sync_full, st.sync_partial_ok, st.sync_partial_err, st.total_forks]).toEqual(['1', '0', '1', '1']);
    expect(Number(st.total_net_repl_output_bytes)).toBeGreaterThan(0);
    expect(Number(s.info(6380, 'stats').total_net_repl_input_bytes)).toBeGreaterThan(Number(st.total_net_repl_output_bytes) - 1);
    s.sim('RESET', '6379', '6380');
    s.waitFor(() => s.info(6379, 'stats').sync_partial_ok === '1', 5, 'partial resync');
    expect(syncs(s, 6379)).toEqual([1, 1, 1]);
  });

  it('count a refused partial resync as sync_partial_err and a full sync', () => {
    const s = synced();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-backlog-size', '1'); // the 16 KB minimum
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    for (let i = 0; i < 2000; i++) s.cmd(6379, 'SET', `key:${i}`, 'x'.repeat(100));
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6380, 'Finished with success', t0, 10);
    expect(syncs(s, 6379)).toEqual([2, 0, 2]);
  });

  it('a disk-based sync is a BGSAVE: rdb_saves, the fork in progress, and the changes it saved', () => {
    const s = new Scenario();
    for (const port of [6379, 6380]) s.world.node(port)!.config.replDisklessSync = false;
    for (let i = 0; i < 5; i++) s.cmd(6379, 'SET', `k${i}`, 'v');
    expect(s.info(6379, 'persistence').rdb_changes_since_last_save).toBe('5');
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6379, 'persistence').rdb_bgsave_in_progress === '1', 5, 'the fork');
    s.cmd(6379, 'SET', 'after-fork', 'v');
    s.waitFor(() => /state=online/.test(s.info(6379).slave0 ?? ''), 10, 'replica online');
    s.run(0.2);
    const p = s.info(6379, 'persistence');
    expect([p.rdb_bgsave_in_progress, p.rdb_saves, p.rdb_last_bgsave_time_sec, p.rdb_current_bgsave_time_sec]).toEqual(['0', '1', '0', '-1']);
    // The 5 SETs went into the file; the one after the fork did not.
    expect(p.rdb_changes_since_last_save).toBe('1');
    expect(s.info(6380, 'persistence').rdb_last_load_keys_loaded).toBe('5');
  });
});
