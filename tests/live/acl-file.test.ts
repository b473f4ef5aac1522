// Users from files against the real redis-server 7.0.15: the aclfile a
// server starts with, ACL SAVE's file, ACL LOAD's error report, the `user`
// lines of redis.conf and what CONFIG REWRITE writes for them, and the
// log lines of a start-up that ACL stops. Both sides start from the same
// files; the simulated node reads them from its disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startRealRedis, withRealRedis, REDIS_SERVER } from '../support/real-redis.ts';
import { RawClient } from '../support/raw-client.ts';
import { freePort } from '../support/ports.ts';
import { plainReply, Scenario } from '../support/scenario.ts';
import { SimDisk } from '../../src/sim/disk.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

const PORT = 7001;

/** A simulated node started from these files (redis.conf among them, or none). */
function simNode(files: Record<string, string>, directives: Array<[string, string]> = []): { s: Scenario; disk: SimDisk } {
  const disk = new SimDisk();
  for (const [name, text] of Object.entries(files)) disk.write(name, fromLatin1(text));
  const s = new Scenario({ ports: [PORT], directives, diskFor: () => disk });
  return { s, disk };
}

/** The same commands on a real server started with `args` and `files`, and on a node; both sides' replies and files after. */
async function both(args: string[], files: Record<string, string>, commands: string[][], read: string[]) {
  const bytes = Object.fromEntries(Object.entries(files).map(([n, t]) => [n, fromLatin1(t)]));
  const real = await withRealRedis(args, bytes, async (server, client) => {
    const replies: unknown[] = [];
    for (const c of commands) replies.push(plainReply(await client.command(...c)));
    const after = Object.fromEntries(read.map((n) => [n, fs.readFileSync(path.join(server.dir, n), 'latin1')]));
    return { replies, after };
  });
  const directives: Array<[string, string]> = [];
  for (let i = 0; i + 1 < args.length; i += 2) directives.push([args[i].replace(/^--/, ''), args[i + 1]]);
  const { s, disk } = simNode(files, directives);
  const sim = { replies: commands.map((c) => s.cmd(PORT, ...c)), after: Object.fromEntries(read.map((n) => [n, latin1(disk.read(n) ?? new Uint8Array())])) };
  return { real, sim };
}

const USERS = [
  'user alice on >a ~a* &c* -@all +get',
  '  user bob off #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d (~x +get) (%R~y +@read)',
  'user default on nopass ~* &* +@all',
  '',
  'user carol on nopass  +@all -@dangerous resetchannels',
].join('\n');

describe('the aclfile matches redis-server 7.0.15', () => {
  it('is loaded at start-up, listed, saved back in name order and loaded again', async () => {
    const commands = [['ACL', 'LIST'], ['ACL', 'SETUSER', 'dave', 'on', '>d', '%W~w*'], ['ACL', 'SAVE'], ['ACL', 'LOAD'], ['ACL', 'LIST'], ['ACL', 'GETUSER', 'bob']];
    const { real, sim } = await both(['--aclfile', 'users.acl'], { 'users.acl': USERS + '\n' }, commands, ['users.acl']);
    expect(sim).toEqual(real);
  });

  it('reports every problem of a bad file in ACL LOAD and keeps the users it had', async () => {
    const bad = [
      'user alice on',
      'foo bar',
      'user',
      'user dave on +nosuch +nosuch2 badrule #zz',
      'user alice off',
      'user erin (+get',
      'user frank on &x &*',
      'User gina on',
    ].join('\n');
    const commands = [['ACL', 'LOAD'], ['ACL', 'USERS']];
    const args = ['--aclfile', 'users.acl'];
    const real = await withRealRedis(args, { 'users.acl': fromLatin1(USERS) }, async (server, client) => {
      fs.writeFileSync(path.join(server.dir, 'users.acl'), bad);
      const replies: unknown[] = [];
      for (const c of commands) replies.push(plainReply(await client.command(...c)));
      return replies;
    });
    const { s, disk } = simNode({ 'users.acl': USERS }, [['aclfile', 'users.acl']]);
    disk.write('users.acl', fromLatin1(bad));
    expect(commands.map((c) => s.cmd(PORT, ...c))).toEqual(real);
  });
});

describe('user lines of redis.conf match redis-server 7.0.15', () => {
  it('are applied at start-up and rewritten by CONFIG REWRITE, one line per user in name order', async () => {
    const conf = ['# users', 'user zed on >z +@all ~*', 'requirepass ignored', 'user default on nopass ~* &* +@all -flushall', 'user amy off (+get ~a)', ''].join('\n');
    const commands = [['ACL', 'LIST'], ['ACL', 'SETUSER', 'bea', 'on', 'nopass'], ['ACL', 'DELUSER', 'zed'], ['CONFIG', 'REWRITE'], ['ACL', 'LIST']];
    const server = await startRealRedis([], { files: { 'redis.conf': fromLatin1(conf) }, configFile: 'redis.conf' });
    let realResult: { replies: unknown[]; users: string[] };
    let client: RawClient | null = null;
    try {
      client = await RawClient.connect(server.port);
      const replies: unknown[] = [];
      for (const c of commands) replies.push(plainReply(await client.command(...c)));
      realResult = { replies, users: fs.readFileSync(path.join(server.dir, 'redis.conf'), 'latin1').split('\n').filter((l) => l.startsWith('user ')) };
    } finally {
      client?.close();
      await server.stop();
    }
    const { s, disk } = simNode({ 'redis.conf': conf }, [['bind', '127.0.0.1'], ['save', ''], ['appendonly', 'no']]);
    const replies = commands.map((c) => s.cmd(PORT, ...c));
    const users = latin1(disk.read('redis.conf')!).split('\n').filter((l) => l.startsWith('user '));
    expect({ replies, users }).toEqual(realResult);
  });
});

/** The real server's log lines (without pid, role and time) when it is started with this redis.conf and files: it must exit. */
async function realStartupLog(conf: string, files: Record<string, string> = {}): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-acl-'));
  try {
    fs.writeFileSync(path.join(dir, 'redis.conf'), conf);
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), t);
    const port = await freePort();
    const r = spawnSync(REDIS_SERVER, [path.join(dir, 'redis.conf'), '--port', String(port), '--dir', dir, '--logfile', path.join(dir, 'log'), '--save', ''], { timeout: 10_000 });
    expect(r.status).toBe(1);
    return fs.readFileSync(path.join(dir, 'log'), 'latin1').split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d+:\w \d+ \w+ \d+ [\d:.]+ /, ''));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The node's log lines after a start that failed, in the same form. */
function simStartupLog(conf: string, files: Record<string, string> = {}): string[] {
  const { s } = simNode({ 'redis.conf': conf, ...files });
  expect(s.world.node(PORT)).toBeNull();
  return s.logs(PORT).map((l) => l.replace(/^\w /, ''));
}

describe('a start-up that ACL stops logs what redis-server 7.0.15 logs', () => {
  const cases: Array<[string, string, Record<string, string>?]> = [
    ['an unknown command in a user line', 'user bob on +nosuch\n'],
    ['a user name with a space', 'user "b b" on\n'],
    ['a missing aclfile', 'aclfile users.acl\n'],
    ['users in both places', 'aclfile users.acl\nuser bob on\n', { 'users.acl': '' }],
    ['a bad aclfile', 'aclfile users.acl\n', { 'users.acl': 'user a on +nosuch\nuser a\n' }],
  ];
  it.each(cases)('%s', async (_, conf, files) => {
    const real = await realStartupLog(conf, files);
    const sim = simStartupLog(conf, files);
    // The last lines: what ACL said before the process exited.
    const tail = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith('# Server initialized')) + 1).filter((l) => !l.includes('Memory overcommit'));
    expect(tail(sim)).toEqual(tail(real));
  });
});
