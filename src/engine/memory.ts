// An estimate of what zmalloc_used_memory() would say (INFO's used_memory,
// the used-mem AUX field of an RDB, "RDB memory usage when created" at
// load). The engine does not allocate like Redis, so this models the main
// allocations of a 7.0.15 server built with jemalloc: a base measured on a
// fresh redis-server 7.0.15 (914488 bytes with one client connected, about
// 47 KB of it the client), and per key the dict entry, the key's sds, the
// value object and the hash-table buckets. It is close for strings (100,000
// keys "key:N" = "value:N": 9.99 MB estimated, 9.96 MB on the real server)
// and a placeholder for other types.

import type { Keyspace } from './keyspace/keyspace.ts';
import type { RedisValue } from './keyspace/value.ts';

/** used_memory of a fresh redis-server 7.0.15 with no client connected. */
const BASE = 867064;
/** What one connected client adds (a redis-cli, idle). */
const PER_CLIENT = 47424;
/** The first key of a database (and the first TTL) allocates this much more (dict tables, measured). */
const PER_DICT = 24760;
/** A dictEntry is 24 bytes; jemalloc serves it from its 32-byte class. */
const DICT_ENTRY = 32;
const ROBJ = 16;
/** OBJ_SHARED_INTEGERS: integers below it share preallocated objects. */
const SHARED_INTEGERS = 10000;

/** jemalloc's size class for an allocation of n bytes. */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15 || 16;
  // Four classes per doubling above 128: 160, 192, 224, 256, 320, ...
  let group = 128;
  while (group * 2 < n) group *= 2;
  const step = group / 4;
  return Math.ceil(n / step) * step;
}

/** An sds string of n bytes: header (sdshdr5, 8, 16, 32) + bytes + NUL. */
function sdsSize(n: number): number {
  const header = n < 32 ? 1 : n < 256 ? 3 : n < 65536 ? 5 : 9;
  return mallocSize(header + n + 1);
}

function valueSize(value: RedisValue): number {
  if (value.type === 'string') {
    const n = value.bytes.length;
    if (value.encoding === 'int') {
      // A shared integer costs nothing; another is an robj holding the long.
      const v = Number(String.fromCharCode(...value.bytes));
      return v >= 0 && v < SHARED_INTEGERS ? 0 : ROBJ;
    }
    // embstr: robj and sdshdr8 in one allocation; raw: two.
    if (value.encoding === 'embstr') return mallocSize(ROBJ + 3 + n + 1);
    return ROBJ + sdsSize(n);
  }
  return ROBJ + 64; // other types: a placeholder until their groups estimate themselves
}

function buckets(n: number): number {
  if (n === 0) return 0;
  let size = 4;
  while (size < n) size *= 2;
  return size * 8;
}

/** The estimate for a node's keyspace and its connected clients. */
export function estimateUsedMemory(keyspace: Keyspace, clients: number): number {
  let total = baseMemory(clients);
  for (const db of keyspace.dbs) {
    if (db.size === 0) continue;
    total += dbTablesMemory(db.size, db.expires.size);
    for (const [key, value] of db.dict) total += keyMemory(key, value);
  }
  return total;
}

// The parts of the estimate, for a fork's child that sums them over its
// snapshot a piece at a time (rdb/bgsave.ts) instead of in one pass.

/** The server with `clients` connections and no keys. */
export function baseMemory(clients: number): number {
  return BASE + clients * PER_CLIENT;
}

/** A non-empty database's hash tables (main and expires) for this many keys and TTLs. */
export function dbTablesMemory(size: number, expiresSize: number): number {
  let total = PER_DICT + buckets(size);
  if (expiresSize > 0) total += PER_DICT + buckets(expiresSize) + expiresSize * DICT_ENTRY;
  return total;
}

/** One key: its dict entry, its name's sds and its value. */
export function keyMemory(key: string, value: RedisValue): number {
  return DICT_ENTRY + sdsSize(key.length) + valueSize(value);
}
