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
import { writeVerbatim } from '../info/verbatim.ts';
import { cachedScriptCount } from './scripting.ts';

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

const MB = 1024 * 1024;

/** getMemoryDoctorReport, on the model's figures (info/memory.ts). */
const doctor: Handler = ({ node, reply }) => {
  const m = memoryFigures(node);
  const ratio = (a: number, b: number) => float(float(a) / float(b));
  const issues: string[] = [];
  const empty = m.used < 5 * MB;
  if (!empty) {
    if (ratio(m.peak, m.used) > 1.5) {
      issues.push(
        ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n',
      );
    }
    // Each overhead Redis reports: a ratio over its limit and more than 10 MB in absolute terms.
    const overheads: [number, number, number, string][] = [
      [m.rss, m.used, 1.4, ' * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is "jemalloc-5.3.0".\n\n'],
      [m.active, m.allocated, 1.1, " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option.\n\n"],
      [m.resident, m.active, 1.1, ' * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it.\n\n'],
      [m.rss, m.resident, 1.1, ' * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules.\n\n'],
    ];
    for (const [big, small, limit, text] of overheads) if (ratio(big, small) > limit && big - small > 10 * MB) issues.push(text);
    const replicas = node.replication.master.slaves.length;
    const clients = node.connectedClients - replicas;
    // The report lists replica buffers before client buffers, whatever order they were found in.
    const bigClientBuf = Math.floor(m.clientsNormal / clients) > 200 * 1024;
    if (replicas > 0 && m.clientsSlaves > 10 * MB) {
      issues.push(
        ' * Big replica buffers: The replica output buffers in this instance are greater than 10MB for each replica (on average). This likely means that there is some replica instance that is struggling receiving data, either because it is too slow or because of networking issues. As a result, data piles on the master output buffers. Please try to identify what replica is not receiving data correctly and why. You can use the INFO output in order to check the replicas delays and the CLIENT LIST command to check the output buffers of each replica.\n\n',
      );
    }
    if (bigClientBuf) {
      issues.push(
        ' * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n',
      );
    }
    if (cachedScriptCount(node) > 1000) {
      issues.push(
        " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory.\n\n",
      );
    }
  }
  let report: string;
  if (empty) {
    report =
      'Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n';
  } else if (issues.length === 0) {
    report = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  } else {
    report = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n' + issues.join('') + "I'm here to keep you safe, Sam. I want to help you.\n";
  }
  writeVerbatim(reply, report);
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
  'memory|doctor': doctor,
  // jemalloc's arena purge: nothing to give back in a simulated process.
  'memory|purge': ({ reply }) => reply.ok(),
  'memory|help': ({ argv, reply }) => writeHelp(reply, argv[0], HELP),
};
