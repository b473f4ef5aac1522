// MIGRATE's connections (cluster.c migrateGetSocket and friends, syncio.c):
// one cached connection per "host:port" as the command spelled them, kept
// for the next MIGRATE with the database it last selected there, closed by
// serverCron after 10 seconds unused, at most 64 of them. The I/O on them
// is blocking: the whole process waits in the command (NodeHost.waitBlocking)
// while the world goes on, as redis-server waits in connSyncReadLine.
import type { OutboundSocket } from './host.ts';
import type { RedisNode } from './node.ts';
import { atoi } from './bytes.ts';

const CACHE_ITEMS = 64;
const CACHE_TTL_SECONDS = 10;
/** Bytes the kernel takes before a write blocks (the socket's send buffer), roughly Linux's autotuned size. */
const SEND_BUFFER = 256 * 1024;
/** connSyncWrite's chunk: MIGRATE writes its query 64 KB at a time, each with the whole timeout. */
const WRITE_CHUNK = 64 * 1024;

/** How a blocking read or write failed: a timeout sets errno to ETIMEDOUT, which MIGRATE does not retry. */
export type SyncFailure = 'timeout' | 'closed';

export class MigrateSocket {
  lastDbid = -1;
  lastUse: number;
  private inbox: number[] = [];
  private closed = false;
  connected = false;
  failed = false;
  socket: OutboundSocket | null = null;

  constructor(
    private readonly node: RedisNode,
    readonly name: string,
  ) {
    this.lastUse = node.unixtime;
  }

  /** The socket's events (they reach it while the process waits). */
  readonly events = {
    connected: () => void (this.connected = true),
    failed: () => void (this.failed = true),
    data: (bytes: Uint8Array) => {
      for (const b of bytes) this.inbox.push(b);
    },
    closed: () => void (this.closed = true),
  };

  /** connSyncWrite of the whole query, 64 KB at a time. */
  write(bytes: Uint8Array, timeoutMs: number): SyncFailure | null {
    const socket = this.socket!;
    // A connect still in progress: the write waits for it (EAGAIN, then the socket turns writable or not).
    if (!this.connected && !this.failed && !this.closed && !this.wait(() => this.connected || this.failed || this.closed, timeoutMs)) return 'timeout';
    for (let pos = 0; pos < bytes.length; pos += WRITE_CHUNK) {
      if (this.closed || this.failed) return 'closed'; // ECONNREFUSED or EPIPE: no one takes the bytes
      socket.write(bytes.slice(pos, pos + WRITE_CHUNK));
      // The write returns once the kernel has taken the chunk: when what is still unsent fits its buffer.
      if (socket.unsent > SEND_BUFFER && !this.wait(() => this.closed || socket.unsent <= SEND_BUFFER, timeoutMs)) return 'timeout';
    }
    return this.closed ? 'closed' : null;
  }

  /** connSyncReadLine: a line without its \r\n; every byte must come within the timeout; an empty line fails too. */
  readLine(timeoutMs: number): string | SyncFailure {
    let line = '';
    for (;;) {
      if (this.inbox.length === 0 && !this.wait(() => this.inbox.length > 0 || this.closed, timeoutMs)) return 'timeout';
      if (this.inbox.length === 0) return 'closed'; // a short read
      const c = this.inbox.shift()!;
      if (c === 0x0a) {
        if (line.endsWith('\r')) line = line.slice(0, -1);
        return line.length > 0 ? line : 'closed';
      }
      // syncReadLine's buffer holds 1023 bytes: a longer line is cut there and the rest read as the next one.
      line += String.fromCharCode(c);
      if (line.length === 1023) return line;
    }
  }

  private wait(done: () => boolean, timeoutMs: number): boolean {
    return this.node.host.waitBlocking?.(done, timeoutMs * 1000) ?? done();
  }

  /**
   * connBlockingConnect: fails only when the connect cannot even start (a
   * name that does not resolve). Otherwise the process waits at most the
   * timeout for the socket to turn writable, and the connection counts as
   * made whatever came of it: a refused or unfinished connect shows when
   * MIGRATE writes ("error or timeout writing to target instance").
   */
  connect(host: string, port: number, timeoutMs: number): boolean {
    const attempt = this.node.host.connectBlocking?.(host, port, this.events);
    if (!attempt || 'error' in attempt) return false;
    this.socket = attempt;
    this.wait(() => this.connected || this.failed || this.closed, timeoutMs);
    return true;
  }

  close(): void {
    this.socket?.close();
    this.closed = true;
  }
}

/** server.migrate_cached_sockets. */
export class MigrateSockets {
  private readonly cache = new Map<string, MigrateSocket>();

  constructor(private readonly node: RedisNode) {}

  get size(): number {
    return this.cache.size;
  }

  /** migrateGetSocket: the cached connection, or a new one (null when it cannot be made in time). */
  get(host: string, port: string, timeoutMs: number): MigrateSocket | null {
    const name = `${host}:${port}`;
    const cached = this.cache.get(name);
    if (cached) {
      cached.lastUse = this.node.unixtime;
      return cached;
    }
    if (this.cache.size === CACHE_ITEMS) {
      // Too many: one goes, at random.
      const victims = [...this.cache.keys()];
      this.close(victims[this.node.options.random.below(victims.length)]!);
    }
    const socket = new MigrateSocket(this.node, name);
    if (!socket.connect(host, atoi(port), timeoutMs)) return null;
    this.cache.set(name, socket);
    return socket;
  }

  /** migrateCloseSocket. */
  close(name: string): void {
    this.cache.get(name)?.close();
    this.cache.delete(name);
  }

  /** migrateCloseTimedoutSockets, once a second from serverCron. */
  cron(): void {
    for (const [name, socket] of this.cache) if (this.node.unixtime - socket.lastUse > CACHE_TTL_SECONDS) this.close(name);
  }

  /** The process is gone: so are its connections. */
  closeAll(): void {
    for (const name of [...this.cache.keys()]) this.close(name);
  }
}

