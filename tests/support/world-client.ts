// A client of a node in a World (in process): one command, one reply.
import { World } from '../../src/sim/world.ts';
import { ReplyReader, encodeCommand, type Reply } from '../../src/engine/resp/reply-reader.ts';

export const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Sends commands to world's node on `port` and returns each reply (args: strings of chars 0..255, or bytes). */
export function connect(world: World, port = 6379): (...args: (string | Uint8Array)[]) => Reply {
  const reader = new ReplyReader();
  const conn = world.connectExternal(port, { data: (b) => reader.feed(b), closed: () => {} });
  if (!conn) throw new Error(`node ${port} refused the connection`);
  return (...args) => {
    conn.write(encodeCommand(args.map((a) => (typeof a === 'string' ? bytesOf(a) : a))));
    const reply = reader.next();
    if (!reply) throw new Error(`no reply to ${args.join(' ')}`);
    return reply;
  };
}

/** A reply as plain data: strings for status/bulk, '-ERR ...' for errors, numbers, null, and arrays of those. */
export function plainReply(reply: Reply): unknown {
  const text = (b: Uint8Array) => String.fromCharCode(...b);
  switch (reply.type) {
    case 'status':
      return text(reply.text);
    case 'error':
      return `-${text(reply.text)}`;
    case 'integer':
      return Number(reply.value);
    case 'bulk':
      return text(reply.value);
    case 'nil':
      return null;
    case 'array':
      return reply.items.map(plainReply);
    default:
      return reply;
  }
}

/** plainReply for a single value; an array stays the reply object (as the tests using it expect). */
export function plain(reply: Reply): unknown {
  return reply.type === 'array' ? reply : plainReply(reply);
}
