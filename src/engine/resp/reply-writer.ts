// Builds reply bytes for one client, in RESP2 or RESP3 as the client chose
// with HELLO. Handlers call these methods; the node hands out the bytes
// after each batch of input. Texts the server writes are ASCII.

import { Err } from '../errors.ts';
import { ByteBuffer } from '../byte-buffer.ts';

const CRLF = 0x0d0a;

export class ReplyWriter extends ByteBuffer {
  /** 2 or 3, as set by HELLO. */
  protocol: 2 | 3 = 2;

  constructor() {
    super(4096);
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.len++] = CRLF >> 8;
    this.buf[this.len++] = CRLF & 0xff;
  }

  status(text: string): void {
    this.latin1('+' + text);
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
    this.latin1('-' + text.replace(/[\r\n]/g, ' '));
    this.crlf();
  }

  integer(value: number | bigint): void {
    this.latin1(':' + value.toString());
    this.crlf();
  }

  bulk(value: Uint8Array): void {
    this.latin1('$' + value.length);
    this.crlf();
    this.raw(value);
    this.crlf();
  }

  /** A bulk string of server-made ASCII text. */
  bulkText(text: string): void {
    this.latin1('$' + text.length + '\r\n' + text);
    this.crlf();
  }

  /** The null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.latin1(this.protocol === 3 ? '_' : '$-1');
    this.crlf();
  }

  /** The null array: `*-1` in RESP2, `_` in RESP3 (EXEC aborted by WATCH). */
  nullArray(): void {
    this.latin1(this.protocol === 3 ? '_' : '*-1');
    this.crlf();
  }

  arrayHeader(count: number): void {
    this.latin1('*' + count);
    this.crlf();
  }

  /** addReplyPushLen: `>count` in RESP3; RESP2 has no push type, so pub/sub messages are plain arrays there. */
  pushHeader(count: number): void {
    this.latin1((this.protocol === 3 ? '>' : '*') + count);
    this.crlf();
  }

  /** addReplyMapLen: `%pairs` in RESP3, a flat array of 2 * pairs elements in RESP2. */
  mapHeader(pairs: number): void {
    this.latin1(this.protocol === 3 ? '%' + pairs : '*' + pairs * 2);
    this.crlf();
  }

  /** addReplySetLen: `~count` in RESP3, an array in RESP2. */
  setHeader(count: number): void {
    this.latin1((this.protocol === 3 ? '~' : '*') + count);
    this.crlf();
  }

  /** addReplyDouble for a value already formatted ("%.17g", inf, -inf): a bulk string in RESP2, a double in RESP3. */
  doubleText(text: string): void {
    if (this.protocol === 3) {
      this.latin1(',' + text);
      this.crlf();
    } else {
      this.bulkText(text);
    }
  }

  wrongArity(fullname: string): void {
    this.error(Err.wrongArity(fullname));
  }
}

const OK = new Uint8Array([0x2b, 0x4f, 0x4b, 0x0d, 0x0a]);
