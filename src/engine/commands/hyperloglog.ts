// HyperLogLog commands (the "hyperloglog" group of COMMAND DOCS), following
// hyperloglog.c of Redis 7.0.15; the representation is keyspace/hll.ts.
// An HLL is a string value: GET, SET, APPEND and the rest see its bytes,
// and the commands here refuse a string that is not one with "WRONGTYPE Key
// is not a valid HyperLogLog string value." and one whose sparse opcodes
// are corrupt with "INVALIDOBJ Corrupted HLL object detected".
//
// Replication: PFADD counts a change when a register moved (or the key was
// created), PFMERGE always, PFCOUNT of one key when it had to recompute the
// cardinality and wrote it into the header (a read-only command that writes
// all the same, so it is propagated as it was sent), PFDEBUG GETREG and
// TODENSE when they turned a sparse HLL dense.
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { patIndex, patLen } from '../keyspace/hll-hash.ts';
import { cString, latin1, lowerAscii } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import type { RedisValue, StringValue } from '../keyspace/value.ts';
import { byteAfter, commit, makeRaw, unshare, unshareCopy, unsharedCopy, type UnsharedString } from '../keyspace/unshared-string.ts';
import {
  HLL_DENSE,
  HLL_DENSE_SIZE,
  HLL_HDR_SIZE,
  HLL_REGISTERS,
  HLL_SPARSE,
  asLongLong,
  cachedCard,
  decodeSparse,
  denseRaise,
  denseGet,
  denseSet,
  hllAdd,
  hllCount,
  hllEncoding,
  invalidateCache,
  isHll,
  mergeInto,
  newHllBytes,
  rawCount,
  setCachedCard,
  setRegister,
  toDense,
} from '../keyspace/hll.ts';

const ONE = new Uint8Array([0x3a, 0x31, 0x0d, 0x0a]); // :1\r\n
const ZERO = new Uint8Array([0x3a, 0x30, 0x0d, 0x0a]); // :0\r\n

/** isHLLObjectOrReply: true for a valid HLL string; otherwise the error is sent. */
function checkHll(ctx: CommandContext, value: RedisValue): value is StringValue {
  if (value.type !== 'string') {
    ctx.reply.error(Err.wrongType);
    return false;
  }
  if (!isHll(value.bytes)) {
    ctx.reply.error(Err.hllWrongType);
    return false;
  }
  return true;
}

const maxSparseBytes = (ctx: CommandContext): number => ctx.node.config.hllSparseMaxBytes;

/** createHLLObject, as a string being written. */
function newHll(): UnsharedString {
  // Room for the first few sparse edits.
  return unsharedCopy(newHllBytes(), 48);
}

/** PFADD key [element ...]: 1 when a register changed or the key was created. */
const pfadd: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const key = keyName(argv[1]);
  const value = keyspace.lookupWrite(db, key);
  let updated = 0;
  let s: UnsharedString;
  if (value === undefined) {
    s = newHll();
    updated++;
  } else {
    if (!checkHll(ctx, value)) return;
    s = unshare(value);
  }
  const maxBytes = maxSparseBytes(ctx);
  for (let j = 2; j < argv.length; j++) {
    const result = hllAdd(s, argv[j], maxBytes);
    if (result === -1) {
      // What was written so far stays, uncounted, as in Redis.
      commit(db, key, s, value !== undefined);
      return reply.error(Err.hllInvalid);
    }
    updated += result;
  }
  if (updated) {
    invalidateCache(s.buf);
    ctx.node.dirty += updated;
  }
  commit(db, key, s, value !== undefined);
  if (updated) notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'pfadd', ctx.argv[1], db.id);
  reply.raw(updated ? ONE : ZERO);
};

/** PFCOUNT key [key ...]: the cardinality (of the union, for several keys). */
const pfcount: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  if (argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < argv.length; j++) {
      const value = keyspace.lookupRead(db, keyName(argv[j]));
      if (value === undefined) continue;
      if (!checkHll(ctx, value)) return;
      if (!mergeInto(max, value.bytes, byteAfter(value))) return reply.error(Err.hllInvalid);
    }
    return reply.integer(asLongLong(rawCount(max)));
  }
  const key = keyName(argv[1]);
  const value = keyspace.lookupRead(db, key);
  if (value === undefined) return reply.raw(ZERO);
  if (!checkHll(ctx, value)) return;
  const cached = cachedCard(value.bytes);
  const card = cached === null ? hllCount(value.bytes, byteAfter(value)) : null;
  if (cached !== null || card === null) {
    // dbUnshareStringValue all the same: the value becomes raw.
    makeRaw(db, key, value);
    return cached !== null ? reply.integer(cached) : reply.error(Err.hllInvalid);
  }
  // Looked up for reading: written on a copy.
  const s = unshareCopy(value);
  setCachedCard(s.buf, card);
  commit(db, key, s);
  ctx.node.dirty++;
  reply.integer(asLongLong(card));
};

/** PFMERGE destkey [sourcekey ...]: the destination (merged in too) becomes the union. */
const pfmerge: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < argv.length; j++) {
    const value = keyspace.lookupRead(db, keyName(argv[j]));
    if (value === undefined) continue;
    if (!checkHll(ctx, value)) return;
    if (hllEncoding(value.bytes) === HLL_DENSE) useDense = true;
    if (!mergeInto(max, value.bytes, byteAfter(value))) return reply.error(Err.hllInvalid);
  }
  const key = keyName(argv[1]);
  // The destination was checked with the sources.
  const value = keyspace.lookupWrite(db, key);
  const s = value === undefined ? newHll() : unshare(value as StringValue);
  // A dense source makes the destination dense at once.
  if (useDense && !toDense(s)) {
    commit(db, key, s, value !== undefined);
    return reply.error(Err.hllInvalid);
  }
  const maxBytes = maxSparseBytes(ctx);
  // Register by register, as Redis does: a sparse destination may turn dense on the way.
  for (let j = 0; j < HLL_REGISTERS; j++) if (max[j] !== 0) setRegister(s, j, max[j], maxBytes);
  invalidateCache(s.buf);
  commit(db, key, s, value !== undefined);
  // PFMERGE notifies pfadd (a mass add, as hyperloglog.c puts it).
  notifyKeyspaceEvent(ctx.node, NOTIFY.$, 'pfadd', ctx.argv[1], db.id);
  ctx.node.dirty++;
  reply.ok();
};

// --- PFSELFTEST and PFDEBUG

const HLL_TEST_CYCLES = 1000;

/**
 * PFSELFTEST: Redis's own self-test of this implementation, with the
 * node's seeded random stream for rand(). Registers written and read back
 * through the dense packing, then 10 million elements added to a dense and
 * a sparse HLL side by side: the sparse one must stay sparse while small,
 * both must count the same, and the error must stay within six standard
 * errors at every power of ten.
 */
const pfselftest: Handler = (ctx) => {
  const { reply } = ctx;
  const random = ctx.node.options.random;
  const rand = () => random.nextU32() & 0x7fffffff; // glibc's RAND_MAX is 2^31 - 1
  const dense = new Uint8Array(HLL_DENSE_SIZE);
  dense.set([0x48, 0x59, 0x4c, 0x4c, HLL_DENSE]);
  const expected = new Uint8Array(HLL_REGISTERS);
  for (let j = 0; j < HLL_TEST_CYCLES; j++) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const r = rand() & 63;
      expected[i] = r;
      denseSet(dense, i, r);
    }
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const got = denseGet(dense, i);
      if (got !== expected[i]) return reply.error(Err.pfselftestRegister(i, expected[i], got));
    }
  }
  dense.fill(0, HLL_HDR_SIZE);
  const sparse = newHll();
  const maxBytes = maxSparseBytes(ctx);
  const relerr = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  // The element: the 64-bit j ^ seed, little endian.
  const seedLo = rand();
  const seedHi = rand();
  const element = new Uint8Array(8);
  const view = new DataView(element.buffer);
  view.setUint32(4, seedHi, true);
  for (let j = 1; j <= 10000000; j++) {
    view.setUint32(0, (j ^ seedLo) >>> 0, true);
    // Redis hashes the element once for each HLL; the same hash serves both here.
    const count = patLen(element);
    denseRaise(dense, patIndex, count);
    setRegister(sparse, patIndex, count, maxBytes);
    if (j !== checkpoint) continue;
    if (j < Math.floor(maxBytes / 2) && hllEncoding(sparse.buf) !== HLL_SPARSE) return reply.error(Err.pfselftestSparse);
    const denseCard = hllCount(dense, 0);
    if (denseCard !== hllCount(sparse.bytes, sparse.after)) return reply.error(Err.pfselftestDisagree);
    let abserr = BigInt(checkpoint) - (denseCard ?? 0n);
    if (abserr < 0n) abserr = -abserr;
    const maxerr = j === 10 ? 1 : Math.ceil(relerr * 6 * checkpoint);
    if (abserr > BigInt(maxerr)) return reply.error(Err.pfselftestError(checkpoint, abserr));
    checkpoint *= 10;
  }
  reply.ok();
};

/** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key */
const pfdebug: Handler = (ctx) => {
  const { argv, reply, db, keyspace } = ctx;
  const sub = cString(argv[1]);
  const key = keyName(argv[2]);
  const value = keyspace.lookupWrite(db, key);
  if (value === undefined) return reply.error(Err.pfdebugNoKey);
  if (!checkHll(ctx, value)) return;
  // Unshared (so raw) whatever the subcommand turns out to be.
  const s = unshare(value);
  const name = lowerAscii(sub);
  const sparse = hllEncoding(s.buf) === HLL_SPARSE;
  // GETREG and TODENSE make a sparse HLL dense, a change that is propagated.
  const densify = sparse && (name === 'getreg' || name === 'todense');
  const corrupt = densify && !toDense(s);
  commit(db, key, s);
  if (corrupt) return reply.error(Err.hllInvalid);
  if (densify) ctx.node.dirty++;
  if (name === 'getreg') {
    reply.arrayHeader(HLL_REGISTERS);
    for (let j = 0; j < HLL_REGISTERS; j++) reply.integer(denseGet(s.buf, j));
  } else if (name === 'decode') {
    if (!sparse) return reply.error(Err.pfdebugNotSparse);
    reply.bulkText(decodeSparse(s.bytes, s.after));
  } else if (name === 'encoding') {
    reply.status(sparse ? 'sparse' : 'dense');
  } else if (name === 'todense') {
    reply.raw(densify ? ONE : ZERO);
  } else {
    reply.error(Err.pfdebugUnknown(latin1(sub)));
  }
};

export const hyperloglogHandlers: Record<string, Handler> = {
  pfadd,
  pfcount,
  pfmerge,
  pfselftest,
  pfdebug,
};
