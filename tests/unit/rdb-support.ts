// Helpers of the RDB value tests (rdb-collections, rdb-sets): a node
// configuration, and rdbLoadObject of one value with its failure as data.
import { NodeConfig } from '../../src/engine/config.ts';
import type { RedisValue } from '../../src/engine/keyspace/value.ts';
import { RdbError, RdbReader, readObject } from '../../src/engine/rdb/reader.ts';

export function config(change: Partial<NodeConfig> = {}): NodeConfig {
  return Object.assign(new NodeConfig(), change);
}

/** rdbLoadObject of one value of `type` from `bytes`: the value, null for an empty key, or the RdbError. */
export function decode(type: number, bytes: readonly number[] | Uint8Array, cfg = config()): RedisValue | null | RdbError {
  try {
    return readObject(new RdbReader(Uint8Array.from(bytes)), type, { config: cfg }, 0, 'k');
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw e;
  }
}

/** The error's kind, message and rdb.c line. */
export const failure = (v: RedisValue | null | RdbError) => (v instanceof RdbError ? [v.kind, v.message, v.details.line] : v);
