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
  slowlogCount: 'ERR count should be greater than or equal to -1',
  latencyNoSamples: (event: string) => `ERR No samples available for event '${event}'`,
  getkeysInvalidCommand: 'ERR Invalid command specified',
  getkeysNoKeys: 'ERR The command has no key arguments',
  getkeysArity: 'ERR Invalid number of arguments specified for command',
  getkeysInvalidArguments: 'ERR Invalid arguments specified for command',
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

  // --- bitmap group (src/engine/commands/bitmap.ts, bitfield.ts)
  bitOffsetInvalid: 'ERR bit offset is not an integer or out of range',
  bitValueInvalid: 'ERR bit is not an integer or out of range',
  bitposBitArgument: 'ERR The bit argument must be 1 or 0.',
  bitopNotSingleKey: 'ERR BITOP NOT must be called with a single source key.',
  bitfieldType: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  bitfieldOverflowType: 'ERR Invalid OVERFLOW type specified',
  bitfieldRoGetOnly: 'ERR BITFIELD_RO only supports the GET subcommand',

  // --- hyperloglog group (src/engine/commands/hyperloglog.ts)
  hllWrongType: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  hllInvalid: 'INVALIDOBJ Corrupted HLL object detected',
  pfdebugNoKey: 'ERR The specified key does not exist',
  pfdebugNotSparse: 'ERR HLL encoding is not sparse',
  /** The subcommand as a C string: cut at its first NUL byte. */
  pfdebugUnknown: (sub: string) => `ERR Unknown PFDEBUG subcommand '${sub}'`,
  pfselftestRegister: (i: number, want: number, got: number) => `ERR TESTFAILED Register ${i} should be ${want} but is ${got}`,
  pfselftestSparse: 'ERR TESTFAILED sparse encoding not used',
  pfselftestDisagree: 'ERR TESTFAILED dense/sparse disagree',
  pfselftestError: (card: number, abserr: bigint) => `ERR TESTFAILED Too big error. card:${card} abserr:${abserr}`,

  // --- hash group (src/engine/commands/hash.ts)
  // HINCRBY's overflow and HINCRBYFLOAT's NaN/Infinity result reuse the string
  // group's incrDecrOverflow and incrNanOrInfinity (the same texts in t_hash.c).
  hashValueNotInteger: 'ERR hash value is not an integer',
  hashValueNotFloat: 'ERR hash value is not a float',
  /** HINCRBYFLOAT with an increment of inf/-inf (string2ld accepts them). */
  valueNanOrInfinity: 'ERR value is NaN or Infinity',
  /** HRANDFIELD ... WITHVALUES with |count| beyond LONG_MAX/2. */
  valueOutOfRangePlain: 'ERR value is out of range',
  /**
   * Engine only, not a Redis error: HRANDFIELD with a negative count whose
   * reply would exceed the engine's bound (HRANDFIELD_REPLY_LIMIT in
   * commands/hash.ts); Redis would stream it, however large.
   */
  hrandfieldReplyTooLarge: "ERR HRANDFIELD reply too large for this engine (a negative count beyond the hash's size, over 64 MiB)",

  // --- list group (src/engine/commands/list.ts)
  // LSET on a missing key reuses the generic group's noSuchKey.
  /** shared.outofrangeerr: LSET beyond the list. */
  indexOutOfRange: 'ERR index out of range',
  /** getPositiveLongFromObjectOrReply without a message of its own (LPOP/RPOP count). */
  valueMustBePositive: 'ERR value is out of range, must be positive',
  lposRankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  lposCountNegative: "ERR COUNT can't be negative",
  lposMaxlenNegative: "ERR MAXLEN can't be negative",
  numkeysNotPositive: 'ERR numkeys should be greater than 0',
  countNotPositive: 'ERR count should be greater than 0',

  // --- set group (src/engine/commands/set.ts); SINTERCARD's two are ZINTERCARD's too
  numkeysExceedArgs: "ERR Number of keys can't be greater than number of args",
  limitNegative: "ERR LIMIT can't be negative",
  /**
   * Engine only, not a Redis error: SRANDMEMBER with a negative count whose
   * reply would exceed the engine's bound (the one of HRANDFIELD, in
   * commands/hash.ts); Redis would stream it, however large.
   */
  srandmemberReplyTooLarge: "ERR SRANDMEMBER reply too large for this engine (a negative count beyond the set's size, over 64 MiB)",

  // --- sorted set group (src/engine/commands/zset*.ts); ZINTERCARD's LIMIT uses the set group's limitNegative
  zaddXxAndNx: 'ERR XX and NX options at the same time are not compatible',
  zaddGtLtNx: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  zaddIncrSingle: 'ERR INCR option supports a single increment-element pair',
  zaddNan: 'ERR resulting score is not a number (NaN)',
  minMaxNotFloat: 'ERR min or max is not a float',
  minMaxNotLexItem: 'ERR min or max not valid string range item',
  zrangeLimitWithRank: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  zrangeWithscoresWithLex: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  weightNotFloat: 'ERR weight value is not a float',
  atLeastOneInputKey: (fullname: string) => `ERR at least 1 input key is needed for '${fullname}' command`,
  /**
   * Engine only, not a Redis error: ZRANDMEMBER with a negative count whose
   * reply would exceed the engine's bound (the one of HRANDFIELD, in
   * commands/hash.ts); Redis would stream it, however large.
   */
  zrandmemberReplyTooLarge: "ERR ZRANDMEMBER reply too large for this engine (a negative count beyond the zset's size, over 64 MiB)",

  // --- geo group (src/engine/commands/geo.ts; geo.c). The pair is printed with "%f".
  geoInvalidLonLat: (lon: string, lat: string) => `ERR invalid longitude,latitude pair ${lon},${lat}`,
  geoUnsupportedUnit: 'ERR unsupported unit provided. please use M, KM, FT, MI',
  geoNeedNumericRadius: 'ERR need numeric radius',
  geoRadiusNegative: 'ERR radius cannot be negative',
  geoNeedNumericWidth: 'ERR need numeric width',
  geoNeedNumericHeight: 'ERR need numeric height',
  geoBoxNegative: 'ERR height or width cannot be negative',
  geoCannotDecodeMember: 'ERR could not decode requested zset member',
  geoCountNotPositive: 'ERR COUNT must be > 0',
  geoStoreWithOptions: (what: string) => `ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`,
  geoExactlyOneFrom: (command: string) => `ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${command}`,
  geoExactlyOneBy: (command: string) => `ERR exactly one of BYRADIUS and BYBOX can be specified for ${command}`,
  geoAnyWithoutCount: 'ERR the ANY argument requires COUNT argument',

  // --- stream group (src/engine/commands/stream*.ts). Names and keys in
  // the formatted ones are C strings (cut at their first NUL byte).
  streamInvalidId: 'ERR Invalid stream ID specified as stream command argument',
  xaddIdZero: 'ERR The ID specified in XADD must be greater than 0-0',
  xaddIdTooSmall: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  xaddExhausted: 'ERR The stream has exhausted the last possible ID, unable to add more items',
  xaddTooLarge: 'ERR Elements are too large to be stored',
  trimMaxlenAndMinid: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
  trimMaxlenNegative: 'ERR The MAXLEN argument must be >= 0.',
  trimLimitNegative: 'ERR The LIMIT argument must be >= 0.',
  trimLimitWithoutStrategy: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
  xtrimWithoutStrategy: 'ERR syntax error, XTRIM must be called with a trimming strategy',
  trimLimitWithoutApprox: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
  invalidStartId: 'ERR invalid start ID for the interval',
  invalidEndId: 'ERR invalid end ID for the interval',
  /** The command's name as the script wrote it. */
  xreadBlockInScript: (name: string) => `ERR ${name} command is not allowed with BLOCK option from scripts`,
  xreadUnbalanced: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  xreadGroupOption: 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
  xreadNoackOption: 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
  xreadgroupMissingGroup: 'ERR Missing GROUP option for XREADGROUP',
  xreadgroupNoGroup: (key: string, group: string) => `NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`,
  xreadgroupDollar:
    'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
  xreadGreaterId: 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
  /** A client blocked in XREADGROUP whose group was destroyed meanwhile. */
  xreadgroupGroupGone: 'NOGROUP the consumer group this client was blocked on no longer exists',
  /** ... whose stream was deleted or replaced by another type. */
  xreadgroupStreamGone: 'UNBLOCKED the stream key no longer exists',
  entriesReadInvalid: 'ERR value for ENTRIESREAD must be positive or -1',
  xgroupKeyMissing:
    'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  /** XGROUP and XINFO CONSUMERS. */
  noSuchGroup: (group: string, key: string) => `NOGROUP No such consumer group '${group}' for key name '${key}'`,
  /** XPENDING, XCLAIM, XAUTOCLAIM. */
  noSuchKeyOrGroup: (key: string, group: string) => `NOGROUP No such key '${key}' or consumer group '${group}'`,
  busyGroup: 'BUSYGROUP Consumer Group name already exists',
  xsetidEntriesAddedNegative: 'ERR entries_added must be positive',
  xsetidBelowMaxDeleted: 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
  xsetidBelowTop: 'ERR The ID specified in XSETID is smaller than the target stream top item',
  xsetidEntriesAddedBelowLength: 'ERR The entries_added specified in XSETID is smaller than the target stream length',
  xclaimMinIdle: 'ERR Invalid min-idle-time argument for XCLAIM',
  xclaimIdle: 'ERR Invalid IDLE option argument for XCLAIM',
  xclaimTime: 'ERR Invalid TIME option argument for XCLAIM',
  xclaimRetryCount: 'ERR Invalid RETRYCOUNT option argument for XCLAIM',
  xclaimUnknownOption: (opt: string) => `ERR Unrecognized XCLAIM option '${opt}'`,
  xautoclaimMinIdle: 'ERR Invalid min-idle-time argument for XAUTOCLAIM',
  xautoclaimCount: 'ERR COUNT must be > 0',

  // --- persistence (src/engine/commands/dump.ts, src/engine/rdb/)
  dumpPayloadInvalid: 'ERR DUMP payload version or checksum are wrong',
  busyKey: 'BUSYKEY Target key name already exists.',
  trackingOneRedirect: 'ERR A client can only redirect to a single other client',
  trackingPrefixOverlapsExisting: (prefix: string, existing: string) =>
    `ERR Prefix '${prefix}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`,
  trackingPrefixOverlapsGiven: (prefix: string, other: string) =>
    `ERR Prefix '${prefix}' overlaps with another provided prefix '${other}'. Prefixes for a single client must not overlap.`,
  trackingNoRedirectClient: 'ERR The client ID you want redirect to does not exist',
  trackingPrefixNeedsBcast: 'ERR PREFIX option requires BCAST mode to be enabled',
  trackingSwitchBcast: "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  trackingOptWithBcast: 'ERR OPTIN and OPTOUT are not compatible with BCAST',
  trackingOptinAndOptout: "ERR You can't specify both OPTIN mode and OPTOUT mode",
  trackingSwitchOpt: "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  cachingNeedsTracking: 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
  cachingYesNeedsOptin: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
  cachingNoNeedsOptout: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
  configAppendonly: 'Unable to turn on AOF. Check server logs.',
  bgrewriteaofInProgress: 'ERR Background append only file rewriting already in progress',
  bgrewriteaofFailed: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  bgsaveOtherChild: "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  migrateKeysNeedEmptyKey: 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
  migrateConnect: 'IOERR error or timeout connecting to the client',
  migrateIo: (doing: 'writing' | 'reading') => `IOERR error or timeout ${doing} to target instance`,
  migrateTarget: (error: string) => `ERR Target instance replied with error: ${error}`,
  invalidTtl: 'ERR Invalid TTL value, must be >= 0',
  invalidIdletime: 'ERR Invalid IDLETIME value, must be >= 0',
  invalidFreq: 'ERR Invalid FREQ value, must be >= 0 and <= 255',
  badDataFormat: 'ERR Bad data format',
  /** Engine only, not a Redis error: DUMP of a value whose RDB encoding is not written yet. */
  dumpUnsupportedType: (type: string) => `ERR DUMP of ${type} values is not supported by this engine yet`,
  /** Engine only, not a Redis error: RESTORE of a payload of a type the engine cannot load yet. */
  restoreUnsupportedType: (type: string) => `ERR RESTORE of ${type} values is not supported by this engine yet`,
  /** Engine only: SAVE with a value it cannot encode (Redis answers a bare "ERR" when a save fails, and logs why). */
  saveUnsupportedType: (type: string) => `ERR SAVE failed: ${type} values cannot be written to an RDB file by this engine yet (see the node's log)`,
  /** SAVE, BGSAVE (with SCHEDULE too) while an RDB child runs, a replication fork included (src/engine/commands/persistence.ts). */
  bgsaveInProgress: 'ERR Background save already in progress',
  /** shared.bgsaveerr: writes (and PING) refused after a failed background save, with save points set and stop-writes-on-bgsave-error yes. */
  misconf:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",

  // --- generic keyspace group (src/engine/commands/generic.ts)
  /** addReplyErrorExpireTime (networking.c); SET EX/PX and GETEX send it too: reuse it, with the command's fullname. */
  invalidExpireTime: (fullname: string) => `ERR invalid expire time in '${fullname}' command`,
  expireNxAndXxGtLt: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtAndLt: 'ERR GT and LT options at the same time are not compatible',
  /** The option as a C string: cut at its first NUL byte. */
  unsupportedOption: (option: string) => `ERR Unsupported option ${option}`,
  noSuchKey: 'ERR no such key',
  sameObject: 'ERR source and destination objects are the same',
  /** SCAN, HSCAN, SSCAN, ZSCAN (src/engine/commands/scan.ts). */
  invalidCursor: 'ERR invalid cursor',
  /** SORT with a weight that is not a number (src/engine/commands/sort.ts). */
  sortScoresNotDouble: "ERR One or more scores can't be converted into double",
  // --- DEBUG (src/engine/commands/debug.ts; the protected-command check in node.ts)
  debugNotAllowed:
    'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  moduleNotAllowed:
    'ERR MODULE command not allowed. If the enable-module-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.',
  moduleLoadFailed: 'ERR Error loading the extension. Please check the server logs.',
  moduleUnloadNoSuch: 'ERR Error unloading module: no such module with that name',
  clusterDisabled: 'ERR This instance has cluster support disabled',
  /** Engine only, not a Redis error: a DEBUG subcommand a simulated process cannot perform (see debug.ts). */
  debugUnsupported: (what: string) => `ERR DEBUG ${what} is not supported by this engine`,
  debugReloadOptions: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
  debugReloadFailed: 'ERR Error trying to load the RDB dump',
  /** shared.err: DEBUG RELOAD's save failed. */
  debugSaveFailed: 'ERR',
  debugNotSds: 'ERR Not an sds encoded string.',
  debugNotListpack: 'ERR Not a listpack encoded object.',
  debugNotQuicklist: 'ERR Not a quicklist encoded object.',
  debugProtocolType:
    'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
  debugPushResp2: 'ERR RESP2 is not supported by this command',
  debugPackedThreshold: 'ERR argument must be a memory value bigger than 1 and smaller than 4gb',
  debugOutOfRangeDb: 'ERR Out of range database',
  debugNotHashtable: 'ERR The value stored at the specified key is not represented using an hash table',
  debugRewriteForceAll: (reason: string) => `ERR CONFIG-REWRITE-FORCE-ALL failed: ${reason}`,
  debugClientEvictionDisabled: 'ERR maxmemory-clients is disabled.',
  debugClusterOnly: 'ERR Debug option only available for cluster mode enabled setup!',
  /** Engine only: DEBUG POPULATE of more keys than the engine will make in one command. */
  debugPopulateTooMany: (max: number) => `ERR DEBUG POPULATE of more than ${max} keys is not supported by this engine`,

  // OBJECT (src/engine/commands/object.ts)
  objectIdletimeLfu:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  objectFreqNotLfu:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  invalidFirstDbIndex: 'ERR invalid first DB index',
  invalidSecondDbIndex: 'ERR invalid second DB index',

  // --- config group (src/engine/commands/config.ts, src/engine/config-types.ts, src/engine/config-table.ts)
  /** The parameter name as a C string: cut at its first NUL byte. */
  /** CONFIG REWRITE on a server started without a config file. */
  configNoFile: 'ERR The server is running without a config file',
  configSetUnknown: (name: string) => `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`,
  configSetFailed: (name: string, reason: string) => `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
  // The reasons: the text after " - " in configSetFailed.
  configImmutable: "can't set immutable config",
  configProtected: "can't set protected config",
  configDuplicate: 'duplicate parameter',
  configNotYesNo: "argument must be 'yes' or 'no'",
  configEnumChoices: (names: readonly string[]) => `argument(s) must be one of the following: ${names.join(', ')}`,
  configNotMemoryOrPercent: 'argument must be a memory or percent value',
  configNotMemory: 'argument must be a memory value',
  configNotOctal: "argument couldn't be parsed as an octal number",
  configNotInteger: "argument couldn't be parsed into an integer",
  configOutOfRange: (min: string, max: string) => `argument must be between ${min} and ${max} inclusive`,
  configPercentTooBig: (max: bigint) => `percentage argument must be less or equal to ${max}`,
  configWrongArgCount: 'wrong number of arguments',
  configInvalidSave: 'Invalid save parameters',
  configObufArgCount: 'Wrong number of arguments in buffer limit configuration.',
  configObufClass: 'Invalid client class specified in buffer limit configuration.',
  configObufValues: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.',
  configOomValues: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.',
  configNotifyClass: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
  configTooManyBind: 'Too many bind addresses specified.',
  configInvalidMasterPort: 'Invalid master port',
  configPercentilesInvalid: 'Invalid latency-tracking-info-percentiles parameters',
  configPercentilesRange: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]',
  /** strerror(ENOENT): chdir("") for dir. */
  configNoSuchDirectory: 'No such file or directory',
  /** Debian's redis-server links the system jemalloc, which lacks the defrag hint: no HAVE_DEFRAG. */
  configActiveDefrag:
    'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution',
  configDbfilenamePath: "dbfilename can't be a path, just a filename",
  configAppendfilenameEmpty: "appendfilename can't be empty",
  configAppendfilenamePath: "appendfilename can't be a path, just a filename",
  configAppenddirnameEmpty: "appenddirname can't be empty",
  configAppenddirnamePath: "appenddirname can't be a path, just a dirname",
  configShutdownSaveNosave: "shutdown options SAVE and NOSAVE can't be used simultaneously",
  configHostnameTooLong: 'Hostnames must be less than 256 characters',
  configHostnameChars: 'Hostnames may only contain alphanumeric characters, hyphens or dots',
  configProcTitleTemplate: 'template format is invalid or contains unknown variables',
  configTlsUnavailable: 'Unable to update TLS configuration. Check server logs.',


  /** Raised when a handler throws: a bug in the engine, never a crash. */
  // --- transactions (src/engine/commands/transaction.ts)
  notAllowedInTransaction: 'ERR Command not allowed inside a transaction',
  multiNested: 'ERR MULTI calls can not be nested',
  watchInsideMulti: 'ERR WATCH inside MULTI is not allowed',
  execWithoutMulti: 'ERR EXEC without MULTI',
  discardWithoutMulti: 'ERR DISCARD without MULTI',
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  monitorDenyBlocking: "ERR MONITOR isn't allowed for DENY BLOCKING client",

  // --- connection: AUTH (src/engine/commands/auth.ts)
  noAuth: 'NOAUTH Authentication required.',
  authWithoutPassword:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',

  // --- ACL (src/engine/acl/, src/engine/commands/acl.ts)
  /** ACLSetUserStringError, by the errno ACLSetUser left. */
  aclRule: {
    ENOENT: 'Unknown command or category name in ACL',
    EINVAL: 'Syntax error',
    EEXIST: "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
    EISDIR: "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
    ENODEV: 'The password you are trying to remove from the user does not exist',
    EBADMSG: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
    EALREADY: 'Duplicate user found. A user can only be defined once in config files',
    ECHILD: 'Allowing first-arg of a subcommand is not supported',
  },
  aclSetuserModifier: (op: string, message: string) => `ERR Error in ACL SETUSER modifier '${op}': ${message}`,
  aclUnmatchedParenthesis: (arg: string) => `ERR Unmatched parenthesis in acl selector starting at '${arg}'.`,
  aclUsernameSpaces: "ERR Usernames can't contain spaces or null characters",
  aclDeleteDefault: "ERR The 'default' user cannot be removed",
  aclNoFile:
    'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
  aclSaveFailed: 'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
  /** The category as %.128s of a C string. */
  aclUnknownCategory: (category: string) => `ERR Unknown category '${category}'`,
  aclGenpassBits: 'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096',
  aclDryrunNoUser: (user: string) => `ERR User '${user}' not found`,
  aclDryrunNoCommand: (command: string) => `ERR Command '${command}' not found`,
  /** An ACL LOAD that failed: the problems found, one after the other. */
  aclLoad: (errors: string) => `ERR ${errors}`,
  noPermCommand: (fullname: string) => `NOPERM this user has no permissions to run the '${fullname}' command`,
  noPermKey: 'NOPERM this user has no permissions to access one of the keys used as arguments',
  noPermChannel: 'NOPERM this user has no permissions to access one of the channels used as arguments',
  /** EXEC: a queued command the user may no longer run. */
  noPermExec: (reason: string) =>
    `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`,
  /** getAclErrorMessage, after "The user executing the script " (redis.call). */
  aclScriptDenied: {
    1: "can't run this command or subcommand",
    2: "can't access at least one of the keys mentioned in the command arguments",
    4: "can't publish to the channel mentioned in the command",
  } as Readonly<Record<number, string>>,
  sortByAcl: 'ERR BY option of SORT denied due to insufficient ACL permissions.',
  sortGetAcl: 'ERR GET option of SORT denied due to insufficient ACL permissions.',

  // --- connection: HELLO, RESET (src/engine/commands/connection.ts)
  helloProtoNotInteger: 'ERR Protocol version is not an integer or out of range',
  noProto: 'NOPROTO unsupported protocol version',
  /** The option as a C string: cut at its first NUL byte. */
  helloSyntax: (option: string) => `ERR Syntax error in HELLO option '${option}'`,
  helloNoAuth:
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  resetNotNormal: 'ERR can only reset normal client connections',

  // --- pub/sub (src/engine/commands/pubsub.ts, the dispatch in node.ts)
  pubsubContext: (fullname: string) =>
    `ERR Can't execute '${fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
  /** SSUBSCRIBE inside EXEC (CLIENT_DENY_BLOCKING). */
  ssubscribeDenyBlocking: "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client",
  /** addReplySubcommandSyntaxError: the subcommand as a C string, at most 128 chars. */
  subcommandSyntax: (sub: string, container: string) =>
    `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${container} HELP.`,

  // --- replication (src/engine/replication, src/engine/commands/replication.ts)
  readonlyReplica: "READONLY You can't write against a read only replica.",
  loading: 'LOADING Redis is loading the dataset in memory',
  masterDown: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  noReplicas: 'NOREPLICAS Not enough good replicas to write.',
  noMasterLinkSync: "NOMASTERLINK Can't SYNC while not connected with my master",
  noMasterLinkFailover: "NOMASTERLINK Can't SYNC while failing over",
  syncPendingOutput: 'ERR SYNC and PSYNC are invalid with pending output',
  replconfUnknownOption: (opt: string) => `ERR Unrecognized REPLCONF option: ${opt}`,
  replconfIpTooLong: (len: number) => `ERR REPLCONF ip-address provided by replica instance is too long: ${len} bytes`,
  invalidMasterPort: 'ERR Invalid master port',
  replicaofByReplica: 'ERR Command is not valid when client is a replica.',
  replicaofFailover: 'ERR REPLICAOF not allowed while failing over.',
  waitOnReplica:
    'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
  timeoutNegative: 'ERR timeout is negative',
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
  /** getTimeoutFromObjectOrReply in seconds (BLPOP and the other blocking commands). */
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  replicaKeyspace: "ERR Replica can't interact with the keyspace",
  psyncFailoverToMaster: "ERR PSYNC FAILOVER can't be sent to a master.",
  psyncFailoverReplid: 'ERR PSYNC FAILOVER replid must match my replid.',
  failoverNoneInProgress: 'ERR No failover in progress.',
  failoverTimeout: 'ERR FAILOVER timeout must be greater than 0',
  failoverInProgress: 'ERR FAILOVER already in progress.',
  failoverOnReplica: 'ERR FAILOVER is not valid when server is a replica.',
  failoverNoReplicas: 'ERR FAILOVER requires connected replicas.',
  failoverForce: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
  failoverNotReplica: 'ERR FAILOVER target HOST and PORT is not a replica.',
  failoverNotOnline: 'ERR FAILOVER target replica is not online.',

  // --- connection: CLIENT (src/engine/commands/client.ts; networking.c clientCommand)
  clientNameChars: 'ERR Client names cannot contain spaces, newlines or special characters.',
  /** The type as a C string: cut at its first NUL byte. */
  clientUnknownType: (type: string) => `ERR Unknown client type '${type}'`,
  clientInvalidId: 'ERR Invalid client ID',
  clientIdNotPositive: 'ERR client-id should be greater than 0',
  clientNoSuchUser: (user: string) => `ERR No such user '${user}'`,
  clientNoSuchClient: 'ERR No such client',
  clientUnblockReason: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  clientPauseMode: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
  /** CLIENT UNBLOCK ... ERROR: the text after the code; addReplyError keeps a leading '-' as the code. */
  unblockedByClient: 'UNBLOCKED client unblocked via CLIENT UNBLOCK',
  /** disconnectAllBlockedClients: the instance became a replica (REPLICAOF). */
  unblockedRoleChange: 'UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)',
  /**
   * CLIENT UNBLOCK id TIMEOUT of a client paused (CLIENT PAUSE, FAILOVER) or
   * waiting in SHUTDOWN: 7.0.15 panics ("Unknown btype in
   * replyToBlockedClientTimedOut()") and the process dies; the engine refuses.
   */
  clientUnblockPanics: 'ERR CLIENT UNBLOCK TIMEOUT of a paused or SHUTDOWN-blocked client crashes Redis 7.0.15 (Unknown btype); not supported by this engine',

  // --- scripting (src/engine/commands/scripting.ts, functions.ts; eval.c, script.c, functions.c)
  noScript: 'NOSCRIPT No matching script. Please use EVAL.',
  numkeysNegative: "ERR Number of keys can't be negative",
  compileScript: (msg: string) => `ERR Error compiling script (new function): ${msg}`,
  shebangInvalid: 'ERR Invalid script shebang',
  shebangNoEngine: 'ERR Invalid engine in script shebang',
  shebangEngine: (engine: string) => `ERR Unexpected engine in script shebang: ${engine}`,
  shebangFlag: (flag: string) => `ERR Unexpected flag in script shebang: ${flag}`,
  shebangOption: (option: string) => `ERR Unknown lua shebang option: ${option}`,
  scriptFlushMode: 'ERR SCRIPT FLUSH only support SYNC|ASYNC option',
  scriptDebugMode: 'ERR Use SCRIPT DEBUG YES/SYNC/NO',
  /** Engine only: the Lua debugger (SCRIPT DEBUG YES|SYNC) is not simulated. */
  scriptDebugUnsupported: 'ERR SCRIPT DEBUG YES|SYNC is not supported by this engine (the Lua debugger is not simulated)',
  notBusy: 'NOTBUSY No scripts in execution right now.',
  scriptStaleFlag: "MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.",
  scriptReadonlyReplica: 'READONLY Can not run script with write flag on readonly replica',
  scriptWriteWithRo: 'ERR Can not execute a script with write flag using *_ro command.',
  scriptMisconf: "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.",
  /** Engine only: a script ran past the step budget standing for busy-reply-threshold (no BUSY mode here). */
  scriptTooLong: (ms: number) => `ERR Script ran longer than busy-reply-threshold (${ms} ms of simulated time) and was stopped by this engine, which cannot serve other clients meanwhile; Redis would keep it running and answer BUSY to others`,
  /** Engine only: error({...}) without an err field crashes Redis 7.0.15 (NULL in sdscatfmt). */
  scriptErrorTableWithoutErr: 'ERR Script raised an error table without an err field (Redis 7.0.15 crashes on this)',
  // Errors redis.call gives a script (luaPushError adds "ERR " to those without a code).
  scriptUnknownCommand: 'Unknown Redis command called from script',
  scriptWrongArity: 'Wrong number of args calling Redis command from script',
  scriptNoScript: 'This Redis command is not allowed from script',
  scriptStaleReplica: 'Can not execute the command on a stale replica',
  scriptReadOnly: 'Write commands are not allowed from read-only scripts.',

  internal: (command: string) => `ERR internal error while executing '${command}' (see the node's log)`,
} as const;
