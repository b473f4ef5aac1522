// Starts a real redis-server for captures and differential tests, on a free
// port, in its own temporary dir; stop() kills only that process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.ts';
import { RawClient } from './raw-client.ts';
import { waitFor } from './wait.ts';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** The version string of the redis-server binary, or null when it is missing. */
export function realRedisVersion(): string | null {
  const r = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return /v=(\S+)/.exec(r.stdout)?.[1] ?? null;
}

export interface RealRedis {
  port: number;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface RealRedisOptions {
  /** Files to put in the server's dir before it starts (e.g. a dump.rdb for it to load). */
  readonly files?: Readonly<Record<string, Uint8Array>>;
  /** One of `files` to start with as the config file (`redis-server <dir>/<name> --port ...`): the arguments apply after it. */
  readonly configFile?: string;
}

export async function startRealRedis(extraArgs: string[] = [], options: RealRedisOptions = {}): Promise<RealRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-redis-'));
  for (const [name, bytes] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, name), bytes);
  const child = spawn(
    REDIS_SERVER,
    [...(options.configFile ? [path.join(dir, options.configFile)] : []), '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--logfile', path.join(dir, 'redis.log'), '--daemonize', 'no', ...extraArgs],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGKILL');
      await waitFor('redis-server to exit', () => exited, 5000);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`redis-server on port ${port}`, async () => {
      if (exited) throw new Error(`redis-server exited at start; see ${dir}/redis.log`);
      // Listening comes before loading the dataset: ready is a PONG, not -LOADING.
      try {
        const c = await RawClient.connect(port);
        try {
          const reply = await c.command('PING');
          return reply.type === 'status';
        } finally {
          c.close();
        }
      } catch {
        return false;
      }
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { port, dir, process: child, stop };
}

/**
 * Runs `body` with a real server (started with `args`, its dir holding
 * `files`) and a client on it; the client is closed and the server stopped
 * on every path.
 */
export async function withRealRedis<T>(
  args: string[],
  files: Readonly<Record<string, Uint8Array>> | undefined,
  body: (real: RealRedis, client: RawClient) => Promise<T>,
): Promise<T> {
  const real = await startRealRedis(args, { files });
  let client: RawClient | null = null;
  try {
    client = await RawClient.connect(real.port);
    return await body(real, client);
  } finally {
    client?.close();
    await real.stop();
  }
}

/** What redis-check-rdb prints for these bytes (written to a temporary dump.rdb, removed after). */
export function checkRdb(file: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-rdb-'));
  try {
    fs.writeFileSync(path.join(dir, 'dump.rdb'), file);
    return spawnSync('redis-check-rdb', [path.join(dir, 'dump.rdb')], { encoding: 'utf8' }).stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
