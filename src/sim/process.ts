// A simulated redis-server process: up or down; every start is a new
// process with a new pid and run_id and an empty memory, which then loads
// what the machine's disk holds (the disk outlives the process).

import { RedisNode, type Connection } from '../engine/node.ts';
import { formatLogLine, makeLogger, type LogLevel } from '../engine/log.ts';
import type { Rng } from './rng.ts';
import type { Clock } from './clock.ts';
import { SimDisk } from './disk.ts';

export interface LogRecord {
  readonly port: number;
  readonly timeUs: number;
  readonly level: LogLevel;
  /** The whole line as Redis writes it. */
  readonly line: string;
}

export class SimProcess {
  node: RedisNode | null = null;
  /** Connections the process holds, closed when it dies. */
  readonly connections = new Set<Connection>();
  /** The machine's disk: kept across crashes and restarts. */
  readonly disk = new SimDisk();

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly rng: Rng,
    private readonly clock: Clock,
    private readonly emitLog: (record: LogRecord) => void,
  ) {}

  get up(): boolean {
    return this.node !== null;
  }

  /**
   * Starts a new process: new pid and run_id, the start-up lines Redis
   * logs, then the load of dump.rdb from the disk. Returns null when the
   * process exits during start-up (a file it cannot load): it stays down.
   */
  start(pid: number): RedisNode | null {
    if (this.node) throw new Error(`node ${this.port} is already running`);
    const runId = this.rng.hex(40);
    let roleChar = 'C'; // the first lines are printed before the pid is recorded
    const log = makeLogger(
      () => 'notice',
      (level, text) =>
        this.emitLog({
          port: this.port,
          timeUs: this.clock.nowUs,
          level,
          line: formatLogLine(pid, roleChar, this.clock.unixMs, level, text),
        }),
    );
    const random = this.rng.split(`process:${pid}`);
    const node = new RedisNode({ host: this.host, port: this.port, pid, runId, log, clock: this.clock, random, disk: this.disk });
    log.warning('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    log.warning(`Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${pid}, just started`);
    log.warning('Configuration loaded');
    roleChar = 'M';
    log.notice('monotonic clock: POSIX clock_gettime');
    log.notice(`Running mode=standalone, port=${this.port}.`);
    log.warning('Server initialized');
    if (!node.loadDataFromDisk().ok) return null; // exit(1): the reason is logged
    log.notice('Ready to accept connections');
    this.node = node;
    return node;
  }

  /** The process dies (kill -9): every connection is reset, memory is lost. */
  crash(): void {
    if (!this.node) return;
    this.node.closeAllClients();
    this.connections.clear();
    this.node = null;
  }
}
