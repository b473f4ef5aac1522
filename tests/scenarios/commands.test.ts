// Replication commands beyond REPLICAOF: WAIT, SHUTDOWN, FAILOVER,
// min-replicas-to-write and replica-serve-stale-data, as redis-facts.md
// sections 3.11, 3.13 and 7 describe them on redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';

function withReplicas(...replicas: number[]): Scenario {
  const s = new Scenario();
  for (const port of [6379, 6380, 6381]) s.cmd(port, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
  for (const port of replicas) s.cmd(port, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => s.world.node(6379)!.replication.master.slaves.filter((c) => c.slave!.state === 'online').length === replicas.length, 10);
  s.run(1.1);
  return s;
}

describe('WAIT', () => {
  it('answers at once on a fresh connection, counts the replicas that acknowledged, and times out with the count reached', () => {
    const s = withReplicas(6380);
    expect(s.cmd(6379, 'WAIT', '1', '0')).toBe(1);
    s.cmd(6379, 'SET', 'k', 'v');
    const w = s.send(6379, 'WAIT', '1', '1000');
    s.waitFor(() => w() !== undefined, 2);
    expect(w()).toBe(1);
    // A second replica never comes: WAIT 2 times out with 1 after its 300 ms.
    const start = s.world.nowUs;
    const w2 = s.send(6379, 'WAIT', '2', '300');
    s.waitFor(() => w2() !== undefined, 2);
    expect(w2()).toBe(1);
    expect(s.world.nowUs - start).toBeGreaterThanOrEqual(300_000);
  });

  it('sends REPLCONF GETACK * when a client blocks, and refuses to run on a replica', () => {
    const s = withReplicas(6380);
    const before = Number(s.info(6379).master_repl_offset);
    // One client: SET (27 bytes, after a 23-byte SELECT), then WAIT for it.
    const replies = s.pipeline(6379, [['SET', 'k', 'v'], ['WAIT', '1', '1000']]);
    s.waitFor(() => (replies() as unknown[]).length === 2, 2);
    expect(replies()).toEqual(['OK', 1]);
    expect(Number(s.info(6379).master_repl_offset) - before).toBe(23 + 27 + 37);
    expect(s.cmd(6380, 'WAIT', '1', '0')).toBe(
      '-ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
    );
    expect(s.cmd(6379, 'WAIT', '1', '-1')).toBe('-ERR timeout is negative');
    expect(s.cmd(6379, 'WAIT', 'one', '0')).toBe('-ERR value is not an integer or out of range');
  });
});

describe('SHUTDOWN', () => {
  it('saves when save points are set, closes the connection without a reply, and the node stays down', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    const t0 = s.mark();
    const probe = s.send(6379, 'SHUTDOWN');
    s.run(0.1);
    expect(probe()).toBe('closed');
    expect(s.logs(6379, t0)).toEqual([
      'M # User requested shutdown...',
      'M * Saving the final RDB snapshot before exiting.',
      'M * DB saved on disk',
      'M # Redis is now ready to exit, bye bye...',
    ]);
    expect(s.world.isUp(6379)).toBe(false);
    s.sim('START', '6379');
    expect(s.cmd(6379, 'GET', 'k')).toBe('v');
  });

  it('NOSAVE does not save; with a replica in sync it says 1 of 1 replicas are in sync', () => {
    const s = withReplicas(6380);
    const t0 = s.mark();
    s.send(6379, 'SHUTDOWN', 'NOSAVE');
    s.run(0.5);
    expect(s.logs(6379, t0).filter((l) => !l.includes('Waiting'))).toEqual([
      'M # User requested shutdown...',
      'M * 1 of 1 replicas are in sync when shutting down.',
      'M # Redis is now ready to exit, bye bye...',
    ]);
    expect(s.cmd(6379 + 1, 'INFO', 'replication')).toContain('master_link_status:down');
  });

  it('pauses writes while it waits for a lagging replica, and ABORT lets them through (checked on 7.0.15)', () => {
    const s = withReplicas(6380);
    s.sim('PARTITION', '6379', '6380');
    s.cmd(6379, 'SET', 'k', 'v1');
    const t0 = s.mark();
    const shutdown = s.send(6379, 'SHUTDOWN', 'NOSAVE');
    s.run(0.5);
    expect(shutdown()).toBeUndefined();
    // A write is postponed until the pause ends; a read is served.
    const write = s.send(6379, 'SET', 'k', 'v2');
    s.run(0.5);
    expect(write()).toBeUndefined();
    expect(s.cmd(6379, 'GET', 'k')).toBe('v1');
    expect(s.info(6379, 'clients').blocked_clients).toBe('2');
    expect(s.cmd(6379, 'SHUTDOWN', 'ABORT')).toBe('OK');
    s.run(0.1);
    expect(shutdown()).toBe('-ERR Errors trying to SHUTDOWN. Check logs.');
    expect(write()).toBe('OK');
    expect(s.cmd(6379, 'GET', 'k')).toBe('v2');
    expect(s.logs(6379, t0)).toEqual([
      'M # User requested shutdown...',
      'M * Waiting for replicas before shutting down.',
      'M * Shutdown manually aborted.',
    ]);
  });

  it('refuses bad flag combinations and ABORT without a shutdown in progress', () => {
    const s = new Scenario();
    expect(s.cmd(6379, 'SHUTDOWN', 'SAVE', 'NOSAVE')).toBe('-ERR syntax error');
    expect(s.cmd(6379, 'SHUTDOWN', 'ABORT', 'NOW')).toBe('-ERR syntax error');
    expect(s.cmd(6379, 'SHUTDOWN', 'LATER')).toBe('-ERR syntax error');
    expect(s.cmd(6379, 'SHUTDOWN', 'ABORT')).toBe('-ERR No shutdown in progress.');
  });
});

describe('FAILOVER', () => {
  it('hands the master role to the synced replica, which both others follow with +CONTINUE', () => {
    const s = withReplicas(6380, 6381);
    s.cmd(6379, 'SET', 'k', 'v');
    s.run(1.1);
    const t0 = s.mark();
    expect(s.cmd(6379, 'FAILOVER', 'TO', '127.0.0.1', '6380')).toBe('OK');
    s.waitFor(() => s.info(6380).role === 'master' && s.info(6379).master_link_status === 'up', 5);
    expect(s.logs(6379, t0).slice(0, 2)).toEqual([
      'M * FAILOVER requested to 127.0.0.1:6380.',
      'M * Failover target 127.0.0.1:6380 is synced, failing over.',
    ]);
    expect(s.logs(6380, t0)[0]).toMatch(/^S # Failover request received for replid [0-9a-f]{40}\.$/);
    expect(s.logs(6380, t0).some((l) => /^M \* MASTER MODE enabled \(failover request from '.*cmd=psync.*'\)$/.test(l))).toBe(true);
    s.waitFor(() => s.info(6381).master_link_status === 'up', 5);
    expect(s.info(6379).master_failover_state).toBe('no-failover');
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
    expect(s.cmd(6381, 'GET', 'k')).toBe('v');
    // Everyone continued partially: no new full sync anywhere.
    const fullSyncs = [6379, 6380, 6381].flatMap((p) => s.logs(p, t0)).filter((l) => l.includes('Full resync'));
    expect(fullSyncs).toEqual([]);
  });

  it('answers its errors as 7.0.15 does', () => {
    const s = withReplicas(6380);
    expect(s.cmd(6381, 'FAILOVER')).toBe('-ERR FAILOVER requires connected replicas.');
    expect(s.cmd(6380, 'FAILOVER')).toBe('-ERR FAILOVER is not valid when server is a replica.');
    expect(s.cmd(6379, 'FAILOVER', 'TO', '127.0.0.1', '7000')).toBe('-ERR FAILOVER target HOST and PORT is not a replica.');
    expect(s.cmd(6379, 'FAILOVER', 'FORCE')).toBe('-ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    expect(s.cmd(6379, 'FAILOVER', 'TIMEOUT', '0')).toBe('-ERR FAILOVER timeout must be greater than 0');
    expect(s.cmd(6379, 'FAILOVER', 'ABORT')).toBe('-ERR No failover in progress.');
    expect(s.cmd(6379, 'FAILOVER', 'BOGUS')).toBe('-ERR syntax error');
  });

  it('aborts when the replica never catches up before the timeout, and can be aborted by hand', () => {
    const s = withReplicas(6380);
    s.sim('PARTITION', '6379', '6380');
    s.cmd(6379, 'SET', 'k', 'v');
    const t0 = s.mark();
    expect(s.cmd(6379, 'FAILOVER', 'TIMEOUT', '500')).toBe('OK');
    expect(s.info(6379).master_failover_state).toBe('waiting-for-sync');
    expect(s.cmd(6379, 'REPLICAOF', 'NO', 'ONE')).toBe('-ERR REPLICAOF not allowed while failing over.');
    s.run(2);
    expect(s.logs(6379, t0)).toContain('M * FAILOVER to any replica aborted: Replica never caught up before timeout');
    expect(s.info(6379).master_failover_state).toBe('no-failover');
    expect(s.cmd(6379, 'FAILOVER')).toBe('OK');
    expect(s.cmd(6379, 'FAILOVER', 'ABORT')).toBe('OK');
    expect(s.logs(6379, t0)).toContain('M * FAILOVER to any replica aborted: Failover manually aborted');
  });
});

describe('Refusals on masters and replicas', () => {
  it('min-replicas-to-write refuses writes with NOREPLICAS when too few replicas are good, and INFO counts them', () => {
    const s = withReplicas(6380);
    expect(s.cmd(6379, 'CONFIG', 'SET', 'min-replicas-to-write', '2')).toBe('OK');
    s.run(1.1);
    expect(s.cmd(6379, 'SET', 'k', 'v')).toBe('-NOREPLICAS Not enough good replicas to write.');
    expect(s.cmd(6379, 'GET', 'k')).toBe(null);
    expect(s.info(6379).min_slaves_good_slaves).toBe('1');
    expect(s.cmd(6379, 'CONFIG', 'SET', 'min-replicas-to-write', '1')).toBe('OK');
    s.run(1.1);
    expect(s.cmd(6379, 'SET', 'k', 'v')).toBe('OK');
  });

  it('replica-serve-stale-data no answers MASTERDOWN while the link is down, but INFO still works', () => {
    const s = new Scenario();
    s.cmd(6380, 'CONFIG', 'SET', 'replica-serve-stale-data', 'no');
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '7198');
    expect(s.cmd(6380, 'GET', 'k')).toBe("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    expect(s.cmd(6380, 'PING')).toBe("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    expect(s.info(6380).role).toBe('slave');
  });
});

describe('MONITOR', () => {
  it('shows what other clients run, and on a replica what its master sends, as 7.0.15 prints it', () => {
    const s = withReplicas(6380);
    const onMaster = s.pipeline(6379, [['MONITOR']]);
    const onReplica = s.pipeline(6380, [['MONITOR']]);
    s.cmd(6379, 'set', 'k', 'a b');
    s.cmd(6379, 'SELECT', '2');
    s.cmd(6379, 'CONFIG', 'GET', 'hz'); // admin commands are not shown
    s.run(0.1);
    const master = onMaster() as string[];
    expect(master[0]).toBe('OK');
    expect(master.slice(1)).toEqual([
      expect.stringMatching(/^\d{10}\.\d{6} \[0 127\.0\.0\.1:\d+\] "set" "k" "a b"$/),
      expect.stringMatching(/^\d{10}\.\d{6} \[2 127\.0\.0\.1:\d+\] "SELECT" "2"$/),
    ]);
    const replica = onReplica() as string[];
    expect(replica.slice(1)).toContainEqual(expect.stringMatching(/^\d{10}\.\d{6} \[0 127\.0\.0\.1:6379\] "set" "k" "a b"$/));
    expect(s.cmd(6379, 'CLIENT', 'LIST', 'TYPE', 'normal')).toMatch(/flags=O /);
  });
});

describe('masterauth', () => {
  it('lets a replica authenticate to a master with requirepass; a wrong one logs Unable to AUTH and retries', () => {
    const s = new Scenario();
    s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
    s.cmd(6379, 'SET', 'k', 'v');
    s.cmd(6379, 'CONFIG', 'SET', 'requirepass', 's3cret');
    s.cmd(6380, 'CONFIG', 'SET', 'masterauth', 'wrong');
    const t0 = s.mark();
    s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
    s.run(1.5);
    expect(s.logs(6380, t0)).toContain('S # Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.');
    expect(s.cmd(6380, 'ROLE')).toEqual(['slave', '127.0.0.1', 6379, expect.stringMatching(/^(connect|connecting|handshake)$/), -1]);
    s.cmd(6380, 'CONFIG', 'SET', 'masterauth', 's3cret');
    s.waitFor(() => s.info(6380).master_link_status === 'up', 10, 'link up');
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
  });
});

describe('WATCH', () => {
  it('aborts a transaction when another client, or the master\'s stream on a replica, changed a watched key', () => {
    const s = withReplicas(6380);
    const a = s.session(6379);
    a.send('WATCH', 'w');
    a.send('MULTI');
    a.send('INCR', 'w');
    s.cmd(6379, 'SET', 'w', '5');
    a.send('EXEC');
    expect(a.replies()).toEqual(['OK', 'OK', 'QUEUED', null]);
    // Unchanged since WATCH: it runs.
    a.send('WATCH', 'w');
    a.send('MULTI');
    a.send('INCR', 'w');
    a.send('EXEC');
    expect(a.replies()).toEqual(['OK', 'OK', 'QUEUED', [6]]);
    // On the replica, a write its master sends touches the key too.
    const b = s.session(6380);
    b.send('WATCH', 'w');
    b.send('MULTI');
    b.send('GET', 'w');
    s.cmd(6379, 'SET', 'w', '7');
    s.run(0.1);
    b.send('EXEC');
    expect(b.replies()).toEqual(['OK', 'OK', 'QUEUED', null]);
  });
});

describe('TIME and MODULE LOAD', () => {
  it('answers TIME from the node\'s clock, seconds and microseconds as bulk strings', () => {
    const s = new Scenario();
    s.run(1.5);
    const [sec, usec] = s.cmd(6379, 'TIME') as string[];
    const us = s.world.node(6379)!.options.clock.unixMs * 1000;
    expect(Number(sec) * 1_000_000 + Number(usec)).toBe(Math.floor(us));
    expect(usec).toMatch(/^\d{1,6}$/);
  });

  it('logs why a module cannot load, as redis-server 7.0.15 logs a dlopen failure (observed)', () => {
    const s = new Scenario({ directives: [['enable-module-command', 'yes']] });
    const t0 = s.mark();
    expect(s.cmd(6379, 'MODULE', 'LOAD', '/nonexistent/x.so')).toBe('-ERR Error loading the extension. Please check the server logs.');
    expect(s.cmd(6379, 'MODULE', 'LOADEX', '/x.so', 'FOO')).toBe('-ERR Error loading the extension. Please check the server logs.');
    expect(s.cmd(6379, 'MODULE', 'LOADEX', '/x.so', 'CONFIG', 'a')).toBe('-ERR Error loading the extension. Please check the server logs.');
    expect(s.cmd(6379, 'MODULE', 'LOAD', 'redis.conf')).toBe('-ERR Error loading the extension. Please check the server logs.');
    expect(s.logs(6379, t0)).toEqual([
      'M # Module /nonexistent/x.so failed to load: /nonexistent/x.so: cannot open shared object file: No such file or directory',
      'M * Syntax Error from arguments to loadex around FOO.',
      'M * CONFIG specified without name value pair',
      'M # Module redis.conf failed to load: It does not have execute permissions.',
    ]);
  });
});

describe('MEMORY DOCTOR', () => {
  it('reports a past peak of more than 150% of the memory now used, in Redis\'s words', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    expect(s.cmd(6379, 'DEBUG', 'POPULATE', '300000', 'a', '20')).toBe('OK');
    expect(s.cmd(6379, 'INFO', 'memory')).toMatch(/used_memory:\d+/); // the peak is taken when INFO or the cron looks
    expect(s.cmd(6379, 'DEBUG', 'POPULATE', '60000', 'b', '20')).toBe('OK');
    s.cmd(6379, 'EVAL', "for i = 0, 299999 do redis.call('del', 'a:' .. i) end return 1", '0');
    const report = s.cmd(6379, 'MEMORY', 'DOCTOR') as string;
    expect(report.startsWith('Sam, I detected a few issues in this Redis instance memory implants:\n\n * Peak memory: In the past this instance used more than 150% the memory that is currently using.')).toBe(true);
    expect(report.endsWith("\n\nI'm here to keep you safe, Sam. I want to help you.\n")).toBe(true);
  });
});
