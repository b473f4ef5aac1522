// SORT and SORT_RO (sort.c of Redis 7.0.15): the options in any order, the
// same checks in the same order, the same lookups (every BY and GET pattern
// is a lookupKeyRead: it counts a hit or a miss and touches the key), and
// the same order of the result, ties included:
//  - numeric: by the weight (0 for a missing BY key), ties by the elements'
//    bytes; a weight that is not a number fails the whole command;
//  - ALPHA: the elements (or their BY values, a missing one first) compared
//    as strcoll compares C strings (the bytes up to a NUL, in the C and
//    C.UTF-8 locales), or, with STORE, as binary strings;
//  - equal elements keep their order, as glibc's qsort (a merge sort)
//    keeps it; with BY and a LIMIT that is not the whole range Redis uses
//    its partial quicksort (pqsort.c), which does not, so it is reproduced.
// BY a pattern without '*' (BY nosort) does not sort: a list or a sorted
// set gives its own order (DESC walks it backwards, LIMIT cuts it), a set
// its own too, except with STORE, where it is sorted ALPHA so that a
// replica stores the same list. The engine's set order is not Redis's for a
// hashtable set (see keyspace/set.ts).
//
// STORE writes a list (a new quicklist of the node's list settings) and
// counts one change per element; an empty result deletes the destination.
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { canReadAnyKey } from '../acl/acl.ts';
import { cString, fromLatin1, lowerAscii, string2ll } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import { newListValue } from '../keyspace/list.ts';
import { setMembers } from '../keyspace/set.ts';
import { hashGet } from '../keyspace/hash.ts';
import { strtod } from '../keyspace/zset-score.ts';
import { zsetConvert } from '../keyspace/zset.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import type { RedisValue } from '../keyspace/value.ts';

/** One element of the vector being sorted (redisSortObject). */
interface SortItem {
  readonly obj: Uint8Array;
  score: number;
  cmpobj: Uint8Array | null;
}

interface SortSpec {
  desc: boolean;
  alpha: boolean;
  limitStart: bigint;
  limitCount: bigint;
  store: Uint8Array | null;
  by: Uint8Array | null;
  dontsort: boolean;
  gets: Uint8Array[];
}

/** The option parser's loop; null after an error reply. */
function parseSort(ctx: CommandContext, readonly: boolean): SortSpec | null {
  const { argv, reply } = ctx;
  // BY with a pattern and GET read keys the ACL cannot check one by one: they need access to every key.
  const anyKey = () => canReadAnyKey(ctx.client, readonly ? 'sort_ro' : 'sort', argv);
  const spec: SortSpec = { desc: false, alpha: false, limitStart: 0n, limitCount: -1n, store: null, by: null, dontsort: false, gets: [] };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const opt = lowerAscii(cString(argv[j]));
    if (opt === 'asc') {
      spec.desc = false;
    } else if (opt === 'desc') {
      spec.desc = true;
    } else if (opt === 'alpha') {
      spec.alpha = true;
    } else if (opt === 'limit' && left >= 2) {
      const start = string2ll(argv[j + 1]);
      const count = start === null ? null : string2ll(argv[j + 2]);
      if (start === null || count === null) {
        reply.error(Err.notInteger);
        return null;
      }
      spec.limitStart = BigInt(start);
      spec.limitCount = BigInt(count);
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      spec.store = argv[j + 1];
      j++;
    } else if (opt === 'by' && left >= 1) {
      spec.by = argv[j + 1];
      // A pattern without '*' names one constant key: nothing to sort by.
      spec.dontsort = !cString(argv[j + 1]).includes(0x2a);
      if (!spec.dontsort && !anyKey()) {
        reply.error(Err.sortByAcl);
        return null;
      }
      j++;
    } else if (opt === 'get' && left >= 1) {
      if (!anyKey()) {
        reply.error(Err.sortGetAcl);
        return null;
      }
      spec.gets.push(argv[j + 1]);
      j++;
    } else {
      reply.error(Err.syntax);
      return null;
    }
  }
  return spec;
}

const ARROW = [0x2d, 0x3e]; // "->"

/**
 * lookupKeyByPattern: "#" is the element itself; otherwise the first '*'
 * of the pattern (as a C string) is replaced by the element, and a "->"
 * after it, followed by something, names a hash field. Null for a pattern
 * without '*', a missing key, or a key of the wrong type.
 */
function lookupByPattern(ctx: CommandContext, pattern: Uint8Array, subst: Uint8Array): Uint8Array | null {
  const spat = cString(pattern);
  if (spat.length === 1 && spat[0] === 0x23) return subst;
  const star = spat.indexOf(0x2a);
  if (star < 0) return null;
  let arrow = -1;
  for (let i = star + 1; i + 1 < spat.length; i++) {
    if (spat[i] === ARROW[0] && spat[i + 1] === ARROW[1]) {
      arrow = i;
      break;
    }
  }
  // The field runs to the end of the whole argument; it must not start with a NUL (or be empty).
  const field = arrow >= 0 && arrow + 2 < spat.length ? pattern.subarray(arrow + 2) : null;
  const fieldlen = field ? field.length : 0;
  const postfixlen = pattern.length - (star + 1) - (field ? fieldlen + 2 : 0);
  const key = new Uint8Array(star + subst.length + postfixlen);
  key.set(pattern.subarray(0, star), 0);
  key.set(subst, star);
  key.set(pattern.subarray(star + 1, star + 1 + postfixlen), star + subst.length);
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(key));
  if (!value) return null;
  if (field) return value.type === 'hash' ? (hashGet(value, field) ?? null) : null;
  return value.type === 'string' ? value.bytes : null;
}

/** memcmp then length: compareStringObjects. */
function compareBinary(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** strcoll in the C locale: strcmp of the C strings. */
function compareCollate(a: Uint8Array, b: Uint8Array): number {
  return compareBinary(cString(a), cString(b));
}

/** sortCompare, with the settings sortCommandGeneric leaves in server.sort_*. */
function comparator(spec: SortSpec): (a: SortItem, b: SortItem) => number {
  const byPattern = spec.by !== null;
  const store = spec.store !== null;
  const sign = spec.desc ? -1 : 1;
  if (!spec.alpha) {
    return (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBinary(a.obj, b.obj));
  }
  if (byPattern) {
    return (a, b) => {
      if (!a.cmpobj || !b.cmpobj) return sign * (a.cmpobj === b.cmpobj ? 0 : !a.cmpobj ? -1 : 1);
      return sign * (store ? compareBinary(a.cmpobj, b.cmpobj) : compareCollate(a.cmpobj, b.cmpobj));
    };
  }
  return (a, b) => sign * (store ? compareBinary(a.obj, b.obj) : compareCollate(a.obj, b.obj));
}

/**
 * strtod on the C string, as the numeric sort reads a weight: the whole
 * string (to its end or a NUL) must be a number, not NaN, not out of range.
 */
function parseWeight(bytes: Uint8Array): number | null {
  const r = strtod(bytes);
  const end = r.end;
  if ((end < bytes.length && bytes[end] !== 0) || r.range || Number.isNaN(r.value)) return null;
  return r.value;
}

/** The elements of the value to sort, in the order sortCommandGeneric loads them, and its length. */
function loadVector(value: RedisValue | undefined, spec: SortSpec, start: number, end: number): SortItem[] {
  const item = (obj: Uint8Array): SortItem => ({ obj, score: 0, cmpobj: null });
  if (!value) return [];
  if (value.type === 'list') {
    const list = value.list;
    if (!spec.dontsort) return list.toArray().map(item);
    // BY nosort: the wanted range only, walked in the direction asked.
    if (end < start) return [];
    const from = spec.desc ? list.count - start - 1 : start;
    return list.range(from, end - start + 1, spec.desc).map(item);
  }
  if (value.type === 'set') return [...setMembers(value)].map(item);
  if (value.type === 'zset') {
    if (!spec.dontsort) return [...value.dict.keys()].map((m) => item(fromLatin1(m)));
    // BY nosort: the sorted set's own order (by score), from the start of the range, backwards with DESC.
    const out: SortItem[] = [];
    const n = end - start + 1;
    if (n <= 0) return out;
    const from = spec.desc ? value.dict.size - start - 1 : start;
    value.tree.walk(from, spec.desc, (_score, member) => {
      out.push(item(fromLatin1(member)));
      return out.length < n;
    });
    return out;
  }
  throw new Error(`SORT of a ${value.type}`);
}

/** The length of the value to sort. */
function lengthOf(value: RedisValue | undefined): number {
  if (!value) return 0;
  if (value.type === 'list') return value.list.count;
  if (value.type === 'set') return value.encoding === 'intset' ? value.ints.length : value.table.size;
  if (value.type === 'zset') return value.dict.size;
  return 0;
}

function sortGeneric(ctx: CommandContext, readonly: boolean): void {
  const spec = parseSort(ctx, readonly);
  if (!spec) return;
  const { reply, keyspace, db, node } = ctx;
  const key = keyName(ctx.argv[1]);
  const value = keyspace.lookupRead(db, key);
  if (value && value.type !== 'set' && value.type !== 'list' && value.type !== 'zset') return reply.error(Err.wrongType);

  // A set has no order of its own that replicas would share: stored, it is sorted.
  if (spec.dontsort && value?.type === 'set' && spec.store) {
    spec.dontsort = false;
    spec.alpha = true;
    spec.by = null;
  }

  // A sorted set is converted to a skiplist for good, even by SORT_RO (a fork's child keeps what it had).
  if (value?.type === 'zset' && value.encoding !== 'skiplist') {
    db.snapshot?.preserve(key);
    zsetConvert(value, 'skiplist');
  }

  let vectorlen = lengthOf(value);
  // LIMIT, clamped to the value's length (in C's long arithmetic).
  const clamp = (v: bigint, lo: bigint, hi: number): number => Number(v < lo ? lo : v > BigInt(hi) ? BigInt(hi) : v);
  let start = clamp(spec.limitStart, 0n, vectorlen);
  const limitCount = clamp(spec.limitCount, -1n, vectorlen);
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;

  const direct = (value?.type === 'list' || value?.type === 'zset') && spec.dontsort;
  if (direct && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;
  const vector = loadVector(value, spec, start, end);
  // The range was taken while loading: the output starts at 0 (for a list, only when there was one).
  if (direct && (value?.type === 'zset' || end >= start)) {
    end -= start;
    start = 0;
  }

  let conversionError = false;
  if (!spec.dontsort) {
    for (const it of vector) {
      const byval = spec.by ? lookupByPattern(ctx, spec.by, it.obj) : it.obj;
      if (!byval) continue;
      if (spec.alpha) {
        if (spec.by) it.cmpobj = byval;
      } else {
        const score = parseWeight(byval);
        if (score === null) conversionError = true;
        else it.score = score;
      }
    }
    const cmp = comparator(spec);
    if (spec.by && (start !== 0 || end !== vector.length - 1)) pqsort(vector, cmp, start, end);
    else vector.sort(cmp);
  }

  const getop = spec.gets.length;
  const outputlen = Math.max(0, getop ? getop * (end - start + 1) : end - start + 1);
  if (conversionError) return reply.error(Err.sortScoresNotDouble);
  if (!spec.store) {
    reply.arrayHeader(outputlen);
    for (let j = start; j <= end; j++) {
      if (!getop) reply.bulk(vector[j].obj);
      for (const pattern of spec.gets) {
        const val = lookupByPattern(ctx, pattern, vector[j].obj);
        if (val) reply.bulk(val);
        else reply.nil();
      }
    }
    return;
  }
  const stored = newListValue(node.config.listMaxListpackSize, node.config.listCompressDepth);
  for (let j = start; j <= end; j++) {
    if (!getop) stored.list.push(vector[j].obj, false);
    for (const pattern of spec.gets) stored.list.push(lookupByPattern(ctx, pattern, vector[j].obj) ?? new Uint8Array(0), false);
  }
  const storeKey = keyName(spec.store);
  if (outputlen) {
    // setKey: the destination is replaced, its TTL dropped.
    keyspace.lookupWrite(db, storeKey);
    db.set(storeKey, stored);
    node.watches.touch(db.id, storeKey);
    notifyKeyspaceEvent(node, NOTIFY.l, 'sortstore', storeKey, db.id);
    node.dirty += outputlen;
  } else if (db.delete(storeKey)) {
    node.watches.touch(db.id, storeKey);
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', storeKey, db.id);
    node.dirty++;
  }
  reply.integer(outputlen);
}

/**
 * pqsort.c: Bentley and McIlroy's quicksort that only recurses into the
 * parts overlapping the wanted range [lrange, rrange] (indices), so the
 * elements there end up as a full sort would place them, ties in its own
 * (unstable) order.
 */
export function pqsort<T>(v: T[], cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  const swap = (i: number, j: number) => {
    const t = v[i];
    v[i] = v[j];
    v[j] = t;
  };
  const vecswap = (i: number, j: number, n: number) => {
    for (let k = 0; k < n; k++) swap(i + k, j + k);
  };
  const med3 = (a: number, b: number, c: number): number =>
    cmp(v[a], v[b]) < 0
      ? cmp(v[b], v[c]) < 0 ? b : cmp(v[a], v[c]) < 0 ? c : a
      : cmp(v[b], v[c]) > 0 ? b : cmp(v[a], v[c]) < 0 ? a : c;
  /** The part [first, first + n) misses the wanted range entirely. */
  const outside = (first: number, n: number) => (lrange < first && rrange < first) || (lrange >= first + n && rrange >= first + n);

  const sort = (a: number, n: number): void => {
    for (;;) {
      if (n < 7) {
        for (let pm = a + 1; pm < a + n; pm++) for (let pl = pm; pl > a && cmp(v[pl - 1], v[pl]) > 0; pl--) swap(pl, pl - 1);
        return;
      }
      let pm = a + Math.floor(n / 2);
      if (n > 7) {
        let pl = a;
        let pn = a + n - 1;
        if (n > 40) {
          const d = Math.floor(n / 8);
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(a, pm);
      let pa = a + 1;
      let pb = pa;
      let pc = a + n - 1;
      let pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = cmp(v[pb], v[a])) <= 0) {
          if (r === 0) swap(pa++, pb);
          pb++;
        }
        while (pb <= pc && (r = cmp(v[pc], v[a])) >= 0) {
          if (r === 0) swap(pc, pd--);
          pc--;
        }
        if (pb > pc) break;
        swap(pb++, pc--);
      }
      const pn = a + n;
      let r = Math.min(pa - a, pb - pa);
      vecswap(a, pb - r, r);
      r = Math.min(pd - pc, pn - pd - 1);
      vecswap(pb, pn - r, r);
      if ((r = pb - pa) > 1 && !outside(a, r)) sort(a, r);
      if ((r = pd - pc) > 1) {
        // Iterate rather than recurse, on the part after the pivots.
        a = pn - r;
        n = r;
        if (!outside(a, n)) continue;
      }
      return;
    }
  };
  sort(0, v.length);
}

const sort: Handler = (ctx) => sortGeneric(ctx, false);
const sortRo: Handler = (ctx) => sortGeneric(ctx, true);

export const sortHandlers: Record<string, Handler> = { sort, sort_ro: sortRo };
