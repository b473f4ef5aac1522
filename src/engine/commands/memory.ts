// MEMORY USAGE, PURGE and HELP (memoryCommand in object.c of 7.0.15); the
// sizes are src/engine/memory-usage.ts's.
import type { Handler } from './context.ts';
import { writeHelp } from './help.ts';
import { Err } from '../errors.ts';
import { lowerAscii, string2ll } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import { memoryUsage } from '../memory-usage.ts';

/** OBJ_COMPUTE_SIZE_DEF_SAMPLES. */
const DEFAULT_SAMPLES = 5;

const usage: Handler = ({ node, db, argv, reply }) => {
  let samples = DEFAULT_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (lowerAscii(argv[j]) === 'samples' && j + 1 < argv.length) {
      const n = string2ll(argv[j + 1]);
      if (n === null) return reply.error(Err.notInteger);
      if (n < 0) return reply.error(Err.syntax);
      samples = Number(n);
      j++;
    } else {
      return reply.error(Err.syntax);
    }
  }
  // dictFind: the key as stored, expired or not (no lookup, so no lazy expiry and no stats).
  const key = keyName(argv[2]);
  const value = db.peek(key);
  if (value === undefined) return reply.nil();
  reply.integer(memoryUsage(key, value, samples, node.config));
};

const HELP = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

export const memoryHandlers: Record<string, Handler> = {
  'memory|usage': usage,
  // jemalloc's arena purge: nothing to give back in a simulated process.
  'memory|purge': ({ reply }) => reply.ok(),
  'memory|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};
