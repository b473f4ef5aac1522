// RequestReader: how networking.c's processInputBuffer splits a client's
// query buffer into commands (processInlineBuffer, processMultibulkBuffer of
// Redis 7.0.15). Error texts were checked against a real redis-server 7.0.15.
import { describe, expect, it } from 'vitest';
import { PROTO_INLINE_MAX_SIZE, ProtocolError, RequestReader } from '../../src/engine/resp/request-reader.ts';

/** Bytes of a string whose chars are all 0..255. */
const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const args = (...xs: string[]): Uint8Array[] => xs.map(b);

function reader(maxBulkLength = 512 * 1024 * 1024): RequestReader {
  return new RequestReader({ maxBulkLength: () => maxBulkLength });
}

type Item = Uint8Array[] | ProtocolError;

/** Every whole command available now (stops after a protocol error). */
function drain(r: RequestReader): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < 100_000; i++) {
    const next = r.next();
    if (next === null) return out;
    out.push(next);
    if (next instanceof ProtocolError) return out;
  }
  throw new Error('reader never ran out of commands');
}

function parseAll(input: Uint8Array | string, max?: number): Item[] {
  const r = reader(max);
  r.feed(typeof input === 'string' ? b(input) : input);
  return drain(r);
}

function protocolError(input: string, max?: number): ProtocolError {
  const items = parseAll(input, max);
  const last = items[items.length - 1];
  expect(last).toBeInstanceOf(ProtocolError);
  return last as ProtocolError;
}

/** Index of the first byte where a and b differ (or the shorter length), -1 if equal: fast on megabytes. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function multibulk(...argv: (string | Uint8Array)[]): string {
  let out = `*${argv.length}\r\n`;
  for (const a of argv) {
    const s = typeof a === 'string' ? a : String.fromCharCode(...a);
    out += `$${s.length}\r\n${s}\r\n`;
  }
  return out;
}

describe('RequestReader: multibulk commands', () => {
  it('parses one multibulk command into its arguments', () => {
    expect(parseAll('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n')).toEqual([args('SET', 'k', 'hello')]);
  });

  it('returns null when nothing has been fed', () => {
    expect(reader().next()).toBeNull();
  });

  it('keeps an empty bulk as an empty argument', () => {
    expect(parseAll('*2\r\n$4\r\nECHO\r\n$0\r\n\r\n')).toEqual([args('ECHO', '')]);
  });

  it('keeps every byte of a bulk, including NUL, 0xff and CRLF inside it', () => {
    const value = Uint8Array.from([0x00, 0xff, 0x0d, 0x0a, 0x2a, 0x24, 0x00, 0x0d, 0x0a, 0x80]);
    const input = b('*2\r\n$4\r\nECHO\r\n$10\r\n' + String.fromCharCode(...value) + '\r\n');
    const [cmd] = parseAll(input) as Uint8Array[][];
    expect(cmd[0]).toEqual(b('ECHO'));
    expect(cmd[1]).toEqual(value);
  });

  it('returns [] for *0 and goes on with the next command', () => {
    expect(parseAll('*0\r\n*1\r\n$4\r\nPING\r\n')).toEqual([[], args('PING')]);
  });

  it('returns [] for a negative count such as *-1 or *-5, as Redis treats ll <= 0 as an empty command', () => {
    // networking.c: `if (ll <= 0) return C_OK;` with argc 0, so the client is just reset.
    expect(parseAll('*-1\r\n*1\r\n$4\r\nPING\r\n')).toEqual([[], args('PING')]);
    expect(parseAll('*-5\r\n')).toEqual([[]]);
  });

  it('does not check the two bytes after a bulk, as Redis skips them unread', () => {
    // Observed from redis-server 7.0.15: "*2\r\n$4\r\nECHOxx$2\r\nhiZZ" answers "$2\r\nhi\r\n".
    expect(parseAll('*2\r\n$4\r\nECHOxx$2\r\nhiZZPING\r\n')).toEqual([args('ECHO', 'hi'), args('PING')]);
  });

  it('waits for the byte after the \\r of a count line before reading it', () => {
    const r = reader();
    r.feed(b('*1\r'));
    expect(r.next()).toBeNull();
    r.feed(b('\n$4\r'));
    expect(r.next()).toBeNull();
    r.feed(b('\nPI'));
    expect(r.next()).toBeNull();
    r.feed(b('NG\r'));
    expect(r.next()).toBeNull();
    r.feed(b('\n'));
    expect(r.next()).toEqual(args('PING'));
    expect(r.next()).toBeNull();
    expect(r.pending).toBe(0);
  });

  it('accepts a bulk exactly as long as proto-max-bulk-len', () => {
    expect(parseAll('*1\r\n$10\r\n0123456789\r\n', 10)).toEqual([args('0123456789')]);
  });

  it('returns arguments that later feeds do not change (they are copies, not views of the buffer)', () => {
    const r = reader();
    r.feed(b(multibulk('SET', 'key', 'value')));
    const first = r.next() as Uint8Array[];
    // Enough input to make the reader compact and grow its buffer several times.
    for (let i = 0; i < 50; i++) {
      r.feed(b(multibulk('SET', 'k' + i, 'x'.repeat(4000))));
      drain(r);
    }
    expect(first).toEqual(args('SET', 'key', 'value'));
  });
});

describe('RequestReader: inline commands', () => {
  it('splits an inline command ended by \\r\\n', () => {
    expect(parseAll('SET k hello\r\n')).toEqual([args('SET', 'k', 'hello')]);
  });

  it('splits an inline command ended by a bare \\n', () => {
    expect(parseAll('PING\nPING\n')).toEqual([args('PING'), args('PING')]);
  });

  it('splits inline arguments with quotes and escapes as sdssplitargs does', () => {
    // Observed from redis-server 7.0.15: ECHO "a\x41\n" answers "$3\r\naA\n\r\n".
    expect(parseAll('ECHO "a\\x41\\n"\r\n')).toEqual([[b('ECHO'), b('aA\n')]]);
    expect(parseAll("SET 'a b' \"c d\"\r\n")).toEqual([args('SET', 'a b', 'c d')]);
  });

  it('treats a \\r inside an inline line as a separator', () => {
    // Observed from redis-server 7.0.15: "ECHO a\rb\r\n" is ECHO with two arguments.
    expect(parseAll('ECHO a\rb\r\n')).toEqual([args('ECHO', 'a', 'b')]);
  });

  it('returns [] for blank inline lines', () => {
    expect(parseAll('\r\n\n   \r\n\t\n*1\r\n$4\r\nPING\r\n')).toEqual([[], [], [], [], args('PING')]);
  });

  it('waits for the end of the line', () => {
    const r = reader();
    r.feed(b('PIN'));
    expect(r.next()).toBeNull();
    r.feed(b('G\r'));
    expect(r.next()).toBeNull();
    r.feed(b('\n'));
    expect(r.next()).toEqual(args('PING'));
  });

  it('does not see a newline after a NUL byte, as strchr stops there', () => {
    const r = reader();
    r.feed(b('PING\x00\r\n'));
    expect(r.next()).toBeNull();
    expect(r.pending).toBe(7);
  });

  it('accepts an inline line of exactly 64 KB still waiting for its newline', () => {
    const r = reader();
    r.feed(b('x'.repeat(PROTO_INLINE_MAX_SIZE)));
    expect(r.next()).toBeNull();
    r.feed(b('\r\n'));
    const cmd = r.next() as Uint8Array[];
    expect(cmd).toHaveLength(1);
    expect(cmd[0].length).toBe(PROTO_INLINE_MAX_SIZE);
  });
});

describe('RequestReader: pipelining and split input', () => {
  const stream =
    '*1\r\n$4\r\nPING\r\n' +
    'ECHO "hello world"\r\n' +
    '*0\r\n' +
    '*3\r\n$3\r\nSET\r\n$3\r\nk\x00y\r\n$4\r\n\r\n\xff\x00\r\n' +
    '\r\n' +
    "SET 'a' b\n" +
    '*2\r\n$4\r\nECHO\r\n$0\r\n\r\n';
  const expected: Uint8Array[][] = [
    args('PING'),
    args('ECHO', 'hello world'),
    [],
    args('SET', 'k\x00y', '\r\n\xff\x00'),
    [],
    args('SET', 'a', 'b'),
    args('ECHO', ''),
  ];

  it('parses several commands from one feed, in order', () => {
    expect(parseAll(stream)).toEqual(expected);
  });

  it('gives the same commands however the input is split in two, at every byte boundary', () => {
    const bytes = b(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = reader();
      const got: Item[] = [];
      r.feed(bytes.subarray(0, cut));
      got.push(...drain(r));
      r.feed(bytes.subarray(cut));
      got.push(...drain(r));
      expect(got, `cut at ${cut}`).toEqual(expected);
      expect(r.pending, `cut at ${cut}`).toBe(0);
    }
  });

  it('gives the same commands when fed one byte at a time', () => {
    const bytes = b(stream);
    const r = reader();
    const got: Item[] = [];
    for (let i = 0; i < bytes.length; i++) {
      r.feed(bytes.subarray(i, i + 1));
      got.push(...drain(r));
    }
    expect(got).toEqual(expected);
  });

  it('gives the same commands when split at every pair of boundaries', () => {
    const bytes = b(stream);
    for (let i = 0; i <= bytes.length; i += 3) {
      for (let j = i; j <= bytes.length; j += 5) {
        const r = reader();
        const got: Item[] = [];
        for (const part of [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]) {
          r.feed(part);
          got.push(...drain(r));
        }
        expect(got, `cuts at ${i}, ${j}`).toEqual(expected);
      }
    }
  });

  it('counts the bytes not yet consumed as pending', () => {
    const r = reader();
    r.feed(b('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI'));
    expect(r.pending).toBe(24);
    expect(r.next()).toEqual(args('PING'));
    // The partial command's header lines are consumed; its bulk is not.
    expect(r.next()).toBeNull();
    r.feed(b('NG\r\n'));
    expect(r.next()).toEqual(args('PING'));
    expect(r.pending).toBe(0);
  });

  it('reads a 1 MB bulk fed in small chunks, growing its buffer, byte for byte', () => {
    const size = 1024 * 1024;
    const value = new Uint8Array(size);
    let x = 12345;
    for (let i = 0; i < size; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      value[i] = x >>> 24;
    }
    const head = b(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$${size}\r\n`);
    const tail = b('\r\n*1\r\n$4\r\nPING\r\n');
    const input = new Uint8Array(head.length + size + tail.length);
    input.set(head);
    input.set(value, head.length);
    input.set(tail, head.length + size);
    const r = reader();
    const got: Item[] = [];
    for (let i = 0; i < input.length; i += 4093) {
      r.feed(input.subarray(i, i + 4093));
      got.push(...drain(r));
    }
    expect(got).toHaveLength(2);
    const set = got[0] as Uint8Array[];
    expect(set[0]).toEqual(b('SET'));
    expect(set[1]).toEqual(b('big'));
    expect(set[2].length).toBe(size);
    expect(firstDifference(set[2], value)).toBe(-1);
    expect(got[1]).toEqual(args('PING'));
    expect(r.pending).toBe(0);
  });

  it('reads a 1 MB bulk fed all at once', () => {
    const size = 1024 * 1024;
    const value = new Uint8Array(size).fill(0x61);
    value[0] = 0;
    value[size - 1] = 0xff;
    const head = b(`*2\r\n$4\r\nECHO\r\n$${size}\r\n`);
    const input = new Uint8Array(head.length + size + 2);
    input.set(head);
    input.set(value, head.length);
    input.set(b('\r\n'), head.length + size);
    const [cmd] = parseAll(input) as Uint8Array[][];
    expect(cmd[1]).toBeInstanceOf(Uint8Array);
    expect(firstDifference(cmd[1], value)).toBe(-1);
  });
});

describe('RequestReader: protocol errors', () => {
  it('refuses an inline request longer than 64 KB without a newline', () => {
    const r = reader();
    r.feed(b('x'.repeat(PROTO_INLINE_MAX_SIZE + 1)));
    const err = r.next();
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).reply).toBe('ERR Protocol error: too big inline request');
    expect((err as ProtocolError).reason).toBe('too big inline request');
  });

  it('refuses an inline request with unbalanced quotes', () => {
    // Observed from redis-server 7.0.15: 'PING "a\r\n' answers this and closes.
    const err = protocolError('PING "a\r\n');
    expect(err.reply).toBe('ERR Protocol error: unbalanced quotes in request');
    expect(err.reason).toBe('unbalanced quotes in inline request');
  });

  it('refuses an inline request whose closing quote is followed by a non-space', () => {
    expect(protocolError('SET "a"b c\r\n').reply).toBe('ERR Protocol error: unbalanced quotes in request');
  });

  it('reports the commands before a protocol error, then the error', () => {
    const items = parseAll('PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n');
    expect(items.slice(0, 2)).toEqual([args('PING'), args('PING')]);
    expect(items[2]).toBeInstanceOf(ProtocolError);
    expect(items).toHaveLength(3);
  });

  it.each([
    ['*abc\r\n'],
    ['*\r\n'],
    ['*+1\r\n'],
    ['*01\r\n'],
    ['*-0\r\n'],
    ['* 1\r\n'],
    ['*1 \r\n'],
    ['*2147483648\r\n'],
    ['*99999999999999999999\r\n'],
    ['*1\n$4\r\nPING\r\n'],
  ])('refuses the multibulk count line %j as an invalid multibulk length', (input) => {
    const err = protocolError(input);
    expect(err.reply).toBe('ERR Protocol error: invalid multibulk length');
    expect(err.reason).toBe('invalid mbulk count');
  });

  it('accepts a multibulk count of INT_MAX and waits for its arguments', () => {
    const r = reader();
    r.feed(b('*2147483647\r\n'));
    expect(r.next()).toBeNull();
  });

  it("refuses a bulk header that does not start with '$', naming the byte it got", () => {
    // Observed from redis-server 7.0.15.
    expect(protocolError('*1\r\nx3\r\n').reply).toBe("ERR Protocol error: expected '$', got 'x'");
    expect(protocolError('*1\r\nx3\r\n').reason).toBe('expected $ but got something else');
    expect(protocolError('*2\r\n$4\r\nECHO\r\n:3\r\n').reply).toBe("ERR Protocol error: expected '$', got ':'");
  });

  it("names a byte above 0x7f as that byte in the expected '$' error", () => {
    const err = protocolError('*1\r\n\xff\r\n');
    expect(err.reply).toBe("ERR Protocol error: expected '$', got '\xff'");
  });

  it.each([['$-5'], ['$-1'], ['$abc'], ['$04'], ['$+4'], ['$'], ['$4 ']])(
    'refuses the bulk length %j as invalid',
    (head) => {
      const err = protocolError(`*1\r\n${head}\r\nPING\r\n`);
      expect(err.reply).toBe('ERR Protocol error: invalid bulk length');
      expect(err.reason).toBe('invalid bulk length');
    },
  );

  it('refuses a bulk length above proto-max-bulk-len', () => {
    expect(protocolError('*1\r\n$11\r\n01234567890\r\n', 10).reply).toBe('ERR Protocol error: invalid bulk length');
    // With the default 512 MB: observed from redis-server 7.0.15.
    expect(protocolError('*1\r\n$536870913\r\n').reply).toBe('ERR Protocol error: invalid bulk length');
  });

  it('waits for a bulk of exactly the default proto-max-bulk-len', () => {
    const r = reader();
    r.feed(b('*1\r\n$536870912\r\n'));
    expect(r.next()).toBeNull();
  });

  it('refuses a multibulk count line longer than 64 KB without \\r', () => {
    const r = reader();
    r.feed(b('*' + '1'.repeat(PROTO_INLINE_MAX_SIZE - 1)));
    expect(r.next()).toBeNull();
    r.feed(b('1'));
    const err = r.next() as ProtocolError;
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.reply).toBe('ERR Protocol error: too big mbulk count string');
    expect(err.reason).toBe('too big mbulk count string');
  });

  it('refuses a bulk count line longer than 64 KB without \\r', () => {
    const r = reader();
    r.feed(b('*1\r\n$' + '1'.repeat(PROTO_INLINE_MAX_SIZE - 1)));
    expect(r.next()).toBeNull();
    r.feed(b('1'));
    const err = r.next() as ProtocolError;
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.reply).toBe('ERR Protocol error: too big bulk count string');
    expect(err.reason).toBe('too big bulk count string');
  });
});
