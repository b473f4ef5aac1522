// One client connection to a node: its query buffer, its reply buffer and
// the per-connection state commands read and change.

import { RequestReader } from './resp/request-reader.ts';
import { ReplyWriter } from './resp/reply-writer.ts';

/** Where a connection's reply bytes go (a socket, a simulated link, a terminal). */
export interface ClientTransport {
  write(bytes: Uint8Array): void;
  /** The server closes the connection (after flushing what was written). */
  close(): void;
}

export interface PeerAddress {
  readonly ip: string;
  readonly port: number;
}

export class Client {
  readonly reader: RequestReader;
  readonly reply = new ReplyWriter();
  /** Set by a protocol error or QUIT: write the reply, then close. */
  closeAfterReply = false;
  closed = false;
  db = 0;
  name = '';

  constructor(
    readonly id: number,
    readonly peer: PeerAddress,
    readonly transport: ClientTransport,
    maxBulkLength: () => number,
  ) {
    this.reader = new RequestReader({ maxBulkLength });
  }
}
