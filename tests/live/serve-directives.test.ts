// `npm run serve -- --<directive> <value>`: every node starts with those
// directives, as redis-server takes them; a bad one stops serve with the
// report redis-server prints for the same argument.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serve } from '../support/serve.ts';

const root = path.resolve(import.meta.dirname, '../..');
const cli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 }).stdout;

let serve: Serve;

beforeAll(async () => {
  serve = await startServe(2, ['--save', '', '--repl-backlog-size', '1', '--repl-diskless-sync-delay', '0', '--replica-announce-ip', '10.0.0.9']);
});

afterAll(async () => {
  await serve?.stop();
});

describe('serve --<directive> <value>', () => {
  it('applies the directives to every node', () => {
    for (const port of [serve.port, serve.port + 1]) {
      expect(cli(port, 'CONFIG', 'GET', 'save')).toBe('save\n\n');
      // Taken as given at start-up (only CONFIG SET raises it to 16 KB), as redis-server does.
      expect(cli(port, 'CONFIG', 'GET', 'repl-backlog-size')).toBe('repl-backlog-size\n1\n');
      expect(cli(port, 'INFO', 'replication')).toContain('repl_backlog_size:1\r\n');
      expect(cli(port, 'CONFIG', 'GET', 'repl-diskless-sync-delay')).toBe('repl-diskless-sync-delay\n0\n');
    }
  });

  it('stops with the FATAL CONFIG FILE ERROR report redis-server gives for a bad value or an unknown directive', () => {
    for (const args of [['--appendonly', 'maybe'], ['--foo', 'bar'], ['--replicaof', '127.0.0.1', 'abc']]) {
      const ours = spawnSync(process.execPath, ['--import', 'tsx', 'src/node/main.ts', '--nodes', '1', '--port', '1', ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      });
      const real = spawnSync('redis-server', args, { encoding: 'utf8', timeout: 10_000 });
      expect(ours.status).toBe(1);
      expect(real.status).toBe(1);
      // redis-server numbers its argv lines after an empty first line, as serve does.
      expect(ours.stderr).toBe(real.stderr);
    }
  });
});
