// A pipelined differential over real sockets: the same commands, in order,
// to a real redis-server 7.0.15 and to `npm run serve`, every reply
// compared byte for byte. For the seeded random tests of the bitmap and
// HyperLogLog groups (tests/live/*-random.test.ts).
import { RawClient } from './raw-client.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { latin1 } from '../../src/engine/bytes.ts';

export type Arg = string | Uint8Array;

export interface PipelineResult {
  /** The first few commands whose replies differed (none expected), with both replies. */
  readonly differences: string[];
  /** Replies of the real server that were errors. */
  readonly errors: number;
  /** The real server's replies, as latin1 text, in command order. */
  readonly replies: string[];
}

const asBytes = (a: Arg) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a);
const show = (text: string) => JSON.stringify(text.length > 300 ? text.slice(0, 300) + '...' : text);

/** Sends every command to both servers (FLUSHALL first on each) and compares the replies. */
export async function comparePipelined(realPort: number, servePort: number, commands: readonly Arg[][]): Promise<PipelineResult> {
  const clients = await Promise.all([RawClient.connect(realPort), RawClient.connect(servePort)]);
  try {
    for (const c of clients) await c.command('FLUSHALL');
    const encoded = commands.map((cmd) => encodeCommand(cmd.map(asBytes)));
    const [real, serve] = await Promise.all(clients.map((c) => sendAll(c, encoded)));
    const differences: string[] = [];
    let errors = 0;
    for (let i = 0; i < commands.length; i++) {
      if (real[i].startsWith('-')) errors++;
      if (real[i] !== serve[i] && differences.length < 5) {
        const line = commands[i].map((a) => latin1(asBytes(a))).join(' ');
        differences.push(`#${i} ${show(line)}: redis ${show(real[i])}, serve ${show(serve[i])}`);
      }
    }
    return { differences, errors, replies: real };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Writes the commands in batches and reads every reply (as latin1 text). */
async function sendAll(client: RawClient, encoded: readonly Uint8Array[]): Promise<string[]> {
  const replies: string[] = [];
  const BATCH = 200;
  for (let i = 0; i < encoded.length; i += BATCH) {
    const batch = encoded.slice(i, i + BATCH);
    for (const bytes of batch) client.write(bytes);
    for (let j = 0; j < batch.length; j++) replies.push(latin1((await client.read(30_000)).bytes));
  }
  return replies;
}
