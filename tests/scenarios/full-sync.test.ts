// First full synchronizations, as redis-facts.md sections 2 and 3.1-3.2
// observed them on redis-server 7.0.15: the handshake, the deferred
// +FULLRESYNC, diskless and disk-based transfers, and what INFO and ROLE
// say on both sides meanwhile.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';

/** Log lines with replication ids and client details replaced, for comparison with the facts' transcripts. */
function shape(lines: string[]): string[] {
  return lines.map((l) =>
    l
      .replace(/(?!0{40})[0-9a-f]{40}/g, '<id>')
      .replace(/user request from '[^']*'/, "user request from '<client>'")
      .replace(/pid \d+/, 'pid <pid>'),
  );
}

describe('A first full sync', () => {
  it('is diskless by default: the fork waits 5 s, and both sides log what 7.0.15 logs, in its order', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'foo', 'bar');
    const t0 = s.mark();
    expect(s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379')).toBe('OK');
    s.waitForLog(6379, 'Synchronization with replica', t0, 10);
    expect(shape(s.logs(6380, t0))).toEqual([
      'S * Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      'S * Connecting to MASTER 127.0.0.1:6379',
      'S * MASTER <-> REPLICA sync started',
      "S * REPLICAOF 127.0.0.1:6379 enabled (user request from '<client>')",
      'S * Non blocking connect for SYNC fired the event.',
      'S * Master replied to PING, replication can continue...',
      'S * Trying a partial resynchronization (request <id>:1).',
      expect.stringMatching(/^S \* Full resync from master: <id>:\d+$/),
      'S * MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk',
      'S * Discarding previously cached master state.',
      'S * MASTER <-> REPLICA sync: Flushing old data',
      'S * MASTER <-> REPLICA sync: Loading DB in memory',
      'S * Loading RDB produced by version 7.0.15',
      'S * RDB age 0 seconds',
      expect.stringMatching(/^S \* RDB memory usage when created \d+\.\d\d Mb$/),
      'S * Done loading RDB, keys loaded: 1, keys expired: 0.',
      'S * MASTER <-> REPLICA sync: Finished with success',
    ]);
    expect(shape(s.logs(6379, t0))).toEqual([
      'M * Replica 127.0.0.1:6380 asks for synchronization',
      "M * Partial resynchronization not accepted: Replication ID mismatch (Replica asked for '<id>', my replication IDs are '<id>' and '0000000000000000000000000000000000000000')",
      "M * Replication backlog created, my new replication IDs are '<id>' and '0000000000000000000000000000000000000000'",
      'M * Delay next BGSAVE for diskless SYNC',
      'M * Starting BGSAVE for SYNC with target: replicas sockets',
      'M * Background RDB transfer started by pid <pid>',
      'C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      'M # Diskless rdb transfer, done reading from pipe, 1 replicas still up.',
      'M * Background RDB transfer terminated with success',
      'M * Streamed RDB transfer with replica 127.0.0.1:6380 succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming',
      'M * Synchronization with replica 127.0.0.1:6380 succeeded',
    ]);
    expect(s.cmd(6380, 'GET', 'foo')).toBe('bar');
  });

  it('changes the master replid when its first replica arrives, and the replica asks with its own id at offset 1', () => {
    const s = new Scenario();
    const before = s.info(6379);
    expect(before.master_replid).toMatch(/^[0-9a-f]{40}$/);
    expect(before.repl_backlog_active).toBe('0');
    const replicaOwnId = s.info(6380).master_replid;
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6379, 'Replication backlog created', t0, 5);
    const after = s.info(6379);
    expect(after.master_replid).not.toBe(before.master_replid);
    expect(after.repl_backlog_active).toBe('1');
    expect(after.repl_backlog_first_byte_offset).toBe(String(Number(before.master_repl_offset) + 1));
    expect(s.logs(6380, t0)).toContain(`S * Trying a partial resynchronization (request ${replicaOwnId}:1).`);
  });

  it('shows handshake in ROLE and wait_bgsave on the master while the diskless fork is delayed, then connected and online', () => {
    const s = new Scenario();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.run(1);
    expect(s.cmd(6380, 'ROLE')).toEqual(['slave', '127.0.0.1', 6379, 'handshake', -1]);
    const master = s.info(6379);
    expect(master.connected_slaves).toBe('1');
    expect(master.slave0).toBe('ip=127.0.0.1,port=6380,state=wait_bgsave,offset=0,lag=0');
    const replica = s.info(6380);
    expect(replica.master_link_status).toBe('down');
    expect(replica.master_sync_in_progress).toBe('0');
    expect(replica.master_sync_total_bytes).toBeUndefined();
    expect(replica.master_last_io_seconds_ago).toBe('-1');
    expect(replica.master_link_down_since_seconds).toBe('-1');
    expect(s.cmd(6379, 'ROLE')).toEqual(['master', Number(master.master_repl_offset), []]);
    s.waitFor(() => /state=online/.test(s.info(6379).slave0), 10);
    const role = s.cmd(6380, 'ROLE') as unknown[];
    expect(role.slice(0, 4)).toEqual(['slave', '127.0.0.1', 6379, 'connected']);
    expect(s.info(6379).slave0).toMatch(/^ip=127\.0\.0\.1,port=6380,state=online,offset=\d+,lag=\d+$/);
    const m = s.cmd(6379, 'ROLE') as [string, number, string[][]];
    expect(m[2]).toEqual([['127.0.0.1', '6380', expect.stringMatching(/^\d+$/)]]);
  });

  it('with repl-diskless-sync no forks at once, sends $<len> and the RDB, and the replica reads it to disk', () => {
    const s = new Scenario();
    s.world.node(6379)!.config.replDisklessSync = false;
    s.cmd(6379, 'SET', 'a', '1');
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 5);
    const master = shape(s.logs(6379, t0));
    expect(master).toEqual([
      'M * Replica 127.0.0.1:6380 asks for synchronization',
      expect.stringContaining('M * Partial resynchronization not accepted: Replication ID mismatch'),
      expect.stringContaining('M * Replication backlog created'),
      'M * Starting BGSAVE for SYNC with target: disk',
      'M * Background saving started by pid <pid>',
      'C * DB saved on disk',
      'C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB',
      'M * Background saving terminated with success',
      'M * Synchronization with replica 127.0.0.1:6380 succeeded',
    ]);
    expect(s.logs(6380, t0).find((l) => l.includes('receiving'))).toMatch(/^S \* MASTER <-> REPLICA sync: receiving \d+ bytes from master to disk$/);
    expect(s.cmd(6380, 'GET', 'a')).toBe('1');
    // The master saved the RDB it sent, and the replica kept the file it received.
    expect(s.world.disk(6379).exists('dump.rdb')).toBe(true);
    expect(s.world.disk(6380).exists('dump.rdb')).toBe(true);
  });

  it('reports transfer progress in INFO while a bandwidth-limited link carries the RDB', () => {
    const s = new Scenario();
    // Values LZF cannot shrink, so the RDB is about 2 MB.
    let seed = 7;
    const noise = () => String.fromCharCode(...Array.from({ length: 100_000 }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24)));
    for (let i = 0; i < 20; i++) s.cmd(6379, 'SET', `k${i}`, noise());
    s.world.node(6379)!.config.replDisklessSyncDelay = 0;
    expect(s.sim('BANDWIDTH', '6379', '6380', '1000000')).toBe('OK');
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6380).master_sync_in_progress === '1', 5, 'transfer');
    s.run(0.5);
    const during = s.info(6380);
    expect(during.master_sync_total_bytes).toBe('0');
    const read = Number(during.master_sync_read_bytes);
    expect(read).toBeGreaterThan(100_000);
    expect(read).toBeLessThan(2_000_000);
    expect(during.master_sync_left_bytes).toBe(String(-read));
    expect(during.master_sync_perc).toBe('0.00');
    expect(s.cmd(6380, 'ROLE')).toEqual(['slave', '127.0.0.1', 6379, 'sync', -1]);
    expect(s.info(6379).slave0).toMatch(/state=wait_bgsave/);
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10);
    expect(s.cmd(6380, 'DBSIZE')).toBe(20);
  });
});

describe('REPLICAOF', () => {
  it('answers OK Already connected to specified master for the same host and port, and reconnects for another spelling', () => {
    const s = new Scenario();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    const t0 = s.mark();
    expect(s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379')).toBe('OK Already connected to specified master');
    expect(s.logs(6380, t0)).toEqual([
      'S * REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.',
    ]);
    expect(s.cmd(6380, 'REPLICAOF', 'localhost', '6379')).toBe('OK');
    expect(s.info(6380).master_host).toBe('localhost');
  });

  it('refuses a bad port, and REPLICAOF NO ONE on a master is a silent OK', () => {
    const s = new Scenario();
    expect(s.cmd(6380, 'REPLICAOF', '127.0.0.1', '70000')).toBe('-ERR Invalid master port');
    expect(s.cmd(6380, 'REPLICAOF', '127.0.0.1', 'abc')).toBe('-ERR Invalid master port');
    expect(s.cmd(6380, 'REPLICAOF', '127.0.0.1')).toBe("-ERR wrong number of arguments for 'replicaof' command");
    const t0 = s.mark();
    expect(s.cmd(6380, 'REPLICAOF', 'no', 'one')).toBe('OK');
    expect(s.logs(6380, t0)).toEqual([]);
  });

  it('to a port where nothing listens logs Connection refused and tries again every second', () => {
    const s = new Scenario();
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    s.run(2.05);
    const lines = s.logs(6380, t0).filter((l) => !l.includes('REPLICAOF') && !l.includes('Before turning'));
    expect(lines.slice(0, 6)).toEqual([
      'S * Connecting to MASTER 127.0.0.1:7198',
      'S * MASTER <-> REPLICA sync started',
      'S # Error condition on socket for SYNC: Connection refused',
      'S * Connecting to MASTER 127.0.0.1:7198',
      'S * MASTER <-> REPLICA sync started',
      'S # Error condition on socket for SYNC: Connection refused',
    ]);
    expect(s.cmd(6380, 'ROLE')).toEqual(['slave', '127.0.0.1', 7198, 'connect', -1]);
  });

  it('makes a replica refuse writes with READONLY, and accept them again after REPLICAOF NO ONE', () => {
    const s = new Scenario();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    expect(s.cmd(6380, 'SET', 'k', 'v')).toBe("-READONLY You can't write against a read only replica.");
    expect(s.cmd(6380, 'GET', 'k')).toBe(null);
    s.cmd(6380, 'REPLICAOF', 'NO', 'ONE');
    expect(s.cmd(6380, 'SET', 'k', 'v')).toBe('OK');
  });
});

describe('A diskless transfer', () => {
  it('is abandoned when the replica stops reading for repl-timeout: the master drops it and kills the fork', () => {
    const s = new Scenario();
    let seed = 11;
    const noise = () => String.fromCharCode(...Array.from({ length: 100_000 }, () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24)));
    for (let i = 0; i < 20; i++) s.cmd(6379, 'SET', `k${i}`, noise());
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    s.cmd(6379, 'CONFIG', 'SET', 'repl-timeout', '5');
    s.sim('BANDWIDTH', '6379', '6380', '100000');
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6380).master_sync_in_progress === '1', 5, 'transfer');
    s.sim('PARTITION', '6379', '6380');
    s.waitForLog(6379, 'Disconnecting timedout replica (full sync): 127.0.0.1:6380', t0, 15);
    expect(s.logs(6379, t0)).toContain('M # Diskless rdb transfer, last replica dropped, killing fork child.');
  });
});

describe('Loading a full sync', () => {
  it('takes virtual time in proportion to the RDB, answers LOADING meanwhile, and keeps the writes the master sent during it', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', 'no');
    const db = s.world.node(6379)!.keyspace.dbs[0];
    const text = new TextEncoder();
    for (let i = 0; i < 200_000; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6380, 'MASTER <-> REPLICA sync: Loading DB in memory', t0, 10);
    expect(s.cmd(6380, 'GET', 'key:1')).toBe('-LOADING Redis is loading the dataset in memory');
    expect(s.info(6380).role).toBe('slave');
    s.run(0.02);
    const p = s.info(6380, 'persistence');
    expect(p.loading).toBe('1');
    expect(Number(p.loading_total_bytes)).toBeGreaterThan(4_000_000);
    expect(Number(p.loading_loaded_bytes)).toBeGreaterThan(0);
    expect(Number(p.loading_loaded_perc)).toBeGreaterThan(0);
    expect(Number(p.loading_loaded_perc)).toBeLessThan(100);
    expect(p.loading_eta_seconds).toMatch(/^\d+$/);
    s.cmd(6379, 'SET', 'during', 'load');
    s.waitForLog(6380, 'Finished with success', t0, 10);
    const loadLines = s.world.logs(6380).filter((r) => /Loading DB in memory|Finished with success/.test(r.line));
    const tookUs = loadLines[loadLines.length - 1].timeUs - loadLines[loadLines.length - 2].timeUs;
    // About 5 MB at the modelled 54 bytes per microsecond.
    expect(tookUs).toBeGreaterThan(50_000);
    s.run(0.2);
    expect(s.cmd(6380, 'GET', 'key:199999')).toBe('value:199999');
    expect(s.cmd(6380, 'GET', 'during')).toBe('load');
    expect(s.info(6380).master_repl_offset).toBe(s.info(6379).master_repl_offset);
  });
});

describe('repl-diskless-load swapdb', () => {
  it('serves the old data while loading a full sync of the same history (async loading), and logs the swap', () => {
    const s = new Scenario();
    for (const p of [6379, 6380]) s.cmd(p, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    s.cmd(6380, 'CONFIG', 'SET', 'repl-diskless-load', 'swapdb');
    const db = s.world.node(6379)!.keyspace.dbs[0];
    const text = new TextEncoder();
    for (let i = 0; i < 100_000; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10, 'first sync');
    // The same history again: the replica's offset fell out of a tiny backlog.
    s.cmd(6379, 'CONFIG', 'SET', 'repl-backlog-size', '1');
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    for (let i = 0; i < 200; i++) s.cmd(6379, 'SET', `more:${i}`, 'x'.repeat(200));
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6380, 'MASTER <-> REPLICA sync: Loading DB in memory', t0, 10);
    expect(s.info(6380, 'persistence').async_loading).toBe('1');
    expect(s.cmd(6380, 'GET', 'key:5')).toBe('value:5');
    s.waitForLog(6380, 'Finished with success', t0, 10);
    const lines = s.logs(6380, t0);
    const from = lines.indexOf('S * MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to parser');
    expect(from).toBeGreaterThan(0);
    expect(lines.slice(from + 1).filter((l) => !/RDB (age|memory)|Loading RDB|Done loading/.test(l))).toEqual([
      'S * MASTER <-> REPLICA sync: Loading DB in memory',
      'S * Discarding previously cached master state.',
      'S * MASTER <-> REPLICA sync: Swapping active DB with loaded DB',
      'S * MASTER <-> REPLICA sync: Discarding old DB in background',
      'S * MASTER <-> REPLICA sync: Finished with success',
    ]);
    expect(s.cmd(6380, 'GET', 'more:199')).toBe('x'.repeat(200));
  });
});

describe('A slow disk-based BGSAVE (rdb-key-save-delay, as in the facts 3.2)', () => {
  it('shows the replica in sync with no length yet, and the master with the replica waiting for the BGSAVE', () => {
    const s = new Scenario();
    const db = s.world.node(6379)!.keyspace.dbs[0];
    const text = new TextEncoder();
    for (let i = 0; i < 20_000; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', 'no');
    s.cmd(6379, 'CONFIG', 'SET', 'rdb-key-save-delay', '200');
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.run(1.5);
    const replica = s.info(6380);
    expect([
      replica.master_link_status,
      replica.master_last_io_seconds_ago,
      replica.master_sync_in_progress,
      replica.master_sync_total_bytes,
      replica.master_sync_read_bytes,
      replica.master_sync_left_bytes,
      replica.master_sync_perc,
      replica.master_link_down_since_seconds,
    ]).toEqual(['down', '-1', '1', '-1', '0', '-1', '-0.00', '-1']);
    // Seconds since the last newline the master sent (one a second while its child writes to disk).
    expect(replica.master_sync_last_io_seconds_ago).toMatch(/^[01]$/);
    expect(s.cmd(6380, 'ROLE')).toEqual(['slave', '127.0.0.1', 6379, 'sync', -1]);
    expect(s.info(6379).slave0).toBe('ip=127.0.0.1,port=6380,state=wait_bgsave,offset=0,lag=0');
    s.waitForLog(6380, 'Finished with success', t0, 10);
    const saved = s.world.logs(6379).find((r) => r.line.endsWith('* DB saved on disk'))!;
    const started = s.world.logs(6379).find((r) => r.line.includes('Background saving started by pid'))!;
    // 20,000 keys at 200 µs each.
    expect(saved.timeUs - started.timeUs).toBeGreaterThanOrEqual(4_000_000);
    expect(s.cmd(6380, 'DBSIZE')).toBe(20_000);
  });
});
