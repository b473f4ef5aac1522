// Builds reply bytes for one client, in RESP2 or RESP3 as the client chose
// with HELLO. Handlers call these methods; the node hands out the bytes
// after each batch of input. Texts the server writes are ASCII.

import { Err } from '../errors.ts';

const CRLF = 0x0d0a;

export class ReplyWriter {
  private buf = new Uint8Array(4096);
  private len = 0;
  /** 2 or 3, as set by HELLO. */
  protocol: 2 | 3 = 2;

  /** Takes the bytes written so far and empties the writer. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    return out;
  }

  get size(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  private ascii(text: string): void {
    this.ensure(text.length);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    this.len = at;
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.len++] = CRLF >> 8;
    this.buf[this.len++] = CRLF & 0xff;
  }

  /** Appends bytes already in RESP form (used for shared replies and proxying). */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  status(text: string): void {
    this.ascii('+' + text);
    this.crlf();
  }

  ok(): void {
    this.raw(OK);
  }

  /**
   * An error reply. The text starts with its code (ERR, WRONGTYPE, ...);
   * newlines are turned into spaces as addReplyErrorLength does, so a
   * user-supplied argument can never break the protocol.
   */
  error(text: string): void {
    this.ascii('-' + text.replace(/[\r\n]/g, ' '));
    this.crlf();
  }

  integer(value: number | bigint): void {
    this.ascii(':' + value.toString());
    this.crlf();
  }

  bulk(value: Uint8Array): void {
    this.ascii('$' + value.length);
    this.crlf();
    this.raw(value);
    this.crlf();
  }

  /** A bulk string of server-made ASCII text. */
  bulkText(text: string): void {
    this.ascii('$' + text.length + '\r\n' + text);
    this.crlf();
  }

  /** The null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.ascii(this.protocol === 3 ? '_' : '$-1');
    this.crlf();
  }

  arrayHeader(count: number): void {
    this.ascii('*' + count);
    this.crlf();
  }

  wrongArity(fullname: string): void {
    this.error(Err.wrongArity(fullname));
  }
}

const OK = new Uint8Array([0x2b, 0x4f, 0x4b, 0x0d, 0x0a]);
