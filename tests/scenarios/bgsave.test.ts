// Background saving as redis-server 7.0.15 does it (rdb.c's
// rdbSaveBackground and bgsaveCommand, serverCron's save points and
// scheduled BGSAVE, killRDBChild from SHUTDOWN and FLUSHALL). Every log
// sequence below was observed on the real server (rdb-key-save-delay
// slowing its child, as here): the parent's lines in order, the child's
// with role C, and the line a child killed by SIGUSR1 writes from its
// signal handler ("<pid>:signal-handler (<unix time>) ...").
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { readRdb } from '../../src/engine/rdb/reader.ts';
import { rdbBytes } from '../../src/engine/rdb/persistence.ts';
import { latin1 } from '../../src/engine/bytes.ts';
import type { RedisNode } from '../../src/engine/node.ts';
import type { RedisValue } from '../../src/engine/keyspace/value.ts';

/** Log lines with pids replaced. */
function shape(lines: string[]): string[] {
  return lines.map((l) => l.replace(/pid \d+/, 'pid <pid>').replace(/^\d+:signal-handler \(\d+\) /, '<pid>:signal-handler (<time>) '));
}

const CHILD_DONE = ['C * DB saved on disk', 'C * Fork CoW for RDB: current 0 MB, peak 0 MB, average 0 MB'];
const KILLED = '<pid>:signal-handler (<time>) Received SIGUSR1 in child, exiting now.';

/** The keys of an RDB file, with string values as text. */
function rdbKeys(node: RedisNode, file: Uint8Array): Map<string, string> {
  const keys = new Map<string, string>();
  const text = (v: RedisValue) => (v.type === 'string' ? latin1(v.bytes) : v.type);
  readRdb(file, { databases: 16, verifyChecksum: true, decode: { config: node.config } }, { key: (db, key, value) => keys.set(`${db}:${key}`, text(value)) });
  return keys;
}

/** A node with `n` keys whose child takes `delayUs` per key. */
function slowChild(s: Scenario, n: number, delayUs: number, port = 6379): void {
  for (let i = 0; i < n; i++) s.cmd(port, 'SET', `key:${i}`, `val:${i}`);
  s.cmd(port, 'CONFIG', 'SET', 'rdb-key-save-delay', String(delayUs));
}

/** A node, with or without save points, half a second into a BGSAVE of 1000 keys that takes two; t0 marks the log then. */
function bgsaveRunning(savePoints: boolean): { s: Scenario; t0: number } {
  const s = new Scenario({ directives: savePoints ? [] : [['save', '']] });
  slowChild(s, 1000, 2000);
  s.cmd(6379, 'BGSAVE');
  s.run(0.5);
  return { s, t0: s.mark() };
}

describe('BGSAVE', () => {
  it('forks a child that writes dump.rdb, with the log lines of 7.0.15 in their order, and INFO persistence follows it', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'a', '1');
    s.cmd(6379, 'SET', 'b', '2');
    s.run(1);
    const t0 = s.mark();
    expect(s.cmd(6379, 'BGSAVE')).toBe('Background saving started');
    const during = s.info(6379, 'persistence');
    expect(during).toMatchObject({
      rdb_bgsave_in_progress: '1',
      rdb_current_bgsave_time_sec: '0',
      rdb_changes_since_last_save: '2',
      rdb_saves: '1',
      current_save_keys_total: '2',
      rdb_last_bgsave_time_sec: '-1',
    });
    s.waitFor(() => s.info(6379, 'persistence').rdb_bgsave_in_progress === '0', 2, 'the child reaped');
    expect(shape(s.logs(6379, t0))).toEqual(['M * Background saving started by pid <pid>', ...CHILD_DONE, 'M * Background saving terminated with success']);
    const after = s.info(6379, 'persistence');
    const node = s.world.node(6379)!;
    expect(after).toMatchObject({
      rdb_bgsave_in_progress: '0',
      rdb_current_bgsave_time_sec: '-1',
      rdb_changes_since_last_save: '0',
      rdb_last_bgsave_status: 'ok',
      rdb_last_bgsave_time_sec: '0',
      rdb_last_save_time: String(node.unixtime),
      current_save_keys_total: '0',
      rdb_saves: '1',
    });
    expect(s.cmd(6379, 'LASTSAVE')).toBe(node.unixtime);
    expect(s.info(6379, 'stats').total_forks).toBe('1');
    expect([...rdbKeys(node, s.world.disk(6379).read('dump.rdb')!)]).toEqual([
      ['0:a', '1'],
      ['0:b', '2'],
    ]);
  });

  it('answers "already in progress" to BGSAVE, BGSAVE SCHEDULE and SAVE while its child runs, and a syntax error to other arguments', () => {
    const s = new Scenario();
    slowChild(s, 1000, 2000);
    expect(s.cmd(6379, 'BGSAVE', 'SCHEDULE', 'x')).toBe('-ERR syntax error');
    expect(s.cmd(6379, 'BGSAVE', 'now')).toBe('-ERR syntax error');
    expect(s.cmd(6379, 'BGSAVE')).toBe('Background saving started');
    s.run(0.5);
    expect(s.cmd(6379, 'BGSAVE')).toBe('-ERR Background save already in progress');
    expect(s.cmd(6379, 'BGSAVE', 'SCHEDULE')).toBe('-ERR Background save already in progress');
    expect(s.cmd(6379, 'SAVE')).toBe('-ERR Background save already in progress');
    const tx = s.session(6379);
    for (const c of [['MULTI'], ['BGSAVE'], ['EXEC']]) tx.send(...c);
    expect(tx.replies()).toEqual(['OK', 'QUEUED', ['-ERR Background save already in progress']]);
    // The child's progress report (the first key, after a second) reached the parent.
    s.run(1);
    expect(s.info(6379, 'persistence')).toMatchObject({ current_save_keys_processed: '1', current_save_keys_total: '1000', current_fork_perc: '0.10' });
  });

  it('inside EXEC is scheduled, and the next cron starts it', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    const t0 = s.mark();
    const tx = s.session(6379);
    for (const c of [['MULTI'], ['BGSAVE'], ['BGSAVE', 'SCHEDULE'], ['EXEC']]) tx.send(...c);
    expect(tx.replies()).toEqual(['OK', 'QUEUED', 'QUEUED', ['Background saving scheduled', 'Background saving scheduled']]);
    expect(s.info(6379, 'persistence').rdb_bgsave_in_progress).toBe('0');
    s.waitFor(() => s.logs(6379, t0).some((l) => l.includes('terminated with success')), 1, 'the scheduled save');
    expect(shape(s.logs(6379, t0))).toEqual(['M * Background saving started by pid <pid>', ...CHILD_DONE, 'M * Background saving terminated with success']);
    expect(s.info(6379, 'persistence').rdb_saves).toBe('1');
  });

  it('writes the dataset of the fork instant: writes while the child runs stay out of the file and count as unsaved', () => {
    const s = new Scenario();
    slowChild(s, 2000, 1000);
    s.cmd(6379, 'RPUSH', 'list', 'a', 'b');
    s.cmd(6379, 'HSET', 'hash', 'f', 'v');
    const node = s.world.node(6379)!;
    expect(s.cmd(6379, 'BGSAVE')).toBe('Background saving started');
    // What SAVE would have written at this instant.
    const atFork = rdbBytes(node);
    const writes = [
      ['SET', 'key:5', 'changed'],
      ['DEL', 'key:6'],
      ['SET', 'new', 'key'],
      ['RPUSH', 'list', 'c'],
      ['HSET', 'hash', 'f', 'w'],
      ['RENAME', 'key:7', 'renamed'],
      ['FLUSHDB'],
      ['SET', 'key:1999', 'after the flush'],
    ];
    for (const w of writes) {
      s.run(0.2);
      s.cmd(6379, ...w);
    }
    s.waitFor(() => s.info(6379, 'persistence').rdb_bgsave_in_progress === '0', 5, 'the child reaped');
    const file = s.world.disk(6379).read('dump.rdb')!;
    expect(file).toEqual(atFork);
    const keys = rdbKeys(node, file);
    expect(keys.size).toBe(2002);
    expect(keys.get('0:key:5')).toBe('val:5');
    expect(keys.get('0:key:1999')).toBe('val:1999');
    expect(keys.has('0:new')).toBe(false);
    // dirty - dirty_before_bgsave: six writes, FLUSHDB's 2002 keys (one gone, one new), one more write.
    expect(Number(s.info(6379, 'persistence').rdb_changes_since_last_save)).toBe(6 + 2002 + 1);
  });

  it('is what a save point starts: "<changes> changes in <seconds> seconds. Saving...", as CONFIG SET save says', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'save', '2 1 100 5');
    s.cmd(6379, 'SET', 'x', '1');
    const t0 = s.mark();
    s.run(3.5);
    expect(shape(s.logs(6379, t0))).toEqual([
      'M * 1 changes in 2 seconds. Saving...',
      'M * Background saving started by pid <pid>',
      ...CHILD_DONE,
      'M * Background saving terminated with success',
    ]);
    expect(s.info(6379, 'persistence').rdb_changes_since_last_save).toBe('0');
    // No save points: no more saves, however many changes.
    s.cmd(6379, 'CONFIG', 'SET', 'save', '');
    s.cmd(6379, 'SET', 'x', '2');
    const t1 = s.mark();
    s.run(5);
    expect(s.logs(6379, t1)).toEqual([]);
  });

  it('fails on a value the engine cannot write: "Background saving error", MISCONF for writes and PING, and the save points retry after 5 seconds', () => {
    const s = new Scenario();
    const node = s.world.node(6379)!;
    s.cmd(6379, 'SET', 'a', '1');
    // A value of a type without an RDB encoder (none of the engine's commands makes one any more).
    node.keyspace.dbs[0].set('odd', { type: 'module' } as unknown as RedisValue);
    const t0 = s.mark();
    expect(s.cmd(6379, 'BGSAVE')).toBe('Background saving started');
    s.run(0.2);
    expect(shape(s.logs(6379, t0))).toEqual([
      'M * Background saving started by pid <pid>',
      "C # Failed saving the DB: key 'odd' in DB 0 holds a module value, which this engine cannot write to an RDB file yet",
      'M # Background saving error',
    ]);
    expect(s.info(6379, 'persistence').rdb_last_bgsave_status).toBe('err');
    // stop-writes-on-bgsave-error with save points (the defaults).
    expect(s.cmd(6379, 'SET', 'b', '2')).toMatch(/^-MISCONF Redis is configured to save RDB snapshots/);
    expect(s.cmd(6379, 'PING')).toMatch(/^-MISCONF/);
    expect(s.cmd(6379, 'GET', 'a')).toBe('1');
    // A save point due now waits CONFIG_BGSAVE_RETRY_DELAY seconds after the failed attempt (its line names the point, not the count).
    s.cmd(6379, 'CONFIG', 'SET', 'save', '1 1');
    s.run(4);
    expect(s.logs(6379, t0).filter((l) => l.includes('changes in'))).toEqual([]);
    s.run(2.5);
    expect(s.logs(6379, t0).filter((l) => l.includes('changes in'))).toEqual(['M * 1 changes in 1 seconds. Saving...']);
    node.keyspace.dbs[0].delete('odd');
    s.run(6.5);
    expect(s.info(6379, 'persistence').rdb_last_bgsave_status).toBe('ok');
    expect(s.cmd(6379, 'SET', 'b', '2')).toBe('OK');
  });
});

describe('The fork and other commands', () => {
  it('SHUTDOWN kills a running child, and saves in its place when save points are set', () => {
    for (const savePoints of [true, false]) {
      const { s, t0 } = bgsaveRunning(savePoints);
      s.send(6379, 'SHUTDOWN');
      s.run(0.1);
      // The child's line comes as the parent goes on (observed: after "Saving the final...", before "DB saved").
      expect(shape(s.logs(6379, t0))).toEqual([
        'M # User requested shutdown...',
        'M # There is a child saving an .rdb. Killing it!',
        ...(savePoints ? ['M * Saving the final RDB snapshot before exiting.', KILLED, 'M * DB saved on disk'] : [KILLED]),
        'M # Redis is now ready to exit, bye bye...',
      ]);
      if (!savePoints) expect(s.world.disk(6379).read('dump.rdb')).toBe(null);
    }
  });

  it('FLUSHALL kills the child (not an error: SIGUSR1) and, with save points, saves the empty dataset', () => {
    for (const savePoints of [false, true]) {
      const { s, t0 } = bgsaveRunning(savePoints);
      expect(s.cmd(6379, 'FLUSHALL')).toBe('OK');
      s.run(0.5);
      expect(shape(s.logs(6379, t0))).toEqual([KILLED, ...(savePoints ? ['M * DB saved on disk'] : []), 'M # Background saving terminated by signal 10']);
      const info = s.info(6379, 'persistence');
      expect(info.rdb_last_bgsave_status).toBe('ok');
      expect(info.rdb_last_bgsave_time_sec).toBe('0');
      expect(info.rdb_changes_since_last_save).toBe(savePoints ? '0' : '2000');
      expect(info.rdb_saves).toBe('1');
      const file = s.world.disk(6379).read('dump.rdb');
      if (savePoints) expect(rdbKeys(s.world.node(6379)!, file!).size).toBe(0);
      else expect(file).toBe(null);
    }
  });
});

describe('The fork and replication', () => {
  it('a BGSAVE during a disk-based sync answers "already in progress" (the sync\'s fork is an RDB child), SCHEDULE or not', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', 'no');
    slowChild(s, 1000, 2000);
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6379, 'Background saving started by pid', 0, 2);
    expect(s.cmd(6379, 'BGSAVE')).toBe('-ERR Background save already in progress');
    expect(s.cmd(6379, 'BGSAVE', 'SCHEDULE')).toBe('-ERR Background save already in progress');
    expect(s.info(6379, 'persistence').rdb_bgsave_in_progress).toBe('1');
    s.waitForLog(6379, 'Synchronization with replica', 0, 5);
    // A disk-based sync's BGSAVE counts as a save: LASTSAVE moves, the changes are saved.
    expect(s.info(6379, 'persistence')).toMatchObject({ rdb_saves: '1', rdb_changes_since_last_save: '0', rdb_last_bgsave_time_sec: '2' });
  });

  it('a BGSAVE scheduled inside EXEC waits for a replication fork that started before the cron, then starts as it is reaped', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', 'no');
    slowChild(s, 1000, 1000);
    s.run(0.05);
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    const tx = s.session(6379);
    for (const c of [['MULTI'], ['BGSAVE'], ['EXEC']]) tx.send(...c);
    expect(tx.replies()).toEqual(['OK', 'QUEUED', ['Background saving scheduled']]);
    // The replica's PSYNC comes a few ms later, before the next cron: its fork goes first.
    s.waitForLog(6379, 'Synchronization with replica', t0, 5);
    s.run(2);
    const lines = shape(s.logs(6379, t0)).filter((l) => !l.includes('resynchronization not accepted') && !l.includes('backlog created'));
    expect(lines).toEqual([
      'M * Replica 127.0.0.1:6380 asks for synchronization',
      'M * Starting BGSAVE for SYNC with target: disk',
      'M * Background saving started by pid <pid>',
      ...CHILD_DONE,
      'M * Background saving terminated with success',
      // serverCron: checkChildrenDone (the replica gets its file), replicationCron, then the scheduled BGSAVE.
      'M * Background saving started by pid <pid>',
      'M * Synchronization with replica 127.0.0.1:6380 succeeded',
      ...CHILD_DONE,
      'M * Background saving terminated with success',
    ]);
    expect(s.info(6379, 'persistence').rdb_saves).toBe('2');
  });

  it('a replica that comes during a BGSAVE waits for it to end, then gets a fork of its own', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync', 'no');
    slowChild(s, 1000, 2000);
    s.cmd(6379, 'BGSAVE');
    s.run(0.3);
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6379, 'Synchronization with replica', t0, 10);
    expect(shape(s.logs(6379, t0)).map((l) => l.replace(/'[0-9a-f]{40}'/g, '<id>'))).toEqual([
      'M * Replica 127.0.0.1:6380 asks for synchronization',
      'M * Partial resynchronization not accepted: Replication ID mismatch (Replica asked for <id>, my replication IDs are <id> and <id>)',
      'M * Replication backlog created, my new replication IDs are <id> and <id>',
      "M * Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC",
      ...CHILD_DONE,
      'M * Background saving terminated with success',
      'M * Starting BGSAVE for SYNC with target: disk',
      'M * Background saving started by pid <pid>',
      ...CHILD_DONE,
      'M * Background saving terminated with success',
      'M * Synchronization with replica 127.0.0.1:6380 succeeded',
    ]);
    s.waitFor(() => s.info(6380).master_link_status === 'up', 5, 'link up');
    expect(s.cmd(6380, 'GET', 'key:999')).toBe('val:999');
  });

  it('FLUSHALL kills a diskless sync\'s child: the transfer fails and the replica syncs again', () => {
    const s = new Scenario({ directives: [['save', '']] });
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    slowChild(s, 1000, 2000);
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.waitForLog(6379, 'Background RDB transfer started by pid', 0, 2);
    s.run(0.5);
    const t0 = s.mark();
    s.cmd(6379, 'FLUSHALL');
    s.waitForLog(6379, 'Synchronization with replica', t0, 5);
    const lines = shape(s.logs(6379, t0));
    expect(lines.slice(0, 6)).toEqual([
      KILLED,
      'M # Diskless rdb transfer, done reading from pipe, 1 replicas still up.',
      'M # Background transfer terminated by signal 10',
      'M # SYNC failed. BGSAVE child returned an error',
      'M # Connection with replica 127.0.0.1:6380 lost.',
      'M * Replica 127.0.0.1:6380 asks for synchronization',
    ]);
    expect(lines).toContain('M * Background RDB transfer terminated with success');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 5, 'link up');
    expect(s.cmd(6380, 'DBSIZE')).toBe(0);
  });
});
