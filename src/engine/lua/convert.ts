// The conversions between Redis replies and Lua values (script_lua.c):
// a command's reply bytes, RESP2 or RESP3, become Lua values as
// redisProtocolToLuaType makes them (a nil bulk is false, an error is a
// table {err=...}, a RESP3 double is {double=...}); a script's result
// becomes a reply as luaReplyToRedisReply writes it (a number is truncated
// to an integer, an array stops at its first nil, {ok=...} is a status).

import { LuaTable } from './table.ts';
import { LuaFunction, type LuaValue } from './value.ts';
import { formatFloat, strtod } from './number.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';

/** luaPushErrorBuff: "-CODE msg" or "msg" as the table {err="CODE msg"} ("ERR" when there is no code). */
export function errorTable(text: string): LuaTable {
  let code = 'ERR';
  let msg = text;
  if (text.startsWith('-')) {
    const space = text.indexOf(' ');
    if (space < 0) msg = text.slice(1);
    else {
      code = text.slice(1, space);
      msg = text.slice(space + 1);
    }
  }
  msg = msg.replace(/^[\r\n]+|[\r\n]+$/g, '');
  const t = new LuaTable();
  t.set('err', `${code} ${msg}`);
  return t;
}

function table1(key: string, value: LuaValue): LuaTable {
  const t = new LuaTable();
  t.set(key, value);
  return t;
}

/** Reads one reply from `b` at `pos` as a Lua value: [value, next position]. */
export function replyToLua(b: string, pos: number): [LuaValue, number] {
  const type = b[pos];
  const eol = b.indexOf('\r\n', pos);
  const line = b.slice(pos + 1, eol);
  let next = eol + 2;
  switch (type) {
    case ':':
      return [Number(line), next];
    case '$': {
      const n = Number(line);
      if (n < 0) return [false, next];
      return [b.substr(next, n), next + n + 2];
    }
    case '+':
      return [table1('ok', line), next];
    case '-': {
      const t = errorTable('-' + line);
      t.set('ignore_error_stats_update', true);
      return [t, next];
    }
    case '*':
    case '>': {
      const n = Number(line);
      if (n < 0) return [false, next];
      const t = new LuaTable();
      for (let i = 1; i <= n; i++) {
        const [v, p] = replyToLua(b, next);
        next = p;
        t.set(i, v);
      }
      return [t, next];
    }
    case '%':
    case '~': {
      const n = Number(line);
      const inner = new LuaTable();
      for (let i = 0; i < n; i++) {
        const [k, p] = replyToLua(b, next);
        next = p;
        if (type === '%') {
          const [v, p2] = replyToLua(b, next);
          next = p2;
          inner.set(k, v);
        } else inner.set(k, true);
      }
      return [table1(type === '%' ? 'map' : 'set', inner), next];
    }
    case '|': {
      // An attribute: read and dropped, then the reply it annotates.
      const n = Number(line);
      for (let i = 0; i < 2 * n; i++) next = replyToLua(b, next)[1];
      return replyToLua(b, next);
    }
    case '_':
      return [undefined, next];
    case '#':
      return [line === 't', next];
    case ',':
      return [table1('double', strtod(line).value), next];
    case '(':
      return [table1('big_number', line), next];
    case '=': {
      const n = Number(line);
      const body = b.substr(next, n);
      const v = new LuaTable();
      v.set('string', body.slice(4));
      v.set('format', body.slice(0, 3));
      return [table1('verbatim_string', v), next + n + 2];
    }
    default:
      throw new Error(`unexpected reply type ${JSON.stringify(type)}`);
  }
}

const LLONG_MIN = -9223372036854775808n;

/** (long long) of a double as x86 converts it: out of range and NaN give LLONG_MIN. */
function toLongLong(d: number): bigint | number {
  if (Number.isNaN(d) || d >= 9223372036854775808 || d < -9223372036854775808) return LLONG_MIN;
  const t = Math.trunc(d);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : BigInt(t);
}

/** addReplyDouble. */
function writeDouble(out: ReplyWriter, d: number): void {
  const text = Number.isFinite(d) ? formatFloat(d, 'g', 17) : Number.isNaN(d) ? formatFloat(d, 'g', 17) : d > 0 ? 'inf' : '-inf';
  if (out.protocol === 3) out.latin1(',' + text + '\r\n');
  else out.bulkText(text);
}

/** An error reply written as luaReplyToRedisReply writes it ("-%s", newlines as spaces); `countStats` false for ignore_error_stats_update. */
export interface ErrorSink {
  (out: ReplyWriter, text: string, countStats: boolean): void;
}

function field(t: LuaTable, key: string): LuaValue {
  return t.get(key);
}

/** luaReplyToRedisReply: the script's value to `out`; `scriptResp` is the protocol the script chose (redis.setresp). */
export function luaToReply(v: LuaValue, out: ReplyWriter, scriptResp: 2 | 3, error: ErrorSink): void {
  switch (typeof v) {
    case 'string':
      out.bulk(bytesOf(v));
      return;
    case 'boolean':
      if (scriptResp === 2) {
        if (v) out.integer(1);
        else out.nil();
      } else if (out.protocol === 3) out.latin1(v ? '#t\r\n' : '#f\r\n');
      else out.integer(v ? 1 : 0);
      return;
    case 'number':
      out.integer(toLongLong(v));
      return;
  }
  if (!(v instanceof LuaTable)) {
    out.nil();
    return;
  }
  const err = field(v, 'err');
  if (typeof err === 'string') {
    const ignore = v.get('ignore_error_stats_update');
    error(out, err, !(ignore === true));
    return;
  }
  const ok = field(v, 'ok');
  if (typeof ok === 'string') {
    out.status(ok.replace(/[\r\n]/g, ' '));
    return;
  }
  const dbl = field(v, 'double');
  if (typeof dbl === 'number') {
    writeDouble(out, dbl);
    return;
  }
  const big = field(v, 'big_number');
  if (typeof big === 'string') {
    const text = big.replace(/[\r\n]/g, ' ');
    if (out.protocol === 3) out.latin1('(' + text + '\r\n');
    else out.bulk(bytesOf(text));
    return;
  }
  const verb = field(v, 'verbatim_string');
  if (verb instanceof LuaTable) {
    const format = verb.get('format');
    const s = verb.get('string');
    if (typeof format === 'string' && typeof s === 'string') {
      if (out.protocol === 3) {
        out.latin1(`=${s.length + 4}\r\n${format.slice(0, 3)}:`);
        out.raw(bytesOf(s));
        out.latin1('\r\n');
      } else out.bulk(bytesOf(s));
      return;
    }
  }
  const map = field(v, 'map');
  if (map instanceof LuaTable) {
    const pairs: [LuaValue, LuaValue][] = [];
    for (let e = map.next(undefined); e; e = map.next(e[0])) pairs.push(e);
    out.mapHeader(pairs.length);
    for (const [k, x] of pairs) {
      luaToReply(k, out, scriptResp, error);
      luaToReply(x, out, scriptResp, error);
    }
    return;
  }
  const set = field(v, 'set');
  if (set instanceof LuaTable) {
    const keys: LuaValue[] = [];
    for (let e = set.next(undefined); e; e = set.next(e[0])) keys.push(e[0]);
    out.latin1((out.protocol === 3 ? '~' : '*') + keys.length + '\r\n');
    for (const k of keys) luaToReply(k, out, scriptResp, error);
    return;
  }
  const items: LuaValue[] = [];
  for (let j = 1; ; j++) {
    const x = v.get(j);
    if (x === undefined) break;
    items.push(x);
  }
  out.arrayHeader(items.length);
  for (const x of items) luaToReply(x, out, scriptResp, error);
}

/** A Lua string's bytes. */
export function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** luaCreateArray: arguments as a Lua array of strings (KEYS, ARGV, a function's two tables). */
export function luaArray(items: readonly Uint8Array[]): LuaTable {
  const t = new LuaTable();
  for (let i = 0; i < items.length; i++) t.set(i + 1, luaString(items[i]));
  return t;
}

/** Bytes as a Lua string. */
export function luaString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192) as unknown as number[]);
  return s;
}

export { LuaFunction };
