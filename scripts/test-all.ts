// `npm test`: runs every test layer in order and ends with a summary of
// which layers ran and how many tests each ran. A layer that cannot run
// (no redis-server, no chromium) fails the run with what to install, unless
// it is opted out with REPLSCOPE_SKIP=<layer>[,<layer>] (the summary then
// says it was skipped). `npm test -- unit golden` runs only those layers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkImports, checkTypes } from './check-layers.ts';
import { realRedisVersion } from '../tests/support/real-redis.ts';
import { CHROMIUM, chromiumAvailable } from '../tests/support/browser.ts';

const root = path.resolve(import.meta.dirname, '..');
const LAYERS = ['static', 'unit', 'golden', 'scenarios', 'live', 'browser'] as const;
type Layer = (typeof LAYERS)[number];

const DESCRIPTION: Record<Layer, string> = {
  static: 'type-check per layer and the layer import rules',
  unit: 'unit tests (vitest)',
  golden: 'golden transcripts from redis-server 7.0.15 replayed on the engine',
  scenarios: 'replication scenarios on a headless simulated world (virtual time)',
  live: 'differential: real redis-server vs npm run serve, raw bytes',
  browser: 'the built app in Debian chromium via playwright-core',
};

interface Outcome {
  layer: Layer;
  status: 'passed' | 'failed' | 'skipped' | 'could not run';
  tests: number;
  failed: number;
  note: string;
  seconds: number;
}

const requested = process.argv.slice(2);
for (const r of requested) {
  if (!LAYERS.includes(r as Layer)) {
    console.error(`unknown layer '${r}'; layers: ${LAYERS.join(', ')}`);
    process.exit(2);
  }
}
const layers = requested.length > 0 ? (requested as Layer[]) : [...LAYERS];
const optedOut = new Set((process.env.REPLSCOPE_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/** What a layer needs from the machine; a message saying what to install when it is missing. */
function missingPrerequisite(layer: Layer): string | null {
  if (layer === 'live') {
    const v = realRedisVersion();
    if (v === null) return 'redis-server is not installed: apt-get install -y redis-server redis-tools';
    if (v !== '7.0.15') return `redis-server ${v} found; the oracle is 7.0.15 (Debian 12's redis-server package)`;
    if (spawnSync('redis-cli', ['--version']).error) return 'redis-cli is not installed: apt-get install -y redis-tools';
  }
  if (layer === 'browser' && !chromiumAvailable()) {
    return `no chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM to its path)`;
  }
  return null;
}

function runStatic(): Omit<Outcome, 'layer' | 'seconds'> {
  const results = [...checkTypes(), ...checkImports()];
  for (const r of results) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`);
    if (!r.ok && r.detail) console.log(r.detail.replace(/^/gm, '     '));
  }
  const failed = results.filter((r) => !r.ok).length;
  return { status: failed ? 'failed' : 'passed', tests: results.length, failed, note: '' };
}

function runVitest(layer: Layer): Omit<Outcome, 'layer' | 'seconds'> {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'replscope-test-')), 'report.json');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', layer, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: root, stdio: 'inherit' },
  );
  let tests = 0;
  let failed = 0;
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    tests = json.numTotalTests;
    failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0);
    // The failures again, one line each, so that a rare one is named in CI's output even when the log is long.
    for (const file of json.testResults ?? []) {
      for (const a of file.assertionResults ?? []) {
        if (a.status === 'failed') console.log(`FAILED ${path.relative(root, file.name)} > ${a.fullName ?? a.title}`);
      }
    }
  } catch {
    return { status: 'failed', tests: 0, failed: 0, note: 'vitest wrote no report' };
  } finally {
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
  }
  if (tests === 0) return { status: 'failed', tests, failed, note: 'ran no tests' };
  return { status: r.status === 0 && failed === 0 ? 'passed' : 'failed', tests, failed, note: '' };
}

const outcomes: Outcome[] = [];
for (const layer of layers) {
  console.log(`\n=== ${layer}: ${DESCRIPTION[layer]}`);
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  if (optedOut.has(layer)) {
    console.log(`skipped: REPLSCOPE_SKIP names '${layer}'`);
    outcomes.push({ layer, status: 'skipped', tests: 0, failed: 0, note: 'opted out with REPLSCOPE_SKIP', seconds: 0 });
    continue;
  }
  const missing = missingPrerequisite(layer);
  if (missing) {
    console.log(`cannot run: ${missing}\n(to run without this layer: REPLSCOPE_SKIP=${layer} npm test)`);
    outcomes.push({ layer, status: 'could not run', tests: 0, failed: 0, note: missing, seconds: 0 });
    continue;
  }
  const result = layer === 'static' ? runStatic() : runVitest(layer);
  outcomes.push({ layer, ...result, seconds: seconds() });
}

console.log('\n=== summary');
for (const o of outcomes) {
  const counts = o.status === 'skipped' || o.status === 'could not run' ? '' : ` ${o.tests} tests${o.failed ? `, ${o.failed} failed` : ''}, ${o.seconds.toFixed(1)} s`;
  console.log(`${o.layer.padEnd(8)} ${o.status.toUpperCase()}${counts}${o.note ? ` (${o.note})` : ''}`);
}
const bad = outcomes.filter((o) => o.status === 'failed' || o.status === 'could not run');
const passed = outcomes.filter((o) => o.status === 'passed').length;
console.log(bad.length > 0 ? `${bad.length} layer(s) failed or could not run` : passed === 0 ? 'no layer ran' : `all ${passed} layers that ran passed`);
process.exit(bad.length === 0 ? 0 : 1);
