// The engine in-process, on its real dispatch path: a World's node fed
// pipelined RESP bytes through World.connectExternal (what the TCP frontend
// and the worker use), replies collected from the endpoint. Every reply byte
// is compared with the expected reply, so a run that answers errors (or
// fewer replies) fails instead of reporting a rate.
// The engine runs here in-process, as under serve: every lazy part installed at start.
import '../../src/engine/eager-parts.ts';
import { World } from '../../src/sim/world.ts';
import { median, showBytes } from './stats.ts';

export interface InProcessCase {
  /** Stable key in results.json. */
  readonly id: string;
  readonly label: string;
  /** One command's request bytes. */
  readonly request: string;
  /** The exact reply to one command. */
  readonly reply: string;
  /** Commands per write (pipeline depth). */
  readonly batch: number;
}

export interface InProcessResult {
  readonly id: string;
  readonly label: string;
  readonly batch: number;
  readonly commandsPerRun: number;
  /** commands/s of each measured run, in run order. */
  readonly runs: number[];
  readonly median: number;
  readonly warmupRate: number;
  readonly replyBytesPerRun: number;
}

const ECHO_ARG = '0123456789abcdef'; // 16 bytes

export const IN_PROCESS_CASES: readonly InProcessCase[] = [
  { id: 'ping-mbulk-64', label: 'PING (RESP multibulk), 64 per write', request: '*1\r\n$4\r\nPING\r\n', reply: '+PONG\r\n', batch: 64 },
  { id: 'ping-mbulk-1000', label: 'PING (RESP multibulk), 1000 per write', request: '*1\r\n$4\r\nPING\r\n', reply: '+PONG\r\n', batch: 1000 },
  {
    id: 'echo16-64',
    label: 'ECHO 16-byte arg, 64 per write',
    request: `*2\r\n$4\r\nECHO\r\n$16\r\n${ECHO_ARG}\r\n`,
    reply: `$16\r\n${ECHO_ARG}\r\n`,
    batch: 64,
  },
  {
    id: 'echo16-1000',
    label: 'ECHO 16-byte arg, 1000 per write',
    request: `*2\r\n$4\r\nECHO\r\n$16\r\n${ECHO_ARG}\r\n`,
    reply: `$16\r\n${ECHO_ARG}\r\n`,
    batch: 1000,
  },
  { id: 'ping-inline-1000', label: 'PING (inline), 1000 per write', request: 'PING\r\n', reply: '+PONG\r\n', batch: 1000 },
];

export const ECHO_BENCH_ARG = ECHO_ARG;

export interface InProcessOptions {
  runs: number;
  warmupMs: number;
  runMs: number;
}

export function runInProcessCase(c: InProcessCase, opts: InProcessOptions): InProcessResult {
  const world = new World();
  const unit = Buffer.from(c.reply, 'latin1');
  // The reply stream is periodic: a chunk starting at stream offset `received`
  // must equal this buffer from `received % unit.length` on.
  const expected = Buffer.from(c.reply.repeat(c.batch + 1), 'latin1');
  let received = 0;
  let mismatch: string | null = null;
  let closed = false;
  const conn = world.connectExternal(6379, {
    data(bytes) {
      const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let off = 0;
      while (off < b.length) {
        const phase = received % unit.length;
        const n = Math.min(b.length - off, expected.length - phase);
        if (mismatch === null && b.compare(expected, phase, phase + n, off, off + n) !== 0) {
          mismatch = `at reply byte ${received}: got "${showBytes(b.subarray(off, off + n))}", expected "${showBytes(expected.subarray(phase, phase + n))}"`;
        }
        off += n;
        received += n;
      }
    },
    closed() {
      closed = true;
    },
  });
  if (!conn) throw new Error('in-process: connectExternal(6379) was refused');
  const request = new Uint8Array(Buffer.from(c.request.repeat(c.batch), 'latin1'));

  const runBatches = (batches: number): number => {
    received = 0;
    const t0 = performance.now();
    for (let i = 0; i < batches; i++) conn.write(request);
    const ms = performance.now() - t0;
    const want = batches * c.batch * unit.length;
    if (mismatch !== null) throw new Error(`in-process ${c.id}: wrong reply ${mismatch}`);
    if (closed) throw new Error(`in-process ${c.id}: the node closed the connection`);
    if (received !== want) throw new Error(`in-process ${c.id}: ${received} reply bytes, expected ${want}`);
    return (batches * c.batch * 1000) / ms;
  };

  // Warm-up (JIT, buffer growth), timed so the measured runs can be sized.
  let warmCommands = 0;
  const w0 = performance.now();
  while (performance.now() - w0 < opts.warmupMs) {
    runBatches(10);
    warmCommands += 10 * c.batch;
  }
  const warmupRate = (warmCommands * 1000) / (performance.now() - w0);
  const batchesPerRun = Math.max(10, Math.round((warmupRate * opts.runMs) / 1000 / c.batch));

  const runs: number[] = [];
  for (let r = 0; r < opts.runs; r++) runs.push(runBatches(batchesPerRun));
  conn.close();
  return {
    id: c.id,
    label: c.label,
    batch: c.batch,
    commandsPerRun: batchesPerRun * c.batch,
    runs,
    median: median(runs),
    warmupRate,
    replyBytesPerRun: batchesPerRun * c.batch * unit.length,
  };
}
