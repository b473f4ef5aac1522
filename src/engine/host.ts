// What a node needs from the machine it runs on, beyond its disk: timers
// (serverCron, the diskless-sync delay, connect timeouts) and outbound TCP
// connections (a replica connecting to its master). The simulation provides
// both in virtual time over its simulated network; `npm run serve` provides
// the same through its real-time driver, and may reach real servers outside
// the world. The engine never reads the host's clock or opens sockets itself.

import type { Logger } from './log.ts';
import type { LazyPart } from './lazy-part.ts';

export interface Timer {
  cancel(): void;
}

/** Events of an outbound connection, as the event loop would report them. */
export interface SocketEvents {
  /** The non-blocking connect completed. */
  connected(): void;
  /** Bytes from the peer, in order. */
  data(bytes: Uint8Array): void;
  /** The connect failed: `reason` is what strerror would say ("Connection refused"). */
  failed(reason: string): void;
  /** The peer closed the connection, or it was reset. */
  closed(): void;
}

export interface OutboundSocket {
  /** Queues bytes for the peer. The socket takes ownership of the array. */
  write(bytes: Uint8Array): void;
  /** Closes this side; no events follow. */
  close(): void;
  /** Bytes written that have not left the machine yet. */
  readonly unsent: number;
  /** Calls `cb` once every byte written so far has left the machine. */
  whenDrained(cb: () => void): void;
}

/** A child process of the node (a BGSAVE, a full sync's RDB). */
export interface ForkedChild {
  readonly pid: number;
  /** Its log: lines carry its pid and the role C. */
  readonly log: Logger;
  /**
   * serverLogFromHandler: a warning written from a signal handler, in the
   * plain form "<pid>:signal-handler (<unix seconds>) <message>".
   */
  signalLog(message: string): void;
}

export interface NodeHost {
  /** Runs `run` after `delayUs` microseconds of the node's clock. */
  setTimer(delayUs: number, run: () => void): Timer;
  /**
   * DEBUG SLEEP: the process stops for `us` microseconds while the world
   * goes on; nothing of it runs meanwhile and what it writes leaves after.
   * A host where no time passes (unit tests) has none: the sleep is instant.
   */
  sleep?(us: number): void;
  /**
   * Starts a non-blocking connect to host:port; the outcome arrives through
   * `events`. A connect that fails at once (a host name that does not
   * resolve) returns the error text instead.
   */
  connect(host: string, port: number, events: SocketEvents): OutboundSocket | { error: string };
  /**
   * A connection for blocking calls (MIGRATE's connBlockingConnect,
   * connSyncWrite, connSyncReadLine): its events reach the node while it
   * waits in waitBlocking, and nothing else of the process does. Absent
   * where no time can pass (unit tests): then no blocking call can be made.
   */
  connectBlocking?(host: string, port: number, events: SocketEvents): OutboundSocket | { error: string };
  /**
   * The process waits inside a command, as a blocking syscall does, until
   * `done()` holds or `timeoutUs` of the node's clock have passed; the world
   * goes on meanwhile and what else would reach the process waits for it to
   * return. True when `done()` held.
   */
  waitBlocking?(done: () => boolean, timeoutUs: number): boolean;
  /** A forked child: a new pid from the machine, and a log whose lines carry that pid and the role C. */
  fork(): ForkedChild;
  /** The process exits (SHUTDOWN): its sockets close and it stays down until started again. */
  exit(): void;
  /**
   * Loads a lazy part of the engine (a separate chunk in the browser: the
   * Lua runtime, the command reference) and calls `ready` once it is
   * installed; the host holds virtual time meanwhile, so the command runs at
   * the instant it was asked for. Absent where every part is installed at
   * start (Node, tests).
   */
  loadPart?(part: LazyPart<unknown>, ready: () => void): void;
}
