// Connection commands: PING, ECHO, SELECT.
import type { Handler } from './context.ts';
import { parseInt32 } from './args.ts';
import { Err } from '../errors.ts';

const PONG = new Uint8Array([0x2b, 0x50, 0x4f, 0x4e, 0x47, 0x0d, 0x0a]); // +PONG\r\n

const ping: Handler = ({ argv, reply }) => {
  // PING takes at most one argument; arity -1 lets more through to here.
  if (argv.length > 2) return reply.wrongArity('ping');
  if (argv.length === 1) return reply.raw(PONG);
  reply.bulk(argv[1]);
};

const echo: Handler = ({ argv, reply }) => reply.bulk(argv[1]);

const select: Handler = ({ argv, reply, client, keyspace }) => {
  const id = parseInt32(argv[1]);
  if (!id.ok) return reply.error(id.error);
  if (id.value < 0 || id.value >= keyspace.dbs.length) return reply.error(Err.dbIndexOutOfRange);
  client.db = id.value;
  reply.ok();
};

/** QUIT: +OK, then the server closes the connection (CLIENT_CLOSE_AFTER_REPLY). */
const quit: Handler = ({ client, reply }) => {
  reply.ok();
  client.closeAfterReply = true;
};

export const connectionHandlers: Record<string, Handler> = { ping, echo, select, quit };
