// Server commands: COMMAND and its subcommands.
import type { Handler } from './context.ts';
import { COMMANDS } from './registry.ts';

// COMMAND COUNT counts the commands this engine implements: a command it does
// not have is unknown to it, exactly as to a Redis without that command.
const commandCount: Handler = ({ reply }) => reply.integer(COMMANDS.size);

export const serverHandlers: Record<string, Handler> = { 'command|count': commandCount };
