// The control port of `npm run serve` (--control-port): the SIM language
// over RESP, so `redis-cli -p <control-port> SIM KILL 6380` works.
import net from 'node:net';
import type { World } from '../sim/world.ts';
import { runSimCommand, type TimeControl } from '../sim/control.ts';
import { ProtocolError, RequestReader } from '../engine/resp/request-reader.ts';
import { ReplyWriter } from '../engine/resp/reply-writer.ts';
import { latin1, lowerAscii } from '../engine/bytes.ts';

export function startControlPort(world: World, time: TimeControl, host: string, port: number, after: () => void): Promise<net.Server> {
  const server = net.createServer((socket) => {
    const reader = new RequestReader({ maxBulkLength: () => 1 << 20 });
    socket.on('data', (chunk) => {
      reader.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      const out = new ReplyWriter();
      for (let argv = reader.next(); argv !== null; argv = reader.next()) {
        if (argv instanceof ProtocolError) {
          out.error(argv.reply);
          socket.end(out.take());
          return;
        }
        if (argv.length === 0) continue;
        if (lowerAscii(argv[0]) === 'sim') out.raw(runSimCommand(world, argv, time));
        else out.error(`ERR unknown command '${latin1(argv[0])}': the control port speaks the SIM language (try SIM HELP)`);
      }
      if (out.size > 0) socket.write(out.take());
      after();
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`control port ${host}:${port}: ${e.code ?? e.message}`)));
    server.listen(port, host, () => resolve(server));
  });
}
