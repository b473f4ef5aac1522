// The append-only file against redis-server 7.0.15: a real server and a
// node of `npm run serve --data-dir` both run with appendonly yes and get
// the same commands; the manifest and the incremental file must be the same
// bytes, the base file the same RDB but for ctime and used-mem. Then both
// restart from their files: the same dataset (DEBUG DIGEST), the same
// loading lines, the same INFO persistence AOF fields.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRealRedis, type RealRedis } from '../support/real-redis.ts';
import { startServe, type Serve } from '../support/serve.ts';
import { RawClient } from '../support/raw-client.ts';
import { waitFor } from '../support/wait.ts';
import { freePortRange } from '../support/ports.ts';

/** A port serve can take for one node (and the one above it, which it keeps free). */
const freePortFor = () => freePortRange(2);
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { readRdb } from '../../src/engine/rdb/reader.ts';
import { NodeConfig } from '../../src/engine/config.ts';
import { spawnSync } from 'node:child_process';
import { REDIS_SERVER } from '../support/real-redis.ts';
import { Scenario } from '../support/scenario.ts';

/** Commands with no relative time in what they propagate (PXAT and EXPIREAT are absolute already). */
const COMMANDS: string[][] = [
  ['SET', 'k', 'v'],
  ['set', 'lower', 'case kept'],
  ['SET', 'at', 'x', 'PXAT', '4102444800000'],
  ['SELECT', '3'],
  ['INCR', 'counter'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['RPUSH', 'list', 'a', 'b', 'c'],
  ['HSET', 'h', 'f1', 'v1', 'f2', 'v2'],
  ['PUBLISH', 'chan', 'not in the AOF'],
  ['GET', 'k'],
  ['MULTI'],
  ['SADD', 's', 'x', 'y'],
  ['ZADD', 'z', '1', 'one', '2', 'two'],
  ['EXEC'],
  ['SELECT', '0'],
  ['DEL', 'lower', 'missing'],
  ['EXPIREAT', 'k', '4102444800'],
  ['SPOP', 'nothing'],
  ['EVAL', "redis.call('set', KEYS[1], ARGV[1]); redis.call('incr', 'n'); return 1", '1', 'fromlua', 'val'],
  ['SELECT', '5'],
  ['SET', 'bin', '\x00\xff\r\n'],
  ['FLUSHDB'],
  ['SET', 'last', '1'],
];

const AOF_FIELDS = /^aof_(enabled|rewrite_in_progress|rewrite_scheduled|last_rewrite_time_sec|current_rewrite_time_sec|last_bgrewrite_status|rewrites|rewrites_consecutive_failures|last_write_status|last_cow_size|current_size|base_size|pending_rewrite|buffer_length|pending_bio_fsync|delayed_fsync):.*$/gm;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-aof-'));
let real: RealRedis | undefined;
let serve: Serve | undefined;
const clients: RawClient[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await real?.stop();
  await serve?.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

async function run(c: RawClient, args: string[]): Promise<string> {
  c.write(encodeCommand(args.map(fromLatin1)));
  return latin1((await c.read(10_000)).bytes);
}

async function connect(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

const files = (dir: string) => fs.readdirSync(path.join(dir, 'appendonlydir')).sort();
const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, 'appendonlydir', name));

/** An RDB with its ctime and used-mem values and its checksum zeroed (they differ between two servers). */
function maskRdb(b: Buffer): string {
  let s = b.toString('latin1');
  for (const field of ['ctime', 'used-mem']) {
    const at = s.indexOf(field) + field.length;
    // c2: a 32-bit integer follows.
    s = s.slice(0, at) + s[at] + '\0\0\0\0' + s.slice(at + 5);
  }
  return s.slice(0, -8);
}

/**
 * An RDB's AUX fields (ctime and used-mem aside) and its keys, sorted: two
 * servers write a database's keys in their hash tables' orders.
 */
function rdbContent(b: Buffer): { aux: string[]; keys: string[] } {
  const aux: string[] = [];
  const keys: string[] = [];
  readRdb(new Uint8Array(b), { databases: 16, verifyChecksum: true, decode: { config: new NodeConfig() } }, {
    aux: (k, v) => void aux.push(`${latin1(k)}=${['ctime', 'used-mem'].includes(latin1(k)) ? '*' : latin1(v)}`),
    key: (db, key, value, expire) => void keys.push(`${db} ${key} ${expire} ${value.type === 'string' ? latin1(value.bytes) : value.type}`),
  });
  return { aux, keys: keys.sort() };
}

/** Log lines from "Server initialized" on, without pid, time and the host warnings. */
function loadLines(log: string): string[] {
  const lines = log.split('\n').filter((l) => / [*#] /.test(l) && !l.includes('WARNING'));
  const start = lines.map((l) => l.includes('Server initialized')).lastIndexOf(true);
  return lines.slice(start).map((l) => l.replace(/^\d+:\w [\d\w :.]+ ([*#]) /, '$1 ').replace(/\d+\.\d{3} seconds/, 'N seconds').replace(/RDB age \d+/, 'RDB age N').replace(/[\d.]+ Mb/, 'N Mb'));
}

describe('appendonly yes against redis-server', () => {
  it('writes the same manifest, incr file and base, and loads them back the same', async () => {
    const realDir = path.join(base, 'real');
    fs.mkdirSync(realDir);
    real = await startRealRedis(['--appendonly', 'yes', '--dir', realDir]);
    serve = await startServe(1, ['--data-dir', path.join(base, 'sim'), '--log-dir', path.join(base, 'logs'), '--appendonly', 'yes']);
    const simDir = path.join(base, 'sim', String(serve.port));
    const [r, s] = [await connect(real.port), await connect(serve.port)];
    for (const cmd of COMMANDS) expect(await run(s, cmd), cmd.join(' ')).toBe(await run(r, cmd));

    expect(files(simDir)).toEqual(files(realDir));
    expect(files(realDir)).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(read(simDir, 'appendonly.aof.manifest').toString('latin1')).toBe(read(realDir, 'appendonly.aof.manifest').toString('latin1'));
    expect(read(simDir, 'appendonly.aof.1.incr.aof').toString('latin1')).toBe(read(realDir, 'appendonly.aof.1.incr.aof').toString('latin1'));
    expect(maskRdb(read(simDir, 'appendonly.aof.1.base.rdb'))).toBe(maskRdb(read(realDir, 'appendonly.aof.1.base.rdb')));
    const fields = async (c: RawClient) => (await run(c, ['INFO', 'persistence'])).match(AOF_FIELDS);
    expect(await fields(s)).toEqual(await fields(r));

    // Both again from their files.
    const digest = await run(r, ['DEBUG', 'DIGEST']);
    expect(await run(s, ['DEBUG', 'DIGEST'])).toBe(digest);
    const realArgs = ['--appendonly', 'yes', '--dir', realDir];
    await real.stop();
    await serve.stop();
    real = await startRealRedis(realArgs);
    serve = await startServe(1, ['--data-dir', path.join(base, 'sim'), '--log-dir', path.join(base, 'logs'), '--appendonly', 'yes'], false, serve.port);
    const [r2, s2] = [await connect(real.port), await connect(serve.port)];
    expect(await run(r2, ['DEBUG', 'DIGEST'])).toBe(digest);
    expect(await run(s2, ['DEBUG', 'DIGEST'])).toBe(digest);
    expect(await fields(s2)).toEqual(await fields(r2));
    const realLog = fs.readFileSync(path.join(real.dir, 'redis.log'), 'utf8');
    await waitFor('the node\'s log', () => fs.existsSync(path.join(base, 'logs', `${serve!.port}.log`)));
    const simLog = fs.readFileSync(path.join(base, 'logs', `${serve.port}.log`), 'utf8');
    expect(loadLines(realLog)).toEqual(expect.arrayContaining(['* Reading RDB base file on AOF loading...', '* DB loaded from incr file appendonly.aof.1.incr.aof: N seconds', '* Opening AOF incr file appendonly.aof.1.incr.aof on server start']));
    expect(loadLines(simLog)).toEqual(loadLines(realLog));
  }, 60_000);

  it('turns the AOF on and off at run time and rewrites it with BGREWRITEAOF as the real server does', async () => {
    for (const c of clients.splice(0)) c.close();
    await real?.stop();
    await serve?.stop();
    const realDir = path.join(base, 'real2');
    fs.mkdirSync(realDir);
    real = await startRealRedis(['--dir', realDir]);
    serve = await startServe(1, ['--data-dir', path.join(base, 'sim2'), '--log-dir', path.join(base, 'logs2')]);
    const simDir = path.join(base, 'sim2', String(serve.port));
    const [r, s] = [await connect(real.port), await connect(serve.port)];
    const both = async (...cmd: string[]) => {
      const want = await run(r, cmd);
      expect(await run(s, cmd), cmd.join(' ')).toBe(want);
      return want;
    };
    // Until neither runs a child, waiting on INFO (bounded).
    const idle = async () => {
      for (const c of [r, s]) {
        await waitFor('no child', async () => /aof_rewrite_in_progress:0[^]*/.test(await run(c, ['INFO', 'persistence'])) && /rdb_bgsave_in_progress:0/.test(await run(c, ['INFO', 'persistence'])), 10_000);
      }
    };
    const sameFiles = () => {
      expect(files(simDir)).toEqual(files(realDir));
      for (const name of files(realDir)) {
        if (name.endsWith('.rdb')) expect(rdbContent(read(simDir, name)), name).toEqual(rdbContent(read(realDir, name)));
        else expect(read(simDir, name).toString('latin1'), name).toBe(read(realDir, name).toString('latin1'));
      }
    };
    // Fields that depend on the machine (copy-on-write) or on timing are left out.
    const fields = async (c: RawClient) => ((await run(c, ['INFO', 'persistence'])).match(AOF_FIELDS) ?? []).filter((f) => !/^aof_(last_cow_size|last_rewrite_time_sec)/.test(f));

    await both('SET', 'a', '1');
    await both('CONFIG', 'SET', 'appendonly', 'yes');
    await both('SET', 'b', '2');
    await idle();
    await both('SET', 'c', '3');
    sameFiles();
    expect(files(realDir)).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(await fields(s)).toEqual(await fields(r));

    // Children that take 0.2 s a key, so the commands below surely meet them running (rdb-key-save-delay slows both kinds).
    await both('CONFIG', 'SET', 'rdb-key-save-delay', '200000');
    expect(await both('BGREWRITEAOF')).toBe('+Background append only file rewriting started\r\n');
    await both('BGREWRITEAOF');
    await both('BGSAVE');
    await both('BGSAVE', 'SCHEDULE');
    await both('SET', 'd', '4');
    // The scheduled BGSAVE starts once the rewrite is reaped: wait for it to have run too.
    for (const c of [r, s]) await waitFor('the scheduled BGSAVE', async () => /rdb_saves:1/.test(await run(c, ['INFO', 'persistence'])), 10_000);
    await idle();
    await both('CONFIG', 'SET', 'rdb-key-save-delay', '0');
    await both('BGREWRITEAOF');
    await idle();
    await both('SET', 'e', '5');
    sameFiles();
    expect(await fields(s)).toEqual(await fields(r));

    await both('CONFIG', 'SET', 'appendonly', 'no');
    await both('SET', 'f', '6');
    expect(await fields(s)).toEqual(await fields(r));
    await both('BGREWRITEAOF');
    await idle();
    sameFiles();
    expect(files(realDir)).toEqual(['appendonly.aof.4.base.rdb', 'appendonly.aof.manifest']);
    expect(await fields(s)).toEqual(await fields(r));

    // The lines of it all, pids and times aside.
    const aofLines = (log: string) =>
      log
        .split('\n')
        .filter((l) => /AOF|append only|rewriting|Background saving|DB saved|Fork CoW/.test(l))
        .map((l) => l.replace(/^\d+:(\w) [\d\w :.]+ ([*#]) /, '$1 $2 ').replace(/pid \d+/, 'pid N').replace(/bg-\d+\.aof/g, 'bg-N.aof').replace(/ \d+ MB/g, ' N MB'));
    await waitFor('the node\'s log', () => fs.existsSync(path.join(base, 'logs2', `${serve!.port}.log`)));
    const simLog = fs.readFileSync(path.join(base, 'logs2', `${serve.port}.log`), 'utf8');
    const realLog = fs.readFileSync(path.join(real.dir, 'redis.log'), 'utf8');
    expect(aofLines(simLog)).toEqual(aofLines(realLog));
    expect(aofLines(realLog).length).toBeGreaterThan(20);
  }, 60_000);

  it('rewrites the base as commands under aof-use-rdb-preamble no, byte for byte as the real server', async () => {
    for (const c of clients.splice(0)) c.close();
    await real?.stop();
    await serve?.stop();
    const realDir = path.join(base, 'real3');
    fs.mkdirSync(realDir);
    const args = ['--appendonly', 'yes', '--aof-use-rdb-preamble', 'no'];
    real = await startRealRedis([...args, '--dir', realDir]);
    serve = await startServe(1, ['--data-dir', path.join(base, 'sim3'), ...args]);
    const simDir = path.join(base, 'sim3', String(serve.port));
    const [r, s] = [await connect(real.port), await connect(serve.port)];
    // One key per database (two servers order a database's keys differently), small collections (ordered encodings).
    const setup: string[][] = [
      ['FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('f', function() return 1 end)"],
      ['SET', 'str', 'v', 'PXAT', '4102444800000'],
      ['SELECT', '1'], ['RPUSH', 'list', 'a', '1', 'b', ...Array.from({ length: 70 }, (_, i) => `e${i}`)],
      ['SELECT', '2'], ['SADD', 'ints', '3', '1', '2'],
      ['SELECT', '3'], ['ZADD', 'z', '1', 'one', '2.5', 'two', '0.1', 'tenth', '-inf', 'low'],
      ['SELECT', '4'], ['HSET', 'h', 'f1', 'v1', 'f2', '2'],
      ['SELECT', '5'], ['XADD', 'st', '1-1', 'a', '1'],
      ['XADD', 'st', '1-2', 'b', '2', 'c', '3'],
      ['XADD', 'st', '2-0', 'd', '4'],
      ['XDEL', 'st', '1-2'],
      ['XGROUP', 'CREATE', 'st', 'g', '0'],
      ['XGROUP', 'CREATECONSUMER', 'st', 'g', 'idle'],
      ['XREADGROUP', 'GROUP', 'g', 'busy', 'COUNT', '1', 'STREAMS', 'st', '>'],
      ['XCLAIM', 'st', 'g', 'busy', '0', '1-1', 'TIME', '1700000000000', 'RETRYCOUNT', '3', 'JUSTID', 'FORCE'],
      ['SELECT', '6'], ['XADD', 'empty', 'MAXLEN', '0', '5-1', 'f', 'v'],
      ['SELECT', '0'],
    ];
    for (const cmd of setup) expect(await run(s, cmd), cmd.join(' ')).toBe(await run(r, cmd));
    for (const c of [r, s]) expect(await run(c, ['BGREWRITEAOF'])).toBe('+Background append only file rewriting started\r\n');
    for (const c of [r, s]) await waitFor('the rewrite', async () => /aof_rewrite_in_progress:0/.test(await run(c, ['INFO', 'persistence'])), 10_000);
    expect(files(simDir)).toEqual(files(realDir));
    expect(files(realDir)).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    for (const name of files(realDir)) expect(read(simDir, name).toString('latin1'), name).toBe(read(realDir, name).toString('latin1'));
    expect(read(realDir, 'appendonly.aof.2.base.aof').toString('latin1')).toMatch(/FUNCTION[^]*RPUSH[^]*SADD[^]*ZADD[^]*HMSET[^]*XSETID[^]*XCLAIM[^]*CREATECONSUMER[^]*MAXLEN/);
    // Both load it back alike.
    const digest = await run(r, ['DEBUG', 'DIGEST']);
    expect(await run(s, ['DEBUG', 'DIGEST'])).toBe(digest);
    await real.stop();
    await serve.stop();
    real = await startRealRedis([...args, '--dir', realDir]);
    serve = await startServe(1, ['--data-dir', path.join(base, 'sim3'), ...args], false, serve.port);
    const [r2, s2] = [await connect(real.port), await connect(serve.port)];
    expect(await run(r2, ['DEBUG', 'DIGEST'])).toBe(digest);
    expect(await run(s2, ['DEBUG', 'DIGEST'])).toBe(digest);
  }, 60_000);

  it('upgrades an appendonly.aof of Redis before 7.0 (RDB preamble and tail, or commands only) as the real server does', async () => {
    for (const c of clients.splice(0)) c.close();
    await real?.stop();
    await serve?.stop();
    // The preamble: a dump.rdb of a real server.
    const maker = await startRealRedis();
    const m = await connect(maker.port);
    await run(m, ['MSET', 'p1', 'from-preamble', 'p2', '2']);
    await run(m, ['SAVE']);
    const preamble = fs.readFileSync(path.join(maker.dir, 'dump.rdb'));
    await maker.stop();
    const tail = Buffer.from(['*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n', '*3\r\n$3\r\nSET\r\n$4\r\ntail\r\n$1\r\nt\r\n', '*2\r\n$4\r\nINCR\r\n$2\r\np2\r\n'].join(''), 'latin1');
    for (const [label, old] of [['preamble', Buffer.concat([preamble, tail])], ['commands', tail]] as const) {
      for (const c of clients.splice(0)) c.close();
      await real?.stop();
      await serve?.stop();
      const realDir = path.join(base, `real-${label}`);
      const simData = path.join(base, `sim-${label}`);
      fs.mkdirSync(realDir);
      fs.writeFileSync(path.join(realDir, 'appendonly.aof'), old);
      real = await startRealRedis(['--appendonly', 'yes', '--dir', realDir]);
      // serve's node keeps its files in <data-dir>/<port>: the old file goes there before it starts.
      const port = await freePortFor();
      fs.mkdirSync(path.join(simData, String(port)), { recursive: true });
      fs.writeFileSync(path.join(simData, String(port), 'appendonly.aof'), old);
      serve = await startServe(1, ['--data-dir', simData, '--log-dir', path.join(base, `logs-${label}`), '--appendonly', 'yes'], false, port);
      const simDir = path.join(simData, String(port));
      const [r, s] = [await connect(real.port), await connect(serve.port)];
      expect(await run(s, ['DEBUG', 'DIGEST']), label).toBe(await run(r, ['DEBUG', 'DIGEST']));
      expect(await run(s, ['MGET', 'p1', 'p2', 'tail'])).toBe(await run(r, ['MGET', 'p1', 'p2', 'tail']));
      expect(fs.existsSync(path.join(realDir, 'appendonly.aof'))).toBe(false);
      expect(files(simDir)).toEqual(files(realDir));
      for (const name of files(realDir)) expect(read(simDir, name).toString('latin1'), `${label} ${name}`).toBe(read(realDir, name).toString('latin1'));
      const realLog = fs.readFileSync(path.join(real.dir, 'redis.log'), 'utf8');
      await waitFor('the node\'s log', () => fs.existsSync(path.join(base, `logs-${label}`, `${port}.log`)));
      const simLog = fs.readFileSync(path.join(base, `logs-${label}`, `${port}.log`), 'utf8');
      expect(loadLines(simLog), label).toEqual(loadLines(realLog));
      expect(loadLines(realLog)).toContain('* Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).');
      if (label === 'preamble') expect(loadLines(realLog)).toEqual(expect.arrayContaining(['* Reading RDB preamble from AOF file...', '* Reading the remaining AOF tail...']));
    }
  }, 60_000);

  it('refuses to start on a cut, malformed or unknown-command incr file and on a bad manifest, with the real server\'s lines', async () => {
    for (const c of clients.splice(0)) c.close();
    await real?.stop();
    await serve?.stop();
    // Files of a real server: a base, a manifest and an incr file holding two SETs.
    real = await startRealRedis(['--appendonly', 'yes']);
    const r = await connect(real.port);
    await run(r, ['SET', 'a', '1']);
    await run(r, ['SET', 'b', '2']);
    const incrName = 'appendonly.aof.1.incr.aof';
    await waitFor('the incr file to hold both SETs', () => read(real!.dir, incrName).toString('latin1').includes('$1\r\nb\r\n'));
    const good = Object.fromEntries(files(real.dir).map((name) => [name, read(real!.dir, name)]));
    const whole = good[incrName]!;
    const cases: [string, Record<string, Buffer>, string[]][] = [
      ['cut, aof-load-truncated no', { [incrName]: whole.subarray(0, whole.length - 3) }, ['aof-load-truncated', 'no']],
      ['bad format', { [incrName]: Buffer.from('+OK\r\n') }, []],
      ['unknown command', { [incrName]: Buffer.from('*1\r\n$7\r\nNOTACMD\r\n') }, []],
      ['bad manifest', { 'appendonly.aof.manifest': Buffer.from('file appendonly.aof.1.base.rdb seq 1 type b\nfile x seq 1 type q\n') }, []],
      ['manifest without a base', { 'appendonly.aof.manifest': Buffer.from('file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 1 type i\n') }, []],
      ['a missing file', { 'appendonly.aof.manifest': Buffer.from('file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.9.incr.aof seq 9 type i\n') }, []],
    ];
    for (const [label, damage, directive] of cases) {
      const dir = path.join(base, `refuse-${label.replace(/\W+/g, '-')}`);
      fs.mkdirSync(path.join(dir, 'appendonlydir'), { recursive: true });
      const withDamage = { ...good, ...damage };
      for (const [name, bytes] of Object.entries(withDamage)) fs.writeFileSync(path.join(dir, 'appendonlydir', name), bytes);
      // The real server exits at once on each of these; the timeout only bounds a server that would not.
      const port = await freePortFor();
      const ran = spawnSync(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir, '--logfile', path.join(dir, 'redis.log'), ...(directive.length ? [`--${directive[0]}`, directive[1]!] : [])], { timeout: 20_000 });
      expect(ran.status, label).toBe(1);
      // One entry per serverLog call: a message may hold newlines of its own (the manifest error block).
      const realEntries = fs.readFileSync(path.join(dir, 'redis.log'), 'latin1').replace(/\n$/, '').split(/\n(?=\d+:[A-Z] \d)/).map((e) => e.replace(/^\d+:(\w) \d\d \w{3} \d{4} [\d:.]+ (.) /, '$1 $2 '));
      const s = new Scenario({ ports: [6379], directives: [['appendonly', 'yes'], ...(directive.length ? [directive as [string, string]] : [])] });
      s.sim('KILL', '6379');
      for (const [name, bytes] of Object.entries(withDamage)) s.world.disk(6379).write(`appendonlydir/${name}`, new Uint8Array(bytes));
      const mark = s.mark();
      s.sim('START', '6379');
      expect(s.world.nodes()[0]!.up, label).toBe(false);
      const fromInit = (entries: string[]) => entries.slice(entries.findIndex((e) => e.endsWith('Server initialized'))).filter((e) => !e.includes('WARNING')).map((e) => e.replace(/RDB age \d+/, 'RDB age N').replace(/[\d.]+ Mb/, 'N Mb').replace(/\d+\.\d{3} seconds/, 'N seconds'));
      expect(fromInit(s.logs(6379, mark)), label).toEqual(fromInit(realEntries));
    }
  }, 120_000);
});
