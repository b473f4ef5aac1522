// RDB encode and decode (DESIGN.md section 4: for 1,000,000 small keys,
// within 2x of real redis-server's SAVE and load in the same run), and the
// same for a few large collections, beside a real redis-server 7.0.15
// holding the same dataset:
// - encode: SAVE, wall time from the command to its +OK (redis-server
//   writes, fsyncs and renames the file; the engine writes its disk's file);
// - decode: the load at start-up. redis-server's figure is what its log
//   says ("DB loaded from disk: N seconds"); the engine's is the wall time
//   of starting a node whose disk holds the very file redis-server wrote
//   (so both decode the same bytes), which includes reading it from its
//   disk as redis-server's figure does.
// Each side fills itself with the same commands (DEBUG POPULATE, or
// pipelined writes of 1000 elements each); after every load both answer
// DEBUG DIGEST, which must agree, as must the sizes of the files.
// The engine runs here in-process, as under serve: every lazy part installed at start.
import '../../src/engine/eager-parts.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { World } from '../../src/sim/world.ts';
import { encodeCommand, ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { freePort } from '../../tests/support/ports.ts';
import { RawClient } from '../../tests/support/raw-client.ts';
import { startServer, type Server } from './procs.ts';
import { REDIS_SERVER } from './serve.ts';
import { collectGarbage } from './gc.ts';
import { median } from './stats.ts';

export interface RdbDataset {
  readonly id: string;
  readonly label: string;
  /** The commands that build it, on either side. */
  readonly fill: () => Iterable<string[]>;
  /** Keys it holds (checked after each load). */
  readonly keys: number;
  /** The §4 target applies (encode and decode within 2x of real redis-server). */
  readonly target: boolean;
}

/** `count` elements in commands of 1000: `head` then the elements' arguments. */
function* batches(count: number, head: string[], args: (i: number) => string[]): Iterable<string[]> {
  for (let from = 0; from < count; from += 1000) {
    const cmd = [...head];
    for (let i = from; i < Math.min(count, from + 1000); i++) cmd.push(...args(i));
    yield cmd;
  }
}

const M = 1_000_000;

export const RDB_DATASETS: readonly RdbDataset[] = [
  { id: 'small-100k', label: '100,000 small keys (DEBUG POPULATE)', fill: () => [['DEBUG', 'POPULATE', '100000']], keys: 100_000, target: false },
  { id: 'small-1m', label: '1,000,000 small keys (DEBUG POPULATE)', fill: () => [['DEBUG', 'POPULATE', String(M)]], keys: M, target: true },
  { id: 'list-1m', label: 'a list of 1,000,000 elements', fill: () => batches(M, ['RPUSH', 'list'], (i) => [`element:${i}`]), keys: 1, target: false },
  { id: 'hash-1m', label: 'a hash of 1,000,000 fields', fill: () => batches(M, ['HSET', 'hash'], (i) => [`field:${i}`, `value:${i}`]), keys: 1, target: false },
  { id: 'set-1m', label: 'a set of 1,000,000 members', fill: () => batches(M, ['SADD', 'set'], (i) => [`member:${i}`]), keys: 1, target: false },
  { id: 'zset-1m', label: 'a sorted set of 1,000,000 members', fill: () => batches(M, ['ZADD', 'zset'], (i) => [String(i), `member:${i}`]), keys: 1, target: false },
];

export interface RdbSideResult {
  /** Wall ms of each SAVE. */
  readonly saveMs: number[];
  /** Wall ms (engine) or the logged seconds x 1000 (redis-server) of each start-up load. */
  readonly loadMs: number[];
  readonly fileBytes: number;
}

export interface RdbResult {
  readonly dataset: RdbDataset;
  readonly engine: RdbSideResult;
  readonly redis: RdbSideResult;
  /** DEBUG DIGEST of redis-server and of the engine after loading redis-server's file (equal, else the run fails). */
  readonly digest: string;
}

const bytes = (s: string) => Buffer.from(s, 'latin1');
const text = (r: Reply) => (r.type === 'bulk' || r.type === 'status' || r.type === 'error' ? Buffer.from(r.type === 'bulk' ? r.value : r.text).toString('latin1') : JSON.stringify(r));

/** A client of a node of a World in this process: pipelined commands, their replies. */
function engineClient(world: World, port: number): (cmds: Iterable<string[]>) => Reply[] {
  const reader = new ReplyReader();
  const conn = world.connectExternal(port, { data: (b) => reader.feed(b), closed: () => {} });
  if (!conn) throw new Error(`node ${port} refused the connection`);
  return (cmds) => {
    const replies: Reply[] = [];
    for (const c of cmds) {
      conn.write(encodeCommand(c.map(bytes)));
      for (let r = reader.next(); r; r = reader.next()) replies.push(r);
    }
    return replies;
  };
}

/** Pipelined commands to a real server (in batches, so the socket's buffers stay small); their replies. */
async function realCommands(client: RawClient, cmds: Iterable<string[]>, timeoutMs: number): Promise<Reply[]> {
  const replies: Reply[] = [];
  let pending = 0;
  const drain = async (keep: number) => {
    for (; pending > keep; pending--) replies.push((await client.read(timeoutMs)).reply);
  };
  for (const c of cmds) {
    client.write(encodeCommand(c.map(bytes)));
    if (++pending >= 64) await drain(16);
  }
  await drain(0);
  return replies;
}

function expectOk(replies: Reply[], what: string): void {
  const bad = replies.find((r) => r.type === 'error');
  if (bad) throw new Error(`${what}: ${text(bad)}`);
}

async function timeRealSave(client: RawClient): Promise<number> {
  const t = performance.now();
  const r = await client.command('SAVE');
  const ms = performance.now() - t;
  if (text(r) !== 'OK') throw new Error(`redis-server SAVE: ${text(r)}`);
  return ms;
}

export interface RdbBenchOptions {
  readonly runs: number;
  readonly log: (line: string) => void;
  readonly track: (s: Server) => void;
}

export async function runRdbBench(datasets: readonly RdbDataset[], opts: RdbBenchOptions): Promise<RdbResult[]> {
  const results: RdbResult[] = [];
  for (const ds of datasets) {
    results.push(await runDataset(ds, opts));
    const r = results.at(-1)!;
    opts.log(
      `  rdb ${ds.id}: SAVE engine ${median(r.engine.saveMs).toFixed(0)} ms / redis-server ${median(r.redis.saveMs).toFixed(0)} ms; ` +
        `load engine ${median(r.engine.loadMs).toFixed(0)} ms / redis-server ${median(r.redis.loadMs).toFixed(0)} ms; files ${r.engine.fileBytes} / ${r.redis.fileBytes} bytes`,
    );
  }
  return results;
}

async function runDataset(ds: RdbDataset, opts: RdbBenchOptions): Promise<RdbResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `replscope-bench-rdb-${ds.id}-`));
  const servers: Server[] = [];
  const start = async (): Promise<Server> => {
    const port = await freePort();
    const s = await startServer(
      'redis-server',
      REDIS_SERVER,
      ['--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', '--loglevel', 'notice'],
      port,
      { cwd: dir, readyTimeoutMs: 120_000 },
    );
    servers.push(s);
    opts.track(s);
    return s;
  };
  try {
    // redis-server: fill, SAVE `runs` times, then start it again from the file `runs` times.
    let server = await start();
    let client = await RawClient.connect(server.port);
    expectOk(await realCommands(client, ds.fill(), 60_000), `redis-server filling ${ds.id}`);
    const redisSave: number[] = [];
    for (let i = 0; i < opts.runs; i++) redisSave.push(await timeRealSave(client));
    const digest = text(await client.command('DEBUG', 'DIGEST'));
    client.close();
    await server.stop();
    const realFile = new Uint8Array(fs.readFileSync(path.join(dir, 'dump.rdb')));
    const redisLoad: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      server = await start();
      const m = /DB loaded from disk: ([\d.]+) seconds/.exec(server.output());
      if (!m) throw new Error(`redis-server did not log its load of ${ds.id}:\n${server.output()}`);
      redisLoad.push(Number(m[1]) * 1000);
      client = await RawClient.connect(server.port);
      const got = text(await client.command('DEBUG', 'DIGEST'));
      client.close();
      await server.stop();
      if (got !== digest) throw new Error(`redis-server's digest changed across its own save and load of ${ds.id}`);
    }

    // The engine: the same commands, SAVE, then nodes started from redis-server's file.
    const world = new World({ directives: [['enable-debug-command', 'yes']] });
    const run = engineClient(world, 6379);
    expectOk(run(ds.fill()), `the engine filling ${ds.id}`);
    const engineSave: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      collectGarbage();
      const t = performance.now();
      const [r] = run([['SAVE']]);
      engineSave.push(performance.now() - t);
      if (text(r) !== 'OK') throw new Error(`engine SAVE: ${text(r)}`);
    }
    const engineFile = world.disk(6379).read('dump.rdb')!;
    const engineDigest = text(run([['DEBUG', 'DIGEST']])[0]);
    if (engineDigest !== digest) throw new Error(`${ds.id}: the engine's dataset has digest ${engineDigest}, redis-server's ${digest}`);
    world.crashNode(6379); // its keys go: only the loading node holds a dataset from here on
    const engineLoad: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      world.crashNode(6380);
      world.disk(6380).write('dump.rdb', realFile);
      collectGarbage();
      const t = performance.now();
      const started = world.startNode(6380);
      engineLoad.push(performance.now() - t);
      if (!started) throw new Error(`the engine could not start from redis-server's file of ${ds.id}:\n${world.logs(6380).map((l) => l.line).join('\n')}`);
      const [size, loadedDigest] = engineClient(world, 6380)([['DBSIZE'], ['DEBUG', 'DIGEST']]);
      if (size.type !== 'integer' || Number(size.value) !== ds.keys) throw new Error(`the engine loaded ${JSON.stringify(size)} keys of ${ds.id}, not ${ds.keys}`);
      if (text(loadedDigest) !== digest) throw new Error(`${ds.id}: the engine loaded redis-server's file with digest ${text(loadedDigest)}, not ${digest}`);
    }
    world.crashNode(6380);
    return {
      dataset: ds,
      engine: { saveMs: engineSave, loadMs: engineLoad, fileBytes: engineFile.length },
      redis: { saveMs: redisSave, loadMs: redisLoad, fileBytes: realFile.length },
      digest,
    };
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** bench/results.md's section. */
export function renderRdbSection(results: readonly RdbResult[]): string {
  const out = [
    '',
    '## RDB encode and decode beside redis-server',
    '',
    '| dataset | file bytes (engine / redis-server) | SAVE: engine | SAVE: redis-server | ratio | load: engine | load: redis-server | ratio | DESIGN.md target | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |',
  ];
  for (const r of results) {
    const es = median(r.engine.saveMs);
    const rs = median(r.redis.saveMs);
    const el = median(r.engine.loadMs);
    const rl = median(r.redis.loadMs);
    const met = r.dataset.target ? (es / rs <= 2 && el / rl <= 2 ? 'yes' : '**no**') : '—';
    out.push(
      `| ${r.dataset.label} | ${r.engine.fileBytes} / ${r.redis.fileBytes} | ${es.toFixed(0)} ms | ${rs.toFixed(0)} ms | ${(es / rs).toFixed(2)}× | ` +
        `${el.toFixed(0)} ms | ${rl.toFixed(0)} ms | ${(el / rl).toFixed(2)}× | ${r.dataset.target ? '≤ 2× real redis-server, same run (§4)' : '— (reported)'} | ${met} |`,
    );
  }
  out.push(
    '',
    'Medians of the runs (every run in results.json). SAVE: wall time from the command to its +OK (redis-server writes,',
    'fsyncs and renames the file in a temp dir; the engine writes its in-memory disk). Load: redis-server\'s own "DB loaded',
    'from disk: N seconds" at start-up; the engine: wall time of starting a node whose disk holds the file redis-server wrote',
    '(reading it from the disk included). Both sides are filled with the same commands and must agree on DEBUG DIGEST, before',
    'SAVE and after every load.',
    '',
  );
  return out.join('\n');
}
