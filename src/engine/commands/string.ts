// String commands (the "string" group of COMMAND DOCS).
import type { Handler } from './context.ts';

export const stringHandlers: Record<string, Handler> = {};
