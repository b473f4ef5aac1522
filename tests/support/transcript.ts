// Golden transcripts: command scripts (tests/golden/cases/*.cmds) and the
// exact reply bytes a real redis-server gave for them (tests/golden/*.golden).
//
// A case line is either a command in redis-cli quoting (sent as a RESP
// multibulk, one reply expected), or `raw N "<bytes>"`: the bytes sent as
// they are (JSON string escapes), N replies expected. After each step the
// transcript records whether the server closed the connection; the next
// step then opens a new one. Lines starting with # are comments.

import { splitArgs } from '../../src/engine/resp/split-args.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1, utf8 } from '../../src/engine/bytes.ts';

export interface Step {
  /** The case line, as written. */
  readonly source: string;
  readonly bytes: Uint8Array;
  readonly replies: number;
}

export interface RecordedStep extends Step {
  readonly output: readonly Uint8Array[];
  readonly closed: boolean;
}

export interface Transcript {
  readonly name: string;
  readonly server: string;
  readonly steps: readonly RecordedStep[];
}

/** Something that runs a step: a real server, `npm run serve`, or the in-process engine. */
export interface StepRunner {
  run(step: Step): Promise<{ output: Uint8Array[]; closed: boolean }>;
}

export function parseCases(text: string): Step[] {
  const steps: Step[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const raw = /^raw (\d+) (".*")$/.exec(trimmed);
    if (raw) {
      const text = JSON.parse(raw[2]) as string;
      steps.push({ source: trimmed, bytes: isLatin1(text) ? fromLatin1(text) : utf8(text), replies: Number(raw[1]) });
      continue;
    }
    const argv = splitArgs(utf8(trimmed));
    if (!argv || argv.length === 0) throw new Error(`bad case line: ${line}`);
    steps.push({ source: trimmed, bytes: encodeCommand(argv), replies: 1 });
  }
  return steps;
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/** A JSON string of the bytes, every byte outside printable ASCII escaped, so files stay ASCII. */
const show = (bytes: Uint8Array) =>
  JSON.stringify(latin1(bytes)).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function formatTranscript(t: Transcript): string {
  const out = [
    `# golden transcript: ${t.name}`,
    `# server: ${t.server}`,
    `# captured by scripts/capture-golden.ts from tests/golden/cases/${t.name}.cmds; do not edit, re-capture`,
  ];
  for (const s of t.steps) {
    out.push(`> ${s.source}`);
    for (const o of s.output) out.push(`< ${show(o)}`);
    if (s.closed) out.push('< (closed)');
  }
  return out.join('\n') + '\n';
}

export function parseTranscript(name: string, text: string, cases: readonly Step[]): Transcript {
  const lines = text.split('\n');
  const server = /^# server: (.*)$/m.exec(text)?.[1];
  if (!server) throw new Error(`${name}.golden has no '# server:' header`);
  const steps: RecordedStep[] = [];
  let current: { source: string; output: Uint8Array[]; closed: boolean } | null = null;
  const flush = () => {
    if (!current) return;
    const step = cases[steps.length];
    if (!step || step.source !== current.source) {
      throw new Error(`${name}.golden is out of date with cases/${name}.cmds at '${current.source}': re-capture`);
    }
    steps.push({ ...step, output: current.output, closed: current.closed });
  };
  for (const line of lines) {
    if (line.startsWith('> ')) {
      flush();
      current = { source: line.slice(2), output: [], closed: false };
    } else if (line === '< (closed)') {
      current!.closed = true;
    } else if (line.startsWith('< ')) {
      current!.output.push(fromLatin1(JSON.parse(line.slice(2))));
    }
  }
  flush();
  if (steps.length !== cases.length) throw new Error(`${name}.golden has ${steps.length} steps, cases/${name}.cmds has ${cases.length}: re-capture`);
  return { name, server, steps };
}

export async function record(runner: StepRunner, steps: readonly Step[]): Promise<RecordedStep[]> {
  const out: RecordedStep[] = [];
  for (const step of steps) out.push({ ...step, ...(await runner.run(step)) });
  return out;
}
