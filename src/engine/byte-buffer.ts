// A growable byte array written at its end: the base of the reply writer
// (RESP to clients) and the RDB writer (files and DUMP payloads).

export class ByteBuffer {
  protected buf: Uint8Array;
  protected len = 0;

  constructor(initialSize: number) {
    this.buf = new Uint8Array(initialSize);
  }

  get size(): number {
    return this.len;
  }

  /** The bytes written so far (a view; copy it to keep it past later writes). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Takes a copy of the bytes written so far and empties the buffer. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.len);
    this.len = 0;
    return out;
  }

  /** Takes a copy of the bytes written after the first `mark`, and leaves only those `mark` bytes. */
  takeTail(mark: number): Uint8Array {
    if (mark >= this.len) return new Uint8Array(0);
    const out = this.buf.slice(mark, this.len);
    this.len = mark;
    return out;
  }

  /** Makes room for `extra` more bytes, doubling the array as needed. */
  protected ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  /** Appends bytes as they are. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** Appends chars 0..255 of a string, one byte each (ASCII texts, key names). */
  latin1(text: string): void {
    this.ensure(text.length);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    this.len = at;
  }
}
