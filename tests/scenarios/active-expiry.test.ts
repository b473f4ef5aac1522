// Active expiry in virtual time (expire.c's activeExpireCycle and
// expireSlaveKeys, as src/engine/expire.ts runs them): keys whose TTL has
// passed vanish on a master without being touched, each as a DEL in the
// replication stream; a replica never expires its master's keys, it only
// hides them until the DEL arrives; a writable replica expires the keys it
// gave a TTL itself. And DEBUG SLEEP, which stops a node for a while of
// virtual time while the world goes on.
import { describe, expect, it } from 'vitest';
import { Scenario } from '../support/scenario.ts';
import { latin1 } from '../../src/engine/bytes.ts';

/** A master on 6379 with a replica on 6380 in sync. */
function synced(): Scenario {
  const s = new Scenario();
  for (const port of [6379, 6380, 6381]) s.world.node(port)!.config.replDisklessSyncDelay = 0;
  s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => /state=online/.test(s.info(6379).slave0 ?? ''), 10, 'replica online');
  s.run(1.1);
  return s;
}

/** The commands the master put in its replication stream after `offset`, each as its words. */
function streamSince(s: Scenario, port: number, offset: number): string[][] {
  const bytes = latin1(s.world.node(port)!.replication.backlog!.readAll(offset + 1));
  const out: string[][] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes[at] === '\n') {
      at++; // a newline keepalive
      continue;
    }
    const n = Number(bytes.slice(at + 1, bytes.indexOf('\r\n', at)));
    at = bytes.indexOf('\r\n', at) + 2;
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = Number(bytes.slice(at + 1, bytes.indexOf('\r\n', at)));
      at = bytes.indexOf('\r\n', at) + 2;
      words.push(bytes.slice(at, at + len));
      at += len + 2;
    }
    out.push(words);
  }
  return out;
}

const offsetOf = (s: Scenario, port: number) => Number(s.info(port).master_repl_offset);

describe('Active expiry on a master', () => {
  it('deletes keys whose TTL has passed without any command touching them, each propagated as a bare DEL', () => {
    const s = synced();
    const before = offsetOf(s, 6379);
    for (let i = 0; i < 60; i++) s.cmd(6379, 'SET', `k${i}`, 'v', 'PX', String(200 + i * 10));
    s.cmd(6379, 'SET', 'keep', 'v');
    const afterWrites = offsetOf(s, 6379);
    expect(s.cmd(6379, 'DBSIZE')).toBe(61);
    s.run(2);
    expect(s.cmd(6379, 'DBSIZE')).toBe(1);
    expect(s.info(6379, 'stats').expired_keys).toBe('60');
    const dels = streamSince(s, 6379, afterWrites).filter((c) => c[0] !== 'PING');
    expect(dels).toHaveLength(60);
    expect(dels.every((c) => c.length === 2 && c[0] === 'DEL')).toBe(true);
    expect(new Set(dels.map((c) => c[1]))).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `k${i}`)));
    expect(afterWrites).toBeGreaterThan(before);
    // The replica applied the DELs; it expired nothing itself.
    s.waitFor(() => s.cmd(6380, 'DBSIZE') === 1, 2, 'DELs applied on the replica');
    expect(s.info(6380, 'stats').expired_keys).toBe('0');
    expect(s.info(6379, 'keyspace').db0).toBe('keys=1,expires=0,avg_ttl=0');
  });

  it('propagates UNLINK instead of DEL with lazyfree-lazy-expire', () => {
    const s = synced();
    s.cmd(6379, 'CONFIG', 'SET', 'lazyfree-lazy-expire', 'yes');
    s.cmd(6379, 'SET', 'k', 'v', 'PX', '100');
    const offset = offsetOf(s, 6379);
    s.run(0.5);
    expect(streamSince(s, 6379, offset).filter((c) => c[0] !== 'PING')).toEqual([['UNLINK', 'k']]);
  });

  it('estimates avg_ttl from its samples and leaves keys with time left alone', () => {
    const s = new Scenario();
    for (let i = 0; i < 30; i++) s.cmd(6379, 'SET', `k${i}`, 'v', 'EX', '100');
    expect(s.info(6379, 'keyspace').db0).toBe('keys=30,expires=30,avg_ttl=0');
    s.run(1);
    const avg = Number(/avg_ttl=(\d+)/.exec(s.info(6379, 'keyspace').db0)![1]);
    expect(avg).toBeGreaterThan(98_000);
    expect(avg).toBeLessThanOrEqual(100_000);
    expect(s.cmd(6379, 'DBSIZE')).toBe(30);
    expect(s.info(6379, 'stats').expired_stale_perc).toBe('0.00');
  });

  it('does nothing after DEBUG SET-ACTIVE-EXPIRE 0, and a touched key still expires lazily', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    expect(s.cmd(6379, 'DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    s.cmd(6379, 'SET', 'a', 'v', 'PX', '100');
    s.cmd(6379, 'SET', 'b', 'v', 'PX', '100');
    s.run(1);
    expect(s.cmd(6379, 'DBSIZE')).toBe(2);
    expect(s.cmd(6379, 'GET', 'a')).toBe(null);
    expect(s.cmd(6379, 'DBSIZE')).toBe(1);
    expect(s.cmd(6379, 'DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('OK');
    s.run(0.3);
    expect(s.cmd(6379, 'DBSIZE')).toBe(0);
  });

  it('hits its time limit when most sampled keys have expired, and the fast cycle helps between ticks', () => {
    const s = new Scenario();
    const node = s.world.node(6379)!;
    for (let i = 0; i < 60_000; i++) node.keyspace.dbs[0].set(`k${i}`, { type: 'string', bytes: new Uint8Array(1), encoding: 'embstr' });
    for (let i = 0; i < 60_000; i++) node.keyspace.dbs[0].setExpire(`k${i}`, node.keyspace.nowMs + 50);
    s.run(0.15); // one cron tick after the keys expired
    const stats = s.info(6379, 'stats');
    expect(Number(stats.expired_time_cap_reached_count)).toBeGreaterThan(0);
    const left = s.cmd(6379, 'DBSIZE') as number;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(60_000);
    s.waitFor(() => s.cmd(6379, 'DBSIZE') === 0, 5, 'every key expired');
    expect(s.info(6379, 'stats').expired_keys).toBe('60000');
  });
});

describe('Expiry on a replica', () => {
  it('hides its master\'s expired keys but keeps them until the DEL arrives', () => {
    const s = synced();
    s.cmd(6379, 'SET', 'k', 'v', 'PX', '300');
    s.cmd(6379, 'SET', 'keep', 'v');
    s.waitFor(() => s.cmd(6380, 'DBSIZE') === 2, 2, 'keys replicated');
    // The master's DEL cannot reach the replica for a while.
    s.sim('PARTITION', '6379', '6380');
    s.run(1);
    expect(s.cmd(6379, 'DBSIZE')).toBe(1);
    expect(s.cmd(6380, 'DBSIZE')).toBe(2);
    expect(s.cmd(6380, 'GET', 'k')).toBe(null);
    expect(s.cmd(6380, 'EXISTS', 'k')).toBe(0);
    expect(s.cmd(6380, 'TTL', 'k')).toBe(-2);
    expect(s.info(6380, 'stats').expired_keys).toBe('0');
    expect(s.cmd(6380, 'DBSIZE')).toBe(2);
    s.sim('HEAL', '6379', '6380');
    s.waitFor(() => s.cmd(6380, 'DBSIZE') === 1, 5, 'the DEL applied');
    expect(s.info(6380, 'stats').expired_keys).toBe('0');
  });

  it('when writable, expires the keys it gave a TTL itself, and not its master\'s', () => {
    const s = synced();
    s.cmd(6380, 'CONFIG', 'SET', 'replica-read-only', 'no');
    s.cmd(6379, 'SET', 'theirs', 'v', 'PX', '300');
    s.waitFor(() => s.cmd(6380, 'EXISTS', 'theirs') === 1, 2, 'key replicated');
    expect(s.cmd(6380, 'SET', 'mine', 'v', 'PX', '300')).toBe('OK');
    expect(s.cmd(6380, 'SET', 'mine2', 'v')).toBe('OK');
    expect(s.cmd(6380, 'EXPIRE', 'mine2', '1')).toBe(1);
    expect(s.info(6380, 'stats').slave_expires_tracked_keys).toBe('2');
    s.sim('PARTITION', '6379', '6380');
    s.run(1.5);
    // Its own keys are gone, counted as expired; the master's waits for its DEL.
    expect(s.cmd(6380, 'KEYS', '*')).toEqual([]);
    expect(s.cmd(6380, 'DBSIZE')).toBe(1);
    expect(s.info(6380, 'stats').expired_keys).toBe('2');
    expect(s.info(6380, 'stats').slave_expires_tracked_keys).toBe('0');
    s.sim('HEAL', '6379', '6380');
    s.waitFor(() => s.cmd(6380, 'DBSIZE') === 0, 5, 'the master\'s DEL applied');
  });

  it('a writable replica forgets the keys it tracked when a full sync flushes its data', () => {
    const s = synced();
    s.cmd(6380, 'CONFIG', 'SET', 'replica-read-only', 'no');
    s.cmd(6380, 'SET', 'mine', 'v', 'EX', '100');
    expect(s.info(6380, 'stats').slave_expires_tracked_keys).toBe('1');
    s.cmd(6380, 'FLUSHALL');
    expect(s.info(6380, 'stats').slave_expires_tracked_keys).toBe('0');
  });
});

describe('DEBUG SLEEP', () => {
  it('stops the node for that much virtual time: its replies and cron wait, other nodes go on', () => {
    const s = synced();
    for (const port of [6379, 6380]) s.world.node(port)!.config.enableDebugCommand = 'yes';
    s.cmd(6379, 'SET', 'k', 'v', 'PX', '100');
    const start = s.world.nowUs;
    const sleeping = s.pipeline(6379, [['DEBUG', 'SLEEP', '2'], ['PING']]);
    const other = s.send(6379, 'GET', 'nokey');
    s.run(1);
    // Nothing from the sleeping node; the key has not expired on it (no cron); the replica answers.
    expect(sleeping()).toEqual([]);
    expect(other()).toBe(undefined);
    expect(s.cmd(6380, 'PING')).toBe('PONG');
    expect(s.world.node(6379)!.keyspace.dbs[0].size).toBe(1);
    s.waitFor(() => (sleeping() as unknown[]).length === 2, 3, 'the replies after the sleep');
    expect(s.world.nowUs - start).toBeGreaterThanOrEqual(2_000_000);
    expect(sleeping()).toEqual(['OK', 'PONG']);
    s.waitFor(() => other() !== undefined, 1, 'the other client served');
    expect(other()).toBe(null);
    s.run(0.3);
    expect(s.cmd(6379, 'DBSIZE')).toBe(0);
  });

  it('goes into the slow log with the virtual time it held the node, as a real DEBUG SLEEP does', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    expect(s.cmd(6379, 'CONFIG', 'SET', 'slowlog-log-slower-than', '50000')).toBe('OK');
    s.cmd(6379, 'PING');
    const sleeping = s.send(6379, 'DEBUG', 'SLEEP', '0.1');
    s.waitFor(() => sleeping() !== undefined, 1, 'the sleep');
    const entries = s.cmd(6379, 'SLOWLOG', 'GET') as unknown[][];
    // The PING and the CONFIG SET took no time; the sleep took 100 ms of the node's time.
    expect(entries.map((e) => [e[2], e[3]])).toEqual([[100000, ['DEBUG', 'SLEEP', '0.1']]]);
    expect(s.cmd(6379, 'CONFIG', 'SET', 'slowlog-log-slower-than', '-1')).toBe('OK');
    const again = s.send(6379, 'DEBUG', 'SLEEP', '0.1');
    s.waitFor(() => again() !== undefined, 1, 'the second sleep');
    expect(s.cmd(6379, 'SLOWLOG', 'LEN')).toBe(1);
  });

  it('logs a blocked command in the slow log when it is answered, after the write that served it (updateStatsOnUnblock)', () => {
    const s = new Scenario();
    expect(s.cmd(6379, 'CONFIG', 'SET', 'slowlog-log-slower-than', '0')).toBe('OK');
    const pop = s.send(6379, 'BLPOP', 'bl', '0');
    s.run(0.1);
    expect(pop()).toBeUndefined();
    expect(s.cmd(6379, 'RPUSH', 'bl', 'x')).toBe(1);
    s.waitFor(() => pop() !== undefined, 1, 'the pop');
    const entries = s.cmd(6379, 'SLOWLOG', 'GET', '3') as unknown[][];
    expect(entries.map((e) => e[3])).toEqual([['BLPOP', 'bl', '0'], ['RPUSH', 'bl', 'x'], ['CONFIG', 'SET', 'slowlog-log-slower-than', '0']]);
  });

  it('is a "command" latency event: LATENCY LATEST, DOCTOR and GRAPH as redis-server 7.0.15 printed them for the same', () => {
    // Observed on redis-server 7.0.15: CONFIG SET latency-monitor-threshold 10, DEBUG SLEEP 0.05, then these.
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    expect(s.cmd(6379, 'LATENCY', 'DOCTOR')).toMatch(/^I'm sorry, Dave, I can't do that\. Latency monitoring is disabled/);
    expect(s.cmd(6379, 'CONFIG', 'SET', 'latency-monitor-threshold', '10')).toBe('OK');
    expect(s.cmd(6379, 'LATENCY', 'DOCTOR')).toBe(
      'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n',
    );
    const sleeping = s.send(6379, 'DEBUG', 'SLEEP', '0.05');
    s.waitFor(() => sleeping() !== undefined, 1, 'the sleep');
    const now = Math.floor(s.world.node(6379)!.options.clock.unixMs / 1000);
    const [latest] = s.cmd(6379, 'LATENCY', 'LATEST') as unknown[][];
    expect(latest[0]).toBe('command');
    expect(now - (latest[1] as number)).toBeLessThanOrEqual(1);
    expect(latest.slice(2)).toEqual([50, 50]);
    expect(s.cmd(6379, 'LATENCY', 'DOCTOR')).toBe(
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
        '1. command: 1 latency spikes (average 50ms, mean deviation 0ms, period 1.00 sec). Worst all time event 50ms.\n' +
        '\nI have a few advices for you:\n\n' +
        '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n' +
        '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
    );
    expect(s.cmd(6379, 'LATENCY', 'GRAPH', 'command')).toBe(
      'command - high 50 ms, low 50 ms (all time high 50 ms)\n' + '-'.repeat(80) + '\n \n \n \n_\n \n0\ns\n',
    );
    expect(s.cmd(6379, 'CONFIG', 'SET', 'slowlog-log-slower-than', '-1')).toBe('OK');
    expect(s.cmd(6379, 'LATENCY', 'DOCTOR')).toContain(
      "\n- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than 10000'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n- Check your Slow Log",
    );
    expect(s.cmd(6379, 'LATENCY', 'HISTORY', 'command')).toEqual([[latest[1], 50]]);
    expect(s.cmd(6379, 'LATENCY', 'RESET', 'command')).toBe(1);
    expect(s.cmd(6379, 'LATENCY', 'RESET')).toBe(0);
    expect(s.cmd(6379, 'LATENCY', 'GRAPH', 'command')).toBe("-ERR No samples available for event 'command'");
  });

  it('answers at once for 0, a negative or a bad number of seconds', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    for (const arg of ['0', '-1', 'abc', 'inf']) expect(s.cmd(6379, 'DEBUG', 'SLEEP', arg)).toBe('OK');
  });
});
