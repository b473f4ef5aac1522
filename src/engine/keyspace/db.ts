// One of a node's databases (SELECT 0..15): the main dictionary and the
// expires dictionary. Keys are binary; the maps are keyed by the key's bytes
// as a string of one char per byte, which keeps every byte value intact.

import { latin1 } from '../bytes.ts';
import type { RedisValue } from './value.ts';
import { ExpireOrder } from './expire-order.ts';
import { stampNew, type AccessPolicy } from './lru.ts';

export type KeyName = string;

/**
 * An absolute expire time in unix ms. Redis keeps it as a long long; a
 * bigint holds the times beyond Number.MAX_SAFE_INTEGER (PEXPIREAT k
 * 9223372036854775807 must read back exactly), a number every other one;
 * setExpire() stores the canonical form (expireTime()).
 */
export type ExpireTime = number | bigint;

/** The canonical ExpireTime for a value: a number when it is exactly one. */
export function expireTime(ms: number | bigint): ExpireTime {
  if (typeof ms === 'number') return ms;
  return ms >= -9007199254740991n && ms <= 9007199254740991n ? Number(ms) : ms;
}

/** The map key for a key's bytes. */
export function keyName(bytes: Uint8Array): KeyName {
  return latin1(bytes);
}

/**
 * A fork's copy-on-write snapshot holding a database's maps
 * (keyspace/snapshot.ts): told before any key in them changes.
 */
export interface KeyGuard {
  /** `deleting`: the key leaves the map (which changes the map's order, unlike a new value). */
  preserve(key: KeyName, deleting?: boolean): void;
}

export class Db {
  /** The main dictionary. Not readonly only so that swapWith and flush can replace it. */
  dict = new Map<KeyName, RedisValue>();
  /** Absolute expire times in unix milliseconds. */
  expires = new Map<KeyName, ExpireTime>();
  /** The snapshot of a running fork that holds these maps; it follows them (swapWith, flush). */
  snapshot: KeyGuard | null = null;
  /**
   * What the active expiry cycle keeps per database (expire.ts): avg_ttl
   * (INFO keyspace) and the order and cursor of its sampling of `expires`.
   * Redis resets both when the db is emptied and swaps them with the dicts.
   */
  avgTtl: number | bigint = 0;
  expireOrder = new ExpireOrder();
  /** Called when a key gets an expire time (setExpire): a writable replica remembers the keys it gave one (expire.ts). */
  onSetExpire: ((db: Db, key: KeyName) => void) | null = null;
  /** Called when set() adds a key that was not there (dbAdd: the `new` keyspace event). */
  onAdd: ((db: Db, key: KeyName) => void) | null = null;
  /**
   * Called before a key's value is replaced (set) or removed (delete,
   * flush, swapWith): dbOverwrite and dbGenericDelete signal a stream that
   * goes, for the clients blocked in XREADGROUP on it. Set only while such
   * clients wait (commands/stream-read.ts), so the common path pays a null test.
   */
  onUnlink: ((db: Db, key: KeyName, old: RedisValue) => void) | null = null;
  /**
   * Called for each key a command may have changed (set, delete, a TTL set
   * or removed, a value taken for writing): what signalModifiedKey would
   * name if the command changed the dataset. Set only while some client
   * WATCHes a key (see RedisNode.call), so the common path pays a null test.
   */
  onWrite: ((db: Db, key: KeyName) => void) | null = null;
  /** How values stored here get their access time (keyspace/lru.ts); none for a load's scratch databases. */
  access: AccessPolicy | null = null;

  constructor(readonly id: number) {}

  get size(): number {
    return this.dict.size;
  }

  /** The value, without looking at expiry (see Keyspace for lookups that do). */
  peek(key: KeyName): RedisValue | undefined {
    return this.dict.get(key);
  }

  /** Sets a key's value; the TTL is dropped unless keepTtl (setKey in db.c). */
  set(key: KeyName, value: RedisValue, keepTtl = false): void {
    this.snapshot?.preserve(key);
    if (this.onUnlink !== null) this.unlinking(key);
    if (this.access) stampNew(value, this.access);
    const size = this.dict.size;
    this.dict.set(key, value);
    if (!keepTtl) this.expires.delete(key);
    if (this.dict.size > size) this.onAdd?.(this, key);
    if (this.onWrite !== null) this.onWrite(this, key);
  }

  delete(key: KeyName): boolean {
    this.snapshot?.preserve(key, true);
    if (this.onUnlink !== null) this.unlinking(key);
    this.expires.delete(key);
    const deleted = this.dict.delete(key);
    if (deleted && this.onWrite !== null) this.onWrite(this, key);
    return deleted;
  }

  private unlinking(key: KeyName): void {
    const old = this.dict.get(key);
    if (old !== undefined) this.onUnlink?.(this, key, old);
  }

  getExpire(key: KeyName): ExpireTime | undefined {
    return this.expires.get(key);
  }

  setExpire(key: KeyName, whenMs: ExpireTime): void {
    this.snapshot?.preserve(key);
    const size = this.expires.size;
    this.expires.set(key, expireTime(whenMs));
    if (this.expires.size > size) this.expireOrder.added(key);
    this.onSetExpire?.(this, key);
    if (this.onWrite !== null) this.onWrite(this, key);
  }

  removeExpire(key: KeyName): boolean {
    this.snapshot?.preserve(key);
    const removed = this.expires.delete(key);
    if (removed && this.onWrite !== null) this.onWrite(this, key);
    return removed;
  }

  /**
   * SWAPDB (dbSwapDatabases in db.c): the two databases exchange their
   * dictionaries; each keeps its id, so clients stay on their index.
   */
  swapWith(other: Db): void {
    // scanDatabaseForDeletedStreams: a stream that the swap replaces with something else goes, on either side.
    for (const [a, b] of [[this, other], [other, this]] as const) {
      if (a.onUnlink === null) continue;
      for (const [key, v] of a.dict) if (v.type === 'stream' && b.dict.get(key)?.type !== 'stream') a.onUnlink(a, key, v);
    }
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.snapshot, other.snapshot] = [other.snapshot, this.snapshot];
    [this.avgTtl, other.avgTtl] = [other.avgTtl, this.avgTtl];
    [this.expireOrder, other.expireOrder] = [other.expireOrder, this.expireOrder];
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.dict.size;
    if (this.onUnlink !== null) for (const [key, v] of this.dict) if (v.type === 'stream') this.onUnlink(this, key, v);
    if (this.snapshot) {
      // A fork still reads these maps: they stay its own, and this database starts new ones.
      this.dict = new Map();
      this.expires = new Map();
      this.snapshot = null;
    } else {
      this.dict.clear();
      this.expires.clear();
    }
    this.avgTtl = 0;
    this.expireOrder = new ExpireOrder();
    return n;
  }
}
