// A node's redis.conf across restarts (DESIGN.md 2.1): a replica set up by
// REPLICAOF and written to its config file by CONFIG REWRITE comes back a
// replica after SIM KILL and SIM START, synthesizes a cached master from
// its RDB and continues with a partial resync (redis-facts.md 3.7); without
// the rewrite it comes back a master.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

/** A master on 6379 with a replica on 6380 in sync, and a few writes. */
function synced(): Scenario {
  const s = new Scenario();
  for (const port of [6379, 6380, 6381]) s.world.node(port)!.config.replDisklessSyncDelay = 0;
  s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => /state=online/.test(s.info(6379).slave0 ?? ''), 10, 'replica online');
  for (let i = 0; i < 3; i++) s.cmd(6379, 'SET', `k${i}`, `v${i}`);
  s.run(1.1); // the writes and the first ACKs
  return s;
}

const conf = (s: Scenario, port: number): string => latin1(s.world.disk(port).read('redis.conf')!);

/** SIM KILL then SIM START: the log lines of the new process up to its partial resync. */
function restart(s: Scenario, port: number): number {
  const t0 = s.mark();
  expect(s.sim('KILL', String(port))).toBe('OK');
  expect(s.sim('START', String(port))).toBe('OK');
  return t0;
}

describe('redis.conf and CONFIG REWRITE across restarts', () => {
  it('every node starts with an empty redis.conf, which INFO shows as its config file', () => {
    const s = new Scenario();
    expect(conf(s, 6379)).toBe('');
    expect(s.info(6379, 'server').config_file).toBe('/var/lib/redis/6379/redis.conf');
  });

  it('a replica written by CONFIG REWRITE comes back a replica and continues with a partial resync', () => {
    const s = synced();
    expect(s.cmd(6380, 'CONFIG', 'REWRITE')).toBe('OK');
    expect(conf(s, 6380)).toContain('\nreplicaof 127.0.0.1 6379\n');
    expect(s.cmd(6380, 'SAVE')).toBe('OK');
    const offset = Number(s.info(6380).master_repl_offset);
    const replid = s.info(6379).master_replid;
    const t0 = restart(s, 6380);
    s.waitForLog(6380, 'Master accepted a Partial Resynchronization', t0, 5);
    const lines = s.logs(6380, t0);
    const loaded = lines.indexOf('S * DB loaded from disk: 0.000 seconds');
    expect(loaded).toBeGreaterThan(0);
    expect(lines.slice(loaded + 1)).toEqual([
      'S * Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.',
      'S * Ready to accept connections',
      'S * Connecting to MASTER 127.0.0.1:6379',
      'S * MASTER <-> REPLICA sync started',
      'S * Non blocking connect for SYNC fired the event.',
      'S * Master replied to PING, replication can continue...',
      `S * Trying a partial resynchronization (request ${replid}:${offset + 1}).`,
      'S * Successful partial resynchronization with master.',
      'S * MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
    ]);
    expect(s.logs(6379, t0)).toContain(
      `M * Partial resynchronization request from 127.0.0.1:6380 accepted. Sending 0 bytes of backlog starting from offset ${offset + 1}.`,
    );
    expect(s.info(6380).role).toBe('slave');
    expect(s.cmd(6380, 'GET', 'k2')).toBe('v2');
  });

  it('a replica set up by REPLICAOF and not rewritten comes back a master', () => {
    const s = synced();
    expect(s.cmd(6380, 'SAVE')).toBe('OK');
    const t0 = restart(s, 6380);
    s.run(2);
    expect(s.info(6380).role).toBe('master');
    expect(s.logs(6380, t0).some((l) => l.includes('MASTER'))).toBe(false);
    expect(s.cmd(6380, 'GET', 'k2')).toBe('v2'); // the data came back from dump.rdb
  });

  it('REPLICAOF NO ONE then CONFIG REWRITE drops the replicaof line: it comes back a master', () => {
    const s = synced();
    expect(s.cmd(6380, 'CONFIG', 'REWRITE')).toBe('OK');
    expect(s.cmd(6380, 'REPLICAOF', 'NO', 'ONE')).toBe('OK');
    expect(s.cmd(6380, 'CONFIG', 'REWRITE')).toBe('OK');
    expect(conf(s, 6380)).not.toContain('replicaof');
    restart(s, 6380);
    s.run(2);
    expect(s.info(6380).role).toBe('master');
  });

  it('requirepass survives a rewrite and a restart as the default user line', () => {
    const s = new Scenario();
    expect(s.cmd(6379, 'CONFIG', 'SET', 'requirepass', 'abc')).toBe('OK');
    expect(s.cmd(6379, 'CONFIG', 'REWRITE')).toBe('OK');
    expect(conf(s, 6379)).toContain('\nuser default on #ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ~* &* +@all\n');
    restart(s, 6379);
    expect(s.cmd(6379, 'PING')).toBe('-NOAUTH Authentication required.');
    expect(s.cmd(6379, 'AUTH', 'abd')).toBe('-WRONGPASS invalid username-password pair or user is disabled.');
    expect(s.cmd(6379, 'AUTH', 'abc')).toBe('OK');
    expect(s.cmd(6379, 'CONFIG', 'GET', 'requirepass')).toEqual(['requirepass', 'abc']);
  });

  it('a bad line in redis.conf makes the node exit during start-up', () => {
    const s = new Scenario();
    s.world.disk(6381).write('redis.conf', fromLatin1('hz 10\nno-such-option yes\n'));
    expect(s.sim('KILL', '6381')).toBe('OK');
    expect(s.sim('START', '6381')).toBe('-ERR node 6381 exited during start-up (see its log)');
    expect(s.world.isUp(6381)).toBe(false);
    s.world.disk(6381).write('redis.conf', fromLatin1('hz 10\n'));
    expect(s.sim('START', '6381')).toBe('OK');
  });
});
