// Where the worker keeps the world between visits: each node's disk (its
// files) and the list of nodes with the seed. The browser's store is
// IndexedDB (idb-store.ts); tests use MemoryStore. Files are stored one by
// one, so a save writes only what changed (a 25 MB dump.rdb is not written
// again because redis.conf was).

import type { LogLevel } from '../engine/log.ts';

export interface StoredMeta {
  readonly seed: number;
  /** The world's nodes, by port. */
  readonly ports: readonly number[];
  /** The links whose latency, bandwidth or partition differ from the defaults (none in saves made before they were kept). */
  readonly links?: readonly StoredLink[];
}

/** A link's settings, as SIM LATENCY, BANDWIDTH and PARTITION set them. */
export interface StoredLink {
  readonly a: number;
  readonly b: number;
  readonly latencyUs: number;
  readonly bandwidth: number;
  readonly partitioned: boolean;
}

export interface StoredFile {
  readonly port: number;
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A node's log lines as the world last kept them (a logfile that outlives the process and the page). */
export interface StoredLog {
  readonly port: number;
  readonly lines: readonly { readonly level: LogLevel; readonly line: string }[];
}

export interface StoredWorld extends StoredMeta {
  readonly files: readonly StoredFile[];
  /** Each node's log (none in saves made before logs were kept). */
  readonly logs?: readonly StoredLog[];
}

/** One save: the node list, files written, files gone (a node removed takes its files). */
export interface StoreCommit {
  readonly meta: StoredMeta;
  readonly put: readonly StoredFile[];
  readonly remove: readonly { readonly port: number; readonly name: string }[];
  /** Logs that changed, each replacing the stored one. */
  readonly logs?: readonly StoredLog[];
  /** Ports whose stored log goes (removed nodes). */
  readonly removeLogs?: readonly number[];
}

export interface WorldStore {
  /** The world saved last, or null when there is none. */
  load(): Promise<StoredWorld | null>;
  /** Applies a save at once (all of it or nothing). */
  commit(change: StoreCommit): Promise<void>;
  /** Forgets the saved world (Reset world, SIM SEED). */
  clear(): Promise<void>;
}

const fileKey = (port: number, name: string) => `${port}/${name}`;

/** A store in memory: for tests, and for a worker without IndexedDB (the world then lasts as long as the page). */
export class MemoryStore implements WorldStore {
  private meta: StoredMeta | null = null;
  private readonly files = new Map<string, StoredFile>();
  private readonly logs = new Map<number, StoredLog>();
  /** How many commits were applied (tests wait on it). */
  commits = 0;

  async load(): Promise<StoredWorld | null> {
    if (!this.meta) return null;
    return {
      ...this.meta,
      files: [...this.files.values()].map((f) => ({ ...f, bytes: f.bytes.slice() })),
      logs: [...this.logs.values()].map((l) => ({ port: l.port, lines: l.lines.map((x) => ({ ...x })) })),
    };
  }

  async commit(change: StoreCommit): Promise<void> {
    this.meta = { seed: change.meta.seed, ports: [...change.meta.ports], links: (change.meta.links ?? []).map((l) => ({ ...l })) };
    for (const f of change.remove) this.files.delete(fileKey(f.port, f.name));
    for (const f of change.put) this.files.set(fileKey(f.port, f.name), { ...f, bytes: f.bytes.slice() });
    for (const port of change.removeLogs ?? []) this.logs.delete(port);
    for (const l of change.logs ?? []) this.logs.set(l.port, { port: l.port, lines: l.lines.map((x) => ({ ...x })) });
    this.commits++;
  }

  async clear(): Promise<void> {
    this.meta = null;
    this.files.clear();
    this.logs.clear();
  }

  /** A stored file's bytes (tests). */
  file(port: number, name: string): Uint8Array | null {
    return this.files.get(fileKey(port, name))?.bytes ?? null;
  }
}
