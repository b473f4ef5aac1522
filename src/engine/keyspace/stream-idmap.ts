// An ordered map from stream ID to value: what Redis keeps in a radix tree
// keyed by 16-byte big-endian IDs (a stream's nodes, a group's and a
// consumer's pending entries), whose iteration order is the IDs' order.
// Sorted chunks of at most CHUNK keys: lookups, inserts and removals cost
// O(log n + CHUNK) wherever they fall (PELs are acknowledged from the front
// and grow at the back; XCLAIM inserts anywhere).

import type { StreamId } from './stream-id.ts';

const CHUNK = 256;

interface Chunk<V> {
  keys: StreamId[];
  values: V[];
}

export class IdMap<V> {
  private chunks: Chunk<V>[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The index of the first chunk whose last key is >= id (chunks.length when none). */
  private chunkFor(id: StreamId): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const keys = chunks[mid].keys;
      if (keys[keys.length - 1] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of the first key >= id in a chunk. */
  private static lowerBound(keys: StreamId[], id: StreamId): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: StreamId): V | undefined {
    const c = this.chunks[this.chunkFor(id)];
    if (!c) return undefined;
    const i = IdMap.lowerBound(c.keys, id);
    return c.keys[i] === id ? c.values[i] : undefined;
  }

  has(id: StreamId): boolean {
    return this.get(id) !== undefined;
  }

  /** raxInsert: sets the value; true when the key is new. */
  set(id: StreamId, value: V): boolean {
    const chunks = this.chunks;
    let ci = this.chunkFor(id);
    if (ci === chunks.length) {
      // Beyond every key: the tail chunk (or a new one).
      ci = chunks.length - 1;
      if (ci < 0 || chunks[ci].keys.length >= CHUNK) {
        chunks.push({ keys: [id], values: [value] });
        this.count++;
        return true;
      }
      chunks[ci].keys.push(id);
      chunks[ci].values.push(value);
      this.count++;
      return true;
    }
    const c = chunks[ci];
    const i = IdMap.lowerBound(c.keys, id);
    if (c.keys[i] === id) {
      c.values[i] = value;
      return false;
    }
    c.keys.splice(i, 0, id);
    c.values.splice(i, 0, value);
    this.count++;
    if (c.keys.length > CHUNK * 2) {
      const half = c.keys.length >> 1;
      chunks.splice(ci + 1, 0, { keys: c.keys.splice(half), values: c.values.splice(half) });
    }
    return true;
  }

  /** raxRemove: true when the key was there. */
  delete(id: StreamId): boolean {
    const ci = this.chunkFor(id);
    const c = this.chunks[ci];
    if (!c) return false;
    const i = IdMap.lowerBound(c.keys, id);
    if (c.keys[i] !== id) return false;
    if (i === 0 && c.keys.length > 1) {
      c.keys.shift();
      c.values.shift();
    } else {
      c.keys.splice(i, 1);
      c.values.splice(i, 1);
    }
    if (c.keys.length === 0) this.chunks.splice(ci, 1);
    this.count--;
    return true;
  }

  /** The smallest key >= id (raxSeek ">="), or null. */
  ceiling(id: StreamId): StreamId | null {
    const c = this.chunks[this.chunkFor(id)];
    if (!c) return null;
    return c.keys[IdMap.lowerBound(c.keys, id)];
  }

  /** The largest key <= id (raxSeek "<="), or null. */
  floor(id: StreamId): StreamId | null {
    const chunks = this.chunks;
    const ci = this.chunkFor(id);
    const c = chunks[ci];
    if (c) {
      const i = IdMap.lowerBound(c.keys, id);
      if (c.keys[i] === id) return id;
      if (i > 0) return c.keys[i - 1];
    }
    if (ci === 0) return null;
    const before = chunks[ci - 1].keys;
    return before[before.length - 1];
  }

  /** The smallest key (raxSeek "^"), or null. */
  first(): StreamId | null {
    return this.chunks.length === 0 ? null : this.chunks[0].keys[0];
  }

  /** The largest key (raxSeek "$"), or null. */
  last(): StreamId | null {
    const c = this.chunks[this.chunks.length - 1];
    return c ? c.keys[c.keys.length - 1] : null;
  }

  /** The next key after id (strictly greater), or null. */
  higher(id: StreamId): StreamId | null {
    return this.ceiling(id + 1n);
  }

  /** The key before id (strictly smaller), or null. */
  lower(id: StreamId): StreamId | null {
    return id === 0n ? null : this.floor(id - 1n);
  }

  /** Every entry in order; the map must not change meanwhile. */
  *entries(): IterableIterator<[StreamId, V]> {
    for (const c of this.chunks) for (let i = 0; i < c.keys.length; i++) yield [c.keys[i], c.values[i]];
  }

  /** The keys in order. */
  keys(): StreamId[] {
    const out: StreamId[] = [];
    for (const c of this.chunks) out.push(...c.keys);
    return out;
  }
}
