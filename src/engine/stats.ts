// The counters INFO shows that belong to the server as a whole (server.stat_*
// in Redis): connections, commands, bytes in and out, error replies per
// error code, per-command calls, forks and saves, and the instantaneous
// rates serverCron samples every 100 ms. The keyspace keeps its own hits,
// misses and expired keys (keyspace.ts) and replication its sync counts and
// replication bytes (replication.ts); CONFIG RESETSTAT resets all of them
// here. Every counter moves where Redis 7.0.15 moves its own, so that the
// same inputs give the same numbers; only time-based values (durations,
// CPU) have nothing to measure in a discrete simulation and stay 0.

import type { RedisNode } from './node.ts';
import type { Client } from './client.ts';
import { COMMANDS } from './commands/registry.ts';
import { lowerAscii } from './bytes.ts';

/** STATS_METRIC_SAMPLES: the instantaneous rates average this many samples. */
const METRIC_SAMPLES = 16;

/** One of server.inst_metric: samples of a counter's rate per second (trackInstantaneousMetric). */
export class InstantaneousMetric {
  private readonly samples = new Array<number>(METRIC_SAMPLES).fill(0);
  private idx = 0;
  private lastSampleCount = 0;

  constructor(private lastSampleTime: number) {}

  /** A sample: what the counter grew by since the last one, per second (C's integer division). */
  track(current: number, nowMs: number): void {
    const t = nowMs - this.lastSampleTime;
    const ops = current - this.lastSampleCount;
    this.samples[this.idx] = t > 0 ? Math.trunc((ops * 1000) / t) : 0;
    this.idx = (this.idx + 1) % METRIC_SAMPLES;
    this.lastSampleTime = nowMs;
    this.lastSampleCount = current;
  }

  /** getInstantaneousMetric: the mean of the samples. */
  get value(): number {
    let sum = 0;
    for (const s of this.samples) sum += s;
    return Math.trunc(sum / METRIC_SAMPLES);
  }
}

/** A command's line in INFO commandstats (redisCommand's calls, rejected_calls, failed_calls). */
export interface CommandStat {
  calls: number;
  rejectedCalls: number;
  failedCalls: number;
  /**
   * The samples of the command's latency histogram (recorded while
   * latency-tracking is on; every one in the 1 ns bucket, a call taking no
   * virtual time): INFO latencystats and LATENCY HISTOGRAM list the command
   * once it has one.
   */
  latencySamples: number;
}

export class NodeStats {
  /** server.stat_starttime: unix seconds when the process started (uptime_in_seconds). */
  readonly startTime: number;

  // --- reset by CONFIG RESETSTAT (resetServerStats, resetCommandTableStats, resetErrorTableStats)
  /** stat_numconnections: connections accepted. */
  numConnections = 0;
  /** stat_rejected_conn: refused for maxclients (the engine does not enforce maxclients: stays 0). */
  rejectedConnections = 0;
  /** stat_numcommands: every call(), nested ones and the master's commands on a replica included. */
  numCommands = 0;
  /** stat_net_input_bytes / stat_net_output_bytes: client traffic; the master link and replicas' streams count in replication.stats. */
  netInputBytes = 0;
  netOutputBytes = 0;
  /** stat_total_reads_processed / stat_total_writes_processed: reads of a client's socket, writes to it. */
  readsProcessed = 0;
  writesProcessed = 0;
  /** stat_total_error_replies and the errors rax: error replies by their code (the word after '-'). */
  totalErrorReplies = 0;
  /** incrCommandStatsOnError's prev_err_count: a command failed if an error reply was counted since (call() moves it). */
  errorMark = 0;
  unexpectedErrorReplies = 0;
  readonly errors = new Map<string, number>();
  /** Per command, by full name ("client|list"). */
  readonly commands = new Map<string, CommandStat>();
  /** stat_total_forks / stat_fork_time (a simulated fork takes no virtual time: 0). */
  totalForks = 0;
  latestForkUsec = 0;
  /** stat_rdb_saves: SAVE, and every background save to disk (BGSAVE, save points, a disk-based full sync). */
  rdbSaves = 0;
  metrics: {
    readonly command: InstantaneousMetric;
    readonly netInput: InstantaneousMetric;
    readonly netOutput: InstantaneousMetric;
    readonly netReplInput: InstantaneousMetric;
    readonly netReplOutput: InstantaneousMetric;
  };

  // --- kept across RESETSTAT (the fork's own state is in rdb/bgsave.ts)
  /** rdb_last_load_keys_loaded / expired: the last RDB load (start-up or a full sync). */
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  /** stat_peak_memory: the highest used_memory seen (checked when INFO computes it). */
  peakMemory = 0;

  constructor(private readonly node: RedisNode) {
    this.startTime = node.unixtime;
    this.metrics = this.newMetrics();
  }

  private newMetrics(): NodeStats['metrics'] {
    const now = this.node.options.clock.unixMs;
    return {
      command: new InstantaneousMetric(now),
      netInput: new InstantaneousMetric(now),
      netOutput: new InstantaneousMetric(now),
      netReplInput: new InstantaneousMetric(now),
      netReplOutput: new InstantaneousMetric(now),
    };
  }

  // ------------------------------------------------------------ the hooks

  /** readQueryFromClient: one read of `bytes` bytes from a client's socket. */
  read(bytes: number): void {
    this.readsProcessed++;
    this.netInputBytes += bytes;
  }

  /** writeToClient: a write to a client's socket; a replica's bytes are replication traffic. */
  written(client: Client, bytes: number): void {
    this.writesProcessed++;
    if (client.slave) this.node.replication.stats.netReplOutputBytes += bytes;
    else this.netOutputBytes += bytes;
  }

  /**
   * afterErrorReply: the code is the first word of the error when its space
   * lies within the first 32 bytes of "-CODE ..."; else ERR. An error to
   * our master or to a replica is unexpected (it never reaches them).
   */
  errorReply(client: Client, text: string): void {
    this.totalErrorReplies++;
    const space = text.indexOf(' ');
    const code = space >= 0 && space + 1 < 32 ? text.slice(0, space) : 'ERR';
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    if (client.isMaster || client.slave) this.unexpectedErrorReplies++;
  }

  private stat(name: string): CommandStat {
    let s = this.commands.get(name);
    if (!s) {
      s = { calls: 0, rejectedCalls: 0, failedCalls: 0, latencySamples: 0 };
      this.commands.set(name, s);
    }
    return s;
  }

  /** call(): the command ran; `failed` when it sent an error reply (incrCommandStatsOnError). */
  called(name: string, failed: boolean): void {
    const s = this.stat(name);
    s.calls++;
    if (failed) s.failedCalls++;
    // updateCommandLatencyHistogram, only while latency-tracking is on.
    if (this.node.config.latencyTracking) s.latencySamples++;
    this.numCommands++;
  }

  /** updateStatsOnUnblock with errors: a blocked command answered with an error (or CLIENT UNBLOCK) counts a failed call. */
  failedCall(name: string): void {
    this.stat(name).failedCalls++;
  }

  /**
   * rejectCommand for a lookup that failed: a command that exists but got
   * the wrong number of arguments counts a rejected call; an unknown
   * command or subcommand counts none (c->cmd is NULL). Returns the
   * command's full name, or null (CLIENT LIST cmd= shows NULL then).
   */
  rejectedLookup(argv: readonly Uint8Array[]): string | null {
    const base = COMMANDS.get(lowerAscii(argv[0]));
    if (!base) return null;
    const command = argv.length > 1 && base.spec.subcommands ? base.subcommands.get(lowerAscii(argv[1])) : base;
    if (!command) return null;
    this.rejected(command.spec.name);
    return command.spec.name;
  }

  /** rejectCommand: a command refused before it ran (READONLY, NOREPLICAS, MASTERDOWN, arity). */
  rejected(name: string): void {
    this.stat(name).rejectedCalls++;
  }

  /** redisFork in the parent: counted. */
  forked(): void {
    this.totalForks++;
    this.latestForkUsec = 0;
  }

  /** serverCron's part: the rates every 100 ms (run_with_period(100)). */
  cron(cronLoops: number): void {
    const periodMs = Math.trunc(1000 / this.node.config.hz);
    if (100 <= periodMs || cronLoops % Math.trunc(100 / periodMs) === 0) {
      const now = this.node.options.clock.unixMs;
      const repl = this.node.replication.stats;
      const m = this.metrics;
      m.command.track(this.numCommands, now);
      m.netInput.track(this.netInputBytes + repl.netReplInputBytes, now);
      m.netOutput.track(this.netOutputBytes + repl.netReplOutputBytes, now);
      m.netReplInput.track(repl.netReplInputBytes, now);
      m.netReplOutput.track(repl.netReplOutputBytes, now);
    }
  }

  /** CONFIG RESETSTAT: resetServerStats, resetCommandTableStats and resetErrorTableStats. */
  reset(): void {
    this.numConnections = 0;
    this.rejectedConnections = 0;
    this.numCommands = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.readsProcessed = 0;
    this.writesProcessed = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.errors.clear();
    this.commands.clear();
    this.totalForks = 0;
    this.latestForkUsec = 0;
    this.rdbSaves = 0;
    this.metrics = this.newMetrics();
    const ks = this.node.keyspace.stats;
    ks.keyspaceHits = 0;
    ks.keyspaceMisses = 0;
    ks.expiredKeys = 0;
    this.node.expiry.stalePerc = 0;
    this.node.expiry.timeCapReachedCount = 0;
    this.node.expiry.cycleTimeUsedUs = 0;
    const repl = this.node.replication.stats;
    repl.syncFull = 0;
    repl.syncPartialOk = 0;
    repl.syncPartialErr = 0;
    repl.netReplInputBytes = 0;
    repl.netReplOutputBytes = 0;
  }
}
