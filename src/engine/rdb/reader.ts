// Reading the RDB format: the primitives of rdb.c (rdbLoadType,
// rdbLoadLen, rdbGenericLoadStringObject with its integer and LZF
// encodings, the expire times) over a byte array, and
// rdbLoadRioWithLoadingCtx: a whole file, opcode by opcode, handing AUX
// fields and keys to the caller.
//
// Errors are RdbError, of the kinds Redis tells apart in what it logs:
// a short read (the bytes end early), a wrong checksum (with both values),
// a type byte that names no type, a corrupt encoding inside a value, a
// wrong signature or version, a database index beyond `databases`, and,
// the engine's own, a value type Redis has but this engine cannot load yet.
// Nothing else is thrown, whatever the input: every read is bounded by the
// bytes there are, and no length is trusted before the bytes behind it are.

import { latin1 } from '../bytes.ts';
import { expireTime, type ExpireTime, type KeyName } from '../keyspace/db.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { Crc64, readU64LE } from './crc64.ts';
import { lzfDecompress } from './lzf.ts';
import {
  RDB_64BITLEN,
  RDB_32BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
  RDB_MAGIC,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_C_LINE,
  RDB_TYPE_NAMES,
  RDB_VERSION,
  rdbIsObjectType,
} from './format.ts';
import { decoderFor, type DecodeContext } from './values.ts';
import { readFunction } from './functions.ts';

export type RdbErrorKind =
  /** The bytes ended before the format did ("Short read or OOM loading DB"). */
  | 'short-read'
  /** The CRC-64 at the end does not match the bytes. */
  | 'checksum'
  /** Not "REDIS" at the start ("Wrong signature trying to load DB from file"). */
  | 'signature'
  /** A version this server cannot read ("Can't handle RDB format version N"). */
  | 'version'
  /** A type byte that is neither an opcode nor a value type ("Unknown RDB encoding type N"). */
  | 'unknown-type'
  /** A bad encoding inside a length or a string (the message says which). */
  | 'corrupt'
  /** SELECTDB beyond the configured number of databases. */
  | 'db-range'
  /** A value type or opcode Redis reads and this engine does not yet. */
  | 'unsupported';

export class RdbError extends Error {
  constructor(
    readonly kind: RdbErrorKind,
    message: string,
    readonly details: {
      /** The rdb.c line Redis names in its log line, when it logs one. */
      readonly line?: number;
      /** loading_loaded_bytes at the error, as Redis reports it (see RdbReader.loadedBytes). */
      readonly loadedBytes?: number;
      /** Where in the bytes the error was found. */
      readonly offset?: number;
      /** checksum: the CRC computed over the bytes read, and the one in the file. */
      readonly expected?: bigint;
      readonly got?: bigint;
      readonly version?: number;
      readonly type?: number;
      readonly db?: number;
      readonly key?: KeyName;
    } = {},
  ) {
    super(message);
  }
}

/**
 * loading-process-events-interval-bytes (2 MB): Redis reads in pieces of
 * at most this size and records its progress (loading_loaded_bytes, the
 * offset its error lines print) each time a piece crosses a multiple of it.
 */
const PROGRESS_INTERVAL = 2 * 1024 * 1024;

/**
 * A cursor over RDB bytes with the load functions of rdb.c: over one array,
 * or over a file kept in pieces (a replica's received payload: no single
 * allocation of its whole size). Over pieces, `bytes` is a span of one piece
 * itself, or a small copy holding a read that straddles two pieces; every
 * read returns where its bytes start in the span it leaves current.
 * Whatever the input, one thing holds after each read: while bytes are
 * left, `bytes[pos]` is the next one (so a decoder may look at it).
 */
export class RdbReader {
  /** The bytes being read (over pieces, the current span of them). */
  bytes: Uint8Array;
  /** The next byte in `bytes`. */
  pos: number;
  /** Where the readable bytes of `bytes` end. */
  end: number;
  /** loading_loaded_bytes: the bytes read before the last read that crossed a 2 MB boundary. */
  loadedBytes = 0;
  /** Set by length(): the byte held a special string encoding rather than a length. */
  encoded = false;
  /**
   * Strings are views of `bytes` rather than copies: only for a buffer
   * nobody else writes to (a whole file being loaded), never for a DUMP
   * payload that lives in a client's query buffer. A view saves an
   * allocation per value, which is most of a million-key load's garbage.
   */
  shareBytes = false;
  /** The input's offset of bytes[0]. */
  private base = 0;
  /** Over pieces: the pieces, the one the span's bytes continue in, and where in it. */
  private pieces: readonly Uint8Array[] = [];
  private piece = 0;
  private pieceAt = 0;
  /** Bytes of the pieces after the span. */
  private after = 0;
  /** How many bytes before pieceAt the span ends with (a copy made of them: the span may go back into the piece). */
  private tail = 0;
  /** A running CRC-64 of the bytes read (rio's update_cksum), and where it stands in `bytes`. */
  private crc: Crc64 | null = null;
  private summed = 0;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** A reader of the bytes of `pieces` in order, as if they were one array (the pieces are not changed). */
  static over(pieces: readonly Uint8Array[]): RdbReader {
    const r = new RdbReader(new Uint8Array(0));
    r.pieces = pieces;
    for (const p of pieces) r.after += p.length;
    if (r.after > 0) r.span(0);
    return r;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.end - this.pos + this.after;
  }

  /** Where the next byte is in the whole input. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** From here on, sum the CRC-64 of every byte read (the checksum at the end of a file). */
  startChecksum(): void {
    this.crc = new Crc64();
    this.summed = this.pos;
  }

  /** The CRC-64 of the bytes since startChecksum up to `upTo` in `bytes` (what was read), summing what is not summed yet. */
  checksum(upTo = this.pos): Crc64 {
    this.crc!.update(this.bytes, this.summed, upTo);
    this.summed = upTo;
    return this.crc!;
  }

  shortRead(): RdbError {
    return new RdbError('short-read', 'Unexpected EOF reading RDB file', {
      line: RDB_C_LINE.unexpectedEof,
      loadedBytes: this.loadedBytes,
      offset: this.offset,
    });
  }

  corrupt(line: number, message: string): RdbError {
    return new RdbError('corrupt', message, { line, loadedBytes: this.loadedBytes, offset: this.offset });
  }

  /** The next multiple of PROGRESS_INTERVAL after the offset: a read reaching it records progress. */
  private nextBoundary = PROGRESS_INTERVAL;

  /** rioRead of n bytes: returns where they start in `bytes`, or throws a short read. */
  take(n: number): number {
    if (n >= this.end - this.pos && this.after > 0) this.span(n);
    const start = this.pos;
    if (n <= PROGRESS_INTERVAL) {
      if (n > this.end - this.pos) throw this.shortRead();
      if (this.base + this.pos + n >= this.nextBoundary) this.progress(n);
      this.pos += n;
      return start;
    }
    // In pieces of at most 2 MB, as rioRead with max_processing_chunk does.
    for (let left = n; left > 0; ) {
      const chunk = Math.min(left, PROGRESS_INTERVAL);
      if (chunk > this.end - this.pos) throw this.shortRead();
      if (this.base + this.pos + chunk >= this.nextBoundary) this.progress(chunk);
      this.pos += chunk;
      left -= chunk;
    }
    return start;
  }

  /**
   * Over pieces: makes the span hold the next n bytes and, when the input
   * goes on, the byte after them (all that is left when it is shorter). It
   * goes back into the piece itself when it can; otherwise it copies the
   * bytes it needs, and only those (a read straddling two pieces).
   */
  private span(n: number): void {
    const pieces = this.pieces;
    if (this.crc) this.checksum();
    let left = this.end - this.pos;
    if (left <= this.tail) {
      // The unread bytes are the start of the current piece's rest: read on in the piece.
      const p = pieces[this.piece];
      this.base += this.pos - (this.pieceAt - left);
      this.bytes = p;
      this.pos = this.summed = this.pieceAt - left;
      this.end = p.length;
      this.after -= p.length - this.pieceAt;
      this.piece++;
      this.pieceAt = 0;
      this.tail = 0;
      if (n < this.end - this.pos || this.after === 0) return;
      left = this.end - this.pos;
    }
    const size = Math.min(n + 1, left + this.after);
    const out = new Uint8Array(size);
    out.set(this.bytes.subarray(this.pos, this.end));
    let at = left;
    let copied = 0;
    while (at < size) {
      const p = pieces[this.piece];
      copied = Math.min(p.length - this.pieceAt, size - at);
      out.set(p.subarray(this.pieceAt, this.pieceAt + copied), at);
      at += copied;
      this.pieceAt += copied;
      this.after -= copied;
      if (this.pieceAt === p.length) {
        this.piece++;
        this.pieceAt = 0;
        copied = 0;
      }
    }
    this.tail = copied;
    this.base += this.pos;
    this.bytes = out;
    this.pos = this.summed = 0;
    this.end = size;
  }

  /** rdbLoadProgressCallback: a read of n bytes from the offset crosses a boundary. */
  private progress(n: number): void {
    const at = this.base + this.pos;
    this.loadedBytes = at;
    this.nextBoundary = (Math.floor((at + n) / PROGRESS_INTERVAL) + 1) * PROGRESS_INTERVAL;
  }

  /** rdbLoadType: one byte. */
  byte(): number {
    if (this.pos + 1 >= this.end && this.after > 0) this.span(1);
    if (this.pos >= this.end) throw this.shortRead();
    if (this.base + this.pos + 1 >= this.nextBoundary) this.progress(1);
    return this.bytes[this.pos++];
  }

  /**
   * rdbLoadLenByRef: a length, or (with `encoded` set) the special string
   * encoding in the low six bits. A 64-bit length of 2^64-1 is RDB_LENERR,
   * which Redis takes for a failed read. Lengths beyond 2^53 lose precision;
   * nothing that long can be read anyway.
   */
  length(): number {
    const first = this.byte();
    const type = (first & 0xc0) >> 6;
    this.encoded = false;
    if (type === RDB_ENCVAL) {
      this.encoded = true;
      return first & 0x3f;
    }
    if (type === 0) return first & 0x3f;
    if (type === 1) {
      const at = this.take(1);
      return ((first & 0x3f) << 8) | this.bytes[at];
    }
    if (first === RDB_32BITLEN) {
      const at = this.take(4);
      const b = this.bytes;
      return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
    }
    if (first === RDB_64BITLEN) {
      const at = this.take(8);
      const b = this.bytes;
      const hi = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
      const lo = ((b[at + 4] << 24) | (b[at + 5] << 16) | (b[at + 6] << 8) | b[at + 7]) >>> 0;
      if (hi === 0xffffffff && lo === 0xffffffff) throw this.shortRead(); // RDB_LENERR
      return hi * 0x100000000 + lo;
    }
    throw this.corrupt(RDB_C_LINE.unknownLengthEncoding, `Unknown length encoding ${type} in rdbLoadLen()`);
  }

  /**
   * rdbGenericLoadStringObject: the string's bytes, whatever its encoding
   * (an integer comes back as its decimal digits). The bytes are a copy.
   */
  string(): Uint8Array {
    const len = this.length();
    if (this.encoded) return this.encodedString(len);
    const at = this.take(len);
    return this.shareBytes ? this.bytes.subarray(at, at + len) : this.bytes.slice(at, at + len);
  }

  /** The same string as chars 0..255 (a KeyName). */
  stringLatin1(): string {
    const len = this.length();
    if (this.encoded) return latin1(this.encodedString(len));
    const at = this.take(len);
    if (len < 16) {
      let s = '';
      const b = this.bytes;
      for (let i = at; i < at + len; i++) s += String.fromCharCode(b[i]);
      return s;
    }
    return latin1(this.bytes, at, at + len);
  }

  private encodedString(enc: number): Uint8Array {
    switch (enc) {
      case RDB_ENC_INT8: {
        const at = this.take(1);
        return decimal((this.bytes[at] << 24) >> 24);
      }
      case RDB_ENC_INT16: {
        const at = this.take(2);
        return decimal(((this.bytes[at] | (this.bytes[at + 1] << 8)) << 16) >> 16);
      }
      case RDB_ENC_INT32: {
        const at = this.take(4);
        const b = this.bytes;
        return decimal(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
      }
      case RDB_ENC_LZF:
        return this.lzfString();
      default:
        throw this.corrupt(RDB_C_LINE.unknownStringEncoding, `Unknown RDB string encoding type ${enc}`);
    }
  }

  /** rdbLoadLzfStringObject: compressed length, original length, then the compressed bytes. */
  private lzfString(): Uint8Array {
    const clen = this.length();
    const len = this.length();
    const at = this.take(clen);
    // Each input byte yields at most 264 / 2 bytes, so a longer claim can
    // only fail; fail it without allocating what it claims.
    if (len > clen * 132 + 32) throw this.corrupt(RDB_C_LINE.invalidLzf, 'Invalid LZF compressed string');
    const out = lzfDecompress(this.bytes.subarray(at, at + clen), len);
    if (!('out' in out) || out.length !== len) {
      // lzf_decompress returns 0 on error, which passes when len is 0.
      if (len === 0) return new Uint8Array(0);
      throw this.corrupt(RDB_C_LINE.invalidLzf, 'Invalid LZF compressed string');
    }
    return out.out;
  }

  /** rdbLoadMillisecondTime: a signed 64-bit little-endian integer. */
  millisecondTime(): ExpireTime {
    const at = this.take(8);
    const b = this.bytes;
    const lo = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
    const hi = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24); // signed
    if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
    return expireTime((BigInt(hi) << 32n) | BigInt(lo));
  }

  /** rdbLoadTime: a signed 32-bit little-endian count of seconds (old EXPIRETIME). */
  time(): number {
    const at = this.take(4);
    const b = this.bytes;
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
  }
}

/** The decimal digits of a 32-bit integer (ll2string). */
function decimal(v: number): Uint8Array {
  const s = String(v);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** What a file's loader is told, in file order. */
export interface RdbLoadHandler {
  /** An AUX field (key and value as Redis loads them: integers as their digits). */
  aux?(key: Uint8Array, value: Uint8Array): void;
  /** A key and its value; expire is -1 when the key has none (as in rdb.c). */
  key(db: number, key: KeyName, value: RedisValue, expire: ExpireTime): void;
  /** A key whose value holds nothing (an empty list or hash): Redis skips it and goes on. */
  emptyKey?(db: number, key: KeyName): void;
  /** A function library (RDB_OPCODE_FUNCTION2, or the release candidates' FUNCTION): its code. */
  function?(code: Uint8Array): void;
  /** The first record after the AUX fields begins (a streamed RDB's AUX section is whole). */
  afterAux?(): void;
}

export interface RdbReadOptions {
  /** The server's number of databases (SELECTDB beyond it is fatal). */
  readonly databases: number;
  /** rdbchecksum: verify the CRC at the end (an all-zero CRC is never verified). */
  readonly verifyChecksum: boolean;
  readonly decode: DecodeContext;
  /** The caller hands the buffer over: values may be views of it (see RdbReader.shareBytes). */
  readonly shareBytes?: boolean;
}

export interface RdbReadResult {
  readonly version: number;
  /** How the checksum went: verified, all zeros in the file, not verified, or absent (version < 5). */
  readonly checksum: 'ok' | 'zero' | 'unchecked' | 'absent';
  /** The bytes the RDB took (a stream may carry more after it). */
  readonly length: number;
}

/**
 * rdbLoadRioWithLoadingCtx without the server around it: reads a whole RDB
 * from `bytes`, calls the handler for each AUX field and each key, and
 * verifies the checksum. LRU idle times and LFU counters are read and
 * dropped (the engine keeps neither); module AUX data and functions are
 * not supported yet.
 */
export function readRdb(bytes: Uint8Array | readonly Uint8Array[], options: RdbReadOptions, handler: RdbLoadHandler): RdbReadResult {
  const steps = readRdbSteps(bytes, options, handler, NO_STEPS);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How much a step of readRdbSteps reads at most: whichever comes first (a step ends between keys). */
export interface RdbStepLimits {
  readonly keys: number;
  readonly bytes: number;
}

const NO_STEPS: RdbStepLimits = { keys: Infinity, bytes: Infinity };

/** Where a load stands after a step: bytes of the file read and keys read (loaded, expired or skipped). */
export interface RdbStep {
  readonly bytes: number;
  readonly keys: number;
}

/**
 * readRdb in steps: yields after `limits.keys` keys or once `limits.bytes`
 * more bytes were read, so that a host can spread a big load over time (a
 * replica loading its master's RDB keeps answering LOADING meanwhile, as
 * Redis does). The file is one array, or its pieces in order.
 */
export function* readRdbSteps(
  file: Uint8Array | readonly Uint8Array[],
  options: RdbReadOptions,
  handler: RdbLoadHandler,
  limits: RdbStepLimits,
): Generator<RdbStep, RdbReadResult> {
  const r = file instanceof Uint8Array ? new RdbReader(file) : RdbReader.over(file);
  r.shareBytes = options.shareBytes ?? false;
  // The CRC is summed as the bytes are read (rio's update_cksum), so that no step does it all at the end.
  if (options.verifyChecksum) r.startChecksum();
  const head = r.take(9);
  if (latin1(r.bytes, head, head + 5) !== RDB_MAGIC) {
    throw new RdbError('signature', 'Wrong signature trying to load DB from file');
  }
  const version = atoi(latin1(r.bytes, head + 5, head + 9));
  if (version < 1 || version > RDB_VERSION) {
    throw new RdbError('version', `Can't handle RDB format version ${version}`, { version });
  }

  let keys = 0;
  let stepKeys = 0;
  let stepEnd = r.offset + limits.bytes;
  let db = 0;
  let expire: ExpireTime = -1;
  let inAux = true;
  for (;;) {
    const type = r.byte();
    if (inAux && type !== RDB_OPCODE_AUX) {
      inAux = false;
      handler.afterAux?.();
    }
    if (type === RDB_OPCODE_EXPIRETIME) {
      expire = r.time() * 1000;
      continue;
    } else if (type === RDB_OPCODE_EXPIRETIME_MS) {
      expire = r.millisecondTime();
      continue;
    } else if (type === RDB_OPCODE_FREQ) {
      r.take(1);
      continue;
    } else if (type === RDB_OPCODE_IDLE) {
      r.length();
      continue;
    } else if (type === RDB_OPCODE_EOF) {
      break;
    } else if (type === RDB_OPCODE_SELECTDB) {
      const id = r.length();
      if (id >= options.databases) {
        throw new RdbError('db-range', `FATAL: Data file was created with a Redis server configured to handle more than ${options.databases} databases. Exiting\n`, { db: id });
      }
      db = id;
      continue;
    } else if (type === RDB_OPCODE_RESIZEDB) {
      r.length();
      r.length();
      continue;
    } else if (type === RDB_OPCODE_AUX) {
      const key = r.string();
      const value = r.string();
      handler.aux?.(key, value);
      continue;
    } else if ((type === RDB_OPCODE_FUNCTION || type === RDB_OPCODE_FUNCTION2) && handler.function) {
      handler.function(readFunction(r, type));
      continue;
    } else if (type === RDB_OPCODE_MODULE_AUX || type === RDB_OPCODE_FUNCTION || type === RDB_OPCODE_FUNCTION2) {
      const what = type === RDB_OPCODE_MODULE_AUX ? 'module AUX data' : 'functions';
      throw new RdbError('unsupported', `The RDB file contains ${what}, which this engine cannot load yet`, { type, offset: r.offset - 1 });
    }

    // A key, then its value.
    const key = r.stringLatin1();
    const value = readObject(r, type, options.decode, db, key);
    if (value) handler.key(db, key, value, expire);
    else handler.emptyKey?.(db, key);
    expire = -1;
    keys++;
    if (++stepKeys >= limits.keys || r.offset >= stepEnd) {
      stepKeys = 0;
      stepEnd = r.offset + limits.bytes;
      if (options.verifyChecksum) r.checksum();
      yield { bytes: r.offset, keys };
    }
  }

  let checksum: RdbReadResult['checksum'] = 'absent';
  if (version >= 5) {
    const at = r.take(8);
    if (!options.verifyChecksum) {
      checksum = 'unchecked';
    } else {
      const got = readU64LE(r.bytes, at);
      if (got === 0n) {
        checksum = 'zero';
      } else {
        const expected = r.checksum(at).value;
        if (got !== expected) {
          throw new RdbError('checksum', 'RDB CRC error', { line: RDB_C_LINE.checksum, loadedBytes: r.loadedBytes, expected, got });
        }
        checksum = 'ok';
      }
    }
  }
  return { version, checksum, length: r.offset };
}

/**
 * rdbLoadObject for the value of a key (or of a DUMP payload) of `type`:
 * through the type's decoder; a type Redis has and the engine does not is
 * 'unsupported', any other byte 'unknown-type'. Null for a value that holds
 * nothing (RDB_LOAD_ERR_EMPTY_KEY).
 */
export function readObject(r: RdbReader, type: number, decode: DecodeContext, db: number, key: KeyName): RedisValue | null {
  const decoder = decoderFor(type);
  if (decoder) return decoder.read(r, type, decode);
  if (rdbIsObjectType(type)) {
    throw new RdbError('unsupported', `Can't load ${RDB_TYPE_NAMES[type]} values (RDB type ${type}) yet`, { type, db, key, offset: r.offset });
  }
  throw new RdbError('unknown-type', `Unknown RDB encoding type ${type}`, {
    type,
    line: RDB_C_LINE.unknownObjectType,
    loadedBytes: r.loadedBytes,
    offset: r.offset,
  });
}

/** atoi: optional spaces and sign, then digits, stopping at anything else. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(text)!;
  const n = m[2] === '' ? 0 : Number(m[2]);
  return m[1] === '-' ? -n : n;
}
