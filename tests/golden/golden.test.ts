// Replays every golden transcript (captured from real redis-server 7.0.15)
// against the in-process engine and compares the reply bytes exactly.
// Steps share one engine and run in order, as they were captured.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparable, parseCases, parseTranscript, serverArgs } from '../support/transcript.ts';
import { EngineRunner } from '../support/runners.ts';

const dir = import.meta.dirname;
const names = fs.readdirSync(path.join(dir, 'cases')).filter((f) => f.endsWith('.cmds')).map((f) => f.slice(0, -5));

describe.each(names)('the %s transcript', (name) => {
  const cases = parseCases(fs.readFileSync(path.join(dir, 'cases', `${name}.cmds`), 'utf8'));
  const transcript = parseTranscript(name, fs.readFileSync(path.join(dir, `${name}.golden`), 'utf8'), cases);
  const runner = new EngineRunner(serverArgs(fs.readFileSync(path.join(dir, 'cases', `${name}.cmds`), 'utf8')));

  it('was captured from redis-server 7.0.15', () => {
    expect(transcript.server).toBe('redis-server 7.0.15');
  });

  it.each(transcript.steps.map((step, i) => ({ step, i })))('answers step $i ($step.source) as Redis did', async ({ step }) => {
    const got = await runner.run(step);
    expect({ output: comparable(step, got.output), closed: got.closed }).toEqual({
      output: comparable(step, step.output),
      closed: step.closed,
    });
  });

  it('leaves no reply unread on any connection (no message the real server did not send)', () => {
    for (const conn of new Set(cases.map((s) => s.conn ?? ''))) expect({ conn, unread: runner.unread(conn) }).toEqual({ conn, unread: 0 });
  });
});
