// SAVE, BGSAVE, BGREWRITEAOF and LASTSAVE (rdb.c's saveCommand and
// bgsaveCommand, aof.c's bgrewriteaofCommand, server.c's lastsaveCommand)
// over rdb/persistence.ts (the synchronous save), rdb/bgsave.ts (the fork)
// and aof/append-only.ts. A replication fork is an RDB child: "already in
// progress", SCHEDULE or not, as on the real server; an AOF rewrite child
// makes BGSAVE wait (SCHEDULE, or inside EXEC) or refuse.
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, lowerAscii } from '../bytes.ts';
import { rdbSave } from '../rdb/persistence.ts';

/** SAVE: a synchronous save to dbfilename on the node's disk. */
const save: Handler = ({ reply, node }) => {
  if (node.bgsave.running('rdb')) return reply.error(Err.bgsaveInProgress);
  node.stats.rdbSaves++; // INFO: rdb_saves counts every SAVE, failed ones too
  const result = rdbSave(node);
  if (result.ok) return reply.ok();
  reply.error(Err.saveUnsupportedType(result.error.valueType));
};

/** BGSAVE [SCHEDULE]. */
const bgsave: Handler = ({ argv, reply, node, client }) => {
  if (argv.length > 1 && !(argv.length === 2 && lowerAscii(cString(argv[1])) === 'schedule')) return reply.error(Err.syntax);
  const bg = node.bgsave;
  const schedule = argv.length === 2;
  if (bg.running('rdb')) return reply.error(Err.bgsaveInProgress);
  if (bg.child || client.inExec) {
    // Another child (an AOF rewrite), or server.in_exec: the fork waits, in serverCron.
    if (!schedule && !client.inExec) return reply.error(Err.bgsaveOtherChild);
    bg.scheduled = true;
    return reply.status('Background saving scheduled');
  }
  bg.saveBackground(node.replication.saveInfo());
  reply.status('Background saving started');
};

/** BGREWRITEAOF: a rewrite now, or scheduled behind another child or the running EXEC. */
const bgrewriteaof: Handler = ({ reply, node, client }) => {
  const aof = node.aof;
  if (node.bgsave.running('aof')) return reply.error(Err.bgrewriteaofInProgress);
  if (node.bgsave.child || client.inExec) {
    aof.rewriteScheduled = true;
    // A manual rewrite is not held back by earlier failures.
    aof.consecutiveFailures = 0;
    return reply.status('Background append only file rewriting scheduled');
  }
  if (aof.startRewrite()) return reply.status('Background append only file rewriting started');
  reply.error(Err.bgrewriteaofFailed);
};

/** LASTSAVE: unix seconds of the last successful save (the start time before any). */
const lastsave: Handler = ({ reply, node }) => reply.integer(node.lastSave);

export const persistenceHandlers: Record<string, Handler> = { save, bgsave, bgrewriteaof, lastsave };
