// rewriteAppendOnlyFileRio (aof.c of 7.0.15): the dataset as the commands
// that rebuild it, the base of an AOF under aof-use-rdb-preamble no. A "#TS:"
// annotation first under aof-timestamp-enabled, FUNCTION LOAD per library,
// then per non-empty database a SELECT and per key: SET; RPUSH, SADD, ZADD
// (scores "%.17g"), HMSET in commands of at most 64 elements; a stream as
// XADD per entry (XADD MAXLEN 0 0-1 x y for an empty one), XSETID with
// ENTRIESADDED and MAXDELETEDID, XGROUP CREATE ... ENTRIESREAD per group,
// XCLAIM ... JUSTID FORCE per pending entry and XGROUP CREATECONSUMER for a
// consumer without any; PEXPIREAT after a key with a TTL. Keys, and members
// of hash tables, come in the engine's order (Redis's follows its dicts).
import type { RedisNode } from '../node.ts';
import type { RedisValue } from '../keyspace/value.ts';
import type { ExpireTime } from '../keyspace/db.ts';
import { encodeCommand } from '../resp/reply-reader.ts';
import { concatBytes, fromLatin1 } from '../bytes.ts';
import { setMembers } from '../keyspace/set.ts';
import { memberBytes } from '../keyspace/zset.ts';
import { formatScore } from '../keyspace/zset-score.ts';
import { fieldBytes } from '../keyspace/hash.ts';
import { MAX_ID, formatId } from '../keyspace/stream-id.ts';
import { rangeEntryFields, sortedByName, streamRange, type StreamValue } from '../keyspace/stream.ts';
import { libraryCodes } from '../commands/functions.ts';

/** AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64;

const b = fromLatin1;
const W = {
  SET: b('SET'), RPUSH: b('RPUSH'), SADD: b('SADD'), ZADD: b('ZADD'), HMSET: b('HMSET'), SELECT: b('SELECT'),
  XADD: b('XADD'), XSETID: b('XSETID'), XGROUP: b('XGROUP'), XCLAIM: b('XCLAIM'), CREATE: b('CREATE'),
  CREATECONSUMER: b('CREATECONSUMER'), ENTRIESADDED: b('ENTRIESADDED'), MAXDELETEDID: b('MAXDELETEDID'),
  ENTRIESREAD: b('ENTRIESREAD'), MAXLEN: b('MAXLEN'), TIME: b('TIME'), RETRYCOUNT: b('RETRYCOUNT'), JUSTID: b('JUSTID'),
  FORCE: b('FORCE'), PEXPIREAT: b('PEXPIREAT'), FUNCTION: b('FUNCTION'), LOAD: b('LOAD'),
};

/** The commands that rebuild the node's dataset now. */
export function rewriteAsCommands(node: RedisNode, timestampAnnotation: boolean): Uint8Array {
  const out: Uint8Array[] = [];
  const emit = (argv: readonly Uint8Array[]) => out.push(encodeCommand(argv));
  if (timestampAnnotation) out.push(b(`#TS:${Math.floor(node.options.clock.unixMs / 1000)}\r\n`));
  for (const code of libraryCodes(node)) emit([W.FUNCTION, W.LOAD, code]);
  for (const db of node.keyspace.dbs) {
    if (db.size === 0) continue;
    emit([W.SELECT, b(String(db.id))]);
    for (const [key, value] of db.dict) {
      const keyBytes = b(key);
      rewriteValue(emit, keyBytes, value);
      const expire: ExpireTime | undefined = db.getExpire(key);
      if (expire !== undefined) emit([W.PEXPIREAT, keyBytes, b(String(expire))]);
    }
  }
  return concatBytes(out);
}

/** Batches of at most 64 elements (pairs count as one), each command with its own element count. */
function batched(emit: (argv: readonly Uint8Array[]) => void, head: readonly Uint8Array[], items: readonly (readonly Uint8Array[])[]): void {
  for (let i = 0; i < items.length; i += ITEMS_PER_CMD) emit([...head, ...items.slice(i, i + ITEMS_PER_CMD).flat()]);
}

function rewriteValue(emit: (argv: readonly Uint8Array[]) => void, key: Uint8Array, value: RedisValue): void {
  switch (value.type) {
    case 'string':
      return emit([W.SET, key, value.bytes]);
    case 'list':
      return batched(emit, [W.RPUSH, key], value.list.toArray().map((e) => [e]));
    case 'set':
      return batched(emit, [W.SADD, key], [...setMembers(value)].map((m) => [m]));
    case 'zset': {
      const items: Uint8Array[][] = [];
      value.tree.forEach((score, member) => void items.push([b(formatScore(score)), memberBytes(member)]));
      return batched(emit, [W.ZADD, key], items);
    }
    case 'hash':
      return batched(emit, [W.HMSET, key], [...value.fields].map(([name, v]) => [fieldBytes(name), v]));
    case 'stream':
      return rewriteStream(emit, key, value);
  }
}

/** rewriteStreamObject. */
function rewriteStream(emit: (argv: readonly Uint8Array[]) => void, key: Uint8Array, s: StreamValue): void {
  const id = (v: bigint) => b(formatId(v));
  if (s.length > 0) {
    for (const e of streamRange(s, 0n, MAX_ID)) emit([W.XADD, key, id(e.id), ...rangeEntryFields(e)]);
  } else {
    // The XADD MAXLEN 0 trick: an empty stream.
    emit([W.XADD, key, W.MAXLEN, b('0'), id(1n), b('x'), b('y')]);
  }
  emit([W.XSETID, key, id(s.lastId), W.ENTRIESADDED, b(String(s.entriesAdded)), W.MAXDELETEDID, id(s.maxDeletedId)]);
  for (const g of sortedByName(s.groups)) {
    emit([W.XGROUP, W.CREATE, key, g.name, id(g.lastId), W.ENTRIESREAD, b(String(g.entriesRead))]);
    for (const c of sortedByName(g.consumers)) {
      if (c.pel.size === 0) {
        emit([W.XGROUP, W.CREATECONSUMER, key, g.name, c.name]);
        continue;
      }
      for (const [pid, nack] of c.pel.entries()) {
        emit([W.XCLAIM, key, g.name, c.name, b('0'), id(pid), W.TIME, b(String(nack.deliveryTime)), W.RETRYCOUNT, b(String(nack.deliveryCount)), W.JUSTID, W.FORCE]);
      }
    }
  }
}
