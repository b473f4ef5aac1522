// The serve path: `npm run serve` (src/node/main.ts under tsx) and a real
// redis-server, each on a free port, both measured by redis-benchmark in the
// same run, interleaved (each config on one server, then the other) so drift
// in the machine's load hits both alike.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/support/ports.ts';
import { RawClient } from '../../tests/support/raw-client.ts';
import { startServer, pingOnce, type Server, type StopReport } from './procs.ts';
import { redisBenchmark, type BenchRow } from './redis-benchmark.ts';
import { ECHO_BENCH_ARG } from './inprocess.ts';
import { median, showBytes } from './stats.ts';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export interface BenchConfig {
  readonly id: string;
  readonly label: string;
  /** redis-benchmark options before -n. */
  readonly options: string[];
  /** A command line to benchmark instead of -t tests (goes last). */
  readonly command: string[];
  /** CSV row names this config yields. */
  readonly tests: readonly string[];
  /** -n of the warm-up run and of the calibration run. */
  readonly calibrationN: number;
  /** Seconds each test of a measured run should take. */
  readonly targetSec: number;
  /** -n is rounded to a multiple of this (clients x pipeline). */
  readonly nStep: number;
}

export const ECHO_TEST = `echo ${ECHO_BENCH_ARG}`;

export const CONFIGS: readonly BenchConfig[] = [
  {
    id: 'ping-P64',
    label: 'PING, -P 64 -c 50',
    options: ['-t', 'ping', '-P', '64', '-c', '50'],
    command: [],
    tests: ['PING_INLINE', 'PING_MBULK'],
    calibrationN: 320_000,
    targetSec: 1.2,
    nStep: 3200,
  },
  {
    id: 'echo16-P64',
    label: 'ECHO 16-byte arg, -P 64 -c 50',
    options: ['-P', '64', '-c', '50'],
    command: ['echo', ECHO_BENCH_ARG],
    tests: [ECHO_TEST],
    calibrationN: 320_000,
    targetSec: 1.2,
    nStep: 3200,
  },
  {
    id: 'ping-P1',
    label: 'PING, -P 1 -c 50 (no pipelining)',
    options: ['-t', 'ping', '-P', '1', '-c', '50'],
    command: [],
    tests: ['PING_INLINE', 'PING_MBULK'],
    calibrationN: 25_000,
    targetSec: 1.2,
    nStep: 50,
  },
];

export interface ServeTestResult {
  readonly test: string;
  /** One row per measured run. */
  readonly runs: BenchRow[];
  readonly medianRps: number;
  /** The run whose rps is the median (or nearest above it), for latencies. */
  readonly medianRow: BenchRow;
}

export interface ServerResult {
  readonly name: string;
  readonly command: string[];
  readonly port: number;
  /** per config id: the -n used and the per-test results. */
  readonly configs: Record<string, { n: number; calibrationRps: number; tests: Record<string, ServeTestResult> }>;
  configWarning: boolean;
  readonly stderrNotes: string[];
  memory: { rssKb: number; hwmKb: number } | null;
  /** Lines the server printed after it became ready (before it was told to stop). */
  logDuringBench: string[];
  stop: StopReport | null;
  /** Slowest post-run health PING, ms. */
  maxHealthPingMs: number;
}

export interface ServeResults {
  readonly runs: number;
  readonly servers: ServerResult[];
}

export interface ServeOptions {
  readonly root: string;
  readonly runs: number;
  readonly log: (line: string) => void;
  /** Registered so a signal handler can stop the servers too. */
  readonly track: (s: Server) => void;
}

/** Pipelined inline PING, multibulk PING and ECHO on one connection: exact reply bytes. */
async function checkReplies(name: string, port: number): Promise<void> {
  const count = 100;
  const cases = [
    { req: 'PING\r\n', rep: '+PONG\r\n' },
    { req: '*1\r\n$4\r\nPING\r\n', rep: '+PONG\r\n' },
    { req: `*2\r\n$4\r\nECHO\r\n$16\r\n${ECHO_BENCH_ARG}\r\n`, rep: `$16\r\n${ECHO_BENCH_ARG}\r\n` },
  ];
  const c = await RawClient.connect(port);
  try {
    for (const { req, rep } of cases) {
      c.write(Buffer.from(req.repeat(count), 'latin1'));
      for (let i = 0; i < count; i++) {
        const { bytes } = await c.read(5000);
        const got = Buffer.from(bytes).toString('latin1');
        if (got !== rep) {
          throw new Error(`${name}: reply ${i} to ${JSON.stringify(req)} was "${showBytes(bytes)}", expected ${JSON.stringify(rep)}`);
        }
      }
    }
  } finally {
    c.close();
  }
}

function roundN(n: number, step: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(n / step) * step));
}

export async function runServePath(opts: ServeOptions): Promise<ServeResults> {
  const servers: Server[] = [];
  const results: ServerResult[] = [];
  const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-bench-redis-'));
  try {
    const replscopePort = await freePort();
    let redisPort = await freePort();
    while (redisPort === replscopePort) redisPort = await freePort();

    opts.log(`starting npm run serve (src/node/main.ts under tsx) on port ${replscopePort}`);
    // `node --import tsx` is what `npx tsx` runs, minus the npm and tsx
    // wrapper processes: the pid we hold is the server itself.
    const replscope = await startServer(
      'replscope serve',
      process.execPath,
      ['--import', 'tsx', 'src/node/main.ts', '--nodes', '1', '--port', String(replscopePort)],
      replscopePort,
      { cwd: opts.root, readyTimeoutMs: 30_000 },
    );
    servers.push(replscope);
    opts.track(replscope);
    opts.log(`starting redis-server on port ${redisPort}`);
    const redis = await startServer(
      'redis-server',
      REDIS_SERVER,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', redisDir, '--daemonize', 'no', '--logfile', ''],
      redisPort,
      { readyTimeoutMs: 10_000 },
    );
    servers.push(redis);
    opts.track(redis);

    for (const s of servers) {
      await checkReplies(s.name, s.port);
      results.push({
        name: s.name,
        command: s.command,
        port: s.port,
        configs: {},
        configWarning: false,
        stderrNotes: [],
        memory: null,
        logDuringBench: [],
        stop: null,
        maxHealthPingMs: 0,
      });
    }

    const healthCheck = async (s: Server, r: ServerResult, after: string) => {
      if (s.exited) throw new Error(`${s.name} exited during ${after} (${s.exitDescription()}); output:\n${s.output().slice(-4000)}`);
      const t0 = performance.now();
      const reply = await pingOnce(s.port, 5000);
      const ms = performance.now() - t0;
      if (reply !== '+PONG\r\n') {
        throw new Error(`${s.name} did not answer PING within 5 s after ${after} (got ${reply === null ? 'nothing' : JSON.stringify(reply)})`);
      }
      r.maxHealthPingMs = Math.max(r.maxHealthPingMs, ms);
    };

    const bench = async (s: Server, r: ServerResult, cfg: BenchConfig, n: number) => {
      // A bound well above the expected time: redis-benchmark waits forever on a stalled server.
      const calibrated = r.configs[cfg.id]?.calibrationRps;
      const timeoutMs = calibrated ? Math.max(20_000, ((n * cfg.tests.length) / calibrated) * 8000) : 30_000;
      const run = await redisBenchmark(s.port, [...cfg.options, '-n', String(n)], cfg.command, cfg.tests, timeoutMs);
      r.configWarning ||= run.configWarning;
      for (const note of run.stderrNotes) if (!r.stderrNotes.includes(note)) r.stderrNotes.push(note);
      await healthCheck(s, r, `redis-benchmark ${cfg.label}`);
      return run;
    };

    // A warm-up (a fresh node runs cold code: its first run is much slower),
    // then a calibration run sizing -n so each test takes about targetSec.
    for (let i = 0; i < servers.length; i++) {
      for (const cfg of CONFIGS) await bench(servers[i], results[i], cfg, cfg.calibrationN);
      for (const cfg of CONFIGS) {
        const run = await bench(servers[i], results[i], cfg, cfg.calibrationN);
        const slowest = Math.min(...cfg.tests.map((t) => run.rows.get(t)!.rps));
        const n = roundN(slowest * cfg.targetSec, cfg.nStep, cfg.calibrationN, 20_000_000);
        results[i].configs[cfg.id] = { n, calibrationRps: slowest, tests: {} };
        opts.log(`  calibrated ${servers[i].name} ${cfg.label}: ${Math.round(slowest)}/s -> -n ${n}`);
      }
    }

    const rows: Array<Record<string, Record<string, BenchRow[]>>> = servers.map(() => ({}));
    // Interleaved finely (each config on one server, then on the other) so
    // that the two figures of a pair are taken seconds apart.
    for (let run = 1; run <= opts.runs; run++) {
      for (const cfg of CONFIGS) {
        for (let i = 0; i < servers.length; i++) {
          const got = await bench(servers[i], results[i], cfg, results[i].configs[cfg.id].n);
          const perTest = (rows[i][cfg.id] ??= {});
          const summary: string[] = [];
          for (const t of cfg.tests) {
            (perTest[t] ??= []).push(got.rows.get(t)!);
            summary.push(`${t} ${Math.round(got.rows.get(t)!.rps)}/s`);
          }
          opts.log(`  run ${run}/${opts.runs} ${servers[i].name} ${cfg.label}: ${summary.join(', ')}`);
        }
      }
    }

    for (let i = 0; i < servers.length; i++) {
      for (const cfg of CONFIGS) {
        for (const t of cfg.tests) {
          const runs = rows[i][cfg.id][t];
          const med = median(runs.map((x) => x.rps));
          const medianRow = [...runs].sort((a, b) => a.rps - b.rps)[runs.length >> 1];
          results[i].configs[cfg.id].tests[t] = { test: t, runs, medianRps: med, medianRow };
        }
      }
      results[i].memory = servers[i].memory();
      results[i].logDuringBench = servers[i].outputSinceReady().split('\n').filter((l) => l.trim() !== '');
    }
  } finally {
    for (let i = 0; i < servers.length; i++) {
      const report = await servers[i].stop().catch((e: Error) => ({ how: `stop failed: ${e.message}`, code: null, signal: null }));
      if (results[i]) results[i].stop = report;
    }
    fs.rmSync(redisDir, { recursive: true, force: true });
  }
  return { runs: opts.runs, servers: results };
}
