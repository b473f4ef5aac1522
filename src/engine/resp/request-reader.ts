// Splits a client's input bytes into commands, the way networking.c's
// processInputBuffer does: a buffer starting with '*' is RESP multibulk,
// anything else is an inline command split like sdssplitargs. Partial input
// waits for more bytes; malformed input yields the protocol error Redis
// replies with, after which the connection is closed.

import { Err } from '../errors.ts';
import { splitArgs } from './split-args.ts';
import { string2ll } from '../bytes.ts';

/** PROTO_INLINE_MAX_SIZE: the longest line kept while waiting for its end. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;
const INT_MAX = 2147483647;

/** A protocol error: the text of the error reply; the connection closes after it. */
export class ProtocolError {
  constructor(
    readonly reply: string,
    /** The short reason Redis logs (setProtocolError). */
    readonly reason: string,
  ) {}
}

export interface RequestReaderOptions {
  /** proto-max-bulk-len; bulk lengths above it are refused. */
  maxBulkLength(): number;
}

const CR = 0x0d;
const LF = 0x0a;

export class RequestReader {
  private buf = new Uint8Array(16 * 1024);
  private start = 0;
  private end = 0;
  // Multibulk state survives between feeds, as c->multibulklen / c->bulklen do.
  private multibulkLeft = 0;
  private bulkLength = -1;
  private argv: Uint8Array[] = [];

  constructor(private readonly options: RequestReaderOptions) {}

  /** Appends received bytes. */
  feed(bytes: Uint8Array): void {
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
    const need = this.end + bytes.length;
    if (need > this.buf.length) {
      const live = this.end - this.start;
      if (live + bytes.length <= this.buf.length >> 1) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        let size = this.buf.length * 2;
        while (size < live + bytes.length) size *= 2;
        const grown = new Uint8Array(size);
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(bytes, this.end);
    this.end += bytes.length;
  }

  /** Bytes received and not yet consumed as commands (the query buffer). */
  get pending(): number {
    return this.end - this.start;
  }

  /**
   * The next complete command, [] for an empty one (a blank inline line or
   * `*0`), null when more bytes are needed, or a ProtocolError.
   */
  next(): Uint8Array[] | null | ProtocolError {
    if (this.start === this.end) return null;
    if (this.multibulkLeft === 0 && this.buf[this.start] !== 0x2a /* '*' */) return this.inline();
    return this.multibulk();
  }

  /** Index of the first `ch` at or after `from`, stopping at a NUL byte as strchr does; -1 if none. */
  private strchr(from: number, ch: number): number {
    const buf = this.buf;
    for (let i = from; i < this.end; i++) {
      const b = buf[i];
      if (b === ch) return i;
      if (b === 0) return -1;
    }
    return -1;
  }

  private inline(): Uint8Array[] | null | ProtocolError {
    let newline = this.strchr(this.start, LF);
    if (newline < 0) {
      if (this.end - this.start > PROTO_INLINE_MAX_SIZE) {
        return new ProtocolError(Err.protoTooBigInline, 'too big inline request');
      }
      return null;
    }
    const consumed = newline + 1;
    if (newline !== this.start && this.buf[newline - 1] === CR) newline--;
    const argv = splitArgs(this.buf.subarray(this.start, newline));
    if (argv === null) return new ProtocolError(Err.protoUnbalancedQuotes, 'unbalanced quotes in inline request');
    this.start = consumed;
    return argv;
  }

  private multibulk(): Uint8Array[] | null | ProtocolError {
    const buf = this.buf;
    if (this.multibulkLeft === 0) {
      const quick = quickLength(buf, this.start + 1, this.end);
      if (quick > 0) {
        this.start = quickEnd + 2;
        this.multibulkLeft = quick;
        this.argv = [];
      }
    }
    if (this.multibulkLeft === 0) {
      const cr = this.strchr(this.start, CR);
      if (cr < 0) {
        if (this.end - this.start > PROTO_INLINE_MAX_SIZE) {
          return new ProtocolError(Err.protoTooBigMbulkCount, 'too big mbulk count string');
        }
        return null;
      }
      // The byte after '\r' must have arrived too (it is not checked to be '\n').
      if (cr + 1 >= this.end) return null;
      const count = parseLength(buf, this.start + 1, cr);
      if (count === null || count > INT_MAX) {
        return new ProtocolError(Err.protoInvalidMultibulkLength, 'invalid mbulk count');
      }
      this.start = cr + 2;
      if (count <= 0) return [];
      this.multibulkLeft = count;
      this.argv = [];
    }
    let maxBulk = -1;
    while (this.multibulkLeft > 0) {
      if (this.bulkLength === -1 && buf[this.start] === 0x24 /* '$' */) {
        // The common header, "$<1 to 9 digits>\r" and one more byte, read in one pass; anything else takes the path below.
        const len = quickLength(buf, this.start + 1, this.end);
        if (len >= 0) {
          if (maxBulk < 0) maxBulk = this.options.maxBulkLength();
          if (len <= maxBulk) {
            this.start = quickEnd + 2;
            this.bulkLength = len;
          }
        }
      }
      if (this.bulkLength === -1) {
        const cr = this.strchr(this.start, CR);
        if (cr < 0) {
          if (this.end - this.start > PROTO_INLINE_MAX_SIZE) {
            return new ProtocolError(Err.protoTooBigBulkCount, 'too big bulk count string');
          }
          return null;
        }
        if (cr + 1 >= this.end) return null;
        if (buf[this.start] !== 0x24 /* '$' */) {
          return new ProtocolError(
            Err.protoExpectedDollar(String.fromCharCode(buf[this.start])),
            'expected $ but got something else',
          );
        }
        const len = parseLength(buf, this.start + 1, cr);
        if (len === null || len < 0 || len > this.options.maxBulkLength()) {
          return new ProtocolError(Err.protoInvalidBulkLength, 'invalid bulk length');
        }
        this.start = cr + 2;
        this.bulkLength = len;
      }
      // The bulk and its two trailing bytes (not checked to be "\r\n").
      if (this.end - this.start < this.bulkLength + 2) return null;
      this.argv.push(copyOut(buf, this.start, this.bulkLength));
      this.start += this.bulkLength + 2;
      this.bulkLength = -1;
      this.multibulkLeft--;
    }
    const argv = this.argv;
    this.argv = [];
    return argv;
  }
}

/** The argument's own copy (the buffer is reused): a loop for short ones, cheaper there than slice's setup. */
function copyOut(buf: Uint8Array, from: number, length: number): Uint8Array {
  if (length > 32) return buf.slice(from, from + length);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = buf[from + i];
  return out;
}

/** Where quickLength's digits ended (the CR), set by each call that succeeds. */
let quickEnd = 0;

/**
 * The number of a header line from `from` when it is plain: 1 to 9 digits
 * without a leading zero (or a single 0), then CR, then at least one more
 * byte received. -1 when it is anything else or incomplete, for the general
 * path (strchr, string2ll) to decide exactly as before.
 */
function quickLength(buf: Uint8Array, from: number, end: number): number {
  let i = from;
  let value = 0;
  const limit = Math.min(end, from + 9);
  while (i < limit) {
    const b = buf[i];
    if (b < 0x30 || b > 0x39) break;
    value = value * 10 + (b - 0x30);
    i++;
  }
  const digits = i - from;
  if (digits === 0 || (digits > 1 && buf[from] === 0x30) || i + 1 >= end || buf[i] !== CR) return -1;
  quickEnd = i;
  return value;
}

/** string2ll over a header line, as a plain number (lengths fit easily). */
function parseLength(buf: Uint8Array, from: number, to: number): number | null {
  const value = string2ll(buf, from, to);
  return value === null ? null : Number(value);
}
