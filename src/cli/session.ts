// One redis-cli session against one node, without the terminal: what
// redis-cli's repl() does with a typed line (split, repeat prefix, send,
// print the reply, keep the prompt), driven by the host's connection events.

import { splitArgs } from '../engine/resp/split-args.ts';
import { ReplyReader, encodeCommand, type Reply } from '../engine/resp/reply-reader.ts';
import { formatReply } from './format.ts';
import { lowerAscii, utf8 } from '../engine/bytes.ts';

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

/**
 * 'dead': the server closed the connection while redis-cli sat at its prompt.
 * redis-cli does not notice until the next command, which then fails with
 * "Error: Server closed the connection"; until then the prompt is unchanged.
 */
type State = 'disconnected' | 'connecting' | 'connected' | 'dead';

export class CliSession {
  private state: State = 'disconnected';
  private readonly reader = new ReplyReader();
  /** Commands of the current line not yet sent (repeat prefix makes several). */
  private queue: Array<{ argv: Uint8Array[]; remaining: number }> = [];
  /** The database when MULTI began: EXEC that fails and DISCARD go back to it. */
  private preMultiDb = 0;
  private inFlight: Uint8Array[] | null = null;
  db = 0;
  inMulti = false;
  /** After MONITOR: every reply is printed as it comes, and there is no prompt (redis-cli's monitor_mode). */
  monitoring = false;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly io: CliHost,
  ) {}

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** True while a line's commands are still being answered, or MONITOR streams. */
  get busy(): boolean {
    return this.monitoring || this.inFlight !== null || this.queue.length > 0 || this.state === 'connecting';
  }

  /**
   * Ctrl-C while a command blocks or MONITOR streams. redis-cli exits; the
   * page abandons the connection instead and connects again, so the
   * terminal gets its prompt back (on db 0, as a new redis-cli would be).
   */
  interrupt(): void {
    if (!this.busy) return;
    this.io.disconnect();
    this.monitoring = false;
    this.inFlight = null;
    this.queue = [];
    this.db = 0;
    this.inMulti = false;
    this.io.print('\n');
    this.start();
  }

  /** The prompt redis-cli shows now (cliRefreshPrompt, or "not connected> "). */
  prompt(): string {
    if (this.state !== 'connected' && this.state !== 'dead') return 'not connected> ';
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
    // A leading number repeats the command ("3 PING"), read with strtol as redis-cli does.
    let repeat = 1;
    let args = argv;
    const count = strtol(argv[0]);
    if (argv.length > 1 && count.wholeWord) {
      if (count.overflow || count.value <= 0n) {
        this.io.print('Invalid redis-cli repeat command option value.\n');
        return this.io.ready();
      }
      repeat = Number(count.value);
      args = argv.slice(1);
    }
    // redis-cli looks at the first word for these, before the repeat count is removed.
    const first = lowerAscii(argv[0]);
    if (first === 'quit' || first === 'exit') {
      // redis-cli exits; the page keeps the terminal and drops the connection.
      this.io.disconnect();
      this.state = 'disconnected';
      return this.io.ready();
    }
    if (this.state === 'dead') {
      this.state = 'disconnected';
      this.io.print('Error: Server closed the connection\n');
      return this.io.ready();
    }
    this.queue.push({ argv: args, remaining: repeat });
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

  /**
   * The server closed the connection. redis-cli keeps its database number and
   * MULTI state (the prompt shows them again after a reconnect, though the new
   * connection is on db 0: cliSelect sees nothing to change).
   */
  closedEvent(): void {
    const wasWaiting = this.inFlight !== null || this.queue.length > 0;
    this.inFlight = null;
    this.queue = [];
    if (wasWaiting) {
      this.state = 'disconnected';
      this.io.print('Error: Server closed the connection\n');
      this.io.ready();
    } else {
      this.state = 'dead';
    }
  }

  private sendNext(): void {
    const next = this.queue[0];
    if (!next) {
      this.inFlight = null;
      return this.io.ready();
    }
    const argv = next.argv;
    if (--next.remaining === 0) this.queue.shift();
    this.inFlight = argv;
    this.io.send(encodeCommand(argv));
  }

  private onReply(reply: Reply): void {
    if (this.monitoring) return this.io.print(formatReply(reply));
    const argv = this.inFlight;
    if (!argv) return; // nothing asked for it (pushes come with issue 5)
    this.io.print(formatReply(reply));
    if (lowerAscii(argv[0]) === 'monitor' && reply.type !== 'error') {
      // redis-cli stays in this loop until it is interrupted.
      this.monitoring = true;
      this.inFlight = null;
      this.queue = [];
      return;
    }
    this.track(argv, reply);
    this.inFlight = null;
    this.sendNext();
  }

  /** What cliSendCommand remembers after a reply: the db after SELECT, MULTI state, RESET. */
  private track(argv: Uint8Array[], reply: Reply): void {
    const name = lowerAscii(argv[0]);
    const failed = reply.type === 'error';
    if (argv.length !== 1 && name !== 'select') return;
    if (name === 'select' && argv.length === 2 && !failed) {
      this.db = atoi(argv[1]);
    } else if (name === 'multi' && !failed) {
      this.inMulti = true;
      this.preMultiDb = this.db;
    } else if (name === 'exec' && this.inMulti) {
      this.inMulti = false;
      if (failed || reply.type === 'nil') this.db = this.preMultiDb;
    } else if (name === 'discard' && !failed) {
      this.inMulti = false;
      this.db = this.preMultiDb;
    } else if (name === 'reset' && !failed) {
      this.inMulti = false;
      this.db = 0;
    }
  }
}

/** C isspace(). */
const isSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

/**
 * strtol(word, &end, 10) as redis-cli uses it: leading isspace, a sign, digits.
 * wholeWord is `*end == '\0'` (no digits leaves end at the start of the word).
 */
export function strtol(word: Uint8Array): { value: bigint; wholeWord: boolean; overflow: boolean } {
  let i = 0;
  while (i < word.length && isSpace(word[i])) i++;
  let negative = false;
  if (word[i] === 0x2b || word[i] === 0x2d) negative = word[i++] === 0x2d;
  const digitsAt = i;
  let value = 0n;
  while (i < word.length && word[i] >= 0x30 && word[i] <= 0x39) value = value * 10n + BigInt(word[i++] - 0x30);
  const end = i === digitsAt ? 0 : i;
  if (negative) value = -value;
  const overflow = value > 9223372036854775807n || value < -9223372036854775808n;
  return { value, wholeWord: end === word.length || word[end] === 0, overflow };
}

/** C atoi(): leading spaces, a sign, digits; 0 when there are none. */
export function atoi(word: Uint8Array): number {
  const { value } = strtol(word);
  return Number(BigInt.asIntN(32, value));
}
