// Outbound TCP for `npm run serve`: a simulated node that replicates from
// a real redis-server (an address no node of the world has) connects over a
// real socket. Events are handed to the world at the current virtual time
// (the driver syncs first, and re-arms its timer after).
import net from 'node:net';
import type { OutboundSocket, SocketEvents } from '../engine/host.ts';
import type { RealTimeDriver } from './realtime.ts';

/** strerror for the connect errors a replica logs ("Error condition on socket for SYNC: ..."). */
const STRERROR: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  ENOTFOUND: 'Name or service not known',
};

export function dialReal(driver: RealTimeDriver, host: string, port: number, events: SocketEvents): OutboundSocket {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  let connected = false;
  let closedByUs = false;
  const inWorld = (run: () => void) => {
    if (closedByUs) return;
    driver.sync();
    run();
    driver.arm();
  };
  socket.on('connect', () => {
    connected = true;
    inWorld(() => events.connected());
  });
  socket.on('data', (chunk: Buffer) => inWorld(() => events.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice())));
  socket.on('error', (e: NodeJS.ErrnoException) => {
    if (!connected) inWorld(() => events.failed(STRERROR[e.code ?? ''] ?? e.message));
  });
  socket.on('close', () => {
    if (connected) inWorld(() => events.closed());
  });
  return {
    write: (bytes) => void socket.write(bytes),
    close: () => {
      closedByUs = true;
      socket.destroy();
    },
    get unsent() {
      return socket.writableLength;
    },
    whenDrained: (cb) => (socket.writableLength === 0 ? cb() : void socket.once('drain', cb)),
  };
}
