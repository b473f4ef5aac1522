import { defineConfig } from 'vitest/config';

// One project per test layer; scripts/test-all.ts runs them in order and
// prints which layers ran and how many tests each ran.
// The Lua runtime is installed at start under Node (the browser loads it lazily).
const LUA = ['tests/support/lua-eager.ts'];

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', setupFiles: LUA, include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'golden', setupFiles: LUA, include: ['tests/golden/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'scenarios', setupFiles: LUA, include: ['tests/scenarios/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'live', setupFiles: LUA, include: ['tests/live/**/*.test.ts'], environment: 'node', testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
      { test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
    ],
  },
});
