// INFO (server.c genInfoSectionDict, genRedisInfoString): every section and
// every field Redis 7.0.15 prints, in its order. Counters come from the
// engine (stats.ts, the keyspace's and replication's own); the Replication
// section is src/engine/replication/info.ts. What a simulation cannot
// measure is printed as a real server would print it with nothing to
// measure (CPU 0.000000, durations 0), and memory is the model of
// ./memory.ts; docs/compat.md lists which fields those are.

import type { RedisNode } from '../node.ts';
import type { CommandSpec } from '../commands/spec.ts';
import { COMMAND_TABLE } from '../commands/table.generated.ts';
import { replicationInfo } from '../replication/info.ts';
import { configValues } from '../config-values.ts';
import { formatPlainDouble } from '../config-types.ts';
import { bytesToHuman, float, printfFixed } from './format.ts';
import { FUNCTIONS_CACHES, memoryFigures } from './memory.ts';
import { cachedScriptCount } from '../commands/scripting.ts';
import { functionCounts } from '../commands/functions.ts';

/** What the engine says it is: Debian 12's redis-server 7.0.15 package, on a simulated Linux machine. */
export const SERVER_IDENTITY = {
  version: '7.0.15',
  buildId: 'ae4d7c971a948f0',
  /** uname of the simulated machine (a real server prints its host's). */
  os: 'Linux 6.1.0-replscope x86_64',
  gccVersion: '12.2.0',
  /** As Debian's service starts it (config_file is the node's own: node.configFile). */
  executable: '/usr/bin/redis-server',
  allocator: 'jemalloc-5.3.0',
  /** The simulated machine's RAM (total_system_memory). */
  systemMemory: 8 * 1024 ** 3,
} as const;

/** The sections INFO with no argument (or `default`) prints. */
const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** genInfoSectionDict: the asked sections (lower-cased, as the dict compares without case), `all`, `everything`. */
export function infoSections(args: readonly string[]): { sections: Set<string>; all: boolean; everything: boolean } {
  if (args.length === 0) return { sections: new Set(DEFAULT_SECTIONS), all: false, everything: false };
  const sections = new Set<string>();
  let all = false;
  let everything = false;
  for (const arg of args) {
    const name = arg.toLowerCase();
    if (name === 'default') for (const s of DEFAULT_SECTIONS) sections.add(s);
    else if (name === 'all') all = true;
    else if (name === 'everything') everything = all = true;
    else sections.add(name);
  }
  return { sections, all, everything };
}

type Section = (node: RedisNode) => string[];

/** genRedisInfoString's sections in its order; `names` are the section names that select each. */
const SECTIONS: ReadonlyArray<{ names: readonly string[]; title: string; lines: Section }> = [
  { names: ['server'], title: 'Server', lines: serverLines },
  { names: ['clients'], title: 'Clients', lines: clientsLines },
  { names: ['memory'], title: 'Memory', lines: memoryLines },
  { names: ['persistence'], title: 'Persistence', lines: persistenceLines },
  { names: ['stats'], title: 'Stats', lines: statsLines },
  { names: ['replication'], title: 'Replication', lines: () => [] },
  { names: ['cpu'], title: 'CPU', lines: cpuLines },
  // No modules can be loaded: the section is its header.
  { names: ['module_list', 'modules'], title: 'Modules', lines: () => [] },
  { names: ['commandstats'], title: 'Commandstats', lines: commandstatsLines },
  { names: ['errorstats'], title: 'Errorstats', lines: errorstatsLines },
  { names: ['latencystats'], title: 'Latencystats', lines: latencystatsLines },
  { names: ['cluster'], title: 'Cluster', lines: () => ['cluster_enabled:0'] },
  { names: ['keyspace'], title: 'Keyspace', lines: keyspaceLines },
];

/**
 * The INFO text: each chosen section as "# Title" and its lines, CRLF
 * after every line, a blank line between sections. `everything` adds the
 * modules' own sections, and there are none.
 */
export function infoText(node: RedisNode, args: readonly string[]): string {
  const { sections, all } = infoSections(args);
  const parts: string[] = [];
  for (const s of SECTIONS) {
    if (!all && !s.names.some((n) => sections.has(n))) continue;
    const text = s.title === 'Replication' ? replicationInfo(node) : [`# ${s.title}`, ...s.lines(node)].map((l) => l + '\r\n').join('');
    parts.push(text);
  }
  return parts.join('\r\n');
}

// ------------------------------------------------------------------ sections

function serverLines(node: RedisNode): string[] {
  const id = SERVER_IDENTITY;
  const cfg = node.config;
  const nowMs = node.options.clock.unixMs;
  const uptime = node.unixtime - node.stats.startTime;
  const lines = [
    `redis_version:${id.version}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    `redis_build_id:${id.buildId}`,
    'redis_mode:standalone',
    `os:${id.os}`,
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    'multiplexing_api:epoll',
    'atomicvar_api:c11-builtin',
    `gcc_version:${id.gccVersion}`,
    `process_id:${node.options.pid}`,
    'process_supervised:no',
    `run_id:${node.options.runId}`,
    `tcp_port:${node.port}`,
    // server.ustime, from the simulation's clock (millisecond resolution).
    `server_time_usec:${nowMs * 1000}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.trunc(uptime / 86400)}`,
    `hz:${dynamicHz(node)}`,
    `configured_hz:${cfg.hz}`,
    // getLRUClock: seconds, in 24 bits.
    `lru_clock:${Math.floor(nowMs / 1000) % 2 ** 24}`,
    `executable:${id.executable}`,
    `config_file:${node.configFile ?? ''}`,
    'io_threads_active:0',
  ];
  const deadline = node.shutdown.deadlineMs;
  if (deadline !== null) lines.push(`shutdown_in_milliseconds:${deadline - nowMs}`);
  return lines;
}

/** server.hz: with dynamic-hz, doubled (up to 500) while there are more than 200 clients per tick. */
function dynamicHz(node: RedisNode): number {
  let hz = node.config.hz;
  if (configValues(node).text('dynamic-hz') !== 'yes') return hz;
  while (Math.trunc(node.connectedClients / hz) > 200) {
    hz *= 2;
    if (hz > 500) return 500;
  }
  return hz;
}

function clientsLines(node: RedisNode): string[] {
  let blocked = 0;
  let inTimeoutTable = 0;
  for (const c of node.clientList()) {
    if (!c.blocked) continue;
    blocked++;
    if (c.blocked.timer) inTimeoutTable++;
  }
  // Blocked on keys with a timeout (BLPOP k 1): in the timeout table too.
  inTimeoutTable += node.blocking.timedCount;
  return [
    `connected_clients:${node.connectedClients - node.replication.master.slaves.length}`,
    'cluster_connections:0',
    `maxclients:${configValues(node).text('maxclients')}`,
    // Sampled by clientsCron from jemalloc's sizes of query and reply buffers: not modelled.
    'client_recent_max_input_buffer:0',
    'client_recent_max_output_buffer:0',
    `blocked_clients:${blocked}`,
    `tracking_clients:${node.tracking.clients}`,
    `clients_in_timeout_table:${inTimeoutTable}`,
  ];
}

function memoryLines(node: RedisNode): string[] {
  const m = memoryFigures(node);
  const values = configValues(node);
  const maxmemory = Number(values.text('maxmemory'));
  const netUsage = m.used > m.startup ? m.used - m.startup : 1;
  const ratio = (a: number, b: number) => printfFixed(float(a / b), 2);
  const lua = 32768; // an empty Lua VM
  const fns = functionCounts(node);
  const vmFunctions = 33792; // the functions' Lua VM, empty
  return [
    `used_memory:${m.used}`,
    `used_memory_human:${bytesToHuman(m.used)}`,
    `used_memory_rss:${m.rss}`,
    `used_memory_rss_human:${bytesToHuman(m.rss)}`,
    `used_memory_peak:${m.peak}`,
    `used_memory_peak_human:${bytesToHuman(m.peak)}`,
    `used_memory_peak_perc:${printfFixed(float((float(m.used) * 100) / m.peak), 2)}%`,
    `used_memory_overhead:${m.overhead}`,
    `used_memory_startup:${m.startup}`,
    `used_memory_dataset:${m.dataset}`,
    `used_memory_dataset_perc:${printfFixed(float((float(m.dataset) * 100) / netUsage), 2)}%`,
    `allocator_allocated:${m.allocated}`,
    `allocator_active:${m.active}`,
    `allocator_resident:${m.resident}`,
    `total_system_memory:${SERVER_IDENTITY.systemMemory}`,
    `total_system_memory_human:${bytesToHuman(SERVER_IDENTITY.systemMemory)}`,
    `used_memory_lua:${lua}`,
    `used_memory_vm_eval:${lua}`,
    `used_memory_lua_human:${bytesToHuman(lua)}`,
    'used_memory_scripts_eval:0',
    `number_of_cached_scripts:${cachedScriptCount(node)}`,
    `number_of_functions:${fns.functions}`,
    `number_of_libraries:${fns.libraries}`,
    `used_memory_vm_functions:${vmFunctions}`,
    `used_memory_vm_total:${vmFunctions + lua}`,
    `used_memory_vm_total_human:${bytesToHuman(vmFunctions + lua)}`,
    `used_memory_functions:${FUNCTIONS_CACHES}`,
    `used_memory_scripts:${FUNCTIONS_CACHES}`,
    `used_memory_scripts_human:${bytesToHuman(FUNCTIONS_CACHES)}`,
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${values.text('maxmemory-policy')}`,
    `allocator_frag_ratio:${ratio(m.active, m.allocated)}`,
    `allocator_frag_bytes:${m.active - m.allocated}`,
    `allocator_rss_ratio:${ratio(m.resident, m.active)}`,
    `allocator_rss_bytes:${m.resident - m.active}`,
    `rss_overhead_ratio:${ratio(m.rss, m.resident)}`,
    `rss_overhead_bytes:${m.rss - m.resident}`,
    `mem_fragmentation_ratio:${ratio(m.rss, m.used)}`,
    `mem_fragmentation_bytes:${m.rss - m.used}`,
    `mem_not_counted_for_evict:${m.notCountedForEvict}`,
    `mem_replication_backlog:${m.replBacklog}`,
    `mem_total_replication_buffers:${m.replBuffers}`,
    `mem_clients_slaves:${m.clientsSlaves}`,
    `mem_clients_normal:${m.clientsNormal}`,
    'mem_cluster_links:0',
    'mem_aof_buffer:0',
    `mem_allocator:${SERVER_IDENTITY.allocator}`,
    'active_defrag_running:0',
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  ];
}

function persistenceLines(node: RedisNode): string[] {
  const stats = node.stats;
  // The fork (rdb/bgsave.ts); its copy-on-write sizes are the model described there.
  const bg = node.bgsave;
  const forkPerc = bg.keysTotal ? (bg.keysProcessed / bg.keysTotal) * 100 : 0;
  return [
    `loading:${node.loading === 'sync' ? 1 : 0}`,
    `async_loading:${node.loading === 'async' ? 1 : 0}`,
    `current_cow_peak:${bg.cowPeak}`,
    `current_cow_size:${bg.cowBytes}`,
    `current_cow_size_age:${bg.cowUpdatedMs ? Math.trunc((node.options.clock.unixMs - bg.cowUpdatedMs) / 1000) : 0}`,
    `current_fork_perc:${printfFixed(forkPerc, 2)}`,
    `current_save_keys_processed:${bg.keysProcessed}`,
    `current_save_keys_total:${bg.keysTotal}`,
    `rdb_changes_since_last_save:${node.dirty - node.dirtyAtLastSave}`,
    `rdb_bgsave_in_progress:${bg.running('rdb') ? 1 : 0}`,
    `rdb_last_save_time:${node.lastSave}`,
    `rdb_last_bgsave_status:${bg.lastBgsaveOk ? 'ok' : 'err'}`,
    `rdb_last_bgsave_time_sec:${bg.lastSaveSeconds}`,
    `rdb_current_bgsave_time_sec:${bg.currentSeconds}`,
    `rdb_saves:${stats.rdbSaves}`,
    `rdb_last_cow_size:${bg.lastCowSize}`,
    `rdb_last_load_keys_expired:${stats.lastLoadKeysExpired}`,
    `rdb_last_load_keys_loaded:${stats.lastLoadKeysLoaded}`,
    ...node.aof.stateLines(),
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
    ...node.aof.infoLines(),
    ...loadingLines(node),
  ];
}

/** The loading_* fields, while a dataset loads (not during async loading, which is not server.loading). */
function loadingLines(node: RedisNode): string[] {
  const p = node.loadProgress;
  if (node.loading !== 'sync' || !p) return [];
  let perc = 0;
  let remaining = 1;
  if (p.totalBytes) {
    perc = (p.loadedBytes / p.totalBytes) * 100;
    remaining = p.totalBytes - p.loadedBytes;
  } else if (p.rdbUsedMem) {
    perc = Math.min((p.loadedBytes / p.rdbUsedMem) * 100, 99.99);
    remaining = Math.max(p.rdbUsedMem - p.loadedBytes, 1);
  }
  const elapsed = node.unixtime - p.startTime;
  // A fake 1 second when there is not enough to go on yet, as Redis prints.
  const eta = elapsed === 0 ? 1 : Math.trunc((elapsed * remaining) / (p.loadedBytes + 1));
  return [
    `loading_start_time:${p.startTime}`,
    `loading_total_bytes:${p.totalBytes}`,
    `loading_rdb_used_mem:${p.rdbUsedMem}`,
    `loading_loaded_bytes:${p.loadedBytes}`,
    `loading_loaded_perc:${printfFixed(perc, 2)}`,
    `loading_eta_seconds:${eta}`,
  ];
}

function statsLines(node: RedisNode): string[] {
  const s = node.stats;
  const ks = node.keyspace.stats;
  const repl = node.replication.stats;
  const kbps = (v: number) => printfFixed(float(float(v) / 1024), 2);
  return [
    `total_connections_received:${s.numConnections}`,
    `total_commands_processed:${s.numCommands}`,
    `instantaneous_ops_per_sec:${s.metrics.command.value}`,
    `total_net_input_bytes:${s.netInputBytes + repl.netReplInputBytes}`,
    `total_net_output_bytes:${s.netOutputBytes + repl.netReplOutputBytes}`,
    `total_net_repl_input_bytes:${repl.netReplInputBytes}`,
    `total_net_repl_output_bytes:${repl.netReplOutputBytes}`,
    `instantaneous_input_kbps:${kbps(s.metrics.netInput.value)}`,
    `instantaneous_output_kbps:${kbps(s.metrics.netOutput.value)}`,
    `instantaneous_input_repl_kbps:${kbps(s.metrics.netReplInput.value)}`,
    `instantaneous_output_repl_kbps:${kbps(s.metrics.netReplOutput.value)}`,
    `rejected_connections:${s.rejectedConnections}`,
    `sync_full:${repl.syncFull}`,
    `sync_partial_ok:${repl.syncPartialOk}`,
    `sync_partial_err:${repl.syncPartialErr}`,
    `expired_keys:${ks.expiredKeys}`,
    // The active expiry cycle's estimates; its CPU time is what expire.ts counts per sampled key.
    `expired_stale_perc:${printfFixed(node.expiry.stalePerc * 100, 2)}`,
    `expired_time_cap_reached_count:${node.expiry.timeCapReachedCount}`,
    `expire_cycle_cpu_milliseconds:${Math.trunc(node.expiry.cycleTimeUsedUs / 1000)}`,
    // No eviction (maxmemory is not enforced yet).
    'evicted_keys:0',
    'evicted_clients:0',
    'total_eviction_exceeded_time:0',
    'current_eviction_exceeded_time:0',
    `keyspace_hits:${ks.keyspaceHits}`,
    `keyspace_misses:${ks.keyspaceMisses}`,
    `pubsub_channels:${node.pubsub.channels.size}`,
    `pubsub_patterns:${node.pubsub.patterns.size}`,
    `pubsubshard_channels:${node.pubsub.shardChannels.size}`,
    `latest_fork_usec:${s.latestForkUsec}`,
    `total_forks:${s.totalForks}`,
    `migrate_cached_sockets:${node.migrateSockets.size}`,
    `slave_expires_tracked_keys:${node.expiry.slaveKeysCount}`,
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    `tracking_total_keys:${node.tracking.totalKeys}`,
    `tracking_total_items:${node.tracking.totalItems}`,
    `tracking_total_prefixes:${node.tracking.totalPrefixes}`,
    `unexpected_error_replies:${s.unexpectedErrorReplies}`,
    `total_error_replies:${s.totalErrorReplies}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${s.readsProcessed}`,
    `total_writes_processed:${s.writesProcessed}`,
    'io_threaded_reads_processed:0',
    'io_threaded_writes_processed:0',
    // clientsCron's resizing of reply buffers is not modelled.
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
  ];
}

/** getrusage: a simulated process uses no CPU. */
function cpuLines(): string[] {
  return ['used_cpu_sys', 'used_cpu_user', 'used_cpu_sys_children', 'used_cpu_user_children', 'used_cpu_sys_main_thread', 'used_cpu_user_main_thread'].map(
    (name) => `${name}:0.000000`,
  );
}

/** Commands in the table's order, each container followed by its subcommands (as the recursion over the dicts goes). */
export function eachCommand(specs: readonly CommandSpec[], visit: (spec: CommandSpec) => void): void {
  for (const spec of specs) {
    visit(spec);
    if (spec.subcommands) eachCommand(spec.subcommands, visit);
  }
}

/** The commands that ran or were refused; usec is 0: a command takes no virtual time. */
function commandstatsLines(node: RedisNode): string[] {
  const lines: string[] = [];
  eachCommand(COMMAND_TABLE, (spec) => {
    const s = node.stats.commands.get(spec.name);
    if (!s || (!s.calls && !s.failedCalls && !s.rejectedCalls)) return;
    lines.push(`cmdstat_${spec.name}:calls=${s.calls},usec=0,usec_per_call=0.00,rejected_calls=${s.rejectedCalls},failed_calls=${s.failedCalls}`);
  });
  return lines;
}

/** Error codes in the rax's order (bytes ascending). */
function errorstatsLines(node: RedisNode): string[] {
  return [...node.stats.errors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, count]) => `errorstat_${code.replace(/[#:\n\r]/g, '_')}:count=${count}`);
}

/**
 * Every call lasts 0 ns in virtual time, which Redis's histogram records as
 * its 1 ns minimum: every percentile reads 0.001 microseconds.
 */
function latencystatsLines(node: RedisNode): string[] {
  const values = configValues(node);
  if (values.text('latency-tracking') !== 'yes') return [];
  const text = values.text('latency-tracking-info-percentiles');
  const percentiles = text === '' ? [] : text.split(' ').map((p) => `p${formatPlainDouble(Number(p))}=0.001`);
  const lines: string[] = [];
  eachCommand(COMMAND_TABLE, (spec) => {
    if (node.stats.commands.get(spec.name)?.latencySamples) lines.push(`latency_percentiles_usec_${spec.name}:${percentiles.join(',')}`);
  });
  return lines;
}

/** avg_ttl is what the active expiry cycle estimates by sampling (expire.ts). */
function keyspaceLines(node: RedisNode): string[] {
  const lines: string[] = [];
  for (const db of node.keyspace.dbs) {
    if (db.size || db.expires.size) lines.push(`db${db.id}:keys=${db.size},expires=${db.expires.size},avg_ttl=${db.avgTtl}`);
  }
  return lines;
}
