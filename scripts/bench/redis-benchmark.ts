// Runs redis-benchmark 7.0 with --csv and parses its rows:
//   "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
//   "PING_INLINE","1398601.38","2.003",...
// A run that outlives its bound is killed (redis-benchmark waits forever on
// a server that never answers), and one without the expected rows fails.
import { spawn, type ChildProcess } from 'node:child_process';

export const REDIS_BENCHMARK = process.env.REDIS_BENCHMARK ?? 'redis-benchmark';

export interface BenchRow {
  readonly test: string;
  readonly rps: number;
  readonly avgMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface BenchRun {
  readonly args: string[];
  readonly rows: Map<string, BenchRow>;
  readonly wallMs: number;
  /** stderr lines other than the CONFIG warning every non-Redis server gets. */
  readonly stderrNotes: string[];
  /** True when the server could not answer CONFIG GET (redis-benchmark then warns and goes on). */
  readonly configWarning: boolean;
}

/** Splits one CSV line of double-quoted fields (redis-benchmark quotes every field). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push(m[1].replace(/""/g, '"'));
  return out;
}

export function parseCsv(text: string): Map<string, BenchRow> {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('"'));
  const rows = new Map<string, BenchRow>();
  if (lines.length === 0) return rows;
  const header = csvFields(lines[0]);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`redis-benchmark CSV has no "${name}" column; header: ${lines[0]}`);
    return i;
  };
  const [iTest, iRps, iAvg, iP50, iP99, iMax] = ['test', 'rps', 'avg_latency_ms', 'p50_latency_ms', 'p99_latency_ms', 'max_latency_ms'].map(col);
  for (const line of lines.slice(1)) {
    const f = csvFields(line);
    const num = (i: number) => Number(f[i]);
    rows.set(f[iTest], { test: f[iTest], rps: num(iRps), avgMs: num(iAvg), p50Ms: num(iP50), p99Ms: num(iP99), maxMs: num(iMax) });
  }
  return rows;
}

const running = new Set<ChildProcess>();

/** Kills the redis-benchmark runs still going (for an interrupted bench). */
export function killRunningBenchmarks(): void {
  for (const child of running) child.kill('SIGKILL');
}

export async function redisBenchmark(
  port: number,
  options: string[],
  command: readonly string[],
  expectTests: readonly string[],
  timeoutMs: number,
): Promise<BenchRun> {
  // A command to benchmark goes after every option.
  const full = ['-h', '127.0.0.1', '-p', String(port), ...options, '-q', '--csv', ...command];
  const child = spawn(REDIS_BENCHMARK, full, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const t0 = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve({ code: c, signal: s }));
  }).finally(() => {
    clearTimeout(timer);
    running.delete(child);
  });
  const wallMs = performance.now() - t0;
  const what = `redis-benchmark ${full.join(' ')}`;
  if (timedOut) throw new Error(`${what}: no result within ${timeoutMs} ms (killed); stdout:\n${stdout}\nstderr:\n${stderr}`);
  if (code !== 0) throw new Error(`${what}: exit code ${code} signal ${signal}; stdout:\n${stdout}\nstderr:\n${stderr}`);
  const rows = parseCsv(stdout);
  for (const t of expectTests) {
    const row = rows.get(t);
    if (!row) throw new Error(`${what}: no "${t}" row in its CSV:\n${stdout}`);
    if (!(row.rps > 0)) throw new Error(`${what}: "${t}" rps is ${row.rps}`);
  }
  const stderrLines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const configWarning = stderrLines.some((l) => l.includes('Could not fetch server CONFIG'));
  return {
    args: full,
    rows,
    wallMs,
    stderrNotes: stderrLines.filter((l) => !l.includes('Could not fetch server CONFIG')),
    configWarning,
  };
}
