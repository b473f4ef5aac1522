// A node's configuration: the directives commands, encodings and
// replication read, with Redis 7.0.15's compiled-in defaults (checked with
// CONFIG GET on the real server, and in redis-facts.md section 10.2).
// Field names are the directives' names in camelCase; CONFIG GET/SET and
// redis.conf parsing map onto these fields.

export type DisklessLoad = 'disabled' | 'on-empty-db' | 'swapdb';

export class NodeConfig {
  databases = 16;
  hz = 10;
  protoMaxBulkLen = 536870912;
  /** Negative: a size limit per listpack node (-2 = 8 KB); positive: an entry count. */
  listMaxListpackSize = -2;
  listCompressDepth = 0;
  hashMaxListpackEntries = 512;
  hashMaxListpackValue = 64;
  setMaxIntsetEntries = 512;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  /** A stream's tail node takes no more entries once its listpack would reach this many bytes (0: 1 GB). */
  streamNodeMaxBytes = 4096;
  /** ... or once it holds this many entries, deleted ones included (0: no limit). */
  streamNodeMaxEntries = 100;
  /** A sparse HyperLogLog longer than this (header included) turns dense. */
  hllSparseMaxBytes = 3000;
  rdbCompression = true;
  rdbChecksum = true;
  dbFilename = 'dump.rdb';
  lazyfreeLazyExpire = false;
  /** notify-keyspace-events as its class bits (NOTIFY in config-types.ts); 0: no keyspace events. */
  notifyKeyspaceEvents = 0;
  /** 1..10: how hard the active expiry cycle works (expire.ts). */
  activeExpireEffort = 1;
  /** Bytes; 0 for no limit. Not enforced (no eviction yet); it decides whether small integers are shared objects. */
  maxmemory = 0;
  /** OBJECT IDLETIME / FREQ and the access time kept on values follow it (LRU or LFU). */
  maxmemoryPolicy = 'noeviction';
  lfuLogFactor = 10;
  lfuDecayTime = 1;
  /** DEBUG (and MODULE) are refused unless 'yes', or 'local' for a local connection. */
  enableDebugCommand = 'no';
  enableModuleCommand = 'no';
  /**
   * Not a directive: quicklist's process-wide packed_threshold, which only
   * DEBUG QUICKLIST-PACKED-THRESHOLD changes (an element this long or longer
   * gets a plain node of its own).
   */
  quicklistPackedThreshold = 1 << 30;

  // Replication (replication.c; redis-facts.md 10.2).
  masterauth = '';
  masteruser = '';
  replicaServeStaleData = true;
  replicaReadOnly = true;
  replDisklessSync = true;
  /** Seconds to wait for more replicas before a diskless fork. */
  replDisklessSyncDelay = 5;
  replDisklessSyncMaxReplicas = 0;
  replDisklessLoad: DisklessLoad = 'disabled';
  replPingReplicaPeriod = 10;
  replTimeout = 60;
  /** Bytes; the backlog never goes below 16 KB (resizeReplicationBacklog). */
  replBacklogSize = 1048576;
  replBacklogTtl = 3600;
  /** Microseconds; -1 turns the slow log off. */
  slowlogLogSlowerThan = 10000;
  slowlogMaxLen = 128;
  /** Milliseconds; 0 turns the latency monitor off. */
  latencyMonitorThreshold = 0;
  latencyTracking = true;
  replicaPriority = 100;
  replicaAnnounced = true;
  replicaAnnounceIp = '';
  replicaAnnouncePort = 0;
  minReplicasToWrite = 0;
  minReplicasMaxLag = 10;
}
