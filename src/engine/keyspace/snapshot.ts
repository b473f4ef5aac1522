// A fork's copy-on-write view of the keyspace: what a child process sees
// of the databases while the parent keeps serving writes. Redis gets this
// from fork(2) for free (the kernel copies a page the first time either
// side writes it); here the snapshot keeps, the first time a key is about
// to change after the fork, whatever the child needs of it as it was, and
// the parent then changes its own value freely.
//
// The choke points are in Db (set, delete, setExpire, removeExpire, flush,
// swapWith) and Keyspace.lookupWrite (a value handed out to be changed in
// place): each tells the snapshot holding that database's maps before the
// change. Commands need nothing special as long as they follow the rule
// stated in keyspace.ts: a value is changed in place only when it came
// from lookupWrite.
//
// The snapshot is taken per pair of maps (dict and expires), not per
// database number: SWAPDB swaps the pairs, FLUSHDB/FLUSHALL give the
// database new maps and leave the old ones to the snapshot, and a swapdb
// load swaps new maps in; the child keeps reading the maps of the fork.

import type { ExpireTime, KeyGuard, KeyName } from './db.ts';
import type { Keyspace } from './keyspace.ts';
import type { RedisValue } from './value.ts';

/**
 * What the child will need of a key the parent is about to change, made
 * while the key still holds its value of the fork (the saver serializes it).
 */
export type Preserver<K> = (db: number, key: KeyName, value: RedisValue, expire: ExpireTime | undefined) => K;

/**
 * One database as it was at the fork. Its keys are read from the live map
 * in its order (insertion order, what a save at the fork would write) a
 * piece at a time by pull(): nothing is copied at the fork itself. A new
 * value keeps a key's place in the map, and a key added since the fork
 * comes after every key of the fork (and is known as added); only a
 * deletion moves the order, so the first deletion while keys are left to
 * read reads all of them first.
 */
export class DbSnapshot<K> implements KeyGuard {
  /** The keys of the fork, in order, and their values when read: the first `read` are filled. */
  readonly keys: KeyName[];
  readonly values: RedisValue[];
  /** How many keys were read so far. */
  read = 0;
  readonly size: number;
  readonly expiresSize: number;
  /**
   * Keys changed since the fork: what was kept of them, or null for a key
   * that did not exist at the fork (added since: nothing to keep). A key
   * kept here may no longer hold its value of `values` (changed in place).
   */
  readonly kept = new Map<KeyName, K | null>();
  /** The map's entries not read yet; null once all were. */
  private rest: Iterator<[KeyName, RedisValue]> | null;

  constructor(
    /** The database's number at the fork (its SELECTDB in the file). */
    readonly id: number,
    /** The maps of the fork: the live ones until the database lets them go (flush). */
    readonly dict: ReadonlyMap<KeyName, RedisValue>,
    readonly expires: ReadonlyMap<KeyName, ExpireTime>,
    private readonly preserver: Preserver<K>,
  ) {
    this.rest = dict.entries();
    this.size = dict.size;
    this.expiresSize = expires.size;
    // Their final size is known: no copies as they grow (a million keys are big arrays for the collector).
    this.keys = new Array<KeyName>(this.size);
    this.values = new Array<RedisValue>(this.size);
  }

  /** Reads up to `n` more keys of the fork; true once every one was read. */
  pull(n: number): boolean {
    const it = this.rest;
    if (!it || n <= 0) return it === null;
    const { keys, values, kept } = this;
    let got = 0;
    // for-of over the map's own iterator (a break leaves it where it stopped): no allocation per entry.
    for (const [key, value] of { [Symbol.iterator]: () => it }) {
      if (kept.size > 0 && kept.get(key) === null) continue; // added since the fork
      keys[this.read] = key;
      values[this.read++] = value;
      if (++got === n) return false;
    }
    this.rest = null;
    return true;
  }

  /** Before `key` changes in these maps: keep it as it is, the first time only. */
  preserve(key: KeyName, deleting = false): void {
    if (deleting && this.rest) this.pull(Infinity);
    if (this.kept.has(key)) return;
    const value = this.dict.get(key);
    this.kept.set(key, value === undefined ? null : this.preserver(this.id, key, value, this.expires.get(key)));
  }
}

/** Every non-empty database at the fork, in SELECTDB order. */
export class KeyspaceSnapshot<K> {
  readonly dbs: readonly DbSnapshot<K>[];
  /** dbTotalServerKeyCount at the fork (INFO current_save_keys_total). */
  readonly totalKeys: number;
  private released = false;

  constructor(
    private readonly keyspace: Keyspace,
    preserver: Preserver<K>,
  ) {
    const dbs: DbSnapshot<K>[] = [];
    let total = 0;
    for (const db of keyspace.dbs) {
      if (db.size === 0) continue;
      const part = new DbSnapshot(db.id, db.dict, db.expires, preserver);
      db.snapshot = part;
      dbs.push(part);
      total += part.size;
    }
    this.dbs = dbs;
    this.totalKeys = total;
  }

  /** The child is gone: the databases stop telling it about changes. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const parts: ReadonlySet<KeyGuard> = new Set(this.dbs);
    for (const db of this.keyspace.dbs) if (db.snapshot && parts.has(db.snapshot)) db.snapshot = null;
  }
}
