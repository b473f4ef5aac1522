// Step runners for transcripts: a TCP server (real redis-server or
// `npm run serve`) and the in-process engine in a World.
import { RawClient } from './raw-client.ts';
import type { Step, StepRunner } from './transcript.ts';
import { World, type ExternalConnection } from '../../src/sim/world.ts';
import { ReplyReader } from '../../src/engine/resp/reply-reader.ts';

/** How long to watch for the server closing after the expected replies (a bound, not a sleep). */
const CLOSE_WATCH_MS = 300;

export class TcpRunner implements StepRunner {
  private client: RawClient | null = null;
  constructor(private readonly port: number) {}

  async run(step: Step) {
    if (!this.client || this.client.isClosed) this.client = await RawClient.connect(this.port);
    const client = this.client;
    client.write(step.bytes);
    const output: Uint8Array[] = [];
    for (let i = 0; i < step.replies; i++) output.push((await client.read()).bytes);
    // A protocol error closes the connection right after its reply, and so may QUIT and CLIENT KILL ... SKIPME no.
    const mayClose = output.some((o) => o[0] === 0x2d && isProtocolError(o)) || MAY_CLOSE.test(step.source);
    const closed = mayClose ? await client.waitClosed(CLOSE_WATCH_MS) : client.isClosed;
    return { output, closed };
  }

  close(): void {
    this.client?.close();
  }
}

/** Commands after which the server may close the caller's connection (a case line, tolerance prefix aside). */
const MAY_CLOSE = /^(~\S+ +)?(QUIT\b|CLIENT +KILL\b.* SKIPME +no\b)/i;

function isProtocolError(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).toString('latin1').startsWith('-ERR Protocol error');
}

export class EngineRunner implements StepRunner {
  private readonly world = new World();
  private conn: ExternalConnection | null = null;
  private closed = true;
  private readonly reader = new ReplyReader();

  async run(step: Step) {
    if (this.closed) {
      this.conn = this.world.connectExternal(6379, {
        data: (bytes) => this.reader.feed(bytes),
        closed: () => (this.closed = true),
      });
      if (!this.conn) throw new Error('the engine refused the connection');
      this.closed = false;
    }
    this.conn!.write(step.bytes);
    const output: Uint8Array[] = [];
    for (let i = 0; i < step.replies; i++) {
      const got = this.reader.nextRaw();
      if (!got) throw new Error(`the engine gave ${i} of ${step.replies} replies to ${step.source}`);
      output.push(got.bytes);
    }
    return { output, closed: this.closed };
  }
}
