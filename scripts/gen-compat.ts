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
  '`COMMAND`, `COMMAND COUNT`, `INFO`, `DOCS` and `LIST` answer from the table captured from redis-server 7.0.15: all 240 ' +
    'commands, the ones marked "not yet" below included (they answer as unknown commands when called). Where Redis lists ' +
    'commands or a container\'s subcommands in its dict\'s order (random per process), the engine uses the captured order. ' +
    '`COMMAND GETKEYS` and `GETKEYSANDFLAGS` find keys as ACL does, by key spec or by the command\'s getkeys procedure.',
  '`npm run serve`: `--log-dir DIR` writes each node\'s log to DIR/<port>.log, `--data-dir DIR` keeps each node\'s files ' +
    'in DIR/<port>/, and `--<directive> <value>` sets a directive on every node as redis-server takes it (a bad one stops ' +
    'serve with redis-server\'s FATAL CONFIG FILE ERROR report). The hosts run the world in slices of host time (8 ms in ' +
    'the browser, 20 ms under serve): when a big full sync needs more, virtual time falls behind wall time. The SIM language (UI buttons, `--control-port`) has NODES, ADD, REMOVE, ' +
    'KILL, START, PAUSE, RESUME, SPEED, STEP, TIME, PARTITION, HEAL, RESET, LATENCY, BANDWIDTH, LINKS, SEED, DISK, LOAD and HELP. ' +
    '`SIM DISK port [file]` lists a node\'s files or returns one\'s bytes; `SIM LOAD port <rdb>` puts the bytes on the node\'s ' +
    'disk under its dbfilename and starts it from them (killed first, so nothing is saved over them; `redis-cli -x` carries a ' +
    'file to the control port; the page\'s file picker and drag and drop send the same command). `SIM SEED n` starts a fresh ' +
    'world in the page and forgets the world the page keeps in IndexedDB (every node\'s disk and the node list, restored at ' +
    'the next load, each node started from its redis.conf and dump.rdb); under serve it answers that serve must be restarted with `--seed n`.',
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
    '`client_recent_max_*_buffer` and `reply_buffer_*` (clientsCron), eviction, defrag, ' +
    '`rejected_connections` (maxclients is ' +
    'not enforced). The fork\'s progress is reported as Redis reports it (`current_save_keys_processed` from the child\'s ' +
    'report at its first key and then every 1024 keys at most once a second, read by the parent once a second); its ' +
    'copy-on-write sizes (`current_cow_*`, `rdb_last_cow_size`, the child\'s "Fork CoW" line) are a model: the memory of ' +
    'the values the parent changed while the child ran, in 4 KB pages, where Redis reads the child\'s private dirty memory ' +
    'from /proc (a few hundred KB even with no writes). The golden and live suites compare INFO and CLIENT LIST with `~info`: names and order exact, values ' +
    'exact but those that differ between two real servers (tests/support/transcript.ts).',
  '`CLIENT`: ID, SETNAME, GETNAME, INFO, LIST (TYPE, ID), KILL (the old address form and ID, TYPE, ADDR, LADDR, USER, ' +
    'SKIPME), NO-EVICT, REPLY ON|OFF|SKIP and HELP answer as in 7.0.15; `CLIENT KILL TYPE master` on a replica drops its ' +
    'master link, which reconnects with a partial resync. Flags shown: O, S, M, P, x, b, d, c, e, with `sub`, `psub` and ' +
    '`ssub` counted, and `TYPE pubsub` for LIST and KILL. There are no users but `default` ' +
    '(`USER` matches it or answers `No such user`); `laddr` is the node\'s address for every ' +
    'connection, the master link included (Redis shows that socket\'s local port). UNBLOCK, PAUSE (WRITE and ALL) and ' +
    'UNPAUSE answer as in 7.0.15 (src/engine/blocking.ts, src/engine/pause.ts), with one refusal: `CLIENT UNBLOCK id TIMEOUT` ' +
    'of a client that a pause postponed or that waits in SHUTDOWN makes 7.0.15 panic ("Unknown btype in ' +
    'replyToBlockedClientTimedOut()", the process dies); the engine answers `ERR CLIENT UNBLOCK TIMEOUT of a paused or ' +
    'SHUTDOWN-blocked client crashes Redis 7.0.15 (Unknown btype); not supported by this engine` and leaves the client as it ' +
    'is. A client blocked by DEBUG SLEEP (which stops the whole process in Redis) is not unblocked (0). TRACKING, ' +
    'CACHING, GETREDIR and TRACKINGINFO are not in yet.',
  'Blocking commands: BLPOP, BRPOP, BLMPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZPOPMAX and BZMPOP as 7.0.15 (blocked.c): a ' +
    'client blocks on its keys until a write gives one of them a value of its type; clients are served after each command ' +
    '(a MULTI/EXEC as a whole, each command of the master\'s stream on a replica) in the order they blocked, and a served ' +
    'BLMOVE may serve the next client in turn; what serving does is propagated as the non-blocking form (LPOP/RPOP key, ' +
    'LPOP/RPOP key count, LMOVE ... left|right, RPOPLPUSH, ZPOPMIN/ZPOPMAX key [count]), checked against a real master\'s ' +
    'stream. Timeouts are in virtual time and checked where Redis checks them (before the node sleeps: after each read and ' +
    'each cron tick), so a 0.1 s timeout ends at the first check after it; float timeouts are read as a C long double, ' +
    'with the same errors. Inside MULTI/EXEC a blocking command answers at once as a timeout would. A key that changes type ' +
    'keeps its clients waiting; CLIENT KILL, CLIENT UNBLOCK (TIMEOUT or ERROR, counted as a failed call as in 7.0.15) and ' +
    'REPLICAOF (-UNBLOCKED, the connection closed) end a wait. A writable replica serves its own blocked clients from its ' +
    'master\'s stream (diverging from its master, as in Redis). Clients whose timeouts end in the same millisecond time ' +
    'out in the order of their ids (Redis orders them by the client\'s address in memory).',
  'Client pauses: CLIENT PAUSE and FAILOVER postpone the commands of every client but replicas (the master link of a ' +
    'replica included, so its offset stops) as 7.0.15 does: ALL postpones every command, WRITE those that write or may ' +
    'replicate and an EXEC with one queued, before MULTI would queue them. A pause ends at the first check after its time ' +
    '(each cron tick and the lookups that would expire a key); while it lasts keys do not expire and no GETACK is sent.',
  'Transactions: MULTI, EXEC and DISCARD as 7.0.15 (QUEUED, errors while queueing abort EXEC with EXECABORT, commands ' +
    'flagged no-multi refused, replies of EXEC, MULTI/EXEC around two or more propagated writes, checked against a real ' +
    'master\'s stream). WATCH and UNWATCH: EXEC answers a null array when a watched key changed since WATCH. A command that ' +
    'changed the dataset touches the keys it wrote (set, deleted, a TTL set or removed, a value taken for writing), as ' +
    'signalModifiedKey does: DEL of a watched key that did not exist, among others that did, or SADD of a member already ' +
    'there, touch nothing (the watch-keys golden); expiry, FLUSHDB, FLUSHALL and SWAPDB touch the watched keys they find, ' +
    'as in Redis, and so do a replica\'s full sync, DEBUG RELOAD and DEBUG LOADAOF. A key that had already expired when ' +
    'it was WATCHed is 7.0\'s special case: its deletion (a lookup, FLUSHDB, SWAPDB with a database that lacks it) is no ' +
    'change, while a key that expires after WATCH makes EXEC fail (the watch-expired golden).',
  'Replication (issue 6, in progress): REPLICAOF/SLAVEOF, ROLE, REPLCONF, SYNC/PSYNC, full syncs (diskless and disk), partial ' +
    'resyncs, the backlog with 7.0\'s block model, timeouts, chained replicas, promotion, WAIT, FAILOVER, SHUTDOWN (waiting ' +
    'for lagging replicas with writes paused meanwhile, saving when save points are set), MONITOR, client-output-buffer-limit for replicas (a socket ' +
    'holds 512 KB; the rest waits in the shared buffer) and a master restarted from its RDB work as in Redis 7.0.15. A ' +
    'replica\'s load of a full sync takes virtual time (54 bytes per microsecond, as measured) with LOADING meanwhile; the ' +
    'master\'s fork writes its RDB at 58 bytes per microsecond, a piece at a time from a copy-on-write snapshot of the ' +
    'dataset at the fork (src/engine/keyspace/snapshot.ts), so writes meanwhile reach the replicas\' streams and never ' +
    'the RDB. A diskless transfer streams the pieces as the child writes them. ' +
    '`repl-diskless-load swapdb` serves the old data while loading the same history (`async_loading:1`). A diskless load ' +
    '(on-empty-db, swapdb) starts at the `$EOF:` line, as Redis parses while it reads the socket: its flush, "Loading DB in ' +
    'memory" and the RDB\'s AUX lines come then, the keys once the payload is whole; a master that goes away or falls silent ' +
    'for repl-timeout makes it fail with Redis\'s short-read lines (tests/live/diskless-load-cut.test.ts). The offset in ' +
    '"Internal error in RDB reading offset N" is where the read that last crossed a multiple of 2 MB began, as Redis ' +
    'computes it (the reader follows rdbLoad\'s reads); the failure line ends in "Operation now in progress" (errno left by ' +
    'the connect), where Redis prints "Resource temporarily unavailable" when it served a client at one of those crossings. ' +
    'Redis blocks in that read and serves its clients only at those crossings (an INFO sent meanwhile is answered after the ' +
    'load when the RDB is smaller); the engine answers them at once (LOADING, or the old data under swapdb\'s async loading), ' +
    'and so during the load of a disk-based sync, where Redis also answers only at those points (some tens of ms apart). ' +
    'A replica authenticates with `masterauth`, as `masteruser` when set, against the master\'s ACL users.',
  'Connections: `HELLO` (protocol 2 or 3, `AUTH`, `SETNAME`, before AUTH too) switches a connection to RESP3, where every ' +
    'implemented command answers with RESP3\'s types as 7.0.15 does (nulls, maps, sets, doubles, verbatim strings, pushes; ' +
    'the resp3 golden runs each once). `RESET` answers as 7.0.15: out of MULTI, WATCH, MONITOR and pub/sub, RESP2, db 0, ' +
    'no name, CLIENT REPLY ON, the default user (authenticated only without a password); like 7.0.15 it leaves CLIENT ' +
    'NO-EVICT on. MONITOR shows the arguments of AUTH and of HELLO\'s AUTH as `"(redacted)"`.',
  'Pub/sub: SUBSCRIBE, PSUBSCRIBE (Redis\'s glob), SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH, SPUBLISH and PUBSUB CHANNELS, ' +
    'NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB and HELP answer as 7.0.15, in RESP2 (with its subscribed context: only ' +
    '(P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET) and RESP3 (pushes). Messages and (un)subscription replies ' +
    'reach a client even under CLIENT REPLY OFF, as in Redis. PUBLISH and SPUBLISH are propagated to replicas, which ' +
    'deliver them to their own subscribers, and wait while writes are paused. Where Redis follows a hash table\'s random ' +
    'order the engine follows the order of subscription: UNSUBSCRIBE/SUNSUBSCRIBE with no argument, PUBSUB CHANNELS, and ' +
    'the pmessages of one channel matching several patterns (one per pattern, as in Redis). A slow subscriber is never ' +
    'dropped: `client-output-buffer-limit pubsub` is not enforced.',
  'Keyspace notifications follow `notify-keyspace-events` (every class letter, K and E channels, `new` and `keymiss`, ' +
    '`expired` from lazy and active expiry), sent by the string, list, hash, set, sorted set, bitmap, HyperLogLog, geo, generic and RESTORE commands ' +
    'with 7.0.15\'s event names, in its order relative to the replies (checked by the notify, zset-notify, set-notify and ' +
    'geo-notify goldens on a RESP3 connection subscribed to its own events), and by the stream commands (golden ' +
    'stream-notify: a consumer that XREADGROUP, XCLAIM or XAUTOCLAIM creates notifies inside their replies, where Redis ' +
    'writes that push). Not sent: `evicted` (there is no eviction).',
  'Terminal (redis-cli in the page): it behaves as redis-cli 7.0.15 in a terminal: replies formatted as cliFormatReplyTTY ' +
    'formats them, INFO, CLIENT LIST and the other text replies printed raw, MONITOR and SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE ' +
    'streaming until Ctrl-C (then, as redis-cli 7.0, a new connection with the database selected again and the prompt), ' +
    'help, hints and TAB completion built from the server\'s COMMAND DOCS, `:set hints`, `connect host port`, `clear`, ' +
    'history without the lines that hold passwords, and the `(N.NNs)` line after a line that took half a second. ' +
    'Differences: `quit`/`exit` close the connection and keep the terminal, and so does the server closing it during ' +
    'MONITOR or SUBSCRIBE (redis-cli exits); Ctrl-C on a blocking command drops the connection and connects again with a ' +
    'prompt (redis-cli exits); the `(N.NNs)` line measures virtual time as the page knows it (to within a frame), where ' +
    'redis-cli measures wall time; COMMAND DOCS is asked at the first connection that succeeds (redis-cli asks once at ' +
    'start and falls back to its built-in help.h when the server is down then); only 127.0.0.1 and localhost reach the ' +
    'world\'s nodes.',
  'SLOWLOG GET, LEN, RESET and HELP as slowlog.c: entries newest first, arguments trimmed (32 of them, 128 bytes each), ' +
    'AUTH and HELLO passwords as "(redacted)", a script\'s commands with the peer "?:0", EXEC left out and its commands ' +
    'logged one by one, a blocked command logged when it is answered. A command\'s duration is the virtual time it held ' +
    'the node: 0 for every command but DEBUG SLEEP, so with the default slowlog-log-slower-than (10 ms) the log stays ' +
    'empty, and with 0 every command is logged with a duration of 0 where Redis measures a few microseconds.',
  'LATENCY DOCTOR, GRAPH, HISTORY, LATEST, RESET, HISTOGRAM and HELP as latency.c: events are recorded from virtual ' +
    'time, so the only ones are "command" and "fast-command" samples of a command that holds the node (DEBUG SLEEP) at or ' +
    'above latency-monitor-threshold; no fork, expire-cycle, AOF or eviction events. DOCTOR writes Redis\'s report and ' +
    'advice for them (a simulated process has no transparent huge pages). HISTOGRAM lists every command called while ' +
    'latency-tracking was on with all its calls in the first bucket, reported as 1 microsecond; the real server\'s ' +
    'buckets follow its real latencies.',
  'MEMORY USAGE counts a key\'s allocations in jemalloc\'s size classes as objectComputeSize does: exact (the memory ' +
    'golden, 278 steps) for strings, lists, listpack hashes and sorted sets, intsets, hash tables of same-sized elements ' +
    'and streams with their groups; estimated for a dict in the middle of an incremental rehash (Redis\'s progress follows ' +
    'its random hash seed), sampled elements of different sizes (Redis samples in its dict order), skiplist nodes (their ' +
    'levels are random in Redis; taken at level 1 here), strings grown by APPEND or SETRANGE (Redis keeps spare room) and ' +
    'stream nodes loaded from an RDB. MEMORY STATS gives INFO memory\'s model figures under Redis\'s names and in its ' +
    'order (the memory-stats golden checks fields and types, not values). MEMORY DOCTOR writes Redis\'s report from the same ' +
    'model (a real server holding 100,000 small keys may report a high RSS the model does not have). MEMORY PURGE ' +
    'answers OK. Not in yet: MEMORY MALLOC-STATS (jemalloc\'s own statistics text).',
  'Cluster and modules: a simulated node runs without cluster support and without modules, and answers as such a ' +
    'redis-server does: every CLUSTER subcommand, READONLY, READWRITE and ASKING say cluster support is disabled; MODULE ' +
    'LIST is empty; MODULE LOAD, LOADEX and UNLOAD are protected by enable-module-command and, when allowed, fail as dlopen ' +
    'fails for a library the machine does not have (a file of the node\'s disk is "not executable"), with Redis\'s log ' +
    'lines. TIME reads the node\'s clock (virtual time). LOLWUT prints 7.0.15\'s version line and, with VERSION 5 or 6, draws ' +
    'Schotter or the skyline from glibc\'s rand() stream seeded as Redis seeds it at start-up (start time ^ pid ^ microseconds, ' +
    'in virtual time), so a seed gives real Redis\'s picture (tests/live/lolwut.test.ts finds a real server\'s seed and compares). ' +
    'In Redis SRANDMEMBER on an intset, HRANDFIELD, ZRANDMEMBER and LFU counters draw from that stream too; in the engine they ' +
    'draw from the node\'s seeded stream, so after them the pictures of the two part ways.',
  'Client-side caching (src/engine/tracking.ts): CLIENT TRACKING with REDIRECT, BCAST and PREFIX, OPTIN/OPTOUT with ' +
    'CLIENT CACHING, NOLOOP; CLIENT GETREDIR and TRACKINGINFO; invalidations as RESP3 pushes or, redirected, as messages ' +
    'of __redis__:invalidate to a subscribed RESP2 connection, after the reply of the client\'s own command, null ones on ' +
    'FLUSHDB/FLUSHALL, BCAST ones once per event loop cycle, `tracking-redir-broken`; the t/R/B flags and redir= of ' +
    'CLIENT LIST; the tracking_* INFO fields; tracking-table-max-keys (the keys forgotten are picked from the node\'s ' +
    'seeded stream, where Redis walks its radix tree at random). tests/live/tracking.test.ts compares about 120 steps on ' +
    'nine connections with the real server byte for byte, messages included.',
  'MIGRATE sends RESTORE commands with DUMP payloads over a connection it caches per host:port (closed after 10 s unused, ' +
    'counted in `migrate_cached_sockets`), and the source process waits inside the command, as redis-server does, while the ' +
    'world goes on: a command another client sends meanwhile is answered after it; connect, write and read timeouts, the ' +
    'single retry on a connection the target closed, and the DEL it propagates are Redis\'s (tests/live/migrate.test.ts ' +
    'compares every reply with two real servers; tests/scenarios/migrate.test.ts the timing). A write blocks once more than ' +
    '256 KB wait to leave (a model of the kernel\'s send buffer). Under `npm run serve`, MIGRATE reaches only the world\'s own ' +
    'nodes: a blocking call cannot wait on a real socket, so to another address it answers `-IOERR error or timeout ' +
    'connecting to the client`.',
  'Log lines: the start-up lines are printed as Redis 7.0.15 prints them, in UTC; the host-specific warnings real Redis adds ' +
    '(overcommit_memory, THP) are not simulated.',
  '`KEYS` lists keys in the order they were created, not in the order of Redis\'s hash table (which follows a random per-process ' +
    'hash seed, so it differs between two real servers too); `RANDOMKEY` draws from the node\'s seeded random stream, so it picks ' +
    'other keys than a real server would. The golden and live suites compare those replies as sets (`~sorted`) or by kind (`~type`).',
  'Expiry: a key whose time has passed is deleted when a command touches it, and by the active expiry cycle of expire.c ' +
    '(src/engine/expire.ts): the slow cycle at every serverCron tick (`hz`), the fast one before the event loop sleeps, ' +
    'Redis\'s sampling (20 keys a database at a time, again while more than 10% of a sample had expired, ' +
    '`active-expire-effort`), only on a master and never while clients are paused; each deletion counts in `expired_keys` ' +
    'and goes to the replicas as a bare DEL (UNLINK with `lazyfree-lazy-expire`). A replica never expires its master\'s ' +
    'keys: it hides them until the DEL comes; a writable replica expires the keys it gave a TTL itself ' +
    '(`slave_expires_tracked_keys`). `avg_ttl` and `expired_stale_perc` are Redis\'s running estimates. Where Redis ' +
    'differs by nature: its cursor walks the expires dict in its hash order, the engine\'s an order of its own with the ' +
    'same sweep (keyspace/expire-order.ts), without Redis\'s pause on a dict under 1% full; and a command takes no virtual ' +
    'time, so the cycle\'s time limit (25% of a cron period, 1 ms for the fast cycle) counts 1 µs of CPU per sampled key ' +
    '(measured on redis-server 7.0.15: 1.6 to 2.3 µs), which is also what `expire_cycle_cpu_milliseconds` and ' +
    '`expired_time_cap_reached_count` follow. `DEBUG SET-ACTIVE-EXPIRE 0` stops the cycle. Between cycles `DBSIZE` counts ' +
    'keys whose time has passed (as Redis does), while `KEYS`, `EXISTS`, `TTL` and the rest no longer see them.',
  '`SCAN`, `HSCAN`, `SSCAN` and `ZSCAN` answer as Redis where Redis is deterministic: a listpack hash or zset and an intset ' +
    'come whole in one reply with cursor 0, in their order, whatever the cursor; the options, filters (MATCH, TYPE, expired ' +
    'keys deleted as they are met, bare DELs) and errors are Redis\'s. Over a hash table (the keyspace, a hashtable hash or ' +
    'set, a skiplist zset) Redis\'s cursor is a bucket position in its dict (a random per-process hash seed, so two real ' +
    'servers cut a scan differently); the engine keeps SCAN\'s contract with a cursor of its own (commands/scan.ts): ' +
    'every element present for the whole scan comes at least once (exactly once when nothing changes), COUNT elements at ' +
    'a time, cursor 0 with the last ones. A scan\'s state is kept for the last 1023 cursors handed out; an older or made-up ' +
    'cursor resumes at the position its number encodes. The golden and live suites compare such scans as wholes (`~scan`).',
  '`SORT`/`SORT_RO` follow sort.c to the order of ties (a stable sort, and the partial quicksort of pqsort.c with BY and ' +
    'LIMIT) and the destructive conversion of a listpack zset to a skiplist; ALPHA compares as strcoll does in the C and ' +
    'C.UTF-8 locales (bytes up to a NUL). A hashtable set sorted BY a constant without STORE keeps the engine\'s set ' +
    'order. Not modelled: after a weight out of a double\'s range, a real server can refuse a later numeric SORT of ' +
    'non-integer strings on the same connection (strtod leaves errno at ERANGE and sort.c never clears it).',
  '`OBJECT`: ENCODING, REFCOUNT (INT_MAX for the shared integers 0..9999, as Redis, judged from the policy of the ' +
    'moment), IDLETIME and FREQ from an access time kept on every value as evict.c keeps it (the LRU clock of the last ' +
    'cron tick, or the LFU counter drawn from the node\'s seeded random stream); the shared integers share one access ' +
    'time per node, as in Redis; nothing is touched while a fork\'s child runs.',
  '`DEBUG` (refused unless `enable-debug-command` allows it, as in 7.0.15): HELP, DIGEST and DIGEST-VALUE (the same digits ' +
    'as Redis for the same data), OBJECT (the address is made up; `serializedlength` is the RDB length), SDSLEN (not for a ' +
    'raw string), POPULATE, PROTOCOL, RELOAD (with its log lines), SET-ACTIVE-EXPIRE, QUICKLIST-PACKED-THRESHOLD, ' +
    'CHANGE-REPL-ID, REPLICATE, ERROR, LOG, LEAK, STRUCTSIZE, STRINGMATCH-TEST (100,000 rounds where Redis runs 1,000,000), ' +
    'PAUSE-CRON, REPLYBUFFER, DROP-CLUSTER-PACKET-FILTER, AOF-FLUSH-SLEEP and SET-DISABLE-DENY-SCRIPTS answer as Redis ' +
    '(the last ones have nothing to act on here). `DEBUG SLEEP n` stops the node for n seconds of virtual time: the world ' +
    'goes on, nothing of the node runs meanwhile (cron, replies, replication; what arrives waits in order) and its reply ' +
    'comes after; on a host where no time passes (unit tests) it answers at once. LOADAOF with appendonly off makes the ' +
    'node exit, as redis-server exits. Refused with `ERR DEBUG <what> is not supported by this engine`: SEGFAULT, PANIC, ' +
    'ASSERT, OOM, RESTART, CRASH-AND-RECOVER (use SIM KILL and SIM START), LISTPACK and QUICKLIST (they print to stdout), ' +
    'HTSTATS and HTSTATS-KEY (chain lengths follow the hash seed), MALLCTL, MALLCTL-STR, SET-SKIP-CHECKSUM-VALIDATION, ' +
    'CLIENT-EVICTION with `maxmemory-clients` set, CONFIG-REWRITE-FORCE-ALL with a config file, and POPULATE of more than ' +
    '20,000,000 keys.',
  'INCRBYFLOAT computes in the 80-bit x87 long double of Redis built for x86-64 (the oracle), exactly; a Redis built where ' +
    'long double is 128-bit (aarch64) can print different digits for the same inputs.',
  'Hashes: a hash Redis keeps as a listpack (up to 512 fields, none longer than 64 bytes) lists its fields in insertion ' +
    'order, and so does the engine; once Redis converts it to a hashtable it lists them in its dict\'s order (a random ' +
    'per-process hash seed), while the engine keeps insertion order (the golden and live suites compare those replies as ' +
    'sets, `~sorted` and `~sortedpairs`). `HRANDFIELD` draws from the node\'s seeded random stream; a negative count beyond ' +
    'the hash\'s size whose reply would exceed 64 MiB is refused with an engine error, where Redis streams the reply ' +
    'whatever its size. HINCRBYFLOAT computes as INCRBYFLOAT does (above).',
  'Bitmaps and HyperLogLogs are strings, kept byte for byte as Redis 7.0.15 keeps them (GET, DUMP and replicas see the ' +
    'same bytes: the HLL header with its cached cardinality, the sparse opcodes as Redis splits and merges them, the ' +
    'promotion to dense at `hll-sparse-max-bytes`, the dense 6-bit registers, MurmurHash64A and the count of hllCount), ' +
    'and every command answers and propagates as the oracle does, the quirks included (BITFIELD ... OVERFLOW FAIL still ' +
    'creates or grows the key and propagates nothing; PFCOUNT of one key propagates itself when it rewrote the cached ' +
    'count; an estimate beyond INT64_MAX counts as -9223372036854775808). The oracle, Debian\'s 7.0.15-1~deb12u10, ' +
    'carries the CVE-2025-32023 fix: a sparse HLL whose opcodes run past register 16383 is corrupt (INVALIDOBJ) even ' +
    'where upstream 7.0.15 read it; the engine follows the oracle. `PFSELFTEST` runs Redis\'s test with the node\'s ' +
    'seeded random stream and takes about a second of host time (0.4 s in Redis). A string cannot grow past what a ' +
    'JavaScript typed array holds (4 GiB): with `proto-max-bulk-len` raised beyond that, a SETBIT or BITFIELD that would ' +
    'need more answers the engine\'s internal error where Redis allocates. Redis reads one byte past a sparse HLL whose ' +
    'last opcode is half an XZERO (its NUL terminator, or what a PFADD wrote there); the engine keeps that byte too, ' +
    'except after a SETRANGE that did not grow the string (it reads 0 there).',
  'Sets: an intset (every member an integer within int64, up to `set-max-intset-entries`) lists its members by value, ' +
    'exactly as Redis does; once Redis makes a set a hashtable (a member that is not such an integer, or one member too ' +
    'many; never back) it lists it in its dict\'s order (a random per-process hash seed), while the engine keeps insertion ' +
    'order, an intset\'s members first when it converts (the golden and live suites compare those replies as sets, ' +
    '`~sorted`). The encodings, and an intset\'s record width (2, 4 or 8 bytes, never narrowed by a removal), follow ' +
    't_set.c, so `DUMP` of an intset is byte for byte Redis\'s. `SPOP` and `SRANDMEMBER` draw from the node\'s seeded random ' +
    'stream, with Redis\'s cases (which members, and so which SREMs `SPOP` with a count propagates, are chance on both); ' +
    '`SRANDMEMBER` with a negative count beyond the set\'s size whose reply would exceed 64 MiB is refused with an engine ' +
    'error, where Redis streams the reply whatever its size. In RDB files and payloads a hashtable ' +
    'set is written in the engine\'s order (the same members); an intset blob whose records are not strictly ascending ' +
    '(out of order or repeated) is accepted by Redis with `sanitize-dump-payload no` (its lookups then misread it) and ' +
    'refused by the engine with the answer and log lines of `sanitize-dump-payload yes`.',
  'Sorted sets: the order (score, then member bytes), the encodings (a listpack up to `zset-max-listpack-entries` members ' +
    'none longer than `zset-max-listpack-value` bytes, else a skiplist; STORE results and loaded values become listpacks ' +
    'again when small enough, as t_zset.c decides) and every score as Redis prints it (`%.17g` with glibc\'s rounding, `inf`; ' +
    'a -0 score reads back as 0 from a listpack and stays -0 in a skiplist) are Redis\'s, so replies, `DUMP` (a listpack, ' +
    'or a skiplist from its highest score down) and RDB files are byte for byte the same; `ZUNION`/`ZINTER` sums add in ' +
    'Redis\'s order (the inputs by size, stably). Redis keeps a skiplist with random levels and the engine a B+tree, so ' +
    'where Redis\'s answer depends on those levels the engine gives a fixed one: lex ranges (`BYLEX`, `ZRANGEBYLEX`, ' +
    '`ZLEXCOUNT`, `ZREMRANGEBYLEX`) over a skiplist whose members do not all have the same score (a listpack is scanned ' +
    'from its start, as Redis scans it). `ZRANDMEMBER` draws from the node\'s seeded random stream with Redis\'s cases (a ' +
    'count at least the size lists the whole zset from its highest score down, as Redis does); a negative count whose ' +
    'reply would exceed 64 MiB is refused with an engine error, where Redis streams the reply whatever its size. A loaded ' +
    'listpack Redis keeps as its bytes, the engine as members and scores: one made by hand (or converted from an old ' +
    'ziplist) whose scores are not written as 7.0 writes them (`1.50`, `1e+17` for an integer) or whose pairs are out of ' +
    'order comes back from `DUMP` in Redis\'s form and order, and one with a score that reads as NaN (which Redis accepts ' +
    'even with deep sanitization) is refused. `BZPOPMIN`, `BZPOPMAX` and `BZMPOP` are not in yet.',
  'Geo commands (GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and the _RO ' +
    'forms) are sorted sets of 52-bit geohash scores, computed as geo.c and geohash*.c compute them: the same scores, ' +
    'positions, cells searched, members found (with `COUNT ... ANY` too), order of equal distances (glibc\'s qsort, a ' +
    'stable merge sort, or Redis\'s pqsort with COUNT) and distances to the last bit. The haversine uses the oracle\'s ' +
    'libm: glibc 2.36\'s sin, cos and asin as its FMA builds compute them (selected on x86-64 CPUs with FMA), emulated ' +
    'with their own constant tables (src/engine/geo/libm.ts); a redis-server on another libm, or on a CPU without FMA, ' +
    'may give a distance (a `STOREDIST` score, rarely a 4-decimal one) that differs in its last bit. GEOADD is propagated ' +
    'as the ZADD it runs, as Redis does.',
  'Persistence (RDB: every type, streams with their groups and PELs included (tests/live/rdb-stream.test.ts), and the function libraries): `SAVE`, `LASTSAVE`, `DUMP` and `RESTORE` write and read the bytes ' +
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
    'start-up. `BGSAVE` (with `SCHEDULE`; "scheduled" inside EXEC, "already in progress" while any RDB child runs, a ' +
    'replication fork included), the save points of the `save` directive in serverCron (with the 5-second retry after a ' +
    'failed save and MISCONF for writes and PING after one), the parent reaping its child in the cron, SHUTDOWN and FLUSHALL ' +
    'killing a running child (SIGUSR1, with the child\'s signal-handler line) and a replica killing its own before it loads ' +
    'work as in 7.0.15. The child writes the dataset of the fork instant, the same bytes a SAVE then would write, over ' +
    'virtual time. A save fails only on a value the engine cannot write ("Background saving error"). ' +
    'AOF (src/engine/aof/): with `appendonly yes` at start-up a node keeps the multi-part AOF of 7.0 in `appenddirname` ' +
    '(manifest, a base written at start as an RDB with aof-base 1, or empty under aof-use-rdb-preamble no, and the incr ' +
    'file), appends every propagated command with its own SELECT and `#TS:` annotations under aof-timestamp-enabled ' +
    '(PUBLISH stays out), loads it at start-up instead of dump.rdb with Redis\'s lines, and refuses to start on a bad ' +
    'manifest, a missing file, an unknown command, a bad format or a cut file (truncated and loaded under ' +
    'aof-load-truncated yes), with Redis\'s lines; tests/live/aof.test.ts compares the files byte for byte with ' +
    'redis-server 7.0.15 and the load after a restart. Rewrites fork a child that writes the new base as an RDB over ' +
    'virtual time, then the parent renames it, makes the older files history and removes them, with Redis\'s lines: ' +
    'BGREWRITEAOF (started, scheduled behind another child or inside EXEC, already in progress), `CONFIG SET appendonly ' +
    'yes|no` at run time (the temp incr file of the first rewrite), auto-aof-rewrite-percentage/min-size, and a replica ' +
    'after its full sync (the AOF stops for the load and starts again with a rewrite); BGSAVE waits for an AOF child ' +
    '(SCHEDULE) or refuses, a replication fork is delayed, SHUTDOWN kills the child (or refuses during the first ' +
    'rewrite). tests/live/aof.test.ts runs all of it beside a real server: same files, same INFO fields, same lines. ' +
    'Under aof-use-rdb-preamble no the base is the commands that rebuild the dataset (SET, RPUSH/SADD/ZADD/HMSET by 64, ' +
    'XADD/XSETID/XGROUP/XCLAIM, PEXPIREAT, FUNCTION LOAD), byte for byte as Redis writes them where both iterate alike ' +
    '(keys, and members of hash tables and skiplists, come in the engine\'s order). ' +
    'An `appendonly.aof` of Redis before 7.0 (commands, with or without an RDB preamble) is moved into the directory ' +
    'as the base, as Redis upgrades it. `aof_last_cow_size` follows the engine\'s copy-on-write model, not the ' +
    'machine\'s. appendfsync is accepted and changes nothing observable here: what it decides shows only when a ' +
    'machine, not a process, crashes.',
  'RDB files: keys are written in the engine\'s order (insertion order), not in the order of Redis\'s hash table; the ' +
    '`used-mem` AUX field is an estimate of Redis\'s memory use; loading takes no simulated time ("DB loaded from disk: 0.000 ' +
    'seconds"). When a dump.rdb cannot be loaded the node logs the lines Redis logs, but not the report of redis-check-rdb ' +
    '(which Redis prints on stdout, not in the log) nor, for a duplicated key, the bug report after "Guru Meditation". ' +
    '`RESTORE ... IDLETIME`/`FREQ` set the access time as Redis sets it; the IDLE and FREQ records Redis writes in an RDB ' +
    'under an LRU or LFU `maxmemory-policy` are neither written nor applied here.',
  'CONFIG: `CONFIG GET`, `SET`, `RESETSTAT`, `REWRITE` and `HELP` know every parameter of Redis 7.0.15 (src/engine/config-table.ts) ' +
    'and answer as it does: types, memory units, bounds, aliases, immutable and protected parameters, several parameters ' +
    'in one `SET` (all or nothing). The engine acts on the parameters it has a use for (encodings, `proto-max-bulk-len`, ' +
    '`lazyfree-lazy-expire`, the replication parameters, `hz`, `requirepass`, `notify-keyspace-events`, `active-expire-effort`, ' +
    '`enable-debug-command`, and `maxmemory-policy` with `lfu-log-factor`/`lfu-decay-time` for the access times OBJECT reads); ' +
    'the others (`maxmemory` and eviction, ' +
    '`port`, `bind`, `loglevel`, ...) are kept and shown but change nothing yet. ' +
    'A pattern lists parameters in the table\'s order, where Redis uses its dict\'s random per-process order (compared as ' +
    '`~sortedpairs`). `dir` is `/var/lib/redis/<port>`; TLS cannot be turned on (Redis\'s answer without a certificate); ' +
    '`RESETSTAT` zeroes every counter Redis zeroes (src/engine/stats.ts). Every node runs with `redis.conf` on its disk ' +
    '(empty when the node is added; INFO `config_file` is `<dir>/redis.conf`), read at each start as redis-server reads it ' +
    '(then serve\'s `--name value` directives, then the node\'s own `--port`); a bad line makes the node exit during ' +
    'start-up. Only the `default` user exists: a `user default` line takes `on`/`off`, `nopass`, `#<sha256>`/`>password`, ' +
    '(`skip-`)`sanitize-payload` and the all-keys/channels/commands rules; `include`, `rename-command` and `loadmodule` are ' +
    'refused. `CONFIG REWRITE` rewrites the file as Redis does (options in place, the others after "# Generated by CONFIG ' +
    'REWRITE"), appending in the table\'s order where Redis uses its dict\'s random order.',
  'Scripting (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FUNCTION, FCALL, FCALL_RO) runs on the engine\'s own Lua 5.1 ' +
    'interpreter (src/engine/lua/: parser, Lua 5.1 tables laid out as ltable.c lays them, so pairs() and cjson.encode give ' +
    'Redis\'s order; the string, table, math, base, cjson, bit, struct and cmsgpack libraries; redis.* and globals ' +
    'protection), checked against 7.0.15 by the golden transcripts scripting and functions, a stream golden and a seeded live ' +
    'differential. Scripts replicate by their effects (each write through call(), two or more in MULTI/EXEC), as in 7.0. ' +
    'In the browser the interpreter is a chunk loaded on the first script, while virtual time holds. INFO memory counts ' +
    'cached scripts, functions and libraries; the memory they take (used_memory_scripts_eval, used_memory_functions, the ' +
    'Lua VMs\' sizes) is printed as for a server that has none. Differences: ' +
    'coroutines are not there (each coroutine.* call fails with an error saying so) and string.dump cannot dump; every NaN ' +
    'prints as `-nan` (x86\'s default NaN), where Redis prints `nan` for the NaNs some glibc functions return (log10 or ' +
    'acos out of their domain, tonumber(\'nan\')); math functions use JavaScript\'s Math, which may differ from glibc in ' +
    'the last bit; tostring of a table or function shows an address made up by the engine; collectgarbage(\'count\') and ' +
    'gcinfo() report a constant. A script runs in zero virtual time and alone: there is no busy mode (BUSY replies to other ' +
    'clients, SCRIPT KILL and FUNCTION KILL of a running script): a script still running after the steps standing for ' +
    'busy-reply-threshold (20,000 loop iterations or calls per millisecond) is stopped with an engine error, its writes kept, ' +
    'where Redis would let it run; SCRIPT KILL and FUNCTION KILL answer NOTBUSY. Recursion deeper than the JavaScript stack ' +
    'allows ends in Lua\'s "stack overflow" error sooner than Redis\'s 20,000 levels. SCRIPT DEBUG YES|SYNC (the Lua ' +
    'debugger) is refused with an engine error; SCRIPT DEBUG NO answers OK. A script\'s shebang flags are checked when it ' +
    'runs (scriptPrepareForRun), not before (Redis also applies them to the command\'s flags, so a writing script on a ' +
    'read-only replica is refused there with the generic READONLY error). Where Redis 7.0.15 crashes (pcall(error) with no ' +
    'argument, error() with a table that has no err field) the engine answers instead. ACL checks inside scripts, the OOM ' +
    'checks and cluster checks are not modelled (one default user, no maxmemory enforcement, no cluster). Function ' +
    'libraries are written to and read from RDB files (RDB_OPCODE_FUNCTION2) and travel in a full sync; a library that ' +
    'fails to load from an RDB is logged and skipped, where Redis stops the load.',
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
