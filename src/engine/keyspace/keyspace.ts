// A node's databases and the lookups commands go through: lazy expiry as
// db.c's expireIfNeeded does it (a master deletes an expired key when it is
// touched; a replica only hides it), and the hit/miss counters INFO shows.

import { Db, type KeyName } from './db.ts';
import type { RedisValue } from './value.ts';
import { touch, type AccessPolicy } from './lru.ts';

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
  /** Called when a read lookup finds no key (the `keymiss` keyspace event). */
  onMiss: (db: Db, key: KeyName) => void = () => {};
  /**
   * Set while a replica runs a command from its master: such commands see
   * logically expired keys as alive (the master decides what expired).
   */
  obeyingMaster = false;
  /** A replica with replica-read-only yes (the node sets this). */
  readOnlyReplica: () => boolean = () => true;
  /** Clients are paused (checkClientPauseTimeoutAndReturnIfPaused): nothing expires meanwhile. */
  paused: () => boolean = () => false;
  /** Every database is emptied (emptyData(-1)): a writable replica forgets the keys it was to expire. */
  onFlushAll: () => void = () => {};

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
   * key is deleted too; a replica keeps it and only reports it as expired,
   * unless `force` (a write lookup on a writable replica). While clients are
   * paused the dataset stays as it is.
   */
  expireIfNeeded(db: Db, key: KeyName, force = false): boolean {
    if (!this.isExpired(db, key)) return false;
    if (this.isReplica()) {
      if (this.obeyingMaster) return false;
      if (!force) return true;
    }
    if (this.paused()) return true;
    this.deleteExpired(db, key);
    return true;
  }

  /** deleteExpiredKeyAndPropagate: the key goes, counted in expired_keys, and the deletion is propagated. */
  deleteExpired(db: Db, key: KeyName): void {
    db.delete(key);
    this.stats.expiredKeys++;
    this.onExpired(db, key);
  }

  /** What values' access times follow (keyspace/lru.ts): the node's policy, clock and RNG. */
  get access(): AccessPolicy | null {
    return this.dbs[0].access;
  }

  set access(policy: AccessPolicy | null) {
    for (const db of this.dbs) db.access = policy;
  }

  /**
   * lookupKeyRead: expiry, then hit/miss counting; the value's access time
   * is updated unless `noTouch` (LOOKUP_NOTOUCH: TYPE, EXISTS, TTL, OBJECT),
   * and a miss is a `keymiss` event unless `noNotify` (LOOKUP_NONOTIFY: OBJECT).
   */
  lookupRead(db: Db, key: KeyName, noTouch = false, noNotify = false): RedisValue | undefined {
    const value = this.expireIfNeeded(db, key) ? undefined : db.peek(key);
    if (value) {
      if (!noTouch && db.access) touch(value, db.access);
      this.stats.keyspaceHits++;
    } else {
      this.stats.keyspaceMisses++;
      if (!noNotify) this.onMiss(db, key);
    }
    return value;
  }

  /**
   * lookupKeyWrite: expiry, no counting. A writable replica deletes an
   * expired key it writes to (EXPIRE_FORCE_DELETE_EXPIRED), so that the
   * write sees it gone as a read does.
   *
   * The one way to get a value to change in place (a collection's push,
   * add, remove; a string's append): a value from lookupRead or db.peek
   * must never be changed. While a fork's child saves, the snapshot keeps
   * the key as it was before handing it out (keyspace/snapshot.ts).
   */
  lookupWrite(db: Db, key: KeyName): RedisValue | undefined {
    if (this.expireIfNeeded(db, key, !this.readOnlyReplica())) return undefined;
    db.snapshot?.preserve(key);
    const value = db.peek(key);
    if (value && db.access) touch(value, db.access);
    if (value && db.onWrite !== null) db.onWrite(db, key);
    return value;
  }

  /** FLUSHALL: empties every database; returns how many keys were removed. */
  flushAll(): number {
    this.onFlushAll();
    let n = 0;
    for (const db of this.dbs) n += db.flush();
    return n;
  }
}
