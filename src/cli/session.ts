// One redis-cli session against one node, without the terminal: what
// redis-cli's repl() does with a typed line (split, repeat prefix, send,
// print the reply, keep the prompt), driven by the host's connection events.

import { splitArgs } from '../engine/resp/split-args.ts';
import { ReplyReader, encodeCommand, type Reply } from '../engine/resp/reply-reader.ts';
import { formatReply, formatReplyRaw, printsRaw } from './format.ts';
import { HelpTable } from './help.ts';
import { isSensitiveCommand } from './sensitive.ts';
import { cString, latin1, lowerAscii, utf8 } from '../engine/bytes.ts';

/** The redis-cli this session behaves as (its generic help prints it). */
export const REDIS_CLI_VERSION = '7.0.15';

export interface CliHost {
  /** Open a connection to host:port; answer with connected() or refused(). */
  connect(host: string, port: number): void;
  send(bytes: Uint8Array): void;
  disconnect(): void;
  /** Output for the terminal: a string of byte values (one char per byte). */
  print(text: string): void;
  /** The world's virtual time in µs, as well as the host knows it (none: no timing lines). */
  nowUs?(): number;
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
  private reader = new ReplyReader();
  /** Commands of the current line not yet sent (repeat prefix makes several). */
  private queue: Array<{ argv: Uint8Array[]; remaining: number }> = [];
  /** The database when MULTI began: EXEC that fails and DISCARD go back to it. */
  private preMultiDb = 0;
  private inFlight: Uint8Array[] | null = null;
  db = 0;
  inMulti = false;
  /** After MONITOR: every reply is printed as it comes, and there is no prompt (redis-cli's monitor_mode). */
  monitoring = false;
  /** After SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE: replies are printed as they come until an error (pubsub_mode). */
  subscribed = false;
  /** When the line being run was sent (virtual µs), for the "(N.NNs)" line after a slow one. */
  private lineStartUs: number | null = null;
  /** The help entries cliInitHelp built from the server's COMMAND DOCS; null until then. */
  private helpTable: HelpTable | null = null;
  /** COMMAND DOCS went out (once, as redis-cli sends it once before its first prompt). */
  private helpRequested = false;
  /**
   * Commands the session sends on its own after connecting, whose replies
   * are read, not printed: SELECT of the database asked for (cliSelect),
   * then COMMAND DOCS the first time (cliInitHelp).
   */
  private internal: Array<'docs' | { select: number }> = [];
  /** config.conn_info.input_dbnum: the database the user asked for, selected again on a new connection. */
  private inputDb = 0;
  /** pref.hints (`:set hints`, `:set nohints`). */
  private hintsOn = true;

  constructor(
    public host: string,
    public port: number,
    private readonly io: CliHost,
  ) {}

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** True while a line's commands are still being answered, or MONITOR or SUBSCRIBE streams. */
  get busy(): boolean {
    return this.monitoring || this.subscribed || this.inFlight !== null || this.queue.length > 0 || this.state === 'connecting';
  }

  /**
   * Ctrl-C while a command runs. In MONITOR and SUBSCRIBE redis-cli 7.0
   * closes its socket, connects again (the database asked for selected
   * again, MULTI forgotten), prints the "(N.NNs)" line and its prompt. On a
   * command that blocks it exits; the page connects again instead, so the
   * terminal gets its prompt back (on db 0, as a new redis-cli would be).
   */
  interrupt(): void {
    if (!this.busy) return;
    const streaming = this.monitoring || this.subscribed;
    this.io.disconnect();
    this.monitoring = false;
    this.subscribed = false;
    this.inFlight = null;
    this.queue = [];
    this.inMulti = false;
    this.internal = [];
    this.reader = new ReplyReader();
    if (streaming) {
      this.db = 0;
      this.printTiming();
    } else {
      this.db = this.inputDb = 0;
      this.lineStartUs = null;
      this.io.print('\n');
    }
    this.start();
  }

  /** repl(): a line that took half a second or more is followed by its duration. */
  private printTiming(): void {
    const start = this.lineStartUs;
    this.lineStartUs = null;
    const now = this.io.nowUs?.();
    if (start === null || now === undefined) return;
    const ms = Math.max(0, Math.round((now - start) / 1000));
    if (ms >= 500) this.io.print(`(${seconds(ms)}s)\n`);
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
    this.io.connect(this.host, this.port);
  }

  /** hintsCallback: what to show after the typed line, or null. */
  hint(line: string): string | null {
    return this.hintsOn && this.helpTable ? this.helpTable.hint(line) : null;
  }

  /** completionCallback: the lines TAB cycles through. */
  completions(line: string): string[] {
    return this.helpTable ? this.helpTable.completions(line) : [];
  }

  /**
   * Whether repl() adds a typed line to its history: not an empty one, nor
   * one that would keep a password (isSensitiveCommand, after the repeat count).
   */
  keepsInHistory(line: string): boolean {
    const argv = splitArgs(utf8(line));
    if (argv === null) return true;
    if (argv.length === 0) return false;
    const words = argv.map((a) => latin1(a));
    const count = strtol(argv[0]);
    const skip = words.length > 1 && count.wholeWord ? 1 : 0;
    // A bad repeat count is refused before the line reaches the history.
    if (skip && (count.overflow || count.value <= 0n)) return false;
    return !isSensitiveCommand(words.slice(skip));
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
    if (argv[0][0] === 0x3a) {
      this.setPreference(argv);
      return this.io.ready();
    }
    if (first === 'restart') {
      // Only the Lua debugger (redis-cli --ldb) restarts a session; there is none here.
      this.io.print("Use 'restart' only in Lua debugging mode.\n");
      return this.io.ready();
    }
    if (argv.length === 3 && first === 'connect') return this.connectTo(latin1(argv[1]), atoi(argv[2]));
    if (argv.length === 1 && first === 'clear') {
      this.io.print('\x1b[H\x1b[2J'); // linenoiseClearScreen
      return this.io.ready();
    }
    // issueCommandRepeat: help needs no connection (and no repeat).
    const command = lowerAscii(args[0]);
    if (command === 'help' || command === '?') {
      const words = args.slice(1).map((a) => latin1(a));
      this.io.print(words.length === 0 ? HelpTable.genericHelp(REDIS_CLI_VERSION) : (this.helpTable?.help(words, REDIS_CLI_VERSION) ?? '\r\n'));
      return this.io.ready();
    }
    if (this.state === 'dead') {
      this.state = 'disconnected';
      this.io.print('Error: Server closed the connection\n');
      return this.io.ready();
    }
    this.queue.push({ argv: args, remaining: repeat });
    this.lineStartUs = this.io.nowUs?.() ?? null;
    if (this.state === 'connected') this.sendNext();
    else if (this.state === 'disconnected') {
      this.state = 'connecting';
      this.io.connect(this.host, this.port);
    }
  }

  connectedEvent(): void {
    this.state = 'connected';
    if (this.inputDb !== this.db) {
      this.internal.push({ select: this.inputDb });
      this.io.send(encodeCommand([utf8('SELECT'), utf8(String(this.inputDb))]));
    }
    if (!this.helpRequested) {
      // cliInitHelp: the help and hints come from the server's own COMMAND DOCS.
      this.helpRequested = true;
      this.internal.push('docs');
      this.io.send(encodeCommand([utf8('COMMAND'), utf8('DOCS')]));
    }
    if (this.internal.length === 0) this.proceed();
  }

  /** The prompt, or the next queued command. */
  private proceed(): void {
    if (this.queue.length > 0) this.sendNext();
    else this.io.ready();
  }

  /** The `connect host port` of the repl: the same session, another server (cliConnect(CC_FORCE)). */
  private connectTo(host: string, port: number): void {
    if (this.state === 'connected' || this.state === 'dead') {
      // cliConnect(CC_FORCE) frees the old context: database 0 and no MULTI until cliSelect selects input_dbnum again.
      this.io.disconnect();
      this.db = 0;
      this.inMulti = false;
    }
    this.host = host;
    this.port = port;
    this.reader = new ReplyReader();
    this.internal = [];
    this.state = 'connecting';
    this.io.connect(host, port);
  }

  /** cliSetPreferences, typed at the prompt. */
  private setPreference(argv: Uint8Array[]): void {
    const word = (i: number) => lowerAscii(argv[i]);
    if (word(0) === ':set' && argv.length >= 2) {
      if (word(1) === 'hints') this.hintsOn = true;
      else if (word(1) === 'nohints') this.hintsOn = false;
      else this.io.print(`unknown redis-cli preference '${latin1(cString(argv[1]))}'\n`);
    } else {
      this.io.print(`unknown redis-cli internal command '${latin1(cString(argv[0]))}'\n`);
    }
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
    if (this.internal.length > 0) {
      // No answer to what the session asked on its own: the prompt comes all the same.
      this.internal = [];
      this.state = this.queue.length > 0 ? 'disconnected' : 'dead';
      if (this.queue.length > 0) this.io.print('Error: Server closed the connection\n');
      this.queue = [];
      return this.io.ready();
    }
    if (this.monitoring || this.subscribed) {
      // redis-cli prints this and exits; the page keeps the terminal, not connected.
      this.monitoring = this.subscribed = false;
      this.inFlight = null;
      this.queue = [];
      this.state = 'disconnected';
      this.io.print('Error: Server closed the connection\n');
      return this.io.ready();
    }
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
      this.printTiming();
      return this.io.ready();
    }
    const argv = next.argv;
    if (--next.remaining === 0) this.queue.shift();
    this.inFlight = argv;
    this.io.send(encodeCommand(argv));
    for (const text of this.heldPushes.splice(0)) this.io.print(text);
    const name = lowerAscii(argv[0]);
    if (name === 'subscribe' || name === 'psubscribe' || name === 'ssubscribe') {
      // pubsub_mode: the line is printed as soon as the command is sent.
      this.subscribed = true;
      this.io.print('Reading messages... (press Ctrl-C to quit)\n');
    }
  }

  /** Push messages read while no command waited for its reply. */
  private heldPushes: string[] = [];

  private onReply(reply: Reply): void {
    const internal = this.internal.shift();
    if (internal !== undefined) {
      if (internal === 'docs') {
        this.helpTable = HelpTable.fromCommandDocs(reply);
      } else if (reply.type === 'error') {
        this.io.print(`SELECT ${internal.select} failed: ${latin1(cString(reply.text))}\n`);
      } else {
        this.db = internal.select;
      }
      if (this.internal.length === 0) this.proceed();
      return;
    }
    if (this.monitoring) return this.io.print(formatReply(reply));
    if (this.subscribed) {
      // Confirmations and messages alike, RESP3 pushes too, until an error ends the mode.
      this.io.print(formatReply(reply));
      if (reply.type !== 'error') return;
      this.subscribed = false;
      this.inFlight = null;
      return this.sendNext();
    }
    if (reply.type === 'push') {
      // cliPushHandler: hiredis hands pushes over as it reads, which redis-cli does only while it waits
      // for a reply; one that came while the prompt waited shows once the next command is sent.
      const text = formatPush(reply);
      if (this.inFlight) this.io.print(text);
      else this.heldPushes.push(text);
      return;
    }
    const argv = this.inFlight;
    if (!argv) return; // nothing asked for it
    // INFO, CLIENT LIST and a few others are printed raw, as text to read (cliSendCommand's output_raw).
    this.io.print(printsRaw(argv.map((a) => latin1(a))) ? formatReplyRaw(reply) : formatReply(reply));
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
      this.db = this.inputDb = atoi(argv[1]);
    } else if (name === 'multi' && !failed) {
      this.inMulti = true;
      this.preMultiDb = this.db;
    } else if (name === 'exec' && this.inMulti) {
      this.inMulti = false;
      if (failed || reply.type === 'nil') this.db = this.inputDb = this.preMultiDb;
    } else if (name === 'discard' && !failed) {
      this.inMulti = false;
      this.db = this.inputDb = this.preMultiDb;
    } else if (name === 'reset' && !failed) {
      this.inMulti = false;
      this.db = this.inputDb = 0;
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

/**
 * printf("%.2f", ms / 1000.0): the nearest hundredth of the double, ties to
 * even; ms / 1000 is a tie only when exact (ms ending in 125, 375, 625, 875).
 */
export function seconds(ms: number): string {
  if (ms % 125 === 0 && ms % 10 === 5) {
    const hundredths = (ms - 5) / 10;
    const even = hundredths % 2 === 0 ? hundredths : hundredths + 1;
    return (even / 100).toFixed(2);
  }
  return (ms / 1000).toFixed(2);
}

/**
 * cliPushHandler's output: an invalidation as redis-cli prints it on a
 * terminal (cliFormatInvalidateTTY), any other push as a reply.
 */
function formatPush(reply: Extract<Reply, { type: 'push' }>): string {
  const [kind, keys] = reply.items;
  if (reply.items.length === 2 && kind && (kind.type === 'bulk' || kind.type === 'status') && latin1(kind.type === 'bulk' ? kind.value : kind.text).startsWith('invalidate') && keys?.type === 'array') {
    return `-> invalidate: ${keys.items.map((k) => `'${k.type === 'bulk' ? latin1(k.value) : ''}'`).join(', ')}\n`;
  }
  return formatReply(reply);
}
