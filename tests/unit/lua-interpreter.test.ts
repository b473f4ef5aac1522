// The Lua 5.1 interpreter on its own (src/engine/lua/): semantics, table
// layout, number formatting, patterns and the random generator. Expected
// values were read from redis-server 7.0.15 (`EVAL "return ..." 0`); the
// golden transcripts scripting and functions check the same through EVAL.
import { describe, expect, it } from 'vitest';
import { LuaState } from '../../src/engine/lua/state.ts';
import { LuaTable } from '../../src/engine/lua/table.ts';
import { formatFloat, number2str, number2str17, str2number } from '../../src/engine/lua/number.ts';
import { Lrand48 } from '../../src/engine/lua/lib-math.ts';
import type { LuaValue } from '../../src/engine/lua/value.ts';

function run(src: string): LuaValue[] | string {
  const st = new LuaState();
  const f = st.load(src, '@user_script');
  if (typeof f === 'string') return f;
  const r = st.call(f, []);
  return r.ok ? r.values : String(r.error);
}

function list(t: LuaValue): LuaValue[] {
  const out: LuaValue[] = [];
  if (t instanceof LuaTable) for (let i = 1; t.get(i) !== undefined; i++) out.push(t.get(i));
  return out;
}

describe('the Lua 5.1 interpreter', () => {
  it('walks a table in Lua 5.1 node order', () => {
    const r = run("local t={} for k in pairs({a=1,b=2,c=3,d=4,x=5,[1]=1,[3]=3}) do t[#t+1]=tostring(k) end return t");
    expect(list((r as LuaValue[])[0])).toEqual(['a', 'x', 'c', 'b', '1', 'd', '3']);
  });

  it('finds the border # finds', () => {
    expect(run('local a = {} a[1]=1 a[2]=2 a[4]=4 return #a')).toEqual([4]);
    expect(run('return #{1, 2, nil, 4}')).toEqual([4]);
    expect(run('return #{nil, nil, 3}')).toEqual([3]);
  });

  it('keeps closures of a loop apart and counts varargs with their nils', () => {
    expect(run('local fs = {} for i = 1, 3 do fs[i] = function() return i end end return fs[1](), fs[3]()')).toEqual([1, 3]);
    expect(run('local function f(...) return select("#", ...) end return f(1, nil, nil)')).toEqual([3]);
  });

  it('words runtime errors as Lua does, with the line', () => {
    expect(run('local t = nil\nreturn t.x')).toBe("user_script:2: attempt to index local 't' (a nil value)");
    expect(run('return {} .. "x"')).toBe('user_script:1: attempt to concatenate a table value');
    expect(run('local t = {} return 1 < t')).toBe('user_script:1: attempt to compare number with table');
    expect(run('return ("x"):rep()')).toBe("user_script:1: bad argument #1 to 'rep' (number expected, got no value)");
  });

  it('words compile errors as Lua does', () => {
    expect(run('x =')).toBe("user_script:1: unexpected symbol near '<eof>'");
    expect(run('local function f()\nreturn 1\n')).toBe("user_script:3: 'end' expected (to close 'function' at line 1) near '<eof>'");
    expect(run("return 'a\nb'")).toBe("user_script:1: unfinished string near ''a'");
    expect(run('return 1x')).toBe("user_script:1: malformed number near '1x'");
  });

  it('prints numbers with %.14g and reads them as strtod', () => {
    expect(number2str(1 / 3)).toBe('0.33333333333333');
    expect(number2str(2 ** 53)).toBe('9.007199254741e+15');
    expect(number2str(1e15)).toBe('1e+15');
    expect(number2str(-0)).toBe('-0');
    expect(number2str17(0.1)).toBe('0.10000000000000001');
    expect(str2number(' 0x1F ')).toBe(31);
    expect(str2number('1e')).toBeNull();
    expect(str2number('5.')).toBe(5);
  });

  it('rounds printf conversions half to even, as glibc', () => {
    expect(formatFloat(2.5, 'f', 0)).toBe('2');
    expect(formatFloat(0.5, 'f', 0)).toBe('0');
    expect(formatFloat(1.5, 'e', 0)).toBe('2e+00');
    expect(formatFloat(0.1, 'f', 20)).toBe('0.10000000000000000555');
    expect(formatFloat(5e-324, 'g', 17)).toBe('4.9406564584124654e-324');
  });

  it('matches Lua patterns', () => {
    expect(run("return string.gsub('hello world', '(%w+)', '<%1>')")).toEqual(['<hello> <world>', 2]);
    expect(run("return string.match('  trim  ', '^%s*(.-)%s*$')")).toEqual(['trim']);
    expect(run("return string.find('THE (quick) fox', '%f[%a]%a+', 5)")).toEqual([6, 10]);
    expect(run("return string.match('[[x]]', '%b[]')")).toEqual(['[[x]]']);
    expect(run("return string.gsub('abc', '%', 'x')")).toBe("user_script:1: malformed pattern (ends with '%')");
  });

  it("draws redisLrand48's sequence from a fresh process", () => {
    // redis-server 7.0.15, fresh: tostring(math.random()), math.random(100), math.random(5, 10), tostring(math.random())
    const rand = new Lrand48();
    const r = () => (rand.next() % 2147483647) / 2147483647;
    const first = r();
    expect(Math.floor(r() * 100) + 1).toBe(85);
    expect(Math.floor(r() * 6) + 5).toBe(7);
    expect(number2str(r())).toBe('0.44658343468168');
    expect(first).toBeLessThan(1);
  });
});
