// One redis-cli session against one node, without the terminal: what
// redis-cli's repl() does with a typed line (split, repeat prefix, send,
// print the reply, keep the prompt), driven by the host's connection events.

import { splitArgs } from '../engine/resp/split-args.ts';
import { ReplyReader, encodeCommand, type Reply } from '../engine/resp/reply-reader.ts';
import { formatReply } from './format.ts';
import { latin1, lowerAscii, utf8 } from '../engine/bytes.ts';

export interface CliHost {
  /** Open the connection; answer with connected() or refused(). */
  connect(): void;
  send(bytes: Uint8Array): void;
  disconnect(): void;
  /** Output for the terminal: a string of byte values (one char per byte). */
  print(text: string): void;
  /** The session waits for the next line (show the prompt). */
  ready(): void;
}

type State = 'disconnected' | 'connecting' | 'connected';

export class CliSession {
  private state: State = 'disconnected';
  private readonly reader = new ReplyReader();
  /** Commands of the current line not yet sent (repeat prefix makes several). */
  private queue: Uint8Array[][] = [];
  private inFlight: Uint8Array[] | null = null;
  db = 0;
  inMulti = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly io: CliHost,
  ) {}

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** True while a line's commands are still being answered. */
  get busy(): boolean {
    return this.inFlight !== null || this.queue.length > 0 || this.state === 'connecting';
  }

  /** The prompt redis-cli shows now (cliRefreshPrompt, or "not connected> "). */
  prompt(): string {
    if (this.state !== 'connected') return 'not connected> ';
    let p = `${this.host}:${this.port}`;
    if (this.db !== 0) p += `[${this.db}]`;
    if (this.inMulti) p += '(TX)';
    return p + '> ';
  }

  /** Connect at start, as redis-cli does before its first prompt. */
  start(): void {
    this.state = 'connecting';
    this.io.connect();
  }

  /** A line the user typed (text; sent as UTF-8 bytes like a terminal does). */
  submit(line: string): void {
    if (line === '') return this.io.ready();
    const argv = splitArgs(utf8(line));
    if (argv === null) {
      this.io.print('Invalid argument(s)\n');
      return this.io.ready();
    }
    if (argv.length === 0) return this.io.ready();
    let repeat = 1;
    let args = argv;
    const first = latin1(argv[0]);
    // strtol over the whole first word: "3 PING" runs PING three times.
    if (argv.length > 1 && /^\s*[+-]?\d+$/.test(first)) {
      const n = Number(first);
      if (!(n > 0) || n > 9223372036854775807) {
        this.io.print('Invalid redis-cli repeat command option value.\n');
        return this.io.ready();
      }
      repeat = n;
      args = argv.slice(1);
    }
    const name = lowerAscii(args[0]);
    if (name === 'quit' || name === 'exit') {
      // redis-cli exits; the page keeps the terminal and drops the connection.
      this.io.disconnect();
      this.state = 'disconnected';
      return this.io.ready();
    }
    for (let i = 0; i < repeat; i++) this.queue.push(args);
    if (this.state === 'connected') this.sendNext();
    else if (this.state === 'disconnected') {
      this.state = 'connecting';
      this.io.connect();
    }
  }

  connectedEvent(): void {
    this.state = 'connected';
    if (this.queue.length > 0) this.sendNext();
    else this.io.ready();
  }

  refusedEvent(): void {
    this.state = 'disconnected';
    this.io.print(`Could not connect to Redis at ${this.host}:${this.port}: Connection refused\n`);
    this.queue = [];
    this.io.ready();
  }

  dataEvent(bytes: Uint8Array): void {
    this.reader.feed(bytes);
    for (let reply = this.reader.next(); reply; reply = this.reader.next()) this.onReply(reply);
  }

  closedEvent(): void {
    const wasWaiting = this.inFlight !== null;
    this.state = 'disconnected';
    this.inFlight = null;
    this.queue = [];
    this.db = 0;
    this.inMulti = false;
    if (wasWaiting) {
      this.io.print('Error: Server closed the connection\n');
      this.io.ready();
    }
  }

  private sendNext(): void {
    const argv = this.queue.shift();
    if (!argv) {
      this.inFlight = null;
      return this.io.ready();
    }
    this.inFlight = argv;
    this.io.send(encodeCommand(argv));
  }

  private onReply(reply: Reply): void {
    const argv = this.inFlight;
    if (!argv) return; // nothing asked for it (pushes come with issue 5)
    this.io.print(formatReply(reply));
    this.track(argv, reply);
    this.inFlight = null;
    this.sendNext();
  }

  /** What cliSendCommand remembers after a reply: the db after SELECT, MULTI state. */
  private track(argv: Uint8Array[], reply: Reply): void {
    if (reply.type === 'error') return;
    const name = lowerAscii(argv[0]);
    if (name === 'select' && argv.length === 2) this.db = parseInt(latin1(argv[1]), 10) || 0;
    else if (name === 'multi' && argv.length === 1) this.inMulti = true;
    else if ((name === 'exec' || name === 'discard') && argv.length === 1) this.inMulti = false;
  }
}
