import { defineConfig } from 'vitest/config';

// One project per test layer; scripts/test-all.ts runs them in order and
// prints which layers ran and how many tests each ran.
// Every lazy part of the engine (the Lua runtime, the command reference) is installed at start under Node; the browser loads them on first use.
const EAGER = ['tests/support/eager-parts.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', setupFiles: EAGER, include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'golden', setupFiles: EAGER, include: ['tests/golden/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'scenarios', setupFiles: EAGER, include: ['tests/scenarios/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'live', setupFiles: EAGER, include: ['tests/live/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
      { test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
    ],
  },
});
