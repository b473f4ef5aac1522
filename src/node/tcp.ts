// One TCP listener per simulated node: bytes from a socket go into the
// node's client connection and its replies go back, unchanged.
import net from 'node:net';
import type { World } from '../sim/world.ts';
import type { RealTimeDriver } from './realtime.ts';

export class TcpFrontend {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly world: World, private readonly driver: RealTimeDriver) {}

  /** Listens for one node; rejects with Redis's wording when the port is taken. */
  listen(host: string, listenPort: number, nodePort: number): Promise<void> {
    const server = net.createServer((socket) => this.accept(socket, nodePort));
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new Error(`Could not create server TCP listening socket ${host}:${listenPort}: bind: ${e.code === 'EADDRINUSE' ? 'Address already in use' : e.message}`)),
      );
      server.listen(listenPort, host, () => resolve());
    });
  }

  private accept(socket: net.Socket, nodePort: number): void {
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
    this.sockets.add(socket);
    socket.on('data', (chunk) => {
      this.driver.sync();
      conn.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.driver.arm();
    });
    const gone = () => {
      this.sockets.delete(socket);
      conn.close();
    };
    socket.on('close', gone);
    socket.on('error', () => socket.destroy());
    this.driver.arm();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
