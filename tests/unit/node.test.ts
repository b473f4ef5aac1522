// RedisNode and its commands: bytes in, reply bytes out, on one connection.
// Expected replies marked "observed" were captured from redis-server 7.0.15.
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisNode, type Connection } from '../../src/engine/node.ts';
import { COMMANDS } from '../../src/engine/commands/registry.ts';
import type { Logger, LogLevel } from '../../src/engine/log.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const cmd = (...args: (string | Uint8Array)[]) => encodeCommand(args.map((a) => (typeof a === 'string' ? b(a) : a)));

interface Harness {
  node: RedisNode;
  conn: Connection;
  /** Everything that happened on the transport, in order. */
  events: ({ kind: 'write'; bytes: Uint8Array } | { kind: 'close' })[];
  /** All bytes written so far, as one string of byte values. */
  output(): string;
  closed(): boolean;
  logs: { level: LogLevel; text: string }[];
}

function harness(NodeClass: typeof RedisNode = RedisNode): Harness {
  const logs: { level: LogLevel; text: string }[] = [];
  const log: Logger = {
    log: (level, t) => logs.push({ level, text: t }),
    warning: (t) => logs.push({ level: 'warning', text: t }),
    notice: (t) => logs.push({ level: 'notice', text: t }),
  };
  const node = new NodeClass({ host: '127.0.0.1', port: 6379, pid: 100, runId: 'a'.repeat(40), log, clock: new Clock(DEFAULT_EPOCH_MS), random: new Rng(1, 'test') });
  const events: Harness['events'] = [];
  const conn = node.accept(
    { ip: '127.0.0.1', port: 50000 },
    {
      write: (bytes) => events.push({ kind: 'write', bytes: bytes.slice() }),
      close: () => events.push({ kind: 'close' }),
    },
  );
  return {
    node,
    conn,
    events,
    logs,
    output: () => events.map((e) => (e.kind === 'write' ? text(e.bytes) : '')).join(''),
    closed: () => events.some((e) => e.kind === 'close'),
  };
}

/** Sends bytes on a fresh connection and returns the reply bytes as a string. */
function reply(input: Uint8Array | string): string {
  const h = harness();
  h.conn.receive(typeof input === 'string' ? b(input) : input);
  return h.output();
}

describe('PING and ECHO', () => {
  it('answers PING with +PONG', () => {
    expect(reply(cmd('PING'))).toBe('+PONG\r\n');
  });

  it('answers PING msg with msg as a bulk string, binary-safe', () => {
    expect(reply(cmd('PING', 'hello world'))).toBe('$11\r\nhello world\r\n');
    expect(reply(cmd('PING', Uint8Array.from([0, 0xff, 0x0d, 0x0a])))).toBe('$4\r\n\x00\xff\r\n\r\n');
  });

  it("refuses PING with two arguments as wrong arity for 'ping'", () => {
    // Observed.
    expect(reply(cmd('PING', 'a', 'b'))).toBe("-ERR wrong number of arguments for 'ping' command\r\n");
  });

  it('answers ECHO with its argument', () => {
    expect(reply(cmd('ECHO', 'hi'))).toBe('$2\r\nhi\r\n');
    expect(reply(cmd('ECHO', ''))).toBe('$0\r\n\r\n');
  });

  it('refuses ECHO with no argument or two', () => {
    // Observed.
    expect(reply(cmd('ECHO'))).toBe("-ERR wrong number of arguments for 'echo' command\r\n");
    expect(reply(cmd('ECHO', 'a', 'b'))).toBe("-ERR wrong number of arguments for 'echo' command\r\n");
  });

  it('finds command names in any case', () => {
    expect(reply(cmd('ping'))).toBe('+PONG\r\n');
    expect(reply(cmd('PiNg'))).toBe('+PONG\r\n');
    expect(reply(cmd('eChO', 'x'))).toBe('$1\r\nx\r\n');
    expect(reply(cmd('command', 'count'))).toBe(reply(cmd('COMMAND', 'COUNT')));
    expect(reply(cmd('CoMmAnD', 'CoUnT'))).toBe(reply(cmd('COMMAND', 'COUNT')));
  });

  it('runs inline commands too', () => {
    expect(reply('PING\r\nECHO "a b"\r\nping\n')).toBe('+PONG\r\n$3\r\na b\r\n+PONG\r\n');
  });

  it('answers nothing for empty commands', () => {
    expect(reply('\r\n*0\r\n*-1\r\n   \r\nPING\r\n')).toBe('+PONG\r\n');
  });
});

describe('unknown commands', () => {
  it('quotes each argument after the command name', () => {
    // Observed: "FOO a b".
    expect(reply(cmd('FOO', 'a', 'b'))).toBe("-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
  });

  it('ends the text with "with args beginning with: " when there are no arguments', () => {
    expect(reply(cmd('NOSUCH'))).toBe("-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
  });

  it('keeps the name as it was typed, not lower-cased', () => {
    expect(reply(cmd('FoO'))).toBe("-ERR unknown command 'FoO', with args beginning with: \r\n");
  });

  it('cuts a long argument so the list reaches 128 chars, then stops', () => {
    // Observed: FOO <200 x 'a'> b.
    expect(reply(cmd('foo', 'a'.repeat(200), 'b'))).toBe(
      `-ERR unknown command 'foo', with args beginning with: '${'a'.repeat(128)}' \r\n`,
    );
  });

  it('goes on with the next argument while the list is under 128 chars', () => {
    // Observed: FOO <124 x 'a'> b: the first makes 127 chars, so 'b' follows.
    expect(reply(cmd('foo', 'a'.repeat(124), 'b'))).toBe(
      `-ERR unknown command 'foo', with args beginning with: '${'a'.repeat(124)}' 'b' \r\n`,
    );
  });

  it('cuts the last of many arguments to what is left of 128 chars', () => {
    // Observed: FOO arg0 .. arg39.
    const argv = ['foo', ...Array.from({ length: 40 }, (_, i) => 'arg' + i)];
    expect(reply(cmd(...argv))).toBe(
      "-ERR unknown command 'foo', with args beginning with: 'arg0' 'arg1' 'arg2' 'arg3' 'arg4' 'arg5' 'arg6' " +
        "'arg7' 'arg8' 'arg9' 'arg10' 'arg11' 'arg12' 'arg13' 'arg14' 'arg15' 'arg16' 'ar' \r\n",
    );
  });

  it('cuts the command name to 128 chars', () => {
    // Observed: a 300-char name.
    expect(reply(cmd('x'.repeat(300)))).toBe(`-ERR unknown command '${'x'.repeat(128)}', with args beginning with: \r\n`);
  });

  it('turns \\r and \\n in arguments into spaces', () => {
    // Observed: FOO "a\r\nb" "c\nd".
    expect(reply(cmd('foo', 'a\r\nb', 'c\nd'))).toBe("-ERR unknown command 'foo', with args beginning with: 'a  b' 'c d' \r\n");
  });

  it('cuts arguments and the name at a NUL byte, as %s does', () => {
    // Observed: FOO "ab\0cd" e, and "fo\0o" x.
    expect(reply(cmd('foo', 'ab\x00cd', 'e'))).toBe("-ERR unknown command 'foo', with args beginning with: 'ab' 'e' \r\n");
    expect(reply(cmd('fo\x00o', 'x'))).toBe("-ERR unknown command 'fo', with args beginning with: 'x' \r\n");
  });

  it('does not take "ping" followed by a NUL and more as PING', () => {
    expect(reply(cmd('ping\x00x'))).toBe("-ERR unknown command 'ping', with args beginning with: \r\n");
  });

  it('keeps bytes above 0x7f in the error text as they are', () => {
    expect(reply(cmd('f\xe9', '\xff'))).toBe("-ERR unknown command 'f\xe9', with args beginning with: '\xff' \r\n");
  });
});

describe('COMMAND', () => {
  it('answers COMMAND COUNT with the 240 commands of 7.0.15, whatever the engine runs', () => {
    expect(reply(cmd('COMMAND', 'COUNT'))).toBe(':240\r\n');
    expect(COMMANDS.size).toBeGreaterThanOrEqual(3);
    expect(COMMANDS.has('ping')).toBe(true);
    expect(COMMANDS.has('echo')).toBe(true);
    expect(COMMANDS.has('command')).toBe(true);
  });

  it('refuses an unknown subcommand, naming it as typed and the container in upper case', () => {
    // Observed: COMMAND FOO and command foo.
    expect(reply(cmd('COMMAND', 'FOO'))).toBe("-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
    expect(reply(cmd('command', 'foo'))).toBe("-ERR unknown subcommand 'foo'. Try COMMAND HELP.\r\n");
  });

  it('cuts an unknown subcommand to 128 chars', () => {
    // Observed: COMMAND <200 x 's'>.
    expect(reply(cmd('command', 's'.repeat(200)))).toBe(`-ERR unknown subcommand '${'s'.repeat(128)}'. Try COMMAND HELP.\r\n`);
  });

  it("refuses COMMAND COUNT x as wrong arity for 'command|count'", () => {
    // Observed.
    expect(reply(cmd('COMMAND', 'COUNT', 'x'))).toBe("-ERR wrong number of arguments for 'command|count' command\r\n");
  });
});

describe('protocol errors on a connection', () => {
  it('replies with the error, then closes the connection', () => {
    const h = harness();
    h.conn.receive(b('*abc\r\n'));
    expect(h.events).toEqual([{ kind: 'write', bytes: b('-ERR Protocol error: invalid multibulk length\r\n') }, { kind: 'close' }]);
  });

  it('sends the replies of earlier pipelined commands first, in the same write, then closes', () => {
    // Observed: "PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n" answers two PONGs and the error, then closes.
    const h = harness();
    h.conn.receive(b('PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n'));
    expect(h.output()).toBe('+PONG\r\n+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n');
    expect(h.events.map((e) => e.kind)).toEqual(['write', 'close']);
  });

  it('ignores input after the connection was closed for a protocol error', () => {
    const h = harness();
    h.conn.receive(b('*1\r\nx\r\n'));
    h.conn.receive(cmd('PING'));
    expect(h.output()).toBe("-ERR Protocol error: expected '$', got 'x'\r\n");
    expect(h.events.filter((e) => e.kind === 'close')).toHaveLength(1);
    expect(h.node.connectedClients).toBe(0);
  });

  it("turns a \\r given where '$' was expected into a space in the error", () => {
    // Observed: "*1\r\n\r\n" answers "-ERR Protocol error: expected '$', got ' '".
    expect(reply('*1\r\n\r\n')).toBe("-ERR Protocol error: expected '$', got ' '\r\n");
  });

  it.each([
    ['*1\r\n$-5\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
    ['*1\r\n$536870913\r\n', '-ERR Protocol error: invalid bulk length\r\n'],
    ['*2147483648\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
    ['*+1\r\n$4\r\nPING\r\n', '-ERR Protocol error: invalid multibulk length\r\n'],
    ['PING "a\r\n', '-ERR Protocol error: unbalanced quotes in request\r\n'],
    ['*1\r\n\xff\r\n', "-ERR Protocol error: expected '$', got '\xff'\r\n"],
  ])('answers %j as redis-server 7.0.15 does and closes', (input, expected) => {
    const h = harness();
    h.conn.receive(b(input));
    expect(h.output()).toBe(expected);
    expect(h.closed()).toBe(true);
  });

  it('closes after a too big inline request', () => {
    const h = harness();
    h.conn.receive(b('x'.repeat(64 * 1024 + 1)));
    expect(h.output()).toBe('-ERR Protocol error: too big inline request\r\n');
    expect(h.closed()).toBe(true);
  });

  it('answers a command split over many receives once it is whole', () => {
    const h = harness();
    const bytes = cmd('ECHO', 'split');
    for (let i = 0; i < bytes.length; i++) h.conn.receive(bytes.subarray(i, i + 1));
    expect(h.output()).toBe('$5\r\nsplit\r\n');
    expect(h.closed()).toBe(false);
  });

  it('writes all replies of one receive in one write', () => {
    const h = harness();
    h.conn.receive(b('PING\r\nPING\r\nPING\r\n'));
    expect(h.events).toEqual([{ kind: 'write', bytes: b('+PONG\r\n+PONG\r\n+PONG\r\n') }]);
  });
});

describe('connections', () => {
  it('counts connected clients and forgets one that closes', () => {
    const h = harness();
    expect(h.node.connectedClients).toBe(1);
    h.node.accept({ ip: '127.0.0.1', port: 50001 }, { write: () => {}, close: () => {} });
    expect(h.node.connectedClients).toBe(2);
    h.conn.close();
    expect(h.node.connectedClients).toBe(1);
    h.conn.receive(cmd('PING'));
    expect(h.events).toEqual([]);
  });

  it('closes every client when the node closes all', () => {
    const h = harness();
    h.node.closeAllClients();
    expect(h.events).toEqual([{ kind: 'close' }]);
    expect(h.node.connectedClients).toBe(0);
  });
});

describe('a handler that throws', () => {
  afterEach(() => {
    vi.doUnmock('../../src/engine/commands/connection.ts');
    vi.resetModules();
  });

  it('answers an error reply and logs a line instead of throwing, and the connection keeps working', async () => {
    // The registry takes its handlers from the command-group modules, so a
    // throwing ECHO is put in by mocking that module, not by editing src/.
    vi.resetModules();
    vi.doMock('../../src/engine/commands/connection.ts', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../src/engine/commands/connection.ts')>();
      return {
        connectionHandlers: {
          ...original.connectionHandlers,
          echo: () => {
            throw new Error('boom');
          },
        },
      };
    });
    const { RedisNode: MockedNode } = await import('../../src/engine/node.ts');
    const h = harness(MockedNode);
    expect(() => h.conn.receive(cmd('ECHO', 'x'))).not.toThrow();
    h.conn.receive(cmd('PING'));
    expect(h.output()).toBe("-ERR internal error while executing 'echo' (see the node's log)\r\n+PONG\r\n");
    expect(h.closed()).toBe(false);
    expect(h.logs).toHaveLength(1);
    expect(h.logs[0].level).toBe('warning');
    expect(h.logs[0].text).toContain('echo');
    expect(h.logs[0].text).toContain('boom');
  });
});
