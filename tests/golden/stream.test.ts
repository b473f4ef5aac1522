// Replays every replication stream golden (tests/golden/<name>.stream,
// captured from a real redis-server 7.0.15 master by
// scripts/capture-stream.ts) against an in-process engine node that has a
// backlog, and compares, step by step, the replies and the exact bytes the
// step put in the replication stream (tests/support/stream-transcript.ts,
// with its ~clock tolerance). The node's clock is set to each step's
// capture time, so what has expired there has expired here too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparable } from '../support/transcript.ts';
import {
  alignClock,
  maskPopped,
  parseStreamCases,
  parseStreamTranscript,
  showStream,
  splitStream,
  type RecordedStreamStep,
} from '../support/stream-transcript.ts';
import { quietLog } from '../support/engine-session.ts';
import { RedisNode, type Connection } from '../../src/engine/node.ts';
import { ReplyReader } from '../../src/engine/resp/reply-reader.ts';
import { Rng } from '../../src/sim/rng.ts';

const dir = import.meta.dirname;
const names = fs.readdirSync(path.join(dir, 'cases-stream')).filter((f) => f.endsWith('.cmds')).map((f) => f.slice(0, -5));

/**
 * A master with a backlog (as after a replica's first sync) and client
 * connections (a step's `@name`, the main one without), on a clock the test
 * sets.
 */
class StreamRunner {
  readonly clock = { unixMs: 0 };
  readonly node = new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log: quietLog, clock: this.clock, random: new Rng(1, 'stream') });
  private readonly conns = new Map<string, { conn: Connection; reader: ReplyReader; closed: boolean }>();
  private offset: number;

  constructor() {
    // As the capture's master runs (scripts/capture-stream.ts): DEBUG allowed from this machine.
    this.node.config.enableDebugCommand = 'local';
    this.node.replication.createBacklog();
    this.offset = this.node.replication.offset;
    // The capture's own connection, which reads INFO replication after each step: an idle client here (INFO clients counts it).
    this.node.accept({ ip: '127.0.0.1', port: 49999 }, { write: () => {}, close: () => {} });
  }

  run(step: RecordedStreamStep): { output: Uint8Array[]; closed: boolean; stream: Uint8Array[] } {
    this.clock.unixMs = step.before;
    const name = step.conn ?? '';
    let c = this.conns.get(name);
    if (!c || c.closed) {
      const reader = new ReplyReader();
      const fresh = { conn: null as unknown as Connection, reader, closed: false };
      fresh.conn = this.node.accept({ ip: '127.0.0.1', port: 50000 + this.conns.size }, { write: (b) => reader.feed(b), close: () => (fresh.closed = true) });
      this.conns.set(name, (c = fresh));
    }
    c.conn.receive(step.bytes);
    const output: Uint8Array[] = [];
    for (let i = 0; i < step.replies; i++) {
      let got = c.reader.nextRaw();
      if (!got && step.bytes.length === 0) {
        // A read whose reply the real master sent later (a timeout): by then its clock read <after>, and its loop ran beforeSleep.
        this.clock.unixMs = step.after;
        this.node.beforeSleep();
        got = c.reader.nextRaw();
      }
      if (!got) throw new Error(`the engine gave ${i} of ${step.replies} replies to ${step.source}`);
      output.push(got.bytes);
    }
    const backlog = this.node.replication.backlog!;
    const stream = splitStream(backlog.readAll(this.offset + 1));
    this.offset = backlog.offset;
    return { output, closed: c.closed, stream };
  }
}

describe.each(names)('the %s replication stream', (name) => {
  const cases = parseStreamCases(fs.readFileSync(path.join(dir, 'cases-stream', `${name}.cmds`), 'utf8'));
  const transcript = parseStreamTranscript(name, fs.readFileSync(path.join(dir, `${name}.stream`), 'utf8'), cases);
  const runner = new StreamRunner();

  it('was captured from redis-server 7.0.15', () => {
    expect(transcript.server).toBe('redis-server 7.0.15');
  });

  it.each(transcript.steps.map((step, i) => ({ step, i })))('step $i ($step.source) replies and propagates as Redis did', ({ step }) => {
    const got = runner.run(step);
    // ~popped: each side's SREMs are checked against its own reply, then masked.
    const mine = step.popped ? maskPopped(got.output, got.stream) : { output: comparable(step, got.output), stream: alignClock(step, got.stream) };
    const want = step.popped ? maskPopped(step.output, step.stream) : { output: comparable(step, step.output), stream: step.stream };
    expect({ output: mine.output, closed: got.closed, stream: showStream(mine.stream) }).toEqual({
      output: want.output,
      closed: step.closed,
      stream: showStream(want.stream),
    });
  });
});
