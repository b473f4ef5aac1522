// Turns the measurements into the comparison table (bench/results.md) and
// the raw record (bench/results.json).
import type { InProcessResult } from './inprocess.ts';
import { ECHO_TEST, CONFIGS, type ServeResults, type ServerResult } from './serve.ts';
import { median, rate, ratio } from './stats.ts';

export interface Environment {
  date: string;
  node: string;
  redisServer: string;
  redisBenchmark: string;
  cpuModel: string;
  cpus: number;
  loadavgStart: number[];
  /** Share of all CPUs busy (0..1) during the second before the bench started. */
  busyBefore: number | null;
  loadavgEnd: number[];
  gitCommit: string;
  gitDirty: boolean;
}

export interface TableRow {
  what: string;
  replscope: number | null;
  realRedis: number | null;
  /** replscope / realRedis (of the medians). */
  ratio: number | null;
  /** Serve path: the median of run-by-run ratios (each pair taken seconds apart). */
  pairedRatio: number | null;
  target: string;
  /** The ratio the target asks for, when there is one. */
  minRatio: number | null;
  met: boolean | null;
}

export interface Results {
  environment: Environment;
  durationSec: number;
  inProcess: InProcessResult[];
  serve: ServeResults | null;
  table: TableRow[];
  errors: string[];
}

const ENGINE_TARGET = '≥ 1× real redis-server pipelined (§4 engine budget, stated for SET/GET)';
const SERVE_TARGET = '≥ 0.5× real redis-server, same run (§4 serve budget, stated for SET)';
const NO_TARGET = '— (client-bound; §4 quotes ≈80k/s for real redis)';

function serveRps(s: ServerResult | undefined, configId: string, test: string): number | null {
  return s?.configs[configId]?.tests[test]?.medianRps ?? null;
}

export function buildTable(inProcess: readonly InProcessResult[], serve: ServeResults | null): TableRow[] {
  const replscope = serve?.servers.find((s) => s.name === 'replscope serve');
  const redis = serve?.servers.find((s) => s.name === 'redis-server');
  const rows: TableRow[] = [];
  const add = (what: string, a: number | null, b: number | null, target: string, minRatio: number | null, pairedRatio: number | null = null) => {
    const r = ratio(a, b);
    rows.push({ what, replscope: a, realRedis: b, ratio: r, pairedRatio, target, minRatio, met: minRatio === null || r === null ? null : r >= minRatio });
  };
  // The engine in-process against real redis-server over loopback with the
  // same command shape: the comparison §4 makes for SET and GET.
  const realFor: Record<string, number | null> = {
    'ping-mbulk-64': serveRps(redis, 'ping-P64', 'PING_MBULK'),
    'ping-mbulk-1000': serveRps(redis, 'ping-P64', 'PING_MBULK'),
    'echo16-64': serveRps(redis, 'echo16-P64', ECHO_TEST),
    'echo16-1000': serveRps(redis, 'echo16-P64', ECHO_TEST),
    'ping-inline-1000': serveRps(redis, 'ping-P64', 'PING_INLINE'),
  };
  for (const r of inProcess) {
    add(`in-process: ${r.label} (real redis: redis-benchmark -P 64 -c 50)`, r.median, realFor[r.id] ?? null, ENGINE_TARGET, 1);
  }
  const serveRows: Array<[string, string, string, number | null]> = [
    ['ping-P64', 'PING_INLINE', 'serve: PING_INLINE, -P 64 -c 50', 0.5],
    ['ping-P64', 'PING_MBULK', 'serve: PING_MBULK, -P 64 -c 50', 0.5],
    ['echo16-P64', ECHO_TEST, 'serve: ECHO 16-byte arg, -P 64 -c 50', 0.5],
    ['ping-P1', 'PING_INLINE', 'serve: PING_INLINE, -P 1 -c 50', null],
    ['ping-P1', 'PING_MBULK', 'serve: PING_MBULK, -P 1 -c 50', null],
  ];
  for (const [cfg, test, what, min] of serveRows) {
    const ours = replscope?.configs[cfg]?.tests[test]?.runs ?? [];
    const theirs = redis?.configs[cfg]?.tests[test]?.runs ?? [];
    const pairs = ours.map((x, i) => ratio(x.rps, theirs[i]?.rps)).filter((x): x is number => x !== null);
    const paired = pairs.length > 0 ? median(pairs) : null;
    add(what, serveRps(replscope, cfg, test), serveRps(redis, cfg, test), min === null ? NO_TARGET : SERVE_TARGET, min, paired);
  }
  return rows;
}

/** Two decimals, or three when two would hide which side of the target it is on (0.996 vs 1). */
function fmtRatio(r: number | null, min: number | null): string {
  if (r === null) return 'n/a';
  const two = r.toFixed(2);
  return min !== null && r < min !== Number(two) < min ? `${r.toFixed(3)}×` : `${two}×`;
}
const fmtMet = (m: boolean | null) => (m === null ? '—' : m ? 'yes' : '**no**');

export function renderTable(rows: readonly TableRow[]): string {
  const lines = [
    '| what | replscope | real redis-server | ratio (paired) | DESIGN.md target | met |',
    '| --- | ---: | ---: | ---: | --- | :---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.what} | ${rate(r.replscope)} | ${rate(r.realRedis)} | ${fmtRatio(r.ratio, r.minRatio)}${r.pairedRatio === null ? '' : ` (${fmtRatio(r.pairedRatio, r.minRatio)})`} | ${r.target} | ${fmtMet(r.met)} |`);
  }
  return lines.join('\n');
}

export function renderMarkdown(res: Results): string {
  const e = res.environment;
  const out: string[] = [];
  out.push('# Replscope benchmark results', '');
  out.push(`Written by \`npm run bench\` (scripts/bench.ts). Medians; see results.json for every run.`, '');
  out.push(`- date: ${e.date}`);
  out.push(`- node: ${e.node}; redis-server: ${e.redisServer}; redis-benchmark: ${e.redisBenchmark}`);
  out.push(`- CPU: ${e.cpuModel} × ${e.cpus}`);
  out.push(`- CPUs busy in the second before the start: ${e.busyBefore === null ? 'n/a' : `${(e.busyBefore * 100).toFixed(0)}%`}`);
  out.push(`- load average at start / end: ${e.loadavgStart.map((x) => x.toFixed(2)).join(' ')} / ${e.loadavgEnd.map((x) => x.toFixed(2)).join(' ')}`);
  out.push(`- commit: ${e.gitCommit}${e.gitDirty ? ' (with uncommitted changes)' : ''}`);
  out.push(`- total run time: ${res.durationSec.toFixed(1)} s`, '');
  if (e.busyBefore !== null && e.busyBefore > 0.2) {
    out.push(
      `Note: other work kept the CPUs ${(e.busyBefore * 100).toFixed(0)}% busy in the second before the bench started; ` +
        'expect noise and compare the runs in the tables.',
      '',
    );
  }
  if (res.errors.length > 0) {
    out.push('**The run failed; figures are missing or partial:**', '');
    for (const err of res.errors) out.push('```', err, '```');
    out.push('');
  }
  out.push(renderTable(res.table), '');
  out.push(
    'ratio: replscope median / real redis-server median; (paired): the median of run-by-run ratios, each pair measured ' +
      'seconds apart, which drift in the machine\'s load affects less. "met" is judged on the first.',
    '',
  );

  out.push('## How', '');
  const ip = res.inProcess[0];
  if (ip) {
    out.push(
      `- In-process: \`new World()\`, \`world.connectExternal(6379, endpoint)\`, the same request bytes written ` +
        `batch after batch; every reply byte compared with the expected replies. One warm-up, then ` +
        `${ip.runs.length} timed runs per case (each about ${ip.commandsPerRun} commands for the first case).`,
    );
  }
  if (res.serve) {
    out.push(
      `- Serve path: \`node --import tsx src/node/main.ts --nodes 1 --port P\` and \`redis-server --port Q --save '' --appendonly no\`, ` +
        `redis-benchmark against each (\`-q --csv\`, a warm-up run, a calibration run sizing -n for about ${CONFIGS[0].targetSec} s per test, then ` +
        `${res.serve.runs} runs interleaved between the two servers). Before the runs each server's replies to pipelined ` +
        `inline PING, multibulk PING and ECHO are checked byte for byte; after every redis-benchmark run each must still answer PING.`,
    );
    const ns = res.serve.servers
      .map((s) => `${s.name}: ${CONFIGS.map((c) => `${c.id} -n ${s.configs[c.id]?.n ?? '?'}`).join(', ')}`)
      .join('; ');
    out.push(`- Requests per run: ${ns}.`, '');

    out.push('## Serve path latency (run with the median rate)', '');
    out.push('| server | test | median rps | every run | p50 ms | p99 ms | max ms |', '| --- | --- | ---: | --- | ---: | ---: | ---: |');
    for (const s of res.serve.servers) {
      for (const c of CONFIGS) {
        for (const t of c.tests) {
          const r = s.configs[c.id]?.tests[t];
          if (!r) continue;
          const m = r.medianRow;
          out.push(`| ${s.name} | ${t} (${c.options.filter((o) => o !== '-t' && o !== 'ping').join(' ')}) | ${rate(r.medianRps)} | ${r.runs.map((x) => rate(x.rps)).join(', ')} | ${m.p50Ms} | ${m.p99Ms} | ${m.maxMs} |`);
        }
      }
    }
    out.push('');
    out.push('## Observations', '');
    for (const s of res.serve.servers) {
      const mem = s.memory ? `RSS ${(s.memory.rssKb / 1024).toFixed(0)} MB, peak ${(s.memory.hwmKb / 1024).toFixed(0)} MB` : 'memory n/a';
      const notes: string[] = [mem, `slowest health PING after a run ${s.maxHealthPingMs.toFixed(1)} ms`];
      if (s.configWarning) notes.push('redis-benchmark printed "WARNING: Could not fetch server CONFIG" (CONFIG GET is not answered)');
      if (s.stderrNotes.length) notes.push(`redis-benchmark stderr: ${s.stderrNotes.join(' | ')}`);
      const interesting = s.logDuringBench.filter((l) => !/Ready to accept|SIGTERM received|stopping/.test(l));
      notes.push(interesting.length ? `server printed during the bench: ${interesting.slice(0, 10).join(' | ')}` : 'server printed nothing during the bench');
      if (s.stop) notes.push(`stopped by ${s.stop.how} (exit code ${s.stop.code}, signal ${s.stop.signal})`);
      out.push(`- ${s.name}: ${notes.join('; ')}.`);
    }
    out.push('');
  }
  return out.join('\n');
}
