// Replication stream goldens: what a real redis-server 7.0.15 master put in
// its replication stream for each command of a case file
// (tests/golden/cases-stream/<name>.cmds), captured by
// scripts/capture-stream.ts into tests/golden/<name>.stream and replayed
// against the engine by tests/golden/stream.test.ts.
//
// A case file has the format of tests/golden/cases/*.cmds (see
// transcript.ts): one command a line in redis-cli quoting, or `raw N "..."`,
// with the same reply tolerances. The steps run in order on the main
// client connection (state such as SELECT carries over), or on the one a
// step's `@name` names (after any stream tolerance below): a blocking
// command waits on one connection (`=0`, then `read 1`) while a write on
// another serves it, and the step that served it has what serving
// propagated in its stream.
//
// A golden file holds, per step:
//   > the case line
//   @ <before> <after>   the capture's unix time in ms just before the
//                        command was sent and just after its replies came
//   < "..."              each reply, exact bytes (as in .golden files)
//   = "..."              each command the master put in the stream because
//                        of this step, exact bytes, in stream order
//                        (SELECT, MULTI and EXEC included); `= (none)` when
//                        the step put nothing in the stream
//
// The engine replays a step with its clock at the step's <before>.
//
// Stream tolerance. A step may start with `~clock ` (before any reply
// tolerance of transcript.ts):
//
//   ~clock   For commands whose stream depends on the instant the master
//            ran them: a relative TTL (SET ... EX/PX, SETEX, PSETEX,
//            GETEX EX/PX, EXPIRE, PEXPIRE, RESTORE with a relative TTL) is
//            propagated as an absolute unix time in ms, the master's clock
//            plus the TTL. The master read its clock at some instant
//            between <before> and <after> (same host clock); the engine
//            reads <before>. So an argument that is a 13-digit unix time
//            in ms on both sides, at the same place in the same command,
//            matches when golden - engine is within 0 .. (after - before).
//            So does a stream ID whose ms part is such a time (XADD with
//            `*` is propagated with the ID it added), when the sequence
//            parts are equal.
//            Every other byte is compared exactly, and so are such
//            arguments on steps without ~clock (absolute EXAT/PXAT times).
//
//   ~popped  For SPOP with a count below the set's size, which pops members
//            chosen by chance and propagates SREM key member for each, in
//            the order of its reply (inside MULTI/EXEC when more than one).
//            On each side separately, the k-th SREM of the stream whose
//            member is the k-th member of that side's own reply has its
//            member replaced by "<popped>", and the reply (an array of bulk
//            strings) is compared by its count only (maskPopped below).
//            Everything else is compared exactly: MULTI/EXEC, the key, the
//            number of SREMs; a SREM that does not match its side's reply
//            keeps its member, so the difference shows.

import { parseCases, type Step } from './transcript.ts';
import { ReplyReader, encodeCommand, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';

export interface StreamStep extends Step {
  /** The step has the ~clock stream tolerance. */
  readonly clock: boolean;
  /** The step has the ~popped stream tolerance. */
  readonly popped: boolean;
}

export interface RecordedStreamStep extends StreamStep {
  readonly before: number;
  readonly after: number;
  readonly output: readonly Uint8Array[];
  readonly closed: boolean;
  /** The propagated commands, each a RESP array's exact bytes. */
  readonly stream: readonly Uint8Array[];
}

export interface StreamTranscript {
  readonly name: string;
  readonly server: string;
  readonly steps: readonly RecordedStreamStep[];
}

const CLOCK_PREFIX = '~clock ';
const POPPED_PREFIX = '~popped ';

export function parseStreamCases(text: string): StreamStep[] {
  const steps: StreamStep[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const clock = trimmed.startsWith(CLOCK_PREFIX);
    const popped = trimmed.startsWith(POPPED_PREFIX);
    const rest = clock ? trimmed.slice(CLOCK_PREFIX.length) : popped ? trimmed.slice(POPPED_PREFIX.length) : trimmed;
    const [step] = parseCases(rest);
    steps.push({ ...step, source: trimmed, clock, popped });
  }
  return steps;
}

/** Splits stream bytes into its commands (RESP arrays), each its exact bytes. */
export function splitStream(bytes: Uint8Array): Uint8Array[] {
  const reader = new ReplyReader();
  reader.feed(bytes);
  const out: Uint8Array[] = [];
  for (;;) {
    const got = reader.nextRaw();
    if (!got) break;
    if (got.reply.type !== 'array') throw new Error(`the stream holds a ${got.reply.type}, not a command: ${show(got.bytes)}`);
    out.push(got.bytes);
  }
  if (reader.pending > 0) throw new Error(`the stream ends inside a command: ${reader.pending} bytes left`);
  return out;
}

/** A command's arguments. */
function argvOf(bytes: Uint8Array): Uint8Array[] {
  const reader = new ReplyReader();
  reader.feed(bytes);
  const reply = reader.next() as Reply & { type: 'array' };
  return reply.items.map((item) => (item as Reply & { type: 'bulk' }).value);
}

/** A JSON string of the bytes, every byte outside printable ASCII escaped (as transcript.ts writes them). */
const show = (bytes: Uint8Array) =>
  JSON.stringify(latin1(bytes)).replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function formatStreamTranscript(t: StreamTranscript): string {
  const out = [
    `# replication stream golden: ${t.name}`,
    `# server: ${t.server}`,
    `# captured by scripts/capture-stream.ts from tests/golden/cases-stream/${t.name}.cmds; do not edit, re-capture`,
    '# > step, @ unix ms before and after it, < reply bytes, = each command it put in the stream (or (none))',
  ];
  for (const s of t.steps) {
    out.push(`> ${s.source}`);
    out.push(`@ ${s.before} ${s.after}`);
    for (const o of s.output) out.push(`< ${show(o)}`);
    if (s.closed) out.push('< (closed)');
    if (s.stream.length === 0) out.push('= (none)');
    for (const c of s.stream) out.push(`= ${show(c)}`);
  }
  return out.join('\n') + '\n';
}

export function parseStreamTranscript(name: string, text: string, cases: readonly StreamStep[]): StreamTranscript {
  const server = /^# server: (.*)$/m.exec(text)?.[1];
  if (!server) throw new Error(`${name}.stream has no '# server:' header`);
  const steps: RecordedStreamStep[] = [];
  let current: { source: string; before: number; after: number; output: Uint8Array[]; closed: boolean; stream: Uint8Array[] } | null = null;
  const flush = () => {
    if (!current) return;
    const step = cases[steps.length];
    if (!step || step.source !== current.source) {
      throw new Error(`${name}.stream is out of date with cases-stream/${name}.cmds at '${current.source}': re-capture`);
    }
    steps.push({ ...step, ...current });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('> ')) {
      flush();
      current = { source: line.slice(2), before: NaN, after: NaN, output: [], closed: false, stream: [] };
    } else if (line.startsWith('@ ')) {
      const [before, after] = line.slice(2).split(' ').map(Number);
      current!.before = before;
      current!.after = after;
    } else if (line === '< (closed)') {
      current!.closed = true;
    } else if (line.startsWith('< ')) {
      current!.output.push(fromLatin1(JSON.parse(line.slice(2))));
    } else if (line.startsWith('= ') && line !== '= (none)') {
      current!.stream.push(fromLatin1(JSON.parse(line.slice(2))));
    }
  }
  flush();
  if (steps.length !== cases.length) throw new Error(`${name}.stream has ${steps.length} steps, cases-stream/${name}.cmds has ${cases.length}: re-capture`);
  return { name, server, steps };
}

const UNIX_MS = /^[1-9]\d{12}$/;
/** A stream ID made from the clock: "<unix ms>-<seq>". */
const CLOCK_ID = /^([1-9]\d{12})-(\d+)$/;

/** Whether the golden's argument is the engine's taken a little later (a time, or an ID from the clock). */
function clockAligned(es: string, gs: string, window: number): boolean {
  let e = es;
  let g = gs;
  const eid = CLOCK_ID.exec(es);
  const gid = CLOCK_ID.exec(gs);
  if (eid && gid) {
    if (eid[2] !== gid[2]) return false;
    e = eid[1];
    g = gid[1];
  }
  if (!UNIX_MS.test(e) || !UNIX_MS.test(g)) return false;
  const late = Number(g) - Number(e);
  return late >= 0 && late <= window;
}

/**
 * The engine's stream for a step as it is compared with the golden's: with
 * ~clock, each 13-digit unix-ms argument the engine wrote is replaced by
 * the golden's argument at the same place when the golden's is later by at
 * most the step's capture window (the top of this file). Anything else is
 * left as the engine wrote it, so a difference still shows.
 */
export function alignClock(step: RecordedStreamStep, engine: readonly Uint8Array[]): Uint8Array[] {
  if (!step.clock) return [...engine];
  const window = step.after - step.before;
  return engine.map((bytes, i) => {
    const golden = step.stream[i];
    if (!golden) return bytes;
    const e = argvOf(bytes);
    const g = argvOf(golden);
    if (e.length !== g.length) return bytes;
    let changed = false;
    const aligned = e.map((arg, j) => {
      const es = latin1(arg);
      const gs = latin1(g[j]);
      if (es === gs || !clockAligned(es, gs, window)) return arg;
      changed = true;
      return g[j];
    });
    return changed ? encodeCommand(aligned) : bytes;
  });
}

const POPPED = fromLatin1('<popped>');

/**
 * One side's replies and stream for a ~popped step, masked as the top of
 * this file says: the reply, when an array of bulk strings, as its count;
 * each SREM that pops the next member of that reply with "<popped>" for
 * the member.
 */
export function maskPopped(output: readonly Uint8Array[], stream: readonly Uint8Array[]): { output: string[]; stream: Uint8Array[] } {
  const reader = new ReplyReader();
  reader.feed(output[0] ?? new Uint8Array(0));
  const reply = reader.next();
  const members = reply?.type === 'array' && reply.items.every((r) => r.type === 'bulk') ? reply.items.map((r) => latin1((r as Reply & { type: 'bulk' }).value)) : null;
  if (!members || output.length !== 1) return { output: output.map((o) => latin1(o)), stream: [...stream] };
  let k = 0;
  const masked = stream.map((bytes) => {
    const argv = argvOf(bytes);
    if (argv.length !== 3 || latin1(argv[0]).toLowerCase() !== 'srem' || latin1(argv[2]) !== members[k]) return bytes;
    k++;
    return encodeCommand([argv[0], argv[1], POPPED]);
  });
  return { output: [`(~popped) an array of ${members.length} bulk strings`], stream: masked };
}

/** Commands as text for test diffs: each its bytes as a JSON string. */
export function showStream(commands: readonly Uint8Array[]): string[] {
  return commands.map(show);
}
