// Captures golden transcripts from a real redis-server: runs every
// tests/golden/cases/<name>.cmds (or the ones named on the command line)
// against a fresh server and writes tests/golden/<name>.golden with the
// exact reply bytes and the server's version in the header.
// Run: npm run capture:golden [-- name ...]
import fs from 'node:fs';
import path from 'node:path';
import { startRealRedis } from '../tests/support/real-redis.ts';
import { RawClient } from '../tests/support/raw-client.ts';
import { TcpRunner } from '../tests/support/runners.ts';
import { formatTranscript, parseCases, record, serverArgs } from '../tests/support/transcript.ts';

const goldenDir = path.resolve(import.meta.dirname, '../tests/golden');
const names = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : fs.readdirSync(path.join(goldenDir, 'cases')).filter((f) => f.endsWith('.cmds')).map((f) => f.slice(0, -5));

for (const name of names) {
  const steps = parseCases(fs.readFileSync(path.join(goldenDir, 'cases', `${name}.cmds`), 'utf8'));
  // A fresh server per transcript, so no state leaks from one to the next.
  const server = await startRealRedis(serverArgs(fs.readFileSync(path.join(goldenDir, 'cases', `${name}.cmds`), 'utf8')));
  try {
    const probe = await RawClient.connect(server.port);
    const info = await probe.command('INFO', 'server');
    probe.close();
    const version = /redis_version:(\S+)/.exec(Buffer.from(info.type === 'bulk' ? info.value : []).toString())?.[1];
    if (version !== '7.0.15') throw new Error(`golden transcripts must come from redis-server 7.0.15, found ${version}`);
    const runner = new TcpRunner(server.port, 30_000);
    const recorded = await record(runner, steps);
    runner.close();
    const file = path.join(goldenDir, `${name}.golden`);
    fs.writeFileSync(file, formatTranscript({ name, server: `redis-server ${version}`, steps: recorded }));
    console.log(`${name}: ${recorded.length} steps -> ${path.relative(process.cwd(), file)}`);
  } finally {
    await server.stop();
  }
}
