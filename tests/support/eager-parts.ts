// Test setup: every lazy part (the Lua runtime, the command reference)
// installed before any test runs; the engine loads them lazily only in the
// browser (see src/engine/lazy-part.ts).
import '../../src/engine/eager-parts.ts';
