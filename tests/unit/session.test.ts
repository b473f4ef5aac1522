// CliSession: what redis-cli's repl() does with a typed line, against a fake
// host. The host delivers connection events and replies from a queue the test
// drains, as a real (asynchronous) transport would. Prompts and texts marked
// "observed" were seen from redis-cli 7.0.15 on a pseudo-terminal against
// redis-server 7.0.15 (the port there was another; the text around it is
// the same).
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { describe, expect, it } from 'vitest';
import { CliSession, seconds, type CliHost } from '../../src/cli/session.ts';
import { RedisNode, type Connection } from '../../src/engine/node.ts';
import { RequestReader, ProtocolError } from '../../src/engine/resp/request-reader.ts';
import { latin1 } from '../../src/engine/bytes.ts';
import type { Logger } from '../../src/engine/log.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const quiet: Logger = { log: () => {}, warning: () => {}, notice: () => {} };

/** A scripted server: gets each command's argv (as text), answers raw RESP text. */
type Responder = (argv: string[]) => string;

class FakeHost implements CliHost {
  session!: CliSession;
  printed = '';
  readies = 0;
  connects = 0;
  disconnects = 0;
  /** Every command sent, as argv text. */
  sent: string[][] = [];
  /** Whether a connect() is answered with connected or refused. */
  accept = true;
  private tasks: (() => void)[] = [];
  private conn: Connection | null = null;
  private readonly node: RedisNode | null;
  private readonly reader = new RequestReader({ maxBulkLength: () => 1 << 30 });

  constructor(private readonly responder?: Responder) {
    this.node = responder ? null : new RedisNode({ host: '127.0.0.1', port: 6380, pid: 1, runId: '0'.repeat(40), log: quiet, clock: new Clock(DEFAULT_EPOCH_MS), random: new Rng(1, 'test') });
  }

  connect(): void {
    this.connects++;
    this.tasks.push(() => {
      if (!this.accept) return this.session.refusedEvent();
      if (this.node) {
        this.conn = this.node.accept(
          { ip: '127.0.0.1', port: 40000 },
          {
            write: (bytes) => this.tasks.push(() => this.session.dataEvent(bytes)),
            close: () => this.tasks.push(() => this.session.closedEvent()),
          },
        );
      }
      this.session.connectedEvent();
    });
  }

  send(bytes: Uint8Array): void {
    this.reader.feed(bytes);
    for (let argv = this.reader.next(); argv !== null; argv = this.reader.next()) {
      if (argv instanceof ProtocolError) throw new Error('the session sent bad RESP');
      this.sent.push(argv.map((a) => latin1(a)));
    }
    if (this.node) {
      const conn = this.conn!;
      this.tasks.push(() => conn.receive(bytes));
    } else {
      const argv = this.sent[this.sent.length - 1];
      const answer = this.responder!(argv);
      this.tasks.push(() => this.session.dataEvent(b(answer)));
    }
  }

  disconnect(): void {
    this.disconnects++;
    this.conn?.close();
    this.conn = null;
  }

  print(text: string): void {
    this.printed += text;
  }

  ready(): void {
    this.readies++;
  }

  /** Virtual time, for the "(N.NNs)" line. */
  nowMicros = 0;
  nowUs(): number {
    return this.nowMicros;
  }

  /** The server sends bytes on its own (a published message). */
  deliver(resp: string): void {
    this.tasks.push(() => this.session.dataEvent(b(resp)));
  }

  /** The server closes the connection (as after QUIT or a crash). */
  serverClose(): void {
    this.tasks.push(() => this.session.closedEvent());
  }

  /** Runs queued deliveries until none is left (bounded). */
  drain(): void {
    for (let i = 0; i < 10_000; i++) {
      const task = this.tasks.shift();
      if (!task) return;
      task();
    }
    throw new Error('the fake host never went idle');
  }

  /** What was printed since the last call. */
  take(): string {
    const out = this.printed;
    this.printed = '';
    return out;
  }
}

function connectedSession(responder?: Responder): { session: CliSession; host: FakeHost } {
  const host = new FakeHost(responder);
  const session = new CliSession('127.0.0.1', 6380, host);
  host.session = session;
  session.start();
  host.drain();
  // Before its first prompt redis-cli asks for COMMAND DOCS (cliInitHelp); the tests look at what follows.
  expect(host.sent).toEqual([['COMMAND', 'DOCS']]);
  host.sent = [];
  return { session, host };
}

/** Types a line and waits until the session is idle again. */
function type(session: CliSession, host: FakeHost, line: string): string {
  session.submit(line);
  host.drain();
  expect(session.busy).toBe(false);
  return host.take();
}

/** Answers like redis-server 7.0.15 does to the commands these tests use. */
function redisLike(): Responder {
  let inMulti = false;
  let queued = 0;
  return (argv) => {
    const name = argv[0].toLowerCase();
    if (name === 'multi') {
      inMulti = true;
      queued = 0;
      return '+OK\r\n';
    }
    if (name === 'exec') {
      if (!inMulti) return '-ERR EXEC without MULTI\r\n';
      inMulti = false;
      return `*${queued}\r\n` + '+OK\r\n'.repeat(queued);
    }
    if (name === 'discard') {
      inMulti = false;
      return '+OK\r\n';
    }
    if (name === 'reset') {
      inMulti = false;
      return '+RESET\r\n';
    }
    if (name === 'select') {
      const db = Number(argv[1]);
      if (!/^\d+$/.test(argv[1] ?? '')) return '-ERR value is not an integer or out of range\r\n';
      if (db > 15) return '-ERR DB index is out of range\r\n';
      if (inMulti) {
        queued++;
        return '+QUEUED\r\n';
      }
      return '+OK\r\n';
    }
    if (name === 'ping') return inMulti ? (queued++, '+QUEUED\r\n') : '+PONG\r\n';
    return `-ERR unknown command '${argv[0]}', with args beginning with: \r\n`;
  };
}

describe('CliSession: connecting', () => {
  it('shows "not connected> " before it connects', () => {
    const host = new FakeHost();
    const session = new CliSession('127.0.0.1', 6380, host);
    host.session = session;
    expect(session.prompt()).toBe('not connected> ');
    expect(session.connected).toBe(false);
  });

  it('connects at start and then shows the 127.0.0.1:6380> prompt', () => {
    const { session, host } = connectedSession();
    expect(host.connects).toBe(1);
    expect(session.connected).toBe(true);
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
    expect(host.readies).toBe(1);
  });

  it('is busy while connecting', () => {
    const host = new FakeHost();
    const session = new CliSession('127.0.0.1', 6380, host);
    host.session = session;
    session.start();
    expect(session.busy).toBe(true);
    host.drain();
    expect(session.busy).toBe(false);
  });

  it('prints the refusal and stays "not connected" when the connection is refused', () => {
    // Observed: redis-cli -p <a port with no server>.
    const host = new FakeHost();
    host.accept = false;
    const session = new CliSession('127.0.0.1', 6380, host);
    host.session = session;
    session.start();
    host.drain();
    expect(host.take()).toBe('Could not connect to Redis at 127.0.0.1:6380: Connection refused\n');
    expect(session.prompt()).toBe('not connected> ');
    expect(session.busy).toBe(false);
    expect(host.readies).toBe(1);
  });

  it('tries to connect again for a typed command when not connected, and prints the refusal again', () => {
    // Observed: typing PING at "not connected> " prints the refusal once more.
    const host = new FakeHost();
    host.accept = false;
    const session = new CliSession('127.0.0.1', 6380, host);
    host.session = session;
    session.start();
    host.drain();
    host.take();
    expect(type(session, host, 'PING')).toBe('Could not connect to Redis at 127.0.0.1:6380: Connection refused\n');
    expect(host.connects).toBe(2);
    expect(host.sent).toEqual([]);
    expect(session.prompt()).toBe('not connected> ');
  });

  it('connects for a typed command once the server accepts, and runs it', () => {
    const host = new FakeHost();
    host.accept = false;
    const session = new CliSession('127.0.0.1', 6380, host);
    host.session = session;
    session.start();
    host.drain();
    host.take();
    host.accept = true;
    expect(type(session, host, 'PING')).toBe('PONG\n');
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  it('prints "Error: Server closed the connection" when the server closes while a reply is awaited', () => {
    const { session, host } = connectedSession((argv) => (argv[0] === 'COMMAND' ? '*0\r\n' : ''));
    session.submit('PING');
    host.serverClose();
    host.drain();
    expect(host.take()).toBe('Error: Server closed the connection\n');
    expect(session.prompt()).toBe('not connected> ');
    expect(session.busy).toBe(false);
  });
});

describe('CliSession: commands', () => {
  it('sends a typed command and prints the reply as redis-cli does', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, 'PING')).toBe('PONG\n');
    expect(type(session, host, 'ECHO "a b"')).toBe('"a b"\n');
    expect(type(session, host, 'ping a b')).toBe("(error) ERR wrong number of arguments for 'ping' command\n");
    expect(host.sent).toEqual([['PING'], ['ECHO', 'a b'], ['ping', 'a', 'b']]);
  });

  it('sends the typed text as UTF-8 bytes', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, 'ECHO é')).toBe('"\\xc3\\xa9"\n');
    expect(host.sent[0]).toEqual(['ECHO', '\xc3\xa9']);
  });

  it('prints "Invalid argument(s)" for unbalanced quotes and sends nothing', () => {
    // Observed: "unbalanced, 'a'b and "a"b.
    const { session, host } = connectedSession();
    expect(type(session, host, '"unbalanced')).toBe('Invalid argument(s)\n');
    expect(type(session, host, "'a'b")).toBe('Invalid argument(s)\n');
    expect(type(session, host, '"a"b')).toBe('Invalid argument(s)\n');
    expect(host.sent).toEqual([]);
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  it('sends nothing for an empty or blank line and is ready again', () => {
    const { session, host } = connectedSession();
    const before = host.readies;
    expect(type(session, host, '')).toBe('');
    expect(type(session, host, '   ')).toBe('');
    expect(host.sent).toEqual([]);
    expect(host.readies).toBe(before + 2);
  });

  it('is ready once per line, after the reply', () => {
    const { session, host } = connectedSession();
    const before = host.readies;
    session.submit('PING');
    expect(host.readies).toBe(before);
    expect(session.busy).toBe(true);
    host.drain();
    expect(host.readies).toBe(before + 1);
  });

  it('joins a quote in the middle of a word into one argument', () => {
    // Observed: a"b c" sends the single word 'ab c'.
    const { session, host } = connectedSession();
    expect(type(session, host, 'a"b c"')).toBe("(error) ERR unknown command 'ab c', with args beginning with: \n");
  });

  it('runs "3 PING" as three PINGs, one after the other', () => {
    // Observed: "3 PING" prints PONG three times.
    const { session, host } = connectedSession();
    session.submit('3 PING');
    // Only one command is on the wire until its reply comes back.
    expect(host.sent).toEqual([['PING']]);
    host.drain();
    expect(host.take()).toBe('PONG\nPONG\nPONG\n');
    expect(host.sent).toEqual([['PING'], ['PING'], ['PING']]);
  });

  it('repeats a command with arguments', () => {
    // Observed: 2 ECHO "a b".
    const { session, host } = connectedSession();
    expect(type(session, host, '2 ECHO "a b"')).toBe('"a b"\n"a b"\n');
  });

  it.each([['0 PING'], ['-1 PING'], ['99999999999999999999 PING']])(
    'refuses %j with "Invalid redis-cli repeat command option value."',
    (line) => {
      // Observed for all three.
      const { session, host } = connectedSession();
      expect(type(session, host, line)).toBe('Invalid redis-cli repeat command option value.\n');
      expect(host.sent).toEqual([]);
    },
  );

  it('refuses "9223372036854775808 PING" (one past LONG_MAX: strtol sets ERANGE) without queueing commands', () => {
    // Observed: redis-cli prints the repeat error. A guard stands in for the
    // session's queue so a runaway repeat fails the test instead of hanging it.
    const { session, host } = connectedSession();
    const guarded: unknown[] = [];
    (session as unknown as { queue: unknown }).queue = Object.assign(guarded, {
      push(...items: unknown[]) {
        if (guarded.length + items.length > 100) throw new Error('repeat count was accepted: more than 100 commands queued');
        return Array.prototype.push.apply(guarded, items);
      },
    });
    session.submit('9223372036854775808 PING');
    host.drain();
    expect(host.take()).toBe('Invalid redis-cli repeat command option value.\n');
    expect(host.sent).toEqual([]);
  });

  it('refuses an empty first word as a repeat count, as strtol leaves nothing after it', () => {
    // Observed: '"" PING' prints the repeat error (strtol of "" gives 0 with *endptr == '\0').
    const { session, host } = connectedSession();
    expect(type(session, host, '"" PING')).toBe('Invalid redis-cli repeat command option value.\n');
    expect(host.sent).toEqual([]);
  });

  it('sends a first word that is a number followed by other chars as the command', () => {
    // Observed: "3abc PING" sends 3abc PING once.
    const { session, host } = connectedSession();
    expect(type(session, host, '3abc PING')).toBe("(error) ERR unknown command '3abc', with args beginning with: 'PING' \n");
    expect(host.sent).toEqual([['3abc', 'PING']]);
  });

  it.each([
    ['" 3" PING', 3],
    ['"+2" PING', 2],
    ['"\\t2" PING', 2],
    ['"\\x0b2" PING', 2],
  ])('reads the repeat count of %j as strtol does (leading isspace and a sign allowed)', (line, times) => {
    // Observed: redis-cli printed PONG that many times for each.
    const { session, host } = connectedSession();
    expect(type(session, host, line)).toBe('PONG\n'.repeat(times));
  });

  it.each([['"3 " PING', '3 '], ['"\\xa03" PING', '\xa03']])(
    'sends %j once, its first word not being a whole strtol number',
    (line, first) => {
      // Observed: redis-cli sent both as the command (strtol stops at the trailing space, and 0xa0 is not
      // isspace in the C locale), answered "ERR unknown command '<first word>', with args beginning with: 'PING' ".
      const { session, host } = connectedSession();
      expect(type(session, host, line)).toBe(`(error) ERR unknown command '${first}', with args beginning with: 'PING' \n`);
      expect(host.sent).toEqual([[first, 'PING']]);
    },
  );

  it('sends a lone number as a command, not as a repeat count', () => {
    const { session, host } = connectedSession();
    type(session, host, '5');
    expect(host.sent).toEqual([['5']]);
  });

  it('drops the connection on QUIT and shows "not connected> "', () => {
    const { session, host } = connectedSession();
    type(session, host, 'quit');
    expect(host.disconnects).toBe(1);
    expect(session.prompt()).toBe('not connected> ');
  });
});

describe('CliSession: prompt state', () => {
  it('shows [2] after a successful SELECT 2', () => {
    // Observed: 127.0.0.1:P> SELECT 2 -> OK -> 127.0.0.1:P[2]>
    const { session, host } = connectedSession(redisLike());
    expect(type(session, host, 'SELECT 2')).toBe('OK\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[2]> ');
    expect(type(session, host, 'select 0')).toBe('OK\n');
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  it('keeps the db when SELECT is answered with an error', () => {
    // Observed: at [5], SELECT 99 -> (error) ERR DB index is out of range -> still [5].
    const { session, host } = connectedSession(redisLike());
    type(session, host, 'SELECT 5');
    expect(type(session, host, 'SELECT 99')).toBe('(error) ERR DB index is out of range\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[5]> ');
    type(session, host, 'SELECT abc');
    expect(session.prompt()).toBe('127.0.0.1:6380[5]> ');
  });

  it('shows (TX) after MULTI and clears it after EXEC', () => {
    // Observed: [2] MULTI -> [2](TX), SELECT 5 -> QUEUED -> [5](TX), EXEC -> 1) OK -> [5].
    const { session, host } = connectedSession(redisLike());
    type(session, host, 'SELECT 2');
    expect(type(session, host, 'MULTI')).toBe('OK\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[2](TX)> ');
    expect(type(session, host, 'SELECT 5')).toBe('QUEUED\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[5](TX)> ');
    expect(type(session, host, 'EXEC')).toBe('1) OK\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[5]> ');
  });

  it('does not show (TX) when MULTI is answered with an error', () => {
    const { session, host } = connectedSession(() => '-ERR MULTI calls can not be nested\r\n');
    type(session, host, 'MULTI');
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  it('clears (TX) when EXEC is answered with EXECABORT, and goes back to the db MULTI started in', () => {
    // Observed: [5] MULTI, NOSUCH -> (error), EXEC -> (error) EXECABORT ... -> prompt [5] without (TX).
    // redis-cli.c cliSendCommand: `else if (!strcasecmp(command,"exec") && argc == 1 && config.in_multi) {
    // config.in_multi = 0; if (last_cmd_type == REDIS_REPLY_ERROR || ... NIL) dbnum = pre_multi_dbnum; }`
    let calls = 0;
    const answers = ['*0\r\n', '+OK\r\n', '+OK\r\n', '+QUEUED\r\n', '-EXECABORT Transaction discarded because of previous errors.\r\n'];
    const { session, host } = connectedSession(() => answers[calls++]);
    type(session, host, 'SELECT 5');
    type(session, host, 'MULTI');
    type(session, host, 'SELECT 7');
    expect(session.prompt()).toBe('127.0.0.1:6380[7](TX)> ');
    expect(type(session, host, 'EXEC')).toBe('(error) EXECABORT Transaction discarded because of previous errors.\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[5]> ');
  });

  it('goes back to the db MULTI started in when EXEC answers nil (a WATCHed key changed)', () => {
    // redis-cli.c: an EXEC answered with an error or nil restores pre_multi_dbnum.
    let calls = 0;
    const answers = ['*0\r\n', '+OK\r\n', '+QUEUED\r\n', '*-1\r\n'];
    const { session, host } = connectedSession(() => answers[calls++]);
    type(session, host, 'MULTI');
    type(session, host, 'SELECT 3');
    expect(session.prompt()).toBe('127.0.0.1:6380[3](TX)> ');
    expect(type(session, host, 'EXEC')).toBe('(nil)\n');
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  it('clears (TX) after DISCARD and goes back to the db MULTI started in', () => {
    // Observed: [2] MULTI -> [2](TX), SELECT 3 -> QUEUED -> [3](TX), DISCARD -> OK -> [2].
    const { session, host } = connectedSession(redisLike());
    type(session, host, 'SELECT 2');
    type(session, host, 'MULTI');
    type(session, host, 'SELECT 3');
    expect(session.prompt()).toBe('127.0.0.1:6380[3](TX)> ');
    expect(type(session, host, 'DISCARD')).toBe('OK\n');
    expect(session.prompt()).toBe('127.0.0.1:6380[2]> ');
  });

  it('shows the plain prompt again after RESET', () => {
    // Observed: [4] RESET -> RESET -> 127.0.0.1:P>
    // redis-cli.c: `else if (!strcasecmp(command,"reset") && argc == 1 && ...) { in_multi = 0; dbnum = 0; ... }`
    const { session, host } = connectedSession(redisLike());
    type(session, host, 'SELECT 4');
    type(session, host, 'MULTI');
    expect(type(session, host, 'RESET')).toBe('RESET\n');
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  it('does not track SELECT with the wrong number of arguments', () => {
    const { session, host } = connectedSession(() => "+OK\r\n");
    type(session, host, 'SELECT 2 3');
    expect(session.prompt()).toBe('127.0.0.1:6380> ');
  });

  // Observed with redis-cli 7.0.15 on a pseudo-terminal, the connection killed
  // with CLIENT KILL from another client while the prompt was waiting:
  //   127.0.0.1:P[2](TX)> PING
  //   Error: Server closed the connection
  //   not connected> PING
  //   PONG
  //   127.0.0.1:P[2](TX)>
  it('notices a closed connection only at the next command, then reconnects keeping the db and MULTI prompt', () => {
    const { session, host } = connectedSession(redisLike());
    type(session, host, 'SELECT 2');
    type(session, host, 'MULTI');
    host.serverClose();
    host.drain();
    expect(session.prompt()).toBe('127.0.0.1:6380[2](TX)> ');
    expect(type(session, host, 'PING')).toBe('Error: Server closed the connection\n');
    expect(session.prompt()).toBe('not connected> ');
    type(session, host, 'PING');
    expect(session.prompt()).toBe('127.0.0.1:6380[2](TX)> ');
  });
});

describe('CliSession: against a real RedisNode', () => {
  it('writes exactly the RESP multibulk of the typed words', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, "ECHO 'it\\'s'")).toBe('"it\'s"\n');
    type(session, host, 'PING "\\x00\\xff"');
    expect(host.sent).toEqual([['ECHO', "it's"], ['PING', '\x00\xff']]);
  });

  it('prints the reply of a binary ECHO escaped as redis-cli does', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, 'ECHO "\\x00\\xff\\n"')).toBe('"\\x00\\xff\\n"\n');
  });

  it('prints COMMAND COUNT as an integer', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, 'COMMAND COUNT')).toMatch(/^\(integer\) \d+\n$/);
  });
});

describe('MONITOR in a session', () => {
  it('prints OK then every command the node runs, without a prompt, until Ctrl-C gives the prompt back', () => {
    const { session, host } = connectedSession();
    session.submit('MONITOR');
    host.drain();
    expect(host.take()).toBe('OK\n');
    expect(session.busy).toBe(true);
    const readies = host.readies;
    // Another client of the same node.
    const node = (host as unknown as { node: RedisNode }).node;
    const other = node.accept({ ip: '127.0.0.1', port: 40001 }, { write: () => {}, close: () => {} });
    other.receive(b('*3\r\n$3\r\nset\r\n$1\r\nk\r\n$3\r\na b\r\n'));
    host.drain();
    expect(host.take()).toMatch(/^\d{10}\.\d{6} \[0 127\.0\.0\.1:40001\] "set" "k" "a b"\n$/);
    expect(host.readies).toBe(readies);
    session.interrupt();
    host.drain();
    expect(session.busy).toBe(false);
    expect(host.readies).toBe(readies + 1);
    // redis-cli 7.0 reconnects and prompts; under half a second there is no "(N.NNs)" line.
    expect(host.take()).toBe('');
    expect(type(session, host, 'PING')).toBe('PONG\n');
  });
});

describe('a blocking command in a session', () => {
  it('waits without a prompt until another client serves it, then prints the reply as redis-cli does', () => {
    const { session, host } = connectedSession();
    session.submit('BLPOP q 0');
    host.drain();
    expect(session.busy).toBe(true);
    expect(host.take()).toBe('');
    const node = (host as unknown as { node: RedisNode }).node;
    const other = node.accept({ ip: '127.0.0.1', port: 40002 }, { write: () => {}, close: () => {} });
    other.receive(b('*3\r\n$5\r\nRPUSH\r\n$1\r\nq\r\n$1\r\nv\r\n'));
    host.drain();
    expect(host.take()).toBe('1) "q"\n2) "v"\n');
    expect(session.busy).toBe(false);
  });

  it('is abandoned by Ctrl-C: the prompt comes back and the node no longer has the client waiting', () => {
    const { session, host } = connectedSession();
    session.submit('BRPOP q 0');
    host.drain();
    const node = (host as unknown as { node: RedisNode }).node;
    const blocked = () => [...node.clientList()].filter((c) => c.blocked).length;
    expect(blocked()).toBe(1);
    session.interrupt();
    host.drain();
    expect(session.busy).toBe(false);
    expect(blocked()).toBe(0);
    expect(host.take()).toBe('\n');
    // A push now finds nobody waiting: the element stays.
    expect(type(session, host, 'RPUSH q v')).toBe('(integer) 1\n');
    expect(type(session, host, 'LLEN q')).toBe('(integer) 1\n');
  });
});

describe('CliSession: the words redis-cli keeps for itself (observed on redis-cli 7.0.15)', () => {
  it('answers :set and other :words as cliSetPreferences does, and turns hints off and on', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, ':set foo')).toBe("unknown redis-cli preference 'foo'\n");
    expect(type(session, host, ':foo')).toBe("unknown redis-cli internal command ':foo'\n");
    expect(type(session, host, ':set')).toBe("unknown redis-cli internal command ':set'\n");
    expect(type(session, host, ':set nohints')).toBe('');
    expect(type(session, host, ':SET HINTS')).toBe('');
    expect(host.sent).toEqual([]);
  });

  it('refuses restart outside the Lua debugger, clears the screen on clear, and prints the generic help', () => {
    const { session, host } = connectedSession();
    expect(type(session, host, 'restart')).toBe("Use 'restart' only in Lua debugging mode.\n");
    expect(type(session, host, 'clear')).toBe('\x1b[H\x1b[2J');
    expect(type(session, host, 'help')).toBe(
      'redis-cli 7.0.15\nTo get help about Redis commands type:\n      "help @<group>" to get a list of commands in <group>\n' +
        '      "help <command>" for help on <command>\n      "help <tab>" to get a list of possible help topics\n      "quit" to exit\n\n' +
        'To set redis-cli preferences:\n      ":set hints" enable online hints\n      ":set nohints" disable online hints\nSet your preferences in ~/.redisclirc\n',
    );
    expect(host.sent).toEqual([]);
  });

  it('connect host port: a refused address leaves "not connected> ", and the next command tries it again', () => {
    const { session, host } = connectedSession();
    host.accept = false;
    expect(type(session, host, 'connect 127.0.0.1 1')).toBe('Could not connect to Redis at 127.0.0.1:1: Connection refused\n');
    expect(session.prompt()).toBe('not connected> ');
    expect(type(session, host, 'PING')).toBe('Could not connect to Redis at 127.0.0.1:1: Connection refused\n');
  });

  it('connect from db 3: the new connection selects db 3 again, and MULTI state is gone', () => {
    const { session, host } = connectedSession();
    type(session, host, 'SELECT 3');
    type(session, host, 'MULTI');
    expect(session.prompt()).toBe('127.0.0.1:6380[3](TX)> ');
    host.sent = [];
    expect(type(session, host, 'connect 127.0.0.1 6380')).toBe('');
    expect(host.sent).toEqual([['SELECT', '3']]);
    expect(session.prompt()).toBe('127.0.0.1:6380[3]> ');
    expect(type(session, host, 'CLIENT INFO')).toMatch(/ db=3 /);
  });

  it('keeps lines with a password out of the history (isSensitiveCommand), the repeat count aside', () => {
    const { session } = connectedSession();
    for (const line of ['0 PING', '-1 PING', 'AUTH secret', 'auth user secret', '3 AUTH x', 'ACL SETUSER u on >p', 'CONFIG SET requirepass x', 'config set masteruser u', 'HELLO 3 AUTH u p', 'HELLO 3 SETNAME n AUTH u p', 'MIGRATE h 1 "" 0 10 AUTH p', '   '])
      expect([line, session.keepsInHistory(line)]).toEqual([line, false]);
    for (const line of ['PING', 'CONFIG SET maxmemory 1', 'HELLO 3 SETNAME n', 'ACL LIST', '"unbalanced', 'MIGRATE h 1 "" 0 10 KEYS a AUTH'])
      expect([line, session.keepsInHistory(line)]).toEqual([line, true]);
  });
});

describe('CliSession: SUBSCRIBE and the time a line took (observed on redis-cli 7.0.15 in a pseudo-terminal)', () => {
  const confirm = (ch: string, n: number) => `*3\r\n$9\r\nsubscribe\r\n$${ch.length}\r\n${ch}\r\n:${n}\r\n`;

  it('prints "Reading messages..." and every confirmation and message until Ctrl-C, then the time it took', () => {
    const { session, host } = connectedSession((argv) => (argv[0] === 'SUBSCRIBE' ? confirm('ch1', 1) + confirm('ch2', 2) : '+PONG\r\n'));
    session.submit('SUBSCRIBE ch1 ch2');
    host.drain();
    expect(host.take()).toBe(
      'Reading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "ch1"\n3) (integer) 1\n1) "subscribe"\n2) "ch2"\n3) (integer) 2\n',
    );
    expect(session.busy).toBe(true);
    host.deliver('*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$5\r\nhello\r\n');
    host.drain();
    expect(host.take()).toBe('1) "message"\n2) "ch1"\n3) "hello"\n');
    host.nowMicros += 910_000;
    session.interrupt();
    host.drain();
    expect(host.take()).toBe('(0.91s)\n');
    expect(session.busy).toBe(false);
    expect(type(session, host, 'PING')).toBe('PONG\n');
  });

  it('leaves the mode on an error, as SUBSCRIBE without a channel gets', () => {
    const { session, host } = connectedSession(() => "-ERR wrong number of arguments for 'subscribe' command\r\n");
    expect(type(session, host, 'subscribe')).toBe(
      "Reading messages... (press Ctrl-C to quit)\n(error) ERR wrong number of arguments for 'subscribe' command\n",
    );
  });

  it('says the server closed the connection when it does while messages are awaited', () => {
    const { session, host } = connectedSession(() => confirm('c', 1));
    session.submit('SUBSCRIBE c');
    host.drain();
    host.take();
    host.serverClose();
    host.drain();
    expect(host.take()).toBe('Error: Server closed the connection\n');
    expect(session.busy).toBe(false);
    expect(session.prompt()).toBe('not connected> ');
  });

  it('prints (N.NNs) after a line that took half a second or more of virtual time, with printf rounding', () => {
    let host!: FakeHost;
    const { session, host: h } = connectedSession((argv) => {
      if (argv[0] === 'BLPOP') host.nowMicros += 1_000_000;
      return argv[0] === 'BLPOP' ? '*-1\r\n' : '+PONG\r\n';
    });
    host = h;
    expect(type(session, host, 'BLPOP k 1')).toBe('(nil)\n(1.00s)\n');
    expect(type(session, host, 'PING')).toBe('PONG\n');
    expect([499, 500, 625, 875, 1125, 1005, 2994].map(seconds)).toEqual(['0.50', '0.50', '0.62', '0.88', '1.12', '1.00', '2.99']);
  });
});

describe('client-side caching in a session (RESP3)', () => {
  it('prints an invalidation as cliFormatInvalidateTTY does: at once while a reply is awaited, else once the next command is sent', () => {
    const { session, host } = connectedSession();
    const node = (host as unknown as { node: RedisNode }).node;
    for (const line of ['HELLO 3', 'CLIENT TRACKING on', 'GET a', 'GET b']) {
      session.submit(line);
      host.drain();
    }
    host.take();
    // Another client writes both keys while the prompt waits: nothing is printed yet (redis-cli is not reading).
    const other = node.accept({ ip: '127.0.0.1', port: 40003 }, { write: () => {}, close: () => {} });
    other.receive(b('*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n'));
    host.drain();
    expect(host.take()).toBe('');
    session.submit('PING');
    host.drain();
    expect(host.take()).toBe("-> invalidate: 'a'\n-> invalidate: 'b'\nPONG\n");
    // A flush's null invalidation is not an "invalidate" array: it prints as a reply would.
    session.submit('GET c');
    host.drain();
    host.take();
    other.receive(b('*1\r\n$8\r\nFLUSHALL\r\n'));
    host.drain();
    session.submit('PING');
    host.drain();
    expect(host.take()).toBe('1) "invalidate"\n2) (nil)\nPONG\n');
  });
});
