// `npm run serve --data-dir DIR --log-dir DIR`: each node's files are real
// files in DIR/<port>/ (redis-check-rdb reads its dump.rdb, and a later
// serve on the same DIR starts from them); each node's log goes to
// DIR/<port>.log in Redis's format.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type Serve } from '../support/serve.ts';
import { waitFor } from '../support/wait.ts';

const cli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 }).stdout;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-serve-dirs-'));
const dataDir = path.join(base, 'data');
const logDir = path.join(base, 'logs');
let serve: Serve | undefined;

afterAll(async () => {
  await serve?.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('serve --data-dir and --log-dir', () => {
  it('keeps dump.rdb as a real file redis-check-rdb accepts, and a new serve on the same dir loads it', async () => {
    serve = await startServe(1, ['--data-dir', dataDir, '--log-dir', logDir]);
    const port = serve.port;
    expect(cli(port, 'SET', 'k', 'v')).toBe('OK\n');
    expect(cli(port, 'RPUSH', 'l', 'a', 'b')).toBe('2\n');
    expect(cli(port, 'SAVE')).toBe('OK\n');
    const rdb = path.join(dataDir, String(port), 'dump.rdb');
    expect(fs.existsSync(rdb)).toBe(true);
    const check = spawnSync('redis-check-rdb', [rdb], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('Checksum OK');
    expect(check.stdout).toContain('RDB looks OK!');
    const log = fs.readFileSync(path.join(logDir, `${port}.log`), 'utf8');
    expect(log).toMatch(/^\d+:C \d\d \w{3} \d{4} [\d:.]+ # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$/m);
    expect(log).toMatch(/^\d+:M .* \* DB saved on disk$/m);
    expect(serve.output()).not.toContain('DB saved on disk');
    await serve.stop();

    // The same node again: a new process on the same port and the same directory.
    serve = await startServe(1, ['--data-dir', dataDir, '--log-dir', logDir], false, port);
    await waitFor('the node to answer', () => cli(port, 'PING') === 'PONG\n');
    expect(cli(port, 'GET', 'k')).toBe('v\n');
    expect(cli(port, 'LRANGE', 'l', '0', '-1')).toBe('a\nb\n');
    expect(fs.readFileSync(path.join(logDir, `${port}.log`), 'utf8')).toContain('Done loading RDB, keys loaded: 2, keys expired: 0.');
  });
});
