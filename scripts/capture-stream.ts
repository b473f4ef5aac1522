// Captures replication stream goldens from a real redis-server 7.0.15: for
// every tests/golden/cases-stream/<name>.cmds (or the names given), a fresh
// master with a fake replica attached over a raw socket; each case line is
// sent on a normal client connection, and the exact bytes the master then
// put in its replication stream are written to tests/golden/<name>.stream
// (format: tests/support/stream-transcript.ts).
// Run: npx tsx scripts/capture-stream.ts [name ...]
//
// Knowing when a step's stream bytes have all arrived, without sleeping:
// after the step's replies, a second connection reads the master's
// master_repl_offset from INFO replication. The master propagates a command
// at the end of call(), before its reply leaves the server, so that offset
// already counts every byte the step caused; the fake replica then waits (bounded)
// for exactly offset - (offset after the previous step) bytes. Nothing else
// can enter the stream between steps: master PINGs are disabled
// (repl-ping-replica-period 3600), active expiry is off (DEBUG
// SET-ACTIVE-EXPIRE 0, so a key whose time has passed is deleted only when
// a step touches it), and the fake replica stops ACKing once the stream
// flows, so repl-timeout is raised far beyond the capture's length.
import fs from 'node:fs';
import path from 'node:path';
import { startRealRedis, type RealRedis } from '../tests/support/real-redis.ts';
import { RawClient } from '../tests/support/raw-client.ts';
import { TcpRunner } from '../tests/support/runners.ts';
import { FakeReplica } from '../tests/support/fake-replica.ts';
import { waitFor } from '../tests/support/wait.ts';
import {
  formatStreamTranscript,
  parseStreamCases,
  splitStream,
  type RecordedStreamStep,
} from '../tests/support/stream-transcript.ts';

const goldenDir = path.resolve(import.meta.dirname, '../tests/golden');
const casesDir = path.join(goldenDir, 'cases-stream');
const names = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : fs.readdirSync(casesDir).filter((f) => f.endsWith('.cmds')).map((f) => f.slice(0, -5));

async function infoField(client: RawClient, section: string, field: string): Promise<string | undefined> {
  const reply = await client.command('INFO', section);
  if (reply.type !== 'bulk') throw new Error(`INFO ${section} answered ${reply.type}`);
  return new RegExp(`^${field}:(.*?)\\r?$`, 'm').exec(Buffer.from(reply.value).toString('latin1'))?.[1];
}

async function capture(name: string): Promise<void> {
  const steps = parseStreamCases(fs.readFileSync(path.join(casesDir, `${name}.cmds`), 'utf8'));
  // A fresh master per case file, so no state leaks from one to the next.
  const server: RealRedis = await startRealRedis([
    '--repl-diskless-sync-delay', '0',
    '--repl-ping-replica-period', '3600',
    '--repl-timeout', '3600',
    '--enable-debug-command', 'local',
  ]);
  let admin: RawClient | null = null;
  let replica: FakeReplica | null = null;
  let runner: TcpRunner | null = null;
  try {
    admin = await RawClient.connect(server.port);
    const version = await infoField(admin, 'server', 'redis_version');
    if (version !== '7.0.15') throw new Error(`stream goldens must come from redis-server 7.0.15, found ${version}`);
    const off = await admin.command('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    if (off.type !== 'status') throw new Error('DEBUG SET-ACTIVE-EXPIRE 0 was refused');
    replica = await FakeReplica.attach(server.port);
    const a = admin;
    await waitFor('the fake replica to be online', async () => /state=online/.test((await infoField(a, 'replication', 'slave0')) ?? ''));
    replica.ack();
    let offset = replica.fullSyncOffset;
    runner = new TcpRunner(server.port);
    const recorded: RecordedStreamStep[] = [];
    for (const step of steps) {
      const before = Date.now();
      const got = await runner.run(step);
      const after = Date.now();
      const now = Number(await infoField(admin, 'replication', 'master_repl_offset'));
      const bytes = await replica.take(now - offset);
      offset = now;
      recorded.push({ ...step, before, after, ...got, stream: splitStream(bytes) });
    }
    const file = path.join(goldenDir, `${name}.stream`);
    fs.writeFileSync(file, formatStreamTranscript({ name, server: `redis-server ${version}`, steps: recorded }));
    console.log(`${name}: ${recorded.length} steps -> ${path.relative(process.cwd(), file)}`);
  } finally {
    runner?.close();
    replica?.close();
    admin?.close();
    await server.stop();
  }
}

for (const name of names) await capture(name);
