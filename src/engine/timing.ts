// How long the simulated machine takes for work Redis does in bulk. A
// discrete simulation runs it in no virtual time unless told otherwise;
// these rates come from DESIGN.md section 4's reference figures for
// redis-server 7.0.15 (SAVE of 1,000,000 small keys, 24.8 MB, in 0.43 s;
// their load in 0.46 s; not re-measured here), so that a fork or a load
// takes about the time users would see.

/** A forked child writes an RDB at this many bytes per microsecond. */
export const RDB_SAVE_BYTES_PER_US = 58;
/** rdbLoad reads an RDB at this many bytes per microsecond. */
export const RDB_LOAD_BYTES_PER_US = 54;
/**
 * A replica's load runs in steps, one event of the host each, so that the
 * host stays responsive (and clients get LOADING) between them: a step ends
 * after this many keys or once it read this many bytes (big values), at the
 * first key boundary. 5000 small keys are a few ms of host time; 1 MB of
 * larger values about as much. A single value (a big collection) is read
 * whole, whatever its size.
 */
export const LOAD_KEYS_PER_STEP = 5000;
export const LOAD_BYTES_PER_STEP = 1024 * 1024;
/**
 * From the fork to the child's first write: a chosen millisecond (the
 * facts show 3 ms from the fork to the child's first line).
 */
export const CHILD_START_US = 1000;
/**
 * Keys a forked child writes per step (each step is one event of the host:
 * a few ms of host time for small keys, so a save of 1,000,000 keys
 * never holds the host for long), and keys per step of its first pass,
 * which sums used-mem over the snapshot.
 */
export const SAVE_KEYS_PER_STEP = 10_000;
export const MEASURE_KEYS_PER_STEP = 25_000;

/** debugDelay (rdb-key-save-delay, key-load-delay): a positive setting is microseconds, a negative one nanoseconds. */
export function debugDelayUs(setting: string): number {
  const v = Number(setting);
  return v > 0 ? v : v < 0 ? -v / 1000 : 0;
}
