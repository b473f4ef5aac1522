// Generates docs/compat.md from the command table and the handlers: every
// Redis 7.0.15 command and subcommand, and whether the engine has it.
// A unit test fails when the committed file is out of date.
import fs from 'node:fs';
import path from 'node:path';
import { COMMAND_TABLE, CAPTURED_FROM } from '../src/engine/commands/table.generated.ts';
import { isImplemented } from '../src/engine/commands/registry.ts';
import type { CommandSpec } from '../src/engine/commands/spec.ts';

export const COMPAT_PATH = path.resolve(import.meta.dirname, '../docs/compat.md');

/** Differences a user would notice that are not about a missing command, with the reason. */
const NOTES = [
  'A command marked "not yet" answers exactly as Redis answers a command it does not have: ' +
    "`ERR unknown command '<name>', with args beginning with: ...`; a missing subcommand of a command the engine has answers " +
    "`ERR unknown subcommand '<sub>'. Try <COMMAND> HELP.`",
  '`COMMAND COUNT` counts the commands the engine implements, so it answers less than the 240 of Redis 7.0.15 until every command is in; ' +
    'the live differential and golden suites leave it out for that reason.',
  '`npm run serve`: `--log-dir DIR` writes each node\'s log to DIR/<port>.log, `--data-dir DIR` keeps each node\'s files ' +
    'in DIR/<port>/, and `--<directive> <value>` sets a directive on every node as redis-server takes it (a bad one stops ' +
    'serve with redis-server\'s FATAL CONFIG FILE ERROR report). The hosts run the world in slices of host time (8 ms in ' +
    'the browser, 20 ms under serve): when a big full sync needs more, virtual time falls behind wall time. The SIM language (UI buttons, `--control-port`) has NODES, ADD, REMOVE, ' +
    'KILL, START, PAUSE, RESUME, SPEED, STEP, TIME, PARTITION, HEAL, RESET, LATENCY, BANDWIDTH, LINKS, SEED and HELP. ' +
    '`SIM SEED n` starts a fresh world in the page; under serve it answers that serve must be restarted with `--seed n`.',
  '`INFO` prints every section and field of 7.0.15 in its order (Server, Clients, Memory, Persistence, Stats, Replication, ' +
    'CPU, Modules, Errorstats, Cluster, Keyspace; Commandstats and Latencystats with `all` or `everything`), with the same ' +
    'section selection (default, `all`, `everything`, several names in any case, unknown names ignored) and the same reply ' +
    '(a bulk string; a verbatim `txt` string in RESP3). Counters are kept from what the engine does, where Redis moves ' +
    'them: connections, commands (nested and from the master too), bytes in and out (replication bytes apart), reads and ' +
    'writes, error replies by code (lookup and arity errors included), calls, rejected and failed calls per command, ' +
    'keyspace hits and misses, expired keys, syncs, forks, saves, `rdb_changes_since_last_save`, and ' +
    '`instantaneous_ops_per_sec` and the kbps rates sampled every 100 ms of virtual time as serverCron does. Identity and ' +
    'time are the simulated process\'s: `process_id`, `run_id`, `tcp_port`, `uptime_*`, `server_time_usec` (millisecond ' +
    'resolution), `lru_clock`; the engine presents itself as Debian 12\'s package (`redis_build_id`, `gcc_version`, ' +
    '`executable:/usr/bin/redis-server`, `config_file:` empty as when started without a config file, ' +
    '`mem_allocator:jemalloc-5.3.0`) on a simulated machine (`os:Linux 6.1.0-replscope x86_64`, ' +
    '`total_system_memory` 8 GiB). A command takes no virtual time, so `usec` and `usec_per_call` are 0, every latency ' +
    'percentile is Redis\'s 1 ns floor (0.001), `latest_fork_usec` is 0, and the CPU section is 0.000000 throughout. ' +
    'Estimates, not jemalloc\'s figures: `used_memory` and the fields derived from it (peak, overhead, startup, dataset, ' +
    'allocator_*, rss, fragmentation, `mem_clients_normal`; src/engine/info/memory.ts); the replication buffer fields ' +
    '(`mem_replication_backlog`, `mem_total_replication_buffers`, `mem_clients_slaves`, `mem_not_counted_for_evict`) ' +
    'follow Redis\'s block accounting. Not modelled, printed as a server where they never happened: ' +
    '`client_recent_max_*_buffer` and `reply_buffer_*` (clientsCron), active expiry (`avg_ttl=0`, as before Redis\'s ' +
    'first sample; `expired_stale_perc`), eviction, pub/sub, tracking, defrag, copy-on-write and fork progress, AOF ' +
    '(`aof_enabled:0` whatever `appendonly` says), `rejected_connections` (maxclients is ' +
    'not enforced). The golden and live suites compare INFO and CLIENT LIST with `~info`: names and order exact, values ' +
    'exact but those that differ between two real servers (tests/support/transcript.ts).',
  '`CLIENT`: ID, SETNAME, GETNAME, INFO, LIST (TYPE, ID), KILL (the old address form and ID, TYPE, ADDR, LADDR, USER, ' +
    'SKIPME), NO-EVICT, REPLY ON|OFF|SKIP and HELP answer as in 7.0.15; `CLIENT KILL TYPE master` on a replica drops its ' +
    'master link, which reconnects with a partial resync. Flags shown: S, M, b, c, e. There are no users but `default` ' +
    '(`USER` matches it or answers `No such user`) and no pub/sub clients yet; `laddr` is the node\'s address for every ' +
    'connection, the master link included (Redis shows that socket\'s local port). PAUSE, UNPAUSE, UNBLOCK, TRACKING, ' +
    'CACHING, GETREDIR and TRACKINGINFO are not in yet.',
  'Transactions: MULTI, EXEC and DISCARD as 7.0.15 (QUEUED, errors while queueing abort EXEC with EXECABORT, commands ' +
    'flagged no-multi refused, replies of EXEC, MULTI/EXEC around two or more propagated writes, checked against a real ' +
    'master\'s stream). WATCH and UNWATCH: EXEC answers a null array when a watched key changed since WATCH. A command that ' +
    'changed the dataset counts as changing every key it names (Redis signals only the keys it really changed, so DEL of a ' +
    'watched key that did not exist, among others that did, aborts here and not in Redis); commands with movable keys ' +
    '(LMPOP) touch none; expiry, FLUSHDB, FLUSHALL and SWAPDB touch the watched keys they find, as in Redis.',
  'Replication (issue 6, in progress): REPLICAOF/SLAVEOF, ROLE, REPLCONF, SYNC/PSYNC, full syncs (diskless and disk), partial ' +
    'resyncs, the backlog with 7.0\'s block model, timeouts, chained replicas, promotion, WAIT, FAILOVER, SHUTDOWN (waiting ' +
    'for lagging replicas, saving when save points are set), MONITOR, client-output-buffer-limit for replicas (a socket ' +
    'holds 512 KB; the rest waits in the shared buffer) and a master restarted from its RDB work as in Redis 7.0.15. A ' +
    'replica\'s load of a full sync takes virtual time (54 bytes per microsecond, as measured) with LOADING meanwhile; the ' +
    'master\'s fork writes its RDB at 58 bytes per microsecond, but the snapshot itself is taken in one step at the fork. ' +
    '`repl-diskless-load swapdb` serves the old data while loading the same history (`async_loading:1`). Not yet: pausing ' +
    'writes while SHUTDOWN waits, rewrites of commands the engine lacks (SPOP, XADD, scripts). ' +
    'AUTH knows the default user and requirepass (masterauth works against it); ACL users are not in yet (any other user ' +
    'name is refused as an unknown user is).',
  'Terminal (redis-cli in the page): `quit`/`exit` close the connection and keep the terminal (redis-cli exits); MONITOR ' +
    'streams until Ctrl-C, which (like Ctrl-C on a blocking command) drops the connection and connects again with a prompt, ' +
    'where redis-cli would exit; hints, completion, RESP3 push streams (SUBSCRIBE) and the `(N.NNs)` timing line are not there ' +
    'yet (issue 5).',
  'Log lines: the start-up lines are printed as Redis 7.0.15 prints them, in UTC; the host-specific warnings real Redis adds ' +
    '(overcommit_memory, THP) are not simulated.',
  '`KEYS` lists keys in the order they were created, not in the order of Redis\'s hash table (which follows a random per-process ' +
    'hash seed, so it differs between two real servers too); `RANDOMKEY` draws from the node\'s seeded random stream, so it picks ' +
    'other keys than a real server would. The golden and live suites compare those replies as sets (`~sorted`) or by kind (`~type`).',
  'There is no active expiry cycle yet: a key whose time has passed is deleted when a command touches it. Until then `DBSIZE` ' +
    'counts it (as Redis does between its expiry cycles), while `KEYS`, `EXISTS`, `TTL` and the rest no longer see it.',
  'INCRBYFLOAT computes in the 80-bit x87 long double of Redis built for x86-64 (the oracle), exactly; a Redis built where ' +
    'long double is 128-bit (aarch64) can print different digits for the same inputs.',
  'Hashes: a hash Redis keeps as a listpack (up to 512 fields, none longer than 64 bytes) lists its fields in insertion ' +
    'order, and so does the engine; once Redis converts it to a hashtable it lists them in its dict\'s order (a random ' +
    'per-process hash seed), while the engine keeps insertion order (the golden and live suites compare those replies as ' +
    'sets, `~sorted` and `~sortedpairs`). `HRANDFIELD` draws from the node\'s seeded random stream; a negative count beyond ' +
    'the hash\'s size whose reply would exceed 64 MiB is refused with an engine error, where Redis streams the reply ' +
    'whatever its size. HINCRBYFLOAT computes as INCRBYFLOAT does (above). `HSCAN` is not in yet.',
  'Persistence (RDB: strings, lists and hashes so far): `SAVE`, `LASTSAVE`, `DUMP` and `RESTORE` write and read the bytes ' +
    'Redis 7.0.15 writes (LZF included; a list node by node, inner nodes compressed by `list-compress-depth` included), and ' +
    'read the older encodings Redis 7.0 still reads (linked lists, ziplists, quicklists of ziplists, zipmaps, hash ziplists), ' +
    'converting them as it does. A hash in hashtable encoding is written in the engine\'s order (insertion), Redis writes ' +
    'its dict\'s order: the same pairs. Payloads and files are checked as Redis checks them by default ' +
    '(`sanitize-dump-payload no`), with one difference: a listpack whose header passes those checks but whose entries ' +
    'cannot be read, or a hash holding a field twice or an odd number of entries, is accepted by Redis (which may crash ' +
    'when a command reads it) and refused by the engine with the answer and log lines of `sanitize-dump-payload yes`. ' +
    'A key of another type makes `SAVE` answer `ERR SAVE failed: <type> values cannot be written to an ' +
    "RDB file by this engine yet (see the node's log)` (the file is left as it was) and `DUMP` answer `ERR DUMP of <type> values " +
    'is not supported by this engine yet`, each with a warning in the log; `RESTORE` of such a payload answers `ERR RESTORE of ' +
    '<type> values is not supported by this engine yet`, and a dump.rdb holding one makes the node log why and stay down at ' +
    'start-up. `BGSAVE`, save points, AOF and `--data-dir` are not in yet.',
  'RDB files: keys are written in the engine\'s order (insertion order), not in the order of Redis\'s hash table; the ' +
    '`used-mem` AUX field is an estimate of Redis\'s memory use; loading takes no simulated time ("DB loaded from disk: 0.000 ' +
    'seconds"). When a dump.rdb cannot be loaded the node logs the lines Redis logs, but not the report of redis-check-rdb ' +
    '(which Redis prints on stdout, not in the log) nor, for a duplicated key, the bug report after "Guru Meditation". ' +
    '`RESTORE ... IDLETIME`/`FREQ` are checked as Redis checks them and have no effect (LRU and LFU are not modelled).',
  'CONFIG: `CONFIG GET`, `SET`, `RESETSTAT`, `REWRITE` and `HELP` know every parameter of Redis 7.0.15 (src/engine/config-table.ts) ' +
    'and answer as it does: types, memory units, bounds, aliases, immutable and protected parameters, several parameters ' +
    'in one `SET` (all or nothing). The engine acts on the parameters it has a use for (encodings, `proto-max-bulk-len`, ' +
    '`lazyfree-lazy-expire`, the replication parameters, `hz`, `requirepass`); the others (`maxmemory` and eviction, `save`, `appendonly`, ' +
    '`port`, `bind`, `notify-keyspace-events`, `loglevel`, ...) are kept and shown but change nothing yet. ' +
    'A pattern lists parameters in the table\'s order, where Redis uses its dict\'s random per-process order (compared as ' +
    '`~sortedpairs`). `dir` is `/var/lib/redis/<port>`; TLS cannot be turned on (Redis\'s answer without a certificate); ' +
    '`RESETSTAT` zeroes every counter Redis zeroes (src/engine/stats.ts). Every node runs with `redis.conf` on its disk ' +
    '(empty when the node is added; INFO `config_file` is `<dir>/redis.conf`), read at each start as redis-server reads it ' +
    '(then serve\'s `--name value` directives, then the node\'s own `--port`); a bad line makes the node exit during ' +
    'start-up. Only the `default` user exists: a `user default` line takes `on`/`off`, `nopass`, `#<sha256>`/`>password`, ' +
    '(`skip-`)`sanitize-payload` and the all-keys/channels/commands rules; `include`, `rename-command` and `loadmodule` are ' +
    'refused. `CONFIG REWRITE` rewrites the file as Redis does (options in place, the others after "# Generated by CONFIG ' +
    'REWRITE"), appending in the table\'s order where Redis uses its dict\'s random order.',
];

function row(spec: CommandSpec): string {
  const done = isImplemented(spec.name);
  return `| \`${spec.name.replace('|', '\\|')}\` | ${spec.group} | ${done ? 'implemented' : 'not yet'} |`;
}

export function renderCompat(): string {
  const rows: string[] = [];
  let total = 0;
  let implemented = 0;
  for (const spec of COMMAND_TABLE) {
    const entries = spec.subcommands?.length ? spec.subcommands : [spec];
    for (const e of entries) {
      total++;
      if (isImplemented(e.name)) implemented++;
      rows.push(row(e));
    }
  }
  return `# Compatibility with Redis 7.0.15

Generated by \`scripts/gen-compat.ts\` from the command table (captured from ${CAPTURED_FROM}) and the
engine's handlers; do not edit by hand (\`npx tsx scripts/gen-compat.ts\`).

${implemented} of ${total} commands and subcommands are implemented. Those are checked byte for byte against real
Redis by the golden transcripts (\`tests/golden/\`) and the live differential tests (\`tests/live/\`).

## Differences

${NOTES.map((n) => `- ${n}`).join('\n')}

## Commands

| command | group | status |
| --- | --- | --- |
${rows.join('\n')}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.mkdirSync(path.dirname(COMPAT_PATH), { recursive: true });
  fs.writeFileSync(COMPAT_PATH, renderCompat());
  console.log(`wrote ${path.relative(process.cwd(), COMPAT_PATH)}`);
}
