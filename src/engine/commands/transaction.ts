// MULTI, EXEC and DISCARD (multi.c). Commands are queued by the dispatch
// (node.processCommand) while a transaction is open; EXEC runs them one by
// one through call(), so that their writes reach the replication stream
// wrapped in MULTI/EXEC as one unit. WATCH makes EXEC answer a null array
// when a watched key was modified since (any command that changed the
// dataset touches the keys it names, and so do expiry and FLUSHDB,
// FLUSHALL and SWAPDB for the keys they find).
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { latin1 } from '../bytes.ts';
import { missingPart, waitForPart } from './lazy.ts';

const multi: Handler = ({ client, reply }) => {
  if (client.multi) return reply.error(Err.multiNested);
  client.multi = { queue: [], dirty: false };
  reply.ok();
};

const discard: Handler = ({ node, client, reply }) => {
  if (!client.multi) return reply.error(Err.discardWithoutMulti);
  client.multi = null;
  node.watches.unwatchAll(client);
  reply.ok();
};

const watch: Handler = ({ node, client, argv, reply }) => {
  if (client.multi) return reply.error(Err.watchInsideMulti);
  // No point in watching more once a watched key changed: EXEC fails anyway.
  if (!client.dirtyCas) for (const key of argv.slice(1)) node.watches.watch(client, client.db, latin1(key));
  reply.ok();
};

const unwatch: Handler = ({ node, client, reply }) => {
  node.watches.unwatchAll(client);
  reply.ok();
};

const exec: Handler = ({ node, client, argv, reply }) => {
  const tx = client.multi;
  if (!tx) return reply.error(Err.execWithoutMulti);
  // EXEC with a watched key that expired since WATCH is refused too.
  if (node.watches.expiredSinceWatch(client)) client.dirtyCas = true;
  if (tx.dirty) {
    client.multi = null;
    node.watches.unwatchAll(client);
    return reply.error(Err.execAbort);
  }
  // A lazy part a queued command needs (the browser): EXEC runs again once it is loaded.
  const part = client.dirtyCas ? null : missingPart(tx.queue.map((q) => q.name));
  if (part && waitForPart(node, client, argv, part)) return;
  // A watched key changed: nothing runs, and the reply is a null array.
  const aborted = client.dirtyCas;
  node.watches.unwatchAll(client);
  if (aborted) {
    client.multi = null;
    return reply.nullArray();
  }
  reply.arrayHeader(tx.queue.length);
  client.inExec = true;
  node.inExec = true;
  // The transaction stays the client's while its commands run (CLIENT LIST shows flags=x, multi=N); discardTransaction ends it.
  try {
    for (const { argv } of tx.queue) node.runQueued(client, argv);
  } finally {
    client.inExec = false;
    node.inExec = false;
    client.multi = null;
  }
  // EXEC itself is never propagated: what its commands propagated goes out wrapped in MULTI/EXEC.
  client.preventPropagation = true;
};

export const transactionHandlers: Record<string, Handler> = { multi, exec, discard, watch, unwatch };
