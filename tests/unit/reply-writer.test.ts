// ReplyWriter: the reply bytes a node writes, in RESP2 or RESP3, and their
// round trip through ReplyReader (what a client decodes).
import { describe, expect, it } from 'vitest';
import { ReplyWriter } from '../../src/engine/resp/reply-writer.ts';
import { ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function written(fill: (w: ReplyWriter) => void, protocol: 2 | 3 = 2): Uint8Array {
  const w = new ReplyWriter();
  w.protocol = protocol;
  fill(w);
  return w.take();
}

function decodeAll(bytes: Uint8Array): Reply[] {
  const r = new ReplyReader();
  r.feed(bytes);
  const out: Reply[] = [];
  for (let reply = r.next(); reply; reply = r.next()) out.push(reply);
  expect(r.pending).toBe(0);
  return out;
}

describe('ReplyWriter bytes', () => {
  it('writes a status reply', () => {
    expect(written((w) => w.status('PONG'))).toEqual(b('+PONG\r\n'));
  });

  it('writes +OK for ok()', () => {
    expect(written((w) => w.ok())).toEqual(b('+OK\r\n'));
  });

  it('writes an error reply as given', () => {
    expect(written((w) => w.error('ERR syntax error'))).toEqual(b('-ERR syntax error\r\n'));
  });

  it('turns \\r and \\n inside an error into spaces, as addReplyErrorLength callers do', () => {
    expect(written((w) => w.error("ERR unknown command 'a\r\nb'"))).toEqual(b("-ERR unknown command 'a  b'\r\n"));
    expect(written((w) => w.error('ERR x\ny\rz'))).toEqual(b('-ERR x y z\r\n'));
  });

  it('writes integers: positive, zero, negative and 64-bit bigints', () => {
    expect(written((w) => w.integer(42))).toEqual(b(':42\r\n'));
    expect(written((w) => w.integer(0))).toEqual(b(':0\r\n'));
    expect(written((w) => w.integer(-7))).toEqual(b(':-7\r\n'));
    expect(written((w) => w.integer(9223372036854775807n))).toEqual(b(':9223372036854775807\r\n'));
    expect(written((w) => w.integer(-9223372036854775808n))).toEqual(b(':-9223372036854775808\r\n'));
  });

  it('writes a bulk string byte for byte, binary-safe', () => {
    const value = Uint8Array.from([0, 0xff, 0x0d, 0x0a, 0x24]);
    expect(written((w) => w.bulk(value))).toEqual(b('$5\r\n\x00\xff\r\n$\r\n'));
    expect(written((w) => w.bulk(new Uint8Array(0)))).toEqual(b('$0\r\n\r\n'));
  });

  it('writes server text as a bulk string', () => {
    expect(written((w) => w.bulkText('hello world'))).toEqual(b('$11\r\nhello world\r\n'));
    expect(written((w) => w.bulkText(''))).toEqual(b('$0\r\n\r\n'));
  });

  it('writes nil as $-1 in RESP2 and _ in RESP3', () => {
    expect(written((w) => w.nil(), 2)).toEqual(b('$-1\r\n'));
    expect(written((w) => w.nil(), 3)).toEqual(b('_\r\n'));
  });

  it('writes array headers', () => {
    expect(written((w) => w.arrayHeader(0))).toEqual(b('*0\r\n'));
    expect(written((w) => w.arrayHeader(12))).toEqual(b('*12\r\n'));
  });

  it('appends raw bytes as they are', () => {
    expect(written((w) => w.raw(b(':1\r\n\x00')))).toEqual(b(':1\r\n\x00'));
  });

  it("writes the wrong-arity error with the command's full name", () => {
    expect(written((w) => w.wrongArity('command|count'))).toEqual(
      b("-ERR wrong number of arguments for 'command|count' command\r\n"),
    );
  });

  it('take() returns what was written and empties the writer', () => {
    const w = new ReplyWriter();
    w.status('A');
    w.integer(1);
    expect(w.size).toBe(8);
    expect(w.take()).toEqual(b('+A\r\n:1\r\n'));
    expect(w.size).toBe(0);
    expect(w.take()).toEqual(new Uint8Array(0));
    w.status('B');
    expect(w.take()).toEqual(b('+B\r\n'));
  });

  it('grows past its initial buffer for large replies and many small ones', () => {
    const big = Uint8Array.from({ length: 300_000 }, (_, i) => i & 0xff);
    const w = new ReplyWriter();
    for (let i = 0; i < 2000; i++) w.integer(i);
    w.bulk(big);
    const out = w.take();
    const replies = decodeAll(out);
    expect(replies).toHaveLength(2001);
    expect(replies[1999]).toEqual({ type: 'integer', value: 1999n });
    const last = replies[2000] as { type: 'bulk'; value: Uint8Array };
    expect(last.type).toBe('bulk');
    expect(Buffer.compare(last.value, big)).toBe(0);
  });

  it('returns a copy from take(), unchanged by later writes', () => {
    const w = new ReplyWriter();
    w.status('FIRST');
    const first = w.take();
    w.status('OTHER');
    expect(first).toEqual(b('+FIRST\r\n'));
  });
});

describe('ReplyWriter to ReplyReader round trips', () => {
  it('round-trips every reply type the writer makes, in RESP2', () => {
    const bytes = written((w) => {
      w.status('OK');
      w.error('ERR bad\nthing');
      w.integer(-12);
      w.integer(9223372036854775807n);
      w.bulk(Uint8Array.from([0, 1, 0xff]));
      w.bulkText('txt');
      w.nil();
      w.arrayHeader(3);
      w.integer(1);
      w.arrayHeader(2);
      w.bulkText('a');
      w.nil();
      w.arrayHeader(0);
    });
    expect(decodeAll(bytes)).toEqual([
      { type: 'status', text: b('OK') },
      { type: 'error', text: b('ERR bad thing') },
      { type: 'integer', value: -12n },
      { type: 'integer', value: 9223372036854775807n },
      { type: 'bulk', value: Uint8Array.from([0, 1, 0xff]) },
      { type: 'bulk', value: b('txt') },
      { type: 'nil' },
      {
        type: 'array',
        items: [
          { type: 'integer', value: 1n },
          { type: 'array', items: [{ type: 'bulk', value: b('a') }, { type: 'nil' }] },
          { type: 'array', items: [] },
        ],
      },
    ]);
  });

  it('round-trips nil in RESP3', () => {
    expect(decodeAll(written((w) => w.nil(), 3))).toEqual([{ type: 'nil' }]);
  });
});
