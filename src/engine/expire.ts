// Active expiry: keys with a TTL vanish without being touched, as
// expire.c of Redis 7.0.15 makes them vanish.
//
// - The slow cycle runs from serverCron at every tick (hz), the fast cycle
//   from beforeSleep; both only on a master (a replica waits for its
//   master's DELs), never while clients are paused, and not at all after
//   DEBUG SET-ACTIVE-EXPIRE 0.
// - Each cycle visits up to CRON_DBS_PER_CALL databases, from where the last
//   one stopped; in each it samples 20 keys of the expires dict at a time
//   (more with active-expire-effort), deletes the expired ones, and samples
//   again while more than 10% of a sample had expired.
// - A deletion is an expiry like a lazy one: expired_keys counts it and a
//   DEL (UNLINK with lazyfree-lazy-expire) goes to the replicas, each one
//   bare, never wrapped in MULTI/EXEC (propagate_no_multi).
// - The running estimates INFO shows are Redis's: avg_ttl per database (a
//   98/2 running average of the sampled TTLs) and expired_stale_perc (95/5).
//
// Sampling. Redis walks its expires dict bucket by bucket with a cursor
// that persists across cycles (db->expires_cursor), so a full sweep visits
// every key once, in the order of the keys' hashes. The engine's cursor
// walks an order of its own with the same properties
// (keyspace/expire-order.ts); the order differs, as it differs between two
// real servers (a per-process hash seed). Redis's skip of a dict under 1%
// full (before its resize) has no counterpart: the order stays dense.
//
// Time. The cycle stops at a time limit (25% of a cron period for the slow
// cycle, 1 ms for the fast one), measured by the CPU time it used. A
// command takes no virtual time here, so the cycle counts
// EXPIRE_COST_PER_KEY_US of CPU per key it samples instead; this bounds the
// work of one cycle as it bounds Redis's, and feeds
// expired_time_cap_reached_count and expire_cycle_cpu_milliseconds.
//
// A writable replica (replica-read-only no) expires the keys it gave a TTL
// itself, by a client's command (expireSlaveKeys, rememberSlaveKeyWithExpire):
// its master knows nothing of them. INFO's slave_expires_tracked_keys counts
// them.

import type { RedisNode } from './node.ts';
import type { Db, KeyName } from './keyspace/db.ts';

/** CRON_DBS_PER_CALL. */
const CRON_DBS_PER_CALL = 16;
const KEYS_PER_LOOP = 20;
const FAST_DURATION_US = 1000;
const SLOW_TIME_PERC = 25;
const ACCEPTABLE_STALE = 10;

/**
 * The CPU a cycle spends per sampled key, in microseconds. Measured on
 * redis-server 7.0.15 (this machine): 1,000,000 keys expiring together were
 * deleted at 1.6 to 2.3 µs of expire_cycle_cpu_milliseconds each, about
 * 300,000 keys a second at hz 10; 1 µs a key keeps that pace with the slow
 * cycle's 25 ms per tick.
 */
export const EXPIRE_COST_PER_KEY_US = 1;

const INT64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** C's long long division (truncated), on a number or a bigint. */
function div(a: number | bigint, b: number): number | bigint {
  return typeof a === 'bigint' ? a / BigInt(b) : Math.trunc(a / b);
}

export class ActiveExpire {
  /** server.active_expire_enabled: DEBUG SET-ACTIVE-EXPIRE. */
  enabled = true;
  /** server.stat_expired_stale_perc: a fraction, 0 to 1. */
  stalePerc = 0;
  /** server.stat_expired_time_cap_reached_count. */
  timeCapReachedCount = 0;
  /** server.stat_expire_cycle_time_used, in µs. */
  cycleTimeUsedUs = 0;
  private currentDb = 0;
  private timelimitExit = false;
  private lastFastCycleUs = 0;
  /**
   * slaveKeysWithExpire: key name to a bitmap of the databases (0..63) it
   * got an expire in. An array beside it, for the random draws of
   * dictGetRandomKey.
   */
  private readonly slaveKeys = new Map<KeyName, { dbids: bigint; index: number }>();
  private readonly slaveKeyList: KeyName[] = [];

  constructor(private readonly node: RedisNode) {}

  /** databasesCron's part: the slow cycle on a master, the writable replica's own keys on a replica. */
  cron(): void {
    if (!this.enabled) return;
    if (this.node.replication.isReplica) this.expireSlaveKeys();
    else this.cycle('slow');
  }

  /** beforeSleep's part: the fast cycle, on a master. */
  beforeSleep(): void {
    if (this.enabled && !this.node.replication.isReplica) this.cycle('fast');
  }

  /** activeExpireCycle. */
  cycle(type: 'slow' | 'fast'): void {
    const node = this.node;
    const effort = node.config.activeExpireEffort - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
    const fastDuration = FAST_DURATION_US + (FAST_DURATION_US / 4) * effort;
    const slowTimePerc = SLOW_TIME_PERC + 2 * effort;
    const acceptableStale = ACCEPTABLE_STALE - effort;
    const start = node.options.clock.unixUs ?? node.options.clock.unixMs * 1000;

    if (node.paused) return;
    if (type === 'fast') {
      // Redis compares the stale fraction (0..1) with a percentage here, so
      // only a slow cycle that hit its time limit lets a fast one run.
      if (!this.timelimitExit && this.stalePerc < acceptableStale) return;
      if (start < this.lastFastCycleUs + fastDuration * 2) return;
      this.lastFastCycleUs = start;
    }
    const dbs = node.keyspace.dbs;
    let dbsPerCall = CRON_DBS_PER_CALL;
    if (dbsPerCall > dbs.length || this.timelimitExit) dbsPerCall = dbs.length;
    const hz = Math.max(1, node.config.hz);
    let timelimit = type === 'fast' ? fastDuration : Math.trunc((slowTimePerc * 1_000_000) / hz / 100);
    if (timelimit <= 0) timelimit = 1;
    this.timelimitExit = false;

    let totalSampled = 0;
    let totalExpired = 0;
    let iteration = 0;
    const now = node.keyspace.nowMs;
    for (let j = 0; j < dbsPerCall && !this.timelimitExit; j++) {
      const db = dbs[this.currentDb % dbs.length];
      this.currentDb++;
      let expired = 0;
      let sampled = 0;
      do {
        iteration++;
        const size = db.expires.size;
        if (size === 0) {
          db.avgTtl = 0;
          break;
        }
        const num = Math.min(size, keysPerLoop);
        expired = 0;
        sampled = 0;
        let ttlSum: bigint = 0n;
        let ttlSamples = 0;
        while (sampled < num) {
          const entry = db.expireOrder.next(db.expires);
          if (!entry) break;
          const [key, when] = entry;
          const ttl = typeof when === 'bigint' || Math.abs(when) > Number.MAX_SAFE_INTEGER ? INT64(BigInt(when) - BigInt(now)) : BigInt(when - now);
          if (now > when) {
            node.keyspace.deleteExpired(db, key);
            expired++;
          }
          if (ttl > 0n) {
            ttlSum = INT64(ttlSum + ttl);
            ttlSamples++;
          }
          sampled++;
        }
        totalExpired += expired;
        totalSampled += sampled;
        if (ttlSamples) this.updateAvgTtl(db, ttlSum / BigInt(ttlSamples));
        // Once every 16 iterations: the time used so far against the limit.
        if ((iteration & 0xf) === 0 && totalSampled * EXPIRE_COST_PER_KEY_US > timelimit) {
          this.timelimitExit = true;
          this.timeCapReachedCount++;
          break;
        }
      } while (sampled === 0 || Math.trunc((expired * 100) / sampled) > acceptableStale);
    }
    this.cycleTimeUsedUs += totalSampled * EXPIRE_COST_PER_KEY_US;
    const currentPerc = totalSampled ? totalExpired / totalSampled : 0;
    this.stalePerc = currentPerc * 0.05 + this.stalePerc * 0.95;
  }

  /** avg_ttl: the sample's mean weighs 2%, the previous estimate 98%, in C's integer arithmetic. */
  private updateAvgTtl(db: Db, sampleAvg: bigint): void {
    const fits = sampleAvg >= -9007199254740991n && sampleAvg <= 9007199254740991n;
    const avg: number | bigint = fits ? Number(sampleAvg) : sampleAvg;
    let current = db.avgTtl;
    if (current === 0 || current === 0n) current = avg;
    const next = INT64(BigInt(div(current, 50)) * 49n + BigInt(div(avg, 50)));
    db.avgTtl = next >= -9007199254740991n && next <= 9007199254740991n ? Number(next) : next;
  }

  // --- writable replicas

  /** How many keys a writable replica tracks (INFO slave_expires_tracked_keys). */
  get slaveKeysCount(): number {
    return this.slaveKeys.size;
  }

  /**
   * setExpire's rememberSlaveKeyWithExpire: a client (not the master, not a
   * load) gave a key an expire time on a writable replica.
   */
  keyGotExpire(db: Db, key: KeyName): void {
    const node = this.node;
    if (!node.inCommand || node.loading || node.keyspace.obeyingMaster) return;
    if (!node.replication.isReplica || node.config.replicaReadOnly) return;
    if (db.id > 63) return;
    let entry = this.slaveKeys.get(key);
    if (!entry) {
      entry = { dbids: 0n, index: this.slaveKeyList.length };
      this.slaveKeys.set(key, entry);
      this.slaveKeyList.push(key);
    }
    entry.dbids |= 1n << BigInt(db.id);
  }

  /** flushSlaveKeysWithExpireList: FLUSHALL, a full sync's load. */
  forgetSlaveKeys(): void {
    this.slaveKeys.clear();
    this.slaveKeyList.length = 0;
  }

  private dropSlaveKey(key: KeyName): void {
    const entry = this.slaveKeys.get(key);
    if (!entry) return;
    this.slaveKeys.delete(key);
    const last = this.slaveKeyList.pop()!;
    if (last !== key) {
      this.slaveKeyList[entry.index] = last;
      this.slaveKeys.get(last)!.index = entry.index;
    }
  }

  /**
   * expireSlaveKeys: draws tracked keys at random and expires those whose
   * time has come, in every database their bitmap names; stops after the
   * fourth that cannot expire yet, or at its 1 ms limit (counted as the
   * cycle counts CPU).
   */
  private expireSlaveKeys(): void {
    if (this.slaveKeys.size === 0) return;
    const node = this.node;
    const now = node.keyspace.nowMs;
    const dbs = node.keyspace.dbs;
    let cycles = 0;
    let noexpire = 0;
    for (;;) {
      const key = this.slaveKeyList[node.options.random.below(this.slaveKeyList.length)];
      const entry = this.slaveKeys.get(key)!;
      let dbids = entry.dbids;
      let next = 0n;
      for (let id = 0; dbids && id < dbs.length; id++, dbids >>= 1n) {
        if ((dbids & 1n) === 0n) continue;
        const db = dbs[id];
        const when = db.getExpire(key);
        if (when === undefined) continue;
        if (now > when) {
          node.keyspace.deleteExpired(db, key);
        } else {
          noexpire++;
          next |= 1n << BigInt(id);
        }
      }
      if (next) entry.dbids = next;
      else this.dropSlaveKey(key);
      cycles++;
      if (noexpire > 3) break;
      if (cycles % 64 === 0 && cycles * EXPIRE_COST_PER_KEY_US > 1000) break;
      if (this.slaveKeys.size === 0) break;
    }
  }
}
