// Connection commands: PING, ECHO.
import type { Handler } from './context.ts';

const PONG = new Uint8Array([0x2b, 0x50, 0x4f, 0x4e, 0x47, 0x0d, 0x0a]); // +PONG\r\n

const ping: Handler = ({ argv, reply }) => {
  // PING takes at most one argument; arity -1 lets more through to here.
  if (argv.length > 2) return reply.wrongArity('ping');
  if (argv.length === 1) return reply.raw(PONG);
  reply.bulk(argv[1]);
};

const echo: Handler = ({ argv, reply }) => reply.bulk(argv[1]);

export const connectionHandlers: Record<string, Handler> = { ping, echo };
