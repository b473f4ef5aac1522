// A randomized differential for the list group, shared by the live tests:
// the same seeded commands go to a real redis-server 7.0.15 and to an
// engine node in process; every reply must be byte-equal. At checkpoints
// the real server's DUMP of each list shows its quicklist nodes
// (RDB_TYPE_LIST_QUICKLIST_2: one listpack, or one plain element, per
// node), which must be the engine's nodes byte for byte: the engine models
// where Redis starts, splits, merges and drops nodes, because DUMP, RDB and
// MEMORY USAGE depend on it.
import { RawClient } from './raw-client.ts';
import { encodeCommand } from '../../src/engine/resp/reply-reader.ts';
import { fromLatin1, latin1 } from '../../src/engine/bytes.ts';
import { Clock } from '../../src/sim/clock.ts';
import { Rng } from '../../src/sim/rng.ts';
import { DEFAULT_EPOCH_MS } from '../../src/sim/world.ts';
import { RedisNode } from '../../src/engine/node.ts';
import { Client } from '../../src/engine/client.ts';
import { ReplyWriter } from '../../src/engine/resp/reply-writer.ts';
import { lookupCommand } from '../../src/engine/commands/registry.ts';
import { keyName } from '../../src/engine/keyspace/db.ts';
import type { ListValue } from '../../src/engine/keyspace/list.ts';
import { encodeListpack } from '../../src/engine/keyspace/listpack.ts';
import type { Logger } from '../../src/engine/log.ts';

export function generator(seed: number) {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return { random, int, pick };
}
export type Generator = ReturnType<typeof generator>;

/** An engine node and a client on it; commands run as the node runs them. */
export function engineSession() {
  const log: Logger = { log: () => {}, warning: () => {}, notice: () => {} };
  const node = new RedisNode({ host: '127.0.0.1', port: 6379, pid: 1, runId: 'a'.repeat(40), log, clock: new Clock(DEFAULT_EPOCH_MS), random: new Rng(1, 'list') });
  const client = new Client(1, { ip: '127.0.0.1', port: 50000 }, { write: () => {}, close: () => {} }, () => node.config.protoMaxBulkLen);
  const reply = new ReplyWriter();
  const run = (argv: Uint8Array[]): string => {
    const found = lookupCommand(argv);
    if ('error' in found) reply.error(found.error);
    else found.command.handler!({ node, client, argv, reply, db: node.keyspace.dbs[0], keyspace: node.keyspace });
    return latin1(reply.take());
  };
  return { node, run };
}

// --- reading a DUMP payload (rdb.c's formats, as far as a list needs them)

function lzfDecompress(input: Uint8Array, outLength: number): Uint8Array {
  const out = new Uint8Array(outLength);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      for (let i = 0; i <= ctrl; i++) out[op++] = input[ip++];
    } else {
      let len = ctrl >> 5;
      if (len === 7) len += input[ip++];
      let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
      for (let i = 0; i < len + 2; i++) out[op++] = out[ref++];
    }
  }
  return out;
}

export interface DumpedNode {
  /** 1: plain (one element), 2: packed (a listpack). */
  container: number;
  data: Uint8Array;
}

/** The nodes of a DUMP of a list. */
export function dumpNodes(payload: Uint8Array): DumpedNode[] {
  let at = 0;
  const length = (): { value: number; special: number | null } => {
    const b = payload[at++];
    const kind = b >> 6;
    if (kind === 0) return { value: b & 63, special: null };
    if (kind === 1) return { value: ((b & 63) << 8) | payload[at++], special: null };
    if (kind === 3) return { value: 0, special: b & 63 };
    if (b === 0x80) {
      const v = payload[at] * 2 ** 24 + (payload[at + 1] << 16) + (payload[at + 2] << 8) + payload[at + 3];
      at += 4;
      return { value: v, special: null };
    }
    throw new Error(`length encoding ${b} not expected in a list dump`);
  };
  const string = (): Uint8Array => {
    const len = length();
    if (len.special === null) return payload.slice(at, (at += len.value));
    if (len.special !== 3) throw new Error(`string encoding ${len.special} not expected`);
    const clen = length().value;
    const ulen = length().value;
    return lzfDecompress(payload.slice(at, (at += clen)), ulen);
  };
  if (payload[at++] !== 18) throw new Error('not RDB_TYPE_LIST_QUICKLIST_2');
  const n = length().value;
  const nodes: DumpedNode[] = [];
  for (let i = 0; i < n; i++) {
    const container = length().value;
    nodes.push({ container, data: string() });
  }
  return nodes;
}

/** The engine's nodes as a DUMP would write them. */
export function engineNodes(value: ListValue): DumpedNode[] {
  return [...value.list.nodes()].map((n) => ({ container: n.plain ? 1 : 2, data: n.plain ? n.entries[0] : encodeListpack(n.entries) }));
}

const describeNodes = (nodes: DumpedNode[]) => nodes.map((n) => `${n.container === 1 ? 'plain' : 'packed'} ${n.data.length}`).join(', ');

// --- random commands

export type ElementSource = (g: Generator) => string;

/** Elements that exercise every listpack encoding: small and large integers, 6/12/32-bit strings. */
export const listpackElements: ElementSource = (g) => {
  const kind = g.int(0, 9);
  if (kind <= 2) {
    return String(g.pick([0, 1, 7, 127, 128, -1, 4095, -4096, 4096, 32767, -32768, 40000, 8388607, -8388609, 2147483647, 2147483648, -9223372036854775808n, 9223372036854775807n]));
  }
  if (kind === 3) return String(g.int(-100000, 100000));
  if (kind === 4) return g.pick(['a', 'b', 'c', '', '01', '-0', '+1', ' 1']);
  if (kind === 5) return 'x'.repeat(g.pick([62, 63, 64, 65, 127, 128, 4094, 4095, 4096, 5000]));
  if (kind === 6) return 'y'.repeat(g.int(100, 1500));
  return 'e' + g.int(0, 30);
};

export function listCommands(g: Generator, keys: readonly string[], n: number, element: ElementSource): string[][] {
  const out: string[][] = [];
  const idx = () => String(g.pick([0, 1, 2, -1, -2, 5, -5, g.int(-200, 200), g.int(-3000, 3000)]));
  for (let i = 0; i < n; i++) {
    const key = g.pick(keys);
    const r = g.int(0, 99);
    if (r < 30) {
      const args = Array.from({ length: g.int(1, 40) }, () => element(g));
      out.push([g.pick(['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']), key, ...args]);
    } else if (r < 42) {
      out.push(['LINSERT', key, g.pick(['BEFORE', 'AFTER']), element(g), element(g)]);
    } else if (r < 50) {
      out.push(['LSET', key, idx(), element(g)]);
    } else if (r < 56) {
      out.push(['LREM', key, String(g.int(-3, 3)), element(g)]);
    } else if (r < 60) {
      out.push(['LTRIM', key, idx(), idx()]);
    } else if (r < 68) {
      out.push(g.random() < 0.5 ? [g.pick(['LPOP', 'RPOP']), key] : [g.pick(['LPOP', 'RPOP']), key, String(g.int(0, 60))]);
    } else if (r < 72) {
      out.push(['LMOVE', key, g.pick(keys), g.pick(['LEFT', 'RIGHT']), g.pick(['LEFT', 'RIGHT'])]);
    } else if (r < 73) {
      out.push(['RPOPLPUSH', key, g.pick(keys)]);
    } else if (r < 75) {
      out.push(['LMPOP', '2', key, g.pick(keys), g.pick(['LEFT', 'RIGHT']), 'COUNT', String(g.int(1, 30))]);
    } else if (r < 85) {
      out.push(['LRANGE', key, idx(), idx()]);
    } else if (r < 90) {
      out.push(['LINDEX', key, idx()]);
    } else if (r < 97) {
      const opts = [];
      if (g.random() < 0.5) opts.push('RANK', String(g.pick([1, 2, -1, -2, 3])));
      if (g.random() < 0.5) opts.push('COUNT', String(g.int(0, 4)));
      if (g.random() < 0.3) opts.push('MAXLEN', String(g.int(0, 100)));
      out.push(['LPOS', key, element(g), ...opts]);
    } else {
      out.push(['LLEN', key]);
    }
  }
  return out;
}

export interface DifferentialResult {
  /** Replies that differ (at most 5 are kept). */
  differences: string[];
  /** Lists whose nodes differ at a checkpoint (at most 5 are kept). */
  layouts: string[];
  /** Nodes compared, over every checkpoint. */
  nodes: number;
  /** Of those, plain nodes. */
  plainNodes: number;
}

/**
 * Runs `n` random commands on three keys with list-max-listpack-size
 * `fill`, comparing every reply, and the nodes of every list each
 * `checkpoint` commands and at the end.
 */
export async function runListDifferential(
  port: number,
  options: { fill: number; seed: number; n: number; checkpoint: number; element: ElementSource; packedThreshold?: number },
): Promise<DifferentialResult> {
  const client = await RawClient.connect(port);
  const { node, run } = engineSession();
  node.config.listMaxListpackSize = options.fill;
  // What DEBUG QUICKLIST-PACKED-THRESHOLD sets (the caller set the real server's).
  if (options.packedThreshold !== undefined) node.config.quicklistPackedThreshold = options.packedThreshold;
  await client.command('FLUSHALL');
  await client.command('CONFIG', 'SET', 'list-max-listpack-size', String(options.fill));
  const g = generator(options.seed);
  const keys = ['l:a', 'l:b', 'l:c'];
  const steps: string[][] = [];
  for (const c of listCommands(g, keys, options.n, options.element)) {
    steps.push(c);
    if (steps.length % options.checkpoint === 0) for (const k of keys) steps.push(['DUMP', k]);
  }
  for (const k of keys) steps.push(['DUMP', k]);
  for (const c of steps) client.write(encodeCommand(c.map(fromLatin1)));

  const result: DifferentialResult = { differences: [], layouts: [], nodes: 0, plainNodes: 0 };
  for (const c of steps) {
    const { reply, bytes } = await client.read();
    if (c[0] === 'DUMP') {
      const value = node.keyspace.dbs[0].peek(keyName(fromLatin1(c[1])));
      let problem: string | null = null;
      if (reply.type === 'nil') {
        if (value !== undefined) problem = 'missing in redis, present in the engine';
      } else if (reply.type !== 'bulk' || value?.type !== 'list') {
        problem = `redis ${reply.type}, engine ${value?.type}`;
      } else {
        const want = dumpNodes(reply.value);
        const got = engineNodes(value);
        result.nodes += want.length;
        result.plainNodes += want.filter((w) => w.container === 1).length;
        const same = want.length === got.length && want.every((w, i) => w.container === got[i].container && latin1(w.data) === latin1(got[i].data));
        if (!same) problem = `redis nodes [${describeNodes(want)}], engine nodes [${describeNodes(got)}]`;
      }
      if (problem && result.layouts.length < 5) result.layouts.push(`${c[1]}: ${problem}`);
      continue;
    }
    const want = latin1(bytes);
    const got = run(c.map(fromLatin1));
    if (want !== got && result.differences.length < 5) {
      result.differences.push(`${c.join(' ').slice(0, 200)}: redis ${JSON.stringify(want).slice(0, 300)}, engine ${JSON.stringify(got).slice(0, 300)}`);
    }
  }
  await client.command('CONFIG', 'SET', 'list-max-listpack-size', '-2');
  client.close();
  return result;
}
