// Static checks of the layers (DESIGN.md section 1), run by `npm test`:
// 1. each layer type-checks under its own tsconfig (engine, sim, protocol
//    and cli with no DOM and no Node types);
// 2. imports point only down the arrows: a layer imports only the layers
//    listed for it, and engine, sim, protocol and cli import no package;
// 3. engine and sim never read the host's time or randomness.
// Prints one line per check; exits 1 when any fails.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..');

/** Which layers each layer may import from (itself included). */
const ALLOWED: Record<string, readonly string[]> = {
  engine: ['engine'],
  sim: ['sim', 'engine'],
  protocol: ['protocol'],
  cli: ['cli', 'engine'],
  worker: ['worker', 'sim', 'engine', 'protocol', 'cli'],
  ui: ['ui', 'protocol', 'cli', 'engine'],
  node: ['node', 'sim', 'engine', 'protocol', 'cli'],
};
/** Layers that run in every host: no package imports at all. */
const PURE = new Set(['engine', 'sim', 'protocol', 'cli']);
/** Host time and randomness, which only the simulation may provide. */
const FORBIDDEN_CALLS: Array<[RegExp, string]> = [
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  [/\bnew Date\s*\(\s*\)/, 'new Date()'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask|requestAnimationFrame)\s*\(/, 'a host timer'],
  [/(?<![.\w])(window|document|globalThis|self|process|localStorage|navigator)\s*[.[]/, 'a host global'],
];

export interface CheckResult {
  name: string;
  ok: boolean;
  detail?: string;
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Import specifiers of a file (static and dynamic). */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** Worker entries a file starts (`new Worker(new URL(spec, import.meta.url))`): the page may start the worker without importing its code. */
function workerUrlsOf(text: string): string[] {
  return [...text.matchAll(/new\s+URL\s*\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g)].map((m) => m[1]);
}

/** Removes comments so that a comment naming Date.now() is not a hit. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export function checkImports(): CheckResult[] {
  const results: CheckResult[] = [];
  for (const layer of Object.keys(ALLOWED)) {
    const problems: string[] = [];
    for (const file of sourceFiles(path.join(root, 'src', layer))) {
      const rel = path.relative(root, file);
      const text = fs.readFileSync(file, 'utf8');
      for (const spec of importsOf(text)) {
        if (!spec.startsWith('.')) {
          if (PURE.has(layer)) problems.push(`${rel} imports the package '${spec}'`);
          continue;
        }
        const target = path.relative(path.join(root, 'src'), path.resolve(path.dirname(file), spec)).split(path.sep)[0];
        if (!ALLOWED[layer].includes(target)) problems.push(`${rel} imports '${spec}' from layer '${target}'`);
      }
      for (const spec of workerUrlsOf(text)) {
        const target = path.relative(root, path.resolve(path.dirname(file), spec));
        if (layer !== 'ui' || target !== path.join('src', 'worker', 'main.ts')) problems.push(`${rel} starts '${spec}'; only the ui starts the worker entry`);
      }
      if (layer === 'engine' || layer === 'sim') {
        // Comments, import lines and quoted strings may name these freely.
        const code = stripComments(text)
          .replace(/^\s*(?:import|export)\s[^;]*?from\s*['"][^'"]+['"];?/gm, '')
          .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
        for (const [re, what] of FORBIDDEN_CALLS) if (re.test(code)) problems.push(`${rel} uses ${what}`);
      }
    }
    results.push({ name: `layer rules: src/${layer}`, ok: problems.length === 0, detail: problems.join('\n') });
  }
  return results;
}

export function checkTypes(): CheckResult[] {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  return ['pure', 'worker', 'ui', 'node'].map((name) => {
    const r = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: root, encoding: 'utf8' });
    return { name: `type-check: tsconfig.${name}.json`, ok: r.status === 0, detail: (r.stdout + r.stderr).trim() };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = [...checkTypes(), ...checkImports()];
  for (const r of results) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}`);
    if (!r.ok && r.detail) console.log(r.detail.replace(/^/gm, '     '));
  }
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
