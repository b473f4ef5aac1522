// RedisNode: one Redis server. It owns the clients connected to it and runs
// their commands through one dispatch path: RESP bytes in, replies out.
// It knows nothing of how bytes travel; a transport (the simulated network,
// a TCP socket, a terminal) feeds it and receives its replies.

import { Client, type BlockKind, type ClientTransport, type PeerAddress } from './client.ts';
import { ProtocolError } from './resp/request-reader.ts';
import { lookupCommand } from './commands/registry.ts';
import { Err } from './errors.ts';
import { fromLatin1, latin1, repr } from './bytes.ts';
import type { Logger } from './log.ts';
import { Keyspace, type KeyspaceClock } from './keyspace/keyspace.ts';
import type { RandomSource } from './random.ts';
import { NodeConfig } from './config.ts';
import { configValues } from './config-values.ts';
import { MemoryDisk, type Disk } from './disk.ts';
import { loadDataFromDisk, type LoadResult } from './rdb/persistence.ts';
import type { ForkedChild, NodeHost, Timer } from './host.ts';
import { Replication } from './replication/replication.ts';
import type { Command } from './commands/registry.ts';
import { STREAM_WORDS } from './replication/stream.ts';
import { Shutdown } from './shutdown.ts';
import { Failover } from './replication/failover.ts';
import type { ReplicationEventSink } from './replication/events.ts';
import { NodeStats } from './stats.ts';
import { BackgroundSave } from './rdb/bgsave.ts';
import { Acl } from './acl/acl.ts';
import { DENIED } from './acl/log.ts';
import { loadUsersAtStartup } from './acl/file.ts';
import { loadServerConfig, type ConfigLoadError } from './config-file.ts';
import { ActiveExpire } from './expire.ts';
import { PubSub } from './pubsub.ts';
import { notifyKeyspaceEvent, NOTIFY } from './notify.ts';
import { initialLru, lruClockAt, SHARED_INTEGERS } from './keyspace/lru.ts';
import { Blocking } from './blocking.ts';
import { ClientPause } from './pause.ts';
import { Slowlog } from './slowlog.ts';
import { LatencyMonitor } from './latency.ts';
import { GlibcRand, redisStartSeed } from './glibc-rand.ts';
import { MigrateSockets } from './migrate.ts';
import { AppendOnly } from './aof/append-only.ts';
import { Watches } from './watch.ts';
import { Tracking } from './tracking.ts';

export interface NodeOptions {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** 40 hex chars, new at every process start. */
  readonly runId: string;
  readonly log: Logger;
  /** The simulation's clock: the only time the node knows. */
  readonly clock: KeyspaceClock;
  /** This process's random stream, from the simulation's seeded RNG. */
  readonly random: RandomSource;
  /** The node's disk (dump.rdb, ...), which outlives the process; an empty one of its own when absent. */
  readonly disk?: Disk;
  /** The machine: timers, outbound connections and forks; without one (unit tests) there is no cron and no network. */
  readonly machine?: NodeHost;
}

/** A host for a node that is not part of any world: no time passes, nothing can be reached. */
const ISOLATED_HOST: NodeHost = {
  setTimer: () => ({ cancel() {} }),
  connect: () => ({ error: 'Network is unreachable' }),
  fork: () => {
    throw new Error('this node has no host to fork on');
  },
  exit: () => {},
};

/** A command waiting to be propagated (server.also_propagate). */
interface PendingOp {
  readonly db: number;
  readonly argv: readonly Uint8Array[];
  /** PROPAGATE_AOF as well as PROPAGATE_REPL (PUBLISH goes to replicas only). */
  readonly aof: boolean;
}

/** Read-only commands whose keys are not remembered for client-side caching (their scripts' reads remember the keys). */
const NOT_TRACKED_READS = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** execCommand's words for a queued command the ACL now denies, by ACL_DENIED_* reason. */
const EXEC_DENIAL_REASONS: Readonly<Record<number, string>> = {
  1: 'no permission to execute the command or subcommand',
  2: 'no permission to touch the specified keys',
  4: 'no permission to access one of the channels used as arguments',
};

/** What runs at once inside MULTI instead of being queued. */
const TRANSACTION_CONTROL = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/** What a RESP2 client subscribed to something may run (processCommand). */
const PUBSUB_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

/** Commands flagged CMD_TOUCHES_ARBITRARY_KEYS in 7.0.15 (a hidden flag: not in COMMAND INFO). */
const TOUCHES_ARBITRARY_KEYS = new Set(['randomkey', 'scan']);

/** stdin/out/err, the event loop, its pipes and the listening socket come first. */
const FIRST_CLIENT_FD = 7;
const DEL = Uint8Array.from([0x44, 0x45, 0x4c]);
const UNLINK = Uint8Array.from([0x55, 0x4e, 0x4c, 0x49, 0x4e, 0x4b]);


/** The side of a connection the transport holds: bytes in, close. */
export interface Connection {
  readonly clientId: number;
  receive(bytes: Uint8Array): void;
  /** The peer closed the connection or it broke. */
  close(): void;
}

export class RedisNode {
  private nextClientId = 1;
  private readonly clients = new Map<number, Client>();
  readonly config = new NodeConfig();
  /** The ACL users, the default user among them, the permission checks and the ACL log (acl/acl.ts). */
  readonly acl: Acl = new Acl(this);
  /** server.configfile: the absolute path of the config file the process was started with, null for none. */
  configFile: string | null = null;

  readonly keyspace: Keyspace;
  readonly disk: Disk;
  readonly host: NodeHost;
  readonly replication: Replication;
  readonly shutdown: Shutdown;
  readonly failover: Failover;
  /** Clients blocked on keys (BLPOP, ...) and the unblocked clients' queue (blocking.ts). */
  readonly blocking = new Blocking(this);
  /** CLIENT PAUSE and FAILOVER's pause, and the clients it postponed (pause.ts). */
  readonly pause = new ClientPause(this);
  readonly slowlog = new Slowlog(this);
  readonly latency = new LatencyMonitor(this);
  /** Virtual µs the node was held by the commands run so far (DEBUG SLEEP): a command's duration for the slow log. */
  heldUs = 0;
  /** LASTSAVE: unix seconds of the last successful save; the start time before any (initServer). */
  lastSave: number;
  /** server.dirty: changes to the dataset; a command that moved it is propagated. */
  dirty = 0;
  /** server.dirty when the last save started (rdb_changes_since_last_save is dirty minus this). */
  dirtyAtLastSave = 0;
  /** The counters INFO shows (stats.ts). */
  readonly stats: NodeStats;
  /** The fork and its child: BGSAVE, the save points, full syncs' RDBs (rdb/bgsave.ts). */
  readonly bgsave: BackgroundSave;
  /** The active expiry cycle and a writable replica's own volatile keys (expire.ts). */
  readonly expiry: ActiveExpire;
  /** Channels, patterns and their subscribers (pubsub.ts). */
  readonly pubsub = new PubSub(this);
  /** server.pause_cron (DEBUG PAUSE-CRON): serverCron's ticks do nothing. */
  cronPaused = false;
  /** The access times of the shared integers 0..9999 (keyspace/lru.ts), made at start-up. */
  private sharedLru: Int32Array | null = null;
  /** server.lruclock: the LRU clock values' access times are stamped with, updated by serverCron (keyspace/lru.ts). */
  lruClock: number;
  /** server.also_propagate: what the current top-level command will propagate. */
  private alsoPropagate: PendingOp[] = [];
  /** How deep call() is nested (EXEC, scripts): propagation happens when the outermost returns. */
  private nesting = 0;
  private cronTimer: Timer | null = null;
  /** server.cronloops. */
  private cronLoops = 0;
  /** The process stopped: no more cron, no more connections. */
  private stopped = false;

  /** Whether the command table has this command (an AOF's commands are looked up before they run). */
  knowsCommand(argv: readonly Uint8Array[]): boolean {
    return !('error' in lookupCommand(argv));
  }

  /** An AOF command at start-up: its handler on the AOF's client, without processCommand's checks, stats or propagation. */
  runLoadedCommand(argv: Uint8Array[]): void {
    const found = lookupCommand(argv);
    if ('error' in found) return;
    const client = (this.aofClient ??= this.newInternalClient());
    const db = this.keyspace.dbs[client.db];
    found.command.handler?.({ node: this, client, argv, reply: client.reply, db, keyspace: this.keyspace });
    client.reply.take();
  }
  private aofClient: Client | null = null;

  /** A client of no connection (createAOFClient): its replies go nowhere. */
  private newInternalClient(): Client {
    return new Client(0, { ip: '', port: 0 }, { write() {}, close() {} }, () => this.config.protoMaxBulkLen);
  }

  /** The process has not stopped (a blocking call checks it after waiting: the world may have killed it meanwhile). */
  get running(): boolean {
    return !this.stopped;
  }
  /** A command is running (call() is on the stack). */
  get inCommand(): boolean {
    return this.nesting > 0;
  }

  /** The outermost command running (propagatePendingCommands looks at it). */
  private topCommand = '';
  private ackReceived = false;
  private getAckFromSlaves = false;
  /** Loading a dataset: 'sync' refuses commands not flagged loading; 'async' (swapdb) serves the old data. */
  loading: 'sync' | 'async' | null = null;
  /** server.loading_*: what INFO persistence reports while a dataset loads. */
  loadProgress: { startTime: number; totalBytes: number; loadedBytes: number; rdbUsedMem: number } | null = null;
  /** Called when the node becomes a replica or a master (views redraw). */
  onRoleChange: () => void = () => {};
  /** Replication events for views (the host stamps them with time). */
  onReplicationEvent: ReplicationEventSink = () => {};

  /** glibc's rand() stream, seeded at start as main() seeds it; only LOLWUT draws from it. */
  get libcRand(): GlibcRand {
    return (this.libcRandState ??= new GlibcRand(this.libcSeed));
  }
  private libcRandState: GlibcRand | null = null;
  /** server.in_exec: an EXEC is running its commands (a fork asked for meanwhile is scheduled). */
  inExec = false;
  /** Client-side caching (CLIENT TRACKING). */
  readonly tracking = new Tracking(this);
  /** The append-only file (appendonly yes). */
  readonly aof = new AppendOnly(this);
  /** MIGRATE's cached connections (server.migrate_cached_sockets). */
  readonly migrateSockets = new MigrateSockets(this);
  private readonly libcSeed: number;

  constructor(readonly options: NodeOptions) {
    this.libcSeed = redisStartSeed(options.clock.unixUs ?? options.clock.unixMs * 1000, options.pid);
    this.keyspace = new Keyspace(this.config.databases, options.clock, () => this.replication.isReplica);
    this.watches = new Watches(this.keyspace, (any) => this.noteWrites(any));
    this.disk = options.disk ?? new MemoryDisk();
    this.host = options.machine ?? ISOLATED_HOST;
    this.lastSave = Math.floor(options.clock.unixMs / 1000);
    this.stats = new NodeStats(this);
    this.bgsave = new BackgroundSave(this);
    this.replication = new Replication(this);
    this.shutdown = new Shutdown(this);
    this.failover = new Failover(this);
    this.expiry = new ActiveExpire(this);
    this.keyspace.readOnlyReplica = () => this.config.replicaReadOnly;
    this.keyspace.paused = () => this.pause.check();
    this.keyspace.onFlushAll = () => this.expiry.forgetSlaveKeys();
    this.lruClock = lruClockAt(options.clock.unixMs);
    this.keyspace.access = {
      lfu: () => this.config.maxmemoryPolicy.includes('lfu'),
      lruClock: () => this.lruClock,
      unixtime: () => this.unixtime,
      lfuLogFactor: () => this.config.lfuLogFactor,
      lfuDecayTime: () => this.config.lfuDecayTime,
      random: () => this.options.random.nextU32() / 0xffffffff,
      noSharedIntegers: () => this.config.maxmemory !== 0 && /lru|lfu/.test(this.config.maxmemoryPolicy),
      sharedLru: () => (this.sharedLru ??= this.createSharedObjects()),
      childActive: () => this.bgsave.child !== null,
    };
    for (const db of this.keyspace.dbs) {
      db.onSetExpire = (d, key) => this.expiry.keyGotExpire(d, key);
      // dbAdd: a key that did not exist (loading a dataset adds keys another way, without events).
      db.onAdd = (d, key) => {
        if (this.blocking.waitingClients > 0) this.blocking.signalKeyAsReady(d, key, d.peek(key)!.type);
        notifyKeyspaceEvent(this, NOTIFY.n, 'new', key, d.id);
      };
    }
    // lookupKey: a read that finds no key.
    this.keyspace.onMiss = (db, key) => notifyKeyspaceEvent(this, NOTIFY.m, 'keymiss', key, db.id);
    this.keyspace.onExpired = (db, key) => {
      notifyKeyspaceEvent(this, NOTIFY.x, 'expired', key, db.id);
      // A master that deletes an expired key tells its replicas (propagateDeletion).
      const argv = [this.config.lazyfreeLazyExpire ? UNLINK : DEL, fromLatin1(key)];
      this.signalModifiedKey(db.id, key);
      this.propagate(db.id, argv);
    };
  }

  /** createSharedObjects: the shared integers' access time is the process's start. */
  private createSharedObjects(): Int32Array {
    return new Int32Array(SHARED_INTEGERS).fill(initialLru(this.keyspace.access!));
  }

  /** server.unixtime: the clock in whole seconds. */
  get unixtime(): number {
    return Math.floor(this.options.clock.unixMs / 1000);
  }

  /** The role character of log lines at this instant: S while a master is configured. */
  get roleChar(): string {
    return this.replication.isReplica ? 'S' : 'M';
  }

  /** redisFork: a child process (BGSAVE, a full sync's RDB), its pid and its log. */
  fork(): ForkedChild {
    this.stats.forked(); // INFO: total_forks
    return this.host.fork();
  }

  /**
   * loadServerConfig: the node's redis.conf (its text, or null for none),
   * then the `--name value` arguments, each applied as at start-up; null,
   * or the first line refused as redis-server reports a bad config line.
   */
  configure(directives: ReadonlyArray<readonly [string, string]>, file: string | null = null): ConfigLoadError | null {
    return loadServerConfig(this, file, directives);
  }

  /** Starts serverCron at hz times a second (the process is up). */
  startCron(): void {
    // hz is read at every tick, as serverCron's timer does, so CONFIG SET hz takes effect.
    const period = () => Math.round(1_000_000 / this.config.hz);
    const tick = () => {
      if (this.stopped) return;
      if (!this.cronPaused) this.serverCron();
      // beforeSleep runs before the event loop waits again: after a timer event too.
      if (!this.stopped) this.expiry.beforeSleep();
      if (!this.stopped) this.blocking.beforeSleep();
      if (!this.stopped) this.tracking.broadcast();
      this.cronTimer = this.host.setTimer(period(), tick);
    };
    this.cronTimer = this.host.setTimer(period(), tick);
  }

  /** serverCron: what it does that the engine models so far. */
  private serverCron(): void {
    this.lruClock = lruClockAt(this.options.clock.unixMs);
    this.shutdown.check();
    if (this.stopped) return;
    this.stats.cron(this.cronLoops); // INFO: the instantaneous rates
    this.expiry.cron(); // databasesCron: active expiry
    this.limitTracking();
    this.aof.cron(); // a scheduled or automatic AOF rewrite, before children are checked
    this.bgsave.cron(this.cronLoops); // checkChildrenDone, or the save points
    this.pause.check(); // a CLIENT PAUSE whose time passed ends
    // run_with_period(1000): once a second.
    if (this.cronLoops % Math.max(1, Math.round(this.config.hz)) === 0) this.replication.cron();
    if (this.cronLoops % Math.max(1, Math.round(this.config.hz)) === 0) this.migrateSockets.cron();
    this.bgsave.cronScheduled(); // after replicationCron: forks for replicas come first
    this.cronLoops++;
  }

  /** The process is gone: timers stop, the master link closes without reconnecting. */
  stop(): void {
    this.stopped = true;
    this.cronTimer?.cancel();
    this.replication.replica.shutdown();
    this.bgsave.parentDied();
    this.migrateSockets.closeAll();
  }

  /**
   * ACLLoadUsersAtStartup, after "Server initialized": the users of
   * redis.conf's `user` lines, then the aclfile. False when the process
   * must exit (the reason is logged).
   */
  loadUsersAtStartup(): boolean {
    return loadUsersAtStartup(this, this.acl.pendingUsers);
  }

  /**
   * loadDataFromDisk, at process start between "Server initialized" and
   * "Ready to accept connections": loads dump.rdb if the disk has one.
   * When it fails the process must exit (the reason is logged already).
   */
  loadDataFromDisk(): LoadResult {
    this.sharedLru ??= this.createSharedObjects(); // initServer, with the configuration loaded
    const result = loadDataFromDisk(this);
    if (result.ok && result.loaded) this.replication.restoreFromRdb(result.replication);
    return result;
  }

  get port(): number {
    return this.options.port;
  }

  get connectedClients(): number {
    return this.clients.size;
  }

  /** server.clients, in the order they connected (CLIENT LIST, CLIENT KILL, INFO clients). */
  clientList(): IterableIterator<Client> {
    return this.clients.values();
  }

  /** lookupClientByID. */
  clientById(id: number): Client | undefined {
    return this.clients.get(id);
  }

  /** Accepts a connection from `peer`; replies go to `transport`. */
  accept(peer: PeerAddress, transport: ClientTransport): Connection {
    const client = this.newClient(peer, transport);
    this.stats.numConnections++; // INFO: total_connections_received
    return {
      clientId: client.id,
      receive: (bytes) => this.receive(client, bytes),
      close: () => this.dropClient(client),
    };
  }

  private newClient(peer: PeerAddress, transport: ClientTransport): Client {
    const client = new Client(this.nextClientId++, peer, transport, () => this.config.protoMaxBulkLen, this.unixtime);
    client.fd = this.lowestFreeFd();
    client.reply.onError = (text) => this.stats.errorReply(client, text); // INFO errorstats
    // createClient: the default user, authenticated from the start while it needs no password.
    this.acl.setDefaultAuth(client);
    this.clients.set(client.id, client);
    return client;
  }

  /** Like open(2): the lowest descriptor not in use, after the ones the server holds itself. */
  private lowestFreeFd(): number {
    const used = new Set<number>();
    for (const c of this.clients.values()) used.add(c.fd);
    let fd = FIRST_CLIENT_FD;
    while (used.has(fd)) fd++;
    return fd;
  }

  /** The client a replica runs its master's commands as (server.master): no user, it may run anything. */
  masterLinkClient(peer: PeerAddress, transport: ClientTransport): Client {
    const client = this.newClient(peer, transport);
    client.user = null;
    return client;
  }

  /** Forgets a client without closing its transport (the master link's owner closes it). */
  forgetClient(client: Client): void {
    client.closed = true;
    this.clients.delete(client.id);
  }

  /** The server closes a connection (freeClient). */
  closeClient(client: Client): void {
    if (client.closed) return;
    client.transport.close();
    this.dropClient(client);
  }

  /** Closes every connection (the process is going away). */
  closeAllClients(): void {
    for (const client of [...this.clients.values()]) {
      client.transport.close();
      this.dropClient(client);
    }
  }

  private dropClient(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    if (client.monitor) this.monitors.splice(this.monitors.indexOf(client), 1);
    if (client.watching) this.watches.unwatchAll(client);
    if (client.tracking) this.tracking.disable(client);
    this.pubsub.forget(client);
    if (client.blocked) {
      client.blocked.timer?.cancel();
      this.blocking.forget(client);
      this.pause.forget(client);
      this.forgetWaiting(client);
      client.blocked = null;
    }
    this.clients.delete(client.id);
    if (client.slave && !this.stopped) this.replication.master.slaveDisconnected(client);
    // The master link closed by this node (CLIENT KILL TYPE master): the replica side caches it and reconnects.
    if (client.isMaster && !this.stopped) this.replication.replica.masterClientClosed(client);
  }

  /** processInputBuffer: run every whole command received, then flush replies. */
  private receive(client: Client, bytes: Uint8Array): void {
    if (client.closed || client.closeAfterReply) return;
    client.lastInteraction = this.unixtime;
    this.stats.read(bytes.length); // INFO: total_net_input_bytes, total_reads_processed
    client.reader.feed(bytes);
    this.processInput(client);
    this.beforeSleep();
  }

  /** processInputBuffer: runs whole commands until the input ends or the client blocks. */
  processInput(client: Client): void {
    while (!client.closeAfterReply && !client.blocked) {
      const pendingBefore = client.reader.pending;
      const next = client.reader.next();
      // The reader takes whole arguments as they come: a command's size adds up over reads.
      client.queryConsumed += pendingBefore - client.reader.pending;
      if (next === null) break;
      if (next instanceof ProtocolError) {
        client.reply.error(next.reply);
        client.closeAfterReply = true;
        break;
      }
      if (next.length === 0) {
        client.queryConsumed = 0;
        continue;
      }
      client.lastCommandBytes = client.queryConsumed;
      client.queryConsumed = 0;
      let argvBytes = 0;
      for (const a of next) argvBytes += a.length;
      client.lastArgvBytes = argvBytes;
      this.execute(client, next);
    }
    this.flush(client);
  }

  /**
   * blockClient: the client's command answers later (WAIT, SHUTDOWN); its
   * further commands wait in its query buffer. A timeout, when given,
   * unblocks it with `onTimeout`'s reply.
   */
  block(client: Client, kind: BlockKind, timeoutUs: number, onTimeout: () => void): void {
    const timer =
      timeoutUs > 0
        ? this.host.setTimer(timeoutUs, () => {
            if (client.blocked?.timer !== timer) return;
            onTimeout();
            // The beforeSleep after this timer event: the client's next commands.
            this.blocking.processUnblocked();
          })
        : null;
    client.blocked = { kind, timer };
  }

  /** unblockClient: the reply is written; the commands that waited run before the node sleeps. */
  unblock(client: Client, reply: (out: Client['reply']) => void): void {
    if (!client.blocked) return;
    client.blocked.timer?.cancel();
    client.blocked = null;
    if (client.closed) return;
    this.logUnblocked(client);
    reply(client.reply);
    this.deliver(client);
    this.blocking.queueForReprocessing(client);
  }

  /** updateStatsOnUnblock's slow log entry for the command the client was blocked in (no virtual time passed in it). */
  logUnblocked(client: Client): void {
    const pending = client.slowlogPending;
    if (!pending) return;
    client.slowlogPending = null;
    this.slowlog.push(client, pending.argv, pending.redacted, 0);
  }

  /** pauseClients(PAUSE_DURING_FAILOVER, LLONG_MAX, CLIENT_PAUSE_WRITE). */
  pauseWrites(): void {
    this.pause.pause('failover', Infinity, 'write');
  }

  /** unpauseClients(PAUSE_DURING_FAILOVER): the postponed commands run again before the node sleeps. */
  unpauseWrites(): void {
    this.pause.unpause('failover');
    // Outside a command, this is the end of an event: the loop's beforeSleep comes next.
    if (!this.inCommand) this.blocking.processUnblocked();
  }

  /** checkClientPauseTimeoutAndReturnIfPaused: clients are paused (WRITE or ALL). */
  get paused(): boolean {
    return this.pause.check();
  }

  /**
   * Runs `fn` as one unit of propagation, as a served blocked client's pop
   * is (afterCommand): what it propagates goes out when it ends, wrapped in
   * MULTI/EXEC when it is more than one command.
   */
  asUnit(fn: () => void): void {
    this.nesting++;
    try {
      fn();
    } finally {
      this.nesting--;
    }
    if (this.nesting === 0) this.propagatePending();
  }

  /** beforeSleep: what the event loop does before it waits again (WAIT's replies, GETACK). */
  beforeSleep(): void {
    this.tracking.broadcast();
    this.blocking.handleTimeouts();
    this.expiry.beforeSleep();
    this.failover.update();
    if (this.ackReceived) {
      this.ackReceived = false;
      this.processClientsWaitingReplicas();
    }
    this.blocking.processUnblocked();
    // GETACK is not sent while clients are paused: it would grow the stream.
    if (this.getAckFromSlaves && !this.pause.check()) {
      this.getAckFromSlaves = false;
      this.replication.master.feedGetAck();
    }
    this.blocking.handleReadyKeys();
    this.blocking.processUnblocked();
  }

  /**
   * Sends what was written to a client outside its own command (a pub/sub
   * message); a client whose command is running gets it with that command's
   * replies.
   */
  deliver(client: Client): void {
    if (!client.executing && !client.closed) this.flush(client);
  }

  private flush(client: Client): void {
    if (client.reply.size > 0) {
      this.stats.written(client, client.reply.size); // INFO: total_net_output_bytes, total_writes_processed
      client.transport.write(client.reply.take());
    }
    if (client.closeAfterReply && !client.closed) {
      client.transport.close();
      this.dropClient(client);
    }
  }

  /**
   * One command from a client, then resetClient's part: CLIENT REPLY
   * OFF|SKIP drop what it replied, but push messages (CLIENT_PUSHING).
   */
  execute(client: Client, argv: Uint8Array[]): void {
    const mark = client.reply.size;
    const silenced = client.replyOff || client.replySkip;
    if (silenced) client.reply.recordPushes();
    client.executing = true;
    const outer = this.currentClient;
    this.currentClient = client;
    try {
      this.processCommand(client, argv);
    } finally {
      client.executing = false;
      this.currentClient = outer;
    }
    // CLIENT CACHING lasts for the next command (or transaction): resetClient clears it after any other.
    if (client.tracking?.caching && !client.multi && !client.lastCommand.startsWith('client')) client.tracking.caching = false;
    if (client.replyOff || client.replySkip) client.reply.truncate(mark);
    else if (silenced) client.reply.stopRecording();
    client.replySkip = client.replySkipNext;
    client.replySkipNext = false;
  }

  /** processCommand then call(): lookup, arity, the replica's refusals, run. */
  private processCommand(client: Client, argv: Uint8Array[]): void {
    const found = lookupCommand(argv);
    if ('error' in found) {
      client.reply.error(found.error);
      client.lastCommand = this.stats.rejectedLookup(argv) ?? 'NULL'; // INFO commandstats: rejected_calls
      // rejectCommand inside MULTI: the transaction will abort (flagTransaction).
      if (client.multi) client.multi.dirty = true;
      return;
    }
    const command = found.command;
    const refusal =
      this.protectedRefusal(client, command) ?? this.refusal(client, command, argv);
    if (refusal) {
      client.reply.error(refusal);
      client.lastCommand = command.spec.name;
      this.stats.rejected(command.spec.name); // INFO commandstats: rejected_calls
      if (client.multi) client.multi.dirty = true;
      return;
    }
    if (this.pause.active && this.pause.mustPostpone(client, command, client.multi?.queue.map((q) => q.argv) ?? null)) {
      // The client waits, command and all, until the pause ends (before MULTI would queue it).
      const saved = argv.map((a) => a.slice());
      this.pause.postpone(client, command.spec.name, () => this.execute(client, saved));
      return;
    }
    if (client.multi && !TRANSACTION_CONTROL.has(command.spec.name)) {
      // queueMultiCommand: run at EXEC.
      client.multi.queue.push({ argv: argv.map((a) => a.slice()), name: command.spec.name });
      client.reply.status('QUEUED');
      return;
    }
    this.call(client, command, argv);
    // c->woff: what WAIT will wait for, after any command.
    client.woff = this.replication.offset;
    // Clients blocked on the keys this command made ready are served now.
    this.blocking.handleReadyKeys();
  }

  /**
   * EXEC's loop: each queued command runs through call() (so its writes
   * are propagated, all of them wrapped in MULTI/EXEC by the outer call).
   * A command that vanished from the table since it was queued cannot
   * happen: the table is fixed.
   */
  runQueued(client: Client, argv: Uint8Array[]): void {
    const found = lookupCommand(argv);
    if ('error' in found) return client.reply.error(found.error);
    // The ACL is checked again: the rules may have changed since the command was queued (its log entry shows cmd=exec).
    client.lastCommand = 'exec';
    const denied = this.acl.checkCommand(client, found.command.spec.name, argv, 'multi');
    if (denied) return client.reply.error(Err.noPermExec(EXEC_DENIAL_REASONS[denied.reason]));
    this.call(client, found.command, argv);
  }

  /**
   * scriptCall's call(): a command of a script, run by the script client
   * through call() (stats, MONITOR, keyspace events, propagation as part of
   * the script's effects); `propagate` false drops what it would propagate
   * (redis.set_repl without REPL_REPLICA).
   */
  runFromScript(client: Client, command: Command, argv: Uint8Array[], propagate: boolean): void {
    const pending = this.alsoPropagate.length;
    this.call(client, command, argv);
    if (!propagate) this.alsoPropagate.length = pending;
  }

  /** Commands from our master: obeyed (no READONLY), expired keys still count, no replies. */
  executeFromMaster(client: Client, argv: Uint8Array[]): void {
    const found = lookupCommand(argv);
    if ('error' in found) {
      this.stats.errorReply(client, found.error); // INFO: an error reply, and an unexpected one
      // Redis formats this error without its "ERR " (addReplyErrorFormat adds it), and knows no command.
      this.criticalErrorToMaster(found.error.replace(/^ERR /, ''), '<unknown>');
      return;
    }
    this.keyspace.obeyingMaster = true;
    let reply: Uint8Array;
    try {
      this.call(client, found.command, argv);
    } finally {
      this.keyspace.obeyingMaster = false;
      reply = client.reply.take();
    }
    // A replica never answers its master; an error it would have sent is logged instead.
    if (reply.length > 0 && reply[0] === 0x2d) {
      const text = latin1(reply, 1, reply.indexOf(0x0d) > 0 ? reply.indexOf(0x0d) : reply.length);
      this.criticalErrorToMaster(text.replace(/^ERR /, ''), found.command.spec.name);
    }
  }

  /** afterErrorReply for the master link: the error, then the last 256 bytes of our backlog. */
  private criticalErrorToMaster(error: string, command: string): void {
    const log = this.options.log;
    log.warning(`== CRITICAL == This replica is sending an error to its master: '${error.slice(0, 4096)}' after processing the command '${command}'`);
    const backlog = this.replication.backlog;
    if (backlog && backlog.histlen > 0) log.warning(`Latest backlog is: '${backlog.latestRepr(256)}'`);
  }

  /**
   * CMD_PROTECTED (a flag COMMAND INFO does not print): DEBUG runs only when
   * enable-debug-command is yes, or local and the client connected from
   * 127.0.0.1 or ::1 (allowProtectedAction); MODULE LOAD, LOADEX and
   * UNLOAD likewise with enable-module-command.
   */
  private protectedRefusal(client: Client, command: Command): string | null {
    const name = command.spec.name;
    const isModule = name === 'module|load' || name === 'module|loadex' || name === 'module|unload';
    if (name !== 'debug' && !isModule) return null;
    const allowed = isModule ? this.config.enableModuleCommand : this.config.enableDebugCommand;
    if (allowed === 'yes' || (allowed === 'local' && (client.peer.ip === '127.0.0.1' || client.peer.ip === '::1'))) return null;
    return isModule ? Err.moduleNotAllowed : Err.debugNotAllowed;
  }

  /** trackingLimitUsedSlots: serverCron runs it, and processCommand before each command it lets through its first checks. */
  private limitTracking(): void {
    if (this.tracking.clients > 0) this.tracking.limitUsedSlots(this.trackingMaxKeys, this.pickRandom);
  }
  private readonly trackingMaxKeys = () => Number(configValues(this).text('tracking-table-max-keys'));
  private readonly pickRandom = (n: number) => this.options.random.below(n);

  /** processCommand's checks after the protected commands', in its order. */
  private refusal(client: Client, command: Command, argv: readonly Uint8Array[]): string | null {
    const repl = this.replication;
    if (client.isMaster) {
      this.limitTracking();
      return null;
    }
    // authRequired: the default user has a password (or is off), and this client has not authenticated.
    if (!command.noAuth && this.acl.authRequired(client)) return Err.noAuth;
    if (client.multi && command.noMulti) return Err.notAllowedInTransaction;
    // ACLCheckAllPerm: the user's command, key and channel permissions (a denial is logged, with c->lastcmd set).
    client.lastCommand = command.spec.name;
    const denied = this.acl.checkCommand(client, command.spec.name, argv, client.multi ? 'multi' : 'toplevel');
    if (denied) {
      return denied.reason === DENIED.CMD ? Err.noPermCommand(command.spec.name) : denied.reason === DENIED.KEY ? Err.noPermKey : Err.noPermChannel;
    }
    this.limitTracking();
    // writeCommandsDeniedByDiskError: MISCONF for writes (and PING) after a failed background save.
    if (this.bgsave.deniesWrites && (command.write || command.spec.name === 'ping')) return Err.misconf;
    const cfg = this.config;
    if (!repl.isReplica) {
      if (command.write && cfg.minReplicasToWrite && cfg.minReplicasMaxLag && repl.master.goodSlaves < cfg.minReplicasToWrite) {
        return Err.noReplicas;
      }
    } else if (command.write && cfg.replicaReadOnly) {
      return Err.readonlyReplica;
    }
    // A RESP2 connection in pub/sub mode reads messages: only these commands make sense on it.
    if (client.reply.protocol === 2 && client.pubsub && !PUBSUB_CONTEXT.has(command.spec.name)) return Err.pubsubContext(command.spec.name);
    if (repl.isReplica && repl.replica.state !== 'connected' && !cfg.replicaServeStaleData && !command.stale) return Err.masterDown;
    if (this.loading === 'sync' && !command.allowedWhileLoading) return Err.loading;
    return null;
  }

  /** call(): runs the handler, then propagates what changed the dataset. A handler that throws is a bug, not a crash. */
  private call(client: Client, command: Command, argv: Uint8Array[]): void {
    const dirtyBefore = this.dirty;
    const writesBefore = this.writes.length;
    const heldBefore = this.heldUs;
    client.propagateAs = null;
    client.preventPropagation = false;
    client.forcePropagation = false;
    // c->cmd and c->argv while it runs (EXEC sets them to each queued command in turn).
    // Two fields rather than an object: this runs for every command.
    const runningBefore = client.runningCommand;
    const runningArgvBefore = client.runningArgv;
    client.runningCommand = command;
    client.runningArgv = argv;
    if (this.nesting === 0) this.topCommand = command.spec.name;
    this.nesting++;
    client.lastCommand = command.spec.name;
    // incrCommandStatsOnError(NULL, 0): its static mark, which nested calls move too (a script's commands, EXEC's).
    this.stats.errorMark = this.stats.totalErrorReplies;
    client.redacted = null;
    try {
      const db = this.keyspace.dbs[client.db];
      command.handler!({ node: this, client, argv, reply: client.reply, db, keyspace: this.keyspace });
    } catch (e) {
      const name = command.spec.name;
      this.options.log.warning(`Internal error in '${name}' (args ${JSON.stringify(latin1(argv[0]))}...): ${String(e)}`);
      client.reply.error(Err.internal(name));
    } finally {
      this.nesting--;
    }
    // INFO: total_commands_processed, commandstats calls and failed_calls.
    this.stats.called(command.spec.name, this.stats.totalErrorReplies > this.stats.errorMark);
    this.stats.errorMark = this.stats.totalErrorReplies;
    // The arguments the command redacted (AUTH, HELLO AUTH), for this call only.
    const redacted = client.redacted;
    client.redacted = null;
    const heldUs = this.heldUs - heldBefore;
    // The latency this command induced (the virtual time it held the node), by whether it is flagged fast.
    if (heldUs > 0) this.latency.addIfNeeded(command.fast ? 'fast-command' : 'command', Math.floor(heldUs / 1000));
    if (!command.skipSlowlog) {
      // A blocked client's command is logged when it is answered (updateStatsOnUnblock).
      if (client.blocked && client.blocked.kind !== 'sleep') client.slowlogPending = { argv, redacted };
      else this.slowlog.push(client, argv, redacted, heldUs);
    }
    if (this.monitors.length > 0 && !command.skipMonitor) this.feedMonitors(client, argv, redacted);
    if (this.dirty > dirtyBefore) {
      // signalModifiedKey: a command that changed the dataset touched the keys it wrote (not every key it names:
      // DEL of a missing key among others, SADD of a member already there, touch nothing).
      for (let i = writesBefore; i < this.writes.length; i++) this.signalModifiedKey(this.writes[i].db, this.writes[i].key);
    }
    if (this.nesting === 0 && this.writes.length !== 0) this.writes.length = 0;
    // Client-side caching: what a read-only command read is remembered for its client (a script's: its declared keys).
    if (command.readonly && !NOT_TRACKED_READS.has(command.spec.name)) {
      const caller = client.script ? client.scriptCaller : client;
      const running = caller?.runningCommand;
      if (caller?.tracking && !caller.tracking.bcast && running) this.tracking.rememberKeys(caller, running.spec.name, caller.runningArgv!, running.pubsub);
    }
    // Set by the handler (TypeScript still sees the false assigned above).
    const forced = client.forcePropagation as boolean | 'repl';
    if (!client.preventPropagation && (this.dirty > dirtyBefore || forced)) {
      // forceCommandPropagation(c, PROPAGATE_REPL) alone (PUBLISH) leaves the AOF out.
      this.propagate(client.db, client.propagateAs ?? argv, this.dirty > dirtyBefore || forced === true);
    }
    if (this.nesting === 0) {
      this.propagatePending();
      // afterCommand: invalidations for the client itself come after its reply.
      this.tracking.handlePending(client);
    }
    client.runningCommand = runningBefore;
    client.runningArgv = runningArgvBefore;
  }

  /** WATCHed keys and the clients watching them. */
  readonly watches: Watches;

  /** The keys written during the command being run (and the commands it runs), while some key is watched. */
  private readonly writes: { db: number; key: string }[] = [];

  /**
   * Db.onWrite is set while some key is watched or tracked (or a BCAST
   * prefix is): the keys a command writes are noted for signalModifiedKey.
   */
  private noteWrites(on: boolean): void {
    const want = on || this.watches.size > 0 || this.tracking.watchesWrites;
    if (want === this.notingWrites) return;
    this.notingWrites = want;
    const hook = want ? (db: { readonly id: number }, key: string) => void this.writes.push({ db: db.id, key }) : null;
    for (const db of this.keyspace.dbs) db.onWrite = hook;
  }
  private notingWrites = false;

  /** The tracking table or the prefixes changed: writes may need noting, or no longer. */
  trackingChanged(): void {
    this.noteWrites(false);
  }

  /** signalModifiedKey: watchers see their EXEC fail, tracking clients get an invalidation. */
  signalModifiedKey(db: number, key: string): void {
    this.watches.touch(db, key);
    this.tracking.invalidateKey(this.currentClient, key);
  }

  /** server.current_client: the client whose command (or EVAL, or EXEC) is running; null outside a command. */
  currentClient: Client | null = null;

  /**
   * emptyData: signalFlushedDb first (watchers of the keys still there, every tracking client),
   * then database `dbnum` (-1: all of them) is emptied; returns how many keys went.
   */
  emptyData(dbnum: number): number {
    const dbs = dbnum === -1 ? this.keyspace.dbs : [this.keyspace.dbs[dbnum]];
    for (const db of dbs) this.watches.touchAllInDb(db, null);
    this.tracking.invalidateOnFlush(this.currentClient);
    return dbnum === -1 ? this.keyspace.flushAll() : dbs[0].flush();
  }

  /** Clients in MONITOR mode, in the order they asked. */
  readonly monitors: Client[] = [];

  /** replicationFeedMonitors: "<unix s>.<us> [<db> <ip:port>] "arg" ..." to every monitor. */
  feedMonitors(client: Client, argv: readonly Uint8Array[], redacted: readonly number[] | null = null): void {
    const clock = this.options.clock;
    const us = clock.unixUs ?? clock.unixMs * 1000;
    // A script's commands show as "[<db> lua]".
    const who = client.script ? 'lua' : `${client.peer.ip}:${client.peer.port}`;
    let line = `${Math.floor(us / 1_000_000)}.${String(us % 1_000_000).padStart(6, '0')} [${client.db} ${who}]`;
    for (let i = 0; i < argv.length; i++) line += ' ' + (redacted?.includes(i) ? '"(redacted)"' : repr(argv[i]));
    for (const m of this.monitors) {
      if (m.closed) continue;
      m.reply.status(line);
      if (m !== client) this.flush(m);
    }
  }

  /** alsoPropagate: queued for when the outermost command returns (at once outside any command). */
  propagate(db: number, argv: readonly Uint8Array[], aof = true): void {
    if (!this.replication.propagates && !(aof && this.aof.feeding)) return;
    this.alsoPropagate.push({ db, argv, aof });
    if (this.nesting === 0) this.propagatePending();
  }

  /** propagatePendingCommands: two or more commands travel inside MULTI/EXEC. */
  private propagatePending(): void {
    const ops = this.alsoPropagate;
    if (ops.length === 0) return;
    this.alsoPropagate = [];
    const repl = this.replication;
    // CMD_TOUCHES_ARBITRARY_KEYS (RANDOMKEY, SCAN): the expiry DELs they cause go out bare.
    const wrap = ops.length > 1 && !TOUCHES_ARBITRARY_KEYS.has(this.topCommand);
    // propagateNow: the AOF (feedAppendOnlyFile), then the replicas.
    const aof = this.aof;
    const feed = (db: number, argv: readonly Uint8Array[], toAof: boolean) => {
      if (toAof) aof.feed(db, argv);
      if (repl.propagates) repl.feedCommand(db, argv);
    };
    if (wrap) feed(ops[0].db, [STREAM_WORDS.MULTI], true);
    for (const op of ops) feed(op.db, op.argv, op.aof);
    if (wrap) feed(-1, [STREAM_WORDS.EXEC], true);
  }

  /** A replica acknowledged an offset: blocked WAITs are checked before the loop sleeps. */
  waitAcked(): void {
    this.ackReceived = true;
  }

  /** WAIT blocked: one REPLCONF GETACK goes to the replicas before the loop sleeps. */
  requestAcks(): void {
    this.getAckFromSlaves = true;
  }

  /** Clients blocked in WAIT, in the order they blocked. */
  readonly waitingAcks: Client[] = [];

  /** A client no longer waits in WAIT (closed, CLIENT UNBLOCK). */
  forgetWaiting(client: Client): void {
    const i = this.waitingAcks.indexOf(client);
    if (i >= 0) this.waitingAcks.splice(i, 1);
  }

  /** processClientsWaitingReplicas. */
  private processClientsWaitingReplicas(): void {
    for (const c of [...this.waitingAcks]) {
      const want = c.blocked?.wait;
      if (!want) continue;
      const n = this.replication.master.countAcks(want.offset);
      if (n >= want.numreplicas) {
        this.waitingAcks.splice(this.waitingAcks.indexOf(c), 1);
        this.unblock(c, (out) => out.integer(n));
      }
    }
  }
}
