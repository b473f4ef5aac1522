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
  readonly group: string;
  readonly since: string;
  readonly summary: string;
  readonly subcommands?: readonly CommandSpec[];
}
