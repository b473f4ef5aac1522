// Decodes RESP2 and RESP3 replies into values, as a client (hiredis) does.
// Used by the redis-cli layer, the tests and the capture scripts.

export type Reply =
  | { type: 'status'; text: Uint8Array }
  | { type: 'error'; text: Uint8Array }
  | { type: 'integer'; value: bigint }
  | { type: 'bulk'; value: Uint8Array }
  | { type: 'verbatim'; format: string; value: Uint8Array }
  | { type: 'double'; text: string }
  | { type: 'bignum'; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'nil' }
  | { type: 'array'; items: Reply[] }
  | { type: 'map'; items: Reply[] } // key, value, key, value ...
  | { type: 'set'; items: Reply[] }
  | { type: 'push'; items: Reply[] }
  | { type: 'attribute'; items: Reply[] };

class Incomplete {}
const INCOMPLETE = new Incomplete();

export class ReplyFormatError extends Error {}

/** Streaming decoder: feed bytes, take whole replies. */
export class ReplyReader {
  private buf = new Uint8Array(0);
  private pos = 0;

  feed(bytes: Uint8Array): void {
    const rest = this.buf.subarray(this.pos);
    const merged = new Uint8Array(rest.length + bytes.length);
    merged.set(rest);
    merged.set(bytes, rest.length);
    this.buf = merged;
    this.pos = 0;
  }

  /** Bytes received and not yet decoded. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** The next whole reply, or undefined when more bytes are needed. */
  next(): Reply | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const at = { pos: this.pos };
    const value = parse(this.buf, at);
    if (value === INCOMPLETE) return undefined;
    this.pos = at.pos;
    return value as Reply;
  }

  /** Like next(), also returning the exact bytes the reply took. */
  nextRaw(): { reply: Reply; bytes: Uint8Array } | undefined {
    const from = this.pos;
    const reply = this.next();
    if (!reply) return undefined;
    return { reply, bytes: this.buf.slice(from, this.pos) };
  }
}

function line(buf: Uint8Array, at: { pos: number }): string | Incomplete {
  for (let i = at.pos; i + 1 < buf.length; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a) {
      let text = '';
      for (let j = at.pos; j < i; j++) text += String.fromCharCode(buf[j]);
      at.pos = i + 2;
      return text;
    }
  }
  return INCOMPLETE;
}

function lineBytes(buf: Uint8Array, at: { pos: number }): Uint8Array | Incomplete {
  for (let i = at.pos; i + 1 < buf.length; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a) {
      const out = buf.slice(at.pos, i);
      at.pos = i + 2;
      return out;
    }
  }
  return INCOMPLETE;
}

function parse(buf: Uint8Array, at: { pos: number }): Reply | Incomplete {
  if (at.pos >= buf.length) return INCOMPLETE;
  const kind = buf[at.pos++];
  switch (kind) {
    case 0x2b /* + */: {
      const text = lineBytes(buf, at);
      return text === INCOMPLETE ? text : { type: 'status', text: text as Uint8Array };
    }
    case 0x2d /* - */: {
      const text = lineBytes(buf, at);
      return text === INCOMPLETE ? text : { type: 'error', text: text as Uint8Array };
    }
    case 0x3a /* : */: {
      const text = line(buf, at);
      return text === INCOMPLETE ? text : { type: 'integer', value: BigInt(text as string) };
    }
    case 0x24 /* $ */:
    case 0x3d /* = */:
    case 0x21 /* ! */: {
      const text = line(buf, at);
      if (text === INCOMPLETE) return text;
      const len = Number(text);
      if (len < 0) return { type: 'nil' };
      if (buf.length - at.pos < len + 2) return INCOMPLETE;
      const value = buf.slice(at.pos, at.pos + len);
      at.pos += len + 2;
      if (kind === 0x24) return { type: 'bulk', value };
      if (kind === 0x21) return { type: 'error', text: value };
      // Verbatim: "txt:" then the text.
      let format = '';
      for (let i = 0; i < 3 && i < value.length; i++) format += String.fromCharCode(value[i]);
      return { type: 'verbatim', format, value: value.subarray(4) };
    }
    case 0x5f /* _ */: {
      const text = line(buf, at);
      return text === INCOMPLETE ? text : { type: 'nil' };
    }
    case 0x23 /* # */: {
      const text = line(buf, at);
      return text === INCOMPLETE ? text : { type: 'bool', value: text === 't' };
    }
    case 0x2c /* , */: {
      const text = line(buf, at);
      return text === INCOMPLETE ? text : { type: 'double', text: text as string };
    }
    case 0x28 /* ( */: {
      const text = line(buf, at);
      return text === INCOMPLETE ? text : { type: 'bignum', text: text as string };
    }
    case 0x2a /* * */:
    case 0x25 /* % */:
    case 0x7e /* ~ */:
    case 0x3e /* > */:
    case 0x7c /* | */: {
      const text = line(buf, at);
      if (text === INCOMPLETE) return text;
      let count = Number(text);
      if (count < 0) return { type: 'nil' };
      if (kind === 0x25 || kind === 0x7c) count *= 2;
      const items: Reply[] = [];
      for (let i = 0; i < count; i++) {
        const item = parse(buf, at);
        if (item === INCOMPLETE) return item;
        items.push(item as Reply);
      }
      const type = kind === 0x2a ? 'array' : kind === 0x25 ? 'map' : kind === 0x7e ? 'set' : kind === 0x3e ? 'push' : 'attribute';
      return { type, items };
    }
    default:
      throw new ReplyFormatError(`Protocol error, got ${JSON.stringify(String.fromCharCode(kind))} as reply type byte`);
  }
}

/** Encodes a command as a RESP multibulk request. */
export function encodeCommand(argv: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  const heads: string[] = [];
  const top = `*${argv.length}\r\n`;
  size += top.length;
  for (const arg of argv) {
    const head = `$${arg.length}\r\n`;
    heads.push(head);
    size += head.length + arg.length + 2;
  }
  const out = new Uint8Array(size);
  let at = 0;
  const put = (s: string) => {
    for (let i = 0; i < s.length; i++) out[at++] = s.charCodeAt(i);
  };
  put(top);
  argv.forEach((arg, i) => {
    put(heads[i]);
    out.set(arg, at);
    at += arg.length;
    out[at++] = 0x0d;
    out[at++] = 0x0a;
  });
  return out;
}
