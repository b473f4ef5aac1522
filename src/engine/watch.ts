// WATCH (multi.c): the keys each client watches, and what makes its EXEC
// fail. Redis 7.0 remembers, per watched key, whether the key had already
// expired when it was WATCHed (watchedKey.expired): the deletion of such a
// key (by a lookup, FLUSHDB, SWAPDB with a database that lacks it) is no
// change to the watcher, while a key that expires after WATCH makes EXEC
// fail (isWatchedKeyExpired). The touch rules below follow 7.0.15 to the
// letter, the early `break` of touchWatchedKey included: when the first
// watcher in the list had watched the key expired and the key is still
// there, the watchers after it are not marked either.
import type { Client } from './client.ts';
import type { Db } from './keyspace/db.ts';
import type { Keyspace } from './keyspace/keyspace.ts';

/** A key of one database, as the watchers map and the client's list name it. */
const watchId = (db: number, key: string) => `${db}\n${key}`;

export class Watches {
  /** Watched keys ("<db>\n<key>") and the clients watching each, in the order they WATCHed (db->watched_keys). */
  private readonly byKey = new Map<string, Set<Client>>();

  constructor(
    private readonly keyspace: Keyspace,
    /** Some key is watched, or none is any more: the node notes writes while one is. */
    private readonly onAnyWatched: (any: boolean) => void,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  /** watchForKey: a key already watched stays as it is; a new one remembers whether it has expired. */
  watch(client: Client, db: number, key: string): void {
    const id = watchId(db, key);
    client.watching ??= new Map();
    if (client.watching.has(id)) return;
    client.watching.set(id, this.keyspace.isExpired(this.keyspace.dbs[db], key));
    let set = this.byKey.get(id);
    if (!set) {
      if (this.byKey.size === 0) this.onAnyWatched(true);
      this.byKey.set(id, (set = new Set()));
    }
    set.add(client);
  }

  /** unwatchAllKeys: the keys go; CLIENT_DIRTY_CAS is the caller's to clear. */
  unwatchKeys(client: Client): void {
    if (!client.watching) return;
    for (const id of client.watching.keys()) {
      const set = this.byKey.get(id);
      set?.delete(client);
      if (set && set.size === 0) this.byKey.delete(id);
    }
    client.watching = null;
    if (this.byKey.size === 0) this.onAnyWatched(false);
  }

  /** EXEC, DISCARD, UNWATCH, RESET and the connection's end: the keys and the dirty flag go. */
  unwatchAll(client: Client): void {
    this.unwatchKeys(client);
    client.dirtyCas = false;
  }

  /** isWatchedKeyExpired: a key that was alive when WATCHed has expired since (EXEC then fails). */
  expiredSinceWatch(client: Client): boolean {
    if (!client.watching) return false;
    for (const [id, expiredAtWatch] of client.watching) {
      if (expiredAtWatch) continue;
      const nl = id.indexOf('\n');
      if (this.keyspace.isExpired(this.keyspace.dbs[Number(id.slice(0, nl))], id.slice(nl + 1))) return true;
    }
    return false;
  }

  /** touchWatchedKey: the key was modified (or deleted). */
  touch(db: number, key: string): void {
    if (this.byKey.size === 0) return;
    const id = watchId(db, key);
    const set = this.byKey.get(id);
    if (!set) return;
    for (const c of set) {
      if (c.watching!.get(id)) {
        // Watched when already expired: its deletion is no logical change (the flag clears).
        if (this.keyspace.dbs[db].peek(key) === undefined) {
          c.watching!.set(id, false);
          continue;
        }
        break; // 7.0.15 leaves the loop here, not just this client
      }
      c.dirtyCas = true;
      // A dirty client has nothing more to watch (deleting from a Set being iterated is safe).
      this.unwatchKeys(c);
    }
  }

  /**
   * touchAllWatchedKeysInDb: FLUSHDB and FLUSHALL (before they empty `emptied`), SWAPDB and a
   * replica's swapdb load (`replacedWith` the database taking its place) mark the watchers of the keys
   * that exist in either.
   */
  touchAllInDb(emptied: Db, replacedWith: Db | null): void {
    if (this.byKey.size === 0) return;
    const prefix = `${emptied.id}\n`;
    for (const [id, clients] of this.byKey) {
      if (!id.startsWith(prefix)) continue;
      const key = id.slice(prefix.length);
      const inEmptied = emptied.peek(key) !== undefined;
      const inReplacement = replacedWith !== null && replacedWith.peek(key) !== undefined;
      if (!inEmptied && !inReplacement) continue;
      for (const c of clients) {
        if (c.watching!.get(id)) {
          // Watched expired: gone now is no change; replaced by a key that is expired too, neither.
          if (!inReplacement) {
            c.watching!.set(id, false);
            continue;
          }
          if (this.keyspace.isExpired(replacedWith!, key)) continue;
        } else if (!inEmptied && this.keyspace.isExpired(replacedWith!, key)) {
          // Nothing was there, and what comes has expired: watched as expired from now on.
          c.watching!.set(id, true);
          continue;
        }
        // Marked only: unwatching here would change the map being iterated (7.0.15 leaves it too).
        c.dirtyCas = true;
      }
    }
  }
}
