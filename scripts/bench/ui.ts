// The page's frame budget (DESIGN.md section 4) during a big full sync:
// the built app in headless Chromium, 6379 loaded with an RDB of N small
// keys (made here by a World in Node and SAVE, then given to the page's
// Load RDB file picker, as a user would), then `REPLICAOF 127.0.0.1 6379`
// typed into 6380's terminal. From the REPLICAOF to the link drawn
// connected it records every animation frame's interval, the main thread's
// JS time (Chrome's ScriptDuration), long tasks, and how long a PING typed
// into 6381's terminal takes to print PONG. Also a quiet baseline, the
// first load (navigation start to every terminal's prompt, from the page's
// own clock) and the size of the built bundle (raw and gzipped).
//
// Runs on its own (`npx tsx scripts/bench/ui.ts [keys]`) or from bench.ts.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { World } from '../../src/sim/world.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { openBuiltApp, terminalText, typeLine } from '../../tests/support/app-page.ts';
import { median } from './stats.ts';

export interface FrameStats {
  frames: number;
  seconds: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of frame intervals over 17 ms. */
  over17: number;
  /** Main-thread script time per frame (ms). */
  scriptMsPerFrame: number;
  longTasks: number;
  longestTaskMs: number;
}

export interface UiBenchResult {
  keys: number;
  rdbBytes: number;
  /** Wall ms from the REPLICAOF typed to the link drawn connected. */
  syncWallMs: number;
  idle: FrameStats;
  sync: FrameStats;
  /** Wall ms from Enter on `PING` in 6381's terminal to PONG printed, during the sync. */
  terminalMs: number[];
  /** Ms from navigation start to the three terminals' prompts (the page's performance.now()). */
  firstLoadMs: number;
  /** The built JS and CSS files, bytes raw and gzipped. */
  bundle: BundleFile[];
}

export interface BundleFile {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Not fetched by the first load (a lazy part of the engine: the Lua runtime, the geo commands, ...). */
  readonly lazy: boolean;
}

/** dist/assets after the build, each marked lazy unless the first load fetched it (`served`). */
function bundleSize(served: readonly string[]): BundleFile[] {
  const dir = path.resolve(import.meta.dirname, '../../dist/assets');
  return fs
    .readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((name) => {
      const content = fs.readFileSync(path.join(dir, name));
      return { name, bytes: content.length, gzipBytes: zlib.gzipSync(content, { level: 9 }).length, lazy: !served.includes(`/assets/${name}`) };
    });
}

const text = new TextEncoder();

/** dump.rdb of a master holding `keys` small keys, written by SAVE. */
export function bigRdb(keys: number): Uint8Array {
  const world = new World();
  const db = world.node(6379)!.keyspace.dbs[0];
  for (let i = 0; i < keys; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
  const reply: Uint8Array[] = [];
  const conn = world.connectExternal(6379, { data: (b) => reply.push(b), closed() {} })!;
  conn.write(encodeCommand(['SAVE'].map((s) => text.encode(s))));
  const answer = new TextDecoder().decode(reply[0]);
  if (answer !== '+OK\r\n') throw new Error(`SAVE answered ${answer}`);
  return world.disk(6379).read('dump.rdb')!;
}

/** Starts recording frames and long tasks in the page (one recorder at a time). */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const r = { frames: [], tasks: [], on: true };
    globalThis.__bench = r;
    const tick = (t) => { if (!r.on) return; r.frames.push(t); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    r.observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) r.tasks.push(e.duration); });
    r.observer.observe({ type: 'longtask' });
  })()`);
}

async function stopRecording(page: Page): Promise<{ frames: number[]; tasks: number[] }> {
  return page.evaluate(`(() => {
    const r = globalThis.__bench;
    r.on = false;
    r.observer.disconnect();
    return { frames: r.frames, tasks: r.tasks };
  })()`);
}

async function scriptSeconds(cdp: { send(method: string): Promise<unknown> }): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return metrics.find((m) => m.name === 'ScriptDuration')?.value ?? NaN;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

function frameStats(frames: readonly number[], tasks: readonly number[], scriptSec: number): FrameStats {
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    frames: gaps.length,
    seconds: (frames[frames.length - 1] - frames[0]) / 1000,
    medianMs: median(gaps),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1],
    over17: gaps.filter((g) => g > 17).length / Math.max(1, gaps.length),
    scriptMsPerFrame: (scriptSec * 1000) / Math.max(1, gaps.length),
    longTasks: tasks.length,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
  };
}

async function measure(page: Page, cdp: { send(method: string): Promise<unknown> }, during: () => Promise<void>): Promise<FrameStats> {
  const s0 = await scriptSeconds(cdp);
  await startRecording(page);
  await during();
  const { frames, tasks } = await stopRecording(page);
  return frameStats(frames, tasks, (await scriptSeconds(cdp)) - s0);
}

/** Polls `cond` every `everyMs` for at most `ms`. */
async function until(what: string, ms: number, cond: () => Promise<boolean>, everyMs = 50): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function runUiBench(keys: number, log: (line: string) => void = () => {}): Promise<UiBenchResult> {
  log(`ui: writing an RDB of ${keys} keys`);
  const rdb = bigRdb(keys);
  const app = await openBuiltApp({ width: 1280, height: 800 });
  try {
    const page = app.page;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    for (const port of [6379, 6380, 6381]) await until(`terminal ${port}`, 30_000, async () => (await terminalText(page, port)).includes(`127.0.0.1:${port}>`), 5);
    const firstLoadMs = Math.round((await page.evaluate('performance.now()')) as number);
    // What the terminals asked for at connect (redis-cli's COMMAND DOCS: the command reference part) counts too.
    await page.waitForLoadState('networkidle');
    const bundle = bundleSize(app.served);
    log(`ui: first load ${firstLoadMs} ms; bundle ${bundle.map((f) => `${f.name} ${f.gzipBytes}`).join(', ')} bytes gzipped`);
    log(`ui: loading it into 6379 (${rdb.length} bytes)`);
    await page.getByRole('tab', { name: 'Actions 6379', exact: true }).click();
    await page.getByTestId('rdb-input-6379').setInputFiles({ name: 'dump.rdb', mimeType: 'application/octet-stream', buffer: Buffer.from(rdb) });
    await until('the load of the RDB', 120_000, async () => /SIM LOAD 6379 .*\nOK/.test(await page.getByTestId('action-result-6379').innerText()));
    await page.getByRole('tab', { name: 'Terminal 6379', exact: true }).click();
    await page.evaluate('window.scrollTo(0, 0)');
    const idle = await measure(page, cdp, () => new Promise((r) => setTimeout(r, 2000)));
    log(`ui: idle frames median ${idle.medianMs.toFixed(1)} ms`);
    const terminalMs: number[] = [];
    let syncWallMs = 0;
    const sync = await measure(page, cdp, async () => {
      const start = Date.now();
      await typeLine(page, 6380, 'REPLICAOF 127.0.0.1 6379');
      const link = page.getByTestId('link-6380-6379');
      let pings = 0;
      await until('the link connected', 300_000, async () => {
        // A PING now and then while the sync runs: the terminal must keep answering.
        if (pings < 5 && Date.now() - start > 300 * (pings + 1)) {
          pings++;
          const before = (await terminalText(page, 6381)).split('PONG').length;
          await page.getByTestId('terminal-6381').click();
          await page.keyboard.type('PING');
          const t = Date.now();
          await page.keyboard.press('Enter');
          await until('PONG', 30_000, async () => (await terminalText(page, 6381)).split('PONG').length > before, 5);
          terminalMs.push(Date.now() - t);
        }
        return (await link.getAttribute('aria-label')) === 'Link 6380 to 6379: connected';
      });
      syncWallMs = Date.now() - start;
    });
    log(`ui: sync of ${keys} keys took ${syncWallMs} ms of wall time; frames median ${sync.medianMs.toFixed(1)} ms, p95 ${sync.p95Ms.toFixed(1)} ms`);
    if (app.pageErrors.length > 0) throw new Error(`the page reported errors: ${app.pageErrors.join('; ')}`);
    return { keys, rdbBytes: rdb.length, syncWallMs, idle, sync, terminalMs, firstLoadMs, bundle };
  } finally {
    await app.close();
  }
}

export interface SteadyBenchResult {
  nodes: number;
  writesPerSecond: number;
  seconds: number;
  frames: FrameStats;
}

/**
 * DESIGN.md section 4's steady load: 8 nodes, 7 of them replicas of 6379
 * (5 added with the Add node button, each made a replica in its terminal),
 * then for `seconds` seconds a script of 2,000 INCRs typed into 6379's
 * terminal once a second (its effects reach every replica as MULTI/EXEC
 * of 2,000 commands), while the frames are recorded.
 */
export async function runSteadyBench(seconds = 5, log: (line: string) => void = () => {}): Promise<SteadyBenchResult> {
  const app = await openBuiltApp({ width: 1280, height: 800 });
  try {
    const page = app.page;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    for (const port of [6379, 6380, 6381]) await until(`terminal ${port}`, 30_000, async () => (await terminalText(page, port)).includes(`127.0.0.1:${port}>`));
    const ports = [6379, 6380, 6381, 6382, 6383, 6384, 6385, 6386];
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Add node', exact: true }).click();
    for (const port of ports) await until(`terminal ${port}`, 30_000, async () => (await terminalText(page, port)).includes(`127.0.0.1:${port}>`));
    for (const port of ports.slice(1)) await typeLine(page, port, 'REPLICAOF 127.0.0.1 6379');
    for (const port of ports.slice(1)) {
      await until(`link ${port}`, 60_000, async () => (await page.getByTestId(`link-${port}-6379`).getAttribute('aria-label')) === `Link ${port} to 6379: connected`);
    }
    log(`ui: ${ports.length} nodes replicating; ${seconds} s of 2,000 writes a second`);
    await page.getByRole('tab', { name: 'Terminal 6379', exact: true }).click();
    await page.evaluate('window.scrollTo(0, 0)');
    const frames = await measure(page, cdp, async () => {
      const start = Date.now();
      for (let s = 0; s < seconds; s++) {
        await typeLine(page, 6379, `EVAL "for i=1,2000 do redis.call('INCR','n') end" 0`);
        const next = start + (s + 1) * 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    });
    // Every replica got every write.
    for (const port of ports.slice(1)) await typeLine(page, port, 'GET n');
    await until('the replicas caught up', 30_000, async () => {
      for (const port of ports.slice(1)) if (!(await terminalText(page, port)).includes(`"${2000 * seconds}"`)) return false;
      return true;
    });
    if (app.pageErrors.length > 0) throw new Error(`the page reported errors: ${app.pageErrors.join('; ')}`);
    log(`ui: steady frames median ${frames.medianMs.toFixed(1)} ms, max ${frames.maxMs.toFixed(0)} ms`);
    return { nodes: ports.length, writesPerSecond: 2000, seconds, frames };
  } finally {
    await app.close();
  }
}

/** The markdown section for the steady load. */
export function renderSteadySection(r: SteadyBenchResult): string {
  const s = r.frames;
  return (
    `\n## The page while ${r.nodes} nodes replicate ${r.writesPerSecond.toLocaleString('en-US')} writes/s (headless Chromium, 1280x800)\n\n` +
    `${r.nodes - 1} replicas of 6379; a script of ${r.writesPerSecond} INCRs typed into 6379's terminal once a second for ${r.seconds} s (each replica then reads the total back).\n\n` +
    `| frames | median ms | p95 ms | p99 ms | max ms | frames > 17 ms | main-thread JS ms/frame | long tasks (longest) |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n` +
    `| ${s.frames} | ${s.medianMs.toFixed(1)} | ${s.p95Ms.toFixed(1)} | ${s.p99Ms.toFixed(1)} | ${s.maxMs.toFixed(0)} | ${(s.over17 * 100).toFixed(1)}% | ${s.scriptMsPerFrame.toFixed(2)} | ${s.longTasks} (${s.longestTaskMs.toFixed(0)} ms) |\n\n` +
    `Budget (DESIGN.md §4): every frame under 17 ms: ${s.maxMs <= 17 ? 'met' : `not met (${(s.over17 * 100).toFixed(1)}% over, the longest ${s.maxMs.toFixed(0)} ms)`}; JS under 6 ms per frame: ${s.scriptMsPerFrame < 6 ? 'met' : 'not met'}.\n`
  );
}

/** First load and the bundle against DESIGN.md section 4's budgets. */
function bundleLines(r: UiBenchResult): string {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const js = r.bundle.filter((f) => f.name.endsWith('.js') && !f.lazy);
  const jsGzip = js.reduce((n, f) => n + f.gzipBytes, 0);
  const files = r.bundle.map((f) => `${f.name} ${kb(f.bytes)} (${kb(f.gzipBytes)} gzipped${f.lazy ? ', loaded on first use' : ''})`).join('; ');
  return (
    `First load (navigation start to the three terminals' prompts, served from localhost): ${r.firstLoadMs} ms (budget under 1 s: ${r.firstLoadMs < 1000 ? 'met' : 'not met'}). ` +
    `Built files: ${files}. JavaScript the first load fetched (page and worker, with the command reference the terminals ask for at connect; the lazy parts not counted until used): ${kb(jsGzip)} gzipped (budget 400 KB: ${jsGzip <= 400 * 1024 ? 'met' : 'not met'}).\n`
  );
}

/** The markdown section bench.ts appends to bench/results.md. */
export function renderUiSection(r: UiBenchResult): string {
  const row = (name: string, s: FrameStats) =>
    `| ${name} | ${s.frames} | ${s.medianMs.toFixed(1)} | ${s.p95Ms.toFixed(1)} | ${s.p99Ms.toFixed(1)} | ${s.maxMs.toFixed(0)} | ${(s.over17 * 100).toFixed(1)}% | ${s.scriptMsPerFrame.toFixed(2)} | ${s.longTasks} (${s.longestTaskMs.toFixed(0)} ms) |`;
  const everyFrame = r.sync.maxMs <= 17;
  const js = r.sync.scriptMsPerFrame < 6;
  return (
    `\n## The page during a full sync of ${r.keys.toLocaleString('en-US')} keys (headless Chromium, 1280x800)\n\n` +
    `6379 loaded with an RDB of ${r.rdbBytes} bytes through the page's Load RDB picker; \`REPLICAOF 127.0.0.1 6379\` typed into 6380; measured until the link is drawn connected (${(r.syncWallMs / 1000).toFixed(1)} s of wall time).\n\n` +
    `| phase | frames | median ms | p95 ms | p99 ms | max ms | frames > 17 ms | main-thread JS ms/frame | long tasks (longest) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n` +
    `${row('idle, 2 s', r.idle)}\n${row('full sync', r.sync)}\n\n` +
    `Enter on a PING typed into 6381's terminal during the sync printed PONG after ${r.terminalMs.map((m) => `${m} ms`).join(', ') || 'n/a'} (wall time, seen by polling the page every 5 ms through playwright, so an upper bound).\n` +
    `Budget (DESIGN.md §4): every frame under 17 ms: ${everyFrame ? 'met' : `not met (${(r.sync.over17 * 100).toFixed(1)}% of frames over, the longest ${r.sync.maxMs.toFixed(0)} ms; p95 ${r.sync.p95Ms.toFixed(1)} ms)`}; ` +
    `JS under 6 ms per frame on average: ${js ? 'met' : 'not met'} (${r.sync.scriptMsPerFrame.toFixed(2)} ms). Headless Chromium here has no GPU and shares 2 cores with the worker and playwright.\n` +
    bundleLines(r)
  );
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv[2] === 'steady') {
  runSteadyBench(5, (l) => process.stderr.write(`${l}\n`)).then(
    (r) => console.log(renderSteadySection(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const keys = Number(process.argv[2] ?? 1_000_000);
  runUiBench(keys, (l) => process.stderr.write(`${l}\n`)).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      console.log(renderUiSection(r));
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
