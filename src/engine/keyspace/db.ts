// One of a node's databases (SELECT 0..15): the main dictionary and the
// expires dictionary. Keys are binary; the maps are keyed by the key's bytes
// as a string of one char per byte, which keeps every byte value intact.

import { latin1 } from '../bytes.ts';
import type { RedisValue } from './value.ts';

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

export class Db {
  /** The main dictionary. Not readonly only so that swapWith can exchange it. */
  dict = new Map<KeyName, RedisValue>();
  /** Absolute expire times in unix milliseconds. */
  expires = new Map<KeyName, ExpireTime>();

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
    this.dict.set(key, value);
    if (!keepTtl) this.expires.delete(key);
  }

  delete(key: KeyName): boolean {
    this.expires.delete(key);
    return this.dict.delete(key);
  }

  getExpire(key: KeyName): ExpireTime | undefined {
    return this.expires.get(key);
  }

  setExpire(key: KeyName, whenMs: ExpireTime): void {
    this.expires.set(key, expireTime(whenMs));
  }

  removeExpire(key: KeyName): boolean {
    return this.expires.delete(key);
  }

  /**
   * SWAPDB (dbSwapDatabases in db.c): the two databases exchange their
   * dictionaries; each keeps its id, so clients stay on their index.
   */
  swapWith(other: Db): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.dict.size;
    this.dict.clear();
    this.expires.clear();
    return n;
  }
}
