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
/** Keys loaded per simulated step: the host stays responsive between steps. */
export const LOAD_KEYS_PER_STEP = 5000;
