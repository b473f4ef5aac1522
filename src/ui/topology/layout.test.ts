import { describe, expect, it } from 'vitest';
import { autoLayout, CARD_H } from './layout.ts';
import { linkNotes } from './link-notes.ts';

const room = { width: 900, height: 400 };

describe('the automatic layout', () => {
  it('puts masters on one row and replicas a row below, under what they follow', () => {
    const { pos } = autoLayout([6379, 6380, 6381], { 6379: null, 6380: 6379, 6381: null }, room);
    expect(pos[6379].y).toBe(pos[6381].y);
    expect(pos[6380].y).toBeGreaterThan(pos[6379].y + CARD_H);
    expect(pos[6380].x).toBe(pos[6379].x);
  });
  it('survives a replication cycle', () => {
    const { pos } = autoLayout([1, 2], { 1: 2, 2: 1 }, room);
    expect(Object.keys(pos)).toEqual(['1', '2']);
  });
  it('grows past the room when the nodes need it', () => {
    const ports = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(autoLayout(ports, {}, room).width).toBeGreaterThan(900);
  });
});

describe('what a link says', () => {
  const at = { masterHost: '127.0.0.1', masterPort: 6379 };
  it('keeps the PSYNC request until the answer, then the answer and the RDB loaded', () => {
    const notes = linkNotes([
      { port: 6380, timeUs: 1, event: { kind: 'psync', replid: '?', offset: -1, ...at } },
      { port: 6380, timeUs: 2, event: { kind: 'fullresync', replid: 'abcdef0123456789', offset: 14, ...at } },
      { port: 6380, timeUs: 3, event: { kind: 'rdb-loaded', keys: 2, ...at } },
    ]);
    expect(notes.get(6380)).toEqual({ request: 'PSYNC ? -1', answer: '+FULLRESYNC abcdef01 14', detail: 'RDB loaded, 2 keys', answerKind: 'fullresync', masterPort: 6379 });
  });
  it('forgets what was said when the replica turns to another master', () => {
    const notes = linkNotes([
      { port: 6380, timeUs: 1, event: { kind: 'continue', replid: 'abcdef0123456789', ...at } },
      { port: 6380, timeUs: 2, event: { kind: 'role', role: 'master', masterHost: null, masterPort: null } },
    ]);
    expect(notes.get(6380)?.answer).toBeNull();
  });
});
