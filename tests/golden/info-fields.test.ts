// INFO everything names the same sections and fields, in the same order, as
// redis-server 7.0.15 did for the same commands (tests/golden/info.golden):
// a focused view of what the ~info comparison of golden.test.ts checks, so
// that a missing or misplaced field is named in the failure.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseCases, parseTranscript } from '../support/transcript.ts';
import { EngineRunner } from '../support/runners.ts';

const dir = import.meta.dirname;

/** "# Section" headers and the field names under each, from an INFO bulk reply. */
function names(reply: Uint8Array): Array<[string, string[]]> {
  const text = Buffer.from(reply).toString('latin1');
  const body = text.slice(text.indexOf('\r\n') + 2, -2);
  const out: Array<[string, string[]]> = [];
  for (const line of body.split('\r\n')) {
    if (line.startsWith('# ')) out.push([line.slice(2), []]);
    else if (line !== '') out[out.length - 1][1].push(line.slice(0, line.indexOf(':')));
  }
  // Commandstats and Latencystats follow Redis's dict order.
  for (const [section, fields] of out) if (section === 'Commandstats' || section === 'Latencystats') fields.sort();
  return out;
}

it('INFO everything has the sections and fields of redis-server 7.0.15, in its order', async () => {
  const cases = parseCases(fs.readFileSync(path.join(dir, 'cases', 'info.cmds'), 'utf8'));
  const transcript = parseTranscript('info', fs.readFileSync(path.join(dir, 'info.golden'), 'utf8'), cases);
  const runner = new EngineRunner();
  let checked = 0;
  for (const step of transcript.steps) {
    const got = await runner.run(step);
    if (!/^~info INFO everything$/.test(step.source)) continue;
    const real = names(step.output[0]);
    expect(real.map(([s]) => s)).toEqual([
      'Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules',
      'Commandstats', 'Errorstats', 'Latencystats', 'Cluster', 'Keyspace',
    ]);
    expect(names(got.output[0])).toEqual(real);
    checked++;
  }
  expect(checked).toBe(1);
});
