// One place per value type: how each type of the keyspace is written into
// an RDB (its type byte and its encoding) and how each RDB type byte is
// read back. The writer, the reader, SAVE, DUMP and RESTORE go through
// these two tables only, so a type joins by adding its codec file next to
// string.ts and one line to each table below.
//
// A keyspace type with no encoder cannot be saved or dumped yet (SAVE and
// DUMP answer an error and log a warning); an RDB type byte with no decoder
// cannot be loaded or restored yet.

import type { NodeConfig } from '../config.ts';
import type { RedisType, RedisValue } from '../keyspace/value.ts';
import type { RdbReader } from './reader.ts';
import type { RdbWriter } from './writer.ts';
import {
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './format.ts';
import { hashDecoder, hashEncoder } from './hash.ts';
import { listDecoder, listEncoder } from './list.ts';
import { setDecoder, setEncoder } from './set.ts';
import { streamDecoder, streamEncoder } from './stream.ts';
import { stringDecoder, stringEncoder } from './string.ts';
import { zsetDecoder, zsetEncoder } from './zset.ts';

/** Writes values of one keyspace type (rdbSaveObjectType + rdbSaveObject). */
export interface ValueEncoder<V extends RedisValue> {
  /** The RDB type byte for this value (it may depend on its encoding). */
  rdbType(value: V): number;
  /** The value after its type byte and key. */
  write(w: RdbWriter, value: V): void;
}

/** What decoding may depend on: the directives that pick a value's encoding. */
export interface DecodeContext {
  readonly config: Readonly<NodeConfig>;
}

/** Reads the values of one or more RDB type bytes (rdbLoadObject). */
export interface ValueDecoder {
  /** The value; null when it holds nothing (an empty list or hash: rdbLoadObject's "emptykey"). */
  read(r: RdbReader, rdbType: number, ctx: DecodeContext): RedisValue | null;
}

type Encoders = { [T in RedisType]?: ValueEncoder<Extract<RedisValue, { type: T }>> };

/** Keyspace type -> encoder. */
const ENCODERS: Encoders = {
  string: stringEncoder,
  list: listEncoder,
  hash: hashEncoder,
  set: setEncoder,
  zset: zsetEncoder,
  stream: streamEncoder,
};

/** RDB type byte -> decoder. */
const DECODERS: ReadonlyMap<number, ValueDecoder> = new Map([
  [RDB_TYPE_STRING, stringDecoder],
  ...[RDB_TYPE_LIST, RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_LIST_QUICKLIST, RDB_TYPE_LIST_QUICKLIST_2].map((t) => [t, listDecoder] as const),
  ...[RDB_TYPE_HASH, RDB_TYPE_HASH_ZIPMAP, RDB_TYPE_HASH_ZIPLIST, RDB_TYPE_HASH_LISTPACK].map((t) => [t, hashDecoder] as const),
  ...[RDB_TYPE_SET, RDB_TYPE_SET_INTSET].map((t) => [t, setDecoder] as const),
  ...[RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_ZSET_LISTPACK].map((t) => [t, zsetDecoder] as const),
  ...[RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2].map((t) => [t, streamDecoder] as const),
]);

export function encoderFor(value: RedisValue): ValueEncoder<RedisValue> | undefined {
  return ENCODERS[value.type] as ValueEncoder<RedisValue> | undefined;
}

export function decoderFor(rdbType: number): ValueDecoder | undefined {
  return DECODERS.get(rdbType);
}

/** Whether values of this keyspace type can be written (SAVE, DUMP). */
export function canEncode(type: RedisType): boolean {
  return ENCODERS[type] !== undefined;
}
