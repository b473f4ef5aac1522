// INFO memory's figures. The engine does not allocate like Redis, so these
// are a model (object.c getMemoryOverheadData over the estimate of
// src/engine/memory.ts): used_memory is memory.ts's jemalloc-sized
// estimate of the keyspace and clients plus the replication buffer's
// blocks; the overhead and dataset split follow Redis's formulas; the
// allocator and RSS figures add what a fresh Debian redis-server 7.0.15
// showed beyond used_memory (jemalloc's own pages, the binary, the stack).
// The replication buffer figures (mem_replication_backlog,
// mem_total_replication_buffers, mem_clients_slaves) are the backlog's own
// block accounting and follow Redis's rules exactly.

import type { RedisNode } from '../node.ts';
import { Keyspace } from '../keyspace/keyspace.ts';
import { estimateUsedMemory } from '../memory.ts';

/** Measured on a fresh redis-server 7.0.15 (Debian 12, jemalloc 5.3.0): what lies beyond used_memory. */
const ALLOCATOR_EXTRA = 774552; // allocator_allocated - used_memory
const ALLOCATOR_FRAG_BYTES = 135968; // allocator_active - allocator_allocated
const ALLOCATOR_RSS_BYTES = 2670592; // allocator_resident - allocator_active
const RSS_EXTRA_BYTES = 2383872; // used_memory_rss - allocator_resident
/** functionsMemoryOverhead() of a server without functions (used_memory_functions). */
export const FUNCTIONS_CACHES = 200;
/** sizeof(dictEntry), sizeof(robj), a bucket pointer. */
const DICT_ENTRY = 24;
const ROBJ = 16;
const POINTER = 8;
/** sizeof(replBufBlock) + sizeof(listNode), and PROTO_REPLY_CHUNK_BYTES (freeMemoryGetNotCountedMemory). */
const BLOCK_OVERHEAD = 40 + 24;
const CHUNK = 16 * 1024;

export interface MemoryFigures {
  used: number;
  peak: number;
  startup: number;
  overhead: number;
  dataset: number;
  allocated: number;
  active: number;
  resident: number;
  rss: number;
  replBacklog: number;
  replBuffers: number;
  clientsSlaves: number;
  clientsNormal: number;
  notCountedForEvict: number;
}

/** dictSlots: the table size for n entries (a power of two, at least 4; 0 when empty). */
function slots(n: number): number {
  if (n === 0) return 0;
  let size = 4;
  while (size < n) size *= 2;
  return size;
}

const EMPTY = new WeakMap<RedisNode, Keyspace>();

export function memoryFigures(node: RedisNode): MemoryFigures {
  let empty = EMPTY.get(node);
  if (!empty) {
    empty = new Keyspace(0, node.options.clock);
    EMPTY.set(node, empty);
  }
  const startup = estimateUsedMemory(empty, 0);
  const perClient = estimateUsedMemory(empty, 1) - startup;
  const repl = node.replication;
  const replBuffers = repl.backlog ? repl.backlog.memory : 0;
  const slaves = repl.master.slaves.length;
  const normalClients = node.connectedClients - slaves;
  const used = estimateUsedMemory(node.keyspace, node.connectedClients) + replBuffers;

  // The replication buffer is the backlog's up to repl-backlog-size; beyond it, the replicas'.
  const backlogSize = repl.backlogSize();
  const clientsSlaves = slaves > 0 && replBuffers > backlogSize ? replBuffers - backlogSize : 0;
  const replBacklog = slaves > 0 && replBuffers > backlogSize ? backlogSize : replBuffers;
  const clientsNormal = normalClients * perClient;

  let overhead = startup + replBacklog + clientsSlaves + clientsNormal + FUNCTIONS_CACHES;
  for (const db of node.keyspace.dbs) {
    if (db.size === 0) continue;
    overhead += db.size * (DICT_ENTRY + ROBJ) + slots(db.size) * POINTER;
    overhead += db.expires.size * DICT_ENTRY + slots(db.expires.size) * POINTER;
  }

  let notCountedForEvict = 0;
  if (replBuffers > backlogSize) {
    const counted = backlogSize + (Math.trunc(backlogSize / CHUNK) + 1) * BLOCK_OVERHEAD;
    if (replBuffers > counted) notCountedForEvict = replBuffers - counted;
  }

  const stats = node.stats;
  if (used > stats.peakMemory) stats.peakMemory = used;
  const allocated = used + ALLOCATOR_EXTRA;
  const active = allocated + ALLOCATOR_FRAG_BYTES;
  const resident = active + ALLOCATOR_RSS_BYTES;
  return {
    used,
    peak: stats.peakMemory,
    startup,
    overhead,
    dataset: Math.max(0, used - overhead),
    allocated,
    active,
    resident,
    rss: resident + RSS_EXTRA_BYTES,
    replBacklog,
    replBuffers,
    clientsSlaves,
    clientsNormal,
    notCountedForEvict,
  };
}
