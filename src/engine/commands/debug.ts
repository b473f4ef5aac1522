// DEBUG (debug.c's debugCommand of Redis 7.0.15): the subcommands that mean
// something without a real process, each with Redis's argument checks and
// replies; DEBUG itself is refused unless enable-debug-command allows it
// (node.ts, as processCommand does for CMD_PROTECTED commands).
//
// What a simulated process cannot do is refused with an error of the
// engine's own (Err.debugUnsupported) after the checks Redis makes first:
// crashes (SEGFAULT, PANIC, ASSERT, OOM: a node is killed with SIM KILL),
// RESTART and CRASH-AND-RECOVER, what prints to the process's stdout
// (LISTPACK, QUICKLIST), dict statistics that depend on the hash seed
// (HTSTATS, HTSTATS-KEY), jemalloc (MALLCTL, MALLCTL-STR), sds allocation
// history (SDSLEN of a raw string), SET-SKIP-CHECKSUM-VALIDATION, and
// CONFIG-REWRITE-FORCE-ALL with a config file. LOADAOF with appendonly off
// makes the process exit, as it makes redis-server exit.
//
// SLEEP stops the process for that much virtual time (NodeHost.sleep): the
// world goes on, the node runs nothing meanwhile (no cron, no replies, no
// replication traffic, clients' commands wait), and the reply comes after.
import { loadAppendOnlyFiles } from '../aof/load.ts';
import type { CommandContext, Handler } from './context.ts';
import { writeHelp } from './help.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1, lowerAscii, string2ll } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import type { RedisValue, StringValue } from '../keyspace/value.ts';
import { EMBSTR_SIZE_LIMIT } from '../keyspace/value.ts';
import { idleMs, lruField } from '../keyspace/lru.ts';
import { strtod } from '../keyspace/zset-score.ts';
import { memtoull } from '../config-types.ts';
import { datasetDigest, digestHex, valueDigest } from '../digest.ts';
import { rdbLoadFile, rdbSave } from '../rdb/persistence.ts';
import { encoderFor } from '../rdb/values.ts';
import { RdbWriter } from '../rdb/writer.ts';
import { mallocSize } from '../memory.ts';
import { stringMatch } from '../glob.ts';
import { refcount } from './object.ts';
import { configValues } from '../config-values.ts';

const HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  '    Like HTSTATS but for the hash table stored at <key>\'s value.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]',
  '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]',
  '    Get or set a malloc tuning string.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** An argument as strcasecmp sees it. */
const word = (arg: Uint8Array): string => lowerAscii(cString(arg));

/** atoi: leading space, a sign, digits up to the first other byte; 0 without digits. */
function atoi(arg: Uint8Array): number {
  const s = cString(arg);
  let i = 0;
  while (i < s.length && (s[i] === 0x20 || (s[i] >= 0x09 && s[i] <= 0x0d))) i++;
  let neg = false;
  if (s[i] === 0x2b || s[i] === 0x2d) neg = s[i++] === 0x2d;
  let v = 0n;
  while (i < s.length && s[i] >= 0x30 && s[i] <= 0x39) v = v * 10n + BigInt(s[i++] - 0x30);
  // strtol saturates, then the conversion to int keeps the low 32 bits.
  const LONG_MAX = 2n ** 63n - 1n;
  if (v > LONG_MAX) v = neg ? LONG_MAX + 1n : LONG_MAX;
  return Number(BigInt.asIntN(32, neg ? -v : v));
}

/** getLongFromObjectOrReply: the value, or null after the error reply. */
function longArg(ctx: CommandContext, arg: Uint8Array): bigint | null {
  const v = string2ll(arg);
  if (v === null) ctx.reply.error(Err.notInteger);
  return v === null ? null : BigInt(v);
}

/** getPositiveLongFromObjectOrReply: a bad integer and a negative one get the same error. */
function positiveLongArg(ctx: CommandContext, arg: Uint8Array): bigint | null {
  const v = string2ll(arg);
  if (v === null || v < 0) {
    ctx.reply.error(Err.valueMustBePositive);
    return null;
  }
  return BigInt(v);
}

/** The value at argv[2] as dictFind sees it (no expiry, no touch), or null after "no such key". */
function findOrReply(ctx: CommandContext): RedisValue | null {
  const value = ctx.db.peek(keyName(ctx.argv[2]));
  if (!value) ctx.reply.error(Err.noSuchKey);
  return value ?? null;
}

/** objectCommandLookupOrReply with "no such key": a read lookup that does not touch. */
function lookupOrReply(ctx: CommandContext): RedisValue | null {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[2]), true, true);
  if (!value) ctx.reply.error(Err.noSuchKey);
  return value ?? null;
}

const unsupported = (ctx: CommandContext, what: string) => ctx.reply.error(Err.debugUnsupported(what));

// --- RELOAD, LOADAOF

/**
 * DEBUG LOADAOF: the data emptied, the manifest read again, the history
 * files removed and the AOF loaded; anything but a load (no AOF at all, with
 * appendonly off) makes the process exit(1), as it makes redis-server exit.
 */
function loadAof(ctx: CommandContext): void {
  const { node, client, reply } = ctx;
  node.emptyData(-1);
  const aof = node.aof;
  const status = aof.loadManifest() ? (aof.deleteHistory(), loadAppendOnlyFiles(node, aof)) : 'failed';
  if (status !== 'ok' && status !== 'empty') return node.host.exit();
  // server.dirty = 0: nothing to propagate, nothing unsaved.
  client.preventPropagation = true;
  node.dirtyAtLastSave = node.dirty;
  node.options.log.warning('Append Only File loaded by DEBUG LOADAOF');
  reply.ok();
}

function reload(ctx: CommandContext): void {
  const { argv, node, reply } = ctx;
  let flush = true;
  let save = true;
  let merge = false;
  for (let j = 2; j < argv.length; j++) {
    const opt = word(argv[j]);
    if (opt === 'merge') merge = true;
    else if (opt === 'noflush') flush = false;
    else if (opt === 'nosave') save = false;
    else return reply.error(Err.debugReloadOptions);
  }
  if (save && !rdbSave(node).ok) return reply.error(Err.debugSaveFailed);
  if (flush) node.emptyData(-1); // not a change to propagate
  // rdbLoad: server.loading while it runs, so nothing it stores is taken for a client's write.
  node.loading = 'sync';
  let loaded: boolean | 'missing';
  try {
    loaded = rdbLoadFile(node, merge);
  } finally {
    node.loading = null;
  }
  if (loaded === 'missing') return reply.error(Err.debugReloadFailed);
  // A file that does not load ends the process (rdbReportError, a duplicated key's panic).
  if (!loaded) return node.host.exit();
  node.options.log.warning('DB reloaded by DEBUG RELOAD');
  reply.ok();
}

// --- OBJECT, SDSLEN

/** A made-up address for "%p": stable per value for the process's life. */
const ADDRESSES = new WeakMap<object, string>();
let nextAddress = 0x7f3a40000000;

function addressOf(value: RedisValue): string {
  let a = ADDRESSES.get(value);
  if (!a) {
    a = '0x' + nextAddress.toString(16);
    nextAddress += 0x30;
    ADDRESSES.set(value, a);
  }
  return a;
}

/** rdbSavedObjectLen: the bytes rdbSaveObject writes for the value (its type byte aside). */
function serializedLength(ctx: CommandContext, value: RedisValue): number {
  const codec = encoderFor(value);
  if (!codec) throw new Error(`no RDB encoding for a ${value.type} value`);
  const w = new RdbWriter(ctx.node.config.rdbCompression);
  codec.write(w, value);
  return w.finish().length;
}

/** The quicklist part of DEBUG OBJECT's line. */
function quicklistExtra(value: RedisValue): string {
  if (value.type !== 'list') return '';
  const ql = value.list;
  let sz = 0;
  for (const n of ql.nodes()) sz += n.sz;
  return ` ql_nodes:${ql.len} ql_avg_node:${(ql.count / ql.len).toFixed(2)} ql_listpack_max:${ql.fill} ql_compressed:${ql.compress !== 0 ? 1 : 0} ql_uncompressed_size:${sz}`;
}

function object(ctx: CommandContext): void {
  const value = findOrReply(ctx);
  if (!value) return;
  const access = ctx.db.access!;
  ctx.reply.status(
    `Value at:${addressOf(value)} refcount:${refcount(access, value)} encoding:${value.encoding} serializedlength:${serializedLength(ctx, value)} ` +
      `lru:${lruField(value, access)} lru_seconds_idle:${Math.floor(idleMs(value, access) / 1000)}${quicklistExtra(value)}`,
  );
}

/** sdsReqType's header size for a string of `len` bytes (an empty one gets a type 8 header). */
function sdsHeader(len: number): number {
  return len < 32 ? (len === 0 ? 3 : 1) : len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
}

function sdslen(ctx: CommandContext): void {
  const value = findOrReply(ctx);
  if (!value) return;
  if (value.type !== 'string' || value.encoding === 'int') return ctx.reply.error(Err.debugNotSds);
  // The key: an sds made by sdsdup (sized by jemalloc's usable size, so a type 8+ header has room left).
  const keyLen = ctx.argv[2].length;
  const keyHdr = sdsHeader(keyLen);
  const keyAlloc = mallocSize(keyHdr + keyLen + 1);
  const keyAvail = keyHdr === 1 ? 0 : keyAlloc - keyHdr - 1 - keyLen;
  const v = value as StringValue;
  // A raw string's allocation depends on how it was built (a query buffer, APPEND's growth): not modelled.
  if (v.encoding !== 'embstr' || v.bytes.length > EMBSTR_SIZE_LIMIT) return unsupported(ctx, 'SDSLEN of a raw string');
  const valZmalloc = mallocSize(16 + 3 + v.bytes.length + 1) - 16;
  ctx.reply.status(
    `key_sds_len:${keyLen}, key_sds_avail:${keyAvail}, key_zmalloc: ${keyAlloc}, val_sds_len:${v.bytes.length}, val_sds_avail:0, val_zmalloc: ${valZmalloc}`,
  );
}

// --- POPULATE

/** More keys than this in one DEBUG POPULATE would hold the host for too long. */
const POPULATE_MAX = 20_000_000;

function populate(ctx: CommandContext): void {
  const { argv, db, keyspace, node, reply } = ctx;
  const count = positiveLongArg(ctx, argv[2]);
  if (count === null) return;
  let valsize = 0n;
  if (argv.length === 5) {
    const v = positiveLongArg(ctx, argv[4]);
    if (v === null) return;
    valsize = v;
  }
  if (count > BigInt(POPULATE_MAX)) return reply.error(Err.debugPopulateTooMany(POPULATE_MAX));
  const prefix = argv.length === 3 ? 'key' : latin1(cString(argv[3]));
  const limit = Number(count);
  for (let j = 0; j < limit; j++) {
    // snprintf into a 128-byte buffer: at most 127 bytes.
    const key = `${prefix}:${j}`.slice(0, 127);
    if (keyspace.lookupWrite(db, key)) continue;
    const text = fromLatin1(`value:${j}`);
    let bytes = text;
    if (valsize !== 0n) {
      bytes = new Uint8Array(Number(valsize));
      bytes.set(text.subarray(0, Math.min(bytes.length, text.length)));
    }
    // createStringObject: embstr or raw by length, never an integer.
    db.set(key, { type: 'string', bytes, encoding: bytes.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw' });
    node.signalModifiedKey(db.id, key);
  }
  reply.ok();
}

// --- PROTOCOL

const PROTOCOL_LINES: Record<string, { resp2: string; resp3: string }> = {
  string: { resp2: '$11\r\nHello World\r\n', resp3: '$11\r\nHello World\r\n' },
  integer: { resp2: ':12345\r\n', resp3: ':12345\r\n' },
  double: { resp2: '$5\r\n3.141\r\n', resp3: ',3.141\r\n' },
  bignum: { resp2: '$37\r\n1234567999999999999999999999999999999\r\n', resp3: '(1234567999999999999999999999999999999\r\n' },
  null: { resp2: '$-1\r\n', resp3: '_\r\n' },
  array: { resp2: '*3\r\n:0\r\n:1\r\n:2\r\n', resp3: '*3\r\n:0\r\n:1\r\n:2\r\n' },
  set: { resp2: '*3\r\n:0\r\n:1\r\n:2\r\n', resp3: '~3\r\n:0\r\n:1\r\n:2\r\n' },
  map: { resp2: '*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n', resp3: '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n' },
  attrib: {
    resp2: '$39\r\nSome real reply following the attribute\r\n',
    resp3: '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n',
  },
  push: { resp2: '', resp3: '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n' },
  verbatim: { resp2: '$25\r\nThis is a verbatim\nstring\r\n', resp3: '=29\r\ntxt:This is a verbatim\nstring\r\n' },
  true: { resp2: ':1\r\n', resp3: '#t\r\n' },
  false: { resp2: ':0\r\n', resp3: '#f\r\n' },
};

function protocol(ctx: CommandContext): void {
  const name = word(ctx.argv[2]);
  const lines = Object.hasOwn(PROTOCOL_LINES, name) ? PROTOCOL_LINES[name] : undefined;
  if (!lines) return ctx.reply.error(Err.debugProtocolType);
  if (name === 'push' && ctx.reply.protocol === 2) return ctx.reply.error(Err.debugPushResp2);
  ctx.reply.raw(fromLatin1(ctx.reply.protocol === 3 ? lines.resp3 : lines.resp2));
}

// --- SLEEP

function sleep(ctx: CommandContext): void {
  const { node, client, reply } = ctx;
  // strtod, errors ignored; dtime*1000000 as a long long.
  // On x86-64 a double beyond a long long (inf included) converts to LLONG_MIN: no sleep at all.
  const x = strtod(cString(ctx.argv[2])).value * 1_000_000;
  const us = Number.isFinite(x) && Math.abs(x) < 2 ** 63 ? Math.trunc(x) : -1;
  reply.ok();
  if (!(us > 0) || !node.host.sleep) return;
  node.host.sleep(us);
  node.heldUs += us;
  // The commands this client sent after it run when the process wakes up (not inside EXEC: it runs on).
  if (!client.inExec) node.block(client, 'sleep', us, () => node.unblock(client, () => {}));
}

// --- STRINGMATCH-TEST

/** stringmatchlen_fuzz_test: random patterns against random strings; the glob matcher must not fail. */
function stringmatchTest(ctx: CommandContext): void {
  const random = ctx.node.options.random;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => random.below(256));
  // Redis runs 1,000,000 rounds in C; this engine runs fewer of the same kind.
  for (let i = 0; i < 100_000; i++) stringMatch(bytes(random.below(32)), bytes(random.below(32)));
  ctx.reply.status('Apparently Redis did not crash: test passed');
}

// --- the dispatch

const STRUCTSIZE = 'bits:64 robj:16 dictentry:24 sdshdr5:1 sdshdr8:3 sdshdr16:5 sdshdr32:9 sdshdr64:17 ';

const debug: Handler = (ctx) => {
  const { argv, reply, node } = ctx;
  const argc = argv.length;
  const sub = word(argv[1]);
  if (argc === 2 && sub === 'help') return writeHelp(reply, argv[0], HELP);
  switch (sub) {
    case 'segfault':
    case 'panic':
    case 'assert':
    case 'oom':
      // A crash would kill the process with a bug report: SIM KILL kills a node.
      return unsupported(ctx, sub.toUpperCase());
    case 'restart':
    case 'crash-and-recover': {
      if (argc >= 3 && longArg(ctx, argv[2]) === null) return;
      return unsupported(ctx, sub.toUpperCase());
    }
  }
  if (sub === 'log' && argc === 3) {
    node.options.log.warning(`DEBUG LOG: ${latin1(cString(argv[2]))}`);
    return reply.ok();
  }
  if (sub === 'leak' && argc === 3) return reply.ok(); // the string is never freed: nothing to keep here
  if (sub === 'reload') return reload(ctx);
  if (sub === 'loadaof') return loadAof(ctx);
  if (sub === 'drop-cluster-packet-filter' && argc === 3) {
    if (longArg(ctx, argv[2]) === null) return;
    return reply.ok();
  }
  if (sub === 'object' && argc === 3) return object(ctx);
  if (sub === 'sdslen' && argc === 3) return sdslen(ctx);
  if (sub === 'listpack' && argc === 3) {
    const value = lookupOrReply(ctx);
    if (!value) return;
    if (value.encoding !== 'listpack') return reply.error(Err.debugNotListpack);
    return unsupported(ctx, 'LISTPACK (it prints to the process\'s stdout)');
  }
  if (sub === 'quicklist' && (argc === 3 || argc === 4)) {
    const value = lookupOrReply(ctx);
    if (!value) return;
    if (value.encoding !== 'quicklist') return reply.error(Err.debugNotQuicklist);
    return unsupported(ctx, 'QUICKLIST (it prints to the process\'s stdout)');
  }
  if (sub === 'populate' && argc >= 3 && argc <= 5) return populate(ctx);
  if (sub === 'digest' && argc === 2) return reply.status(digestHex(datasetDigest(ctx.keyspace)));
  if (sub === 'digest-value' && argc >= 2) {
    reply.arrayHeader(argc - 2);
    for (let j = 2; j < argc; j++) reply.status(digestHex(valueDigest(ctx.db, keyName(argv[j]))));
    return;
  }
  if (sub === 'protocol' && argc === 3) return protocol(ctx);
  if (sub === 'sleep' && argc === 3) return sleep(ctx);
  if (sub === 'set-active-expire' && argc === 3) {
    node.expiry.enabled = atoi(argv[2]) !== 0;
    return reply.ok();
  }
  if (sub === 'quicklist-packed-threshold' && argc === 3) {
    const sz = memtoull(argv[2]);
    // quicklistisSetPackedThreshold: up to 4 GB less 1 MB; 0 is the default (1 GB).
    if (sz === null || sz > 2n ** 32n - 2n ** 20n) return reply.error(Err.debugPackedThreshold);
    const threshold = sz === 0n ? 1 << 30 : Number(sz);
    node.config.quicklistPackedThreshold = threshold;
    // A process-wide setting: every list there is follows it from now on.
    for (const db of ctx.keyspace.dbs) for (const v of db.dict.values()) if (v.type === 'list') v.list.packedThreshold = threshold;
    return reply.ok();
  }
  if (sub === 'set-skip-checksum-validation' && argc === 3) return unsupported(ctx, 'SET-SKIP-CHECKSUM-VALIDATION');
  if (sub === 'aof-flush-sleep' && argc === 3) return reply.ok(); // no AOF to flush
  if (sub === 'replicate' && argc >= 3) {
    // replicationFeedSlaves in the stream's current db: no SELECT first.
    node.replication.feedCommand(node.replication.slaveseldb, argv.slice(2));
    return reply.ok();
  }
  if (sub === 'error' && argc === 3) {
    // addReplySds of "-<string>": newlines become spaces, and it is not counted as an error reply.
    const text = latin1(argv[2]).replace(/[\r\n]/g, ' ');
    return reply.raw(fromLatin1(`-${text}\r\n`));
  }
  if (sub === 'structsize' && argc === 2) return reply.bulkText(STRUCTSIZE);
  if (sub === 'htstats' && argc === 3) {
    const id = longArg(ctx, argv[2]);
    if (id === null) return;
    if (id < 0n || id >= BigInt(ctx.keyspace.dbs.length)) return reply.error(Err.debugOutOfRangeDb);
    return unsupported(ctx, 'HTSTATS (chain lengths follow Redis\'s hash seed)');
  }
  if (sub === 'htstats-key' && argc === 3) {
    const value = lookupOrReply(ctx);
    if (!value) return;
    if (value.encoding !== 'hashtable' && value.encoding !== 'skiplist') return reply.error(Err.debugNotHashtable);
    return unsupported(ctx, 'HTSTATS-KEY (chain lengths follow Redis\'s hash seed)');
  }
  if (sub === 'change-repl-id' && argc === 2) {
    node.options.log.warning('Changing replication IDs after receiving DEBUG change-repl-id');
    node.replication.changeReplicationId();
    node.replication.clearReplicationId2();
    return reply.ok();
  }
  if (sub === 'stringmatch-test' && argc === 2) return stringmatchTest(ctx);
  if (sub === 'set-disable-deny-scripts' && argc === 3) return reply.ok(); // no scripting: nothing to allow
  if (sub === 'config-rewrite-force-all' && argc === 2) {
    // rewriteConfig(NULL) fails with EFAULT without a config file.
    if (node.configFile === null) return reply.error(Err.debugRewriteForceAll('Bad address'));
    return unsupported(ctx, 'CONFIG-REWRITE-FORCE-ALL');
  }
  if (sub === 'client-eviction' && argc === 2) {
    if (configValues(node).text('maxmemory-clients') === '0') return reply.error(Err.debugClientEvictionDisabled);
    return unsupported(ctx, 'CLIENT-EVICTION');
  }
  if ((sub === 'mallctl' || sub === 'mallctl-str') && argc >= 3) return unsupported(ctx, `${sub.toUpperCase()} (there is no jemalloc)`);
  if (sub === 'pause-cron' && argc === 3) {
    node.cronPaused = atoi(argv[2]) !== 0;
    return reply.ok();
  }
  if (sub === 'replybuffer' && argc === 4) {
    // Reply buffers are not resized by this engine: the settings are checked and have nothing to act on.
    const what = word(argv[2]);
    if (what === 'peak-reset-time') {
      const v = word(argv[3]);
      if (v !== 'never' && v !== 'reset' && longArg(ctx, argv[3]) === null) return;
    } else if (what !== 'resizing') {
      return syntaxError(ctx);
    }
    return reply.ok();
  }
  if (sub === 'clusterlink' && argc === 5 && word(argv[2]) === 'kill') return reply.error(Err.debugClusterOnly);
  syntaxError(ctx);
};

/** addReplySubcommandSyntaxError. */
function syntaxError(ctx: CommandContext): void {
  ctx.reply.error(Err.subcommandSyntax(latin1(cString(ctx.argv[1])).slice(0, 128), 'DEBUG'));
}

export const debugHandlers: Record<string, Handler> = { debug };
