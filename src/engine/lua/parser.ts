// The Lua 5.1 parser: the grammar of lparser.c, its checks in its order
// and its error messages ("'end' expected (to close 'function' at line 1)
// near '<eof>'", "unexpected symbol near ')'"), building the tree of ast.ts
// with names resolved to locals, upvalues and globals.

import { Lexer, T, tokenText } from './lexer.ts';
import type { BinOp, Expr, FuncProto, LocalVar, Stat, TableItem } from './ast.ts';

const MAXVARS = 200;
const MAXUPVALUES = 60;
const MAXCCALLS = 200;
/** LFIELDS_PER_FLUSH: list items stored per SETLIST. */
const FIELDS_PER_FLUSH = 50;

/** Binary operators: [token, op, left priority, right priority]. */
const BINARY: ReadonlyMap<number, readonly [BinOp | 'and' | 'or', number, number]> = new Map<number, readonly [BinOp | 'and' | 'or', number, number]>([
  [0x2b, ['+', 6, 6]],
  [0x2d, ['-', 6, 6]],
  [0x2a, ['*', 7, 7]],
  [0x2f, ['/', 7, 7]],
  [0x25, ['%', 7, 7]],
  [0x5e, ['^', 10, 9]],
  [T.CONCAT, ['..', 5, 4]],
  [T.NE, ['~=', 3, 3]],
  [T.EQ, ['==', 3, 3]],
  [0x3c, ['<', 3, 3]],
  [T.LE, ['<=', 3, 3]],
  [0x3e, ['>', 3, 3]],
  [T.GE, ['>=', 3, 3]],
  [T.AND, ['and', 2, 2]],
  [T.OR, ['or', 1, 1]],
] as const);
const UNARY_PRIORITY = 8;

interface Block {
  readonly nactvar: number;
  readonly breakable: boolean;
}

class FuncState {
  readonly active: LocalVar[] = [];
  readonly blocks: Block[] = [];
  /** Upvalue indexes by what they capture (a LocalVar of the parent, or the parent's upvalue index). */
  readonly upvalIndex = new Map<LocalVar | number, number>();
  constructor(
    readonly proto: FuncProto,
    readonly parent: FuncState | null,
  ) {}
}

function isAssignable(e: Expr): boolean {
  return e.k === 'local' || e.k === 'upval' || e.k === 'global' || e.k === 'index';
}

function isMulti(e: Expr): boolean {
  return e.k === 'call' || e.k === 'method' || e.k === 'vararg';
}

export class Parser {
  private fs!: FuncState;
  private levels = 0;

  constructor(private readonly ls: Lexer) {}

  /** luaY_parser: the main function of a chunk (a vararg function of no parameters). */
  parseChunk(): FuncProto {
    const proto = this.newProto(0);
    proto.isVararg = true;
    this.fs = new FuncState(proto, null);
    this.ls.advance();
    proto.body = this.chunk();
    this.check(T.EOS);
    return proto;
  }

  private newProto(line: number): FuncProto {
    return { chunk: this.ls.chunk, line, lastLine: line, params: [], isVararg: false, argLocal: null, usesVarargs: false, upvals: [], slots: 0, body: [] };
  }

  // --- helpers (lparser.c's names)

  private errorExpected(token: number): never {
    this.ls.syntaxError(`'${tokenText(token)}' expected`);
  }

  private errorLimit(limit: number, what: string): never {
    const line = this.fs.proto.line;
    const msg = line === 0 ? `main function has more than ${limit} ${what}` : `function at line ${line} has more than ${limit} ${what}`;
    this.ls.error(msg, 0);
  }

  private testNext(token: number): boolean {
    if (this.ls.token !== token) return false;
    this.ls.advance();
    return true;
  }

  private check(token: number): void {
    if (this.ls.token !== token) this.errorExpected(token);
  }

  private checkNext(token: number): void {
    this.check(token);
    this.ls.advance();
  }

  private checkMatch(what: number, who: number, where: number): void {
    if (this.testNext(what)) return;
    if (where === this.ls.linenumber) this.errorExpected(what);
    this.ls.syntaxError(`'${tokenText(what)}' expected (to close '${tokenText(who)}' at line ${where})`);
  }

  private checkName(): string {
    this.check(T.NAME);
    const name = this.ls.value as string;
    this.ls.advance();
    return name;
  }

  private enterLevel(): void {
    if (++this.levels > MAXCCALLS) this.ls.error('chunk has too many syntax levels', 0);
  }

  private leaveLevel(): void {
    this.levels--;
  }

  private blockFollow(): boolean {
    const t = this.ls.token;
    return t === T.ELSE || t === T.ELSEIF || t === T.END || t === T.UNTIL || t === T.EOS;
  }

  // --- variables

  private newLocal(name: string): LocalVar {
    const fs = this.fs;
    if (fs.active.length + 1 > MAXVARS) this.errorLimit(MAXVARS, 'local variables');
    return { name, slot: fs.proto.slots++, captured: false };
  }

  private activate(...vars: LocalVar[]): void {
    this.fs.active.push(...vars);
  }

  private enterBlock(breakable: boolean): void {
    this.fs.blocks.push({ nactvar: this.fs.active.length, breakable });
  }

  private leaveBlock(): void {
    const b = this.fs.blocks.pop()!;
    this.fs.active.length = b.nactvar;
  }

  /** singlevar: a local of this function, an upvalue, or a global. */
  private singleVar(name: string): Expr {
    const found = this.resolve(this.fs, name);
    if (found === null) return { k: 'global', name, line: this.ls.lastline };
    return found;
  }

  private resolve(fs: FuncState, name: string): Expr | null {
    for (let i = fs.active.length - 1; i >= 0; i--) {
      if (fs.active[i].name === name) return { k: 'local', v: fs.active[i] };
    }
    if (!fs.parent) return null;
    const outer = this.resolve(fs.parent, name);
    if (outer === null) return null;
    let key: LocalVar | number;
    if (outer.k === 'local') {
      outer.v.captured = true;
      key = outer.v;
    } else if (outer.k === 'upval') key = outer.idx;
    else return outer;
    let idx = fs.upvalIndex.get(key);
    if (idx === undefined) {
      idx = fs.proto.upvals.length;
      if (idx + 1 > MAXUPVALUES) {
        const saved = this.fs;
        this.fs = fs;
        this.errorLimit(MAXUPVALUES, 'upvalues');
        this.fs = saved;
      }
      fs.proto.upvals.push(typeof key === 'number' ? { name, fromLocal: false, index: key } : { name, fromLocal: true, index: key.slot });
      fs.upvalIndex.set(key, idx);
    }
    return { k: 'upval', idx, name };
  }

  // --- statements

  private chunk(): Stat[] {
    const out: Stat[] = [];
    this.enterLevel();
    let last = false;
    while (!last && !this.blockFollow()) {
      const s = this.statement();
      last = s.k === 'return' || s.k === 'break';
      out.push(s);
      this.testNext(0x3b);
    }
    this.leaveLevel();
    return out;
  }

  private block(): Stat[] {
    this.enterBlock(false);
    const body = this.chunk();
    this.leaveBlock();
    return body;
  }

  private statement(): Stat {
    const line = this.ls.linenumber;
    switch (this.ls.token) {
      case T.IF:
        return this.ifStat(line);
      case T.WHILE: {
        this.ls.advance();
        const cond = this.expr();
        this.enterBlock(true);
        this.checkNext(T.DO);
        const body = this.block();
        this.checkMatch(T.END, T.WHILE, line);
        this.leaveBlock();
        return { k: 'while', cond, body };
      }
      case T.DO: {
        this.ls.advance();
        const body = this.block();
        this.checkMatch(T.END, T.DO, line);
        return { k: 'do', body };
      }
      case T.FOR:
        return this.forStat(line);
      case T.REPEAT:
        return this.repeatStat(line);
      case T.FUNCTION:
        return this.funcStat(line);
      case T.LOCAL:
        this.ls.advance();
        if (this.testNext(T.FUNCTION)) {
          const v = this.newLocal(this.checkName());
          this.activate(v);
          return { k: 'localfunc', v, f: this.body(false, this.ls.linenumber) };
        }
        return this.localStat();
      case T.RETURN: {
        this.ls.advance();
        const exprs = this.blockFollow() || (this.ls.token as number) === 0x3b ? [] : this.exprList();
        return { k: 'return', exprs };
      }
      case T.BREAK: {
        this.ls.advance();
        if (!this.fs.blocks.some((b) => b.breakable)) this.ls.syntaxError('no loop to break');
        return { k: 'break' };
      }
      default:
        return this.exprStat();
    }
  }

  private ifStat(line: number): Stat {
    const conds: Expr[] = [];
    const blocks: Stat[][] = [];
    const clause = () => {
      this.ls.advance();
      conds.push(this.expr());
      this.checkNext(T.THEN);
      blocks.push(this.block());
    };
    clause();
    while (this.ls.token === T.ELSEIF) clause();
    let orelse: Stat[] | null = null;
    if (this.ls.token === T.ELSE) {
      this.ls.advance();
      orelse = this.block();
    }
    this.checkMatch(T.END, T.IF, line);
    return { k: 'if', conds, blocks, orelse };
  }

  private forStat(line: number): Stat {
    this.enterBlock(true);
    this.ls.advance();
    const name = this.checkName();
    let s: Stat;
    switch (this.ls.token) {
      case 0x3d: {
        this.ls.advance();
        const start = this.expr();
        this.checkNext(0x2c);
        const limit = this.expr();
        const step = this.testNext(0x2c) ? this.expr() : null;
        this.checkNext(T.DO);
        const forLine = this.ls.lastline; // OP_FORPREP's line: the 'do'
        const v = this.newLocal(name);
        this.enterBlock(false);
        this.activate(v);
        const body = this.chunk();
        this.leaveBlock();
        s = { k: 'fornum', v, start, limit, step, body, line: forLine };
        break;
      }
      case 0x2c:
      case T.IN: {
        const names = [name];
        while (this.testNext(0x2c)) names.push(this.checkName());
        this.checkNext(T.IN);
        const exprs = this.exprList();
        const forLine = line; // OP_TFORLOOP's line: the 'for'
        this.checkNext(T.DO);
        const vars = names.map((n) => this.newLocal(n));
        this.enterBlock(false);
        this.activate(...vars);
        const body = this.chunk();
        this.leaveBlock();
        s = { k: 'forin', vars, exprs, body, line: forLine };
        break;
      }
      default:
        this.ls.syntaxError(`'=' or 'in' expected`);
    }
    this.checkMatch(T.END, T.FOR, line);
    this.leaveBlock();
    return s;
  }

  private repeatStat(line: number): Stat {
    this.enterBlock(true);
    this.enterBlock(false);
    this.ls.advance();
    const body = this.chunk();
    this.checkMatch(T.UNTIL, T.REPEAT, line);
    const cond = this.expr(); // sees the body's locals
    this.leaveBlock();
    this.leaveBlock();
    return { k: 'repeat', body, cond };
  }

  private funcStat(line: number): Stat {
    this.ls.advance();
    let target = this.singleVar(this.checkName());
    let method = false;
    while (this.ls.token === 0x2e) {
      this.ls.advance();
      target = { k: 'index', obj: target, key: { k: 'str', v: this.checkName() }, line: this.ls.lastline };
    }
    if (this.ls.token === 0x3a) {
      this.ls.advance();
      target = { k: 'index', obj: target, key: { k: 'str', v: this.checkName() }, line: this.ls.lastline };
      method = true;
    }
    const f = this.body(method, line);
    return { k: 'assign', targets: [target], exprs: [{ k: 'func', f }], line: this.ls.lastline };
  }

  private localStat(): Stat {
    const vars: LocalVar[] = [];
    do vars.push(this.newLocal(this.checkName()));
    while (this.testNext(0x2c));
    const exprs = this.testNext(0x3d) ? this.exprList() : [];
    this.activate(...vars);
    return { k: 'local', vars, exprs };
  }

  private exprStat(): Stat {
    const v = this.primaryExp();
    if (v.k === 'call' || v.k === 'method') return { k: 'call', call: v };
    const targets: Expr[] = [v];
    for (;;) {
      if (!isAssignable(targets[targets.length - 1])) this.ls.syntaxError('syntax error');
      if (!this.testNext(0x2c)) break;
      targets.push(this.primaryExp());
    }
    this.checkNext(0x3d);
    const exprs = this.exprList();
    return { k: 'assign', targets, exprs, line: this.ls.lastline };
  }

  // --- functions

  private body(needSelf: boolean, line: number): FuncProto {
    const proto = this.newProto(line);
    const fs = new FuncState(proto, this.fs);
    this.fs = fs;
    this.checkNext(0x28);
    if (needSelf) {
      const self = this.newLocal('self');
      proto.params.push(self);
      this.activate(self);
    }
    this.parList(proto);
    this.checkNext(0x29);
    proto.body = this.chunk();
    proto.lastLine = this.ls.linenumber;
    this.checkMatch(T.END, T.FUNCTION, line);
    this.fs = fs.parent!;
    return proto;
  }

  private parList(proto: FuncProto): void {
    if (this.ls.token === 0x29) return;
    do {
      switch (this.ls.token) {
        case T.NAME: {
          const v = this.newLocal(this.checkName());
          proto.params.push(v);
          this.activate(v);
          break;
        }
        case T.DOTS: {
          this.ls.advance();
          proto.isVararg = true;
          // LUA_COMPAT_VARARG: the local `arg`, dropped if the body uses `...`.
          const arg = this.newLocal('arg');
          proto.argLocal = arg;
          this.activate(arg);
          break;
        }
        default:
          this.ls.syntaxError(`<name> or '...' expected`);
      }
    } while (!proto.isVararg && this.testNext(0x2c));
  }

  // --- expressions

  private exprList(): Expr[] {
    const list = [this.expr()];
    while (this.testNext(0x2c)) list.push(this.expr());
    return list;
  }

  private expr(): Expr {
    return this.subExpr(0);
  }

  private subExpr(limit: number): Expr {
    this.enterLevel();
    let e: Expr;
    const t = this.ls.token;
    if (t === T.NOT || t === 0x2d || t === 0x23) {
      this.ls.advance();
      const a = this.subExpr(UNARY_PRIORITY);
      const line = this.ls.lastline;
      if (t === T.NOT) e = { k: 'not', a };
      else if (t === 0x2d) e = a.k === 'num' ? { k: 'num', v: -a.v } : { k: 'neg', a, line };
      else e = { k: 'len', a, line };
    } else e = this.simpleExp();
    let op = BINARY.get(this.ls.token);
    while (op !== undefined && op[1] > limit) {
      this.ls.advance();
      const b = this.subExpr(op[2]);
      const name = op[0];
      if (name === 'and' || name === 'or') e = { k: name, a: e, b };
      else e = this.fold(name, e, b) ?? { k: 'bin', op: name, a: e, b, line: this.ls.lastline };
      op = BINARY.get(this.ls.token);
    }
    this.leaveLevel();
    return e;
  }

  /** constfolding: arithmetic on two numeric constants, as lcode.c folds it (not a division or modulo by zero). */
  private fold(op: BinOp, a: Expr, b: Expr): Expr | null {
    if (a.k !== 'num' || b.k !== 'num') return null;
    const x = a.v;
    const y = b.v;
    let r: number;
    switch (op) {
      case '+': r = x + y; break;
      case '-': r = x - y; break;
      case '*': r = x * y; break;
      case '/': if (y === 0) return null; r = x / y; break;
      case '%': if (y === 0) return null; r = x - Math.floor(x / y) * y; break;
      case '^': r = Math.pow(x, y); break;
      default: return null;
    }
    return Number.isNaN(r) ? null : { k: 'num', v: r };
  }

  private simpleExp(): Expr {
    const ls: Lexer = this.ls;
    switch (ls.token) {
      case T.NUMBER: {
        const v = ls.value as number;
        ls.advance();
        return { k: 'num', v };
      }
      case T.STRING: {
        const v = ls.value as string;
        ls.advance();
        return { k: 'str', v };
      }
      case T.NIL:
        ls.advance();
        return { k: 'nil' };
      case T.TRUE:
        ls.advance();
        return { k: 'true' };
      case T.FALSE:
        ls.advance();
        return { k: 'false' };
      case T.DOTS: {
        const proto = this.fs.proto;
        if (!proto.isVararg) ls.syntaxError(`cannot use '...' outside a vararg function`);
        proto.usesVarargs = true;
        ls.advance();
        return { k: 'vararg' };
      }
      case 0x7b:
        return this.constructor_();
      case T.FUNCTION: {
        ls.advance();
        return { k: 'func', f: this.body(false, ls.linenumber) };
      }
      default:
        return this.primaryExp();
    }
  }

  private prefixExp(): Expr {
    const ls: Lexer = this.ls;
    switch (ls.token) {
      case 0x28: {
        const line = ls.linenumber;
        ls.advance();
        const e = this.expr();
        this.checkMatch(0x29, 0x28, line);
        return { k: 'paren', e };
      }
      case T.NAME:
        return this.singleVar(this.checkName());
      default:
        ls.syntaxError('unexpected symbol');
    }
  }

  private primaryExp(): Expr {
    const ls: Lexer = this.ls;
    let e = this.prefixExp();
    for (;;) {
      switch (ls.token) {
        case 0x2e: {
          ls.advance();
          const name = this.checkName();
          e = { k: 'index', obj: e, key: { k: 'str', v: name }, line: ls.lastline };
          break;
        }
        case 0x5b: {
          ls.advance();
          const key = this.expr();
          this.checkNext(0x5d);
          e = { k: 'index', obj: e, key, line: ls.lastline };
          break;
        }
        case 0x3a: {
          ls.advance();
          const name = this.checkName();
          const line = ls.linenumber;
          const args = this.funcArgs();
          e = { k: 'method', obj: e, name, args, line };
          break;
        }
        case 0x28:
        case T.STRING:
        case 0x7b: {
          const line = ls.linenumber;
          const args = this.funcArgs();
          e = { k: 'call', fn: e, args, line };
          break;
        }
        default:
          return e;
      }
    }
  }

  private funcArgs(): Expr[] {
    const ls: Lexer = this.ls;
    const line = ls.linenumber;
    switch (ls.token) {
      case 0x28: {
        if (line !== ls.lastline) ls.syntaxError('ambiguous syntax (function call x new statement)');
        ls.advance();
        const args = (ls.token as number) === 0x29 ? [] : this.exprList();
        this.checkMatch(0x29, 0x28, line);
        return args;
      }
      case 0x7b:
        return [this.constructor_()];
      case T.STRING: {
        const v = ls.value as string;
        ls.advance();
        return [{ k: 'str', v }];
      }
      default:
        ls.syntaxError('function arguments expected');
    }
  }

  private constructor_(): Expr {
    const ls: Lexer = this.ls;
    const line = ls.linenumber;
    this.checkNext(0x7b);
    const items: TableItem[] = [];
    let na = 0;
    let nh = 0;
    let pending = 0; // list items not yet stored (cc.tostore)
    let stored = 0;
    let last: Expr | null = null; // the last list item, which may be a multiple result
    const flush = () => {
      items.push({ k: 'flush', first: stored + 1, count: pending, multi: false, line: ls.lastline });
      stored += pending;
      pending = 0;
    };
    do {
      if (ls.token === 0x7d) break;
      // closelistfield
      if (last !== null) {
        last = null;
        if (pending === FIELDS_PER_FLUSH) flush();
      }
      if (ls.token === T.NAME ? ls.lookahead() === 0x3d : ls.token === 0x5b) {
        let key: Expr;
        if (ls.token === T.NAME) key = { k: 'str', v: this.checkName() };
        else {
          ls.advance();
          key = this.expr();
          this.checkNext(0x5d);
        }
        nh++;
        this.checkNext(0x3d);
        const value = this.expr();
        items.push({ k: 'rec', key, value, line: ls.lastline });
      } else {
        last = this.expr();
        items.push({ k: 'item', value: last, multi: false });
        na++;
        pending++;
      }
    } while (this.testNext(0x2c) || this.testNext(0x3b));
    this.checkMatch(0x7d, 0x7b, line);
    // lastlistfield: a final call or `...` stores all its values.
    if (pending > 0) {
      const multi = last !== null && isMulti(last);
      if (multi) {
        na--;
        const item = items[items.length - 1];
        if (item.k === 'item') item.multi = true;
      }
      items.push({ k: 'flush', first: stored + 1, count: pending, multi, line: ls.lastline });
    }
    return { k: 'table', items, narray: na, nhash: nh, line };
  }
}

/** Parses a chunk; throws LuaSyntaxError with Lua's message. */
export function parseLua(source: string, chunk: string): FuncProto {
  return new Parser(new Lexer(source, chunk)).parseChunk();
}
