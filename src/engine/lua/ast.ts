// The tree the parser builds and the compiler turns into closures. Names are
// resolved while parsing, as lparser.c resolves them: a local (a slot of its
// function's frame), an upvalue (an index into the closure's cells) or a
// global. Lines are those Lua records for the instruction that may fail, so
// runtime errors carry the line real Lua reports.

export interface LocalVar {
  readonly name: string;
  readonly slot: number;
  /** An inner function refers to it: it lives in a cell, one per declaration executed. */
  captured: boolean;
}

export interface UpvalDesc {
  readonly name: string;
  /** From the enclosing function's locals (its slot) or its own upvalues (the index). */
  readonly fromLocal: boolean;
  readonly index: number;
}

export interface FuncProto {
  readonly chunk: string;
  readonly line: number;
  lastLine: number;
  readonly params: LocalVar[];
  isVararg: boolean;
  /** LUA_COMPAT_VARARG: a vararg function that never says `...` gets a local `arg` table. */
  argLocal: LocalVar | null;
  usesVarargs: boolean;
  readonly upvals: UpvalDesc[];
  slots: number;
  body: Stat[];
}

export type Expr =
  | { k: 'nil' }
  | { k: 'true' }
  | { k: 'false' }
  | { k: 'vararg' }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'func'; f: FuncProto }
  | { k: 'local'; v: LocalVar }
  | { k: 'upval'; idx: number; name: string }
  | { k: 'global'; name: string; line: number }
  | { k: 'index'; obj: Expr; key: Expr; line: number }
  | { k: 'call'; fn: Expr; args: Expr[]; line: number }
  | { k: 'method'; obj: Expr; name: string; args: Expr[]; line: number }
  | { k: 'bin'; op: BinOp; a: Expr; b: Expr; line: number }
  | { k: 'and'; a: Expr; b: Expr }
  | { k: 'or'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'neg'; a: Expr; line: number }
  | { k: 'len'; a: Expr; line: number }
  | { k: 'paren'; e: Expr }
  | { k: 'table'; items: TableItem[]; narray: number; nhash: number; line: number };

export type BinOp = '+' | '-' | '*' | '/' | '%' | '^' | '..' | '==' | '~=' | '<' | '<=' | '>' | '>=';

/**
 * A table constructor's steps in order: record fields are stored as they
 * come, list items are evaluated as they come and stored in batches of 50
 * (SETLIST), the last batch at the end.
 */
export type TableItem =
  | { k: 'rec'; key: Expr; value: Expr; line: number }
  | { k: 'item'; value: Expr; multi: boolean }
  | { k: 'flush'; first: number; count: number; multi: boolean; line: number };

export type Stat =
  | { k: 'local'; vars: LocalVar[]; exprs: Expr[] }
  | { k: 'localfunc'; v: LocalVar; f: FuncProto }
  | { k: 'assign'; targets: Expr[]; exprs: Expr[]; line: number }
  | { k: 'call'; call: Expr }
  | { k: 'do'; body: Stat[] }
  | { k: 'while'; cond: Expr; body: Stat[] }
  | { k: 'repeat'; body: Stat[]; cond: Expr }
  | { k: 'if'; conds: Expr[]; blocks: Stat[][]; orelse: Stat[] | null }
  | { k: 'fornum'; v: LocalVar; start: Expr; limit: Expr; step: Expr | null; body: Stat[]; line: number }
  | { k: 'forin'; vars: LocalVar[]; exprs: Expr[]; body: Stat[]; line: number }
  | { k: 'return'; exprs: Expr[] }
  | { k: 'break' };
