// MEMORY USAGE, STATS, PURGE and HELP (memoryCommand in object.c of 7.0.15);
// the sizes are src/engine/memory-usage.ts's, the statistics info/memory.ts's.
import type { Handler } from './context.ts';
import { writeHelp } from './help.ts';
import { Err } from '../errors.ts';
import { lowerAscii, string2ll } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import { memoryUsage } from '../memory-usage.ts';
import { memoryFigures, FUNCTIONS_CACHES } from '../info/memory.ts';
import { float } from '../info/format.ts';
import { formatScore } from '../keyspace/zset-score.ts';

/** dictSlots of a database dict: the table size for n keys (a power of two, at least 4; 0 when empty). */
function slots(n: number): number {
  if (n === 0) return 0;
  let size = 4;
  while (size < n) size *= 2;
  return size;
}

/**
 * MEMORY STATS (getMemoryOverheadData): the figures INFO memory shows, from
 * the same model (info/memory.ts), named and ordered as Redis replies them;
 * the ratios are C floats printed with %.17g, as there.
 */
const stats: Handler = ({ node, reply }) => {
  const m = memoryFigures(node);
  const dbs = node.keyspace.dbs.filter((db) => db.size > 0);
  const keys = dbs.reduce((n, db) => n + db.size, 0);
  const net = m.used > m.startup ? m.used - m.startup : 1;
  const ratio = (a: number, b: number) => formatScore(float(float(a) / float(b)));
  reply.mapHeader(27 + dbs.length);
  const field = (name: string, value: number) => {
    reply.bulkText(name);
    reply.integer(value);
  };
  const double = (name: string, value: number) => {
    reply.bulkText(name);
    reply.doubleText(formatScore(value));
  };
  field('peak.allocated', m.peak);
  field('total.allocated', m.used);
  field('startup.allocated', m.startup);
  field('replication.backlog', m.replBacklog);
  field('clients.slaves', m.clientsSlaves);
  field('clients.normal', m.clientsNormal);
  field('cluster.links', 0);
  field('aof.buffer', 0);
  field('lua.caches', 0);
  field('functions.caches', FUNCTIONS_CACHES);
  for (const db of dbs) {
    reply.bulkText(`db.${db.id}`);
    reply.mapHeader(3);
    field('overhead.hashtable.main', db.size * 24 + slots(db.size) * 8 + db.size * 16);
    field('overhead.hashtable.expires', db.expires.size * 24 + slots(db.expires.size) * 8);
    field('overhead.hashtable.slot-to-keys', 0);
  }
  field('overhead.total', m.overhead);
  field('keys.count', keys);
  field('keys.bytes-per-key', keys ? Math.floor(net / keys) : 0);
  field('dataset.bytes', m.dataset);
  double('dataset.percentage', float(float(float(m.dataset) * 100) / float(net)));
  double('peak.percentage', float(float(float(m.used) * 100) / float(m.peak)));
  field('allocator.allocated', m.allocated);
  field('allocator.active', m.active);
  field('allocator.resident', m.resident);
  reply.bulkText('allocator-fragmentation.ratio');
  reply.doubleText(ratio(m.active, m.allocated));
  field('allocator-fragmentation.bytes', m.active - m.allocated);
  reply.bulkText('allocator-rss.ratio');
  reply.doubleText(ratio(m.resident, m.active));
  field('allocator-rss.bytes', m.resident - m.active);
  reply.bulkText('rss-overhead.ratio');
  reply.doubleText(ratio(m.rss, m.resident));
  field('rss-overhead.bytes', m.rss - m.resident);
  reply.bulkText('fragmentation');
  reply.doubleText(ratio(m.rss, m.used));
  field('fragmentation.bytes', m.rss - m.used);
};

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
  'memory|stats': stats,
  // jemalloc's arena purge: nothing to give back in a simulated process.
  'memory|purge': ({ reply }) => reply.ok(),
  'memory|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};
