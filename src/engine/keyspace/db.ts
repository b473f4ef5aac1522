// One of a node's databases (SELECT 0..15): the main dictionary and the
// expires dictionary. Keys are binary; the maps are keyed by the key's bytes
// as a string of one char per byte, which keeps every byte value intact.

import { latin1 } from '../bytes.ts';
import type { RedisValue } from './value.ts';

export type KeyName = string;

/** The map key for a key's bytes. */
export function keyName(bytes: Uint8Array): KeyName {
  return latin1(bytes);
}

export class Db {
  readonly dict = new Map<KeyName, RedisValue>();
  /** Absolute expire times in unix milliseconds. */
  readonly expires = new Map<KeyName, number>();

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

  getExpire(key: KeyName): number | undefined {
    return this.expires.get(key);
  }

  setExpire(key: KeyName, whenMs: number): void {
    this.expires.set(key, whenMs);
  }

  removeExpire(key: KeyName): boolean {
    return this.expires.delete(key);
  }

  /** Removes every key; returns how many there were. */
  flush(): number {
    const n = this.dict.size;
    this.dict.clear();
    this.expires.clear();
    return n;
  }
}
