// A diskless load cut short, against redis-server 7.0.15: a replica with
// repl-diskless-load on-empty-db or swapdb starts a full sync from a master
// slowed by rdb-key-save-delay, and the master is killed (the connection
// closes) or stopped (SIGSTOP; in the world, SIM PARTITION: nothing more
// comes, and the replica's blocking read times out after repl-timeout).
// Redis parses the RDB as it reads the socket, so its "Flushing old data"
// and the RDB's AUX lines come at once, and the cut is a short read that it
// reports without exiting. The replica's lines from "receiving streamed
// RDB" to its reconnection must be the real replica's, and what it keeps
// (nothing, or with swapdb its old data) too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startRealRedis } from '../support/real-redis.ts';
import { startServe } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { waitFor } from '../support/wait.ts';

const stops: (() => Promise<unknown>)[] = [];
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-cut-'));

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  fs.rmSync(base, { recursive: true, force: true });
});

async function command(port: number, ...args: string[]): Promise<string> {
  const c = await RawClient.connect(port);
  try {
    const reply = await c.command(...args);
    if (reply.type === 'status' || reply.type === 'error') return Buffer.from(reply.text).toString('latin1');
    if (reply.type === 'integer') return String(reply.value);
    if (reply.type === 'bulk') return Buffer.from(reply.value).toString('latin1');
    return reply.type;
  } finally {
    c.close();
  }
}

/** The replica's lines from the streamed RDB's start to its reconnection, without pids, times and ports. */
function cutLines(log: string): string[] {
  const lines = log.split('\n').map((l) => l.replace(/^\d+:(\w) \d\d \w{3} \d{4} [\d:.]+ (.) /, '$1 $2 '));
  const from = lines.findIndex((l) => l.includes('receiving streamed RDB'));
  const reconnect = lines.findIndex((l, i) => i > from && l.includes('after failure'));
  let to = reconnect + 2; // and its "sync started"
  if (lines[to]?.includes('Discarding temporary DB')) to++;
  return lines.slice(from, to).map((l) => l.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/RDB age \d+/, 'RDB age N').replace(/[\d.]+ Mb/, 'N Mb'));
}

const SLOW_MASTER = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0', '--enable-debug-command', 'yes'];

describe('a diskless load cut short, against redis-server', () => {
  for (const [load, how] of [['on-empty-db', 'kill'], ['swapdb', 'kill'], ['on-empty-db', 'stop']] as const) {
    it(`logs and keeps what the real replica does: repl-diskless-load ${load}, master ${how === 'kill' ? 'killed' : 'silent'}`, async () => {
      // --- the real pair
      const master = await startRealRedis(SLOW_MASTER);
      stops.push(async () => {
        master.process.kill('SIGCONT');
        await master.stop();
      });
      const replica = await startRealRedis(['--repl-diskless-load', load, '--repl-timeout', '3']);
      stops.push(() => replica.stop());
      const realLog = path.join(replica.dir, 'redis.log');
      // --- the world's pair: 6379-like master on serve.port, replica on the next
      const logDir = path.join(base, `${load}-${how}`);
      const serve = await startServe(2, [...SLOW_MASTER, '--log-dir', logDir], true);
      stops.push(() => serve.stop());
      const [simMaster, simReplica] = [serve.port, serve.port + 1];
      const simLog = path.join(logDir, `${simReplica}.log`);

      for (const [m, r] of [[master.port, replica.port], [simMaster, simReplica]]) {
        expect(await command(m!, 'DEBUG', 'POPULATE', '20000', 'key', '100')).toBe('OK');
        await command(m!, 'CONFIG', 'SET', 'rdb-key-save-delay', '200');
        await command(r!, 'CONFIG', 'SET', 'repl-diskless-load', load);
        await command(r!, 'CONFIG', 'SET', 'repl-timeout', '3');
        if (load === 'swapdb') await command(r!, 'SET', 'local', '1');
        await command(r!, 'REPLICAOF', '127.0.0.1', String(m));
      }
      const started = (file: string) => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('receiving streamed RDB');
      await waitFor('the real transfer', () => started(realLog), 10_000);
      master.process.kill(how === 'kill' ? 'SIGKILL' : 'SIGSTOP');
      await waitFor('the simulated transfer', () => started(simLog), 10_000);
      const sim = how === 'kill' ? ['SIM', 'KILL', String(simMaster)] : ['SIM', 'PARTITION', String(simMaster), String(simReplica)];
      expect(spawnSync('redis-cli', ['-p', String(serve.controlPort), ...sim], { encoding: 'utf8' }).stdout).toBe('OK\n');

      const failed = (file: string) => fs.readFileSync(file, 'utf8').includes('Discarding temporary DB') || /after failure\n.*sync started/.test(fs.readFileSync(file, 'utf8').split('Failed trying to load')[1] ?? '');
      await waitFor('the real replica to give up the load', () => failed(realLog), 15_000);
      await waitFor('the simulated replica to give up the load', () => failed(simLog), 15_000);
      const expected = cutLines(fs.readFileSync(realLog, 'utf8'));
      expect(expected).toContain('S # Short read or OOM loading DB. Unrecoverable error, aborting now.');
      expect(cutLines(fs.readFileSync(simLog, 'utf8'))).toEqual(expected);
      expect(await command(simReplica, 'DBSIZE')).toBe(await command(replica.port, 'DBSIZE'));
    }, 60_000);
  }

  it('reports the offset of the read that crossed 2 MB as the real replica does, and the transfer fields INFO shows meanwhile', async () => {
    const master = await startRealRedis(SLOW_MASTER);
    stops.push(() => master.stop());
    const replica = await startRealRedis(['--repl-diskless-load', 'on-empty-db']);
    stops.push(() => replica.stop());
    const realLog = path.join(replica.dir, 'redis.log');
    const logDir = path.join(base, 'past-2mb');
    const serve = await startServe(2, [...SLOW_MASTER, '--log-dir', logDir], true);
    stops.push(() => serve.stop());
    const [simMaster, simReplica] = [serve.port, serve.port + 1];
    const simLog = path.join(logDir, `${simReplica}.log`);
    const sim = (...args: string[]) => spawnSync('redis-cli', ['-p', String(serve.controlPort), 'SIM', ...args], { encoding: 'utf8' }).stdout;
    const started = (file: string) => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('receiving streamed RDB');
    const failed = (file: string) => /after failure\n.*sync started/.test(fs.readFileSync(file, 'utf8').split('Failed trying to load')[1] ?? '');
    const transferFields = (info: string) => info.split('\r\n').filter((l) => /^master_sync_(total|read|left|perc)|^master_sync_in_progress|^master_link_status/.test(l));

    // The real replica is left alone during its load (a client it served at a 2 MB crossing would
    // leave errno at EAGAIN for the failure line): the master's count of replication bytes sent says
    // when the load is past 2 MB (3 MB sent: what the sockets hold on the way is well under 1 MB).
    expect(await command(master.port, 'DEBUG', 'POPULATE', '300000', 'key', '100')).toBe('OK');
    await command(master.port, 'CONFIG', 'SET', 'rdb-key-save-delay', '1');
    await command(replica.port, 'REPLICAOF', '127.0.0.1', String(master.port));
    await waitFor('the real transfer', () => started(realLog), 10_000);
    const sent = async () => Number(/total_net_repl_output_bytes:(\d+)/.exec(await command(master.port, 'INFO', 'stats'))?.[1] ?? 0);
    await waitFor('3 MB sent to the real replica', async () => (await sent()) > 3_000_000, 60_000);
    master.process.kill('SIGKILL');
    await waitFor('the real replica to give up the load', () => failed(realLog), 15_000);

    // The world's: 1 MB/s on the link, virtual time stepped to 2.5 MB into the transfer, then the connection reset.
    expect(await command(simMaster, 'DEBUG', 'POPULATE', '300000', 'key', '100')).toBe('OK');
    expect(sim('BANDWIDTH', String(simMaster), String(simReplica), '1000000')).toBe('OK\n');
    await command(simReplica, 'CONFIG', 'SET', 'repl-diskless-load', 'on-empty-db');
    expect(sim('PAUSE')).toBe('OK\n');
    await command(simReplica, 'REPLICAOF', '127.0.0.1', String(simMaster));
    await waitFor('the simulated transfer', () => (sim('STEP', '10'), started(simLog)), 20_000);
    sim('STEP', '2500');
    const simInfo = await command(simReplica, 'INFO', 'replication');
    // The link's queue holds what the master wrote ahead at 1 MB/s: a reset drops it, as a killed
    // process's unsent data would otherwise arrive long after (the real master had none queued).
    expect(sim('RESET', String(simMaster), String(simReplica))).toMatch(/^[1-9]/);
    sim('STEP', '100');
    await waitFor('the simulated replica to give up the load', () => failed(simLog), 15_000);

    // The offset is where the read that crossed 2 MB began: a few bytes before it, which bytes
    // depending on the records around it (the two servers write their keys in their own orders).
    const offsetOf = (lines: string[]) => Number(/reading offset (\d+),/.exec(lines.find((l) => l.includes('Internal error')) ?? '')?.[1]);
    const masked = (lines: string[]) => lines.map((l) => l.replace(/reading offset \d+,/, 'reading offset N,'));
    const [expected, got] = [cutLines(fs.readFileSync(realLog, 'utf8')), cutLines(fs.readFileSync(simLog, 'utf8'))];
    for (const lines of [expected, got]) {
      expect(offsetOf(lines)).toBeGreaterThan(2 * 1024 * 1024 - 512);
      expect(offsetOf(lines)).toBeLessThanOrEqual(2 * 1024 * 1024);
    }
    expect(masked(got)).toEqual(masked(expected));
    // What the real replica answered to INFO replication at a 2 MB crossing of such a load
    // (captured from redis-server 7.0.15): the transfer fields stay where the $EOF line left them.
    expect(transferFields(simInfo)).toEqual([
      'master_link_status:down',
      'master_sync_in_progress:1',
      'master_sync_total_bytes:0',
      'master_sync_read_bytes:0',
      'master_sync_left_bytes:0',
      'master_sync_perc:0.00',
    ]);
  }, 90_000);
});
