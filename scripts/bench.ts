// `npm run bench`: the budgets of DESIGN.md section 4 that exist so far.
// 1. The engine in-process on its real dispatch path (RESP bytes in, reply
//    bytes out through World.connectExternal): pipelined PING and ECHO.
// 2. The serve path: `npm run serve` and a real redis-server 7.0.15, both
//    measured by redis-benchmark in the same run.
// Writes bench/results.md (the table, also printed) and bench/results.json
// (every run). Exits 1 when something failed (a wrong reply, a server that
// died or stalled, a missing tool); a budget not met is reported, not fatal.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IN_PROCESS_CASES, runInProcessCase, type InProcessResult } from './bench/inprocess.ts';
import { runServePath, REDIS_SERVER, type ServeResults } from './bench/serve.ts';
import { REDIS_BENCHMARK, killRunningBenchmarks } from './bench/redis-benchmark.ts';
import { buildTable, renderMarkdown, renderTable, type Environment, type Results } from './bench/report.ts';
import type { Server } from './bench/procs.ts';
import { rate, median } from './bench/stats.ts';
import { runSimFullSync, type SyncResult } from './bench/sync.ts';
import { renderUiSection, runUiBench, type UiBenchResult } from './bench/ui.ts';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'bench');
const INSTALL_HINT = 'apt-get install -y redis-server redis-tools';

const IN_PROCESS = { runs: 5, warmupMs: 300, runMs: 400 };
const SERVE_RUNS = 5;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** The version a redis tool prints, or an error naming the packages to install. */
function toolVersion(cmd: string): string {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? (r.error as NodeJS.ErrnoException).code ?? r.error.message : `exit code ${r.status}`;
    throw new Error(`${cmd} is needed for the serve-path benchmark and could not run (${why}). Install it: ${INSTALL_HINT}`);
  }
  // "Redis server v=7.0.15 sha=...", "redis-benchmark 7.0.15"
  return /v=(\S+)/.exec(r.stdout)?.[1] ?? /\b(\d+\.\d+\.\d+)\b/.exec(r.stdout)?.[1] ?? r.stdout.trim();
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** How busy the machine's CPUs are (0..1) over `ms`, from /proc/stat; null when unreadable. */
async function cpuBusy(ms: number): Promise<number | null> {
  const sample = () => {
    const f = /^cpu\s+(.+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'))![1].trim().split(/\s+/).map(Number);
    const idle = f[3] + (f[4] ?? 0); // idle + iowait
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    await new Promise((r) => setTimeout(r, ms));
    const b = sample();
    return b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  const t0 = performance.now();
  const errors: string[] = [];
  const environment: Environment = {
    date: new Date().toISOString(),
    node: process.version,
    redisServer: '',
    redisBenchmark: '',
    cpuModel: cpuModel(),
    cpus: os.cpus().length,
    loadavgStart: os.loadavg(),
    busyBefore: await cpuBusy(1000),
    loadavgEnd: [],
    gitCommit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    gitDirty: git(['status', '--porcelain', '--', '.', ':!bench']) !== '', // bench/ holds this run's own output
  };
  try {
    environment.redisServer = toolVersion(REDIS_SERVER);
    environment.redisBenchmark = toolVersion(REDIS_BENCHMARK);
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 1;
  }

  const inProcess: InProcessResult[] = [];
  log(`in-process: ${IN_PROCESS_CASES.length} cases, ${IN_PROCESS.runs} runs each after a warm-up`);
  try {
    for (const c of IN_PROCESS_CASES) {
      const r = runInProcessCase(c, IN_PROCESS);
      inProcess.push(r);
      log(`  ${c.label}: median ${rate(r.median)} (runs: ${r.runs.map((x) => rate(x)).join(', ')})`);
    }
  } catch (e) {
    errors.push((e as Error).message);
  }

  // The simulator's full sync of 1M small keys (DESIGN.md 4: under 2 s of host time, never more than 50 ms at a time).
  const syncRuns: SyncResult[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const r = runSimFullSync(1_000_000);
      syncRuns.push(r);
      log(`  sim full sync of 1M keys: ${r.hostMs.toFixed(0)} ms host time, longest event ${r.longestEventMs.toFixed(0)} ms (${r.longestEventWhat}), longest event of the fork ${r.longestForkEventMs.toFixed(0)} ms, RDB ${r.rdbBytes} bytes`);
    }
  } catch (e) {
    errors.push((e as Error).message);
  }

  // The page's frames during a full sync of 1M keys (DESIGN.md 4: every frame under 17 ms, JS under 6 ms per frame).
  let ui: UiBenchResult | null = null;
  try {
    ui = await runUiBench(1_000_000, log);
  } catch (e) {
    errors.push(`ui: ${(e as Error).message}`);
  }

  // From here on, stop what we started if we are interrupted (before this,
  // the default handling ends the synchronous in-process part at once).
  const started: Server[] = [];
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal} received: stopping the servers this run started`);
    killRunningBenchmarks();
    void Promise.allSettled(started.map((s) => s.stop())).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let serve: ServeResults | null = null;
  log(`serve path: npm run serve and redis-server under redis-benchmark, ${SERVE_RUNS} runs each after a warm-up and a calibration run`);
  try {
    serve = await runServePath({ root, runs: SERVE_RUNS, log, track: (s) => started.push(s) });
  } catch (e) {
    errors.push((e as Error).message);
  }

  environment.loadavgEnd = os.loadavg();
  const results: Results = {
    environment,
    durationSec: (performance.now() - t0) / 1000,
    inProcess,
    serve,
    table: buildTable(inProcess, serve),
    errors,
  };
  const fullSync = syncRuns.length
    ? {
        runs: syncRuns,
        medianHostMs: median(syncRuns.map((r) => r.hostMs)),
        medianLongestEventMs: median(syncRuns.map((r) => r.longestEventMs)),
        medianLongestForkEventMs: median(syncRuns.map((r) => r.longestForkEventMs)),
      }
    : null;
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ ...results, fullSync, ui }, null, 2) + '\n');
  const syncSection = fullSync
    ? `\n## Simulated full sync (1,000,000 small keys, unlimited bandwidth)\n\n` +
      `| what | median | budget | met |\n| --- | ---: | ---: | --- |\n` +
      `| host time, REPLICAOF to link up | ${fullSync.medianHostMs.toFixed(0)} ms | < 2000 ms | ${fullSync.medianHostMs < 2000 ? 'yes' : 'no'} |\n` +
      `| longest single event | ${fullSync.medianLongestEventMs.toFixed(0)} ms | ≤ 50 ms | ${fullSync.medianLongestEventMs <= 50 ? 'yes' : 'no'} |\n` +
      `| longest event of the master's fork (its snapshot passes and pieces) | ${fullSync.medianLongestForkEventMs.toFixed(0)} ms | ≤ 50 ms | ${fullSync.medianLongestForkEventMs <= 50 ? 'yes' : 'no'} |\n` +
      `\nRDB of ${syncRuns[0].rdbBytes} bytes; runs: ${syncRuns.map((r) => `${r.hostMs.toFixed(0)}/${r.longestEventMs.toFixed(0)}/${r.longestForkEventMs.toFixed(0)} ms`).join(', ')} ` +
      `(host/longest/longest of the fork). Events are timed one at a time (hosts yield between events); the longest was during: ` +
      `${syncRuns.map((r) => r.longestEventWhat).join('; ')}.\n`
    : '';
  fs.writeFileSync(path.join(outDir, 'results.md'), renderMarkdown(results) + syncSection + (ui ? renderUiSection(ui) : ''));

  console.log(`\nReplscope bench, ${environment.date}, node ${environment.node}, redis-server ${environment.redisServer}, ${environment.cpuModel} × ${environment.cpus}\n`);
  console.log(renderTable(results.table));
  console.log(`\nWrote bench/results.md and bench/results.json (${results.durationSec.toFixed(1)} s).`);
  for (const err of errors) console.error(`\nbench: FAILED: ${err}`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
