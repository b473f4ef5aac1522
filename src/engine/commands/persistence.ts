// SAVE, BGSAVE and LASTSAVE (rdb.c's saveCommand and bgsaveCommand,
// server.c's lastsaveCommand) over rdb/persistence.ts (the synchronous
// save) and rdb/bgsave.ts (the fork). This engine has only RDB children (no
// AOF rewrite, no module forks), so "another child process is active"
// cannot happen; BGSAVE inside EXEC is the one way to get "Background
// saving scheduled" (a replication fork is an RDB child: "already in
// progress", SCHEDULE or not, as on the real server).
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, lowerAscii } from '../bytes.ts';
import { rdbSave } from '../rdb/persistence.ts';

/** SAVE: a synchronous save to dbfilename on the node's disk. */
const save: Handler = ({ reply, node }) => {
  if (node.bgsave.child) return reply.error(Err.bgsaveInProgress);
  node.stats.rdbSaves++; // INFO: rdb_saves counts every SAVE, failed ones too
  const result = rdbSave(node);
  if (result.ok) return reply.ok();
  reply.error(Err.saveUnsupportedType(result.error.valueType));
};

/** BGSAVE [SCHEDULE]. */
const bgsave: Handler = ({ argv, reply, node, client }) => {
  if (argv.length > 1 && !(argv.length === 2 && lowerAscii(cString(argv[1])) === 'schedule')) return reply.error(Err.syntax);
  const bg = node.bgsave;
  if (bg.child) return reply.error(Err.bgsaveInProgress);
  if (client.inExec) {
    // server.in_exec: the fork waits for the transaction's end, in serverCron.
    bg.scheduled = true;
    return reply.status('Background saving scheduled');
  }
  bg.saveBackground(node.replication.saveInfo());
  reply.status('Background saving started');
};

/** LASTSAVE: unix seconds of the last successful save (the start time before any). */
const lastsave: Handler = ({ reply, node }) => reply.integer(node.lastSave);

export const persistenceHandlers: Record<string, Handler> = { save, bgsave, lastsave };
