// Test setup: the Lua runtime installed before any test runs (the engine
// loads it lazily only in the browser; see src/engine/lua-runtime.ts).
import '../../src/engine/lua-eager.ts';
