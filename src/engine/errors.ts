// Every error string the engine sends, in one place, worded exactly as
// Redis 7.0.15 words them. Each is the text after the leading '-'.
// Functions build the ones that carry arguments.

export const Err = {
  protoTooBigInline: 'ERR Protocol error: too big inline request',
  protoUnbalancedQuotes: 'ERR Protocol error: unbalanced quotes in request',
  protoTooBigMbulkCount: 'ERR Protocol error: too big mbulk count string',
  protoInvalidMultibulkLength: 'ERR Protocol error: invalid multibulk length',
  protoTooBigBulkCount: 'ERR Protocol error: too big bulk count string',
  protoInvalidBulkLength: 'ERR Protocol error: invalid bulk length',
  protoExpectedDollar: (got: string) => `ERR Protocol error: expected '$', got '${got}'`,

  unknownCommand: (name: string, args: string) =>
    `ERR unknown command '${name}', with args beginning with: ${args}`,
  unknownSubcommand: (sub: string, container: string) =>
    `ERR unknown subcommand '${sub}'. Try ${container} HELP.`,
  wrongArity: (fullname: string) => `ERR wrong number of arguments for '${fullname}' command`,
  syntax: 'ERR syntax error',
  notInteger: 'ERR value is not an integer or out of range',
  outOfRange: (min: number | bigint, max: number | bigint) => `ERR value is out of range, value must between ${min} and ${max}`,
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  dbIndexOutOfRange: 'ERR DB index is out of range',

  // --- string group (src/engine/commands/string.ts)
  // invalidExpireTime: in the generic section, shared with EXPIRE and friends.
  incrDecrOverflow: 'ERR increment or decrement would overflow',
  decrementOverflow: 'ERR decrement would overflow',
  notValidFloat: 'ERR value is not a valid float',
  incrNanOrInfinity: 'ERR increment would produce NaN or Infinity',
  offsetOutOfRange: 'ERR offset is out of range',
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  lcsNotStrings: 'ERR The specified keys must contain string values',
  lcsLenAndIdx: 'ERR If you want both the length and indexes, please just use IDX.',
  lcsStringTooLong: 'ERR String too long for LCS',
  lcsTableTooBig: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',

  // --- generic keyspace group (src/engine/commands/generic.ts)
  /** addReplyErrorExpireTime (networking.c); SET EX/PX and GETEX send it too: reuse it, with the command's fullname. */
  invalidExpireTime: (fullname: string) => `ERR invalid expire time in '${fullname}' command`,
  expireNxAndXxGtLt: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtAndLt: 'ERR GT and LT options at the same time are not compatible',
  /** The option as a C string: cut at its first NUL byte. */
  unsupportedOption: (option: string) => `ERR Unsupported option ${option}`,
  noSuchKey: 'ERR no such key',
  sameObject: 'ERR source and destination objects are the same',
  invalidFirstDbIndex: 'ERR invalid first DB index',
  invalidSecondDbIndex: 'ERR invalid second DB index',


  /** Raised when a handler throws: a bug in the engine, never a crash. */
  internal: (command: string) => `ERR internal error while executing '${command}' (see the node's log)`,
} as const;
