// MULTI, EXEC and DISCARD (multi.c). Commands are queued by the dispatch
// (node.processCommand) while a transaction is open; EXEC runs them one by
// one through call(), so that their writes reach the replication stream
// wrapped in MULTI/EXEC as one unit. WATCH is not in the engine yet: it
// answers as an unknown command (and so makes an open transaction abort).
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';

const multi: Handler = ({ client, reply }) => {
  if (client.multi) return reply.error(Err.multiNested);
  client.multi = { queue: [], dirty: false };
  reply.ok();
};

const discard: Handler = ({ client, reply }) => {
  if (!client.multi) return reply.error(Err.discardWithoutMulti);
  client.multi = null;
  reply.ok();
};

const exec: Handler = ({ node, client, reply }) => {
  const tx = client.multi;
  if (!tx) return reply.error(Err.execWithoutMulti);
  client.multi = null;
  if (tx.dirty) return reply.error(Err.execAbort);
  reply.arrayHeader(tx.queue.length);
  client.inExec = true;
  try {
    for (const { argv } of tx.queue) node.runQueued(client, argv);
  } finally {
    client.inExec = false;
  }
  // EXEC itself is never propagated: what its commands propagated goes out wrapped in MULTI/EXEC.
  client.preventPropagation = true;
};

export const transactionHandlers: Record<string, Handler> = { multi, exec, discard };
