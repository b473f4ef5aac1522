// `npm run serve --control-port C`: the SIM language over RESP, and the TCP
// listeners following the nodes (a killed node refuses connections).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serve } from '../support/serve.ts';
import { waitFor } from '../support/wait.ts';

let serve: Serve;
const cli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['--no-raw', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });

beforeAll(async () => {
  serve = await startServe(2, [], true);
});

afterAll(async () => {
  await serve?.stop();
});

describe('the control port', () => {
  it('lists the nodes with SIM NODES', () => {
    const out = cli(serve.controlPort!, 'SIM', 'NODES').stdout;
    expect(out).toMatch(new RegExp(`^1\\) "port=${serve.port} role=master state=up pid=\\d+ run_id=[0-9a-f]{40} master=-"\\n`));
    expect(out).toContain(`port=${serve.port + 1} role=master state=up`);
  });

  it('kills a node with SIM KILL: redis-cli is refused, as by a dead redis-server; SIM START brings it back', async () => {
    const port = serve.port + 1;
    expect(cli(serve.controlPort!, 'SIM', 'KILL', String(port)).stdout).toBe('OK\n');
    await waitFor('the killed node to refuse connections', () => cli(port, 'PING').stderr.includes('Connection refused'));
    expect(cli(port, 'PING').stderr).toBe(`Could not connect to Redis at 127.0.0.1:${port}: Connection refused\n`);
    expect(cli(serve.controlPort!, 'SIM', 'KILL', String(port)).stdout).toBe(`(error) ERR node ${port} is not running\n`);
    expect(cli(serve.controlPort!, 'SIM', 'START', String(port)).stdout).toBe('OK\n');
    await waitFor('the restarted node to answer', () => cli(port, 'PING').stdout === 'PONG\n');
  });

  it('adds a node with SIM ADD on the next port, which then answers redis-cli', async () => {
    const port = serve.port + 2;
    expect(cli(serve.controlPort!, 'SIM', 'ADD').stdout).toBe(`(integer) ${port}\n`);
    await waitFor('the new node to answer', () => cli(port, 'PING').stdout === 'PONG\n');
  });

  it('answers errors for unknown subcommands, bad ports and other commands', () => {
    expect(cli(serve.controlPort!, 'SIM', 'FOO').stdout).toBe("(error) ERR unknown subcommand 'FOO'. Try SIM HELP.\n");
    expect(cli(serve.controlPort!, 'SIM', 'KILL', '99999').stdout).toBe("(error) ERR invalid port '99999'\n");
    expect(cli(serve.controlPort!, 'SIM', 'KILL', '7').stdout).toBe('(error) ERR no node on port 7\n');
    expect(cli(serve.controlPort!, 'GET', 'x').stdout).toContain("(error) ERR unknown command 'GET'");
  });

  it('pauses and steps virtual time', () => {
    expect(cli(serve.controlPort!, 'SIM', 'PAUSE').stdout).toBe('OK\n');
    const t0 = Number(cli(serve.controlPort!, 'SIM', 'TIME').stdout.replace('(integer) ', ''));
    expect(Number(cli(serve.controlPort!, 'SIM', 'TIME').stdout.replace('(integer) ', ''))).toBe(t0);
    expect(cli(serve.controlPort!, 'SIM', 'STEP', '250').stdout).toBe(`(integer) ${t0 + 250}\n`);
    expect(cli(serve.controlPort!, 'SIM', 'RESUME').stdout).toBe('OK\n');
  });
});
