// The Lua 5.1 lexer, as llex.c scans: the same tokens, the same line
// counting and the same error messages ("user_script:1: unfinished string
// near '"abc'"), because Redis replies with them verbatim. Source and
// strings are byte strings: JS strings whose char codes are bytes 0-255.

import { str2number } from './number.ts';

export const enum T {
  // Single-character tokens are their char code (0-255); the rest follow.
  AND = 257, BREAK, DO, ELSE, ELSEIF, END, FALSE, FOR, FUNCTION, IF, IN, LOCAL, NIL, NOT, OR, REPEAT, RETURN, THEN, TRUE, UNTIL, WHILE,
  CONCAT, DOTS, EQ, GE, LE, NE, NUMBER, NAME, STRING, EOS,
}

const RESERVED = ['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while'];
const TOKEN_NAMES = [...RESERVED, '..', '...', '==', '>=', '<=', '~=', '<number>', '<name>', '<string>', '<eof>'];
const RESERVED_CODE = new Map(RESERVED.map((w, i) => [w, T.AND + i]));

/** A compile error: the message as Lua words it, position included. */
export class LuaSyntaxError extends Error {}

const EOZ = -1;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}
function isCntrl(c: number): boolean {
  return c < 0x20 || c === 0x7f;
}

/** luaX_token2str. */
export function tokenText(token: number): string {
  if (token < 257) return isCntrl(token) ? `char(${token})` : String.fromCharCode(token);
  return TOKEN_NAMES[token - 257];
}

export class Lexer {
  private pos = 0;
  private current: number;
  /** The current character (a method, so the checker does not narrow it across next()). */
  private ch(): number {
    return this.current;
  }
  /** The text of the token being read (luaZ_buffer), for "near '...'". */
  private buf = '';
  linenumber = 1;
  /** The line of the last token consumed. */
  lastline = 1;
  token = 0;
  /** The token's value: a number, or a name's or string's bytes. */
  value: number | string = 0;
  private tokenBuf = '';
  private ahead: { token: number; value: number | string; buf: string } | null = null;

  constructor(
    private readonly src: string,
    /** luaO_chunkid of the chunk name ("user_script"). */
    readonly chunk: string,
  ) {
    this.current = src.length > 0 ? src.charCodeAt(0) : EOZ;
  }

  private next(): void {
    this.pos++;
    this.current = this.pos < this.src.length ? this.src.charCodeAt(this.pos) : EOZ;
  }

  private saveAndNext(): void {
    this.buf += String.fromCharCode(this.ch());
    this.next();
  }

  private isNewline(): boolean {
    return this.ch() === 0x0a || this.ch() === 0x0d;
  }

  private incLine(): void {
    const old = this.ch();
    this.next();
    if (this.isNewline() && this.ch() !== old) this.next(); // \n\r or \r\n
    this.linenumber++;
  }

  /** luaX_lexerror: the message with its position, and the token it is near (none for 0). */
  error(msg: string, token: number): never {
    let text = `${this.chunk}:${this.linenumber}: ${msg}`;
    if (token) text += ` near '${this.txtToken(token)}'`;
    throw new LuaSyntaxError(text);
  }

  syntaxError(msg: string): never {
    this.error(msg, this.token);
  }

  private txtToken(token: number): string {
    if (token === T.NAME || token === T.STRING || token === T.NUMBER) return this.lexing ? this.buf : this.tokenBuf;
    return tokenText(token);
  }

  /** luaX_next. */
  advance(): void {
    this.lastline = this.linenumber;
    if (this.ahead) {
      ({ token: this.token, value: this.value, buf: this.tokenBuf } = this.ahead);
      this.ahead = null;
      return;
    }
    this.token = this.lexNow();
    this.tokenBuf = this.buf;
  }

  /** While a token is read, its text so far is what an error is near. */
  private lexing = false;

  private lexNow(): number {
    this.lexing = true;
    try {
      return this.lex();
    } finally {
      this.lexing = false;
    }
  }

  /** luaX_lookahead: the token after the current one. */
  lookahead(): number {
    const token = this.token;
    const value = this.value;
    const buf = this.tokenBuf;
    const t = this.lexNow();
    this.ahead = { token: t, value: this.value, buf: this.buf };
    this.token = token;
    this.value = value;
    this.tokenBuf = buf;
    return t;
  }

  private checkNext(set: string): boolean {
    if (this.ch() === EOZ || !set.includes(String.fromCharCode(this.ch()))) return false;
    this.saveAndNext();
    return true;
  }

  private readNumeral(): number {
    do this.saveAndNext();
    while (isDigit(this.ch()) || this.ch() === 0x2e);
    if (this.checkNext('Ee')) this.checkNext('+-');
    while (isAlnum(this.ch()) || this.ch() === 0x5f) this.saveAndNext();
    const n = str2number(this.buf);
    if (n === null) this.error('malformed number', T.NUMBER);
    return n;
  }

  /** skip_sep: the level of a long bracket ([==[), or -1 - level when it is not one. */
  private skipSep(): number {
    let count = 0;
    const s = this.ch();
    this.saveAndNext();
    while (this.ch() === 0x3d) {
      this.saveAndNext();
      count++;
    }
    return this.ch() === s ? count : -count - 1;
  }

  private readLongString(isString: boolean, sep: number): string {
    this.saveAndNext(); // the second [
    if (this.isNewline()) this.incLine(); // a first newline is skipped
    for (;;) {
      switch (this.ch()) {
        case EOZ:
          this.error(isString ? 'unfinished long string' : 'unfinished long comment', T.EOS);
          break;
        // No LUA_COMPAT_LSTR in Redis 7.0.15 as Debian builds it: a [[ inside [[...]] is plain text.
        case 0x5d: // ]
          if (this.skipSep() === sep) {
            this.saveAndNext();
            const b = this.buf;
            return isString ? b.slice(2 + sep, b.length - 2 - sep) : '';
          }
          break;
        case 0x0a:
        case 0x0d:
          this.buf += '\n';
          this.incLine();
          if (!isString) this.buf = '';
          break;
        default:
          if (isString) this.saveAndNext();
          else this.next();
      }
    }
  }

  private readString(del: number): string {
    this.saveAndNext();
    while (this.ch() !== del) {
      switch (this.ch()) {
        case EOZ:
          this.error('unfinished string', T.EOS);
          break;
        case 0x0a:
        case 0x0d:
          this.error('unfinished string', T.STRING);
          break;
        case 0x5c: {
          // backslash
          this.next();
          let c: number;
          switch (this.ch()) {
            case 0x61: c = 7; break; // \a
            case 0x62: c = 8; break; // \b
            case 0x66: c = 12; break; // \f
            case 0x6e: c = 10; break; // \n
            case 0x72: c = 13; break; // \r
            case 0x74: c = 9; break; // \t
            case 0x76: c = 11; break; // \v
            case 0x0a:
            case 0x0d:
              this.buf += '\n';
              this.incLine();
              continue;
            case EOZ:
              continue; // the loop reports the unfinished string
            default: {
              if (!isDigit(this.ch())) {
                this.saveAndNext(); // \\, \", \', and any other character as itself
                continue;
              }
              c = 0;
              let i = 0;
              do {
                c = 10 * c + (this.ch() - 0x30);
                this.next();
              } while (++i < 3 && isDigit(this.ch()));
              if (c > 255) this.error('escape sequence too large', T.STRING);
              this.buf += String.fromCharCode(c);
              continue;
            }
          }
          this.buf += String.fromCharCode(c);
          this.next();
          break;
        }
        default:
          this.saveAndNext();
      }
    }
    this.saveAndNext();
    return this.buf.slice(1, -1);
  }

  private lex(): number {
    this.buf = '';
    for (;;) {
      const c = this.ch();
      switch (c) {
        case 0x0a:
        case 0x0d:
          this.incLine();
          continue;
        case 0x2d: // -
          this.next();
          if (this.ch() !== 0x2d) return 0x2d;
          this.next();
          if (this.ch() === 0x5b) {
            const sep = this.skipSep();
            this.buf = '';
            if (sep >= 0) {
              this.readLongString(false, sep);
              this.buf = '';
              continue;
            }
          }
          while (!this.isNewline() && this.ch() !== EOZ) this.next();
          this.buf = '';
          continue;
        case 0x5b: {
          // [
          const sep = this.skipSep();
          if (sep >= 0) {
            this.value = this.readLongString(true, sep);
            return T.STRING;
          }
          if (sep === -1) return 0x5b;
          this.error('invalid long string delimiter', T.STRING);
        }
        // falls through (never: error throws)
        case 0x3d: // =
          this.next();
          if (this.ch() !== 0x3d) return 0x3d;
          this.next();
          return T.EQ;
        case 0x3c: // <
          this.next();
          if (this.ch() !== 0x3d) return 0x3c;
          this.next();
          return T.LE;
        case 0x3e: // >
          this.next();
          if (this.ch() !== 0x3d) return 0x3e;
          this.next();
          return T.GE;
        case 0x7e: // ~
          this.next();
          if (this.ch() !== 0x3d) return 0x7e;
          this.next();
          return T.NE;
        case 0x22:
        case 0x27:
          this.value = this.readString(c);
          return T.STRING;
        case 0x2e: // .
          this.saveAndNext();
          if (this.checkNext('.')) return this.checkNext('.') ? T.DOTS : T.CONCAT;
          if (!isDigit(this.ch())) return 0x2e;
          this.value = this.readNumeral();
          return T.NUMBER;
        case EOZ:
          return T.EOS;
        default: {
          if (c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c) {
            this.next();
            continue;
          }
          if (isDigit(c)) {
            this.value = this.readNumeral();
            return T.NUMBER;
          }
          if (isAlpha(c) || c === 0x5f) {
            do this.saveAndNext();
            while (isAlnum(this.ch()) || this.ch() === 0x5f);
            const reserved = RESERVED_CODE.get(this.buf);
            if (reserved !== undefined) return reserved;
            this.value = this.buf;
            return T.NAME;
          }
          this.next();
          return c;
        }
      }
    }
  }
}
