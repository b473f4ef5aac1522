// Command groups that are lazy parts of the engine (../lazy-part.ts): the
// browser fetches each when one of its commands is first used, so that the
// first load downloads some 60 KB (gzipped) less. Only groups that no
// start-up path needs: the command reference (what COMMAND and COMMAND
// DOCS answer from, captured from the real server), the geo commands (with
// glibc's sine and cosine tables) and the tools an operator types (DEBUG,
// MEMORY, LATENCY, LOLWUT). A geo command reaching a replica from its
// master, or an AOF at start-up, finds the part loaded: the master ran it
// in the same worker first, and the worker loads every part before it
// restores nodes whose disks hold an AOF (src/worker/persistence.ts).
// tests/unit/lazy-groups.test.ts checks each list against the handlers.
import type { Handler } from './context.ts';
import { LazyPart } from '../lazy-part.ts';

type Handlers = Record<string, Handler>;

export const commandReference = new LazyPart<Handlers>('the command reference', () =>
  Promise.all([import('./command-info.ts'), import('./command-docs.ts')]).then(([info, docs]) => ({ ...info.commandInfoHandlers, ...docs.commandDocsHandlers })),
);

export const geoCommands = new LazyPart<Handlers>('the geo commands', () => import('./geo.ts').then((m) => m.geoHandlers));

export const operatorTools = new LazyPart<Handlers>('DEBUG, MEMORY, LATENCY and LOLWUT', () =>
  Promise.all([import('./debug.ts'), import('./memory.ts'), import('./latency.ts'), import('./lolwut.ts')]).then(([d, m, la, lo]) => ({
    ...d.debugHandlers,
    ...m.memoryHandlers,
    ...la.latencyHandlers,
    ...lo.lolwutHandlers,
  })),
);

/** Each group and the commands it answers (the keys of its handlers). */
export const LAZY_GROUPS: readonly (readonly [LazyPart<Handlers>, readonly string[]])[] = [
  [commandReference, ['command', 'command|count', 'command|info', 'command|list', 'command|help', 'command|docs']],
  [geoCommands, ['geoadd', 'geopos', 'geohash', 'geodist', 'georadius', 'georadiusbymember', 'georadius_ro', 'georadiusbymember_ro', 'geosearch', 'geosearchstore']],
  [operatorTools, ['debug', 'memory|usage', 'memory|stats', 'memory|doctor', 'memory|purge', 'memory|help', 'latency|history', 'latency|graph', 'latency|latest', 'latency|doctor', 'latency|reset', 'latency|histogram', 'latency|help', 'lolwut']],
];
