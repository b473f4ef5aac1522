// The DUMP payload (cluster.c, createDumpPayload / verifyDumpPayload):
//
//   <type byte> <value as in an RDB> <RDB version: 2 bytes LE> <CRC-64 of all before: 8 bytes LE>
//
// RESTORE checks the footer first, then reads the type and the value from
// the payload, footer included: Redis's reader is not bounded by the
// footer, so a value that claims more bytes than it has may read into it,
// and bytes left between the value and the footer are ignored.

import type { KeyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { Crc64 } from './crc64.ts';
import { RDB_VERSION, rdbIsObjectType } from './format.ts';
import { RdbError, RdbReader, readObject } from './reader.ts';
import type { DecodeContext } from './values.ts';
import { encoderFor } from './values.ts';
import { RdbWriter, UnsupportedValueError } from './writer.ts';

/** createDumpPayload; throws UnsupportedValueError for a type with no encoder. */
export function createDumpPayload(value: RedisValue, compression: boolean, db: number, key: KeyName): Uint8Array {
  const codec = encoderFor(value);
  if (!codec) throw new UnsupportedValueError(value.type, db, key);
  const w = new RdbWriter(compression, 64);
  w.byte(codec.rdbType(value));
  codec.write(w, value);
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  w.checksum(true);
  return w.finish();
}

/**
 * verifyDumpPayload: at least the 10 footer bytes, a version no newer than
 * ours, and the right checksum (skip-checksum-validation is not modelled).
 */
export function verifyDumpPayload(payload: Uint8Array): boolean {
  const len = payload.length;
  if (len < 10) return false;
  const version = payload[len - 10] | (payload[len - 9] << 8);
  if (version > RDB_VERSION) return false;
  return new Crc64().update(payload, 0, len - 8).matchesLE(payload, len - 8);
}

export type RestoreLoad =
  | { ok: true; value: RedisValue }
  /** "Bad data format": not a value type, or the value does not decode. */
  | { ok: false; unsupported?: undefined }
  /** A value type Redis has and this engine cannot load yet. */
  | { ok: false; unsupported: RdbError };

/** rdbLoadObjectType + rdbLoadObject on a verified payload. */
export function loadDumpPayload(payload: Uint8Array, decode: DecodeContext, db: number, key: KeyName): RestoreLoad {
  const r = new RdbReader(payload);
  try {
    const type = r.byte();
    if (!rdbIsObjectType(type)) return { ok: false };
    // An empty value is "Bad data format" too: rdbLoadObject returns NULL for it.
    const value = readObject(r, type, decode, db, key);
    return value ? { ok: true, value } : { ok: false };
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    if (e.kind === 'unsupported') return { ok: false, unsupported: e };
    return { ok: false };
  }
}
