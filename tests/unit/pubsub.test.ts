// Pub/sub where Redis's own order is a hash table's (so the golden
// transcripts keep to one element): the engine's order is the order of
// subscription, and every count is what Redis's would be.
import { describe, expect, it } from 'vitest';
import { testNode } from '../support/engine-session.ts';
import { ReplyReader, encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { plainReply } from '../support/world-client.ts';
import { fromLatin1 } from '../../src/engine/bytes.ts';

function connection(node: ReturnType<typeof testNode>, port: number) {
  const reader = new ReplyReader();
  const conn = node.accept({ ip: '127.0.0.1', port }, { write: (b) => reader.feed(b), close: () => {} });
  return (...args: string[]): unknown[] => {
    conn.receive(encodeCommand(args.map(fromLatin1)));
    const out: unknown[] = [];
    for (let r = reader.next(); r; r = reader.next()) out.push(plainReply(r));
    return out;
  };
}

describe("pub/sub where Redis follows a hash table's order", () => {
  it('confirms each channel in the order subscribed, the count going down to 0, and ends pub/sub mode', () => {
    const node = testNode();
    const c = connection(node, 50000);
    c('SUBSCRIBE', 'a', 'b', 'c');
    c('PSUBSCRIBE', 'x*', 'y*');
    expect(c('UNSUBSCRIBE')).toEqual([
      ['unsubscribe', 'a', 4],
      ['unsubscribe', 'b', 3],
      ['unsubscribe', 'c', 2],
    ]);
    expect(c('PUNSUBSCRIBE')).toEqual([
      ['punsubscribe', 'x*', 1],
      ['punsubscribe', 'y*', 0],
    ]);
    expect(c('GET', 'k')).toEqual([null]);
    expect(node.pubsub.channels.size + node.pubsub.patterns.size).toBe(0);
  });

  it('sends one pmessage per matching pattern, in the order the patterns were first subscribed', () => {
    const node = testNode();
    const sub = connection(node, 50000);
    const pub = connection(node, 50001);
    sub('PSUBSCRIBE', 'n*', '*s', 'news');
    expect(pub('PUBLISH', 'news', 'm')).toEqual([3]);
    expect(sub('PING')).toEqual([
      ['pmessage', 'n*', 'news', 'm'],
      ['pmessage', '*s', 'news', 'm'],
      ['pmessage', 'news', 'news', 'm'],
      ['pong', ''],
    ]);
  });

  it('forgets a closed connection in every table', () => {
    const node = testNode();
    const reader = new ReplyReader();
    const conn = node.accept({ ip: '127.0.0.1', port: 50000 }, { write: (b) => reader.feed(b), close: () => {} });
    conn.receive(encodeCommand(['SUBSCRIBE', 'a'].map(fromLatin1)));
    conn.receive(encodeCommand(['PSUBSCRIBE', 'a*'].map(fromLatin1)));
    conn.receive(encodeCommand(['SSUBSCRIBE', 'a'].map(fromLatin1)));
    conn.close();
    expect([node.pubsub.channels.size, node.pubsub.patterns.size, node.pubsub.shardChannels.size]).toEqual([0, 0, 0]);
  });
});

describe('MONITOR and credentials', () => {
  it('shows the arguments of AUTH and of HELLO\'s AUTH as "(redacted)", as 7.0.15 does (its output checked by hand)', () => {
    const node = testNode();
    const monitor = connection(node, 50000);
    const c = connection(node, 50001);
    expect(monitor('MONITOR')).toEqual(['OK']);
    c('AUTH', 'secret');
    c('AUTH', 'default', 'pw');
    c('AUTH', 'a', 'b', 'c');
    c('HELLO', '2', 'AUTH', 'default', 'pw', 'SETNAME', 'n');
    c('HELLO', '2', 'SETNAME', 'n2', 'AUTH', 'u', 'p');
    const lines = (monitor('PING') as string[]).slice(0, -2).map((l) => l.replace(/^\d+\.\d+ \[0 [\d.:]+\] /, ''));
    expect(lines).toEqual([
      '"AUTH" "(redacted)"',
      '"AUTH" "(redacted)" "(redacted)"',
      '"AUTH" "a" "b" "c"',
      '"HELLO" "2" "AUTH" "(redacted)" "(redacted)" "SETNAME" "n"',
      '"HELLO" "2" "SETNAME" "n2" "AUTH" "(redacted)" "(redacted)"',
    ]);
  });
});
