// The shape of one entry of the command table, as COMMAND INFO and
// COMMAND DOCS describe a command of Redis 7.0.15.
export interface CommandSpec {
  /** Lower-case; a subcommand is "container|sub", as Redis's fullname. */
  readonly name: string;
  /** Exact argc when positive, minimum argc when negative (argv[0] counts). */
  readonly arity: number;
  readonly flags: readonly string[];
  readonly firstKey: number;
  readonly lastKey: number;
  readonly step: number;
  readonly acl: readonly string[];
  /** COMMAND DOCS's group (docs/compat.md's table); the rest of COMMAND DOCS is command-docs.ts's. */
  readonly group: string;
  readonly subcommands?: readonly CommandSpec[];
  /** The key specifications COMMAND INFO gives (where the keys are, how they are used); absent when none. */
  readonly keySpecs?: readonly KeySpec[];
}

/**
 * One key specification (7.0's key_specs): where the search for keys
 * begins (an index, after a keyword, or unknown), how the keys are found
 * from there (a range, a count argument, or unknown), and the flags that
 * say how the command uses them (RO, RW, OW, RM, access, update, insert,
 * delete, not_key, incomplete, variable_flags).
 */
export interface KeySpec {
  readonly flags: readonly string[];
  /** null: "unknown" (the keys come from a getkeys procedure). */
  readonly begin: { readonly index: number } | { readonly keyword: string; readonly startfrom: number } | null;
  readonly find: { readonly lastkey: number; readonly keystep: number; readonly limit: number } | { readonly keynumidx: number; readonly firstkey: number; readonly keystep: number } | null;
}
