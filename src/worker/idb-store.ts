// The world kept in the browser's IndexedDB (a worker has no localStorage,
// and a dump.rdb may be tens of megabytes): one object store of files keyed
// "<port>/<name>", one record of the node list and seed, and each node's
// log keyed by port.
import type { StoreCommit, StoredFile, StoredLog, StoredMeta, StoredWorld, WorldStore } from './storage.ts';

const DB_NAME = 'replscope';
// Version 2 added the logs; a version 1 database is upgraded in place.
const DB_VERSION = 2;
const FILES = 'files';
const META = 'meta';
const LOGS = 'logs';
const STORES = [FILES, META, LOGS];
const META_KEY = 'world';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export class IdbStore implements WorldStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const r = this.factory.open(DB_NAME, DB_VERSION);
      r.onupgradeneeded = () => {
        for (const name of STORES) if (!r.result.objectStoreNames.contains(name)) r.result.createObjectStore(name);
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
      r.onblocked = () => reject(new Error('IndexedDB is held by another tab of an older version'));
    });
    return this.db;
  }

  async load(): Promise<StoredWorld | null> {
    const db = await this.open();
    const tx = db.transaction(STORES, 'readonly');
    const meta = (await request(tx.objectStore(META).get(META_KEY))) as StoredMeta | undefined;
    if (!meta) return null;
    const files = (await request(tx.objectStore(FILES).getAll())) as StoredFile[];
    const logs = (await request(tx.objectStore(LOGS).getAll())) as StoredLog[];
    return { seed: meta.seed, ports: meta.ports, links: meta.links ?? [], files, logs };
  }

  async commit(change: StoreCommit): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORES, 'readwrite');
    const files = tx.objectStore(FILES);
    const logs = tx.objectStore(LOGS);
    tx.objectStore(META).put({ seed: change.meta.seed, ports: [...change.meta.ports], links: (change.meta.links ?? []).map((l) => ({ ...l })) }, META_KEY);
    for (const f of change.remove) files.delete(`${f.port}/${f.name}`);
    for (const f of change.put) files.put({ port: f.port, name: f.name, bytes: f.bytes }, `${f.port}/${f.name}`);
    for (const port of change.removeLogs ?? []) logs.delete(port);
    for (const l of change.logs ?? []) logs.put({ port: l.port, lines: l.lines.map((x) => ({ level: x.level, line: x.line })) }, l.port);
    await done(tx);
  }

  async clear(): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORES, 'readwrite');
    for (const name of STORES) tx.objectStore(name).clear();
    await done(tx);
  }
}
