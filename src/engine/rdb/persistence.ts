// A node's RDB file: SAVE (rdbSave) and the load at start-up
// (loadDataFromDisk + rdbLoad), with the log lines redis-server 7.0.15
// writes for each, in its order and at its levels. Every line below was
// observed on the real server (a dump.rdb saved, then truncated, corrupted,
// given a bad checksum, signature, version or database index).

import { loadAppendOnlyFiles } from '../aof/load.ts';
import { cString, fromLatin1, latin1, strtoll } from '../bytes.ts';
import { Db, type ExpireTime, type KeyName } from '../keyspace/db.ts';
import { stampNew } from '../keyspace/lru.ts';
import type { RedisNode } from '../node.ts';
import { estimateUsedMemory } from '../memory.ts';
import { configValues } from '../config-values.ts';
import { RdbError, readRdb, readRdbSteps, type RdbReadResult, type RdbStep, type RdbStepLimits } from './reader.ts';
import { UnsupportedValueError, writeRdb, type ReplicationAux } from './writer.ts';
import { libraryCodes } from '../commands/functions.ts';
import { rdbFunctionLoader } from './functions.ts';

/** The outcome of SAVE. */
export type SaveResult = { ok: true; bytes: number } | { ok: false; error: UnsupportedValueError };

/** The bytes of an RDB of the node's keyspace now (what SAVE writes, what a full sync will send). */
export function rdbBytes(node: RedisNode, replication?: ReplicationAux): Uint8Array {
  return writeRdb(node.keyspace, {
    compression: node.config.rdbCompression,
    checksum: node.config.rdbChecksum,
    ctime: Math.floor(node.options.clock.unixMs / 1000),
    usedMem: estimateUsedMemory(node.keyspace, node.connectedClients),
    replication,
    functions: libraryCodes(node),
  });
}

/**
 * rdbSave: writes dbfilename on the node's disk (at once: Redis writes a
 * temp file and renames it, so the old file stays whole until then), logs
 * "DB saved on disk" and records the time for LASTSAVE. A value of a type
 * the engine cannot encode yet fails the save before anything is written.
 */
export function rdbSave(node: RedisNode): SaveResult {
  // A child killed just before (SHUTDOWN, FLUSHALL) writes its line while the parent is busy saving.
  node.bgsave.signalDelivered();
  let bytes: Uint8Array;
  try {
    // A master with a backlog, or a replica, writes its replication info
    // (rdbPopulateSaveInfo) so that a restart can continue its history.
    bytes = rdbBytes(node, node.replication.saveInfo() ?? undefined);
  } catch (e) {
    if (!(e instanceof UnsupportedValueError)) throw e;
    node.options.log.warning(saveFailureLine(e));
    return { ok: false, error: e };
  }
  node.disk.write(node.config.dbFilename, bytes);
  node.options.log.notice('DB saved on disk');
  node.lastSave = Math.floor(node.options.clock.unixMs / 1000);
  node.dirtyAtLastSave = node.dirty; // server.dirty = 0: INFO's rdb_changes_since_last_save starts again
  node.bgsave.lastBgsaveOk = true; // rdbSave sets lastbgsave_status too
  return { ok: true, bytes: bytes.length };
}

/** server.saveparamslen > 0: the `save` directive sets at least one save point. */
export function hasSavePoints(node: RedisNode): boolean {
  return configValues(node).text('save') !== '';
}

/**
 * flushAllDataAndResetRDB, once the data is gone: a running RDB child is
 * killed (its file would bring the old data back), and with save points
 * the now empty dataset is saved at once.
 */
export function resetRdbAfterFlushAll(node: RedisNode): void {
  node.bgsave.kill();
  if (hasSavePoints(node)) rdbSave(node);
}

/** The warning of a save that met a value the engine cannot write (where Redis would log a write error). */
export function saveFailureLine(e: UnsupportedValueError): string {
  return `Failed saving the DB: key '${printable(e.key)}' in DB ${e.db} holds a ${e.valueType} value, which this engine cannot write to an RDB file yet`;
}

/** What the replication fields of a loaded RDB said (for PSYNC after a restart, later). */
export interface LoadedReplicationInfo {
  streamDb: number;
  replId: string | null;
  offset: number;
}

export type LoadResult =
  /** No file (ENOENT): nothing is logged, the node starts empty. */
  | { ok: true; loaded: false }
  | { ok: true; loaded: true; keysLoaded: number; keysExpired: number; replication: LoadedReplicationInfo; rdb: RdbReadResult }
  /** The process must exit: the lines are logged already. */
  | { ok: false; error: RdbError | Error };

/**
 * loadDataFromDisk with appendonly off: loads dbfilename into the node's
 * (empty) keyspace. On a master, keys whose time has passed are dropped and
 * counted as expired. Any error ends the process, as in Redis, after the
 * lines Redis logs for it.
 */
export function loadDataFromDisk(node: RedisNode): LoadResult {
  if (node.aof.configured) return loadAofAtStart(node);
  const file = node.disk.read(node.config.dbFilename);
  if (!file) return { ok: true, loaded: false };
  const startMs = node.options.clock.unixMs;
  const result = rdbLoad(node, file, node.keyspace.dbs);
  if (!result.ok) return result;
  const seconds = (node.options.clock.unixMs - startMs) / 1000;
  node.options.log.notice(`DB loaded from disk: ${seconds.toFixed(3)} seconds`);
  return result;
}

/**
 * With appendonly yes (server.c main): the manifest, the AOF files (dump.rdb
 * is not read, however much it holds), then the files opened for writing,
 * created when there were none, and the history files removed.
 */
function loadAofAtStart(node: RedisNode): LoadResult {
  const aof = node.aof;
  if (!aof.loadManifest()) return { ok: false, error: new Error('bad AOF manifest') };
  const startMs = node.options.clock.unixMs;
  const status = loadAppendOnlyFiles(node, aof);
  if (status === 'failed' || status === 'open-error') return { ok: false, error: new Error('AOF loading failed') };
  if (status !== 'not-exist') {
    node.options.log.notice(`DB loaded from append only file: ${((node.options.clock.unixMs - startMs) / 1000).toFixed(3)} seconds`);
  }
  aof.openOnStart();
  aof.deleteHistory();
  return { ok: true, loaded: false };
}

/** An RDB in an AOF (its base, or an old preamble): loaded as rdbLoadRio loads it; the bytes it took. */
export function rdbLoadBytes(node: RedisNode, bytes: Uint8Array): { ok: true; length: number } | { ok: false } {
  const result = rdbLoad(node, bytes, node.keyspace.dbs);
  return result.ok && result.loaded ? { ok: true, length: result.rdb.length } : { ok: false };
}

/**
 * DEBUG RELOAD's rdbLoad: dbfilename into the node's databases as they are
 * (with `merge`, RDBFLAGS_ALLOW_DUP: a key of the file replaces the one
 * there). 'missing' when there is no file; false after the lines of an
 * error that ends the process.
 */
export function rdbLoadFile(node: RedisNode, merge: boolean): boolean | 'missing' {
  const file = node.disk.read(node.config.dbFilename);
  if (!file) return 'missing';
  return rdbLoad(node, file, node.keyspace.dbs, merge).ok;
}

/** A load in one step (start-up, DEBUG RELOAD: the process does nothing else meanwhile). */
const ALL_AT_ONCE: RdbStepLimits = { keys: Infinity, bytes: Infinity };

/** What a replica's load of its master's payload gives back. */
export type ReplicaLoadResult = { ok: true; streamDb: number; keysLoaded: number } | { ok: false };

/**
 * The load of a full sync's payload (rdbLoad with RDBFLAGS_REPLICATION, or
 * the diskless parser): the same lines as at start-up, without "DB loaded
 * from disk". With `swap` (repl-diskless-load swapdb) the data goes into
 * fresh databases that replace the old ones only when the load succeeded,
 * so a broken payload leaves the old data in place.
 */
export function loadRdbBytes(node: RedisNode, bytes: Uint8Array, options: { swap: boolean }): ReplicaLoadResult {
  const steps = loadRdbBytesSteps(node, bytes, options, ALL_AT_ONCE);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** loadRdbBytes in steps (see readRdbSteps) of a file in one array or in pieces; each step yields where the load stands. */
export function* loadRdbBytesSteps(
  node: RedisNode,
  file: Uint8Array | readonly Uint8Array[],
  options: { swap: boolean; auxLogged?: boolean },
  limits: RdbStepLimits,
): Generator<RdbStep, ReplicaLoadResult> {
  const target = options.swap ? node.keyspace.dbs.map((db) => new Db(db.id)) : node.keyspace.dbs;
  const result = yield* rdbLoadSteps(node, file, target, limits, false, options.auxLogged ?? false);
  if (!result.ok || !result.loaded) return { ok: false };
  if (options.swap) {
    // swapMainDbWithTempDb: watchers of keys in either database see their EXEC fail, tracking clients a flush.
    node.keyspace.dbs.forEach((db, i) => {
      node.watches.touchAllInDb(db, target[i]);
      db.swapWith(target[i]);
      // A key a client waits for may exist in the new data.
      node.blocking.scanDatabaseForReadyKeys(db);
    });
    node.tracking.invalidateOnFlush(null);
    node.expiry.forgetSlaveKeys();
  }
  return { ok: true, streamDb: result.replication.streamDb, keysLoaded: result.keysLoaded };
}

/** Thrown to stop reading a streamed RDB's beginning once its AUX fields are in. */
const AUX_DONE = Symbol('aux done');

/**
 * A diskless load's first lines: Redis parses the RDB as it comes off the
 * socket, so the AUX fields' lines ("Loading RDB produced by version ...",
 * "RDB age ...", "RDB memory usage when created ...") come as soon as the
 * AUX section is in. Logs them and returns true once it is (the load that
 * follows is then told not to log them again: auxLogged); false while more
 * bytes are needed.
 */
export function logStreamedAux(node: RedisNode, pieces: readonly Uint8Array[]): boolean {
  const lines: string[] = [];
  const replication: LoadedReplicationInfo = { streamDb: -1, replId: null, offset: -1 };
  const handler = {
    aux: auxHandler(node, node.options.clock.unixMs, replication, (line) => lines.push(line)),
    afterAux: () => {
      throw AUX_DONE;
    },
    key: () => {},
  };
  try {
    readRdb(pieces, { databases: node.keyspace.dbs.length, verifyChecksum: false, decode: { config: node.config } }, handler);
  } catch (e) {
    if (e !== AUX_DONE) return false; // cut short: wait for more
  }
  for (const line of lines) node.options.log.notice(line);
  return true;
}

/**
 * A diskless load whose connection failed: what rdbLoadRio met at the end
 * of the bytes that came (a short read, whose loading_loaded_bytes the
 * reader keeps as Redis does), or null when the RDB itself had come whole
 * and only the EOF mark after it was missing.
 */
export function streamedLoadError(node: RedisNode, pieces: readonly Uint8Array[]): RdbError | null {
  try {
    readRdb(pieces, { databases: node.keyspace.dbs.length, verifyChecksum: false, decode: { config: node.config } }, { key: () => {} });
    return null;
  } catch (e) {
    if (e instanceof RdbError) return e;
    throw e;
  }
}

/**
 * rdbLoad into `dbs`: the loader's lines at their levels, keys whose time
 * has passed dropped (and counted) on a master only. Any error is logged as
 * Redis logs it; the caller decides what follows (exit, or retry a sync).
 */
function rdbLoad(node: RedisNode, file: Uint8Array, dbs: readonly Db[], allowDup = false): LoadResult {
  const steps = rdbLoadSteps(node, file, dbs, ALL_AT_ONCE, allowDup);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * rdbLoad's AUX fields: the replication ones kept, the others logged as
 * Redis logs them (`notice` null when a streamed load logged them already,
 * as they came: streamedAuxLines).
 */
function auxHandler(node: RedisNode, nowMs: number, replication: LoadedReplicationInfo, notice: ((line: string) => void) | null): (k: Uint8Array, v: Uint8Array) => void {
  const log = node.options.log;
  const say = notice ?? (() => {});
  const debug = notice ? (line: string) => log.log('debug', line) : () => {};
  return (k, v) => {
    const key = latin1(cString(k));
    const value = latin1(cString(v));
    const name = key.toLowerCase(); // strcasecmp
    if (key.startsWith('%')) {
      // Information fields, logged at start-up.
      say(`RDB '${key}': ${value}`);
    } else if (name === 'repl-stream-db') {
      replication.streamDb = Number(strtol(value)); // atoi
    } else if (name === 'repl-id') {
      if (v.length === 40) replication.replId = latin1(v);
    } else if (name === 'repl-offset') {
      replication.offset = Number(strtol(value));
    } else if (name === 'lua' || name === 'redis-bits') {
      // Not loaded / just ignored.
    } else if (name === 'redis-ver') {
      say(`Loading RDB produced by version ${value}`);
    } else if (name === 'ctime') {
      let age = BigInt(Math.floor(nowMs / 1000)) - strtol(value);
      if (age < 0n) age = 0n;
      say(`RDB age ${age} seconds`);
    } else if (name === 'used-mem') {
      say(`RDB memory usage when created ${megabytes(strtol(value))} Mb`);
      // server.loading_rdb_used_mem: INFO's estimate of a load of unknown size.
      if (node.loadProgress) node.loadProgress.rdbUsedMem = Number(strtol(value));
    } else if (name === 'aof-preamble') {
      if (strtol(value) !== 0n) say('RDB has an AOF tail');
    } else if (name === 'aof-base') {
      if (strtol(value) !== 0n) say('RDB is base AOF');
    } else {
      debug(`Unrecognized RDB AUX field: '${key}'`);
    }
  };
}

function* rdbLoadSteps(
  node: RedisNode,
  file: Uint8Array | readonly Uint8Array[],
  dbs: readonly Db[],
  limits: RdbStepLimits,
  allowDup = false,
  auxLogged = false,
): Generator<RdbStep, LoadResult> {
  const log = node.options.log;
  const startMs = node.options.clock.unixMs;
  const nowMs = startMs; // mstime() taken once, before the first key
  const keyspace = node.keyspace;
  const isMaster = !keyspace.isReplica();
  const replication: LoadedReplicationInfo = { streamDb: -1, replId: null, offset: -1 };
  let keysLoaded = 0;
  let keysExpired = 0;
  let emptyKeysSkipped = 0;

  try {
    const rdb = yield* readRdbSteps(
      file,
      { databases: keyspace.dbs.length, verifyChecksum: node.config.rdbChecksum, decode: { config: node.config }, shareBytes: true },
      {
        function: rdbFunctionLoader(node, allowDup),
        aux: auxHandler(node, nowMs, replication, auxLogged ? null : (line) => log.notice(line)),
        key: (dbId: number, key: KeyName, value, expire: ExpireTime) => {
          const db = dbs[dbId];
          if (isMaster && expire !== -1 && expire < nowMs) {
            // REPLICATION: with RDBFLAGS_FEED_REPL a master feeds `DEL key`
            // (UNLINK under lazyfree-lazy-expire) to its new backlog here.
            keysExpired++;
            return;
          }
          // dbAddRDBLoad into a fresh keyspace: one lookup, a duplicate shows as an unchanged size.
          const before = db.dict.size;
          if (keyspace.access) stampNew(value, keyspace.access); // createObject's access time
          db.dict.set(key, value);
          if (db.dict.size === before) {
            if (!allowDup) throw new DuplicateKeyError(key, dbId);
            db.removeExpire(key); // RDBFLAGS_ALLOW_DUP: the key there is deleted, TTL and all
          }
          keysLoaded++;
          if (expire !== -1) db.setExpire(key, expire);
        },
        emptyKey: (_dbId: number, key: KeyName) => {
          // Files of older Redis versions could hold empty lists or hashes (#8453): skipped, the first ten logged.
          if (emptyKeysSkipped++ < 10) log.warning(`rdbLoadObject skipping empty key: ${printable(key)}`);
        },
      },
      limits,
    );
    if (rdb.checksum === 'zero') log.warning('RDB file was saved with checksum disabled: no check performed.');
    if (emptyKeysSkipped > 0) {
      log.warning(`Done loading RDB, keys loaded: ${keysLoaded}, keys expired: ${keysExpired}, empty keys skipped: ${emptyKeysSkipped}.`);
    } else {
      log.notice(`Done loading RDB, keys loaded: ${keysLoaded}, keys expired: ${keysExpired}.`);
    }
    // INFO persistence: rdb_last_load_keys_loaded / rdb_last_load_keys_expired.
    node.stats.lastLoadKeysLoaded = keysLoaded;
    node.stats.lastLoadKeysExpired = keysExpired;
    return { ok: true, loaded: true, keysLoaded, keysExpired, replication, rdb };
  } catch (e) {
    if (e instanceof DuplicateKeyError) {
      // serverPanic: the bug report that follows (stack trace, INFO) is left out.
      log.warning(`RDB has duplicated key '${printable(e.key)}' in DB ${e.db}`);
      log.warning('------------------------------------------------');
      log.warning('!!! Software Failure. Press left mouse button to continue');
      log.warning('Guru Meditation: Duplicated key found in RDB file #rdb.c:3184');
      return { ok: false, error: e };
    }
    if (!(e instanceof RdbError)) throw e;
    logLoadError(node, e);
    return { ok: false, error: e };
  }
}

class DuplicateKeyError extends Error {
  constructor(
    readonly key: KeyName,
    readonly db: number,
  ) {
    super(`duplicated key in DB ${db}`);
  }
}

/**
 * The lines Redis logs before it exits on a load error. rdbReportError logs
 * "Internal error in RDB reading offset N, function at rdb.c:L -> reason",
 * then runs redis-check-rdb on the file (its report goes to stdout, not to
 * the log) which exits; "Terminating server after rdb file reading failure."
 * follows only when the checker itself stops inside a string load (the
 * corrupt encodings), not when it finds the error on its own (a short read,
 * a bad type, a bad checksum).
 */
function logLoadError(node: RedisNode, e: RdbError): void {
  const log = node.options.log;
  const internal = () =>
    log.warning(`Internal error in RDB reading offset ${e.details.loadedBytes ?? 0}, function at rdb.c:${e.details.line} -> ${e.message}`);
  switch (e.kind) {
    case 'short-read':
      log.warning('Short read or OOM loading DB. Unrecoverable error, aborting now.');
      internal();
      break;
    case 'checksum':
      log.warning(`Wrong RDB checksum expected: (${e.details.expected!.toString(16)}) but got (${e.details.got!.toString(16)}). Aborting now.`);
      internal();
      break;
    case 'unknown-type':
      internal();
      break;
    case 'corrupt':
      internal();
      log.warning('Terminating server after rdb file reading failure.');
      break;
    case 'signature':
    case 'version':
      log.warning(e.message);
      log.warning('Fatal error loading the DB: Invalid argument. Exiting.');
      break;
    case 'db-range':
      log.warning(e.message);
      break;
    case 'unsupported': {
      const where = e.details.key !== undefined ? ` (key '${printable(e.details.key)}' in DB ${e.details.db})` : '';
      log.warning(`${e.message}${where}. This engine cannot load ${node.config.dbFilename}; exiting.`);
      break;
    }
  }
}

/** strtoll of an AUX value (a string of chars 0..255). */
function strtol(text: string): bigint {
  return strtoll(fromLatin1(text)).value;
}

/**
 * "%.2f" of (double) bytes / (1024*1024): the long long becomes the nearest
 * double, the division by 2^20 is exact, and printf rounds the exact binary
 * value to two decimals, a tie to even (toFixed would round a tie up).
 */
export function megabytes(bytes: bigint): string {
  const d = BigInt(Number(bytes)); // the conversion to double
  const negative = d < 0n;
  const scaled = (negative ? -d : d) * 100n;
  const unit = 1n << 20n;
  let q = scaled / unit;
  const r2 = (scaled % unit) * 2n;
  if (r2 > unit || (r2 === unit && q % 2n === 1n)) q++;
  const s = q.toString().padStart(3, '0');
  return `${negative ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

/** A key for a log line, as %s prints an sds: cut at its first NUL. */
function printable(key: KeyName): string {
  const nul = key.indexOf('\0');
  return nul < 0 ? key : key.slice(0, nul);
}
