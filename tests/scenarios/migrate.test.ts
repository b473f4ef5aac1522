// MIGRATE between simulated nodes, where virtual time shows what the real
// server does with time: the source process waits inside the command (a
// client's command that arrives meanwhile is answered after it), timeouts
// while connecting, writing and reading, the retry on a cached connection
// the target closed, the DEL it propagates, the connection cache's 10 s.
// The replies themselves are compared with real servers in tests/live/migrate.test.ts.
import { describe, expect, it } from 'vitest';
import { Scenario, masterAndReplica } from '../support/scenario.ts';
import { ReplyReader, encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';
import { plainReply } from '../support/world-client.ts';

/** A connection whose replies are noted with the virtual time they arrived at. */
function timedClient(s: Scenario, port: number) {
  const reader = new ReplyReader();
  const got: { reply: unknown; atUs: number }[] = [];
  const conn = s.world.connectExternal(port, {
    data: (b) => {
      reader.feed(b);
      for (let r = reader.next(); r; r = reader.next()) got.push({ reply: plainReply(r), atUs: s.world.nowUs });
    },
    closed: () => got.push({ reply: 'closed', atUs: s.world.nowUs }),
  });
  if (!conn) throw new Error(`node ${port} refused the connection`);
  return { send: (...args: string[]) => conn.write(encodeCommand(args.map(fromLatin1))), got };
}

describe('MIGRATE in the simulated world', () => {
  it('holds the whole source process until the target answers', () => {
    const s = new Scenario();
    s.sim('LATENCY', '6379', '6380', '50');
    s.cmd(6379, 'SET', 'k', 'v');
    const other = timedClient(s, 6379);
    // Another client's PING reaches the source 10 ms into the MIGRATE.
    s.world.schedule(10_000, () => other.send('PING'));
    const start = s.world.nowUs;
    const migrating = timedClient(s, 6379);
    migrating.send('MIGRATE', '127.0.0.1', '6380', 'k', '0', '5000');
    s.waitFor(() => migrating.got.length > 0 && other.got.length > 0, 5);
    expect(migrating.got[0]!.reply).toBe('OK');
    // Connect (one round trip) and the RESTORE's round trip: 200 ms with 50 ms each way.
    expect(migrating.got[0]!.atUs - start).toBe(200_000);
    expect(other.got[0]).toEqual({ reply: 'PONG', atUs: migrating.got[0]!.atUs });
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
  });

  it('times out connecting and then writing across a partition, and keeps the key', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    s.sim('PARTITION', '6379', '6380');
    const start = s.world.nowUs;
    const c = timedClient(s, 6379);
    c.send('MIGRATE', '127.0.0.1', '6380', 'k', '0', '100');
    s.waitFor(() => c.got.length > 0, 5);
    // connBlockingConnect waits its 100 ms, the write 100 ms more; a timeout is not retried.
    expect(c.got[0]).toEqual({ reply: '-IOERR error or timeout writing to target instance', atUs: start + 200_000 });
    expect(s.cmd(6379, 'EXISTS', 'k')).toBe(1);
    expect(s.info(6379, 'stats').migrate_cached_sockets).toBe('0');
  });

  it('times out reading from a target that sleeps, which restores the key when it wakes', () => {
    const s = new Scenario({ directives: [['enable-debug-command', 'yes']] });
    s.cmd(6379, 'SET', 'k', 'v');
    const sleeper = s.send(6380, 'DEBUG', 'SLEEP', '1');
    const c = timedClient(s, 6379);
    const start = s.world.nowUs;
    c.send('MIGRATE', '127.0.0.1', '6380', 'k', '0', '200');
    s.waitFor(() => c.got.length > 0, 5);
    // The connect's round trip (0.1 ms each way by default), then 200 ms without a byte of reply.
    expect(c.got[0]).toEqual({ reply: '-IOERR error or timeout reading to target instance', atUs: start + 200_200 });
    expect(s.cmd(6379, 'EXISTS', 'k')).toBe(1);
    s.waitFor(() => sleeper() === 'OK', 5);
    expect(s.cmd(6380, 'GET', 'k')).toBe('v');
  });

  it('retries once with a new connection when the cached one was closed by a restarted target', () => {
    const s = new Scenario();
    s.cmd(6379, 'MSET', 'a', '1', 'b', '2');
    expect(s.cmd(6379, 'MIGRATE', '127.0.0.1', '6380', 'a', '0', '1000')).toBe('OK');
    expect(s.info(6379, 'stats').migrate_cached_sockets).toBe('1');
    s.sim('KILL', '6380');
    s.sim('START', '6380');
    s.run(0.1);
    expect(s.cmd(6379, 'MIGRATE', '127.0.0.1', '6380', 'b', '0', '1000')).toBe('OK');
    expect(s.cmd(6380, 'GET', 'b')).toBe('2');
    // A target that is gone for good: the retry fails too, on the write (the connect itself "succeeds").
    s.sim('KILL', '6380');
    s.cmd(6379, 'SET', 'c', '3');
    expect(s.cmd(6379, 'MIGRATE', '127.0.0.1', '6380', 'c', '0', '1000')).toBe('-IOERR error or timeout writing to target instance');
    expect(s.info(6379, 'stats').migrate_cached_sockets).toBe('0');
  });

  it('closes a connection unused for more than 10 seconds', () => {
    const s = new Scenario();
    s.cmd(6379, 'SET', 'k', 'v');
    expect(s.cmd(6379, 'MIGRATE', '127.0.0.1', '6380', 'k', '0', '1000')).toBe('OK');
    s.run(10);
    expect(s.info(6379, 'stats').migrate_cached_sockets).toBe('1');
    s.run(2);
    expect(s.info(6379, 'stats').migrate_cached_sockets).toBe('0');
  });

  it('propagates the keys it moved as DEL, and nothing with COPY', () => {
    const s = masterAndReplica();
    s.cmd(6379, 'MSET', 'a', '1', 'b', '2', 'c', '3');
    s.waitFor(() => s.cmd(6380, 'DBSIZE') === 3, 5);
    const before = Number(s.info(6379).master_repl_offset);
    expect(s.cmd(6379, 'MIGRATE', '127.0.0.1', '6381', '', '0', '1000', 'KEYS', 'a', 'b', 'missing')).toBe('OK');
    // *3\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n: the DEL of the two keys the target took.
    expect(Number(s.info(6379).master_repl_offset) - before).toBe('*3\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n'.length);
    s.waitFor(() => s.cmd(6380, 'DBSIZE') === 1, 5);
    const mid = Number(s.info(6379).master_repl_offset);
    expect(s.cmd(6379, 'MIGRATE', '127.0.0.1', '6381', 'c', '0', '1000', 'COPY')).toBe('OK');
    expect(Number(s.info(6379).master_repl_offset)).toBe(mid);
    expect(s.cmd(6381, 'MGET', 'a', 'b', 'c')).toEqual(['1', '2', '3']);
  });

  it('answers nothing when the source is killed while it waits, and the world goes on', () => {
    const s = new Scenario();
    s.sim('LATENCY', '6379', '6380', '50');
    s.cmd(6379, 'SET', 'k', 'v');
    s.world.schedule(30_000, () => s.sim('KILL', '6379'));
    const c = timedClient(s, 6379);
    c.send('MIGRATE', '127.0.0.1', '6380', 'k', '0', '5000');
    s.waitFor(() => c.got.length > 0, 5);
    expect(c.got[0]!.reply).toBe('closed');
    expect(s.cmd(6380, 'PING')).toBe('PONG');
    s.sim('START', '6379');
    expect(s.cmd(6379, 'PING')).toBe('PONG');
  });
});
