// Blocking commands across nodes and time: timeouts in virtual time with
// Redis's resolution, served pops replicated as their non-blocking form, a
// writable replica serving its own blocked clients from its master's
// stream, REPLICAOF ending every wait, and CLIENT PAUSE holding a replica's
// master link. Single-node behaviour is in the blocking golden transcript
// and stream golden; the same against real servers in
// tests/live/blocking.test.ts.
import { describe, expect, it } from 'vitest';
import { masterAndReplica, Scenario } from '../support/scenario.ts';

/** Runs the world until the session got a reply; the virtual time it came at (µs). */
function replyTime(s: Scenario, replies: () => unknown[], got: unknown[], maxSeconds = 5): number {
  s.waitFor(() => got.push(...replies()) > 0, maxSeconds, 'a reply');
  return s.world.nowUs;
}

describe('timeouts in virtual time', () => {
  it('answers a BLPOP with a 0.1 s timeout with a null array at the first check after its deadline, not before', () => {
    const s = new Scenario();
    const c = s.session(6379);
    const start = s.world.nowUs;
    c.send('BLPOP', 'k', '0.1');
    s.run(0.1);
    expect(c.replies()).toEqual([]);
    const got: unknown[] = [];
    const at = replyTime(s, c.replies, got);
    expect(got).toEqual([null]);
    // beforeSleep runs after each cron tick (hz 10): within one tick after the deadline.
    expect(at - start).toBeGreaterThan(100_000);
    expect(at - start).toBeLessThanOrEqual(200_000 + 10_000);
    expect(s.info(6379, 'clients').blocked_clients).toBe('0');
  });

  it('runs what a client sent while it waited right after its timeout', () => {
    const s = new Scenario();
    const c = s.session(6379);
    c.send('BLPOP', 'k', '0.05');
    c.send('RPUSH', 'k', 'mine');
    c.send('LLEN', 'k');
    s.waitFor(() => s.cmd(6379, 'EXISTS', 'k') === 1, 2);
    expect(c.replies()).toEqual([null, 1, 1]);
  });

  it('times out two clients with one deadline in the order they blocked, and leaves a longer one waiting', () => {
    const s = new Scenario();
    const a = s.session(6379);
    const b = s.session(6379);
    const long = s.session(6379);
    a.send('BLPOP', 'k', '0.2');
    b.send('BZPOPMIN', 'z', '0.2');
    long.send('BLPOP', 'k', '5');
    expect(s.info(6379, 'clients').clients_in_timeout_table).toBe('3');
    const got: unknown[] = [];
    replyTime(s, a.replies, got);
    expect([got, b.replies(), long.replies()]).toEqual([[null], [null], []]);
    expect(s.info(6379, 'clients')).toMatchObject({ blocked_clients: '1', clients_in_timeout_table: '1' });
  });
});

describe('blocked clients and replication', () => {
  it('replicates a served BLPOP as LPOP after the push that served it, so the replica has what the master has', () => {
    const s = masterAndReplica();
    const c = s.session(6379);
    c.send('BLPOP', 'q', '0');
    s.run(0.01);
    expect(s.cmd(6379, 'RPUSH', 'q', 'a', 'b')).toBe(2);
    expect(c.replies()).toEqual([['q', 'a']]);
    s.waitFor(() => s.info(6380).master_repl_offset === s.info(6379).master_repl_offset, 5, 'the replica to catch up');
    expect(s.cmd(6380, 'LRANGE', 'q', '0', '-1')).toEqual(['b']);
  });

  it('serves a writable replica\'s own blocked client from its master\'s push, and the replica then differs from its master', () => {
    const s = masterAndReplica();
    s.cmd(6380, 'CONFIG', 'SET', 'replica-read-only', 'no');
    const c = s.session(6380);
    c.send('BLPOP', 'rk', '0');
    s.run(0.01);
    expect(s.info(6380, 'clients').blocked_clients).toBe('1');
    s.cmd(6379, 'RPUSH', 'rk', 'a', 'b');
    const got: unknown[] = [];
    replyTime(s, c.replies, got);
    expect(got).toEqual([['rk', 'a']]);
    expect(s.cmd(6380, 'LRANGE', 'rk', '0', '-1')).toEqual(['b']);
    expect(s.cmd(6379, 'LRANGE', 'rk', '0', '-1')).toEqual(['a', 'b']);
  });

  it('refuses BLPOP on a read-only replica', () => {
    const s = masterAndReplica();
    expect(s.cmd(6380, 'BLPOP', 'k', '0')).toBe("-READONLY You can't write against a read only replica.");
  });

  it('ends every wait on a master that becomes a replica with -UNBLOCKED and closes those connections', () => {
    const s = new Scenario();
    const probe = s.send(6381, 'BLPOP', 'k', '0');
    const zprobe = s.send(6381, 'BZPOPMIN', 'z', '10');
    s.run(0.01);
    expect(probe()).toBeUndefined();
    expect(s.cmd(6381, 'REPLICAOF', '127.0.0.1', '6379')).toBe('OK');
    const unblocked = '-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)';
    expect([probe(), zprobe()]).toEqual([unblocked, unblocked]);
    expect(s.info(6381, 'clients')).toMatchObject({ connected_clients: '1', blocked_clients: '0' });
  });
});

describe('CLIENT PAUSE on a replica', () => {
  it("holds its master's stream, the offset with it, until the pause ends, then applies what waited", () => {
    const s = masterAndReplica();
    expect(s.cmd(6380, 'CLIENT', 'PAUSE', '500', 'WRITE')).toBe('OK');
    s.cmd(6379, 'SET', 'x', '1');
    s.run(0.2);
    expect(s.cmd(6380, 'GET', 'x')).toBe(null);
    // The SELECT before it was applied (not a write); the SET waits, unapplied and uncounted.
    const setBytes = '*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n'.length;
    expect(Number(s.info(6380).master_repl_offset)).toBe(Number(s.info(6379).master_repl_offset) - setBytes);
    // Our master's link shows as blocked, with the command it waits to run.
    const link = String(s.cmd(6380, 'CLIENT', 'LIST', 'TYPE', 'master'));
    expect(link).toMatch(/ flags=Mb .* cmd=set /);
    s.waitFor(() => s.cmd(6380, 'GET', 'x') === '1', 2, 'the write to reach the replica');
    expect(s.info(6380).master_repl_offset).toBe(s.info(6379).master_repl_offset);
  });
});
