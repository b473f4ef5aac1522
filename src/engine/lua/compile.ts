// Turns the tree of a Lua function into JS closures: each expression a
// function of the frame that returns its value (or, for calls and `...` in
// a last position, all its values), each statement a function that returns
// nothing, BREAK, or the values of a `return`. Locals live in the frame's
// slots; a local an inner function refers to lives in a cell, a new one
// each time its declaration runs (so closures made in a loop each see their
// own, as in Lua).

import type { Expr, FuncProto, LocalVar, Stat, TableItem } from './ast.ts';
import { LuaTable, constructorSize } from './table.ts';
import { LuaFunction, truthy, type LuaValue } from './value.ts';
import { arith, call, checkKey, concat, equals, index, len, lessEqual, lessThan, rt, runtimeErrorAt, setIndex, step, toNumber, type ArithOp, type Site } from './runtime.ts';

export class Cell {
  constructor(public v: LuaValue) {}
}

interface Frame {
  readonly r: LuaValue[];
  readonly u: readonly Cell[];
  va: LuaValue[];
}

type Ev = (f: Frame) => LuaValue;
type EvMulti = (f: Frame) => LuaValue[];
type Exec = (f: Frame) => Signal;
type Signal = undefined | typeof BREAK | LuaValue[];

const BREAK = Symbol('break');
const NONE: LuaValue[] = [];

/** The globals table code refers to. */
export interface Env {
  readonly globals: LuaTable;
}

/** getobjname for a value's expression: " local 'x'", " global 'x'", ... or "". */
function describe(e: Expr): string {
  const n = nameOf(e);
  return n ? ` ${n.what} '${n.name}'` : '';
}

function nameOf(e: Expr): { what: string; name: string } | null {
  switch (e.k) {
    case 'local':
      return { what: 'local', name: e.v.name };
    case 'upval':
      return { what: 'upvalue', name: e.name };
    case 'global':
      return { what: 'global', name: e.name };
    case 'index':
      return { what: 'field', name: e.key.k === 'str' ? e.key.v : '?' };
    case 'paren':
      return nameOf(e.e);
    default:
      return null;
  }
}

function isMulti(e: Expr): boolean {
  return e.k === 'call' || e.k === 'method' || e.k === 'vararg';
}

class Compiler {
  /** The function's zero constant, 0 or -0, once it has one. */
  private zero: number | undefined;

  constructor(
    private readonly env: Env,
    private readonly proto: FuncProto,
  ) {}

  private site(line: number, name: { what: string; name: string } | null = null): Site {
    return { chunk: this.proto.chunk, line, name: name?.name ?? null, namewhat: name?.what ?? '' };
  }

  // --- expressions

  expr(e: Expr): Ev {
    switch (e.k) {
      case 'nil':
        return () => undefined;
      case 'true':
        return () => true;
      case 'false':
        return () => false;
      case 'num': {
        let v = e.v;
        // Lua 5.1 keeps a function's number constants in a table where 0 and -0 are one key:
        // the first zero the function uses stands for every later one (so 1/0 after -0 is -inf).
        if (v === 0) {
          if (this.zero === undefined) this.zero = v;
          else v = this.zero;
        }
        return () => v;
      }
      case 'str': {
        const v = e.v;
        return () => v;
      }
      case 'vararg':
        return (f) => f.va[0];
      case 'func':
        return this.closure(e.f);
      case 'local': {
        const slot = e.v.slot;
        return e.v.captured ? (f) => (f.r[slot] as unknown as Cell).v : (f) => f.r[slot];
      }
      case 'upval': {
        const i = e.idx;
        return (f) => f.u[i].v;
      }
      case 'global': {
        const g = this.env.globals;
        const name = e.name;
        const site = this.site(e.line);
        return () => {
          const v = g.getStr(name);
          return v !== undefined || g.metatable === null ? v : index(g, name, site, '');
        };
      }
      case 'index': {
        const obj = this.expr(e.obj);
        const site = this.site(e.line);
        const desc = describe(e.obj);
        if (e.key.k === 'str') {
          const key = e.key.v;
          return (f) => {
            const o = obj(f);
            if (o instanceof LuaTable) {
              const v = o.getStr(key);
              if (v !== undefined || o.metatable === null) return v;
            }
            return index(o, key, site, desc);
          };
        }
        const key = this.expr(e.key);
        return (f) => {
          const o = obj(f);
          const k = key(f);
          if (o instanceof LuaTable) {
            const v = o.get(k);
            if (v !== undefined || o.metatable === null) return v;
          }
          return index(o, k, site, desc);
        };
      }
      case 'call':
      case 'method': {
        const m = this.callMulti(e);
        return (f) => m(f)[0];
      }
      case 'paren':
        return this.expr(e.e);
      case 'and': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return (f) => {
          const v = a(f);
          return v === undefined || v === false ? v : b(f);
        };
      }
      case 'or': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return (f) => {
          const v = a(f);
          return v === undefined || v === false ? b(f) : v;
        };
      }
      case 'not': {
        const a = this.expr(e.a);
        return (f) => {
          const v = a(f);
          return v === undefined || v === false;
        };
      }
      case 'neg': {
        const a = this.expr(e.a);
        const site = this.site(e.line);
        const desc = describe(e.a);
        return (f) => {
          const v = a(f);
          return typeof v === 'number' ? -v : arith('unm', v, v, site, desc, desc);
        };
      }
      case 'len': {
        const a = this.expr(e.a);
        const site = this.site(e.line);
        const desc = describe(e.a);
        return (f) => len(a(f), site, desc);
      }
      case 'bin':
        return this.binary(e.op, e.a, e.b, e.line);
      case 'table':
        return this.table(e.items, e.narray, e.nhash);
    }
  }

  private binary(op: string, ea: Expr, eb: Expr, line: number): Ev {
    const a = this.expr(ea);
    const b = this.expr(eb);
    const site = this.site(line);
    const da = describe(ea);
    const db = describe(eb);
    switch (op) {
      case '+':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x + y : arith('+', x, y, site, da, db);
        };
      case '-':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x - y : arith('-', x, y, site, da, db);
        };
      case '*':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x * y : arith('*', x, y, site, da, db);
        };
      case '/':
      case '%':
      case '^': {
        const o = op as ArithOp;
        return (f) => arith(o, a(f), b(f), site, da, db);
      }
      case '..':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'string' && typeof y === 'string' ? x + y : concat(x, y, site, da, db);
        };
      case '==':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return x === y || (typeof x === 'object' && typeof y === 'object' && equals(x, y, site));
        };
      case '~=':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return !(x === y || (typeof x === 'object' && typeof y === 'object' && equals(x, y, site)));
        };
      case '<':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x < y : lessThan(x, y, site);
        };
      case '<=':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x <= y : lessEqual(x, y, site);
        };
      // a > b is b < a in Lua's code (so an error names the operands in that order).
      case '>':
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x > y : lessThan(y, x, site);
        };
      default:
        return (f) => {
          const x = a(f);
          const y = b(f);
          return typeof x === 'number' && typeof y === 'number' ? x >= y : lessEqual(y, x, site);
        };
    }
  }

  /** All the values of an expression (a call's results, `...`), or its one value. */
  multi(e: Expr): EvMulti {
    if (e.k === 'call' || e.k === 'method') return this.callMulti(e);
    if (e.k === 'vararg') return (f) => f.va.slice();
    const v = this.expr(e);
    return (f) => [v(f)];
  }

  /** An argument or value list: every expression's one value, the last one's all values. */
  list(exprs: Expr[]): EvMulti {
    const n = exprs.length;
    if (n === 0) return () => [];
    const last = exprs[n - 1];
    if (isMulti(last)) {
      const firsts = exprs.slice(0, -1).map((x) => this.expr(x));
      const rest = this.multi(last);
      if (firsts.length === 0) return rest;
      return (f) => {
        const out: LuaValue[] = [];
        for (const x of firsts) out.push(x(f));
        const r = rest(f);
        for (let i = 0; i < r.length; i++) out.push(r[i]);
        return out;
      };
    }
    const evs = exprs.map((x) => this.expr(x));
    if (n === 1) {
      const [a] = evs;
      return (f) => [a(f)];
    }
    if (n === 2) {
      const [a, b] = evs;
      return (f) => [a(f), b(f)];
    }
    if (n === 3) {
      const [a, b, c] = evs;
      return (f) => [a(f), b(f), c(f)];
    }
    return (f) => evs.map((x) => x(f));
  }

  private callMulti(e: Expr & { k: 'call' | 'method' }): EvMulti {
    if (e.k === 'method') {
      const obj = this.expr(e.obj);
      const args = this.list(e.args);
      const name = e.name;
      const indexSite = this.site(e.line);
      const objDesc = describe(e.obj);
      const site = this.site(e.line, { what: 'method', name });
      const desc = ` method '${name}'`;
      return (f) => {
        const o = obj(f);
        const fn = index(o, name, indexSite, objDesc);
        const a = args(f);
        a.unshift(o);
        return call(fn, a, site, desc);
      };
    }
    const fn = this.expr(e.fn);
    const args = this.list(e.args);
    const site = this.site(e.line, nameOf(e.fn));
    const desc = describe(e.fn);
    return (f) => {
      const callee = fn(f);
      return call(callee, args(f), site, desc);
    };
  }

  private table(items: TableItem[], narray: number, nhash: number): Ev {
    const na = constructorSize(narray);
    const nh = constructorSize(nhash);
    type Step = (f: Frame, t: LuaTable, pending: LuaValue[]) => void;
    const steps: Step[] = items.map((it): Step => {
      if (it.k === 'rec') {
        const key = this.expr(it.key);
        const value = this.expr(it.value);
        const site = this.site(it.line);
        return (f, t) => {
          const k = key(f);
          const v = value(f);
          checkKey(k, site);
          t.set(k, v);
        };
      }
      if (it.k === 'item') {
        if (it.multi) {
          const m = this.multi(it.value);
          // The multiple result rides as one pending entry; the flush spreads it.
          return (f, _t, pending) => {
            pending.push(m(f) as unknown as LuaValue);
          };
        }
        const v = this.expr(it.value);
        return (f, _t, pending) => {
          pending.push(v(f));
        };
      }
      const { first, multi } = it;
      return (_f, t, pending) => {
        let values = pending;
        if (multi) {
          const tail = values.pop() as unknown as LuaValue[];
          values = values.concat(tail);
        }
        const last = first + values.length - 1;
        if (last > t.array.length) t.resizeArray(last);
        for (let i = values.length - 1; i >= 0; i--) t.set(first + i, values[i]);
        pending.length = 0;
      };
    });
    if (steps.length === 0) return () => new LuaTable(na, nh);
    return (f) => {
      const t = new LuaTable(na, nh);
      const pending: LuaValue[] = [];
      for (const s of steps) s(f, t, pending);
      return t;
    };
  }

  private closure(p: FuncProto): Ev {
    const body = compileFunction(this.env, p);
    const ups = p.upvals;
    return (f) => {
      const cells: Cell[] = new Array(ups.length);
      for (let i = 0; i < ups.length; i++) {
        const u = ups[i];
        cells[i] = u.fromLocal ? (f.r[u.index] as unknown as Cell) : f.u[u.index];
      }
      return new LuaFunction('?', (args) => body(cells, args), false);
    };
  }

  // --- statements

  block(stats: Stat[]): Exec {
    const execs = stats.map((s) => this.stat(s));
    const n = execs.length;
    if (n === 0) return () => undefined;
    if (n === 1) return execs[0];
    if (n === 2) {
      const [a, b] = execs;
      return (f) => {
        const s = a(f);
        return s !== undefined ? s : b(f);
      };
    }
    return (f) => {
      for (let i = 0; i < n; i++) {
        const s = execs[i](f);
        if (s !== undefined) return s;
      }
      return undefined;
    };
  }

  /** Stores into a local: its cell when captured, a new cell when `fresh` (a declaration). */
  private localStore(v: LocalVar, fresh: boolean): (f: Frame, value: LuaValue) => void {
    const slot = v.slot;
    if (!v.captured) return (f, value) => void (f.r[slot] = value);
    if (fresh) return (f, value) => void (f.r[slot] = new Cell(value) as unknown as LuaValue);
    return (f, value) => void ((f.r[slot] as unknown as Cell).v = value);
  }

  private stat(s: Stat): Exec {
    switch (s.k) {
      case 'local': {
        const stores = s.vars.map((v) => this.localStore(v, true));
        if (s.vars.length === 1 && s.exprs.length === 1) {
          const store = stores[0];
          const e = s.exprs[0];
          const v = this.expr(e);
          return (f) => {
            store(f, v(f));
            return undefined;
          };
        }
        const values = this.list(s.exprs);
        return (f) => {
          const vals = values(f);
          for (let i = 0; i < stores.length; i++) stores[i](f, vals[i]);
          return undefined;
        };
      }
      case 'localfunc': {
        const fn = this.closure(s.f);
        const v = s.v;
        const slot = v.slot;
        if (v.captured) {
          return (f) => {
            const cell = new Cell(undefined);
            f.r[slot] = cell as unknown as LuaValue;
            cell.v = fn(f);
            return undefined;
          };
        }
        return (f) => {
          f.r[slot] = fn(f);
          return undefined;
        };
      }
      case 'assign':
        return this.assign(s.targets, s.exprs, s.line);
      case 'call': {
        const c = this.callMulti(s.call as Expr & { k: 'call' | 'method' });
        return (f) => {
          c(f);
          return undefined;
        };
      }
      case 'do':
        return this.block(s.body);
      case 'while': {
        const cond = this.expr(s.cond);
        const body = this.block(s.body);
        return (f) => {
          while (truthy(cond(f))) {
            step();
            const r = body(f);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
          }
          return undefined;
        };
      }
      case 'repeat': {
        const cond = this.expr(s.cond);
        const body = this.block(s.body);
        return (f) => {
          for (;;) {
            step();
            const r = body(f);
            if (r !== undefined) {
              if (r === BREAK) break;
              return r;
            }
            if (truthy(cond(f))) break;
          }
          return undefined;
        };
      }
      case 'if': {
        const conds = s.conds.map((c) => this.expr(c));
        const blocks = s.blocks.map((b) => this.block(b));
        const orelse = s.orelse ? this.block(s.orelse) : null;
        if (conds.length === 1) {
          const [c] = conds;
          const [b] = blocks;
          return (f) => (truthy(c(f)) ? b(f) : orelse ? orelse(f) : undefined);
        }
        return (f) => {
          for (let i = 0; i < conds.length; i++) if (truthy(conds[i](f))) return blocks[i](f);
          return orelse ? orelse(f) : undefined;
        };
      }
      case 'fornum':
        return this.forNum(s);
      case 'forin':
        return this.forIn(s);
      case 'return': {
        if (s.exprs.length === 1 && !isMulti(s.exprs[0])) {
          const v = this.expr(s.exprs[0]);
          return (f) => [v(f)];
        }
        const values = this.list(s.exprs);
        return (f) => values(f);
      }
      case 'break':
        return () => BREAK;
    }
  }

  private assign(targets: Expr[], exprs: Expr[], line: number): Exec {
    const site = this.site(line);
    type Target = { prepare: (f: Frame) => [LuaValue, LuaValue] | null; store: (f: Frame, ref: [LuaValue, LuaValue] | null, v: LuaValue) => void };
    const compiled: Target[] = targets.map((t): Target => {
      switch (t.k) {
        case 'local': {
          const store = this.localStore(t.v, false);
          return { prepare: () => null, store: (f, _r, v) => store(f, v) };
        }
        case 'upval': {
          const i = t.idx;
          return { prepare: () => null, store: (f, _r, v) => void (f.u[i].v = v) };
        }
        case 'global': {
          const g = this.env.globals;
          const name = t.name;
          return { prepare: () => null, store: (_f, _r, v) => setIndex(g, name, v, site, '') };
        }
        default: {
          const ix = t as Expr & { k: 'index' };
          const obj = this.expr(ix.obj);
          const key = this.expr(ix.key);
          const desc = describe(ix.obj);
          return { prepare: (f) => [obj(f), key(f)], store: (_f, r, v) => setIndex(r![0], r![1], v, site, desc) };
        }
      }
    });
    if (compiled.length === 1 && exprs.length === 1) {
      const [t] = compiled;
      const v = this.expr(exprs[0]);
      return (f) => {
        const ref = t.prepare(f);
        t.store(f, ref, v(f));
        return undefined;
      };
    }
    const values = this.list(exprs);
    return (f) => {
      const refs = compiled.map((t) => t.prepare(f));
      const vals = values(f);
      // Lua stores the last target first.
      for (let i = compiled.length - 1; i >= 0; i--) compiled[i].store(f, refs[i], vals[i]);
      return undefined;
    };
  }

  private forNum(s: Stat & { k: 'fornum' }): Exec {
    const start = this.expr(s.start);
    const limit = this.expr(s.limit);
    const stepE = s.step ? this.expr(s.step) : () => 1;
    const store = this.localStore(s.v, true);
    const body = this.block(s.body);
    const site = this.site(s.line);
    return (f) => {
      const i0 = toNumber(start(f));
      const lim = toNumber(limit(f));
      const st = toNumber(stepE(f));
      if (i0 === null) throw runtimeErrorAt("'for' initial value must be a number", site);
      if (lim === null) throw runtimeErrorAt("'for' limit must be a number", site);
      if (st === null) throw runtimeErrorAt("'for' step must be a number", site);
      for (let i = i0; st > 0 ? i <= lim : lim <= i; i += st) {
        step();
        store(f, i);
        const r = body(f);
        if (r !== undefined) {
          if (r === BREAK) break;
          return r;
        }
      }
      return undefined;
    };
  }

  private forIn(s: Stat & { k: 'forin' }): Exec {
    const init = this.list(s.exprs);
    const stores = s.vars.map((v) => this.localStore(v, true));
    const body = this.block(s.body);
    const site: Site = { chunk: this.proto.chunk, line: s.line, name: '(for generator)', namewhat: 'local' };
    const desc = ''; // "attempt to call a nil value": the call is on a copy of the generator
    return (f) => {
      const v = init(f);
      return this.runForIn(f, v[0], v[1], v[2], stores, body, site, desc);
    };
  }

  private runForIn(f: Frame, gen: LuaValue, state: LuaValue, control: LuaValue, stores: ((f: Frame, v: LuaValue) => void)[], body: Exec, site: Site, desc: string): Signal {
    for (;;) {
      step();
      const r = call(gen, [state, control], site, desc);
      const first = r[0];
      if (first === undefined) return undefined;
      control = first;
      for (let i = 0; i < stores.length; i++) stores[i](f, r[i]);
      const sig = body(f);
      if (sig !== undefined) {
        if (sig === BREAK) return undefined;
        return sig;
      }
    }
  }
}

/** A compiled function: called with its closure's cells and its arguments, it returns its results. */
export type CompiledBody = (cells: readonly Cell[], args: LuaValue[]) => LuaValue[];

export function compileFunction(env: Env, p: FuncProto): CompiledBody {
  const c = new Compiler(env, p);
  const body = c.block(p.body);
  const nparams = p.params.length;
  const paramStores = p.params.map((v) => (v.captured ? (r: LuaValue[], x: LuaValue) => void (r[v.slot] = new Cell(x) as unknown as LuaValue) : (r: LuaValue[], x: LuaValue) => void (r[v.slot] = x)));
  const slots = p.slots;
  const vararg = p.isVararg;
  const arg = p.argLocal;
  const fillArg = arg !== null && !p.usesVarargs;
  return (cells, args) => {
    step();
    const r: LuaValue[] = new Array(slots);
    for (let i = 0; i < nparams; i++) paramStores[i](r, args[i]);
    const f: Frame = { r, u: cells, va: NONE };
    if (vararg) {
      f.va = args.length > nparams ? args.slice(nparams) : NONE;
      if (arg !== null) {
        let value: LuaValue;
        if (fillArg) {
          const t = new LuaTable(f.va.length, 1);
          for (let i = 0; i < f.va.length; i++) t.set(i + 1, f.va[i]);
          t.set('n', f.va.length);
          value = t;
        }
        r[arg.slot] = arg.captured ? (new Cell(value) as unknown as LuaValue) : value;
      }
    }
    const sig = body(f);
    return sig === undefined || sig === BREAK ? [] : sig;
  };
}

/** The main function of a chunk as a Lua function value. */
export function loadChunk(env: Env, p: FuncProto, name = '?'): LuaFunction {
  const body = compileFunction(env, p);
  return new LuaFunction(name, (args) => body([], args), false);
}

export { rt };
