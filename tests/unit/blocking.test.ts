// The keys-ready machinery (src/engine/blocking.ts) where goldens cannot
// see it: a client served while a fork's child writes its RDB changes
// values only through lookupWrite, so the child still writes the dataset of
// the fork; and a client that closes while it waits is forgotten. The
// replies and the stream are checked against real servers in the blocking
// golden transcript, stream golden and live tests.
import { describe, expect, it } from 'vitest';
import { testNode } from '../support/engine-session.ts';
import { writeRdb } from '../../src/engine/rdb/writer.ts';
import { SnapshotWriter } from '../../src/engine/rdb/snapshot-writer.ts';
import { estimateUsedMemory } from '../../src/engine/memory.ts';
import { concatBytes, fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import type { RedisNode } from '../../src/engine/node.ts';

const OPTIONS = { compression: true, checksum: true, ctime: 1767225600 };

/** A connection to the node: send() a command, take() what it was answered so far. */
function connect(node: RedisNode, port: number) {
  let out = '';
  let closed = false;
  const conn = node.accept({ ip: '127.0.0.1', port }, { write: (b) => (out += latin1(b)), close: () => (closed = true) });
  return {
    conn,
    send: (...args: string[]) => conn.receive(encodeCommand(args.map(fromLatin1))),
    take: () => {
      const got = out;
      out = '';
      return got;
    },
    get closed() {
      return closed;
    },
  };
}

describe('clients blocked on keys', () => {
  it('are served during a fork without changing what the child writes: the RDB is the dataset of the fork', () => {
    const node = testNode();
    const a = connect(node, 40001);
    const b = connect(node, 40002);
    const c = connect(node, 40003);
    b.send('RPUSH', 'dst', 'd1', 'd2');
    b.send('ZADD', 'z', '1', 'one', '2', 'two');
    b.take();
    a.send('BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    c.send('BLPOP', 'dst2', '0');
    const atFork = writeRdb(node.keyspace, { ...OPTIONS, usedMem: estimateUsedMemory(node.keyspace, 0) });
    const w = new SnapshotWriter(node.keyspace, { ...OPTIONS, clients: 0 });
    // Served between the pieces: dst grows in place, a list is created and emptied by a served pop.
    b.send('RPUSH', 'src', 'moved');
    b.send('RPUSH', 'dst2', 'x');
    b.send('ZPOPMIN', 'z');
    expect(a.take()).toBe('$5\r\nmoved\r\n');
    expect(c.take()).toBe('*2\r\n$4\r\ndst2\r\n$1\r\nx\r\n');
    while (!w.measure(1)) b.send('PING');
    const pieces: Uint8Array[] = [];
    for (let p = w.next(1); p; p = w.next(1)) pieces.push(p);
    w.release();
    expect(concatBytes(pieces)).toEqual(atFork);
    b.take();
    b.send('LRANGE', 'dst', '0', '-1');
    expect(b.take()).toBe('*3\r\n$2\r\nd1\r\n$2\r\nd2\r\n$5\r\nmoved\r\n');
  });

  it('forget a client that closes while it waits: a push later finds nobody', () => {
    const node = testNode();
    const a = connect(node, 40001);
    const b = connect(node, 40002);
    a.send('BLPOP', 'k', '0');
    a.send('BZPOPMIN', 'k', '0');
    a.conn.close();
    b.send('RPUSH', 'k', 'v');
    b.send('LLEN', 'k');
    expect(b.take()).toBe(':1\r\n:1\r\n');
    expect([...node.clientList()].some((c) => c.blocked)).toBe(false);
    expect(node.blocking.timedCount).toBe(0);
  });
});
