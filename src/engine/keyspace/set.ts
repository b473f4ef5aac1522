// The set type: members are binary, and the value carries the encoding
// OBJECT ENCODING reports, which follows t_set.c of Redis 7.0.15 (there are
// no listpack sets before 7.2):
//  - a set is created as an intset when its first member is an integer
//    (string2ll accepts it: decimal, no '+', no leading zeros, no "-0",
//    within int64), as a hashtable otherwise (setTypeCreate);
//  - an intset becomes a hashtable, once and for good, when a member that
//    is not such an integer is added, or when an added integer makes it hold
//    more than set-max-intset-entries members (512 stays intset, 513
//    converts); removing members never converts it back.
//
// An intset keeps its members as their integer values in ascending order,
// as intset.c does, and the width of its blob's records (2, 4 or 8 bytes:
// grown to fit the widest member ever added, never shrunk by a removal), so
// SMEMBERS, the RDB's intset blob and DUMP give the same bytes as Redis. A hashtable set keeps its members in the order they
// were added (an intset converted to a hashtable first gives its members in
// ascending order); Redis lists a dict in its own order (siphash with a
// per-process random seed), which the engine does not reproduce
// (docs/compat.md). A hashtable set also answers a random member in O(1)
// (SPOP, SRANDMEMBER), as dictGetFairRandomKey does: see MemberTable.

import { fromLatin1, latin1, string2ll } from '../bytes.ts';

export type SetEncoding = 'intset' | 'hashtable';

/** INTSET_ENC_INT16, _INT32, _INT64: the bytes of each record of an intset blob. */
export type IntsetWidth = 2 | 4 | 8;

/**
 * The members of a hashtable set in insertion order, with O(1) add,
 * delete, lookup and uniform random pick: a slot array (a deleted member
 * leaves a hole) and a map from member to slot. The holes are squeezed out,
 * keeping the order, once they are more than half of the slots, so a random
 * slot holds a member with probability at least 1/2.
 */
export class MemberTable {
  private slots: (Uint8Array | null)[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.index.size;
  }

  has(member: Uint8Array): boolean {
    return this.index.has(latin1(member));
  }

  /** True when the member was added, false when it was there. */
  add(member: Uint8Array): boolean {
    const name = latin1(member);
    if (this.index.has(name)) return false;
    this.index.set(name, this.slots.length);
    this.slots.push(member);
    return true;
  }

  /** True when the member was there. */
  delete(member: Uint8Array): boolean {
    const name = latin1(member);
    const at = this.index.get(name);
    if (at === undefined) return false;
    this.index.delete(name);
    this.slots[at] = null;
    if (this.index.size === 0) this.slots = [];
    else if (this.slots.length > 16 && this.index.size * 2 < this.slots.length) this.compact();
    return true;
  }

  /** A member drawn uniformly; `below(n)` draws an integer in [0, n). The table must not be empty. */
  random(below: (n: number) => number): Uint8Array {
    for (;;) {
      const member = this.slots[below(this.slots.length)];
      if (member) return member;
    }
  }

  *[Symbol.iterator](): Iterator<Uint8Array> {
    // A copy of the slot array, so deleting while iterating is safe.
    for (const member of this.slots.slice()) if (member) yield member;
  }

  private compact(): void {
    const slots: Uint8Array[] = [];
    for (const member of this.slots) {
      if (!member) continue;
      this.index.set(latin1(member), slots.length);
      slots.push(member);
    }
    this.slots = slots;
  }
}

export interface SetValue {
  readonly type: 'set';
  encoding: SetEncoding;
  /** intset: the members' values, ascending, no repeats; empty once a hashtable. */
  ints: bigint[];
  /** intset: its records' width (intset.c's encoding field). */
  intWidth: IntsetWidth;
  /** hashtable: the members; empty while an intset. */
  readonly table: MemberTable;
}

/** The directive the encoding follows (NodeConfig has it). */
export interface SetLimits {
  readonly setMaxIntsetEntries: number;
}

/** isSdsRepresentableAsLongLong: the member's int64 value, or null. */
export function memberInteger(member: Uint8Array): bigint | null {
  const v = string2ll(member);
  return v === null ? null : BigInt(v);
}

/** The bytes of an intset member (its canonical decimal digits). */
export function integerBytes(v: bigint): Uint8Array {
  return fromLatin1(v.toString());
}

/** createIntsetObject: an empty intset (intsetNew: 16-bit records). */
export function newIntset(): SetValue {
  return { type: 'set', encoding: 'intset', ints: [], intWidth: 2, table: new MemberTable() };
}

/** createSetObject: an empty hashtable set. */
export function newHashtableSet(): SetValue {
  return { type: 'set', encoding: 'hashtable', ints: [], intWidth: 2, table: new MemberTable() };
}

/** _intsetValueEncoding: the narrowest record that holds v. */
export function intsetWidthOf(v: bigint): IntsetWidth {
  if (v < -2147483648n || v > 2147483647n) return 8;
  if (v < -32768n || v > 32767n) return 4;
  return 2;
}

/** setTypeCreate: an intset when the first member is an integer, a hashtable otherwise. */
export function newSetFor(first: Uint8Array): SetValue {
  return memberInteger(first) === null ? newHashtableSet() : newIntset();
}

export function setSize(set: SetValue): number {
  return set.encoding === 'intset' ? set.ints.length : set.table.size;
}

/** intsetSearch: the position of v, or -(insertion point) - 1 when absent. */
function search(ints: readonly bigint[], v: bigint): number {
  let lo = 0;
  let hi = ints.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = ints[mid];
    if (m < v) lo = mid + 1;
    else if (m > v) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

/** setTypeIsMember. */
export function setHas(set: SetValue, member: Uint8Array): boolean {
  if (set.encoding === 'hashtable') return set.table.has(member);
  const v = memberInteger(member);
  return v !== null && search(set.ints, v) >= 0;
}

/** The members in the set's order: ascending for an intset, insertion order for a hashtable. */
export function* setMembers(set: SetValue): Iterable<Uint8Array> {
  if (set.encoding === 'hashtable') {
    yield* set.table;
    return;
  }
  for (const v of set.ints.slice()) yield integerBytes(v);
}

/** setTypeConvert to a hashtable: the intset's members in ascending order, then whatever comes. */
export function setConvertToHashtable(set: SetValue): void {
  if (set.encoding === 'hashtable') return;
  for (const v of set.ints) set.table.add(integerBytes(v));
  set.ints = [];
  set.encoding = 'hashtable';
}

/** setTypeAdd: true when the member was added, false when it was there. */
export function setAdd(set: SetValue, member: Uint8Array, limits: SetLimits): boolean {
  if (set.encoding === 'intset') {
    const v = memberInteger(member);
    if (v !== null) {
      const at = search(set.ints, v);
      if (at >= 0) return false;
      set.ints.splice(-at - 1, 0, v);
      const width = intsetWidthOf(v);
      if (width > set.intWidth) set.intWidth = width;
      if (set.ints.length > limits.setMaxIntsetEntries) setConvertToHashtable(set);
      return true;
    }
    setConvertToHashtable(set);
  }
  return set.table.add(member);
}

/** setTypeRemove: true when the member was there. */
export function setRemove(set: SetValue, member: Uint8Array): boolean {
  if (set.encoding === 'hashtable') return set.table.delete(member);
  const v = memberInteger(member);
  if (v === null) return false;
  const at = search(set.ints, v);
  if (at < 0) return false;
  set.ints.splice(at, 1);
  return true;
}

/**
 * setTypeRandomElement: a member drawn uniformly from a non-empty set
 * (intsetRandom, dictGetFairRandomKey), from `below(n)`, an integer in [0, n).
 */
export function setRandom(set: SetValue, below: (n: number) => number): Uint8Array {
  if (set.encoding === 'intset') return integerBytes(set.ints[below(set.ints.length)]);
  return set.table.random(below);
}

/** setTypeDup (COPY): a copy that shares no bytes and keeps the encoding. */
export function setDup(set: SetValue): SetValue {
  const copy: SetValue = { type: 'set', encoding: set.encoding, ints: set.ints.slice(), intWidth: set.intWidth, table: new MemberTable() };
  for (const member of set.table) copy.table.add(member.slice());
  return copy;
}
