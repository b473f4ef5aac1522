// Every configuration parameter of Redis 7.0.15, as one table: config.c's
// standardConfig table (static_configs), in its order, with the TLS
// parameters (Debian builds redis-server with USE_OPENSSL). Each entry has
// the parameter's type, flags, alias, bounds or values, its default as
// CONFIG GET prints it on a fresh server, the NodeConfig field the engine
// reads it from (when it does), and what CONFIG SET does after changing it
// (onSet, Redis's apply function).
//
// Most parameters have no field: the engine does not act on them yet. They
// still exist with their value, so CONFIG GET and CONFIG SET answer for them
// exactly as Redis does (which is what a user of the lab sees), and the
// engine can start reading one by giving it a field.
//
// How each type reads and prints is in config-types.ts; the per-node values
// and CONFIG GET/SET themselves are in config-values.ts.

import type { NodeConfig } from './config.ts';
import type { RedisNode } from './node.ts';
import type { ConfigValues } from './config-values.ts';
import { Err } from './errors.ts';
import { fromLatin1 } from './bytes.ts';
import {
  BIND, CLIENT_OUTPUT_BUFFER_LIMIT, DIR, LATENCY_PERCENTILES, NOTIFY_KEYSPACE_EVENTS, OOM_SCORE_ADJ_VALUES, REPLICAOF, SAVE, notifyFlags,
  type EnumValues, type NumericSpec, type NumericType, type NumericUnit, type SpecialCodec,
} from './config-types.ts';

/**
 * config.c's flags. immutable: set at start-up only. protected: immutable
 * unless enable-protected-configs allows it. hidden: CONFIG GET lists it
 * only when asked by its exact name. multi-arg: the value is split into
 * words at spaces. sensitive: redacted from logs and MONITOR. debug: shown
 * by DEBUG CONFIG-REWRITE-FORCE-ALL. deny-loading: refused while loading.
 * volatile: a change even when the value is the same (a file to re-read).
 */
export type ConfigFlag = 'immutable' | 'sensitive' | 'debug' | 'multi-arg' | 'hidden' | 'protected' | 'deny-loading' | 'volatile';

/**
 * Runs once after a CONFIG SET that changed the parameter, as Redis's
 * apply functions do (the same hook named by several parameters of one
 * CONFIG SET runs once). An error text undoes the whole CONFIG SET. This is
 * where the engine acts on a change (the replication code can hook here).
 */
export type OnSet = (node: RedisNode, values: ConfigValues) => string | null;

/** NodeConfig fields of type T. */
type FieldOf<T> = { [K in keyof NodeConfig]: NodeConfig[K] extends T ? K : never }[keyof NodeConfig];

interface Common {
  readonly name: string;
  /** The old name, which works everywhere the name does (and CONFIG GET lists too). */
  readonly alias?: string;
  readonly flags: ReadonlySet<ConfigFlag>;
  /** The value as CONFIG GET prints it on a fresh redis-server 7.0.15 started with no arguments. */
  readonly default: string;
  readonly onSet?: OnSet;
  /** The value at process start when it depends on the process (port, dir), as CONFIG GET prints it. */
  readonly initial?: (node: RedisNode) => string;
  /** For a parameter that shows state kept elsewhere (replicaof): CONFIG GET prints this. */
  readonly live?: (node: RedisNode) => string;
}

export interface BoolParam extends Common {
  readonly type: 'bool';
  readonly field?: FieldOf<boolean>;
  /** is_valid_fn: an error text to refuse the value. */
  readonly check?: (value: boolean) => string | null;
}

export interface StringParam extends Common {
  readonly type: 'string';
  /** An sds config (binary safe); a plain string config keeps its value as a C string, cut at a NUL byte. */
  readonly sds: boolean;
  readonly field?: FieldOf<string>;
  /** is_valid_fn, on the value as a C string. */
  readonly check?: (value: string) => string | null;
}

export interface EnumParam extends Common {
  readonly type: 'enum';
  readonly values: EnumValues;
  /** The field holds the canonical name (what CONFIG GET prints). */
  readonly field?: FieldOf<string>;
  readonly check?: (value: number) => string | null;
}

export interface NumericParam extends Common, NumericSpec {
  readonly type: 'numeric';
  readonly field?: FieldOf<number>;
  readonly check?: never;
}

export interface SpecialParam extends Common {
  readonly type: 'special';
  readonly codec: SpecialCodec;
  /** A special parameter the engine reads gets a field of its own kind when one is needed. */
  readonly field?: never;
  readonly check?: never;
}

export type ConfigParam = BoolParam | StringParam | EnumParam | NumericParam | SpecialParam;

// --- bounds (LP64: long is 64 bits)

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const UINT_MAX = 2n ** 32n - 1n;
const LONG_MAX = 2n ** 63n - 1n;
const LLONG_MAX = LONG_MAX;
const SSIZE_MAX = LONG_MAX;
const ULLONG_MAX = 2n ** 64n - 1n;

// --- enums (config.c)

const SUPERVISED: EnumValues = [['upstart', 3], ['systemd', 2], ['auto', 1], ['no', 0]];
const SYSLOG_FACILITY: EnumValues = [
  ['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152],
  ['local4', 160], ['local5', 168], ['local6', 176], ['local7', 184],
];
const REPL_DISKLESS_LOAD: EnumValues = [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]];
const LOGLEVEL: EnumValues = [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]];
const MAXMEMORY_POLICY: EnumValues = [
  ['volatile-lru', 0x001], ['volatile-lfu', 0x102], ['volatile-random', 0x300], ['volatile-ttl', 0x200],
  ['allkeys-lru', 0x405], ['allkeys-lfu', 0x506], ['allkeys-random', 0x604], ['noeviction', 0x700],
];
const APPENDFSYNC: EnumValues = [['everysec', 2], ['always', 1], ['no', 0]];
/** "yes" and "relative" are one value: CONFIG GET prints "yes" for both. */
const OOM_SCORE_ADJ: EnumValues = [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]];
const ACL_PUBSUB_DEFAULT: EnumValues = [['allchannels', 8], ['resetchannels', 0]];
const SANITIZE_DUMP_PAYLOAD: EnumValues = [['no', 0], ['yes', 1], ['clients', 2]];
const PROTECTED_ACTION: EnumValues = [['no', 0], ['yes', 1], ['local', 2]];
const CLUSTER_ENDPOINT_TYPE: EnumValues = [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]];
const PROPAGATION_ERROR_BEHAVIOR: EnumValues = [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]];
/** Bit flags (a MULTI_ARG enum): SHUTDOWN_SAVE, _NOSAVE, _NOW, _FORCE. */
const SHUTDOWN_ON_SIG: EnumValues = [['default', 0], ['save', 1], ['nosave', 2], ['now', 4], ['force', 8]];
const TLS_AUTH_CLIENTS: EnumValues = [['no', 0], ['yes', 1], ['optional', 2]];

// --- validity checks (config.c's is_valid_fn)

/** isValidActiveDefrag: this redis-server has no HAVE_DEFRAG (Debian's, linked with the system jemalloc). */
const activeDefragCheck = (on: boolean): string | null => (on ? Err.configActiveDefrag : null);

/** pathIsBaseName. */
const isBaseName = (s: string): boolean => !s.includes('/') && !s.includes('\\');

const dbfilenameCheck = (s: string): string | null => (isBaseName(s) ? null : Err.configDbfilenamePath);

const appendfilenameCheck = (s: string): string | null =>
  s === '' ? Err.configAppendfilenameEmpty : isBaseName(s) ? null : Err.configAppendfilenamePath;

const appenddirnameCheck = (s: string): string | null =>
  s === '' ? Err.configAppenddirnameEmpty : isBaseName(s) ? null : Err.configAppenddirnamePath;

/** isValidShutdownOnSigFlags: SAVE and NOSAVE together. */
const shutdownFlagsCheck = (flags: number): string | null => ((flags & 1) !== 0 && (flags & 2) !== 0 ? Err.configShutdownSaveNosave : null);

/** NET_HOST_STR_LEN. */
const NET_HOST_STR_LEN = 256;

/** isValidAnnouncedHostname. */
function hostnameCheck(s: string): string | null {
  if (s.length >= NET_HOST_STR_LEN) return Err.configHostnameTooLong;
  return /^[A-Za-z0-9.-]*$/.test(s) ? null : Err.configHostnameChars;
}

/**
 * validateProcTitleTemplate: every {variable} known ("{{" is a literal
 * brace) and the expansion with an empty title, trimmed of spaces, not
 * empty. Only emptiness matters, so each variable stands for whether it can
 * expand to nothing here: title, server-mode (no cluster, no sentinel) and
 * unixsocket (none) do; listen-addr, port, tls-port and config-file never do.
 */
function procTitleTemplateCheck(template: string): string | null {
  const EMPTY: Record<string, string> = { title: '', 'server-mode': '', unixsocket: '', 'listen-addr': 'x', port: 'x', 'tls-port': 'x', 'config-file': 'x' };
  let out = '';
  let p = 0;
  while (p < template.length) {
    const sv = template.indexOf('{', p);
    if (sv < 0) {
      out += template.slice(p);
      break;
    }
    out += template.slice(p, sv);
    if (sv + 1 >= template.length) return Err.configProcTitleTemplate;
    if (template[sv + 1] === '{') {
      out += '{';
      p = sv + 2;
      continue;
    }
    const ev = template.indexOf('}', sv + 1);
    if (ev < 0) return Err.configProcTitleTemplate;
    const value = Object.hasOwn(EMPTY, template.slice(sv + 1, ev)) ? EMPTY[template.slice(sv + 1, ev)] : null;
    if (value === null) return Err.configProcTitleTemplate;
    out += value;
    p = ev + 1;
  }
  return out.replace(/^ +| +$/g, '') === '' ? Err.configProcTitleTemplate : null;
}

// --- what CONFIG SET does after a change (config.c's apply functions)

/** CONFIG_MIN_HZ, CONFIG_MAX_HZ. */
const MIN_HZ = 1;
const MAX_HZ = 500;

/** updateHZ: any value is taken, then capped to [1, 500] (CONFIG GET shows the capped value). */
const updateHz: OnSet = (node) => {
  node.config.hz = Math.min(MAX_HZ, Math.max(MIN_HZ, node.config.hz));
  return null;
};

/** updateRequirePass: the default user's password becomes this one, or nopass for "". */
const updateRequirePass: OnSet = (node, values) => {
  node.acl.updateDefaultUserPassword(fromLatin1(values.text('requirepass')));
  return null;
};

/** updateAppendonly: the AOF stops, or starts with a rewrite (which may be scheduled). */
const updateAppendonly: OnSet = (node, values) => {
  const wanted = values.text('appendonly') === 'yes';
  if (!wanted && node.aof.state !== 'off') node.aof.stop();
  else if (wanted && node.aof.state === 'off' && !node.aof.start(node.inExec)) return Err.configAppendonly;
  return null;
};

/** CONFIG_REPL_BACKLOG_MIN_SIZE. */
const REPL_BACKLOG_MIN_SIZE = 16 * 1024;

/**
 * updateReplBacklogSize (resizeReplicationBacklog): below 16 KB the size is
 * raised to 16 KB (CONFIG GET shows 16384), and a backlog that is now too
 * big is trimmed at once (whole blocks, as when it grows).
 */
const updateReplBacklogSize: OnSet = (node) => {
  if (node.config.replBacklogSize < REPL_BACKLOG_MIN_SIZE) node.config.replBacklogSize = REPL_BACKLOG_MIN_SIZE;
  node.replication.backlog?.trim();
  return null;
};

/**
 * tlsConfigure: this engine has no TLS, so it fails as Redis's does when no
 * certificate can be loaded, logging the first reason Redis would log.
 */
function tlsConfigure(node: RedisNode, values: ConfigValues): string {
  const log = node.options.log;
  const t = (name: string) => values.text(name);
  if (t('tls-cert-file') === '') log.warning('No tls-cert-file configured!');
  else if (t('tls-key-file') === '') log.warning('No tls-key-file configured!');
  else if ((t('tls-auth-clients') !== 'no' || t('tls-cluster') === 'yes' || t('tls-replication') === 'yes') && t('tls-ca-cert-file') === '' && t('tls-ca-cert-dir') === '') {
    log.warning('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
  } else {
    // Engine only: Redis would log OpenSSL's reason for not loading the file.
    log.warning(`Failed to load certificate: ${t('tls-cert-file')}: this engine has no TLS`);
  }
  return Err.configTlsUnavailable;
}

/** applyTlsCfg: TLS is configured (and fails) only once something uses it. */
const applyTlsCfg: OnSet = (node, values) =>
  values.text('tls-port') === '0' && values.text('tls-replication') === 'no' && values.text('tls-cluster') === 'no' ? null : tlsConfigure(node, values);

/** applyTLSPort: TLS is never configured here, so a new tls-port always fails. */
const applyTlsPort: OnSet = (node, values) => tlsConfigure(node, values);

/** The engine reads notify-keyspace-events as class bits (notify.ts); its text is canonical already. */
export const applyNotifyKeyspaceEvents: OnSet = (node, values) => {
  node.config.notifyKeyspaceEvents = notifyFlags(fromLatin1(values.text('notify-keyspace-events'))) ?? 0;
  return null;
};

// --- constructors, in the shape of config.c's createXxxConfig macros

interface Extra {
  readonly alias?: string;
  readonly onSet?: OnSet;
  readonly initial?: (node: RedisNode) => string;
  readonly live?: (node: RedisNode) => string;
}

/** Flags as words: '' for MODIFIABLE_CONFIG. */
function flagSet(words: string): ReadonlySet<ConfigFlag> {
  return new Set(words.split(' ').filter(Boolean) as ConfigFlag[]);
}

function bool(name: string, flags: string, def: 'yes' | 'no', extra: Extra & Pick<BoolParam, 'field' | 'check'> = {}): BoolParam {
  return { type: 'bool', name, flags: flagSet(flags), default: def, ...extra };
}

function str(name: string, flags: string, def: string, extra: Extra & Pick<StringParam, 'field' | 'check'> & { sds?: boolean } = {}): StringParam {
  return { type: 'string', name, flags: flagSet(flags), default: def, ...extra, sds: extra.sds ?? false };
}

function enumeration(name: string, flags: string, values: EnumValues, def: string, extra: Extra & Pick<EnumParam, 'field' | 'check'> = {}): EnumParam {
  return { type: 'enum', name, flags: flagSet(flags), values, default: def, ...extra };
}

function num(
  ctype: NumericType, name: string, flags: string, min: bigint, max: bigint, def: string,
  extra: Extra & Pick<NumericParam, 'field'> & { unit?: NumericUnit } = {},
): NumericParam {
  return { type: 'numeric', ctype, name, flags: flagSet(flags), min, max, default: def, ...extra, unit: extra.unit ?? 'integer' };
}

function special(name: string, flags: string, def: string, codec: SpecialCodec, extra: Extra = {}): SpecialParam {
  return { type: 'special', name, flags: flagSet(flags), default: def, codec, ...extra };
}

const MEMORY = { unit: 'memory' } as const;

/**
 * The simulated node's working directory (getcwd). A real redis-server
 * shows the directory it was started in; a node's disk is its own, so its
 * directory is named after its port.
 */
export const nodeDir = (node: RedisNode): string => `/var/lib/redis/${node.port}`;

/** getConfigReplicaOfOption: the master this node follows, "" for none. */
function replicaofNow(node: RedisNode): string {
  const replica = node.replication.replica;
  // A 256-byte buffer in Redis: at most 255 chars.
  return replica.masterHost === null ? '' : `${replica.masterHost} ${replica.masterPort}`.slice(0, 255);
}

export const CONFIG_TABLE: readonly ConfigParam[] = [
  // Bool configs
  bool('rdbchecksum', 'immutable', 'yes', { field: 'rdbChecksum' }),
  bool('daemonize', 'immutable', 'no'),
  bool('io-threads-do-reads', 'debug immutable', 'no'),
  bool('always-show-logo', 'immutable', 'no'),
  bool('protected-mode', '', 'yes'),
  bool('rdbcompression', '', 'yes', { field: 'rdbCompression' }),
  bool('rdb-del-sync-files', '', 'no'),
  bool('activerehashing', '', 'yes'),
  bool('stop-writes-on-bgsave-error', '', 'yes'),
  bool('set-proc-title', 'immutable', 'yes'),
  bool('dynamic-hz', '', 'yes'),
  bool('lazyfree-lazy-eviction', 'debug', 'no'),
  bool('lazyfree-lazy-expire', 'debug', 'no', { field: 'lazyfreeLazyExpire' }),
  bool('lazyfree-lazy-server-del', 'debug', 'no'),
  bool('lazyfree-lazy-user-del', 'debug', 'no'),
  bool('lazyfree-lazy-user-flush', 'debug', 'no'),
  bool('repl-disable-tcp-nodelay', '', 'no'),
  bool('repl-diskless-sync', 'debug', 'yes', { field: 'replDisklessSync' }),
  bool('aof-rewrite-incremental-fsync', '', 'yes'),
  bool('no-appendfsync-on-rewrite', '', 'no'),
  bool('cluster-require-full-coverage', '', 'yes'),
  bool('rdb-save-incremental-fsync', '', 'yes'),
  bool('aof-load-truncated', '', 'yes'),
  bool('aof-use-rdb-preamble', '', 'yes'),
  bool('aof-timestamp-enabled', '', 'no'),
  bool('cluster-replica-no-failover', '', 'no', { alias: 'cluster-slave-no-failover' }),
  bool('replica-lazy-flush', '', 'no', { alias: 'slave-lazy-flush' }),
  bool('replica-serve-stale-data', '', 'yes', { alias: 'slave-serve-stale-data', field: 'replicaServeStaleData' }),
  bool('replica-read-only', 'debug', 'yes', { alias: 'slave-read-only', field: 'replicaReadOnly' }),
  bool('replica-ignore-maxmemory', '', 'yes', { alias: 'slave-ignore-maxmemory' }),
  bool('jemalloc-bg-thread', '', 'yes'),
  bool('activedefrag', 'debug', 'no', { check: activeDefragCheck }),
  bool('syslog-enabled', 'immutable', 'no'),
  bool('cluster-enabled', 'immutable', 'no'),
  // Turning AOF on is accepted and stored; the engine has no AOF yet.
  bool('appendonly', 'deny-loading', 'no', { onSet: updateAppendonly }),
  bool('cluster-allow-reads-when-down', '', 'no'),
  bool('cluster-allow-pubsubshard-when-down', '', 'yes'),
  bool('crash-log-enabled', '', 'yes'),
  bool('crash-memcheck-enabled', '', 'yes'),
  bool('use-exit-on-panic', 'hidden', 'no'),
  bool('disable-thp', 'immutable', 'yes'),
  bool('cluster-allow-replica-migration', '', 'yes'),
  bool('replica-announced', '', 'yes', { field: 'replicaAnnounced' }),
  bool('latency-tracking', '', 'yes', { field: 'latencyTracking' }),
  bool('aof-disable-auto-gc', '', 'no'),
  bool('replica-ignore-disk-write-errors', '', 'no'),

  // String configs (C strings); a NULL value prints as ""
  str('aclfile', 'immutable', ''),
  str('unixsocket', 'immutable', ''),
  str('pidfile', 'immutable', ''),
  str('replica-announce-ip', '', '', { alias: 'slave-announce-ip', field: 'replicaAnnounceIp' }),
  str('masteruser', 'sensitive', '', { field: 'masteruser' }),
  str('cluster-announce-ip', '', ''),
  str('cluster-config-file', 'immutable', 'nodes.conf'),
  str('cluster-announce-hostname', '', '', { check: hostnameCheck }),
  str('syslog-ident', 'immutable', 'redis'),
  str('dbfilename', 'protected', 'dump.rdb', { field: 'dbFilename', check: dbfilenameCheck }),
  str('appendfilename', 'immutable', 'appendonly.aof', { check: appendfilenameCheck }),
  str('appenddirname', 'immutable', 'appendonlydir', { check: appenddirnameCheck }),
  str('server_cpulist', 'immutable', ''),
  str('bio_cpulist', 'immutable', ''),
  str('aof_rewrite_cpulist', 'immutable', ''),
  str('bgsave_cpulist', 'immutable', ''),
  str('ignore-warnings', '', ''),
  str('proc-title-template', '', '{title} {listen-addr} {server-mode}', { check: procTitleTemplateCheck }),
  str('bind-source-addr', '', ''),
  str('logfile', 'immutable', ''),

  // SDS configs (binary safe)
  str('masterauth', 'sensitive', '', { sds: true, field: 'masterauth' }),
  // The default user's password: AUTH and the NOAUTH check read it (commands/auth.ts).
  str('requirepass', 'sensitive', '', { sds: true, onSet: updateRequirePass }),

  // Enum configs
  enumeration('supervised', 'immutable', SUPERVISED, 'no'),
  enumeration('syslog-facility', 'immutable', SYSLOG_FACILITY, 'local0'),
  enumeration('repl-diskless-load', 'debug deny-loading', REPL_DISKLESS_LOAD, 'disabled', { field: 'replDisklessLoad' }),
  enumeration('loglevel', '', LOGLEVEL, 'notice'),
  enumeration('maxmemory-policy', '', MAXMEMORY_POLICY, 'noeviction', { field: 'maxmemoryPolicy' }),
  enumeration('appendfsync', '', APPENDFSYNC, 'everysec'),
  enumeration('oom-score-adj', '', OOM_SCORE_ADJ, 'no'),
  enumeration('acl-pubsub-default', '', ACL_PUBSUB_DEFAULT, 'resetchannels'),
  enumeration('sanitize-dump-payload', 'debug', SANITIZE_DUMP_PAYLOAD, 'no'),
  enumeration('enable-protected-configs', 'immutable', PROTECTED_ACTION, 'no'),
  enumeration('enable-debug-command', 'immutable', PROTECTED_ACTION, 'no', { field: 'enableDebugCommand' }),
  enumeration('enable-module-command', 'immutable', PROTECTED_ACTION, 'no', { field: 'enableModuleCommand' }),
  enumeration('cluster-preferred-endpoint-type', '', CLUSTER_ENDPOINT_TYPE, 'ip'),
  enumeration('propagation-error-behavior', '', PROPAGATION_ERROR_BEHAVIOR, 'ignore'),
  enumeration('shutdown-on-sigint', 'multi-arg', SHUTDOWN_ON_SIG, 'default', { check: shutdownFlagsCheck }),
  enumeration('shutdown-on-sigterm', 'multi-arg', SHUTDOWN_ON_SIG, 'default', { check: shutdownFlagsCheck }),

  // Integer configs
  num('int', 'databases', 'immutable', 1n, INT_MAX, '16', { field: 'databases' }),
  // The node keeps listening where it started: a new port is stored, not bound.
  num('int', 'port', '', 0n, 65535n, '6379', { initial: (node) => String(node.port) }),
  num('int', 'io-threads', 'debug immutable', 1n, 128n, '1'),
  num('int', 'auto-aof-rewrite-percentage', '', 0n, INT_MAX, '100'),
  num('int', 'cluster-replica-validity-factor', '', 0n, INT_MAX, '10', { alias: 'cluster-slave-validity-factor' }),
  num('int', 'list-max-listpack-size', '', INT_MIN, INT_MAX, '-2', { alias: 'list-max-ziplist-size', field: 'listMaxListpackSize' }),
  num('int', 'tcp-keepalive', '', 0n, INT_MAX, '300'),
  num('int', 'cluster-migration-barrier', '', 0n, INT_MAX, '1'),
  num('int', 'active-defrag-cycle-min', '', 1n, 99n, '1'),
  num('int', 'active-defrag-cycle-max', '', 1n, 99n, '25'),
  num('int', 'active-defrag-threshold-lower', '', 0n, 1000n, '10'),
  num('int', 'active-defrag-threshold-upper', '', 0n, 1000n, '100'),
  num('int', 'lfu-log-factor', '', 0n, INT_MAX, '10', { field: 'lfuLogFactor' }),
  num('int', 'lfu-decay-time', '', 0n, INT_MAX, '1', { field: 'lfuDecayTime' }),
  num('int', 'replica-priority', '', 0n, INT_MAX, '100', { alias: 'slave-priority', field: 'replicaPriority' }),
  num('int', 'repl-diskless-sync-delay', '', 0n, INT_MAX, '5', { field: 'replDisklessSyncDelay' }),
  num('int', 'maxmemory-samples', '', 1n, INT_MAX, '5'),
  num('int', 'maxmemory-eviction-tenacity', '', 0n, 100n, '10'),
  num('int', 'timeout', '', 0n, INT_MAX, '0'),
  num('int', 'replica-announce-port', '', 0n, 65535n, '0', { alias: 'slave-announce-port', field: 'replicaAnnouncePort' }),
  num('int', 'tcp-backlog', 'immutable', 0n, INT_MAX, '511'),
  num('int', 'cluster-port', 'immutable', 0n, 65535n, '0'),
  num('int', 'cluster-announce-bus-port', '', 0n, 65535n, '0'),
  num('int', 'cluster-announce-port', '', 0n, 65535n, '0'),
  num('int', 'cluster-announce-tls-port', '', 0n, 65535n, '0'),
  num('int', 'repl-timeout', '', 1n, INT_MAX, '60', { field: 'replTimeout' }),
  num('int', 'repl-ping-replica-period', '', 1n, INT_MAX, '10', { alias: 'repl-ping-slave-period', field: 'replPingReplicaPeriod' }),
  num('int', 'list-compress-depth', 'debug', 0n, INT_MAX, '0', { field: 'listCompressDepth' }),
  num('int', 'rdb-key-save-delay', 'hidden', INT_MIN, INT_MAX, '0'),
  num('int', 'key-load-delay', 'hidden', INT_MIN, INT_MAX, '0'),
  num('int', 'active-expire-effort', '', 1n, 10n, '1', { field: 'activeExpireEffort' }),
  num('int', 'hz', '', 0n, INT_MAX, '10', { field: 'hz', onSet: updateHz }),
  num('int', 'min-replicas-to-write', '', 0n, INT_MAX, '0', { alias: 'min-slaves-to-write', field: 'minReplicasToWrite' }),
  num('int', 'min-replicas-max-lag', '', 0n, INT_MAX, '10', { alias: 'min-slaves-max-lag', field: 'minReplicasMaxLag' }),
  num('int', 'watchdog-period', 'hidden', 0n, INT_MAX, '0'),
  num('int', 'shutdown-timeout', '', 0n, INT_MAX, '10'),
  num('int', 'repl-diskless-sync-max-replicas', '', 0n, INT_MAX, '0', { field: 'replDisklessSyncMaxReplicas' }),

  // Unsigned int configs
  num('uint', 'maxclients', '', 1n, UINT_MAX, '10000'),
  num('uint', 'unixsocketperm', 'immutable', 0n, 0o777n, '0', { unit: 'octal' }),
  num('uint', 'socket-mark-id', 'immutable', 0n, UINT_MAX, '0'),

  // Unsigned long configs
  num('ulong', 'active-defrag-max-scan-fields', '', 1n, LONG_MAX, '1000'),
  num('ulong', 'slowlog-max-len', '', 0n, LONG_MAX, '128', { field: 'slowlogMaxLen' }),
  num('ulong', 'acllog-max-len', '', 0n, LONG_MAX, '128'),

  // Long long configs
  num('long-long', 'busy-reply-threshold', '', 0n, LONG_MAX, '5000', { alias: 'lua-time-limit' }),
  num('long-long', 'cluster-node-timeout', '', 0n, LLONG_MAX, '15000'),
  num('long-long', 'slowlog-log-slower-than', '', -1n, LLONG_MAX, '10000', { field: 'slowlogLogSlowerThan' }),
  num('long-long', 'latency-monitor-threshold', '', 0n, LLONG_MAX, '0', { field: 'latencyMonitorThreshold' }),
  num('long-long', 'proto-max-bulk-len', 'debug', 1024n * 1024n, LONG_MAX, '536870912', { ...MEMORY, field: 'protoMaxBulkLen' }),
  num('long-long', 'stream-node-max-entries', '', 0n, LLONG_MAX, '100', { field: 'streamNodeMaxEntries' }),
  num('long-long', 'repl-backlog-size', '', 1n, LLONG_MAX, '1048576', { ...MEMORY, field: 'replBacklogSize', onSet: updateReplBacklogSize }),

  // Unsigned long long configs
  // maxmemory is stored; the engine does not evict yet.
  num('ulong-long', 'maxmemory', '', 0n, ULLONG_MAX, '0', { ...MEMORY, field: 'maxmemory' }),
  num('ulong-long', 'cluster-link-sendbuf-limit', '', 0n, ULLONG_MAX, '0', MEMORY),

  // Size_t configs
  num('size_t', 'hash-max-listpack-entries', '', 0n, LONG_MAX, '512', { alias: 'hash-max-ziplist-entries', field: 'hashMaxListpackEntries' }),
  num('size_t', 'set-max-intset-entries', '', 0n, LONG_MAX, '512', { field: 'setMaxIntsetEntries' }),
  num('size_t', 'zset-max-listpack-entries', '', 0n, LONG_MAX, '128', { alias: 'zset-max-ziplist-entries', field: 'zsetMaxListpackEntries' }),
  num('size_t', 'active-defrag-ignore-bytes', '', 1n, LLONG_MAX, '104857600', MEMORY),
  num('size_t', 'hash-max-listpack-value', '', 0n, LONG_MAX, '64', { ...MEMORY, alias: 'hash-max-ziplist-value', field: 'hashMaxListpackValue' }),
  num('size_t', 'stream-node-max-bytes', '', 0n, LONG_MAX, '4096', { ...MEMORY, field: 'streamNodeMaxBytes' }),
  num('size_t', 'zset-max-listpack-value', '', 0n, LONG_MAX, '64', { ...MEMORY, alias: 'zset-max-ziplist-value', field: 'zsetMaxListpackValue' }),
  num('size_t', 'hll-sparse-max-bytes', '', 0n, LONG_MAX, '3000', { ...MEMORY, field: 'hllSparseMaxBytes' }),
  num('size_t', 'tracking-table-max-keys', '', 0n, LONG_MAX, '1000000'),
  num('size_t', 'client-query-buffer-limit', 'debug', 1024n * 1024n, LONG_MAX, '1073741824', MEMORY),
  num('ssize_t', 'maxmemory-clients', '', -100n, SSIZE_MAX, '0', { unit: 'memory-percent' }),

  // Other configs
  num('time_t', 'repl-backlog-ttl', '', 0n, LONG_MAX, '3600', { field: 'replBacklogTtl' }),
  num('off_t', 'auto-aof-rewrite-min-size', '', 0n, LLONG_MAX, '67108864', MEMORY),
  num('off_t', 'loading-process-events-interval-bytes', 'hidden', 1024n, INT_MAX, '2097152'),

  // TLS (USE_OPENSSL): stored; this engine speaks no TLS, so turning it on fails as with no certificate
  num('int', 'tls-port', '', 0n, 65535n, '0', { onSet: applyTlsPort }),
  num('int', 'tls-session-cache-size', '', 0n, INT_MAX, '20480', { onSet: applyTlsCfg }),
  num('int', 'tls-session-cache-timeout', '', 0n, INT_MAX, '300', { onSet: applyTlsCfg }),
  bool('tls-cluster', '', 'no', { onSet: applyTlsCfg }),
  bool('tls-replication', '', 'no', { onSet: applyTlsCfg }),
  enumeration('tls-auth-clients', '', TLS_AUTH_CLIENTS, 'yes'),
  bool('tls-prefer-server-ciphers', '', 'no', { onSet: applyTlsCfg }),
  bool('tls-session-caching', '', 'yes', { onSet: applyTlsCfg }),
  str('tls-cert-file', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-key-file', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-key-file-pass', '', '', { onSet: applyTlsCfg }),
  str('tls-client-cert-file', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-client-key-file', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-client-key-file-pass', '', '', { onSet: applyTlsCfg }),
  str('tls-dh-params-file', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-ca-cert-file', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-ca-cert-dir', 'volatile', '', { onSet: applyTlsCfg }),
  str('tls-protocols', '', '', { onSet: applyTlsCfg }),
  str('tls-ciphers', '', '', { onSet: applyTlsCfg }),
  str('tls-ciphersuites', '', '', { onSet: applyTlsCfg }),

  // Special configs
  special('dir', 'protected deny-loading', '', DIR, { initial: nodeDir }),
  // Save points are stored; the engine does not save on them yet.
  special('save', 'multi-arg', '3600 1 300 100 60 10000', SAVE),
  special('client-output-buffer-limit', 'multi-arg', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', CLIENT_OUTPUT_BUFFER_LIMIT),
  special('oom-score-adj-values', 'multi-arg', '0 200 800', OOM_SCORE_ADJ_VALUES),
  special('notify-keyspace-events', '', '', NOTIFY_KEYSPACE_EVENTS, { onSet: applyNotifyKeyspaceEvents }),
  // The node keeps the addresses it listens on: bind is stored, not re-bound.
  special('bind', 'multi-arg', '* -::*', BIND),
  special('replicaof', 'immutable multi-arg', '', REPLICAOF, { alias: 'slaveof', live: replicaofNow }),
  special('latency-tracking-info-percentiles', 'multi-arg', '50 99 99.9', LATENCY_PERCENTILES),
];
