// A simulated redis-server process: up or down; every start is a new
// process with a new pid and run_id and an empty memory, which then loads
// what the machine's disk holds (the disk outlives the process).

import { RedisNode, type Connection } from '../engine/node.ts';
import { CONFIG_FILE } from '../engine/config-file.ts';
import { latin1 } from '../engine/bytes.ts';
import { formatLogLine, makeLogger, type Logger, type LogLevel } from '../engine/log.ts';
import type { NodeHost, OutboundSocket, SocketEvents } from '../engine/host.ts';
import type { Network, NetSocket } from './network.ts';
import type { Rng } from './rng.ts';
import type { Clock } from './clock.ts';
import type { MachineDisk } from './disk.ts';

export interface LogRecord {
  readonly port: number;
  readonly timeUs: number;
  readonly level: LogLevel;
  /** The whole line as Redis writes it. */
  readonly line: string;
}

/** What a process gets from the world it runs in. */
export interface SimEnvironment {
  readonly network: Network;
  schedule(delayUs: number, run: () => void): { cancelled: boolean };
  /** The next pid of the simulated machine (processes and forked children alike). */
  allocatePid(): number;
  /**
   * Runs the world's events in order, inside the current one, until
   * `done()` holds or the next event is due after `untilUs` (the clock then
   * stands at `untilUs`). True when `done()` held.
   */
  runNested(done: () => boolean, untilUs: number): boolean;
  /** The process on `port` exited by itself (SHUTDOWN). */
  exited(port: number): void;
  /** Whether a node of the world listens on (or owns) this port of 127.0.0.1. */
  isWorldPort(port: number): boolean;
  /** A connection to an address outside the world (serve may reach real servers); null when there is none. */
  dialExternal?(host: string, port: number, events: SocketEvents): OutboundSocket | null;
}

/** A start-up directive the node refused (redis-server exits with a FATAL CONFIG FILE ERROR). */
export class ConfigError extends Error {
  constructor(
    /** Which directive, in the order given. */
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/** Host names that mean this machine. */
const LOCAL_NAMES = new Set(['127.0.0.1', 'localhost']);

export class SimProcess {
  node: RedisNode | null = null;
  /** Connections the process holds, closed when it dies. */
  readonly connections = new Set<Connection>();
  /** The machine's disk: kept across crashes and restarts. */
  readonly disk: MachineDisk;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly rng: Rng,
    private readonly clock: Clock,
    private readonly emitLog: (record: LogRecord) => void,
    private readonly env: SimEnvironment,
    disk: MachineDisk,
  ) {
    this.disk = disk;
  }

  private logger(pid: number, roleChar: () => string): Logger {
    return makeLogger(
      () => 'notice',
      (level, text) =>
        this.emitLog({
          port: this.port,
          timeUs: this.clock.nowUs,
          level,
          line: formatLogLine(pid, roleChar(), this.clock.unixMs, level, text),
        }),
    );
  }

  /** The machine a node runs on: virtual-time timers, the simulated network, forks. */
  /**
   * DEBUG SLEEP: until this instant of virtual time the process is stopped
   * (nanosleep in the event loop). The world goes on; whatever would run in
   * the process meanwhile (its timers, bytes and closes arriving on its
   * sockets) waits and runs then, in the order it came, and what it wrote
   * leaves then too.
   */
  private busyUntilUs = 0;

  /** Runs `fn` now, or when the process stops being busy. */
  gate(fn: () => void): void {
    const wait = this.busyUntilUs - this.clock.nowUs;
    if (wait > 0) this.env.schedule(wait, () => this.gate(fn));
    else fn();
  }

  /**
   * A blocking call in progress (MIGRATE): what reaches the process
   * meanwhile (bytes, closes, timers) waits in `held`, in the order it
   * came, and runs once the call returns, before anything newer.
   */
  private blockingCalls = 0;
  private held: (() => void)[] = [];

  /** Something reaching the process: runs through the gate, after whatever a blocking call held. */
  input(fn: () => void): void {
    if (this.blockingCalls > 0 || this.held.length > 0) this.held.push(fn);
    else this.gate(fn);
  }

  private waitBlocking(done: () => boolean, timeoutUs: number): boolean {
    this.blockingCalls++;
    try {
      return this.env.runNested(done, this.clock.nowUs + Math.max(0, Math.round(timeoutUs)));
    } finally {
      if (--this.blockingCalls === 0 && this.held.length > 0) this.env.schedule(0, () => this.releaseHeld());
    }
  }

  /** The event loop after a blocking call: what waited runs in order (until another blocking call begins). */
  private releaseHeld(): void {
    while (this.held.length > 0 && this.blockingCalls === 0) this.gate(this.held.shift()!);
  }

  private gateEvents(events: SocketEvents): SocketEvents {
    return {
      connected: () => this.input(() => events.connected()),
      data: (bytes) => this.input(() => events.data(bytes)),
      failed: (reason) => this.input(() => events.failed(reason)),
      closed: () => this.input(() => events.closed()),
    };
  }

  private gateSocket(socket: OutboundSocket): OutboundSocket {
    return {
      write: (bytes) => this.gate(() => socket.write(bytes)),
      close: () => this.gate(() => socket.close()),
      get unsent() {
        return socket.unsent;
      },
      whenDrained: (cb) => socket.whenDrained(cb),
    };
  }

  private machine(): NodeHost {
    const env = this.env;
    const port = this.port;
    return {
      setTimer: (delayUs, run) => {
        // A timer due while the process is busy or blocked fires when it wakes; cancel reaches it there too.
        let cancelled = false;
        env.schedule(delayUs, () => {
          if (!cancelled) this.input(() => !cancelled && run());
        });
        return { cancel: () => void (cancelled = true) };
      },
      sleep: (us) => {
        this.busyUntilUs = Math.max(this.busyUntilUs, this.clock.nowUs + Math.max(0, Math.round(us)));
      },
      connect: (host, toPort, plainEvents) => {
        const events = this.gateEvents(plainEvents);
        const local = LOCAL_NAMES.has(host.toLowerCase());
        if (local && env.isWorldPort(toPort)) return this.gateSocket(connectSimulated(env.network, port, toPort, events));
        // Under serve, other addresses (a real redis-server on this machine or another) are real sockets.
        const external = env.dialExternal?.(host, toPort, events);
        if (external) return this.gateSocket(external);
        if (local) return this.gateSocket(connectSimulated(env.network, port, toPort, events));
        // An address no machine of the world has: the SYN goes nowhere and the connect times out.
        if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { write() {}, close() {}, unsent: 0, whenDrained() {} };
        return { error: 'Name or service not known' };
      },
      connectBlocking: (host, toPort, events) => {
        const local = LOCAL_NAMES.has(host.toLowerCase());
        if (local && env.isWorldPort(toPort)) return connectSimulated(env.network, port, toPort, events);
        // A real socket's events come from the host's event loop, which cannot run inside a blocking call.
        if (env.dialExternal && !local) return { error: 'Network is unreachable' };
        if (local) return connectSimulated(env.network, port, toPort, events);
        if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { write() {}, close() {}, unsent: 0, whenDrained() {} };
        return { error: 'Name or service not known' };
      },
      waitBlocking: (done, timeoutUs) => this.waitBlocking(done, timeoutUs),
      fork: () => {
        const pid = env.allocatePid();
        const signalLog = (text: string) =>
          this.emitLog({ port, timeUs: this.clock.nowUs, level: 'warning', line: `${pid}:signal-handler (${Math.floor(this.clock.unixMs / 1000)}) ${text}` });
        return { pid, log: this.logger(pid, () => 'C'), signalLog };
      },
      exit: () => env.exited(port),
      // A lazy part of the engine, where it is not installed at start (the browser): fetched on first use.
      loadPart: (part, ready) => void part.load().then(() => this.input(ready)),
    };
  }

  get up(): boolean {
    return this.node !== null;
  }

  /**
   * Starts a new process: new pid and run_id, the start-up lines Redis
   * logs, the configuration (redis.conf on the disk, then the directives),
   * then the load of dump.rdb from the disk. Returns null when the process
   * exits during start-up (a bad line in redis.conf, a file it cannot
   * load): it stays down. A bad directive throws ConfigError.
   */
  start(pid: number, directives: ReadonlyArray<readonly [string, string]> = []): RedisNode | null {
    if (this.node) throw new Error(`node ${this.port} is already running`);
    const runId = this.rng.hex(40);
    let started = false; // the first lines are printed before the pid is recorded: role C
    let node: RedisNode | null = null;
    const log = this.logger(pid, () => (started && node ? node.roleChar : 'C'));
    const random = this.rng.split(`process:${pid}`);
    node = new RedisNode({ host: this.host, port: this.port, pid, runId, log, clock: this.clock, random, disk: this.disk, machine: this.machine() });
    log.warning('oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    log.warning(`Redis version=7.0.15, bits=64, commit=00000000, modified=0, pid=${pid}, just started`);
    // redis-server /path/redis.conf: the file (when the disk has one), then the arguments.
    const file = this.disk.read(CONFIG_FILE);
    const configError = node.configure(directives, file === null ? null : latin1(file));
    if (configError) {
      // redis-server prints the FATAL CONFIG FILE ERROR report on stderr and exits: the log ends here.
      if (configError.source === 'argv') throw new ConfigError(configError.index, configError.message);
      return null;
    }
    log.warning('Configuration loaded');
    started = true;
    log.notice('monotonic clock: POSIX clock_gettime');
    log.notice(`Running mode=standalone, port=${this.port}.`);
    log.warning('Server initialized');
    if (!node.loadUsersAtStartup()) return null; // exit(1): the reason is logged
    if (!node.loadDataFromDisk().ok) return null; // exit(1): the reason is logged
    log.notice('Ready to accept connections');
    this.node = node;
    const running = node;
    this.env.network.listen(this.port, (socket) => acceptSimulated(running, socket, (fn) => this.gate(fn), (fn) => this.input(fn)));
    node.startCron();
    return node;
  }

  /** The process dies (kill -9): every connection is reset, memory is lost. */
  crash(): void {
    if (!this.node) return;
    this.node.stop();
    this.busyUntilUs = 0;
    this.held = [];
    // The kernel closes the dead process's sockets: peers see the close after what was in flight.
    this.env.network.unlisten(this.port);
    this.env.network.closeAllOf(this.port);
    this.node.closeAllClients();
    this.connections.clear();
    this.node = null;
  }
}

/** A node connects to another node of the world over the simulated network. */
function connectSimulated(network: Network, fromPort: number, toPort: number, events: SocketEvents): OutboundSocket {
  let socket: NetSocket | null = null;
  let closed = false;
  const attempt = network.connect(fromPort, toPort, {
    connected: (s) => {
      socket = s;
      events.connected();
      return { data: (b) => events.data(b), closed: () => events.closed() };
    },
    refused: () => events.failed('Connection refused'),
  });
  return {
    write: (bytes) => socket?.write(bytes),
    close: () => {
      if (closed) return;
      closed = true;
      if (socket) socket.close();
      else attempt.cancel();
    },
    get unsent() {
      return socket?.unsent ?? 0;
    },
    whenDrained: (cb) => (socket ? socket.whenDrained(cb) : cb()),
  };
}

/** A connection from another node arrives: the node accepts it as a client. */
function acceptSimulated(node: RedisNode, socket: NetSocket, gate: (fn: () => void) => void, input: (fn: () => void) => void) {
  const conn = node.accept(
    { ip: socket.remote.ip, port: socket.remote.port },
    {
      write: (bytes) => gate(() => socket.write(bytes)),
      close: () => gate(() => socket.close()),
      whenDrained: (cb) => socket.whenDrained(cb),
      get unsent() {
        return socket.unsent;
      },
    },
  );
  return { data: (bytes: Uint8Array) => input(() => conn.receive(bytes)), closed: () => input(() => conn.close()) };
}
