// The simulator's full sync budget (DESIGN.md section 4): a replica of a
// master holding N small keys, over a link with unlimited bandwidth, from
// REPLICAOF to a connected link. Measures the host time it costs and the
// longest stretch the host spends inside one simulated event (what a
// browser frame or a terminal would wait for: hosts yield between events,
// see World.runUntil's yieldNow), and how much of that stretch was the
// garbage collector's pause and how much CPU the process had meanwhile (on
// a shared machine, wall time far above CPU time means the core was taken).
// The engine runs here in-process, as under serve: every lazy part installed at start.
import '../../src/engine/eager-parts.ts';
import os from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { World } from '../../src/sim/world.ts';
import type { RedisNode } from '../../src/engine/node.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { collectGarbage } from './gc.ts';
import { median } from './stats.ts';

export interface SyncEvent {
  /** Wall time of the event. */
  readonly ms: number;
  /** Process CPU time (user + system, every thread) during it. */
  readonly cpuMs: number;
  /** Garbage collector pauses that began during it. */
  readonly gcMs: number;
  /** What it was part of: the master's fork, or the replica's transfer or load. */
  readonly what: string;
}

export interface SyncResult {
  keys: number;
  rdbBytes: number;
  hostMs: number;
  longestEventMs: number;
  longestEventWhat: string;
  longest: SyncEvent;
  /** The longest event of the master's fork alone (its passes over the snapshot, its pieces). */
  longestForkEventMs: number;
  /** The longest event of the replica (transfer and load, while no fork runs). */
  longestReplicaEventMs: number;
  /** Events longer than 50 ms. */
  over50: number;
  events: number;
  /** Host time by part: fork (with the replica receiving meanwhile), the replica's transfer after it, the load. */
  phases: Record<string, { events: number; ms: number; longestMs: number }>;
  /** All garbage collector pauses during the sync. */
  gcMs: number;
  /** The 1-minute load average as the run began (the machine is shared). */
  loadavg: number;
}

const text = new TextEncoder();

export async function runSimFullSync(keys: number): Promise<SyncResult> {
  const world = new World();
  const master = world.node(6379)!;
  const db = master.keyspace.dbs[0];
  for (let i = 0; i < keys; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
  master.config.replDisklessSyncDelay = 0;
  const replica = world.node(6380)!;
  const conn = world.connectExternal(6380, { data() {}, closed() {} })!;
  // Whatever the fill and earlier benchmarks left for the collector is not the sync's: a full collection,
  // then a pause for its concurrent sweeping (else the sync's first scavenge waits for it to finish).
  collectGarbage();
  await new Promise((r) => setTimeout(r, 500));
  const gcs: Array<{ start: number; ms: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const events: Array<{ start: number; ms: number; cpuMs: number; what: string }> = [];
  const loadavg = os.loadavg()[0];
  const start = performance.now();
  conn.write(encodeCommand(['REPLICAOF', '127.0.0.1', '6379'].map((s) => text.encode(s))));
  while (replica.replication.replica.state !== 'connected') {
    const next = world.nextEventTime();
    if (next === undefined) throw new Error('the full sync stalled');
    const what = phase(master, replica);
    const cpu = process.cpuUsage();
    const t = performance.now();
    // One event at a time.
    world.runUntil(next, () => true);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    events.push({ start: t, ms, cpuMs: (used.user + used.system) / 1000, what });
  }
  const hostMs = performance.now() - start;
  // The collector's entries arrive asynchronously.
  await new Promise((r) => setTimeout(r, 20));
  observer.disconnect();

  // The replica keeps what it loaded as its dump.rdb (a disk load): the RDB the fork wrote.
  const rdbBytes = replica.disk.read(replica.config.dbFilename)?.length ?? 0;
  if (replica.keyspace.dbs[0].size !== keys) throw new Error(`the replica has ${replica.keyspace.dbs[0].size} keys, not ${keys}`);

  const gcIn = (e: { start: number; ms: number }) => gcs.filter((g) => g.start >= e.start && g.start < e.start + e.ms).reduce((a, g) => a + g.ms, 0);
  const longest = events.reduce((a, b) => (b.ms > a.ms ? b : a));
  const phases: SyncResult['phases'] = {};
  for (const e of events) {
    const key = e.what.startsWith('fork') ? 'fork' : e.what;
    const p = (phases[key] ??= { events: 0, ms: 0, longestMs: 0 });
    p.events++;
    p.ms += e.ms;
    p.longestMs = Math.max(p.longestMs, e.ms);
  }
  const longestOf = (pred: (w: string) => boolean) => Math.max(0, ...events.filter((e) => pred(e.what)).map((e) => e.ms));
  return {
    keys,
    rdbBytes,
    hostMs,
    longestEventMs: longest.ms,
    longestEventWhat: longest.what,
    longest: { ms: longest.ms, cpuMs: longest.cpuMs, gcMs: gcIn(longest), what: longest.what },
    longestForkEventMs: longestOf((w) => w.startsWith('fork')),
    longestReplicaEventMs: longestOf((w) => !w.startsWith('fork')),
    over50: events.filter((e) => e.ms > 50).length,
    events: events.length,
    phases,
    gcMs: gcs.filter((g) => g.start >= start && g.start < start + hostMs).reduce((a, g) => a + g.ms, 0),
    loadavg,
  };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/** bench/results.md's section: the medians against the budget, then every run. */
export function renderSyncSection(runs: readonly SyncResult[]): string {
  const med = (f: (r: SyncResult) => number) => median(runs.map(f));
  const row = (what: string, value: number, budget: number, strict: boolean) =>
    `| ${what} | ${ms(value)} | ${strict ? '<' : '≤'} ${budget} ms | ${(strict ? value < budget : value <= budget) ? 'yes' : '**no**'} |`;
  const out = [
    '',
    `## Simulated full sync (${runs[0].keys.toLocaleString('en')} small keys, unlimited bandwidth)`,
    '',
    '| what | median | budget | met |',
    '| --- | ---: | ---: | --- |',
    row('host time, REPLICAOF to link up', med((r) => r.hostMs), 2000, true),
    row('longest single event', med((r) => r.longestEventMs), 50, false),
    row("longest event of the master's fork (its snapshot passes and pieces; the replica receives meanwhile)", med((r) => r.longestForkEventMs), 50, false),
    row("longest event of the replica's end of the transfer and its load", med((r) => r.longestReplicaEventMs), 50, false),
    '',
    `RDB of ${runs[0].rdbBytes} bytes. Each run starts after a full garbage collection and half a second for its sweeping, so that`,
    'what earlier runs left behind is not counted. Events are timed one at a time (hosts yield between events). CPU is the',
    "process's user + system time during the event (all threads); wall time well above it means another process had the core.",
    '',
    '| run | load avg | host | events (> 50 ms) | longest: wall / CPU / GC pauses | during | longest of fork / replica | GC pauses, all | host time in fork / transfer / load |',
    '| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
  ];
  runs.forEach((r, i) => {
    const p = (k: string) => r.phases[k]?.ms ?? 0;
    out.push(
      `| ${i + 1} | ${r.loadavg.toFixed(2)} | ${ms(r.hostMs)} | ${r.events} (${r.over50}) | ${ms(r.longest.ms)} / ${ms(r.longest.cpuMs)} / ${ms(r.longest.gcMs)} | ${r.longest.what} | ` +
        `${ms(r.longestForkEventMs)} / ${ms(r.longestReplicaEventMs)} | ${ms(r.gcMs)} | ${ms(p('fork'))} / ${ms(p('replica transfer'))} / ${ms(p('replica loading'))} |`,
    );
  });
  return out.join('\n') + '\n';
}

/** Which part of the sync an event about to run belongs to, as far as the nodes' states tell. */
function phase(master: RedisNode, replica: RedisNode): string {
  const child = master.bgsave.child;
  const load = replica.loading ? 'replica loading' : `replica ${replica.replication.replica.state}`;
  if (child && !child.finished) return `fork (${child.keysWritten} of ${child.keysTotal} keys written), ${load}`;
  return load;
}
