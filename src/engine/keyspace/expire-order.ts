// The order in which the active expiry cycle (expire.ts) samples a
// database's volatile keys, and where its last sample stopped.
//
// Redis samples the expires dict bucket by bucket with a cursor that
// persists across cycles (db->expires_cursor): a sweep visits every key
// once, in the order of the keys' hashes, which has nothing to do with the
// order they were written in. That matters: keys written one after the
// other with growing TTLs would, sampled in insertion order, always show
// the cycle the keys that have not expired yet, and it would stop early.
//
// Here the order is an array the cursor walks. A key that gets its first
// expire time is placed at a position drawn from a hash of its name (the
// key there moves to the end), which shuffles the array as an inside-out
// Fisher-Yates shuffle would. A key that loses its expire time is not
// looked for: its slot is dropped when the cursor meets it (stale slots
// cost nothing but a step, as empty buckets do in Redis), and the array is
// rebuilt from the live keys when stale slots outnumber them.

import type { ExpireTime, KeyName } from './db.ts';

/** FNV-1a over a key's bytes (one char per byte). */
function hashKey(key: KeyName): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class ExpireOrder {
  private keys: KeyName[] = [];
  private cursor = 0;

  /** A key got an expire time it did not have. */
  added(key: KeyName): void {
    const keys = this.keys;
    keys.push(key);
    const j = hashKey(key) % keys.length;
    if (j !== keys.length - 1) {
      keys[keys.length - 1] = keys[j];
      keys[j] = key;
    }
  }

  /**
   * The next volatile key under the cursor and its expire time, from the
   * start again after the end; null when there is none.
   */
  next(expires: ReadonlyMap<KeyName, ExpireTime>): [KeyName, ExpireTime] | null {
    const keys = this.keys;
    if (keys.length > 2 * expires.size + 64) this.rebuild(expires);
    for (;;) {
      if (keys.length === 0 || expires.size === 0) return null;
      if (this.cursor >= keys.length) this.cursor = 0;
      const key = keys[this.cursor];
      const when = expires.get(key);
      if (when !== undefined) {
        this.cursor++;
        return [key, when];
      }
      // A stale slot: the last key takes its place and is looked at next.
      keys[this.cursor] = keys[keys.length - 1];
      keys.pop();
    }
  }

  /** Only the live keys, once each, in their order. */
  private rebuild(expires: ReadonlyMap<KeyName, ExpireTime>): void {
    const seen = new Set<KeyName>();
    const live: KeyName[] = [];
    let cursor = 0;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (!expires.has(key) || seen.has(key)) continue;
      seen.add(key);
      if (i < this.cursor) cursor++;
      live.push(key);
    }
    this.keys = live;
    this.cursor = cursor;
  }
}
