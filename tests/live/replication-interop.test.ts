// Replication between `npm run serve` and real redis-server 7.0.15 over
// real TCP, both ways: the bytes on the wire are the real protocol and a
// real RDB, so each side ends with the other's dataset and offset.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serve } from '../support/serve.ts';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { waitFor } from '../support/wait.ts';

const cli = (port: number, ...args: string[]): string => {
  const r = spawnSync('redis-cli', ['--no-raw', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  return r.stdout;
};
const raw = (port: number, ...args: string[]): string =>
  spawnSync('redis-cli', ['--raw', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 }).stdout;

function info(port: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw(port, 'INFO', 'replication').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** Every key of db 0 with its value, sorted (strings only in these datasets). */
function dataset(port: number): string[] {
  const keys = raw(port, 'KEYS', '*').split('\n').filter(Boolean).sort();
  return keys.map((k) => `${k}=${cli(port, 'GET', k).trim()}`);
}

let serve: Serve;
const started: RealRedis[] = [];

beforeAll(async () => {
  serve = await startServe(2);
});

afterAll(async () => {
  for (const r of started) await r.stop();
  await serve?.stop();
});

describe('replication between serve and a real redis-server', () => {
  it('a real redis-server 7.0.15 replicates from a simulated node and ends with the same dataset and offset', async () => {
    const master = serve.port;
    for (let i = 0; i < 50; i++) cli(master, 'SET', `before:${i}`, `v${i}`);
    const replica = await startRealRedis(['--replicaof', '127.0.0.1', String(master), '--repl-diskless-load', 'disabled']);
    started.push(replica);
    await waitFor('the real replica to be in sync', () => info(replica.port).master_link_status === 'up', 20_000);
    // Writes after the sync travel in the replication stream.
    for (let i = 0; i < 20; i++) cli(master, 'SET', `after:${i}`, `w${i}`);
    cli(master, 'INCR', 'counter');
    cli(master, 'DEL', 'before:0');
    await waitFor('equal offsets', () => info(replica.port).master_repl_offset === info(master).master_repl_offset, 20_000);
    expect(dataset(replica.port)).toEqual(dataset(master));
    expect(info(replica.port).master_replid).toBe(info(master).master_replid);
    expect(info(master).slave0).toMatch(new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica.port},state=online,offset=\\d+,lag=\\d+$`));
  });

  it('a simulated node replicates from a real redis-server 7.0.15 and ends with the same dataset and offset', async () => {
    const master = await startRealRedis(['--repl-diskless-sync-delay', '0']);
    started.push(master);
    for (let i = 0; i < 50; i++) cli(master.port, 'SET', `m:${i}`, `x${i}`);
    const replica = serve.port + 1;
    expect(cli(replica, 'REPLICAOF', '127.0.0.1', String(master.port))).toBe('OK\n');
    await waitFor('the simulated replica to be in sync', () => info(replica).master_link_status === 'up', 20_000);
    for (let i = 0; i < 20; i++) cli(master.port, 'SET', `n:${i}`, `y${i}`);
    cli(master.port, 'INCR', 'counter');
    cli(master.port, 'SET', 'ttl', 'v', 'EX', '1000');
    await waitFor('equal offsets', () => info(replica).master_repl_offset === info(master.port).master_repl_offset, 20_000);
    expect(dataset(replica)).toEqual(dataset(master.port));
    expect(info(replica).master_replid).toBe(info(master.port).master_replid);
    expect(info(master.port).slave0).toMatch(new RegExp(`^ip=127\\.0\\.0\\.1,port=${replica},state=online`));
  });

  it('a command its master sends that it cannot run is logged as a real replica logs it, with the latest backlog', async () => {
    const master = await startRealRedis(['--repl-diskless-sync-delay', '0', '--enable-debug-command', 'yes']);
    started.push(master);
    const realReplica = await startRealRedis(['--replicaof', '127.0.0.1', String(master.port)]);
    started.push(realReplica);
    const replica = serve.port + 1;
    cli(replica, 'REPLICAOF', '127.0.0.1', String(master.port));
    await waitFor('both replicas in sync', () => info(replica).master_link_status === 'up' && info(realReplica.port).master_link_status === 'up', 20_000);
    cli(master.port, 'SET', 'a', '1');
    cli(master.port, 'DEBUG', 'REPLICATE', 'fake-command-1');
    cli(master.port, 'SET', 'b', '2');
    // Both replicas applied the last write (an equal offset alone may be seen before the stream arrived).
    await waitFor('the last write on both replicas', () => cli(replica, 'GET', 'b') === '"2"\n' && cli(realReplica.port, 'GET', 'b') === '"2"\n', 20_000);
    const critical = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.includes('CRITICAL') || l.includes('Latest backlog'))
        .map((l) => l.replace(/^.*?\d\d:\d\d:\d\d\.\d{3} /, ''));
    const fs = await import('node:fs');
    const real = critical(fs.readFileSync(`${realReplica.dir}/redis.log`, 'utf8'));
    // serve's log reaches this process through a pipe: wait for the lines rather than read at once.
    await waitFor('the replica\'s CRITICAL lines', () => critical(serve.output()).length >= 2, 5000);
    const ours = critical(serve.output()).slice(-2);
    expect(real).toHaveLength(2);
    expect(ours).toEqual(real);
    expect(cli(replica, 'GET', 'b')).toBe('"2"\n');
  });
});
