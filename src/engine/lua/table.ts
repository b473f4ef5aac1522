// A Lua 5.1 table laid out as ltable.c lays it out: an array part and a hash
// part of 2^n nodes with Lua's main positions, collision chains, the free
// pointer that walks down from the end, and the same rehash sizing. Scripts
// see this layout: next() and pairs() walk it in node order (so cjson.encode
// writes an object's keys in the order real Redis writes them), and the
// length operator `#` finds a border by the same searches.

import type { LuaValue } from './value.ts';

/** How many bits an array size may take (MAXBITS: 2^26 array slots). */
const MAXBITS = 26;
const MAXASIZE = 2 ** MAXBITS;

/** An object's identity for hashing (Lua hashes its address): a counter, as no address exists here. */
let nextId = 1;
export function newObjectId(): number {
  return (nextId = (nextId + 1) >>> 0) * 8;
}

/** luaS_hash: the string hash of Lua 5.1 (seeded with the length, at most 32 characters sampled). */
export function stringHash(s: string): number {
  const l = s.length;
  let h = l >>> 0;
  const step = (l >> 5) + 1;
  for (let l1 = l; l1 >= step; l1 -= step) {
    h = (h ^ (((h << 5) >>> 0) + (h >>> 2) + s.charCodeAt(l1 - 1))) >>> 0;
  }
  return h;
}

const numView = new DataView(new ArrayBuffer(8));

/** hashnum's sum of the double's two 32-bit words. */
function numberHash(n: number): number {
  numView.setFloat64(0, n, true);
  return (numView.getUint32(0, true) + numView.getUint32(4, true)) >>> 0;
}

/** ceil(log2(x)) for x >= 1 (luaO_log2(x - 1) + 1). */
function ceilLog2(x: number): number {
  let l = 0;
  x--;
  while (x > 0) {
    l++;
    x = Math.floor(x / 2);
  }
  return l;
}

/** arrayindex: the integer a number key is, or -1. */
function arrayIndex(k: LuaValue): number {
  if (typeof k !== 'number') return -1;
  const i = k | 0;
  return i === k ? i : -1;
}

export interface HasId {
  readonly id: number;
}

export class LuaTable {
  readonly id = newObjectId();
  metatable: LuaTable | null = null;
  /** Redis's lua_enablereadonlytable: writes raise "Attempt to modify a readonly table". */
  readonly = false;
  /** The array part: slots 1..array.length. */
  array: LuaValue[] = [];
  /** The hash part, 2^lsize nodes (one dummy node when empty). */
  private keys: LuaValue[] = [undefined];
  private vals: LuaValue[] = [undefined];
  private nexts: Int32Array = new Int32Array([-1]);
  private lsize = 0;
  /** No hash part (dummynode). */
  private dummy = true;
  private lastFree = 0;

  constructor(narray = 0, nhash = 0) {
    if (narray > 0) this.array = new Array<LuaValue>(narray).fill(undefined);
    this.setNodeVector(nhash);
  }

  get nodeCount(): number {
    return 1 << this.lsize;
  }

  private setNodeVector(size: number): void {
    if (size === 0) {
      this.keys = [undefined];
      this.vals = [undefined];
      this.nexts = new Int32Array([-1]);
      this.lsize = 0;
      this.dummy = true;
      this.lastFree = 0;
      return;
    }
    const lsize = ceilLog2(size);
    if (lsize > MAXBITS) throw new RangeError('table overflow');
    const n = 1 << lsize;
    this.keys = new Array<LuaValue>(n).fill(undefined);
    this.vals = new Array<LuaValue>(n).fill(undefined);
    this.nexts = new Int32Array(n).fill(-1);
    this.lsize = lsize;
    this.dummy = false;
    this.lastFree = n;
  }

  /** mainposition. */
  private mainPosition(key: LuaValue): number {
    const size = 1 << this.lsize;
    switch (typeof key) {
      case 'string':
        return stringHash(key) & (size - 1);
      case 'number':
        if (key === 0) return 0;
        return numberHash(key) % ((size - 1) | 1);
      case 'boolean':
        return (key ? 1 : 0) & (size - 1);
      default:
        return ((key as unknown as HasId).id >>> 0) % ((size - 1) | 1);
    }
  }

  /** luaH_get: the value of a key (nil for none). */
  get(key: LuaValue): LuaValue {
    if (typeof key === 'number') {
      const i = key | 0;
      if (i === key && i - 1 >= 0 && i - 1 < this.array.length) return this.array[i - 1];
    } else if (key === undefined) return undefined;
    const n = this.find(key);
    return n < 0 ? undefined : this.vals[n];
  }

  /** The string key's value: the fast path of field access. */
  getStr(key: string): LuaValue {
    if (this.dummy) return undefined;
    let n = stringHash(key) & ((1 << this.lsize) - 1);
    do {
      if (this.keys[n] === key) return this.vals[n];
      n = this.nexts[n];
    } while (n >= 0);
    return undefined;
  }

  /** The node holding `key` (its key, dead or alive), or -1. */
  private find(key: LuaValue): number {
    if (this.dummy) return -1;
    let n = this.mainPosition(key);
    const keys = this.keys;
    do {
      if (keys[n] === key) return n;
      n = this.nexts[n];
    } while (n >= 0);
    return -1;
  }

  /**
   * luaH_set then the store: the caller has checked that the key is neither
   * nil nor NaN.
   */
  set(key: LuaValue, value: LuaValue): void {
    if (typeof key === 'number') {
      const i = key | 0;
      if (i === key && i - 1 >= 0 && i - 1 < this.array.length) {
        this.array[i - 1] = value;
        return;
      }
    }
    const n = this.find(key);
    if (n >= 0) {
      this.vals[n] = value;
      return;
    }
    // A new key is placed even for nil (luaH_set then the store), as Lua does: it may rehash.
    this.newKey(key, value);
  }

  /** getfreepos: the free pointer walks down to a node with no key. */
  private freePosition(): number {
    while (this.lastFree > 0) {
      this.lastFree--;
      if (this.keys[this.lastFree] === undefined) return this.lastFree;
    }
    return -1;
  }

  /** newkey: a key not in the table goes to its main position, moving a colliding node that is not in its own. */
  private newKey(key: LuaValue, value: LuaValue): void {
    let mp = this.mainPosition(key);
    if (this.vals[mp] !== undefined || this.dummy) {
      const n = this.freePosition();
      if (n < 0) {
        this.rehash(key);
        this.set(key, value);
        return;
      }
      const other = this.mainPosition(this.keys[mp]);
      if (other !== mp) {
        // The colliding node is out of its main position: move it to the free node.
        let o = other;
        while (this.nexts[o] !== mp) o = this.nexts[o];
        this.nexts[o] = n;
        this.keys[n] = this.keys[mp];
        this.vals[n] = this.vals[mp];
        this.nexts[n] = this.nexts[mp];
        this.nexts[mp] = -1;
        this.vals[mp] = undefined;
      } else {
        // The colliding node is in its main position: the new key goes to the free node.
        this.nexts[n] = this.nexts[mp];
        this.nexts[mp] = n;
        mp = n;
      }
    }
    this.keys[mp] = key;
    this.vals[mp] = value;
  }

  /** rehash: new sizes from the integer keys in use, then every entry again. */
  private rehash(extra: LuaValue): void {
    const nums = new Array<number>(MAXBITS + 1).fill(0);
    let nasize = this.numUseArray(nums);
    let total = nasize;
    // numusehash, walking the nodes from the last.
    let ause = 0;
    for (let i = (1 << this.lsize) - 1; i >= 0; i--) {
      if (this.vals[i] !== undefined) {
        ause += countInt(this.keys[i], nums);
        total++;
      }
    }
    nasize += ause;
    nasize += countInt(extra, nums);
    total++;
    const { size, inArray } = computeSizes(nums, nasize);
    this.resize(size, total - inArray);
  }

  private numUseArray(nums: number[]): number {
    let ause = 0;
    let i = 1;
    const size = this.array.length;
    for (let lg = 0, ttlg = 1; lg <= MAXBITS; lg++, ttlg *= 2) {
      let lc = 0;
      let lim = ttlg;
      if (lim > size) {
        lim = size;
        if (i > lim) break;
      }
      for (; i <= lim; i++) if (this.array[i - 1] !== undefined) lc++;
      nums[lg] += lc;
      ause += lc;
    }
    return ause;
  }

  /** resize: the array part to `nasize`, a new hash part for `nhsize` keys, and the old entries set again. */
  resize(nasize: number, nhsize: number): void {
    const oldArray = this.array;
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const oldCount = 1 << this.lsize;
    if (nasize > oldArray.length) {
      this.array = oldArray.concat(new Array<LuaValue>(nasize - oldArray.length).fill(undefined));
    }
    this.setNodeVector(nhsize);
    if (nasize < oldArray.length) {
      this.array = oldArray.slice(0, nasize);
      for (let i = nasize; i < oldArray.length; i++) if (oldArray[i] !== undefined) this.set(i + 1, oldArray[i]);
    }
    for (let i = oldCount - 1; i >= 0; i--) if (oldVals[i] !== undefined) this.set(oldKeys[i], oldVals[i]);
  }

  /** luaH_resizearray (SETLIST of a multiple result beyond the array part). */
  resizeArray(nasize: number): void {
    this.resize(nasize, this.dummy ? 0 : 1 << this.lsize);
  }

  /**
   * luaH_next: the entry after `key` (nil: the first), or null at the end;
   * undefined when `key` is not in the table ("invalid key to 'next'").
   */
  next(key: LuaValue): [LuaValue, LuaValue] | null | undefined {
    let i: number; // findindex
    if (key === undefined) i = -1;
    else {
      const a = arrayIndex(key);
      if (a > 0 && a <= this.array.length) i = a - 1;
      else {
        const n = this.find(key);
        if (n < 0) return undefined;
        i = n + this.array.length;
      }
    }
    for (i++; i < this.array.length; i++) if (this.array[i] !== undefined) return [i + 1, this.array[i]];
    const nodes = 1 << this.lsize;
    for (i -= this.array.length; i < nodes; i++) if (this.vals[i] !== undefined) return [this.keys[i], this.vals[i]];
    return null;
  }

  /** luaH_getn: a border, found as Lua finds it. */
  length(): number {
    let j = this.array.length;
    if (j > 0 && this.array[j - 1] === undefined) {
      let i = 0;
      while (j - i > 1) {
        const m = Math.floor((i + j) / 2);
        if (this.array[m - 1] === undefined) j = m;
        else i = m;
      }
      return i;
    }
    if (this.dummy) return j;
    // unbound_search
    let i = j;
    j++;
    while (this.get(j) !== undefined) {
      i = j;
      j *= 2;
      if (j > 0x7fffffff) {
        i = 1;
        while (this.get(i) !== undefined) i++;
        return i - 1;
      }
    }
    while (j - i > 1) {
      const m = Math.floor((i + j) / 2);
      if (this.get(m) === undefined) j = m;
      else i = m;
    }
    return i;
  }
}

/** countint: an integer key in array range counts in its power-of-two slice. */
function countInt(key: LuaValue, nums: number[]): number {
  const k = arrayIndex(key);
  if (k > 0 && k <= MAXASIZE) {
    nums[ceilLog2(k)]++;
    return 1;
  }
  return 0;
}

/** computesizes: the largest power of two with more than half its slots in use. */
function computeSizes(nums: number[], narray: number): { size: number; inArray: number } {
  let a = 0;
  let na = 0;
  let n = 0;
  for (let i = 0, twotoi = 1; twotoi / 2 < narray; i++, twotoi *= 2) {
    if (nums[i] > 0) {
      a += nums[i];
      if (a > twotoi / 2) {
        n = twotoi;
        na = a;
      }
    }
    if (a === narray) break;
  }
  return { size: n, inArray: na };
}

/** luaO_fb2int(luaO_int2fb(x)): the size a table constructor asks for, rounded as its "floating byte" is. */
export function constructorSize(x: number): number {
  let e = 0;
  while (x >= 16) {
    x = (x + 1) >> 1;
    e++;
  }
  if (x < 8) return e === 0 ? x : x << e; // (x < 8 only when e == 0)
  const fb = ((e + 1) << 3) | (x - 8);
  const ee = (fb >> 3) & 31;
  return ee === 0 ? fb : ((fb & 7) + 8) << (ee - 1);
}
