// ReplyReader: decoding RESP2 and RESP3 replies as hiredis does, and
// encodeCommand. The RESP3 samples are the bytes redis-server 7.0.15 sent
// for DEBUG PROTOCOL <type> and EVAL over a HELLO 3 connection.
import { describe, expect, it } from 'vitest';
import { ReplyFormatError, ReplyReader, encodeCommand, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { ProtocolError, RequestReader } from '../../src/engine/resp/request-reader.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const bulk = (s: string): Reply => ({ type: 'bulk', value: b(s) });
const int = (n: number | bigint): Reply => ({ type: 'integer', value: BigInt(n) });

function decodeAll(input: Uint8Array | string): Reply[] {
  const r = new ReplyReader();
  r.feed(typeof input === 'string' ? b(input) : input);
  const out: Reply[] = [];
  for (let reply = r.next(); reply; reply = r.next()) out.push(reply);
  return out;
}

const one = (input: string): Reply => {
  const all = decodeAll(input);
  expect(all).toHaveLength(1);
  return all[0];
};

describe('ReplyReader: RESP2 types', () => {
  it('decodes a status', () => {
    expect(one('+OK\r\n')).toEqual({ type: 'status', text: b('OK') });
  });

  it('decodes an error', () => {
    expect(one('-ERR unknown command\r\n')).toEqual({ type: 'error', text: b('ERR unknown command') });
  });

  it('decodes integers as bigints, including the 64-bit limits', () => {
    expect(one(':0\r\n')).toEqual(int(0));
    expect(one(':-5\r\n')).toEqual(int(-5));
    expect(one(':9223372036854775807\r\n')).toEqual(int(9223372036854775807n));
    expect(one(':-9223372036854775808\r\n')).toEqual(int(-9223372036854775808n));
  });

  it('decodes bulk strings binary-safe, with CRLF, NUL and 0xff inside', () => {
    expect(one('$6\r\na\r\n\x00\xffb\r\n')).toEqual({ type: 'bulk', value: Uint8Array.from([0x61, 0x0d, 0x0a, 0x00, 0xff, 0x62]) });
    expect(one('$0\r\n\r\n')).toEqual(bulk(''));
  });

  it('decodes the RESP2 nils $-1 and *-1 as nil', () => {
    expect(one('$-1\r\n')).toEqual({ type: 'nil' });
    expect(one('*-1\r\n')).toEqual({ type: 'nil' });
  });

  it('decodes an empty array', () => {
    expect(one('*0\r\n')).toEqual({ type: 'array', items: [] });
  });

  it('decodes nested arrays (bytes observed from EVAL on redis-server 7.0.15)', () => {
    expect(one("*4\r\n:1\r\n*2\r\n:2\r\n*2\r\n:3\r\n$1\r\nx\r\n*0\r\n$1\r\ny\r\n")).toEqual({
      type: 'array',
      items: [
        int(1),
        { type: 'array', items: [int(2), { type: 'array', items: [int(3), bulk('x')] }] },
        { type: 'array', items: [] },
        bulk('y'),
      ],
    });
  });

  it('decodes arrays holding nils and errors', () => {
    expect(one('*3\r\n$-1\r\n-ERR x\r\n*-1\r\n')).toEqual({
      type: 'array',
      items: [{ type: 'nil' }, { type: 'error', text: b('ERR x') }, { type: 'nil' }],
    });
  });
});

describe('ReplyReader: RESP3 types', () => {
  it('decodes the RESP3 null _', () => {
    expect(one('_\r\n')).toEqual({ type: 'nil' });
  });

  it('decodes booleans', () => {
    expect(one('#t\r\n')).toEqual({ type: 'bool', value: true });
    expect(one('#f\r\n')).toEqual({ type: 'bool', value: false });
  });

  it('decodes doubles as their text', () => {
    expect(one(',3.141\r\n')).toEqual({ type: 'double', text: '3.141' });
    expect(one(',inf\r\n')).toEqual({ type: 'double', text: 'inf' });
    expect(one(',-inf\r\n')).toEqual({ type: 'double', text: '-inf' });
    expect(one(',nan\r\n')).toEqual({ type: 'double', text: 'nan' });
  });

  it('decodes big numbers as their text', () => {
    expect(one('(1234567999999999999999999999999999999\r\n')).toEqual({
      type: 'bignum',
      text: '1234567999999999999999999999999999999',
    });
  });

  it('decodes a verbatim string into its format and text', () => {
    expect(one('=29\r\ntxt:This is a verbatim\nstring\r\n')).toEqual({
      type: 'verbatim',
      format: 'txt',
      value: b('This is a verbatim\nstring'),
    });
  });

  it('decodes a blob error', () => {
    expect(one('!22\r\nSYNTAX invalid\r\nsyntax\r\n')).toEqual({ type: 'error', text: b('SYNTAX invalid\r\nsyntax') });
  });

  it('decodes a map as key, value, key, value', () => {
    expect(one('%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n')).toEqual({
      type: 'map',
      items: [int(0), { type: 'bool', value: false }, int(1), { type: 'bool', value: true }, int(2), { type: 'bool', value: false }],
    });
  });

  it('decodes maps nested in maps and arrays', () => {
    expect(one('%2\r\n$2\r\nk1\r\n%1\r\n$1\r\na\r\n:1\r\n$2\r\nk2\r\n*0\r\n')).toEqual({
      type: 'map',
      items: [bulk('k1'), { type: 'map', items: [bulk('a'), int(1)] }, bulk('k2'), { type: 'array', items: [] }],
    });
  });

  it('decodes a set', () => {
    expect(one('~3\r\n:0\r\n:1\r\n:2\r\n')).toEqual({ type: 'set', items: [int(0), int(1), int(2)] });
  });

  it('decodes a push, then the reply after it', () => {
    expect(decodeAll('>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n')).toEqual([
      { type: 'push', items: [bulk('server-cpu-usage'), int(42)] },
      bulk('Some real reply following the push reply'),
    ]);
  });

  it('decodes an attribute as its own value, then the reply it annotates', () => {
    expect(
      decodeAll('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n'),
    ).toEqual([
      { type: 'attribute', items: [bulk('key-popularity'), { type: 'array', items: [bulk('key:123'), int(90)] }] },
      bulk('Some real reply following the attribute'),
    ]);
  });

  it('decodes empty maps, sets and pushes', () => {
    expect(one('%0\r\n')).toEqual({ type: 'map', items: [] });
    expect(one('~0\r\n')).toEqual({ type: 'set', items: [] });
    expect(one('>0\r\n')).toEqual({ type: 'push', items: [] });
  });
});

describe('ReplyReader: streaming', () => {
  const stream =
    '+OK\r\n' +
    '-ERR a\r\n' +
    ':-1\r\n' +
    '$3\r\n\r\n\x00\r\n' +
    '$-1\r\n' +
    '*2\r\n*1\r\n:1\r\n$1\r\nz\r\n' +
    '%1\r\n+k\r\n~1\r\n#t\r\n' +
    '_\r\n' +
    ',1.5\r\n' +
    '=8\r\ntxt:abcd\r\n';

  const expected: Reply[] = [
    { type: 'status', text: b('OK') },
    { type: 'error', text: b('ERR a') },
    int(-1),
    bulk('\r\n\x00'),
    { type: 'nil' },
    { type: 'array', items: [{ type: 'array', items: [int(1)] }, bulk('z')] },
    { type: 'map', items: [{ type: 'status', text: b('k') }, { type: 'set', items: [{ type: 'bool', value: true }] }] },
    { type: 'nil' },
    { type: 'double', text: '1.5' },
    { type: 'verbatim', format: 'txt', value: b('abcd') },
  ];

  it('decodes several replies fed at once, in order', () => {
    expect(decodeAll(stream)).toEqual(expected);
  });

  it('returns undefined until a reply is complete, at every split point', () => {
    const bytes = b(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = new ReplyReader();
      const got: Reply[] = [];
      r.feed(bytes.subarray(0, cut));
      for (let reply = r.next(); reply; reply = r.next()) got.push(reply);
      r.feed(bytes.subarray(cut));
      for (let reply = r.next(); reply; reply = r.next()) got.push(reply);
      expect(got, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('returns undefined for every strict prefix of a reply, then the reply', () => {
    const whole = b('*3\r\n$5\r\nhello\r\n%1\r\n:1\r\n_\r\n$0\r\n\r\n');
    const r = new ReplyReader();
    for (let i = 0; i < whole.length - 1; i++) {
      r.feed(whole.subarray(i, i + 1));
      expect(r.next(), `after ${i + 1} bytes`).toBeUndefined();
    }
    r.feed(whole.subarray(whole.length - 1));
    expect(r.next()).toEqual({
      type: 'array',
      items: [bulk('hello'), { type: 'map', items: [int(1), { type: 'nil' }] }, bulk('')],
    });
    expect(r.next()).toBeUndefined();
    expect(r.pending).toBe(0);
  });

  it('gives the exact bytes of each reply with nextRaw', () => {
    const parts = ['+OK\r\n', '*2\r\n$1\r\na\r\n:-3\r\n', '$-1\r\n', '%1\r\n+k\r\n_\r\n', '$4\r\n\x00\r\n\xff\r\n'];
    const r = new ReplyReader();
    r.feed(b(parts.join('') + '*2\r\n:1\r\n'));
    for (const part of parts) {
      const got = r.nextRaw();
      expect(got).toBeDefined();
      expect(got!.bytes).toEqual(b(part));
    }
    expect(r.nextRaw()).toBeUndefined();
    expect(r.pending).toBe(8);
    r.feed(b(':2\r\n'));
    const last = r.nextRaw()!;
    expect(last.bytes).toEqual(b('*2\r\n:1\r\n:2\r\n'));
    expect(last.reply).toEqual({ type: 'array', items: [int(1), int(2)] });
  });

  it('counts undecoded bytes as pending', () => {
    const r = new ReplyReader();
    expect(r.pending).toBe(0);
    r.feed(b('+OK\r\n$5\r\nab'));
    expect(r.pending).toBe(11);
    r.next();
    expect(r.pending).toBe(6);
    expect(r.next()).toBeUndefined();
    expect(r.pending).toBe(6);
  });

  it('throws a ReplyFormatError on an unknown type byte', () => {
    const r = new ReplyReader();
    r.feed(b('?what\r\n'));
    expect(() => r.next()).toThrow(ReplyFormatError);
  });
});

describe('encodeCommand', () => {
  it('encodes arguments as a RESP multibulk request', () => {
    expect(encodeCommand([b('SET'), b('key'), b('value')])).toEqual(b('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n'));
  });

  it('encodes empty and binary arguments byte for byte', () => {
    expect(encodeCommand([b('ECHO'), b('')])).toEqual(b('*2\r\n$4\r\nECHO\r\n$0\r\n\r\n'));
    expect(encodeCommand([Uint8Array.from([0, 0xff, 0x0d, 0x0a])])).toEqual(b('*1\r\n$4\r\n\x00\xff\r\n\r\n'));
  });

  it('encodes no arguments as *0', () => {
    expect(encodeCommand([])).toEqual(b('*0\r\n'));
  });

  it('round-trips through the server-side RequestReader', () => {
    const argv = [b('SET'), Uint8Array.from({ length: 300 }, (_, i) => i & 0xff), b(''), b('"quoted" \r\n')];
    const r = new RequestReader({ maxBulkLength: () => 1 << 20 });
    r.feed(encodeCommand(argv));
    const got = r.next();
    expect(got).not.toBeInstanceOf(ProtocolError);
    expect(got).toEqual(argv);
    expect(r.pending).toBe(0);
  });
});
