// Server processes the benchmark starts: each in its own process group (so a
// wrapper and whatever it spawns go together), readiness by polling PING with
// a bound, stop by SIGTERM then SIGKILL with a bound. Only processes started
// here are ever signalled; a last-resort exit hook kills what is still up.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { RawClient } from '../../tests/support/raw-client.ts';
import { waitFor } from '../../tests/support/wait.ts';

export interface StopReport {
  /** How it ended: 'SIGTERM' (clean), 'SIGKILL' (did not stop in time), 'already exited'. */
  readonly how: string;
  readonly code: number | null;
  readonly signal: string | null;
}

export interface Server {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  readonly command: string[];
  /** stdout and stderr so far. */
  output(): string;
  /** Output written after the server became ready. */
  outputSinceReady(): string;
  readonly exited: boolean;
  exitDescription(): string;
  /** VmRSS and VmHWM in kB from /proc, null when unreadable. */
  memory(): { rssKb: number; hwmKb: number } | null;
  stop(): Promise<StopReport>;
}

interface ExitInfo {
  code: number | null;
  signal: string | null;
}

const live = new Set<ChildProcess>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the group we created with detached: true
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

process.on('exit', () => {
  for (const child of live) signalGroup(child, 'SIGKILL');
});

export async function startServer(
  name: string,
  command: string,
  args: string[],
  port: number,
  opts: { cwd?: string; readyTimeoutMs: number },
): Promise<Server> {
  const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let spawnError: Error | null = null;
  child.once('error', (e) => (spawnError = e));
  live.add(child);
  let out = '';
  let readyAt = -1;
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exit: ExitInfo | null = null;
  // A function, so that TypeScript does not narrow across the awaits below.
  const exitInfo = (): ExitInfo | null => exit;
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    live.delete(child);
  });
  // No 'exit' event follows a failed spawn (ENOENT).
  child.once('error', () => {
    exit ??= { code: null, signal: null };
    live.delete(child);
  });

  const stop = async (): Promise<StopReport> => {
    const before = exitInfo();
    if (before) return { how: 'already exited', ...before };
    signalGroup(child, 'SIGTERM');
    try {
      await waitFor(`${name} to exit after SIGTERM`, () => exitInfo() !== null, 5000);
      return { how: 'SIGTERM', ...exitInfo()! };
    } catch {
      signalGroup(child, 'SIGKILL');
      await waitFor(`${name} to exit after SIGKILL`, () => exitInfo() !== null, 5000);
      return { how: 'SIGKILL', ...exitInfo()! };
    }
  };

  const server: Server = {
    name,
    port,
    pid: child.pid ?? -1,
    command: [command, ...args],
    output: () => out,
    outputSinceReady: () => (readyAt < 0 ? '' : out.slice(readyAt)),
    get exited() {
      return exitInfo() !== null;
    },
    exitDescription: () => {
      const e = exitInfo();
      return e ? `code ${e.code} signal ${e.signal}` : 'running';
    },
    memory: () => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
        return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
      } catch {
        return null;
      }
    },
    stop,
  };

  try {
    await waitFor(
      `${name} to answer PING on port ${port}`,
      async () => {
        if (spawnError) throw new Error(`${name}: could not start ${command}: ${(spawnError as Error).message}`);
        if (exitInfo()) throw new Error(`${name} exited before answering PING (${server.exitDescription()}):\n${out}`);
        return (await pingOnce(port, 1000)) === '+PONG\r\n';
      },
      opts.readyTimeoutMs,
      50,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  readyAt = out.length;
  return server;
}

/** One PING on a fresh connection: the reply's bytes, or null (refused, closed, timeout). */
export async function pingOnce(port: number, timeoutMs: number): Promise<string | null> {
  let c: RawClient;
  try {
    c = await RawClient.connect(port);
  } catch {
    return null;
  }
  try {
    c.write(Buffer.from('*1\r\n$4\r\nPING\r\n'));
    const { bytes } = await c.read(timeoutMs);
    return Buffer.from(bytes).toString('latin1');
  } catch {
    return null;
  } finally {
    c.close();
  }
}
