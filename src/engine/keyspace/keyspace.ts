// A node's databases and the lookups commands go through: lazy expiry as
// db.c's expireIfNeeded does it (a master deletes an expired key when it is
// touched; a replica only hides it), and the hit/miss counters INFO shows.

import { Db, type KeyName } from './db.ts';
import type { RedisValue } from './value.ts';

export interface KeyspaceClock {
  /** Unix time in ms as the node sees it. */
  readonly unixMs: number;
  /** Unix time in microseconds, where the clock has that resolution (MONITOR's timestamps). */
  readonly unixUs?: number;
}

export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
}

export class Keyspace {
  readonly dbs: Db[];
  readonly stats: KeyspaceStats = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0 };
  /**
   * Called when a master deletes a key because it expired, so that the
   * deletion can be propagated (a DEL in the replication stream).
   */
  onExpired: (db: Db, key: KeyName) => void = () => {};
  /**
   * Set while a replica runs a command from its master: such commands see
   * logically expired keys as alive (the master decides what expired).
   */
  obeyingMaster = false;

  constructor(
    databases: number,
    private readonly clock: KeyspaceClock,
    /**
     * A replica never deletes expired keys itself; its master sends the DEL.
     * Public because commands ask too (EXPIRE into the past, RANDOMKEY).
     */
    readonly isReplica: () => boolean = () => false,
  ) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Db(i));
  }

  get nowMs(): number {
    return this.clock.unixMs;
  }

  /** keyIsExpired: the key has a TTL and it is in the past. */
  isExpired(db: Db, key: KeyName): boolean {
    const when = db.getExpire(key);
    return when !== undefined && this.nowMs > when;
  }

  /**
   * expireIfNeeded: true when the key is logically expired. On a master the
   * key is deleted too; a replica keeps it and only reports it as expired.
   */
  expireIfNeeded(db: Db, key: KeyName): boolean {
    if (!this.isExpired(db, key)) return false;
    if (this.obeyingMaster) return false;
    if (this.isReplica()) return true;
    db.delete(key);
    this.stats.expiredKeys++;
    this.onExpired(db, key);
    return true;
  }

  /** lookupKeyRead: expiry, then hit/miss counting. */
  lookupRead(db: Db, key: KeyName): RedisValue | undefined {
    const value = this.expireIfNeeded(db, key) ? undefined : db.peek(key);
    if (value) this.stats.keyspaceHits++;
    else this.stats.keyspaceMisses++;
    return value;
  }

  /** lookupKeyWrite: expiry, no counting. */
  lookupWrite(db: Db, key: KeyName): RedisValue | undefined {
    return this.expireIfNeeded(db, key) ? undefined : db.peek(key);
  }

  /** FLUSHALL: empties every database; returns how many keys were removed. */
  flushAll(): number {
    let n = 0;
    for (const db of this.dbs) n += db.flush();
    return n;
  }
}
