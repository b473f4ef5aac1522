// The table library of Lua 5.1 (ltablib.c), sort included: the same
// quicksort, so a comparator that is not a strict order gives the same
// result (or the same "invalid order function for sorting") as in Redis.

import { LuaTable } from './table.ts';
import { truthy, typeName, type LuaValue } from './value.ts';
import { callFromNative, lessThan, luaLError, nativeError, NATIVE_SITE } from './runtime.ts';
import { checkInt, checkTable, library, optInt, optString, str, type Native } from './args.ts';
import { typeArgError } from './runtime.ts';
import { LuaFunction } from './value.ts';

/** lua_rawseti, with Redis's readonly tables (luaG_runerror from a native: no position). */
function rawSet(t: LuaTable, i: number, v: LuaValue): void {
  if (t.readonly) throw nativeError('Attempt to modify a readonly table');
  t.set(i, v);
}

function sort(args: LuaValue[]): LuaValue[] {
  const t = checkTable(args, 1);
  const n = t.length();
  const comp = args[1];
  if (comp !== undefined && !(comp instanceof LuaFunction)) throw typeArgError(2, 'function', comp, true);
  const less = (a: LuaValue, b: LuaValue): boolean =>
    comp !== undefined ? truthy(callFromNative(comp, [a, b])[0]) : lessThan(a, b, NATIVE_SITE);
  const get = (i: number) => t.get(i);
  const swap = (i: number, j: number, vi: LuaValue, vj: LuaValue) => {
    rawSet(t, i, vj);
    rawSet(t, j, vi);
  };
  const auxsort = (l: number, u: number): void => {
    while (l < u) {
      let al = get(l);
      let au = get(u);
      if (less(au, al)) swap(l, u, al, au);
      if (u - l === 1) break;
      let i = Math.floor((l + u) / 2);
      let ai = get(i);
      al = get(l);
      if (less(ai, al)) swap(i, l, ai, al);
      else {
        au = get(u);
        if (less(au, ai)) swap(i, u, ai, au);
      }
      if (u - l === 2) break;
      const p = get(i);
      swap(i, u - 1, p, get(u - 1));
      i = l;
      let j = u - 1;
      for (;;) {
        while (less(get(++i), p)) if (i > u) throw luaLError('invalid order function for sorting');
        while (less(p, get(--j))) if (j < l) throw luaLError('invalid order function for sorting');
        if (j < i) break;
        swap(i, j, get(i), get(j));
      }
      swap(u - 1, i, get(u - 1), get(i));
      if (i - l < u - i) {
        j = l;
        i = i - 1;
        l = i + 2;
      } else {
        j = i + 1;
        i = u;
        u = j - 2;
      }
      auxsort(j, i);
    }
  };
  auxsort(1, n);
  return [];
}

export function tableLibrary(): LuaTable {
  const fns: Record<string, Native> = {
    concat(args) {
      const t = checkTable(args, 1);
      const sep = optString(args, 2, '');
      const i = optInt(args, 3, 1);
      const last = args[3] === undefined ? t.length() : checkInt(args, 4);
      const parts: string[] = [];
      for (let k = i; k <= last; k++) {
        const v = t.get(k);
        if (typeof v !== 'string' && typeof v !== 'number') throw luaLError(`invalid value (${typeName(v)}) at index ${k} in table for 'concat'`);
        parts.push(str(v));
      }
      return [parts.join(sep)];
    },
    foreach(args) {
      const t = checkTable(args, 1);
      const f = args[1];
      if (!(f instanceof LuaFunction)) throw typeArgError(2, 'function', f, args.length >= 2);
      let e = t.next(undefined);
      while (e) {
        const r = callFromNative(f, [e[0], e[1]])[0];
        if (r !== undefined) return [r];
        e = t.next(e[0]);
      }
      return [];
    },
    foreachi(args) {
      const t = checkTable(args, 1);
      const f = args[1];
      if (!(f instanceof LuaFunction)) throw typeArgError(2, 'function', f, args.length >= 2);
      const n = t.length();
      for (let i = 1; i <= n; i++) {
        const r = callFromNative(f, [i, t.get(i)])[0];
        if (r !== undefined) return [r];
      }
      return [];
    },
    getn(args) {
      return [checkTable(args, 1).length()];
    },
    maxn(args) {
      const t = checkTable(args, 1);
      let max = 0;
      let e = t.next(undefined);
      while (e) {
        if (typeof e[0] === 'number' && e[0] > max) max = e[0];
        e = t.next(e[0]);
      }
      return [max];
    },
    insert(args) {
      const t = checkTable(args, 1);
      let e = t.length() + 1;
      let pos: number;
      switch (args.length) {
        case 2:
          pos = e;
          break;
        case 3: {
          pos = checkInt(args, 2);
          if (pos > e) e = pos;
          for (let i = e; i > pos; i--) rawSet(t, i, t.get(i - 1));
          break;
        }
        default:
          throw luaLError("wrong number of arguments to 'insert'");
      }
      rawSet(t, pos, args[args.length - 1]);
      return [];
    },
    remove(args) {
      const t = checkTable(args, 1);
      const e = t.length();
      let pos = optInt(args, 2, e);
      if (!(1 <= pos && pos <= e)) return [];
      const v = t.get(pos);
      for (; pos < e; pos++) rawSet(t, pos, t.get(pos + 1));
      rawSet(t, e, undefined);
      return [v];
    },
    setn() {
      throw luaLError("'setn' is obsolete");
    },
    sort,
  };
  return library(fns);
}
