// Writing the RDB format: the primitives of rdb.c (rdbSaveLen,
// rdbSaveRawString with its integer and LZF encodings, rdbSaveMillisecondTime,
// AUX fields) on a growable byte buffer, and rdbSaveRio: a whole file for a
// keyspace, as SAVE writes it and as a full sync will send it.
//
// Values are written by the codec of their type (values.ts); a type with no
// codec yet makes writeRdb throw UnsupportedValueError before any byte of
// that key is written.

import { REDIS_VERSION } from '../version.ts';
import { string2ll } from '../bytes.ts';
import type { ExpireTime, KeyName } from '../keyspace/db.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { Crc64 } from './crc64.ts';
import { ByteBuffer } from '../byte-buffer.ts';
import { lzfCompress } from './lzf.ts';
import {
  RDB_64BITLEN,
  RDB_32BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_VERSION,
} from './format.ts';
import { encoderFor } from './values.ts';
import { writeFunctions } from './functions.ts';

const ENC_INT8 = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
const ENC_INT16 = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
const ENC_INT32 = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
const ENC_LZF = (RDB_ENCVAL << 6) | RDB_ENC_LZF;

/** A value of a type the RDB code cannot encode yet. */
export class UnsupportedValueError extends Error {
  constructor(
    readonly valueType: string,
    readonly db: number,
    readonly key: KeyName,
  ) {
    super(`RDB encoding of ${valueType} values is not implemented yet`);
  }
}

/** The bytes of an RDB being written, and the encodings of rdb.c. */
export class RdbWriter extends ByteBuffer {
  constructor(
    /** rdbcompression: strings longer than 20 bytes are LZF-compressed when that saves 4 bytes or more. */
    readonly compression: boolean,
    initialSize = 1024,
  ) {
    super(initialSize);
  }

  /** rdbSaveType: one byte (a value type or an opcode). */
  byte(b: number): void {
    if (this.len === this.buf.length) this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** rdbSaveLen: 6-bit, 14-bit, 32-bit or 64-bit big-endian length. */
  length(n: number): void {
    this.ensure(9);
    const buf = this.buf;
    if (n < 1 << 6) {
      buf[this.len++] = n;
    } else if (n < 1 << 14) {
      buf[this.len++] = (n >> 8) | 0x40;
      buf[this.len++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      buf[this.len++] = RDB_32BITLEN;
      this.u32BE(n);
    } else {
      buf[this.len++] = RDB_64BITLEN;
      this.u32BE(Math.floor(n / 0x100000000));
      this.u32BE(n >>> 0);
    }
  }

  private u32BE(n: number): void {
    const buf = this.buf;
    buf[this.len++] = n >>> 24;
    buf[this.len++] = (n >>> 16) & 0xff;
    buf[this.len++] = (n >>> 8) & 0xff;
    buf[this.len++] = n & 0xff;
  }

  /** rdbSaveMillisecondTime: a signed 64-bit little-endian integer. */
  millisecondTime(ms: ExpireTime): void {
    this.ensure(8);
    if (typeof ms === 'number' && ms >= 0) {
      const buf = this.buf;
      const lo = ms % 0x100000000;
      const hi = (ms - lo) / 0x100000000;
      buf[this.len++] = lo & 0xff;
      buf[this.len++] = (lo >>> 8) & 0xff;
      buf[this.len++] = (lo >>> 16) & 0xff;
      buf[this.len++] = lo >>> 24;
      buf[this.len++] = hi & 0xff;
      buf[this.len++] = (hi >>> 8) & 0xff;
      buf[this.len++] = (hi >>> 16) & 0xff;
      buf[this.len++] = hi >>> 24;
      return;
    }
    let v = BigInt.asUintN(64, BigInt(ms));
    for (let i = 0; i < 8; i++) {
      this.buf[this.len++] = Number(v & 0xffn);
      v >>= 8n;
    }
  }

  /** rdbEncodeInteger: the 8, 16 or 32-bit encoding of a value that fits one; false when none does. */
  private integer(value: number): boolean {
    this.ensure(5);
    const buf = this.buf;
    if (value >= -128 && value <= 127) {
      buf[this.len++] = ENC_INT8;
      buf[this.len++] = value & 0xff;
    } else if (value >= -32768 && value <= 32767) {
      buf[this.len++] = ENC_INT16;
      buf[this.len++] = value & 0xff;
      buf[this.len++] = (value >> 8) & 0xff;
    } else if (value >= -2147483648 && value <= 2147483647) {
      buf[this.len++] = ENC_INT32;
      buf[this.len++] = value & 0xff;
      buf[this.len++] = (value >> 8) & 0xff;
      buf[this.len++] = (value >> 16) & 0xff;
      buf[this.len++] = (value >>> 24) & 0xff;
    } else {
      return false;
    }
    return true;
  }

  /**
   * rdbSaveRawString: a canonical decimal of at most 11 bytes that fits 32
   * bits as an integer encoding; with compression, a string longer than 20
   * bytes as LZF when lzf_compress fits it in length - 4 bytes; otherwise
   * length and bytes.
   */
  rawString(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n <= 11 && n > 0 && maybeInteger(bytes[0])) {
      const v = string2ll(bytes);
      if (typeof v === 'number' && this.integer(v)) return;
    }
    if (this.compression && n > 20 && this.lzf(bytes)) return;
    this.length(n);
    this.raw(bytes);
  }

  /** rawString for a string of chars 0..255 (a KeyName), without copying it when it is short. */
  rawStringLatin1(text: string): void {
    const n = text.length;
    if ((n <= 11 && n > 0 && maybeInteger(text.charCodeAt(0))) || (this.compression && n > 20)) {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = text.charCodeAt(i);
      this.rawString(bytes);
      return;
    }
    this.length(n);
    this.latin1(text);
  }

  /** rdbSaveLzfStringObject then rdbSaveLzfBlob; false when compression does not gain 4 bytes. */
  private lzf(bytes: Uint8Array): boolean {
    const n = bytes.length;
    if (n <= 4) return false;
    const compressed = lzfCompress(bytes, n - 4);
    if (!compressed) return false;
    this.lzfBlob(compressed, n);
    return true;
  }

  /** rdbSaveLzfBlob: bytes compressed already (a compressed quicklist node), whatever rdbcompression says. */
  lzfBlob(compressed: Uint8Array, originalLength: number): void {
    this.byte(ENC_LZF);
    this.length(compressed.length);
    this.length(originalLength);
    this.raw(compressed);
  }

  /** rdbSaveAuxField: the opcode, then key and value as raw strings. */
  aux(key: string, value: string): void {
    this.byte(RDB_OPCODE_AUX);
    this.rawStringLatin1(key);
    this.rawStringLatin1(value);
  }

  /** Appends the CRC-64 of everything written so far, little-endian (or 8 zero bytes). */
  checksum(enabled: boolean): void {
    this.crc64(enabled ? new Crc64().update(this.buf, 0, this.len) : null);
  }

  /** Appends a CRC-64 computed elsewhere (over pieces written before this buffer's), or 8 zero bytes for none. */
  crc64(crc: Crc64 | null): void {
    this.ensure(8);
    if (crc) crc.writeLE(this.buf, this.len);
    else this.buf.fill(0, this.len, this.len + 8);
    this.len += 8;
  }

  /** The written bytes, trimmed to their length. */
  finish(): Uint8Array {
    return this.buf.length === this.len ? this.buf : this.buf.slice(0, this.len);
  }
}

/** A byte that can start a decimal string2ll accepts: '-' or a digit. */
function maybeInteger(b: number): boolean {
  return b === 0x2d || (b >= 0x30 && b <= 0x39);
}

/** rdbSaveObjectType + rdbSaveObject for one value; throws UnsupportedValueError for a type with no codec. */
export function writeValue(w: RdbWriter, value: RedisValue, db: number, key: KeyName): void {
  const codec = encoderFor(value);
  if (!codec) throw new UnsupportedValueError(value.type, db, key);
  w.byte(codec.rdbType(value));
  w.rawStringLatin1(key);
  codec.write(w, value);
}

/** The replication fields a replica, or a master with a backlog, adds (rdbPopulateSaveInfo). */
export interface ReplicationAux {
  /** repl-stream-db: the db the replication stream last selected. */
  readonly streamDb: number;
  /** repl-id: the 40-char replication id. */
  readonly replId: string;
  /** repl-offset: master_repl_offset. */
  readonly offset: number;
}

export interface RdbSaveOptions {
  /** rdbcompression. */
  readonly compression: boolean;
  /** rdbchecksum: without it the last 8 bytes are zeros. */
  readonly checksum: boolean;
  /** ctime: unix seconds at the save. */
  readonly ctime: number;
  /** used-mem: the server's memory use in bytes. */
  readonly usedMem: number;
  /** Written only when given (rdbSaveInfoAuxFields with an rsi). */
  readonly replication?: ReplicationAux;
  /** aof-base: 1 only for the RDB base of a multi-part AOF. */
  readonly aofBase?: boolean;
  /** The function libraries' codes (rdbSaveFunctions, after the AUX fields). */
  readonly functions?: readonly Uint8Array[];
}

/**
 * rdbSaveRio: "REDIS0010", the AUX fields, every non-empty database
 * (SELECTDB, RESIZEDB, then its keys in the engine's order, each with
 * EXPIRETIME_MS first when it has a TTL), EOF and the checksum.
 * Keys whose time has passed are written too, as Redis 7.0 does.
 * A fork's child writes the same bytes a piece at a time (snapshot-writer.ts).
 */
export function writeRdb(keyspace: Keyspace, options: RdbSaveOptions): Uint8Array {
  const w = new RdbWriter(options.compression, 64 * 1024);
  writeHeader(w, options);
  for (const db of keyspace.dbs) {
    if (db.size === 0) continue;
    writeDbStart(w, db.id, db.size, db.expires.size);
    const expires = db.expires;
    const hasExpires = expires.size > 0;
    for (const [key, value] of db.dict) writeEntry(w, db.id, key, value, hasExpires ? expires.get(key) : undefined);
  }
  w.byte(RDB_OPCODE_EOF);
  w.checksum(options.checksum);
  return w.finish();
}

/** The magic and rdbSaveInfoAuxFields. */
export function writeHeader(w: RdbWriter, options: RdbSaveOptions): void {
  w.latin1('REDIS' + String(RDB_VERSION).padStart(4, '0'));
  w.aux('redis-ver', REDIS_VERSION);
  w.aux('redis-bits', '64');
  w.aux('ctime', String(options.ctime));
  w.aux('used-mem', String(options.usedMem));
  const repl = options.replication;
  if (repl) {
    w.aux('repl-stream-db', String(repl.streamDb));
    w.aux('repl-id', repl.replId);
    w.aux('repl-offset', String(repl.offset));
  }
  w.aux('aof-base', options.aofBase ? '1' : '0');
  if (options.functions) writeFunctions(w, options.functions);
}

/** SELECTDB and RESIZEDB before a database's keys. */
export function writeDbStart(w: RdbWriter, id: number, size: number, expiresSize: number): void {
  w.byte(RDB_OPCODE_SELECTDB);
  w.length(id);
  w.byte(RDB_OPCODE_RESIZEDB);
  w.length(size);
  w.length(expiresSize);
}

/** rdbSaveKeyValuePair: EXPIRETIME_MS when the key has a TTL, then type, key and value. */
export function writeEntry(w: RdbWriter, db: number, key: KeyName, value: RedisValue, expire: ExpireTime | undefined): void {
  // getExpire answers -1 for "none", so a stored -1 writes no opcode either.
  if (expire !== undefined && expire !== -1) {
    w.byte(RDB_OPCODE_EXPIRETIME_MS);
    w.millisecondTime(expire);
  }
  writeValue(w, value, db, key);
}
