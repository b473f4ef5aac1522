// RedisNode: one Redis server. It owns the clients connected to it and runs
// their commands through one dispatch path: RESP bytes in, replies out.
// It knows nothing of how bytes travel; a transport (the simulated network,
// a TCP socket, a terminal) feeds it and receives its replies.

import { Client, type ClientTransport, type PeerAddress } from './client.ts';
import { ProtocolError } from './resp/request-reader.ts';
import { lookupCommand } from './commands/registry.ts';
import { Err } from './errors.ts';
import { latin1 } from './bytes.ts';
import type { Logger } from './log.ts';
import { Keyspace, type KeyspaceClock } from './keyspace/keyspace.ts';
import type { RandomSource } from './random.ts';
import { NodeConfig } from './config.ts';
import { MemoryDisk, type Disk } from './disk.ts';
import { loadDataFromDisk, type LoadResult } from './rdb/persistence.ts';

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
}


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

  readonly keyspace: Keyspace;
  readonly disk: Disk;
  /** LASTSAVE: unix seconds of the last successful save; the start time before any (initServer). */
  lastSave: number;

  constructor(readonly options: NodeOptions) {
    this.keyspace = new Keyspace(this.config.databases, options.clock);
    this.disk = options.disk ?? new MemoryDisk();
    this.lastSave = Math.floor(options.clock.unixMs / 1000);
  }

  /**
   * loadDataFromDisk, at process start between "Server initialized" and
   * "Ready to accept connections": loads dump.rdb if the disk has one.
   * When it fails the process must exit (the reason is logged already).
   */
  loadDataFromDisk(): LoadResult {
    return loadDataFromDisk(this);
  }

  get port(): number {
    return this.options.port;
  }

  get connectedClients(): number {
    return this.clients.size;
  }

  /** Accepts a connection from `peer`; replies go to `transport`. */
  accept(peer: PeerAddress, transport: ClientTransport): Connection {
    const client = new Client(this.nextClientId++, peer, transport, () => this.config.protoMaxBulkLen);
    this.clients.set(client.id, client);
    return {
      clientId: client.id,
      receive: (bytes) => this.receive(client, bytes),
      close: () => this.dropClient(client),
    };
  }

  /** Closes every connection (the process is going away). */
  closeAllClients(): void {
    for (const client of [...this.clients.values()]) {
      client.transport.close();
      this.dropClient(client);
    }
  }

  private dropClient(client: Client): void {
    client.closed = true;
    this.clients.delete(client.id);
  }

  /** processInputBuffer: run every whole command received, then flush replies. */
  private receive(client: Client, bytes: Uint8Array): void {
    if (client.closed || client.closeAfterReply) return;
    client.reader.feed(bytes);
    while (!client.closeAfterReply) {
      const next = client.reader.next();
      if (next === null) break;
      if (next instanceof ProtocolError) {
        client.reply.error(next.reply);
        client.closeAfterReply = true;
        break;
      }
      if (next.length === 0) continue;
      this.execute(client, next);
    }
    this.flush(client);
  }

  private flush(client: Client): void {
    if (client.reply.size > 0) client.transport.write(client.reply.take());
    if (client.closeAfterReply && !client.closed) {
      client.transport.close();
      this.dropClient(client);
    }
  }

  /** processCommand then call(): lookup, arity, run. A handler that throws is a bug, not a crash. */
  execute(client: Client, argv: Uint8Array[]): void {
    const found = lookupCommand(argv);
    if ('error' in found) {
      client.reply.error(found.error);
      return;
    }
    try {
      const db = this.keyspace.dbs[client.db];
      found.command.handler!({ node: this, client, argv, reply: client.reply, db, keyspace: this.keyspace });
    } catch (e) {
      const name = found.command.spec.name;
      this.options.log.warning(`Internal error in '${name}' (args ${JSON.stringify(latin1(argv[0]))}...): ${String(e)}`);
      client.reply.error(Err.internal(name));
    }
  }
}
