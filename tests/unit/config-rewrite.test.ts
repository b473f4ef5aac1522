// The pieces of redis.conf handling: SHA-256 of passwords, memory values as
// CONFIG REWRITE writes them, and save lines read from a file.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/sha256.ts';
import { formatMemory } from '../../src/engine/config-rewrite.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { configValues } from '../../src/engine/config-values.ts';

const node = () =>
  new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log: { notice() {}, warning() {}, verbose() {}, debug() {} } as never, clock: { unixMs: 0, nowUs: 0 } as never, random: { below: () => 0 } as never });

describe('redis.conf pieces', () => {
  it('hashes passwords with SHA-256', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('writes memory with the largest unit that divides it (rewriteConfigFormatMemory)', () => {
    expect([0n, 1073741824n, 2097152n, 262144n, 3000000n, 3072n, 2n ** 64n - 1n].map(formatMemory)).toEqual(['0', '1gb', '2mb', '256kb', '3000000', '3kb', '-1']);
  });

  it('accumulates save lines of the file, which replace the defaults; save "" clears them', () => {
    const n = node();
    expect(n.configure([], 'save 900 1\nSAVE 300 10\n')).toBeNull();
    expect(configValues(n).text('save')).toBe('900 1 300 10');
    const m = node();
    expect(m.configure([], 'save 900 1\nsave ""\nsave 60 5\n')).toBeNull();
    expect(configValues(m).text('save')).toBe('60 5');
  });

  it('refuses a bad line with the reason redis-server prints', () => {
    expect(node().configure([], 'hz 10\nfoo bar\n')).toEqual({ source: 'file', index: 1, message: 'Bad directive or wrong number of arguments' });
    expect(node().configure([], 'hz 10 11\n')).toEqual({ source: 'file', index: 0, message: 'wrong number of arguments' });
    expect(node().configure([], 'masterauth "abc\n')).toEqual({ source: 'file', index: 0, message: 'Unbalanced quotes in configuration line' });
  });
});
