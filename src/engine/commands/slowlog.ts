// SLOWLOG GET [count], LEN, RESET, HELP (slowlogCommand in slowlog.c).
import type { Handler } from './context.ts';
import { subcommandSyntaxError, writeHelp } from './help.ts';
import { parseRange } from './args.ts';
import { Err } from '../errors.ts';

const LONG_MAX = Number.MAX_SAFE_INTEGER;

const get: Handler = ({ node, argv, reply }) => {
  if (argv.length > 3) return reply.error(subcommandSyntaxError(argv));
  const entries = node.slowlog.entries;
  let count = 10;
  if (argv.length === 3) {
    const parsed = parseRange(argv[2], -1, LONG_MAX);
    if (!parsed.ok) return reply.error(Err.slowlogCount);
    count = parsed.value === -1 ? entries.length : parsed.value;
  }
  const sent = entries.slice(0, count);
  reply.arrayHeader(sent.length);
  for (const e of sent) {
    reply.arrayHeader(6);
    reply.integer(e.id);
    reply.integer(e.time);
    reply.integer(e.durationUs);
    reply.arrayHeader(e.argv.length);
    for (const a of e.argv) reply.bulk(a);
    reply.bulkText(e.peer);
    reply.bulk(e.name);
  }
};

const HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

export const slowlogHandlers: Record<string, Handler> = {
  'slowlog|get': get,
  'slowlog|len': ({ node, reply }) => reply.integer(node.slowlog.entries.length),
  'slowlog|reset': ({ node, reply }) => {
    node.slowlog.reset();
    reply.ok();
  },
  'slowlog|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};
