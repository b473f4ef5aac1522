// A headless World for replication scenarios: clients on its nodes, SIM
// commands, INFO as a map, log lines since a point, and waiting on a
// condition in virtual time (bounded; never on the wall clock).
import { World, type WorldOptions } from '../../src/sim/world.ts';
import { runSimCommand } from '../../src/sim/control.ts';
import { ReplyReader, encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import type { LogRecord } from '../../src/sim/process.ts';
import { plainReply } from './world-client.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

export { plainReply };

export class Scenario {
  readonly world: World;
  private readonly clients = new Map<number, (...args: string[]) => unknown>();

  /** Every log line of every node, in order (the world keeps only the last ones). */
  private readonly records: LogRecord[] = [];

  constructor(options: WorldOptions = {}) {
    this.world = new World(options);
    for (const port of this.world.nodes().map((n) => n.port)) this.records.push(...this.world.logs(port));
    this.world.onLog((r) => this.records.push(r));
  }

  /** Runs a command on a node through a client connection of its own; the reply as plain data. */
  cmd(port: number, ...args: string[]): unknown {
    let client = this.clients.get(port);
    if (!client) {
      const reader = new ReplyReader();
      const conn = this.world.connectExternal(port, { data: (b) => reader.feed(b), closed: () => this.clients.delete(port) });
      if (!conn) throw new Error(`node ${port} refused the connection`);
      client = (...a: string[]) => {
        conn.write(encodeCommand(a.map(bytes)));
        // Input that reaches a process right after a blocking call (MIGRATE) waits behind what the call held: events due now.
        const reply = reader.next() ?? (this.world.runUntil(this.world.nowUs), reader.next());
        if (!reply) throw new Error(`no reply to ${a.join(' ')} on ${port}`);
        return plainReply(reply);
      };
      this.clients.set(port, client);
    }
    return client(...args);
  }

  /**
   * Sends a command that may block (WAIT, SHUTDOWN) on a connection of its
   * own; returns a probe: the reply once it came, undefined before, and
   * 'closed' when the server closed the connection without replying.
   */
  send(port: number, ...args: string[]): () => unknown {
    const replies = this.pipeline(port, [args]);
    return () => {
      const got = replies();
      return got === 'closed' ? 'closed' : got[0];
    };
  }

  /**
   * Sends several commands at once on a connection of its own (one client,
   * as redis-cli would send them one after the other); the probe returns
   * the replies received so far, or 'closed' when the server closed it first.
   */
  pipeline(port: number, commands: string[][]): () => unknown[] | 'closed' {
    const reader = new ReplyReader();
    let closed = false;
    const conn = this.world.connectExternal(port, { data: (b) => reader.feed(b), closed: () => (closed = true) });
    if (!conn) throw new Error(`node ${port} refused the connection`);
    for (const args of commands) conn.write(encodeCommand(args.map(bytes)));
    const replies: unknown[] = [];
    return () => {
      for (let r = reader.next(); r; r = reader.next()) replies.push(plainReply(r));
      return replies.length === 0 && closed ? 'closed' : replies;
    };
  }

  /**
   * A connection of its own that stays open: send() writes a command,
   * replies() returns what arrived since the last call. For clients whose
   * commands interleave with others' (WATCH, MULTI across clients).
   */
  session(port: number): { send: (...args: string[]) => void; replies: () => unknown[] } {
    const reader = new ReplyReader();
    const conn = this.world.connectExternal(port, { data: (b) => reader.feed(b), closed: () => {} });
    if (!conn) throw new Error(`node ${port} refused the connection`);
    return {
      send: (...args) => conn.write(encodeCommand(args.map(bytes))),
      replies: () => {
        const out: unknown[] = [];
        for (let r = reader.next(); r; r = reader.next()) out.push(plainReply(r));
        return out;
      },
    };
  }

  /** A SIM command, its reply as plain data. */
  sim(...args: string[]): unknown {
    const reader = new ReplyReader();
    reader.feed(runSimCommand(this.world, ['SIM', ...args].map(bytes), null));
    return plainReply(reader.next()!);
  }

  /** INFO <section> as field -> value. */
  info(port: number, section = 'replication'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of String(this.cmd(port, 'INFO', section)).split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
  }

  /** Advances virtual time by `seconds`. */
  run(seconds: number): void {
    this.world.runUntil(this.world.nowUs + Math.round(seconds * 1_000_000));
  }

  /** Advances virtual time until `cond` holds, checking every 10 ms, at most `maxSeconds`. */
  waitFor(cond: () => boolean, maxSeconds = 30, what = 'condition'): void {
    const end = this.world.nowUs + maxSeconds * 1_000_000;
    while (!cond()) {
      if (this.world.nowUs >= end) throw new Error(`${what} did not hold within ${maxSeconds} s of virtual time`);
      this.world.runUntil(Math.min(end, this.world.nowUs + 10_000));
    }
  }

  /** A point in the log to take lines from. */
  mark(): number {
    return this.records.length;
  }

  /** Log lines of a node since `from` (a mark), without pid and timestamp: "<role> <level> <message>". */
  logs(port: number, from = 0): string[] {
    return this.records
      .slice(from)
      .filter((r) => r.port === port)
      .map((r) => r.line.replace(/^\d+:(\w) \d\d \w{3} \d{4} [\d:.]+ (.) /, '$1 $2 '));
  }

  /** Waits until the node logged a line containing `needle` (after `from`). */
  waitForLog(port: number, needle: string, from = 0, maxSeconds = 30): void {
    this.waitFor(() => this.logs(port, from).some((l) => l.includes(needle)), maxSeconds, `log "${needle}" on ${port}`);
  }
}

/** A world where 6380 replicates 6379 (diskless, at once), once the replica is online. */
export function masterAndReplica(): Scenario {
  const s = new Scenario();
  s.cmd(6379, 'CONFIG', 'SET', 'repl-diskless-sync-delay', '0');
  s.cmd(6380, 'REPLICAOF', '127.0.0.1', '6379');
  s.waitFor(() => s.world.node(6379)!.replication.master.slaves.some((c) => c.slave!.state === 'online'), 10);
  return s;
}

/**
 * What a replica logs when its master link drops and it comes back with a
 * partial resync, from the drop to the master's +CONTINUE (redis-facts.md
 * 3.3): `request` is the replid and offset it asks PSYNC with.
 */
export function partialResyncLines(master: string, replid: string, offset: number): string[] {
  return [
    'S # Connection with master lost.',
    'S * Caching the disconnected master state.',
    `S * Reconnecting to MASTER ${master}`,
    'S * MASTER <-> REPLICA sync started',
    'S * Non blocking connect for SYNC fired the event.',
    'S * Master replied to PING, replication can continue...',
    `S * Trying a partial resynchronization (request ${replid}:${offset}).`,
    'S * Successful partial resynchronization with master.',
    'S * MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.',
  ];
}
