// master_repl_offset of every node over virtual time, sampled from the
// snapshots the page receives (every SAMPLE_US of virtual time at most),
// for the offsets-over-time view. Recording starts with the first import.
import { useAppStore } from '../store.ts';

export interface OffsetSample {
  readonly t: number;
  /** Port -> master_repl_offset; a node down (or absent) has no entry. */
  readonly offsets: Readonly<Record<number, number>>;
}

const SAMPLE_US = 100_000;
const MAX_SAMPLES = 1200;

let samples: OffsetSample[] = [];
let version = 0;

useAppStore.subscribe((s, prev) => {
  const snap = s.snapshot;
  if (!snap || snap === prev.snapshot) return;
  const last = samples[samples.length - 1];
  if (last && snap.timeUs < last.t) samples = []; // a new world
  else if (last && snap.timeUs - last.t < SAMPLE_US) return;
  const offsets: Record<number, number> = {};
  for (const n of snap.nodes) if (n.up && n.offset !== null) offsets[n.port] = n.offset;
  samples.push({ t: snap.timeUs, offsets });
  if (samples.length > MAX_SAMPLES) samples = samples.slice(-MAX_SAMPLES);
  version++;
});

export function offsetHistory(): { readonly samples: readonly OffsetSample[]; readonly version: number } {
  return { samples, version };
}
