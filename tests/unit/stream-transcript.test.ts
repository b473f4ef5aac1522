// The replication stream golden format and its ~clock and ~popped
// tolerances (tests/support/stream-transcript.ts).
import { describe, expect, it } from 'vitest';
import {
  alignClock,
  formatStreamTranscript,
  maskPopped,
  parseStreamCases,
  parseStreamTranscript,
  splitStream,
  type RecordedStreamStep,
} from '../support/stream-transcript.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';

const b = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cmd = (...args: string[]) => encodeCommand(args.map(b));
const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);

function recorded(line: string, before: number, after: number, stream: Uint8Array[]): RecordedStreamStep {
  const [step] = parseStreamCases(line);
  return { ...step, before, after, output: [b('+OK\r\n')], closed: false, stream };
}

describe('stream case lines', () => {
  it('take ~clock before a reply tolerance and keep the whole line as the source', () => {
    const [a, c] = parseStreamCases('~clock ~type PTTL k\nSET k v\n');
    expect(a).toMatchObject({ source: '~clock ~type PTTL k', clock: true, tolerance: 'type', replies: 1 });
    expect(a.bytes).toEqual(cmd('PTTL', 'k'));
    expect(c).toMatchObject({ source: 'SET k v', clock: false });
  });

  it('round-trip through the golden format, (none) included', () => {
    const cases = parseStreamCases('SET k v\nGET k\n');
    const steps = [
      { ...cases[0], before: 10, after: 12, output: [b('+OK\r\n')], closed: false, stream: [cmd('SELECT', '0'), cmd('SET', 'k', 'v')] },
      { ...cases[1], before: 13, after: 13, output: [b('$1\r\nv\r\n')], closed: false, stream: [] },
    ];
    const file = formatStreamTranscript({ name: 't', server: 'redis-server 7.0.15', steps });
    expect(file).toContain('= (none)');
    const back = parseStreamTranscript('t', file, cases);
    expect(back.steps.map((s) => [s.before, s.after, s.stream.map(text)])).toEqual([
      [10, 12, [text(cmd('SELECT', '0')), text(cmd('SET', 'k', 'v'))]],
      [13, 13, []],
    ]);
  });
});

describe('splitStream', () => {
  it('cuts the stream into its commands, exact bytes, and refuses a partial one', () => {
    const bytes = new Uint8Array([...cmd('MULTI'), ...cmd('DEL', 'k'), ...cmd('EXEC')]);
    expect(splitStream(bytes).map(text)).toEqual([text(cmd('MULTI')), text(cmd('DEL', 'k')), text(cmd('EXEC'))]);
    expect(() => splitStream(cmd('DEL', 'k').subarray(0, 8))).toThrow(/ends inside a command/);
  });
});

describe('~clock', () => {
  const golden = [cmd('SET', 'k', 'v', 'PXAT', '1767225700005')];

  it('accepts a unix-ms argument up to the capture window later than the engine wrote it', () => {
    const step = recorded('~clock SET k v EX 100', 1767225600000, 1767225600007, golden);
    for (const engine of ['1767225700000', '1767225700005']) {
      expect(alignClock(step, [cmd('SET', 'k', 'v', 'PXAT', engine)]).map(text)).toEqual(golden.map(text));
    }
  });

  it('refuses one outside the window, earlier, in another place, or on a step without ~clock', () => {
    const step = recorded('~clock SET k v EX 100', 1767225600000, 1767225600004, golden);
    const tooEarly = [cmd('SET', 'k', 'v', 'PXAT', '1767225700000')];
    expect(alignClock(step, tooEarly)).toEqual(tooEarly);
    const later = [cmd('SET', 'k', 'v', 'PXAT', '1767225700006')];
    expect(alignClock(step, later)).toEqual(later);
    const seconds = [cmd('SET', 'k', 'v', 'PXAT', '1767225700')];
    expect(alignClock(step, seconds)).toEqual(seconds);
    const exact = recorded('SET k v EX 100', 1767225600000, 1767225600007, golden);
    const engine = [cmd('SET', 'k', 'v', 'PXAT', '1767225700000')];
    expect(alignClock(exact, engine)).toEqual(engine);
  });
});

describe('~popped', () => {
  const reply = [b('*2\r\n$1\r\ne\r\n$1\r\nd\r\n')];

  it('is read from the case line', () => {
    const [a] = parseStreamCases('~popped SPOP s 2\n');
    expect(a).toMatchObject({ source: '~popped SPOP s 2', popped: true, clock: false, replies: 1 });
  });

  it('masks the SREMs of the reply\'s members, in its order, and the reply to its count', () => {
    const masked = maskPopped(reply, [cmd('MULTI'), cmd('SREM', 's', 'e'), cmd('SREM', 's', 'd'), cmd('EXEC')]);
    const other = maskPopped([b('*2\r\n$1\r\na\r\n$2\r\nbb\r\n')], [cmd('MULTI'), cmd('SREM', 's', 'a'), cmd('SREM', 's', 'bb'), cmd('EXEC')]);
    expect(masked.output).toEqual(['(~popped) an array of 2 bulk strings']);
    expect(masked.stream.map(text)).toEqual([text(cmd('MULTI')), text(cmd('SREM', 's', '<popped>')), text(cmd('SREM', 's', '<popped>')), text(cmd('EXEC'))]);
    expect(other).toEqual(masked);
  });

  it('leaves a SREM that is not the next member of the reply as it is, so a difference shows', () => {
    for (const stream of [
      [cmd('MULTI'), cmd('SREM', 's', 'd'), cmd('SREM', 's', 'e'), cmd('EXEC')],
      [cmd('MULTI'), cmd('SREM', 's', 'e'), cmd('SREM', 's', 'x'), cmd('EXEC')],
      [cmd('MULTI'), cmd('SREM', 's', 'e'), cmd('EXEC')],
    ]) {
      const masked = maskPopped(reply, stream);
      expect(masked.stream.map(text).filter((c) => c.includes('<popped>')).length).toBeLessThan(2);
    }
    // A reply that is not an array of bulk strings is compared as it is.
    expect(maskPopped([b('-ERR x\r\n')], []).output).toEqual(['-ERR x\r\n']);
  });
});
