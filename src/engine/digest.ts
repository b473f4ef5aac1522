// DEBUG DIGEST and DEBUG DIGEST-VALUE: the SHA-1 signature of a dataset,
// computed exactly as debug.c of Redis 7.0.15 computes it, so that the
// engine and a real server holding the same data give the same 40 hex
// digits (Redis's own tests compare masters and replicas this way).
//
// Two ways to fold bytes into a 20-byte digest:
//  - xor: digest ^= SHA1(bytes); order does not matter (keys, set members,
//    hash fields, zset members);
//  - mix: xor, then digest = SHA1(digest); order matters (list elements,
//    the parts of one key).
// A key's digest mixes its name, its type (a 32-bit big-endian number),
// its value, and xors "!!expire!!" when it has a TTL (not the time). The
// dataset's digest mixes each non-empty database's number and xors every
// key's digest. Logically expired keys still count: no lookup is made.

import { sha1 } from './sha1.ts';
import { fromLatin1 } from './bytes.ts';
import { setMembers } from './keyspace/set.ts';
import { formatScore } from './keyspace/zset-score.ts';
import { rangeEntryFields, streamRange } from './keyspace/stream.ts';
import { MAX_ID, idMs, idSeq } from './keyspace/stream-id.ts';
import type { Db, KeyName } from './keyspace/db.ts';
import type { Keyspace } from './keyspace/keyspace.ts';
import type { RedisValue } from './keyspace/value.ts';

export type Digest = Uint8Array;

/** OBJ_STRING .. OBJ_HASH, OBJ_STREAM. */
const TYPE_CODE: Record<string, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 };
const EXPIRE_MARK = fromLatin1('!!expire!!');

/** xorDigest. */
function xorBytes(digest: Digest, data: Uint8Array): void {
  const h = sha1(data);
  for (let j = 0; j < 20; j++) digest[j] ^= h[j];
}

/** mixDigest. */
function mix(digest: Digest, data: Uint8Array): void {
  xorBytes(digest, data);
  digest.set(sha1(digest));
}

/** A 32-bit number in network order (htonl). */
function uint32be(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** The digest of an element made of two parts (a field and its value, a member and its score). */
function pairDigest(a: Uint8Array, b: Uint8Array): Digest {
  const d = new Uint8Array(20);
  mix(d, a);
  mix(d, b);
  return d;
}

/** xorObjectDigest: the value's type and content, then the TTL mark. */
function xorObjectDigest(db: Db, key: KeyName, digest: Digest, value: RedisValue): void {
  const code = TYPE_CODE[value.type];
  if (code === undefined) throw new Error(`DEBUG DIGEST of a ${value.type} value`);
  mix(digest, uint32be(code));
  switch (value.type) {
    case 'string':
      mix(digest, value.bytes);
      break;
    case 'list':
      value.list.forEach(0, false, (e) => {
        mix(digest, e);
        return true;
      });
      break;
    case 'set':
      for (const m of setMembers(value)) xorBytes(digest, m);
      break;
    case 'hash':
      for (const [field, v] of value.fields) xorBytes(digest, pairDigest(fromLatin1(field), v));
      break;
    case 'zset':
      // Each member with its score as "%.17g".
      for (const [member, score] of value.dict) xorBytes(digest, pairDigest(fromLatin1(member), fromLatin1(formatScore(score))));
      break;
    case 'stream':
      // Each live entry in order: its ID as "<ms>.<seq>", then its fields and values (consumer groups do not count).
      for (const e of streamRange(value, 0n, MAX_ID)) {
        mix(digest, fromLatin1(`${idMs(e.id)}.${idSeq(e.id)}`));
        for (const part of rangeEntryFields(e)) mix(digest, part);
      }
      break;
  }
  const when = db.getExpire(key);
  if (when !== undefined && when !== -1) xorBytes(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST-VALUE of one key: zeros for a missing key. */
export function valueDigest(db: Db, key: KeyName): Digest {
  const digest = new Uint8Array(20);
  const value = db.peek(key);
  if (value) xorObjectDigest(db, key, digest, value);
  return digest;
}

/** computeDatasetDigest. */
export function datasetDigest(keyspace: Keyspace): Digest {
  const final = new Uint8Array(20);
  for (const db of keyspace.dbs) {
    if (db.size === 0) continue;
    mix(final, uint32be(db.id));
    for (const [key, value] of db.dict) {
      const digest = new Uint8Array(20);
      mix(digest, fromLatin1(key));
      xorObjectDigest(db, key, digest, value);
      xorBytes(final, digest);
    }
  }
  return final;
}

export function digestHex(digest: Digest): string {
  let s = '';
  for (const b of digest) s += b.toString(16).padStart(2, '0');
  return s;
}
