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
});
