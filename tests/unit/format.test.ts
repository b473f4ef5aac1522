// formatReply: redis-cli's cliFormatReplyTTY (redis-cli.c of 7.0.15) and
// sdscatrepr. Where a test says "observed", the server bytes were captured
// from redis-server 7.0.15 and the text is what redis-cli 7.0.15 printed for
// them (`redis-cli --no-raw [-3]`, lines typed on its standard input).
import { describe, expect, it } from 'vitest';
import { formatReply, formatReplyRaw, printsRaw, repr } from '../../src/cli/format.ts';
import { ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const bulk = (s: string): Reply => ({ type: 'bulk', value: b(s) });
const int = (n: number): Reply => ({ type: 'integer', value: BigInt(n) });
const arr = (...items: Reply[]): Reply => ({ type: 'array', items });
const map = (...items: Reply[]): Reply => ({ type: 'map', items });

/** What redis-cli prints for the reply in these RESP bytes. */
function printed(resp: string): string {
  const r = new ReplyReader();
  r.feed(b(resp));
  const reply = r.next();
  expect(reply).toBeDefined();
  expect(r.pending).toBe(0);
  return formatReply(reply!);
}

describe('formatReply: simple types', () => {
  it('prints a status as its text', () => {
    expect(formatReply({ type: 'status', text: b('OK') })).toBe('OK\n');
    // Observed: EVAL "return redis.status_reply('FINE')" 0
    expect(printed('+FINE\r\n')).toBe('FINE\n');
  });

  it('prints an error after "(error) "', () => {
    // Observed: EVAL "return redis.error_reply('MYERR bad thing')" 0
    expect(printed('-MYERR bad thing\r\n')).toBe('(error) MYERR bad thing\n');
    // Observed: ECHO with no argument.
    expect(printed("-ERR wrong number of arguments for 'echo' command\r\n")).toBe(
      "(error) ERR wrong number of arguments for 'echo' command\n",
    );
  });

  it('prints statuses and errors raw, up to a NUL as printf %s does', () => {
    expect(formatReply({ type: 'status', text: b('a\x00b') })).toBe('a\n');
    expect(formatReply({ type: 'error', text: b('ERR x\x00y') })).toBe('(error) ERR x\n');
    expect(formatReply({ type: 'status', text: b('\xe9"\t') })).toBe('\xe9"\t\n');
  });

  it('prints integers after "(integer) "', () => {
    expect(formatReply(int(10))).toBe('(integer) 10\n');
    expect(formatReply(int(-3))).toBe('(integer) -3\n');
    expect(formatReply({ type: 'integer', value: -9223372036854775808n })).toBe('(integer) -9223372036854775808\n');
  });

  it('prints nil as (nil), in RESP2 and RESP3', () => {
    // Observed: GET of a missing key ($-1), BLPOP nokey 0.01 (*-1) and DEBUG PROTOCOL null (_, RESP3).
    expect(printed('$-1\r\n')).toBe('(nil)\n');
    expect(printed('*-1\r\n')).toBe('(nil)\n');
    expect(printed('_\r\n')).toBe('(nil)\n');
  });

  it('prints booleans as (true) and (false)', () => {
    // Observed: DEBUG PROTOCOL true / false.
    expect(printed('#t\r\n')).toBe('(true)\n');
    expect(printed('#f\r\n')).toBe('(false)\n');
  });

  it('prints a double after "(double) " as the server wrote it', () => {
    // Observed: DEBUG PROTOCOL double, and EVAL "return {double=3.5}" 0.
    expect(printed(',3.141\r\n')).toBe('(double) 3.141\n');
    expect(printed(',3.5\r\n')).toBe('(double) 3.5\n');
  });

  it('prints a verbatim string raw, without its format', () => {
    // Observed: DEBUG PROTOCOL verbatim.
    expect(printed('=29\r\ntxt:This is a verbatim\nstring\r\n')).toBe('This is a verbatim\nstring\n');
  });

  it('prints the attribute itself as nothing', () => {
    expect(formatReply({ type: 'attribute', items: [bulk('k'), int(1)] })).toBe('');
  });
});

describe('formatReply: bulk strings (sdscatrepr)', () => {
  it('quotes a bulk string', () => {
    expect(printed('$11\r\nhello world\r\n')).toBe('"hello world"\n');
    expect(printed('$0\r\n\r\n')).toBe('""\n');
  });

  it('escapes \\\\ \\" \\n \\r \\t \\a \\b and prints other non-printables as lower-case \\xHH', () => {
    // Observed: SET k to these bytes, then GET k printed exactly this.
    const value = 'a\\b"c\n\r\t\x07\x08\x01\x7f\x80\xff ~';
    expect(printed(`$${value.length}\r\n${value}\r\n`)).toBe('"a\\\\b\\"c\\n\\r\\t\\a\\b\\x01\\x7f\\x80\\xff ~"\n');
  });

  it('prints bytes 0x20..0x7e as they are and every other byte escaped, over all 256 values', () => {
    const named: Record<number, string> = { 0x5c: '\\\\', 0x22: '\\"', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b' };
    for (let i = 0; i < 256; i++) {
      const expected = named[i] ?? (i >= 0x20 && i <= 0x7e ? String.fromCharCode(i) : '\\x' + i.toString(16).padStart(2, '0'));
      expect(repr(Uint8Array.of(i)), `byte ${i}`).toBe(`"${expected}"`);
    }
  });

  it('escapes each byte of UTF-8 text', () => {
    expect(repr(b('h\xc3\xa9llo'))).toBe('"h\\xc3\\xa9llo"');
  });

  it('escapes NUL bytes and keeps going after them', () => {
    expect(formatReply(bulk('a\x00b'))).toBe('"a\\x00b"\n');
  });
});

describe('formatReply: aggregates', () => {
  it('prints the empty aggregate texts', () => {
    // Observed: EVAL "return {}" 0, EVAL "return {map={}}" 0 and EVAL "return {set={}}" 0 (RESP3).
    expect(printed('*0\r\n')).toBe('(empty array)\n');
    expect(printed('%0\r\n')).toBe('(empty hash)\n');
    expect(printed('~0\r\n')).toBe('(empty set)\n');
    expect(formatReply({ type: 'push', items: [] })).toBe('(empty push)\n');
  });

  it('numbers array items from 1 with ") "', () => {
    expect(formatReply(arr(bulk('a'), int(2), { type: 'nil' }))).toBe('1) "a"\n2) (integer) 2\n3) (nil)\n');
  });

  it('pads indexes to the width of the largest one', () => {
    // Observed: RPUSH l a b c d e f g h i j, then LRANGE l 0 -1.
    const items = 'abcdefghij'.split('').map(bulk);
    expect(formatReply(arr(...items))).toBe(
      ' 1) "a"\n 2) "b"\n 3) "c"\n 4) "d"\n 5) "e"\n 6) "f"\n 7) "g"\n 8) "h"\n 9) "i"\n10) "j"\n',
    );
  });

  it('pads to three digits for 100 or more items', () => {
    const out = formatReply(arr(...Array.from({ length: 100 }, (_, i) => int(i))));
    const lines = out.split('\n');
    expect(lines[0]).toBe('  1) (integer) 0');
    expect(lines[9]).toBe(' 10) (integer) 9');
    expect(lines[99]).toBe('100) (integer) 99');
  });

  it('prints nested arrays with the parent index on the first line and the prefix after', () => {
    // Observed: EVAL "return {1,{2,{3,'x'}},{},'y'}" 0
    expect(printed("*4\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n$1\r\nx\r\n*0\r\n$1\r\ny\r\n")).toBe(
      '1) (integer) 1\n' +
        '2) 1) (integer) 2\n' +
        '   2) 1) (integer) 3\n' +
        '      2) "x"\n' +
        '3) (empty array)\n' +
        '4) "y"\n',
    );
  });

  it('grows the nested prefix by the width of the parent index', () => {
    // Observed: EVAL "local t={} for i=1,12 do t[i]=i end return {t,{'a'}}" 0
    const resp = '*2\r\n*12\r\n' + Array.from({ length: 12 }, (_, i) => `:${i + 1}\r\n`).join('') + '*1\r\n$1\r\na\r\n';
    expect(printed(resp)).toBe(
      '1)  1) (integer) 1\n' +
        '    2) (integer) 2\n' +
        '    3) (integer) 3\n' +
        '    4) (integer) 4\n' +
        '    5) (integer) 5\n' +
        '    6) (integer) 6\n' +
        '    7) (integer) 7\n' +
        '    8) (integer) 8\n' +
        '    9) (integer) 9\n' +
        '   10) (integer) 10\n' +
        '   11) (integer) 11\n' +
        '   12) (integer) 12\n' +
        '2) 1) "a"\n',
    );
  });

  it('uses a two-space-wider prefix below a 10-item parent', () => {
    const inner = arr(int(1), int(2));
    const items = [...Array.from({ length: 9 }, (_, i) => int(i)), inner];
    const out = formatReply(arr(...items));
    expect(out.endsWith('10) 1) (integer) 1\n    2) (integer) 2\n')).toBe(true);
  });

  it('numbers set items with "~ "', () => {
    // Observed: DEBUG PROTOCOL set (RESP3).
    expect(printed('~3\r\n:0\r\n:1\r\n:2\r\n')).toBe('1~ (integer) 0\n2~ (integer) 1\n3~ (integer) 2\n');
  });

  it('prints maps as "N# key => value"', () => {
    // Observed: DEBUG PROTOCOL map (RESP3).
    expect(printed('%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n')).toBe(
      '1# (integer) 0 => (false)\n2# (integer) 1 => (true)\n3# (integer) 2 => (false)\n',
    );
  });

  it('prints the HELLO 3 map as redis-cli does', () => {
    // Observed: HELLO 3 on redis-server 7.0.15 (id 21).
    const resp =
      '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n' +
      '$2\r\nid\r\n:21\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n';
    expect(printed(resp)).toBe(
      '1# "server" => "redis"\n' +
        '2# "version" => "7.0.15"\n' +
        '3# "proto" => (integer) 3\n' +
        '4# "id" => (integer) 21\n' +
        '5# "mode" => "standalone"\n' +
        '6# "role" => "master"\n' +
        '7# "modules" => (empty array)\n',
    );
  });

  it('starts a multi-line map value on a new line after "=> "', () => {
    // Observed: EVAL "return {map={k1={1,2}}}" 0 (RESP3); note the space before the newline.
    expect(printed('%1\r\n$2\r\nk1\r\n*2\r\n:1\r\n:2\r\n')).toBe('1# "k1" => \n   1) (integer) 1\n   2) (integer) 2\n');
    // Observed: EVAL "return {map={k1={map={a=1,b=2}}}}" 0
    expect(printed('%1\r\n$2\r\nk1\r\n%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n')).toBe(
      '1# "k1" => \n   1# "a" => (integer) 1\n   2# "b" => (integer) 2\n',
    );
  });

  it('keeps a one-line aggregate map value on the key line', () => {
    // Observed: EVAL "return {map={k1={5}}}" 0
    expect(printed('%1\r\n$2\r\nk1\r\n*1\r\n:5\r\n')).toBe('1# "k1" => 1) (integer) 5\n');
    // Observed: EVAL "return {map={k1={map={a=1}}, k2={}}}" 0
    expect(printed('%2\r\n$2\r\nk1\r\n%1\r\n$1\r\na\r\n:1\r\n$2\r\nk2\r\n*0\r\n')).toBe(
      '1# "k1" => 1# "a" => (integer) 1\n2# "k2" => (empty array)\n',
    );
  });

  it('prints a map nested in an array after the parent index', () => {
    // Observed: EVAL "return {1,{map={zz='v'}}}" 0
    expect(printed('*2\r\n:1\r\n%1\r\n$2\r\nzz\r\n$1\r\nv\r\n')).toBe('1) (integer) 1\n2) 1# "zz" => "v"\n');
  });

  it('treats a one-item array holding a multi-line array as multi-line in a map value', () => {
    expect(formatReply(map(bulk('k'), arr(arr(int(1), int(2)))))).toBe(
      '1# "k" => \n   1) 1) (integer) 1\n      2) (integer) 2\n',
    );
  });

  it('pads map indexes by the number of pairs, not of items', () => {
    // 5 pairs (10 items): one digit.
    const items: Reply[] = [];
    for (let i = 0; i < 5; i++) items.push(bulk('k' + i), int(i));
    expect(formatReply(map(...items)).split('\n')[0]).toBe('1# "k0" => (integer) 0');
  });

  it('prints a push like an array', () => {
    expect(formatReply({ type: 'push', items: [bulk('message'), bulk('ch'), bulk('hi')] })).toBe(
      '1) "message"\n2) "ch"\n3) "hi"\n',
    );
  });
});

describe('formatReplyRaw: the commands redis-cli prints raw on a terminal too', () => {
  it('knows them as cliSendCommand does', () => {
    for (const argv of [['INFO'], ['info', 'keyspace'], ['LOLWUT'], ['client', 'LIST'], ['CLIENT', 'INFO'], ['MEMORY', 'DOCTOR'], ['LATENCY', 'DOCTOR'], ['latency', 'graph', 'command'], ['CLUSTER', 'NODES']])
      expect([argv, printsRaw(argv)]).toEqual([argv, true]);
    for (const argv of [['GET', 'k'], ['CLIENT', 'ID'], ['LATENCY', 'DOCTOR', 'x'], ['CLUSTER', 'INFO', 'x'], ['CLIENT']])
      expect([argv, printsRaw(argv)]).toEqual([argv, false]);
  });

  it('prints INFO as its text, an error without "(error)", elements one per line', () => {
    // Observed (redis-cli --no-raw, 2 and 3): INFO keyspace prints "# Keyspace\r\n" and nothing after it.
    expect(formatReplyRaw({ type: 'bulk', value: b('# Keyspace\r\n') })).toBe('# Keyspace\r\n');
    expect(formatReplyRaw({ type: 'verbatim', format: 'txt', value: b('# Keyspace\r\n') })).toBe('# Keyspace\r\n');
    // Observed: CLIENT LIST TYPE foo.
    expect(formatReplyRaw({ type: 'error', text: b("ERR Unknown client type 'foo'") })).toBe("ERR Unknown client type 'foo'\n");
    expect(formatReplyRaw(arr(bulk('a'), int(2), { type: 'nil' }))).toBe('a\n2\n');
    expect(formatReplyRaw(map(bulk('k'), bulk('v'), bulk('k2'), int(1)))).toBe('k v\nk2 1');
  });
});
