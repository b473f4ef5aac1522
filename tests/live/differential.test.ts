// Live differential: the same commands to a real redis-server and to
// `npm run serve`, over real sockets; the raw reply bytes must be equal.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { TcpRunner } from '../support/runners.ts';
import { RawClient } from '../support/raw-client.ts';
import { comparable, parseCases, serverArgs } from '../support/transcript.ts';

const casesDir = path.resolve(import.meta.dirname, '../golden/cases');
const names = fs.readdirSync(casesDir).filter((f) => f.endsWith('.cmds')).map((f) => f.slice(0, -5));

let real: RealRedis;
let serve: Serve;

beforeAll(async () => {
  [real, serve] = await Promise.all([startRealRedis(), startServe(3)]);
});

afterAll(async () => {
  await Promise.all([real?.stop(), serve?.stop()]);
});

/** Case files after which FLUSHALL, FUNCTION FLUSH and SCRIPT FLUSH do not give back a fresh real server. */
const LEAVES_LUA_MEMORY = new Set(['scripting', 'functions', 'flush-effects']);
/** Case files that read what the server kept of earlier cases (the slow log: a slow real command of another file is in it). */
const READS_HISTORY = new Set(['slowlog']);

describe.each(names)('the %s cases', (name) => {
  const text = fs.readFileSync(path.join(casesDir, `${name}.cmds`), 'utf8');
  const steps = parseCases(text);
  // A case file with server arguments (#! lines) gets servers of its own, started with them;
  // so do the scripting cases, which grow the real server's Lua VMs for good (INFO's
  // used_memory_vm_* fields of later cases would show it).
  const args = serverArgs(text);
  const fresh = args.length > 0 || LEAVES_LUA_MEMORY.has(name) || READS_HISTORY.has(name);
  let own: [RealRedis, Serve] | null = null;
  let a: TcpRunner;
  let b: TcpRunner;
  beforeAll(async () => {
    if (fresh) own = await Promise.all([startRealRedis(args), startServe(3, args)]);
    const [realPort, servePort] = own ? [own[0].port, own[1].port] : [real.port, serve.port];
    // Each case file starts from empty servers, as its golden capture did:
    // no keys, no libraries (FLUSHALL keeps them), no cached scripts.
    for (const port of [realPort, servePort]) {
      const c = await RawClient.connect(port);
      await c.command('FLUSHALL');
      await c.command('FUNCTION', 'FLUSH');
      await c.command('SCRIPT', 'FLUSH');
      c.close();
    }
    // Up to 30 s a reply: the real server's DEBUG STRINGMATCH-TEST alone takes about 6 s.
    a = new TcpRunner(realPort, 30_000);
    b = new TcpRunner(servePort, 30_000);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    if (own) await Promise.all([own[0].stop(), own[1].stop()]);
  });

  it.each(steps.map((step, i) => ({ step, i })))('step $i ($step.source) gets the same bytes from both servers', async ({ step }) => {
    const [fromReal, fromServe] = [await a.run(step), await b.run(step)];
    expect({ output: comparable(step, fromServe.output), closed: fromServe.closed }).toEqual({
      output: comparable(step, fromReal.output),
      closed: fromReal.closed,
    });
  });
});

describe('npm run serve', () => {
  it('answers redis-cli PING with PONG on every node', () => {
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('redis-cli', ['-p', String(serve.port + i), 'PING'], { encoding: 'utf8', timeout: 10_000 });
      expect(r.stdout).toBe('PONG\n');
    }
  });

  it('prints what redis-cli prints for ECHO and an unknown command, as the real server does', () => {
    for (const args of [['ECHO', 'a b'], ['FOO', 'x'], ['PING', 'a', 'b']]) {
      const cli = (port: number) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 }).stdout;
      expect(cli(serve.port)).toBe(cli(real.port));
    }
  });

  it('stops cleanly on SIGINT with exit code 0', async () => {
    const other = await startServe(1);
    expect(await other.stop('SIGINT')).toBe(0);
    expect(other.output()).toContain('SIGINT received, stopping');
  });
});
