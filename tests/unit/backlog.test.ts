// The replication buffer's block model (Redis 7.0's shared list of blocks):
// sizes from jemalloc's classes, trimming by whole blocks, replicas pinning
// the blocks they still have to send.
import { describe, expect, it } from 'vitest';
import { ReplicationBuffer, jemallocUsable, type StreamReader } from '../../src/engine/replication/backlog.ts';

const bytes = (n: number, fill = 0x61) => new Uint8Array(n).fill(fill);

function buffer(size: number, readers: StreamReader[] = [], start = 0) {
  return new ReplicationBuffer(start, () => size, () => readers);
}

describe('ReplicationBuffer', () => {
  it('allocates blocks in jemalloc size classes: 16 KB asked, 20440 usable', () => {
    expect(jemallocUsable(16384 + 40)).toBe(20480);
    expect(jemallocUsable(65536 + 40)).toBe(81920);
    const b = buffer(1048576);
    b.feed(bytes(100));
    expect(b.memory).toBe(20480 + 24);
  });

  it('keeps histlen between the size and one block more: 267115 bytes in a 16 KB backlog leave 21835, as observed', () => {
    const b = buffer(16384);
    // Fed in small pieces, as commands are.
    let left = 267115;
    while (left > 0) {
      const n = Math.min(left, 61);
      b.feed(bytes(n));
      left -= n;
    }
    expect(b.offset).toBe(267115);
    expect(b.histlen).toBe(21835);
    expect(b.firstByteOffset).toBe(267115 - 21835 + 1);
    expect(b.has(b.firstByteOffset)).toBe(true);
    expect(b.has(b.firstByteOffset - 1)).toBe(false);
    expect(b.has(267116)).toBe(true); // nothing missing
    expect(b.has(267117)).toBe(false);
  });

  it('does not trim a block a replica has not sent yet, then trims once it has', () => {
    const reader = { nextOffset: 1 };
    const b = buffer(16384, [reader]);
    for (let i = 0; i < 100; i++) b.feed(bytes(1000));
    expect(b.histlen).toBe(100_000);
    expect(b.firstByteOffset).toBe(1);
    reader.nextOffset = 100_001;
    b.trim();
    expect(b.histlen).toBeLessThanOrEqual(16384 + 20440);
    expect(b.histlen).toBeGreaterThan(16384);
  });

  it('reads back what was fed, across blocks, from any offset it still has', () => {
    const b = buffer(1048576, [], 1000);
    const data = Uint8Array.from({ length: 50_000 }, (_, i) => i % 251);
    b.feed(data.subarray(0, 30_000));
    b.feed(data.subarray(30_000));
    expect(b.firstByteOffset).toBe(1001);
    expect(b.readAll(1001)).toEqual(data);
    expect(b.readAll(1001 + 25_000)).toEqual(data.subarray(25_000));
    expect(b.usageFrom(1001)).toBeGreaterThan(50_000);
  });

  it('renders its last bytes as showLatestBacklog does, one quoted piece per block', () => {
    const b = buffer(1048576);
    b.feed(Uint8Array.from('*1\r\n$4\r\nping\r\n', (c) => c.charCodeAt(0)));
    expect(b.latestRepr(256)).toBe('"*1\\r\\n$4\\r\\nping\\r\\n"');
  });
});
