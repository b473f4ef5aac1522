// Config commands: CONFIG GET, CONFIG SET, CONFIG RESETSTAT, CONFIG HELP
// (config.c of Redis 7.0.15). The parameters are in ../config-table.ts, the
// values and the GET/SET algorithms in ../config-values.ts.
// CONFIG REWRITE has no handler yet: it answers as an unknown subcommand.
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1 } from '../bytes.ts';
import { configValues } from '../config-values.ts';

const configGet: Handler = ({ node, argv, reply }) => {
  const pairs = configValues(node).get(argv.slice(2));
  reply.mapHeader(pairs.length);
  for (const [name, value] of pairs) {
    reply.bulk(name);
    reply.bulk(fromLatin1(value));
  }
};

const configSet: Handler = ({ node, client, argv, reply }) => {
  // Name/value pairs: an odd count is a syntax error before anything is looked up.
  if (argv.length % 2 !== 0) return reply.error(Err.syntax);
  const error = configValues(node).set(client, argv.slice(2));
  if (error !== null) return reply.error(error);
  reply.ok();
};

/**
 * resetServerStats: the counters INFO shows that the engine keeps. Command
 * and error statistics (INFO commandstats, errorstats) are not kept yet.
 */
const configResetstat: Handler = ({ node, keyspace, reply }) => {
  const ks = keyspace.stats;
  ks.keyspaceHits = 0;
  ks.keyspaceMisses = 0;
  ks.expiredKeys = 0;
  const repl = node.replication.stats;
  repl.syncFull = 0;
  repl.syncPartialOk = 0;
  repl.syncPartialErr = 0;
  repl.netReplInputBytes = 0;
  repl.netReplOutputBytes = 0;
  reply.ok();
};

const HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

/** addReplyHelp: a header naming the command as typed (upper-cased), the lines, then HELP's own. */
const configHelp: Handler = ({ argv, reply }) => {
  reply.arrayHeader(HELP.length + 3);
  reply.status(`${latin1(cString(argv[0])).toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of HELP) reply.status(line);
  reply.status('HELP');
  reply.status('    Prints this help.');
};

export const configHandlers: Record<string, Handler> = {
  'config|get': configGet,
  'config|set': configSet,
  'config|resetstat': configResetstat,
  'config|help': configHelp,
};
