// Starts `npm run serve` (src/node/main.ts under tsx) on free ports for a
// test; stop() signals only that process and waits for it to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort, freePortRange } from './ports.ts';
import { RawClient } from './raw-client.ts';
import { waitFor } from './wait.ts';

const root = path.resolve(import.meta.dirname, '../..');

export interface Serve {
  port: number;
  /** The SIM control port, when started with withControlPort. */
  controlPort?: number;
  process: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code (SIGKILL after a bound). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServe(nodes = 1, extraArgs: string[] = [], withControlPort = false, atPort?: number): Promise<Serve> {
  // One more free port above the nodes: room for SIM ADD, or the control port.
  // A test restarting serve on its data passes the port it had (just freed).
  const port = atPort ?? (await freePortRange(nodes + 1));
  const controlPort = withControlPort ? await freePort() : undefined;
  if (controlPort !== undefined) extraArgs = [...extraArgs, '--control-port', String(controlPort)];
  const child = spawn(
    process.execPath,
    // `node --import tsx` rather than the tsx CLI, so the process held here
    // is the server itself and a SIGKILL fallback cannot leave it running.
    ['--import', 'tsx', 'src/node/main.ts', '--nodes', String(nodes), '--port', String(port), ...extraArgs],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (exitCode === undefined) {
      child.kill(signal);
      try {
        await waitFor('serve to exit', () => exitCode !== undefined, 5000);
      } catch {
        child.kill('SIGKILL');
        await waitFor('serve to die', () => exitCode !== undefined, 5000);
      }
    }
    return exitCode ?? null;
  };
  try {
    await waitFor(`npm run serve on port ${port}`, async () => {
      if (exitCode !== undefined) throw new Error(`serve exited early:\n${out}`);
      try {
        const c = await RawClient.connect(port + nodes - 1);
        c.close();
        return true;
      } catch {
        return false;
      }
    }, 30_000);
  } catch (e) {
    await stop('SIGKILL');
    throw e;
  }
  return { port, controlPort, process: child, output: () => out, stop };
}
