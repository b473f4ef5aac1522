// cjson as Redis embeds it (lua_cjson.c 2.1.0): encode walks tables in
// Lua's own order (next()), numbers in "%.14g", escapes '/' as "\/";
// decode reads JSON as a C string with the same tokens and the same
// messages ("Expected value but found T_END at character 1"), null as the
// light userdata cjson.null.

import { LuaTable } from './table.ts';
import { LuaUserdata, typeName, type LuaValue } from './value.ts';
import { luaLError } from './runtime.ts';
import { argCheck, checkString, library, type Native } from './args.ts';
import { formatFloat, strtod } from './number.ts';

/** cjson.null: a NULL light userdata. */
export const JSON_NULL = new LuaUserdata('(nil)');

interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  precision: number;
  keepBuffer: boolean;
  encodeInvalid: 0 | 1 | 2;
  decodeInvalid: boolean;
}

const ESCAPES: (string | null)[] = new Array(256).fill(null);
for (let i = 0; i < 32; i++) ESCAPES[i] = '\\u' + i.toString(16).padStart(4, '0');
ESCAPES[8] = '\\b';
ESCAPES[9] = '\\t';
ESCAPES[10] = '\\n';
ESCAPES[12] = '\\f';
ESCAPES[13] = '\\r';
ESCAPES[34] = '\\"';
ESCAPES[47] = '\\/';
ESCAPES[92] = '\\\\';
ESCAPES[127] = '\\u007f';

function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const e = ESCAPES[s.charCodeAt(i)];
    out += e ?? s[i];
  }
  return out + '"';
}

function encodeError(v: LuaValue, reason: string): never {
  throw luaLError(`Cannot serialise ${typeName(v)}: ${reason}`);
}

function encodeNumber(cfg: Config, n: number, v: LuaValue): string {
  if (cfg.encodeInvalid === 0) {
    if (!Number.isFinite(n)) encodeError(v, 'must not be NaN or Inf');
  } else if (cfg.encodeInvalid === 1) {
    if (Number.isNaN(n)) return 'nan';
  } else if (!Number.isFinite(n)) return 'null';
  return formatFloat(n, 'g', cfg.precision);
}

/** lua_array_length: the array's size, or -1 for an object. */
function arrayLength(cfg: Config, t: LuaTable): number {
  let max = 0;
  let items = 0;
  for (let e = t.next(undefined); e; e = t.next(e[0])) {
    const k = e[0];
    if (typeof k === 'number' && k !== 0 && Math.floor(k) === k && k >= 1) {
      if (k > max) max = k;
      items++;
      continue;
    }
    return -1;
  }
  if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
    if (!cfg.sparseConvert) encodeError(t, 'excessively sparse array');
    return -1;
  }
  return max;
}

function encode(cfg: Config, v: LuaValue, depth: number, out: string[]): void {
  switch (typeof v) {
    case 'string':
      out.push(encodeString(v));
      return;
    case 'number':
      out.push(encodeNumber(cfg, v, v));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'undefined':
      out.push('null');
      return;
  }
  if (v === JSON_NULL) {
    out.push('null');
    return;
  }
  if (!(v instanceof LuaTable)) encodeError(v, 'type not supported');
  depth++;
  if (depth > cfg.encodeMaxDepth) throw luaLError(`Cannot serialise, excessive nesting (${depth})`);
  const len = arrayLength(cfg, v);
  if (len > 0) {
    out.push('[');
    for (let i = 1; i <= len; i++) {
      if (i > 1) out.push(',');
      encode(cfg, v.get(i), depth, out);
    }
    out.push(']');
    return;
  }
  out.push('{');
  let comma = false;
  for (let e = v.next(undefined); e; e = v.next(e[0])) {
    if (comma) out.push(',');
    comma = true;
    const k = e[0];
    if (typeof k === 'number') out.push('"' + encodeNumber(cfg, k, k) + '":');
    else if (typeof k === 'string') out.push(encodeString(k) + ':');
    else encodeError(k, 'table key must be a number or string');
    encode(cfg, e[1], depth, out);
  }
  out.push('}');
}

// --- decoding

type TokenType = 'T_OBJ_BEGIN' | 'T_OBJ_END' | 'T_ARR_BEGIN' | 'T_ARR_END' | 'T_STRING' | 'T_NUMBER' | 'T_BOOLEAN' | 'T_NULL' | 'T_COLON' | 'T_COMMA' | 'T_END' | 'T_ERROR';

interface Token {
  type: TokenType;
  index: number;
  value?: LuaValue;
  error?: string;
}

const SINGLE: Record<string, TokenType> = { '{': 'T_OBJ_BEGIN', '}': 'T_OBJ_END', '[': 'T_ARR_BEGIN', ']': 'T_ARR_END', ',': 'T_COMMA', ':': 'T_COLON' };
const ESCAPE_CHARS: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' };

function utf8(cp: number): string {
  if (cp <= 0x7f) return String.fromCharCode(cp);
  if (cp <= 0x7ff) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp <= 0xffff) return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  return String.fromCharCode((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
}

class Decoder {
  pos = 0;
  depth = 0;
  constructor(
    readonly data: string,
    readonly cfg: Config,
  ) {}

  private at(i: number): string {
    return i < this.data.length ? this.data[i] : '\0';
  }

  private hex4(i: number): number {
    const h = this.data.slice(i, i + 4);
    return /^[0-9a-fA-F]{4}$/.test(h) ? parseInt(h, 16) : -1;
  }

  private isInvalidNumber(): boolean {
    let p = this.pos;
    if (this.at(p) === '+') return true;
    if (this.at(p) === '-') p++;
    const c = this.at(p);
    if (c === '0') {
      const c2 = this.at(p + 1);
      return (c2.charCodeAt(0) | 0x20) === 0x78 || (c2 >= '0' && c2 <= '9');
    }
    if (c <= '9') return false;
    const three = this.data.slice(p, p + 3).toLowerCase();
    return three === 'inf' || three === 'nan';
  }

  private number(tok: Token): void {
    const { value, end } = strtod(this.data.slice(this.pos).split('\0')[0]);
    if (end === 0) {
      tok.type = 'T_ERROR';
      tok.error = 'invalid number';
      return;
    }
    tok.type = 'T_NUMBER';
    tok.value = value;
    this.pos += end;
  }

  private string(tok: Token): void {
    this.pos++;
    let s = '';
    for (;;) {
      const ch = this.at(this.pos);
      if (ch === '"') break;
      if (ch === '\0') return this.fail(tok, 'unexpected end of string');
      if (ch === '\\') {
        const e = this.at(this.pos + 1);
        if (e === 'u') {
          let cp = this.hex4(this.pos + 2);
          let len = 6;
          if (cp >= 0 && (cp & 0xf800) === 0xd800) {
            const low = this.at(this.pos + 6) === '\\' && this.at(this.pos + 7) === 'u' ? this.hex4(this.pos + 8) : -1;
            if (cp & 0x400 || low < 0 || (low & 0xfc00) !== 0xdc00) cp = -1;
            else {
              cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
              len = 12;
            }
          }
          if (cp < 0) return this.fail(tok, 'invalid unicode escape code');
          s += utf8(cp);
          this.pos += len;
          continue;
        }
        const m = ESCAPE_CHARS[e];
        if (m === undefined) return this.fail(tok, 'invalid escape code');
        s += m;
        this.pos += 2;
        continue;
      }
      s += ch;
      this.pos++;
    }
    this.pos++;
    tok.type = 'T_STRING';
    tok.value = s;
  }

  private fail(tok: Token, error: string): void {
    tok.type = 'T_ERROR';
    tok.index = this.pos;
    tok.error = error;
  }

  next(): Token {
    while (' \t\n\r'.includes(this.at(this.pos)) && this.at(this.pos) !== '\0') this.pos++;
    const tok: Token = { type: 'T_ERROR', index: this.pos };
    const ch = this.at(this.pos);
    if (ch === '\0') {
      tok.type = 'T_END';
      return tok;
    }
    const single = SINGLE[ch];
    if (single) {
      tok.type = single;
      this.pos++;
      return tok;
    }
    if (!'fiInNt"+-0123456789'.includes(ch)) {
      tok.error = 'invalid token';
      return tok;
    }
    if (ch === '"') this.string(tok);
    else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      if (!this.cfg.decodeInvalid && this.isInvalidNumber()) this.fail(tok, 'invalid number');
      else this.number(tok);
    } else if (this.data.startsWith('true', this.pos)) {
      tok.type = 'T_BOOLEAN';
      tok.value = true;
      this.pos += 4;
    } else if (this.data.startsWith('false', this.pos)) {
      tok.type = 'T_BOOLEAN';
      tok.value = false;
      this.pos += 5;
    } else if (this.data.startsWith('null', this.pos)) {
      tok.type = 'T_NULL';
      this.pos += 4;
    } else if (this.cfg.decodeInvalid && this.isInvalidNumber()) this.number(tok);
    else this.fail(tok, 'invalid token');
    return tok;
  }

  error(expected: string, tok: Token): never {
    const found = tok.type === 'T_ERROR' ? tok.error : tok.type;
    throw luaLError(`Expected ${expected} but found ${found} at character ${tok.index + 1}`);
  }

  private descend(): void {
    this.depth++;
    if (this.depth > this.cfg.decodeMaxDepth) throw luaLError(`Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  value(tok: Token): LuaValue {
    switch (tok.type) {
      case 'T_STRING':
      case 'T_NUMBER':
      case 'T_BOOLEAN':
        return tok.value;
      case 'T_NULL':
        return JSON_NULL;
      case 'T_OBJ_BEGIN': {
        this.descend();
        const t = new LuaTable();
        let k = this.next();
        if (k.type === 'T_OBJ_END') {
          this.depth--;
          return t;
        }
        for (;;) {
          if (k.type !== 'T_STRING') this.error('object key string', k);
          const colon = this.next();
          if (colon.type !== 'T_COLON') this.error('colon', colon);
          const v = this.value(this.next());
          t.set(k.value, v);
          const sep = this.next();
          if (sep.type === 'T_OBJ_END') {
            this.depth--;
            return t;
          }
          if (sep.type !== 'T_COMMA') this.error('comma or object end', sep);
          k = this.next();
        }
      }
      case 'T_ARR_BEGIN': {
        this.descend();
        const t = new LuaTable();
        let tok2 = this.next();
        if (tok2.type === 'T_ARR_END') {
          this.depth--;
          return t;
        }
        for (let i = 1; ; i++) {
          t.set(i, this.value(tok2));
          const sep = this.next();
          if (sep.type === 'T_ARR_END') {
            this.depth--;
            return t;
          }
          if (sep.type !== 'T_COMMA') this.error('comma or array end', sep);
          tok2 = this.next();
        }
      }
      default:
        return this.error('value', tok);
    }
  }
}

export function cjsonLibrary(): LuaTable {
  const make = (): LuaTable => {
    const cfg: Config = { sparseConvert: false, sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000, precision: 14, keepBuffer: true, encodeInvalid: 0, decodeInvalid: true };
    const intOption = (get: () => number, set: (n: number) => void, min: number, max: number): Native => (args) => {
      argCheck(args.length <= 1, 1, 'found too many arguments');
      if (args[0] !== undefined) {
        const n = Number(args[0]);
        argCheck(Number.isInteger(n) && min <= n && n <= max, 1, `expected integer between ${min} and ${max}`);
        set(n);
      }
      return [get()];
    };
    const fns: Record<string, Native> = {
      encode(args) {
        argCheck(args.length === 1, 1, 'expected 1 argument');
        const out: string[] = [];
        encode(cfg, args[0], 0, out);
        return [out.join('')];
      },
      decode(args) {
        argCheck(args.length === 1, 1, 'expected 1 argument');
        const data = checkString(args, 1);
        if (data.length >= 2 && (data[0] === '\0' || data[1] === '\0')) throw luaLError('JSON parser does not support UTF-16 or UTF-32');
        const d = new Decoder(data, cfg);
        const v = d.value(d.next());
        const end = d.next();
        if (end.type !== 'T_END') d.error('the end', end);
        return [v];
      },
      encode_sparse_array(args) {
        if (args[0] !== undefined) cfg.sparseConvert = args[0] !== false;
        if (args[1] !== undefined) cfg.sparseRatio = Number(args[1]);
        if (args[2] !== undefined) cfg.sparseSafe = Number(args[2]);
        return [cfg.sparseConvert, cfg.sparseRatio, cfg.sparseSafe];
      },
      encode_max_depth: intOption(() => cfg.encodeMaxDepth, (n) => (cfg.encodeMaxDepth = n), 1, 2147483647),
      decode_max_depth: intOption(() => cfg.decodeMaxDepth, (n) => (cfg.decodeMaxDepth = n), 1, 2147483647),
      encode_number_precision: intOption(() => cfg.precision, (n) => (cfg.precision = n), 1, 14),
      encode_keep_buffer(args) {
        if (args[0] !== undefined) cfg.keepBuffer = args[0] !== false;
        return [cfg.keepBuffer];
      },
      encode_invalid_numbers(args) {
        if (args[0] !== undefined) cfg.encodeInvalid = args[0] === 'null' ? 2 : args[0] === false || args[0] === 'off' ? 0 : 1;
        return [cfg.encodeInvalid === 2 ? 'null' : cfg.encodeInvalid === 1];
      },
      decode_invalid_numbers(args) {
        if (args[0] !== undefined) cfg.decodeInvalid = args[0] !== false && args[0] !== 'off';
        return [cfg.decodeInvalid];
      },
      new: () => [make()],
    };
    const t = library(fns, {}, false);
    t.set('null', JSON_NULL);
    t.set('_NAME', 'cjson');
    t.set('_VERSION', '2.1.0');
    return t;
  };
  return make();
}
