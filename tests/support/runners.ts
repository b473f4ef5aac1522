// Step runners for transcripts: a TCP server (real redis-server or
// `npm run serve`) and the in-process engine in a World.
import { RawClient } from './raw-client.ts';
import type { Step, StepRunner } from './transcript.ts';
import { World, type ExternalConnection } from '../../src/sim/world.ts';
import { ReplyReader } from '../../src/engine/resp/reply-reader.ts';

/** How long to watch for the server closing after the expected replies (a bound, not a sleep). */
const CLOSE_WATCH_MS = 300;
/** A `?until` step is asked again this often, at most this many times (a bound on a condition, not a sleep). */
const UNTIL_INTERVAL_MS = 5;
const UNTIL_TRIES = 1000;

const latin1Of = (bytes: Uint8Array | undefined): string => (bytes ? Buffer.from(bytes).toString('latin1') : '');

/** How much virtual time an engine `read` step lets pass for its replies (blocking commands' timeouts are shorter). */
const READ_WAIT_US = 60_000_000;

export class TcpRunner implements StepRunner {
  /** The open connections, by name ('' for the main one). */
  private readonly clients = new Map<string, RawClient>();
  /** readTimeoutMs: how long a reply may take (DEBUG STRINGMATCH-TEST takes about 6 s on the real server). */
  constructor(
    private readonly port: number,
    private readonly readTimeoutMs = 5000,
  ) {}

  async run(step: Step) {
    let client = this.clients.get(step.conn ?? '');
    if (!client || client.isClosed) {
      client = await RawClient.connect(this.port);
      this.clients.set(step.conn ?? '', client);
    }
    if (step.bytes.length > 0) client.write(step.bytes);
    const output: Uint8Array[] = [];
    for (let i = 0; i < step.replies; i++) output.push((await client.read(this.readTimeoutMs)).bytes);
    // `?text`: asked again until the reply holds it (other connections' commands run meanwhile).
    for (let tries = 0; step.until !== undefined && !latin1Of(output[0]).includes(step.until); tries++) {
      if (tries >= UNTIL_TRIES) throw new Error(`no reply to ${step.source} held '${step.until}' after ${UNTIL_TRIES} tries`);
      await new Promise((resolve) => setTimeout(resolve, UNTIL_INTERVAL_MS));
      client.write(step.bytes);
      output[0] = (await client.read(this.readTimeoutMs)).bytes;
    }
    // A protocol error closes the connection right after its reply, and so may QUIT and CLIENT KILL ... SKIPME no.
    const mayClose = output.some((o) => o[0] === 0x2d && isProtocolError(o)) || MAY_CLOSE.test(step.source);
    const closed = mayClose ? await client.waitClosed(CLOSE_WATCH_MS) : client.isClosed;
    return { output, closed };
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}

/** Commands after which the server may close the caller's connection (a case line, its prefixes aside; ACL DELUSER of its own user). */
const MAY_CLOSE = /^(@\S+ +)?(~\S+ +)?(=\d+ +)?(QUIT\b|CLIENT +KILL\b.* SKIPME +no\b|ACL +DELUSER\b)/i;

function isProtocolError(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).toString('latin1').startsWith('-ERR Protocol error');
}

/** One connection of an EngineRunner. */
interface EngineConnection {
  conn: ExternalConnection | null;
  readonly reader: ReplyReader;
  closed: boolean;
}

export class EngineRunner implements StepRunner {
  private readonly world: World;

  /** `args`: the transcript's server arguments (`--name value` words), as every node starts with them. */
  constructor(args: readonly string[] = []) {
    const directives: [string, string][] = [];
    for (let i = 0; i + 1 < args.length; i += 2) directives.push([args[i].replace(/^--/, ''), args[i + 1]]);
    this.world = new World({ directives });
  }
  /** The connections, by name ('' for the main one). */
  private readonly conns = new Map<string, EngineConnection>();

  async run(step: Step) {
    let c = this.conns.get(step.conn ?? '');
    if (!c || c.closed) {
      const fresh: EngineConnection = { conn: null, reader: new ReplyReader(), closed: false };
      fresh.conn = this.world.connectExternal(6379, {
        data: (bytes) => fresh.reader.feed(bytes),
        closed: () => (fresh.closed = true),
      });
      if (!fresh.conn) throw new Error('the engine refused the connection');
      this.conns.set(step.conn ?? '', (c = fresh));
    }
    if (step.bytes.length > 0) c.conn!.write(step.bytes);
    const output: Uint8Array[] = [];
    for (let i = 0; i < step.replies; i++) {
      // A reply may come later in virtual time: a `read` step's (a blocking command's timeout), DEBUG SLEEP's.
      let got = c.reader.nextRaw();
      if (!got) got = this.waitForReply(c);
      if (!got) throw new Error(`the engine gave ${i} of ${step.replies} replies to ${step.source}`);
      output.push(got.bytes);
    }
    return { output, closed: c.closed };
  }

  /** Runs the world's events, in virtual time, until a reply comes on `c` (at most READ_WAIT_US of it). */
  private waitForReply(c: EngineConnection): ReturnType<ReplyReader['nextRaw']> {
    const until = this.world.nowUs + READ_WAIT_US;
    for (;;) {
      const next = this.world.nextEventTime();
      if (next === undefined || next > until) return undefined;
      this.world.runUntil(next);
      const got = c.reader.nextRaw();
      if (got) return got;
    }
  }

  /** Replies the engine sent on a connection that no step has read yet. */
  unread(conn: string): number {
    return this.conns.get(conn)?.reader.pending ?? 0;
  }
}
