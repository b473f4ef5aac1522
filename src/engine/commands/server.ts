// Server commands: SHUTDOWN, MONITOR and TIME (COMMAND is command-info.ts and command-docs.ts).
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { lowerAscii } from '../bytes.ts';

/** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (db.c shutdownCommand). */
const shutdown: Handler = ({ node, client, argv, reply }) => {
  const flags = { nosave: false, save: false, now: false, force: false };
  let abort = false;
  for (const arg of argv.slice(1)) {
    const word = lowerAscii(arg);
    if (word === 'nosave') flags.nosave = true;
    else if (word === 'save') flags.save = true;
    else if (word === 'now') flags.now = true;
    else if (word === 'force') flags.force = true;
    else if (word === 'abort') abort = true;
    else return reply.error(Err.syntax);
  }
  const any = flags.nosave || flags.save || flags.now || flags.force;
  if ((abort && any) || (flags.nosave && flags.save)) return reply.error(Err.syntax);
  if (abort) return node.shutdown.abort() ? reply.ok() : reply.error('ERR No shutdown in progress.');
  // The client blocks: no reply when the process exits, an error if it cannot.
  node.block(client, 'shutdown', 0, () => {});
  if (node.shutdown.request(client, flags)) return;
  if (!node.shutdown.inProgress) node.unblock(client, (out) => out.error('ERR Errors trying to SHUTDOWN. Check logs.'));
};

/** MONITOR: from now on the client is sent every command the server runs. */
const monitor: Handler = ({ node, client, reply }) => {
  // A replica, or a client monitoring already, is left as it is (CLIENT_SLAVE covers both in Redis).
  if (client.inExec) return reply.error(Err.monitorDenyBlocking);
  if (client.slave || client.monitor) return;
  client.monitor = true;
  node.monitors.push(client);
  reply.ok();
};

/** TIME: the node's clock (the simulated machine's), seconds and microseconds. */
const time: Handler = ({ node, reply }) => {
  const clock = node.options.clock;
  const us = clock.unixUs ?? clock.unixMs * 1000;
  reply.arrayHeader(2);
  reply.bulkText(String(Math.floor(us / 1_000_000)));
  reply.bulkText(String(Math.floor(us % 1_000_000)));
};

export const serverHandlers: Record<string, Handler> = { shutdown, monitor, time };
