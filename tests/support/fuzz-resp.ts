// A strict check of the bytes a server sends, for the command fuzz: every
// reply must be well-formed RESP2 or RESP3 as hiredis reads it, down to the
// details a lenient reader lets pass (a CRLF after every bulk, no CR or LF
// inside a status or error line, integers in range and without leading
// zeros, lengths and counts that are plain decimals, an error that starts
// with an upper-case code).

export class RespViolation extends Error {}

/** Splits `buf` into its whole replies (each checked), and how many bytes are left over (an incomplete reply). */
export function splitReplies(buf: Uint8Array): { replies: Uint8Array[]; rest: number } {
  const replies: Uint8Array[] = [];
  let pos = 0;
  for (;;) {
    const next = one(buf, pos, 0);
    if (next < 0) return { replies, rest: buf.length - pos };
    replies.push(buf.subarray(pos, next));
    pos = next;
  }
}

/** A reply's first line (its type byte and head: "+OK", "-ERR ...", "$5", "*3"). */
export function replyHead(reply: Uint8Array): string {
  let s = '';
  for (let i = 0; i < reply.length && reply[i] !== 0x0d; i++) s += String.fromCharCode(reply[i]);
  return s;
}

const CR = 0x0d;
const LF = 0x0a;

/** The end (after CRLF) of the line starting at pos, or -1 when incomplete; a bare CR or LF inside is a violation. */
function lineEnd(buf: Uint8Array, pos: number): number {
  for (let i = pos; i < buf.length; i++) {
    if (buf[i] === CR) {
      if (i + 1 >= buf.length) return -1;
      if (buf[i + 1] !== LF) throw new RespViolation(`a CR without LF at ${i}`);
      return i + 2;
    }
    if (buf[i] === LF) throw new RespViolation(`a LF without CR at ${i}`);
  }
  return -1;
}

function text(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(buf[i]);
  return s;
}

const INTEGER = /^(0|-?[1-9]\d*)$/;
const LENGTH = /^(-1|0|[1-9]\d*)$/;
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
/** %.17g output, inf, -inf, nan (RESP3 doubles). */
const DOUBLE = /^(-?inf|nan|-?\d+(\.\d+)?(e[+-]\d+)?)$/;

/** The end of the reply at pos (at nesting depth `depth`), or -1 when incomplete. */
function one(buf: Uint8Array, pos: number, depth: number): number {
  if (pos >= buf.length) return -1;
  if (depth > 64) throw new RespViolation('replies nested deeper than 64');
  const kind = String.fromCharCode(buf[pos]);
  const end = lineEnd(buf, pos + 1);
  if (end < 0) return -1;
  const head = text(buf, pos + 1, end - 2);
  switch (kind) {
    case '+':
      return end;
    case '-':
      if (!/^[A-Z][A-Z_-]*( |$)/.test(head)) throw new RespViolation(`an error without an upper-case code: -${head}`);
      return end;
    case ':':
    case '(': {
      if (!INTEGER.test(head)) throw new RespViolation(`a bad integer: ${kind}${head}`);
      if (kind === ':' && (BigInt(head) < MIN || BigInt(head) > MAX)) throw new RespViolation(`an integer out of range: ${head}`);
      return end;
    }
    case ',':
      if (!DOUBLE.test(head)) throw new RespViolation(`a bad double: ,${head}`);
      return end;
    case '#':
      if (head !== 't' && head !== 'f') throw new RespViolation(`a bad boolean: #${head}`);
      return end;
    case '_':
      if (head !== '') throw new RespViolation(`a bad null: _${head}`);
      return end;
    case '$':
    case '=':
    case '!': {
      if (!LENGTH.test(head)) throw new RespViolation(`a bad length: ${kind}${head}`);
      const len = Number(head);
      if (len < 0) {
        if (kind !== '$') throw new RespViolation(`a negative length: ${kind}${head}`);
        return end;
      }
      if (buf.length < end + len + 2) return -1;
      if (buf[end + len] !== CR || buf[end + len + 1] !== LF) throw new RespViolation(`no CRLF after a ${len}-byte bulk`);
      if (kind === '=' && (len < 4 || buf[end + 3] !== 0x3a)) throw new RespViolation('a verbatim string without its format');
      return end + len + 2;
    }
    case '*':
    case '%':
    case '~':
    case '>':
    case '|': {
      if (!LENGTH.test(head)) throw new RespViolation(`a bad count: ${kind}${head}`);
      let count = Number(head);
      if (count < 0) {
        if (kind !== '*') throw new RespViolation(`a negative count: ${kind}${head}`);
        return end;
      }
      if (kind === '%' || kind === '|') count *= 2;
      let at = end;
      for (let i = 0; i < count; i++) {
        at = one(buf, at, depth + 1);
        if (at < 0) return -1;
      }
      // An attribute comes before the reply it belongs to.
      return kind === '|' ? one(buf, at, depth) : at;
    }
    default:
      throw new RespViolation(`a reply starting with byte ${buf[pos]} ('${kind}')`);
  }
}
