// The simulator's full sync budget (DESIGN.md section 4): a replica of a
// master holding N small keys, over a link with unlimited bandwidth, from
// REPLICAOF to a connected link. Measures the host time it costs and the
// longest stretch the host spends inside one simulated event (what a
// browser frame or a terminal would wait for: hosts yield between events,
// see World.runUntil's yieldNow).
import { World } from '../../src/sim/world.ts';
import type { RedisNode } from '../../src/engine/node.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';

export interface SyncResult {
  keys: number;
  rdbBytes: number;
  hostMs: number;
  longestEventMs: number;
  /** What the longest event was part of: the master's fork, or the replica's transfer or load. */
  longestEventWhat: string;
  /** The longest event of the master's fork alone (its passes over the snapshot, its pieces). */
  longestForkEventMs: number;
}

const text = new TextEncoder();

export function runSimFullSync(keys: number): SyncResult {
  const world = new World();
  const master = world.node(6379)!;
  const db = master.keyspace.dbs[0];
  for (let i = 0; i < keys; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
  master.config.replDisklessSyncDelay = 0;
  const replica = world.node(6380)!;
  const conn = world.connectExternal(6380, { data() {}, closed() {} })!;
  const start = performance.now();
  let longest = 0;
  let longestWhat = '';
  let longestFork = 0;
  conn.write(encodeCommand(['REPLICAOF', '127.0.0.1', '6379'].map((s) => text.encode(s))));
  while (replica.replication.replica.state !== 'connected') {
    const next = world.nextEventTime();
    if (next === undefined) throw new Error('the full sync stalled');
    const phase = what(master, replica);
    const t = performance.now();
    // One event at a time.
    world.runUntil(next, () => true);
    const ms = performance.now() - t;
    if (ms > longest) {
      longest = ms;
      longestWhat = phase;
    }
    if (phase.startsWith('fork') && ms > longestFork) longestFork = ms;
  }
  const hostMs = performance.now() - start;
  // The replica keeps what it loaded as its dump.rdb (a disk load): the RDB the fork wrote.
  const rdbBytes = replica.disk.read(replica.config.dbFilename)?.length ?? 0;
  if (replica.keyspace.dbs[0].size !== keys) throw new Error(`the replica has ${replica.keyspace.dbs[0].size} keys, not ${keys}`);
  return { keys, rdbBytes, hostMs, longestEventMs: longest, longestEventWhat: longestWhat, longestForkEventMs: longestFork };
}

/** Which part of the sync an event about to run belongs to, as far as the nodes' states tell. */
function what(master: RedisNode, replica: RedisNode): string {
  const child = master.bgsave.child;
  const load = replica.loading ? 'replica loading' : `replica ${replica.replication.replica.state}`;
  if (child && !child.finished) return `fork (${child.keysWritten} of ${child.keysTotal} keys written), ${load}`;
  return load;
}
