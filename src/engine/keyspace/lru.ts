// The access time every value carries (robj->lru, 24 bits), as evict.c and
// object.c of Redis 7.0.15 keep it: OBJECT IDLETIME, OBJECT FREQ and DEBUG
// OBJECT read it.
//
// - Under an LRU maxmemory-policy (or none) it is the LRU clock when the
//   value was created or last touched: unix seconds modulo 2^24, as of the
//   last serverCron tick (server.lruclock), so idle times advance by cron.
// - Under an LFU policy it is the minute of the last decrement (16 bits)
//   and a logarithmic access counter (8 bits), which starts at 5, grows
//   with probability 1/((counter-5)*lfu-log-factor+1) on each access (a draw
//   from the node's RNG, as Redis draws rand()) and loses one per
//   lfu-decay-time minutes without access.
// A value is stamped when it is stored (Db.set, RDB load), touched by the
// lookups commands make (not those of TYPE, EXISTS, TTL, OBJECT and SCAN's
// TYPE filter, which look without touching: LOOKUP_NOTOUCH).
//
// The integers 0..9999 kept as strings are, in Redis, shared objects made
// at start-up (unless maxmemory is set with an LRU or LFU policy): every
// key holding one shares its access time, which dates from the start and
// moves when any of them is touched. The node keeps those 10,000 times.
//
// While a fork's child runs, lookups touch nothing (Redis spares the
// copy-on-write pages).

import type { RedisValue } from './value.ts';

export const LRU_CLOCK_MAX = (1 << 24) - 1;
/** LRU_CLOCK_RESOLUTION: the clock counts seconds. */
const LRU_CLOCK_RESOLUTION = 1000;
export const LFU_INIT_VAL = 5;

/** A value as it carries its access time (a property set on whatever value object is stored). */
interface Aged {
  lru?: number;
}

/** What the access time follows: the node's configuration, clock and RNG. */
export interface AccessPolicy {
  /** maxmemory-policy is one of the LFU ones. */
  lfu(): boolean;
  /** server.lruclock: the LRU clock as of the last cron tick. */
  lruClock(): number;
  /** server.unixtime in seconds. */
  unixtime(): number;
  lfuLogFactor(): number;
  lfuDecayTime(): number;
  /** rand()/RAND_MAX: a draw in [0, 1]. */
  random(): number;
  /** MAXMEMORY_FLAG_NO_SHARED_INTEGERS applies: maxmemory is set and the policy is an LRU or LFU one. */
  noSharedIntegers(): boolean;
  /** The access times of the shared integers 0..9999 (robj->lru of shared.integers). */
  sharedLru(): Int32Array;
  /** hasActiveChildProcess: a fork's child runs. */
  childActive(): boolean;
}

/** OBJ_SHARED_INTEGERS. */
export const SHARED_INTEGERS = 10000;

/**
 * The shared integer object a value is, by its number, or -1: a string kept
 * as an integer 0..9999 (tryObjectEncoding), unless maxmemory is set with an
 * LRU or LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS), judged now.
 */
export function sharedSlot(value: RedisValue, policy: Pick<AccessPolicy, 'noSharedIntegers'>): number {
  if (value.type !== 'string' || value.encoding !== 'int' || value.bytes.length > 4 || value.bytes[0] === 0x2d) return -1;
  if (policy.noSharedIntegers()) return -1;
  let n = 0;
  for (const b of value.bytes) n = n * 10 + b - 0x30;
  return n;
}

/** getLRUClock: unix ms to the 24-bit LRU clock. */
export function lruClockAt(unixMs: number): number {
  return Math.floor(unixMs / LRU_CLOCK_RESOLUTION) & LRU_CLOCK_MAX;
}

/** LFUGetTimeInMinutes. */
function minutes(policy: Pick<AccessPolicy, 'unixtime'>): number {
  return Math.floor(policy.unixtime() / 60) & 65535;
}

/** createObject's access time: the LFU counter's start now, or the LRU clock. */
export function initialLru(policy: Pick<AccessPolicy, 'lfu' | 'lruClock' | 'unixtime'>): number {
  return policy.lfu() ? (minutes(policy) << 8) | LFU_INIT_VAL : policy.lruClock();
}

/** The raw robj->lru field (a shared integer's is the shared object's). */
export function lruField(value: RedisValue, policy: AccessPolicy): number {
  const slot = sharedSlot(value, policy);
  return slot >= 0 ? policy.sharedLru()[slot] : ((value as Aged).lru ?? 0);
}

function setField(value: RedisValue, policy: AccessPolicy, lru: number): void {
  const slot = sharedSlot(value, policy);
  if (slot >= 0) policy.sharedLru()[slot] = lru;
  else (value as Aged).lru = lru;
}

/** createObject: the access time of a new value, stamped when it is stored (a value stored again, or a shared one, keeps its own). */
export function stampNew(value: RedisValue, policy: AccessPolicy): void {
  const aged = value as Aged;
  if (aged.lru !== undefined || sharedSlot(value, policy) >= 0) return;
  aged.lru = initialLru(policy);
}

/** lookupKey's update: the LFU counter or the LRU clock, unless a fork's child runs. */
export function touch(value: RedisValue, policy: AccessPolicy): void {
  if (policy.childActive()) return;
  if (policy.lfu()) setField(value, policy, (minutes(policy) << 8) | logIncr(decrAndReturn(value, policy), policy));
  else setField(value, policy, policy.lruClock());
}

/** estimateObjectIdleTime, in ms. */
export function idleMs(value: RedisValue, policy: AccessPolicy): number {
  const clock = policy.lruClock();
  const lru = lruField(value, policy);
  return clock >= lru ? (clock - lru) * LRU_CLOCK_RESOLUTION : (clock + (LRU_CLOCK_MAX - lru)) * LRU_CLOCK_RESOLUTION;
}

/** LFUDecrAndReturn: the counter after the decay of the minutes elapsed (not stored). */
export function decrAndReturn(value: RedisValue, policy: AccessPolicy): number {
  const lru = lruField(value, policy);
  const ldt = lru >>> 8;
  const counter = lru & 255;
  const now = minutes(policy);
  const elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  const decay = policy.lfuDecayTime();
  const periods = decay ? Math.floor(elapsed / decay) : 0;
  if (!periods) return counter;
  return periods > counter ? 0 : counter - periods;
}

/** LFULogIncr. */
function logIncr(counter: number, policy: AccessPolicy): number {
  if (counter === 255) return 255;
  const r = policy.random();
  const baseval = Math.max(0, counter - LFU_INIT_VAL);
  const p = 1.0 / (baseval * policy.lfuLogFactor() + 1);
  return r < p ? counter + 1 : counter;
}

/**
 * objectSetLRUOrLFU (RESTORE's IDLETIME / FREQ): the counter under an LFU
 * policy, else an access time `idleSeconds` ago; a value the policy does
 * not use (-1) leaves the field as it is.
 */
export function setLruOrLfu(value: RedisValue, lfuFreq: bigint, lruIdleSeconds: bigint, policy: AccessPolicy): void {
  if (policy.lfu()) {
    if (lfuFreq >= 0n) setField(value, policy, (minutes(policy) << 8) | Number(lfuFreq));
    return;
  }
  if (lruIdleSeconds < 0n) return;
  // The clock wraps: an underflow is brought back once, and the 24-bit field keeps the low bits.
  let abs = BigInt.asIntN(64, BigInt(policy.lruClock()) - lruIdleSeconds);
  if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
  setField(value, policy, Number(BigInt.asUintN(24, abs)));
}
