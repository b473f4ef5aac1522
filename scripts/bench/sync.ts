// The simulator's full sync budget (DESIGN.md section 4): a replica of a
// master holding N small keys, over a link with unlimited bandwidth, from
// REPLICAOF to a connected link. Measures the host time it costs and the
// longest stretch the host spends inside one simulated event (what a
// browser frame or a terminal would wait for).
import { World } from '../../src/sim/world.ts';
import { stringValue } from '../../src/engine/keyspace/value.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';

export interface SyncResult {
  keys: number;
  rdbBytes: number;
  hostMs: number;
  longestEventMs: number;
}

const text = new TextEncoder();

export function runSimFullSync(keys: number): SyncResult {
  const world = new World();
  const master = world.node(6379)!;
  const db = master.keyspace.dbs[0];
  for (let i = 0; i < keys; i++) db.dict.set(`key:${i}`, stringValue(text.encode(`value:${i}`)));
  master.config.replDisklessSyncDelay = 0;
  let rdbBytes = 0;
  world.onReplicationEvent((e) => {
    if (e.event.kind === 'bgsave') rdbBytes = e.event.rdbBytes;
  });
  const replica = world.node(6380)!;
  const conn = world.connectExternal(6380, { data() {}, closed() {} })!;
  const start = performance.now();
  let longest = 0;
  conn.write(encodeCommand(['REPLICAOF', '127.0.0.1', '6379'].map((s) => text.encode(s))));
  while (replica.replication.replica.state !== 'connected') {
    const next = world.nextEventTime();
    if (next === undefined) throw new Error('the full sync stalled');
    const t = performance.now();
    world.runUntil(next);
    longest = Math.max(longest, performance.now() - t);
  }
  const hostMs = performance.now() - start;
  if (replica.keyspace.dbs[0].size !== keys) throw new Error(`the replica has ${replica.keyspace.dbs[0].size} keys, not ${keys}`);
  return { keys, rdbBytes, hostMs, longestEventMs: longest };
}
