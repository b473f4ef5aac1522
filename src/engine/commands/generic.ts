// Generic keyspace commands (the "generic" group of COMMAND DOCS) and the
// server commands that act on the keyspace as a whole (DBSIZE, FLUSHDB, FLUSHALL).
import type { Handler } from './context.ts';

export const genericHandlers: Record<string, Handler> = {};
