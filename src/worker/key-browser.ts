// The key browser's reading of a node's keyspace: a page of one database's
// keys with type, TTL, length and the start of the value. It reads the
// dictionaries directly instead of running KEYS, SCAN or TYPE, because a
// command would move INFO's counters (commands processed, keyspace hits and
// misses), show up in MONITOR, and delete an expired key it touched on a
// master. So nothing here writes: a key whose time has passed is left in
// place and only hidden, as a replica hides it.

import type { RedisNode } from '../engine/node.ts';
import type { RedisValue } from '../engine/keyspace/value.ts';
import type { Db, ExpireTime } from '../engine/keyspace/db.ts';
import { stringMatch } from '../engine/glob.ts';
import { fromLatin1, repr } from '../engine/bytes.ts';
import { setMembers, setSize } from '../engine/keyspace/set.ts';
import { memberBytes } from '../engine/keyspace/zset.ts';
import { formatScore } from '../engine/keyspace/zset-score.ts';
import { rangeEntryFields, streamRange } from '../engine/keyspace/stream.ts';
import { formatId, MAX_ID } from '../engine/keyspace/stream-id.ts';
import type { KeyEntry, KeysPage, KeysQuery } from '../protocol/messages.ts';

/** Most keys a page may hold. */
export const MAX_PAGE = 200;
/** How much of a value the preview shows: bytes of a string, elements of a collection. */
const PREVIEW_BYTES = 64;
const PREVIEW_ELEMENTS = 4;

export function readKeys(node: RedisNode | null, query: KeysQuery, timeUs: number): KeysPage {
  if (!node) return { ok: false, error: `node ${query.port} is not running` };
  const db = node.keyspace.dbs[query.db];
  if (!db) return { ok: false, error: `no database ${query.db} (databases ${node.keyspace.dbs.length})` };
  const now = node.keyspace.nowMs;
  const count = Math.max(0, Math.min(MAX_PAGE, Math.floor(query.count)));
  const offset = Math.max(0, Math.floor(query.offset));
  const all = query.pattern === '*';
  const pattern = fromLatin1(query.pattern);
  const keys: KeyEntry[] = [];
  let matched = 0;
  const alive = (key: string): boolean => !expired(db.getExpire(key), now);
  if (all) {
    // Counting takes only the expires: every other key is alive.
    matched = db.size;
    for (const when of db.expires.values()) if (expired(when, now)) matched--;
    let skipped = 0;
    for (const [key, value] of db.dict) {
      if (keys.length >= count) break;
      if (!alive(key)) continue;
      if (skipped++ < offset) continue;
      keys.push(entry(db, key, value, now));
    }
  } else {
    for (const [key, value] of db.dict) {
      if (!alive(key) || !stringMatch(pattern, fromLatin1(key))) continue;
      if (matched >= offset && keys.length < count) keys.push(entry(db, key, value, now));
      matched++;
    }
  }
  return { ok: true, keys, matched, timeUs };
}

function expired(when: ExpireTime | undefined, now: number): boolean {
  return when !== undefined && now > Number(when);
}

function entry(db: Db, key: string, value: RedisValue, now: number): KeyEntry {
  const when = db.getExpire(key);
  const { length, preview } = describe(value);
  return { key, type: value.type, encoding: value.encoding, ttlMs: when === undefined ? -1 : Number(when) - now, length, preview };
}

/** Length (elements, or bytes of a string) and the start of the value, as redis-cli would quote its parts. */
function describe(value: RedisValue): { length: number; preview: string } {
  switch (value.type) {
    case 'string':
      return { length: value.bytes.length, preview: clip(value.bytes) };
    case 'list': {
      const list = value.list;
      return { length: list.count, preview: elements(list.range(0, PREVIEW_ELEMENTS, false).map(clip), list.count) };
    }
    case 'hash': {
      const parts: string[] = [];
      for (const [field, v] of value.fields) {
        if (parts.length >= PREVIEW_ELEMENTS) break;
        parts.push(`${clip(fromLatin1(field))}: ${clip(v)}`);
      }
      return { length: value.fields.size, preview: elements(parts, value.fields.size) };
    }
    case 'set': {
      const parts: string[] = [];
      for (const member of setMembers(value)) {
        if (parts.length >= PREVIEW_ELEMENTS) break;
        parts.push(clip(member));
      }
      const size = setSize(value);
      return { length: size, preview: elements(parts, size) };
    }
    case 'zset': {
      // In rank order, as ZRANGE 0 -1 WITHSCORES lists them.
      const tree = value.tree;
      const parts: string[] = [];
      for (let r = 0; r < Math.min(tree.size, PREVIEW_ELEMENTS); r++) parts.push(`${clip(memberBytes(tree.memberAt(r)))} (${formatScore(tree.scoreAt(r))})`);
      return { length: tree.size, preview: elements(parts, tree.size) };
    }
    case 'stream': {
      // The first entries, as XRANGE - + lists them; the groups by name.
      const parts: string[] = [];
      for (const e of streamRange(value, 0n, MAX_ID)) {
        if (parts.length >= STREAM_PREVIEW_ENTRIES) break;
        const fields = rangeEntryFields(e);
        const pairs: string[] = [];
        for (let i = 0; i + 1 < fields.length; i += 2) pairs.push(`${clip(fields[i])}: ${clip(fields[i + 1])}`);
        parts.push(`${formatId(e.id)} {${pairs.join(', ')}}`);
      }
      let preview = elements(parts, value.length);
      const groups = value.groups?.size ?? 0;
      if (groups > 0) preview += ` · ${groups} group${groups === 1 ? '' : 's'}`;
      return { length: value.length, preview };
    }
  }
}

const STREAM_PREVIEW_ENTRIES = 2;

function clip(bytes: Uint8Array): string {
  return bytes.length > PREVIEW_BYTES ? `${repr(bytes.subarray(0, PREVIEW_BYTES))}…` : repr(bytes);
}

function elements(parts: readonly string[], total: number): string {
  return parts.join(', ') + (total > parts.length ? `, … (${total - parts.length} more)` : '');
}
