// Installs every lazy part at once: imported by the Node entry points and
// the test setup, where loading them lazily buys nothing.
// The command registry first: its handler modules import one another in
// cycles (through node.ts), which come out right only when the registry is
// where the evaluation starts, as it is from any entry point that imports
// the engine; a part's module first would leave a group out of the table.
import './commands/registry.ts';
import * as lua from './lua/api.ts';
import { commandInfoHandlers } from './commands/command-info.ts';
import { commandDocsHandlers } from './commands/command-docs.ts';
import { geoHandlers } from './commands/geo.ts';
import { debugHandlers } from './commands/debug.ts';
import { memoryHandlers } from './commands/memory.ts';
import { latencyHandlers } from './commands/latency.ts';
import { lolwutHandlers } from './commands/lolwut.ts';
import { installLuaRuntime } from './lua-runtime.ts';
import { commandReference, geoCommands, operatorTools } from './commands/lazy-groups.ts';

installLuaRuntime(lua);
commandReference.install({ ...commandInfoHandlers, ...commandDocsHandlers });
geoCommands.install(geoHandlers);
operatorTools.install({ ...debugHandlers, ...memoryHandlers, ...latencyHandlers, ...lolwutHandlers });
