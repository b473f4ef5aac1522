// One TCP listener per running node: bytes from a socket go into the node's
// client connection and its replies go back, unchanged. A node that is down
// has no listener, so connecting to it is refused as with a dead redis-server.
import net from 'node:net';
import type { World } from '../sim/world.ts';
import type { RealTimeDriver } from './realtime.ts';

interface Listener {
  readonly server: net.Server;
  readonly sockets: Set<net.Socket>;
}

export class TcpFrontend {
  private readonly listeners = new Map<number, Listener>();

  constructor(
    private readonly world: World,
    private readonly driver: RealTimeDriver,
    private readonly host: string,
    private readonly log: (message: string) => void,
  ) {}

  /** Listens for one node; rejects with Redis's wording when the port is taken. */
  listen(port: number): Promise<void> {
    const listener: Listener = { server: net.createServer((socket) => this.accept(socket, port, listener)), sockets: new Set() };
    this.listeners.set(port, listener);
    return new Promise((resolve, reject) => {
      listener.server.once('error', (e: NodeJS.ErrnoException) => {
        this.listeners.delete(port);
        reject(new Error(`Could not create server TCP listening socket ${this.host}:${port}: bind: ${e.code === 'EADDRINUSE' ? 'Address already in use' : e.message}`));
      });
      listener.server.listen(port, this.host, () => resolve());
    });
  }

  /** Opens listeners for nodes that came up and closes those of nodes that went down or away. */
  sync(): void {
    const up = new Set(this.world.nodes().filter((n) => n.up).map((n) => n.port));
    for (const port of [...this.listeners.keys()]) if (!up.has(port)) void this.closeListener(port);
    for (const port of up) {
      if (!this.listeners.has(port)) this.listen(port).catch((e: Error) => this.log(e.message));
    }
  }

  private accept(socket: net.Socket, nodePort: number, listener: Listener): void {
    socket.setNoDelay(true);
    this.driver.sync();
    const conn = this.world.connectExternal(nodePort, {
      data: (bytes) => socket.write(bytes),
      closed: () => socket.end(),
    });
    if (!conn) {
      socket.destroy();
      return;
    }
    listener.sockets.add(socket);
    socket.on('data', (chunk) => {
      this.driver.sync();
      conn.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.driver.arm();
    });
    socket.on('close', () => {
      listener.sockets.delete(socket);
      conn.close();
    });
    socket.on('error', () => socket.destroy());
    this.driver.arm();
  }

  private closeListener(port: number): Promise<void> {
    const listener = this.listeners.get(port);
    if (!listener) return Promise.resolve();
    this.listeners.delete(port);
    for (const s of listener.sockets) s.destroy();
    return new Promise((resolve) => listener.server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((port) => this.closeListener(port)));
  }
}
