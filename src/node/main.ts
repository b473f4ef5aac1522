// `npm run serve`: the simulated world on real TCP ports, in real time.
import '../engine/eager-parts.ts'; // under serve every part of the engine is loaded at start (no lazy chunks)
import { World } from '../sim/world.ts';
import { ConfigError } from '../sim/process.ts';
import { parseServeArgs, UsageError, USAGE } from './args.ts';
import { RealTimeDriver } from './realtime.ts';
import { TcpFrontend } from './tcp.ts';
import { startControlPort } from './control-port.ts';
import { dialReal } from './dial.ts';
import { FileDisk } from './file-disk.ts';
import fs from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseServeArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(`replscope serve: ${e.message}`);
      console.error(USAGE);
      process.exit(e.message ? 1 : 0);
    }
    throw e;
  }
  const ports = Array.from({ length: opts.nodes }, (_, i) => opts.port + i);
  // Each node starts as redis-server does with these arguments.
  const directives = opts.directives.map(([name, words]) => [name, words.join(' ')] as const);
  let world: World;
  try {
    const dataDir = opts.dataDir;
    const diskFor = dataDir ? (port: number) => new FileDisk(path.join(dataDir, String(port))) : undefined;
    world = new World({ seed: opts.seed, ports, epochMs: Date.now(), directives, diskFor });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // As redis-server reports a bad argument: each became a config line, the first on line 2.
    const [name, words] = opts.directives[e.index];
    console.error(`\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***`);
    console.error(`Reading the configuration file, at line ${e.index + 2}`);
    console.error(`>>> '${[name, ...words.map((w) => JSON.stringify(w))].join(' ')}'`);
    console.error(e.message);
    process.exit(1);
  }
  const logDir = opts.logDir;
  if (logDir) fs.mkdirSync(logDir, { recursive: true });
  const print = logDir
    ? (port: number, line: string) => fs.appendFileSync(path.join(logDir, `${port}.log`), `${line}\n`)
    : (port: number, line: string) => process.stdout.write(`${port} | ${line}\n`);
  for (const port of ports) for (const r of world.logs(port)) print(port, r.line);
  world.onLog((r) => print(r.port, r.line));

  const driver = new RealTimeDriver(world);
  world.dialExternal = (host, port, events) => dialReal(driver, host, port, events);
  const tcp = new TcpFrontend(world, driver, opts.host, (m) => console.error(`replscope serve: ${m}`));
  // Signals are handled before the first port listens, so a client that can
  // connect can also stop the server cleanly.
  let control: import('node:net').Server | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`replscope serve: ${signal} received, stopping`);
    driver.stop();
    control?.close();
    await tcp.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    for (const port of ports) await tcp.listen(port);
    if (opts.controlPort !== undefined) {
      // After each SIM command the listeners follow the nodes (KILL closes one, START reopens it).
      control = await startControlPort(world, driver, opts.host, opts.controlPort, () => tcp.sync());
    }
  } catch (e) {
    console.error(`replscope serve: ${(e as Error).message}`);
    await tcp.close();
    process.exit(1);
  }
  console.log(`replscope serve: ${opts.nodes} node(s) listening on ${opts.host}:${ports[0]}..${ports[ports.length - 1]}` +
    (opts.controlPort !== undefined ? `, SIM control port ${opts.controlPort}` : ''));
}

void main();
