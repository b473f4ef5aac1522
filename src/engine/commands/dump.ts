// DUMP and RESTORE (cluster.c of Redis 7.0.15), over the RDB code in
// src/engine/rdb/ (SAVE, BGSAVE and LASTSAVE are in persistence.ts).
// Checks run in Redis's order, so the same error wins when several apply: RESTORE parses its options, then refuses an existing
// key (unless REPLACE), then parses the TTL, then verifies the payload's
// footer, then decodes the value.
//
// IDLETIME and FREQ set the restored value's access time as
// objectSetLRUOrLFU does (keyspace/lru.ts): the one the maxmemory-policy
// uses counts, the other is ignored.
//
// Replication: RESTORE counts one change when it stores a key (or when
// REPLACE deleted one and the TTL had already passed), and propagates a
// relative TTL as the absolute time with ABSTTL appended, as restoreCommand
// does. What a real 7.0.15 master propagates is in tests/golden/dump.stream.
import type { Handler } from './context.ts';
import { parseLongLong } from './args.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, lowerAscii } from '../bytes.ts';
import { expireTime, keyName } from '../keyspace/db.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { createDumpPayload, loadDumpPayload, verifyDumpPayload } from '../rdb/dump.ts';
import { UnsupportedValueError } from '../rdb/writer.ts';
import { rdbTypeKind } from '../rdb/format.ts';
import { setLruOrLfu } from '../keyspace/lru.ts';

/** An option as strcasecmp sees it: lower-cased and cut at its first NUL. */
const option = (arg: Uint8Array): string => lowerAscii(cString(arg));

// The words RESTORE's rewrites use (shared.del, shared.absttl in server.c).
const DEL_WORD = fromLatin1('DEL');
const ABSTTL_WORD = fromLatin1('ABSTTL');

/** DUMP key: the payload, or nil when the key does not exist (lookupKeyRead counts the hit or miss). */
const dump: Handler = ({ argv, reply, db, keyspace, node }) => {
  const key = keyName(argv[1]);
  const value = keyspace.lookupRead(db, key);
  if (!value) return reply.nil();
  let payload: Uint8Array;
  try {
    payload = createDumpPayload(value, node.config.rdbCompression, db.id, key);
  } catch (e) {
    if (!(e instanceof UnsupportedValueError)) throw e;
    node.options.log.warning(`DUMP of a ${e.valueType} value is not supported by this engine yet`);
    return reply.error(Err.dumpUnsupportedType(e.valueType));
  }
  reply.bulk(payload);
};

/** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
const restore: Handler = ({ argv, reply, db, keyspace, node, client }) => {
  let replace = false;
  let absttl = false;
  let lruIdle = -1n;
  let lfuFreq = -1n;
  for (let j = 4; j < argv.length; j++) {
    const additional = argv.length - j - 1;
    const opt = option(argv[j]);
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'absttl') {
      absttl = true;
    } else if (opt === 'idletime' && additional >= 1 && lfuFreq === -1n) {
      const v = parseLongLong(argv[j + 1]);
      if (!v.ok) return reply.error(v.error);
      lruIdle = BigInt(v.value);
      if (lruIdle < 0n) return reply.error(Err.invalidIdletime);
      j++;
    } else if (opt === 'freq' && additional >= 1 && lruIdle === -1n) {
      const v = parseLongLong(argv[j + 1]);
      if (!v.ok) return reply.error(v.error);
      lfuFreq = BigInt(v.value);
      if (lfuFreq < 0n || lfuFreq > 255n) return reply.error(Err.invalidFreq);
      j++;
    } else {
      return reply.error(Err.syntax);
    }
  }

  const key = keyName(argv[1]);
  if (!replace && keyspace.lookupWrite(db, key)) return reply.error(Err.busyKey);

  const parsedTtl = parseLongLong(argv[2]);
  if (!parsedTtl.ok) return reply.error(parsedTtl.error);
  let ttl = BigInt(parsedTtl.value);
  if (ttl < 0n) return reply.error(Err.invalidTtl);

  const payload = argv[3];
  if (!verifyDumpPayload(payload)) return reply.error(Err.dumpPayloadInvalid);

  const loaded = loadDumpPayload(payload, { config: node.config }, db.id, key);
  if (!loaded.ok) {
    if (loaded.unsupported) {
      node.options.log.warning(`RESTORE: ${loaded.unsupported.message}`);
      return reply.error(Err.restoreUnsupportedType(rdbTypeKind(loaded.unsupported.details.type ?? -1)));
    }
    return reply.error(Err.badDataFormat);
  }

  const deleted = replace && db.delete(key);

  // ttl += mstime() in 64-bit arithmetic: a huge TTL wraps, as in C, and
  // then reads as already expired.
  if (ttl !== 0n && !absttl) ttl = BigInt.asIntN(64, ttl + BigInt(keyspace.nowMs));
  // checkAlreadyExpired: a replica keeps the key and waits for its master's DEL.
  if (ttl !== 0n && ttl <= BigInt(keyspace.nowMs) && !keyspace.isReplica()) {
    // Nothing is stored. When REPLACE deleted a key, that deletion is the
    // change, propagated as DEL key (always DEL: Redis does not look at
    // the lazyfree settings here); otherwise nothing changed.
    if (deleted) {
      client.propagateAs = [DEL_WORD, argv[1]];
      notifyKeyspaceEvent(node, NOTIFY.g, 'del', argv[1], db.id);
      node.dirty++;
    }
    return reply.ok();
  }

  db.set(key, loaded.value);
  if (ttl !== 0n) {
    db.setExpire(key, expireTime(ttl));
    if (!absttl) {
      // The TTL as the absolute time it became, with ABSTTL after every
      // other argument, so replicas agree on the instant.
      const rewritten = [...argv, ABSTTL_WORD];
      rewritten[2] = fromLatin1(String(ttl));
      client.propagateAs = rewritten;
    }
  }
  if (db.access) setLruOrLfu(loaded.value, lfuFreq, lruIdle, db.access);
  notifyKeyspaceEvent(node, NOTIFY.g, 'restore', argv[1], db.id);
  node.dirty++;
  reply.ok();
};

// RESTORE-ASKING is RESTORE with the ASKING flag, which only a cluster node looks at.
export const dumpHandlers: Record<string, Handler> = { dump, restore, 'restore-asking': restore };
