// The replication stream's encoding: every command as a RESP array of bulk
// strings (encodeCommand), whatever form the client sent it in; here the
// words the stream's own commands use, and feeding a command piece by piece.
import type { ReplicationBuffer } from './backlog.ts';
import { fromLatin1 as text } from '../bytes.ts';

/** Arguments the stream rewrites use, in the case Redis writes them. */
export const STREAM_WORDS = {
  ping: text('ping'),
  MULTI: text('MULTI'),
  EXEC: text('EXEC'),
  REPLCONF: text('REPLCONF'),
  GETACK: text('GETACK'),
  ACK: text('ACK'),
  star: text('*'),
} as const;

const CRLF = Uint8Array.from([0x0d, 0x0a]);

/**
 * Feeds a command piece by piece as replicationFeedSlaves does (the array
 * header, then each argument's length line, bytes and CRLF): the pieces
 * decide the size of the blocks the buffer allocates, which INFO shows.
 */
export function feedCommandPieces(buffer: ReplicationBuffer, argv: readonly Uint8Array[]): void {
  buffer.feed(text(`*${argv.length}\r\n`));
  for (const arg of argv) {
    buffer.feed(text(`$${arg.length}\r\n`));
    buffer.feed(arg);
    buffer.feed(CRLF);
  }
}
