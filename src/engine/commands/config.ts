// Config commands: CONFIG GET, CONFIG SET, CONFIG RESETSTAT, CONFIG REWRITE,
// CONFIG HELP (config.c of Redis 7.0.15). The parameters are in
// ../config-table.ts, the values and the GET/SET algorithms in
// ../config-values.ts, the rewrite in ../config-rewrite.ts.
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { fromLatin1, latin1 } from '../bytes.ts';
import { rewriteConfig } from '../config-rewrite.ts';
import { CONFIG_FILE } from '../config-file.ts';
import { configValues } from '../config-values.ts';
import { writeHelp } from './help.ts';

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

/** CONFIG RESETSTAT: every counter INFO shows that Redis resets (src/engine/stats.ts). */
const configResetstat: Handler = ({ node, reply }) => {
  node.stats.reset();
  reply.ok();
};

/**
 * CONFIG REWRITE: the config file the process started with, rewritten
 * (the simulated disk never fails a write, so the "Rewriting config file"
 * error does not arise).
 */
const configRewrite: Handler = ({ node, reply }) => {
  if (node.configFile === null) return reply.error(Err.configNoFile);
  const old = node.disk.read(CONFIG_FILE);
  node.disk.write(CONFIG_FILE, fromLatin1(rewriteConfig(node, old === null ? null : latin1(old))));
  node.options.log.warning('CONFIG REWRITE executed with success.');
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

const configHelp: Handler = ({ argv, reply }) => writeHelp(reply, argv[0], HELP);

export const configHandlers: Record<string, Handler> = {
  'config|get': configGet,
  'config|set': configSet,
  'config|resetstat': configResetstat,
  'config|rewrite': configRewrite,
  'config|help': configHelp,
};
