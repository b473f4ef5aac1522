// The golden transcript format's per-step tolerances (tests/support/transcript.ts).
import { describe, expect, it } from 'vitest';
import { comparable, parseCases, type Step } from '../support/transcript.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const same = (step: Step, x: string, y: string) => comparable(step, [b(x)])[0] === comparable(step, [b(y)])[0];

describe('tolerance prefixes', () => {
  it('parse as a tolerance on that step only, keeping the line as its source', () => {
    const [a, c, d] = parseCases('~sorted KEYS *\nKEYS *\n~type raw 1 "PTTL k\\r\\n"\n');
    expect(a).toMatchObject({ source: '~sorted KEYS *', tolerance: 'sorted', replies: 1 });
    expect(a.bytes).toEqual(c.bytes);
    expect(c.tolerance).toBeUndefined();
    expect(d).toMatchObject({ tolerance: 'type', bytes: b('PTTL k\r\n') });
  });

  it('refuse unknown names and a prefix with no step', () => {
    expect(() => parseCases('~fuzzy KEYS *')).toThrow(/unknown tolerance/);
    expect(() => parseCases('~sorted')).toThrow(/needs a step/);
  });
});

describe('~sorted', () => {
  const step = parseCases('~sorted KEYS *')[0];

  it('compares arrays of bulk strings as multisets', () => {
    expect(same(step, '*2\r\n$1\r\na\r\n$2\r\nbc\r\n', '*2\r\n$2\r\nbc\r\n$1\r\na\r\n')).toBe(true);
    expect(same(step, '*0\r\n', '*0\r\n')).toBe(true);
    expect(same(step, '*2\r\n$1\r\na\r\n$1\r\na\r\n', '*2\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe(false);
    expect(same(step, '*1\r\n$1\r\na\r\n', '*2\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe(false);
  });

  it('keeps bulk strings holding CR LF intact', () => {
    expect(same(step, '*2\r\n$3\r\na\r\n\r\n$0\r\n\r\n', '*2\r\n$0\r\n\r\n$3\r\na\r\n\r\n')).toBe(true);
  });

  it('compares anything else exactly: errors, and an error against an array', () => {
    expect(same(step, '-ERR x\r\n', '-ERR y\r\n')).toBe(false);
    expect(same(step, '-ERR x\r\n', '*0\r\n')).toBe(false);
    expect(same(step, ':1\r\n', ':2\r\n')).toBe(false);
  });
});

describe('~type', () => {
  const step = parseCases('~type PTTL k')[0];

  it('compares integers >= 0 by class and negative ones exactly', () => {
    expect(same(step, ':99998\r\n', ':100000\r\n')).toBe(true);
    expect(same(step, ':0\r\n', ':7\r\n')).toBe(true);
    expect(same(step, ':-1\r\n', ':-2\r\n')).toBe(false);
    expect(same(step, ':-1\r\n', ':5\r\n')).toBe(false);
    expect(same(step, ':-2\r\n', ':-2\r\n')).toBe(true);
  });

  it('compares bulk strings by presence', () => {
    expect(same(step, '$1\r\na\r\n', '$3\r\nbcd\r\n')).toBe(true);
    expect(same(step, '$-1\r\n', '$1\r\na\r\n')).toBe(false);
  });

  it('never equates an error with a value, or two different errors', () => {
    expect(same(step, '-ERR x\r\n', ':5\r\n')).toBe(false);
    expect(same(step, '-ERR x\r\n', '-ERR y\r\n')).toBe(false);
    expect(same(step, '+OK\r\n', '+QUEUED\r\n')).toBe(false);
  });

  it('applies to its own step only', () => {
    const plain = parseCases('PTTL k')[0];
    expect(same(plain, ':99998\r\n', ':100000\r\n')).toBe(false);
  });
});

describe('connections and reply counts', () => {
  it('parse @name, =N and read N, keeping the line as the source', () => {
    const [a, c, d, e] = parseCases('@sub =2 SUBSCRIBE a b\n@pub ~sorted PUBSUB CHANNELS\n@sub read 3\nPING\n');
    expect(a).toMatchObject({ source: '@sub =2 SUBSCRIBE a b', conn: 'sub', replies: 2 });
    expect(a.bytes).toEqual(b('*3\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\n'));
    expect(c).toMatchObject({ conn: 'pub', tolerance: 'sorted', replies: 1 });
    expect(d).toMatchObject({ conn: 'sub', replies: 3, bytes: new Uint8Array(0) });
    expect(e).toMatchObject({ conn: '', replies: 1 });
  });

  it('refuse a connection named after the tolerance', () => {
    expect(() => parseCases('~sorted @p KEYS *')).toThrow(/comes before the tolerance/);
  });

  it('parse =0 (a command answered later) and ?text (asked until the reply holds it) between @name and the tolerance', () => {
    const [blpop, probe] = parseCases('@a =0 BLPOP k 0\n@b ?blocked_clients:1 ~info INFO clients\n');
    expect(blpop).toMatchObject({ conn: 'a', replies: 0 });
    expect(blpop.until).toBeUndefined();
    expect(probe).toMatchObject({ conn: 'b', until: 'blocked_clients:1', tolerance: 'info', replies: 1 });
    expect(probe.bytes).toEqual(b('*2\r\n$4\r\nINFO\r\n$7\r\nclients\r\n'));
  });
});

describe('~hello', () => {
  const step = parseCases('~hello HELLO 3')[0];
  const hello = (proto: number, id: number) =>
    `${proto === 3 ? '%7' : '*14'}\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:${proto}\r\n$2\r\nid\r\n:${id}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n`;

  it('masks the client id of every HELLO reply, in RESP2 and RESP3, and inside EXEC', () => {
    expect(same(step, hello(3, 5), hello(3, 1))).toBe(true);
    expect(same(step, hello(2, 5), hello(2, 12345))).toBe(true);
    expect(same(step, `*2\r\n${hello(3, 5)}_\r\n`, `*2\r\n${hello(3, 9)}_\r\n`)).toBe(true);
  });

  it('keeps every other byte exact', () => {
    expect(same(step, hello(3, 5), hello(2, 5))).toBe(false);
    expect(same(step, hello(3, 5), hello(3, 5).replace('master', 'replic'))).toBe(false);
    expect(same(step, '-NOPROTO unsupported protocol version\r\n', '-NOPROTO unsupported protocol version\r\n')).toBe(true);
    expect(same(step, ':5\r\n', ':6\r\n')).toBe(false);
  });
});
