// The set encodings (OBJECT ENCODING) and an intset's record width (DUMP),
// read from the engine's values at the conversion points of t_set.c, with
// the member table behind hashtable sets. "Observed" marks what
// redis-server 7.0.15 answered to OBJECT ENCODING (or DUMP) after the same
// commands; tests/golden/cases/set.cmds asks both servers the same.
import { describe, expect, it } from 'vitest';
import { bulks, hashSession } from './hash-support.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import {
  MemberTable,
  intsetWidthOf,
  newIntset,
  newSetFor,
  setAdd,
  setDup,
  setHas,
  setMembers,
  setRandom,
  setRemove,
  setSize,
  type SetValue,
} from '../../src/engine/keyspace/set.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { Rng } from '../../src/sim/rng.ts';

const b = (s: string) => fromLatin1(s);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

function setSession() {
  const s = hashSession();
  /** The set value at a key (undefined when there is none or it is not a set). */
  const set = (key: string): SetValue | undefined => {
    const value = s.db.peek(keyName(b(key)));
    return value?.type === 'set' ? value : undefined;
  };
  return { ...s, set };
}

const members = (set: SetValue) => [...setMembers(set)].map((m) => latin1(m));

describe('intset to hashtable at set-max-intset-entries (512 by default)', () => {
  it('converts on the 513th member, and never back', () => {
    const { run, set } = setSession();
    // Observed: 512 -> intset; 513 -> hashtable; SREM of three -> hashtable.
    expect(run('SADD', 'a', ...range(1, 512))).toBe(':512\r\n');
    expect(set('a')!.encoding).toBe('intset');
    expect(run('SADD', 'a', '512')).toBe(':0\r\n');
    expect(set('a')!.encoding).toBe('intset');
    expect(run('SADD', 'a', '513')).toBe(':1\r\n');
    expect(set('a')!.encoding).toBe('hashtable');
    expect(run('SREM', 'a', '513', '1', '2')).toBe(':3\r\n');
    expect(set('a')!.encoding).toBe('hashtable');
    // The members of the intset, by value, then what came after.
    expect(members(set('a')!).slice(0, 3)).toEqual(['3', '4', '5']);
  });

  it('converts 513 new members in one SADD', () => {
    const { run, set } = setSession();
    expect(run('SADD', 'b', ...range(1, 513))).toBe(':513\r\n');
    expect(set('b')!.encoding).toBe('hashtable');
  });

  it('follows the directive as it is when a member is added', () => {
    const { run, set, node } = setSession();
    node.config.setMaxIntsetEntries = 0;
    // Observed: with set-max-intset-entries 0, SADD g 1 -> hashtable.
    expect(run('SADD', 'g', '1')).toBe(':1\r\n');
    expect(set('g')!.encoding).toBe('hashtable');
    node.config.setMaxIntsetEntries = 3;
    run('SADD', 'h', '1', '2', '3');
    expect(set('h')!.encoding).toBe('intset');
    node.config.setMaxIntsetEntries = 2;
    run('SADD', 'h', '3');
    expect(set('h')!.encoding).toBe('intset');
    run('SADD', 'h', '4');
    expect(set('h')!.encoding).toBe('hashtable');
  });
});

describe('what is an integer member (string2ll)', () => {
  it('keeps int64 extremes in an intset, and makes anything else a hashtable', () => {
    const { run, set } = setSession();
    // Observed: 9223372036854775807 and -9223372036854775808 -> intset; one beyond, "", 1.5, 007, -0, +1, " 1" -> hashtable.
    run('SADD', 'e', '9223372036854775807', '-9223372036854775808', '0');
    expect(set('e')!.encoding).toBe('intset');
    expect(members(set('e')!)).toEqual(['-9223372036854775808', '0', '9223372036854775807']);
    for (const m of ['9223372036854775808', '-9223372036854775809', '', '1.5', '007', '-0', '+1', ' 1', '1 ', '0x10', '1e3']) {
      expect(newSetFor(b(m)).encoding, m).toBe('hashtable');
    }
    run('SADD', 'e', '1.5');
    expect(set('e')!.encoding).toBe('hashtable');
  });

  it('creates a set for its first member: an intset only when it is an integer', () => {
    const { run, set } = setSession();
    // Observed: SADD e 5 -> intset; SADD x a 1 -> hashtable; SADD y 1 a -> hashtable.
    run('SADD', 'x', 'a', '1');
    expect(set('x')!.encoding).toBe('hashtable');
    run('SADD', 'y', '1', 'a');
    expect(set('y')!.encoding).toBe('hashtable');
    expect(members(set('y')!)).toEqual(['1', 'a']);
    // A hashtable of integers only stays a hashtable (observed after SREM c x).
    run('SREM', 'x', 'a');
    expect(set('x')!.encoding).toBe('hashtable');
  });

  it('answers membership by value in an intset: "01" is no member, "1" is', () => {
    const set = newIntset();
    setAdd(set, b('1'), { setMaxIntsetEntries: 512 });
    expect(setHas(set, b('1'))).toBe(true);
    expect(setHas(set, b('01'))).toBe(false);
    expect(setHas(set, b('+1'))).toBe(false);
    expect(setRemove(set, b('01'))).toBe(false);
    expect(setRemove(set, b('1'))).toBe(true);
    expect(setSize(set)).toBe(0);
  });
});

describe('the encoding of a set a command builds', () => {
  it('SINTERSTORE, SUNIONSTORE, SDIFFSTORE: a new intset, converted as members come', () => {
    const { run, set } = setSession();
    run('SADD', 'h1', '1', '2', '3');
    run('SADD', 'h2', 'a', '2', '3');
    // Observed: intset, hashtable, hashtable.
    expect(run('SINTERSTORE', 'h3', 'h1', 'h2')).toBe(':2\r\n');
    expect(set('h3')!.encoding).toBe('intset');
    expect(run('SUNIONSTORE', 'h4', 'h1', 'h2')).toBe(':4\r\n');
    expect(set('h4')!.encoding).toBe('hashtable');
    expect(run('SDIFFSTORE', 'h5', 'h2', 'h1')).toBe(':1\r\n');
    expect(set('h5')!.encoding).toBe('hashtable');
  });

  it('SDIFFSTORE: algorithm 2 adds the whole first set, so a removed non-integer leaves a hashtable', () => {
    const { run, set } = setSession();
    run('SADD', 'f', 'x', '1', '2', '3');
    run('SADD', 'o1', 'x');
    run('SADD', 'o2', '2');
    run('SADD', 'o3', '3');
    // 4 * 4 / 2 > 4 + 3: algorithm 2. 4 * 3 / 2 <= 4 + 2: algorithm 1.
    expect(run('SDIFFSTORE', 'a2', 'f', 'o1', 'o2', 'o3')).toBe(':1\r\n');
    expect(set('a2')!.encoding).toBe('hashtable');
    expect(run('SDIFFSTORE', 'a1', 'f', 'o1', 'o2')).toBe(':2\r\n');
    expect(set('a1')!.encoding).toBe('intset');
  });

  it('SMOVE creates the destination for the member', () => {
    const { run, set } = setSession();
    run('SADD', 's', 'a', '1');
    run('SMOVE', 's', 'd1', '1');
    run('SMOVE', 's', 'd2', 'a');
    expect(set('d1')!.encoding).toBe('intset');
    expect(set('d2')!.encoding).toBe('hashtable');
  });

  it('SPOP with a count that keeps few: the new set is created for the first member kept', () => {
    // Observed: SADD m x 1 2 3 4 5 6; SPOP m 6 left "1" in an intset.
    for (let seed = 1; seed <= 20; seed++) {
      const s = hashSession({ seed });
      s.run('SADD', 'm', 'x', '1', '2', '3', '4', '5', '6');
      s.run('SPOP', 'm', '6');
      const left = s.db.peek('m') as SetValue;
      expect(setSize(left)).toBe(1);
      expect(left.encoding).toBe(members(left)[0] === 'x' ? 'hashtable' : 'intset');
    }
  });

  it('COPY keeps the encoding and the intset width', () => {
    const { run, set } = setSession();
    run('SADD', 'w', '1', '100000');
    run('SREM', 'w', '100000');
    run('COPY', 'w', 'wc');
    expect(set('wc')!.encoding).toBe('intset');
    expect(set('wc')!.intWidth).toBe(4);
    const dup = setDup(set('w')!);
    expect(dup).not.toBe(set('w'));
    expect(members(dup)).toEqual(['1']);
  });
});

describe('intset record width (intset.c encoding)', () => {
  it('is the narrowest that holds a value', () => {
    expect([0n, 32767n, -32768n].map(intsetWidthOf)).toEqual([2, 2, 2]);
    expect([32768n, -32769n, 2147483647n, -2147483648n].map(intsetWidthOf)).toEqual([4, 4, 4, 4]);
    expect([2147483648n, -2147483649n, 9223372036854775807n, -9223372036854775808n].map(intsetWidthOf)).toEqual([8, 8, 8, 8]);
  });

  it('grows with the widest member ever added and never shrinks', () => {
    const { run, set } = setSession();
    run('SADD', 'w', '1');
    expect(set('w')!.intWidth).toBe(2);
    run('SADD', 'w', '-40000');
    expect(set('w')!.intWidth).toBe(4);
    run('SREM', 'w', '-40000');
    // Observed: DUMP w gives encoding 4 with the record 01 00 00 00.
    expect(set('w')!.intWidth).toBe(4);
    run('SADD', 'w', '5000000000');
    expect(set('w')!.intWidth).toBe(8);
    // A set built anew starts narrow again.
    run('SUNIONSTORE', 'u', 'w');
    run('SREM', 'u', '5000000000');
    run('SUNIONSTORE', 'u2', 'u');
    expect(set('u2')!.intWidth).toBe(2);
  });
});

describe('MemberTable', () => {
  it('keeps insertion order through deletes and the squeezes of its holes', () => {
    const t = new MemberTable();
    for (let i = 0; i < 100; i++) t.add(b(`m${i}`));
    for (let i = 0; i < 100; i += 3) t.delete(b(`m${i}`));
    for (let i = 1; i < 100; i += 3) t.delete(b(`m${i}`));
    expect(t.size).toBe(33);
    expect([...t].map((m) => latin1(m))).toEqual(range(0, 32).map((i) => `m${Number(i) * 3 + 2}`));
    expect(t.add(b('m2'))).toBe(false);
    expect(t.add(b('m0'))).toBe(true);
    expect([...t].map((m) => latin1(m)).at(-1)).toBe('m0');
  });

  it('draws every member with equal chance', () => {
    const t = new MemberTable();
    for (let i = 0; i < 40; i++) t.add(b(`m${i}`));
    for (let i = 0; i < 40; i += 2) t.delete(b(`m${i}`));
    const rng = new Rng(7, 'table');
    const counts = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      const m = latin1(t.random((n) => rng.below(n)));
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('lets a set be iterated while it is changed', () => {
    const set = newSetFor(b('a'));
    for (const m of ['a', 'b', 'c']) setAdd(set, b(m), { setMaxIntsetEntries: 512 });
    const seen: string[] = [];
    for (const m of setMembers(set)) {
      seen.push(latin1(m));
      setRemove(set, m);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(setSize(set)).toBe(0);
    const rng = new Rng(1, 'x');
    setAdd(set, b('z'), { setMaxIntsetEntries: 512 });
    expect(latin1(setRandom(set, (n) => rng.below(n)))).toBe('z');
  });
});

describe('order of replies', () => {
  it('lists an intset by value and a hashtable in insertion order (intset members first when converted)', () => {
    const { run } = setSession();
    run('SADD', 'i', '30', '-1', '20');
    expect(bulks(run('SMEMBERS', 'i'))).toEqual(['-1', '20', '30']);
    run('SADD', 'i', 'z', '5', 'a');
    expect(bulks(run('SMEMBERS', 'i'))).toEqual(['-1', '20', '30', 'z', '5', 'a']);
  });
});
