import { describe, expect, it } from 'vitest';
import { backlogRows, judge, ringPosition } from './verdict.ts';
import type { NodeSnapshot, ReplicationSnapshot } from '../../protocol/messages.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function node(port: number, over: Partial<NodeSnapshot> = {}, repl: Partial<ReplicationSnapshot> = {}): NodeSnapshot {
  return {
    port,
    host: '127.0.0.1',
    up: true,
    pid: 1,
    runId: 'r'.repeat(40),
    role: 'master',
    master: null,
    link: null,
    replid: A,
    offset: 1000,
    replication: { replid: A, replid2: '0'.repeat(40), offset: 1000, secondOffset: -1, backlog: { size: 100, firstByte: 901, histlen: 100 }, replicas: [], transfer: null, appliedOffset: -1, ...repl },
    disk: [],
    dbFilename: 'dump.rdb',
    dirty: 0,
    keyspace: [0],
    ...over,
  };
}

describe('whether a replica could +CONTINUE', () => {
  const master = node(6379);
  it('accepts the first byte of the backlog through master_repl_offset + 1', () => {
    expect(judge(master, A, 901).verdict).toBe('continue');
    expect(judge(master, A, 1001)).toEqual({ verdict: 'continue', reason: '0 B to send' });
  });
  it('refuses a byte already overwritten, or past the offset', () => {
    expect(judge(master, A, 900)).toEqual({ verdict: 'full', reason: '1 B before the first byte' });
    expect(judge(master, A, 1002).verdict).toBe('full');
  });
  it('refuses another history, and takes replid2 only up to second_repl_offset', () => {
    expect(judge(master, B, 950)).toEqual({ verdict: 'full', reason: 'replication id mismatch' });
    const promoted = node(6380, {}, { replid2: B, secondOffset: 950 });
    expect(judge(promoted, B, 950).verdict).toBe('continue');
    expect(judge(promoted, B, 951).verdict).toBe('full');
  });
  it('needs a full sync without a backlog', () => {
    expect(judge(node(6379, {}, { backlog: null }), A, 1001).reason).toBe('no backlog');
  });
});

describe('the rows of the backlog view', () => {
  it('lists a following replica by its own offset, a listed one by its ACK, a down one by what it said last', () => {
    const master = node(6379, {}, { replicas: [{ port: 6380, state: 'online', ackOffset: 990, lagSeconds: 0, transfer: null }, { port: 6390, state: 'online', ackOffset: 995, lagSeconds: 1, transfer: null }] });
    const replica = node(6380, { role: 'replica', master: '127.0.0.1:6379', link: 'connected', offset: 1000 });
    const down = node(6381, { up: false, replication: null, replid: null, offset: null });
    const rows = backlogRows(master, [master, replica, down], { 6381: { master: 'localhost:6379', replid: A, offset: 850 } });
    expect(rows.map((r) => [r.port, r.source, r.offset, r.verdict])).toEqual([
      [6380, 'replica', 1000, 'continue'],
      [6381, 'last-known', 850, 'full'],
      [6390, 'ack', 995, 'continue'],
    ]);
  });
});

describe('the ring', () => {
  it('puts offset 1 at the top and wraps every repl-backlog-size bytes', () => {
    expect(ringPosition(1, 100)).toBe(0);
    expect(ringPosition(51, 100)).toBe(0.5);
    expect(ringPosition(101, 100)).toBe(0);
  });
});
