// The quicklist model of src/engine/keyspace/list.ts: listpack entry sizes
// and bytes, where nodes start, split, merge and go, plain nodes, and the
// walks the commands use. Layouts marked "observed" were read from the DUMP
// of redis-server 7.0.15 after the same commands (tests/live/list-*.test.ts
// compare the two at random, checkpoint by checkpoint).
import { describe, expect, it } from 'vitest';
import { Quicklist } from '../../src/engine/keyspace/list.ts';
import { encodeListpack, listpackEntrySize } from '../../src/engine/keyspace/listpack.ts';
import { bytesEqual, fromLatin1, latin1 } from '../../src/engine/bytes.ts';

const b = (s: string) => fromLatin1(s);
const hex = (bytes: Uint8Array) => Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => String(lo + i));

function list(fill: number, elements: string[] = []): Quicklist {
  const ql = new Quicklist(fill, 0);
  for (const e of elements) ql.push(b(e), false);
  return ql;
}

const counts = (ql: Quicklist) => [...ql.nodes()].map((n) => (n.plain ? 'plain' : n.count));
const sizes = (ql: Quicklist) => [...ql.nodes()].map((n) => n.sz);
const elements = (ql: Quicklist) => ql.toArray().map((e) => latin1(e));

function insert(ql: Quicklist, after: boolean, pivot: string, value: string): void {
  const pos = ql.find((e) => bytesEqual(e, b(pivot)));
  if (!pos) throw new Error(`no pivot ${pivot}`);
  ql.insert(pos, b(value), after);
}

/** Every node's size is its listpack's length; counts add up; links agree both ways. */
function checkInvariants(ql: Quicklist): void {
  let count = 0;
  let len = 0;
  let prev = null;
  for (const n of ql.nodes()) {
    expect(n.prev).toBe(prev);
    expect(n.count).toBeGreaterThan(0);
    if (n.plain) expect(n.sz).toBe(n.entries[0].length);
    else expect(n.sz).toBe(encodeListpack(n.entries).length);
    count += n.count;
    len++;
    prev = n;
  }
  expect(ql.tail).toBe(prev);
  expect(ql.count).toBe(count);
  expect(ql.len).toBe(len);
}

describe('listpack entries', () => {
  it('sizes integers by their encoding and strings by their length class', () => {
    const cases: Array<[string, number]> = [
      ['0', 2], ['127', 2], ['128', 3], ['-1', 3], ['4095', 3], ['-4096', 3], ['4096', 4], ['-32768', 4],
      ['32768', 5], ['8388607', 5], ['8388608', 6], ['-2147483648', 6], ['2147483648', 10],
      ['9223372036854775807', 10], ['-9223372036854775808', 10],
      // Not canonical integers: strings.
      ['9223372036854775808', 21], ['01', 4], ['-0', 4], ['+1', 4], ['', 2], ['a', 3],
    ];
    for (const [s, size] of cases) expect([s, listpackEntrySize(b(s))]).toEqual([s, size]);
    expect(listpackEntrySize(b('x'.repeat(63)))).toBe(65);
    expect(listpackEntrySize(b('x'.repeat(64)))).toBe(67);
    expect(listpackEntrySize(b('x'.repeat(125)))).toBe(128);
    expect(listpackEntrySize(b('x'.repeat(4095)))).toBe(4099);
    expect(listpackEntrySize(b('x'.repeat(4096)))).toBe(4103);
  });

  it('encodes a listpack byte for byte as Redis (observed, from DUMP)', () => {
    const items = ['0', '127', '128', '-1', '4095', '-4096', '4096', '32767', '-32768', '40000', '8388607', '-8388609',
      '2147483647', '-2147483649', '9223372036854775807', '-9223372036854775808', '', 'a', '01', '-0', 'x'.repeat(63), 'y'.repeat(64)];
    const want =
      'e8000000160000017f01c08002dfff02cfff02d00002f1001003f1ff7f03f1008003f2409c0004f2ffff7f04f3ffff7fff05f3ffffff7f05' +
      'f4ffffff7fffffffff09f4ffffffffffffff7f09f4000000000000008009800181610282303103822d3003' +
      'bf' + '78'.repeat(63) + '40' + 'e040' + '79'.repeat(64) + '42' + 'ff';
    expect(hex(encodeListpack(items.map(b)))).toBe(want);
    const ql = list(-2, items);
    expect(sizes(ql)).toEqual([232]);
  });

  it('encodes 12- and 32-bit string lengths and multi-byte back-lengths (observed)', () => {
    const ql = list(-2, ['z'.repeat(4095), 'w'.repeat(4096), 'v'.repeat(200)]);
    expect(counts(ql)).toEqual([1, 2]);
    expect(sizes(ql)).toEqual([4106, 4314]);
    const [first, second] = [...ql.nodes()].map((n) => encodeListpack(n.entries));
    expect(hex(first.subarray(0, 8))).toBe('0a1000000100efff');
    expect(hex(first.subarray(-3))).toBe('2081ff');
    expect(hex(second.subarray(0, 11))).toBe('da1000000200f000100000');
    expect(hex(second.subarray(4107, 4111))).toBe('2085e0c8');
    expect(hex(second.subarray(-3))).toBe('01caff');
  });

  it('saturates the element count field at 65535', () => {
    const lp = encodeListpack(Array.from({ length: 70000 }, () => b('1')));
    expect(lp[4] | (lp[5] << 8)).toBe(65535);
    expect(lp.length).toBe(7 + 70000 * 2);
  });
});

describe('node boundaries', () => {
  it('starts a node when the 8 KB size limit would be passed (observed)', () => {
    const ql = list(-2, ['a'.repeat(3000), 'b'.repeat(3000), 'c'.repeat(3000)]);
    expect(counts(ql)).toEqual([2, 1]);
    expect(sizes(ql)).toEqual([6015, 3011]);
  });

  it('counts entries for a positive fill, one element a node for fill 0 (observed)', () => {
    expect(counts(list(4, range(1, 10)))).toEqual([4, 4, 2]);
    expect(counts(list(0, ['a', 'b', 'c']))).toEqual([1, 1, 1]);
    // A positive fill still keeps a node within SIZE_SAFETY_LIMIT.
    expect(counts(list(100, Array.from({ length: 5 }, () => 'x'.repeat(3000))))).toEqual([2, 2, 1]);
  });

  it('clamps the fill as quicklistSetFill does', () => {
    expect(new Quicklist(-100, 0).fill).toBe(-5);
    expect(new Quicklist(100000, 0).fill).toBe(32767);
    expect(new Quicklist(-2, -1).compress).toBe(0);
  });

  it('pushes at the head into the head node', () => {
    const ql = list(2);
    for (const e of ['a', 'b', 'c', 'd', 'e']) ql.push(b(e), true);
    expect(elements(ql)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(counts(ql)).toEqual([1, 2, 2]);
    checkInvariants(ql);
  });

  it('keeps the node sizes of a range delete (observed: RPUSH 1..5000, LPOP 1000, RPOP 1500)', () => {
    const ql = list(-2, range(1, 5000));
    ql.deleteRange(0, 1000);
    ql.deleteRange(-1500, 1500);
    expect(counts(ql)).toEqual([1767, 733]);
    expect(sizes(ql)).toEqual([5308, 2206]);
    checkInvariants(ql);
  });
});

describe('LINSERT splits and merges (observed, list-max-listpack-size 4)', () => {
  it('splits a full node and inserts into the new part', () => {
    const ql = list(4, range(1, 8));
    insert(ql, false, '3', 'X');
    expect(counts(ql)).toEqual([3, 2, 4]);
    expect(elements(ql)).toEqual(['1', '2', 'X', '3', '4', '5', '6', '7', '8']);
    checkInvariants(ql);
  });

  it('adds a node between two full ones at a node edge', () => {
    const after = list(4, range(1, 8));
    insert(after, true, '4', 'Y');
    expect(counts(after)).toEqual([4, 1, 4]);
    const before = list(4, range(1, 8));
    insert(before, false, '5', 'Y');
    expect(counts(before)).toEqual([4, 1, 4]);
  });

  it('uses the neighbour that has room at a node edge', () => {
    const after = list(4, range(1, 7));
    insert(after, true, '4', 'Y');
    expect(counts(after)).toEqual([4, 4]);
    const before = list(4, range(1, 7));
    insert(before, false, '5', 'Y');
    expect(counts(before)).toEqual([4, 4]);
    expect(elements(before)).toEqual(['1', '2', '3', '4', 'Y', '5', '6', '7']);
  });

  it('inserts into a node that has room', () => {
    const ql = list(4, range(1, 8));
    ql.pop(true);
    insert(ql, true, '4', 'Y');
    expect(counts(ql)).toEqual([4, 4]);
  });

  it('merges the neighbours of a split node that fit together', () => {
    const ql = list(4, range(1, 12));
    for (const e of ['1', '2', '3', '9', '10', '11']) ql.removeWhere((x) => latin1(x) === e, 0, false);
    expect(counts(ql)).toEqual([1, 4, 1]);
    insert(ql, false, '6', 'X');
    expect(counts(ql)).toEqual([3, 4]);
    expect(elements(ql)).toEqual(['4', '5', 'X', '6', '7', '8', '12']);
    checkInvariants(ql);
  });

  it('gives each element its own node with fill 1 (observed)', () => {
    const ql = list(1, ['a', 'b', 'c']);
    insert(ql, true, 'b', 'X');
    ql.push(b('z'), true);
    expect(counts(ql)).toEqual([1, 1, 1, 1, 1]);
    expect(elements(ql)).toEqual(['z', 'a', 'b', 'X', 'c']);
  });
});

describe('LSET', () => {
  it('replaces in place even past the size limit (observed: Redis 7.0 does not check the fill)', () => {
    const ql = list(-2, range(1, 3000));
    ql.deleteRange(0, 500);
    ql.deleteRange(-499, 499);
    expect(ql.replaceAt(1000, b('x'.repeat(5000)))).toBe(true);
    expect(counts(ql)).toEqual([2001]);
    expect(sizes(ql)).toEqual([11014]);
    expect(latin1(ql.get(1000)!)).toBe('x'.repeat(5000));
    checkInvariants(ql);
  });

  it('is out of range beyond either end', () => {
    const ql = list(-2, ['a', 'b']);
    expect(ql.replaceAt(2, b('x'))).toBe(false);
    expect(ql.replaceAt(-3, b('x'))).toBe(false);
    expect(ql.replaceAt(-2, b('x'))).toBe(true);
    expect(elements(ql)).toEqual(['x', 'b']);
  });
});

describe('plain nodes (elements of packed_threshold bytes or more)', () => {
  const big = (c: string) => c.repeat(20);
  function small(fill: number, items: string[]): Quicklist {
    const ql = list(fill);
    ql.packedThreshold = 20;
    for (const e of items) ql.push(b(e), false);
    return ql;
  }

  it('gives a large element a node of its own, at either end', () => {
    const ql = small(-2, ['a', 'b']);
    ql.push(b(big('P')), false);
    ql.push(b(big('Q')), true);
    ql.push(b('c'), false);
    expect(counts(ql)).toEqual(['plain', 2, 'plain', 1]);
    expect(sizes(ql)).toEqual([20, 13, 20, 10]);
    expect(latin1(ql.pop(true)!)).toBe(big('Q'));
    expect(counts(ql)).toEqual([2, 'plain', 1]);
    checkInvariants(ql);
  });

  it('splits a packed node to insert a large element in its middle', () => {
    const ql = small(-2, ['a', 'b', 'c', 'd']);
    insert(ql, true, 'b', big('P'));
    expect(counts(ql)).toEqual([2, 'plain', 2]);
    insert(ql, false, 'a', big('Q'));
    expect(counts(ql)).toEqual(['plain', 2, 'plain', 2]);
    expect(elements(ql)).toEqual([big('Q'), 'a', 'b', big('P'), 'c', 'd']);
    checkInvariants(ql);
  });

  it('replaces: large into packed splits, small into plain rejoins a packed node', () => {
    const ql = small(-2, ['a', 'b', 'c']);
    ql.replaceAt(1, b(big('P')));
    expect(counts(ql)).toEqual([1, 'plain', 1]);
    expect(elements(ql)).toEqual(['a', big('P'), 'c']);
    ql.replaceAt(1, b(big('Q')));
    expect(counts(ql)).toEqual([1, 'plain', 1]);
    // Inserted after the plain node: at the head of the next node, which has room.
    ql.replaceAt(1, b('B'));
    expect(counts(ql)).toEqual([1, 2]);
    expect(elements(ql)).toEqual(['a', 'B', 'c']);
    // A large element at the end of a node: a plain node after it, the old element goes.
    ql.replaceAt(2, b(big('R')));
    expect(counts(ql)).toEqual([1, 1, 'plain']);
    // The only element of a node.
    ql.replaceAt(0, b(big('S')));
    expect(counts(ql)).toEqual(['plain', 1, 'plain']);
    expect(elements(ql)).toEqual([big('S'), 'B', big('R')]);
    checkInvariants(ql);
  });

  it('never merges a plain node, and a range delete drops it whole', () => {
    const ql = small(4, ['a', 'b', big('P'), 'c', 'd', 'e', 'f']);
    expect(counts(ql)).toEqual([2, 'plain', 4]);
    insert(ql, true, 'd', 'X');
    expect(counts(ql)).toEqual([2, 'plain', 2, 3]);
    ql.deleteRange(1, 3);
    expect(counts(ql)).toEqual([1, 1, 3]);
    expect(elements(ql)).toEqual(['a', 'd', 'X', 'e', 'f']);
    checkInvariants(ql);
  });
});

describe('walks', () => {
  const ql = list(3, range(0, 9));

  it('locates every index from the nearer end', () => {
    for (let i = -12; i < 12; i++) {
      const want = i >= 10 || i < -10 ? undefined : String(i < 0 ? 10 + i : i);
      expect([i, ql.get(i) && latin1(ql.get(i)!)]).toEqual([i, want]);
    }
  });

  it('walks forward and backward from an index', () => {
    expect(ql.range(2, 5, false).map((e) => latin1(e))).toEqual(['2', '3', '4', '5', '6']);
    expect(ql.range(-1, 4, true).map((e) => latin1(e))).toEqual(['9', '8', '7', '6']);
    expect(ql.range(8, 100, false).map((e) => latin1(e))).toEqual(['8', '9']);
    expect(ql.range(20, 2, false)).toEqual([]);
    expect(ql.range(0, 0, false)).toEqual([]);
  });

  it('removes matches from either end, up to a limit, dropping emptied nodes', () => {
    const r = list(2, ['x', 'a', 'x', 'x', 'b', 'x', 'x', 'x']);
    expect(r.removeWhere((e) => latin1(e) === 'x', 2, true)).toBe(2);
    expect(elements(r)).toEqual(['x', 'a', 'x', 'x', 'b', 'x']);
    expect(r.removeWhere((e) => latin1(e) === 'x', 2, false)).toBe(2);
    expect(elements(r)).toEqual(['a', 'x', 'b', 'x']);
    expect(r.removeWhere((e) => latin1(e) === 'x', 0, false)).toBe(2);
    expect(elements(r)).toEqual(['a', 'b']);
    checkInvariants(r);
    expect(r.removeWhere(() => true, 0, true)).toBe(2);
    expect(r.count).toBe(0);
    expect(r.head).toBe(null);
    expect(r.tail).toBe(null);
  });

  it('deletes ranges as quicklistDelRange does, clamped to the list', () => {
    const d = list(3, range(0, 9));
    expect(d.deleteRange(0, 0)).toBe(false);
    expect(d.deleteRange(10, 1)).toBe(false);
    expect(d.deleteRange(-11, 1)).toBe(false);
    expect(d.deleteRange(1, 4)).toBe(true);
    expect(elements(d)).toEqual(['0', '5', '6', '7', '8', '9']);
    expect(counts(d)).toEqual([1, 1, 3, 1]);
    expect(d.deleteRange(-2, 100)).toBe(true);
    expect(elements(d)).toEqual(['0', '5', '6', '7']);
    checkInvariants(d);
  });
});

describe('whole lists', () => {
  it('duplicates nodes, fill and depth; the copy changes alone', () => {
    const ql = new Quicklist(3, 2);
    for (const e of range(1, 7)) ql.push(b(e), false);
    const copy = ql.dup();
    expect(copy.fill).toBe(3);
    expect(copy.compress).toBe(2);
    expect(counts(copy)).toEqual(counts(ql));
    copy.push(b('x'), true);
    copy.replaceAt(3, b('y'));
    copy.deleteRange(-2, 2);
    expect(elements(ql)).toEqual(range(1, 7));
    expect(elements(copy)).toEqual(['x', '1', '2', 'y', '4', '5']);
    checkInvariants(ql);
    checkInvariants(copy);
  });

  it('appends nodes as an RDB holds them', () => {
    const ql = list(-2);
    ql.appendNode([b('a'), b('12')], false);
    ql.appendNode([b('P'.repeat(30))], true);
    expect(counts(ql)).toEqual([2, 'plain']);
    expect(sizes(ql)).toEqual([12, 30]);
    checkInvariants(ql);
  });

  it('keeps its invariants through random operations', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const fill of [-2, -1, 1, 3, 8]) {
      const ql = list(fill);
      ql.packedThreshold = 300;
      const model: string[] = [];
      for (let i = 0; i < 3000; i++) {
        const v = ['1', '-77', '40000', 'abc', 'x'.repeat(rnd(400)), String(rnd(100000))][rnd(6)];
        const op = rnd(7);
        if (op <= 1 || model.length === 0) {
          ql.push(b(v), op === 0);
          if (op === 0) model.unshift(v);
          else model.push(v);
        } else if (op === 2) {
          const at = rnd(model.length);
          ql.insert(ql.locate(at)!, b(v), at % 2 === 0);
          model.splice(at % 2 === 0 ? at + 1 : at, 0, v);
        } else if (op === 3) {
          const at = rnd(model.length);
          ql.replaceAt(at, b(v));
          model[at] = v;
        } else if (op === 4) {
          const head = rnd(2) === 0;
          const got = ql.pop(head)!;
          expect(latin1(got)).toBe(head ? model.shift() : model.pop());
        } else if (op === 5) {
          const start = rnd(model.length);
          const n = rnd(20);
          ql.deleteRange(start, n);
          model.splice(start, n);
        } else {
          const target = model[rnd(model.length)];
          const limit = rnd(3);
          const fromTail = rnd(2) === 0;
          const removed = ql.removeWhere((e) => latin1(e) === target, limit, fromTail);
          let left = limit || Infinity;
          let n = 0;
          for (let j = fromTail ? model.length - 1 : 0; fromTail ? j >= 0 : j < model.length && left > 0; fromTail ? j-- : j++) {
            if (left > 0 && model[j] === target) {
              model.splice(j, 1);
              n++;
              left--;
              if (!fromTail) j--;
            }
          }
          expect(removed).toBe(n);
        }
      }
      expect(elements(ql)).toEqual(model);
      checkInvariants(ql);
    }
  });
});
