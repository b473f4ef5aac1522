// catClientInfoString: one client as CLIENT LIST and the log lines that
// name a requester ("user request from '...'") print it. Identity and
// state fields are the client's own; the memory fields follow what a
// freshly connected redis-cli client shows on 7.0.15 (jemalloc sizes of its
// 16 KB query and reply buffers), grown by the current command's size.

import type { Client } from './client.ts';
import type { RedisNode } from './node.ts';

/** What 7.0.15 shows for an idle client: query buffer allocation, reply buffer, and the total. */
const QBUF_ALLOC = 20474;
const REPLY_BUFFER = 16384;
const BASE_TOTAL_MEM = 37656;

export function clientInfoString(node: RedisNode, c: Client, current?: { qbuf?: number; argvMem?: number; omem?: number }): string {
  const now = node.unixtime;
  // In catClientInfoString's order: S (a replica of ours), M (our master), P (pub/sub), x (in MULTI), b (blocked),
  // d (a watched key changed), c (close after reply), e (no-evict).
  // A monitor is flagged both O and S in Redis (CLIENT_SLAVE|CLIENT_MONITOR), printed as O only.
  const flags =
    (c.monitor ? 'O' : c.slave ? 'S' : '') + (c.isMaster ? 'M' : '') + (c.pubsub ? 'P' : '') + (c.multi ? 'x' : '') + (c.blocked ? 'b' : '') +
      (c.tracking ? 't' : '') + (c.tracking?.brokenRedirect ? 'R' : '') + (c.tracking?.bcast ? 'B' : '') +
      (c.dirtyCas ? 'd' : '') + (c.closeAfterReply ? 'c' : '') + (c.noEvict ? 'e' : '') || 'N';
  const subs = c.subscriptions;
  const qbuf = current?.qbuf ?? c.lastCommandBytes;
  const argvMem = current?.argvMem ?? c.lastArgvBytes;
  return [
    `id=${c.id}`,
    `addr=${c.peer.ip}:${c.peer.port}`,
    `laddr=${node.options.host}:${node.port}`,
    `fd=${c.fd}`,
    `name=${c.name}`,
    `age=${now - c.ctime}`,
    `idle=${now - c.lastInteraction}`,
    `flags=${flags}`,
    `db=${c.db}`,
    `sub=${subs ? subs.channels.size : 0}`,
    `psub=${subs ? subs.patterns.length : 0}`,
    `ssub=${subs ? subs.shardChannels.size : 0}`,
    `multi=${c.multi ? c.multi.queue.length : -1}`,
    `qbuf=${qbuf}`,
    `qbuf-free=${QBUF_ALLOC - qbuf}`,
    `argv-mem=${argvMem}`,
    // c->mstate.argv_len_sums: each queued command's argument bytes and argv pointers.
    `multi-mem=${c.multi ? c.multi.queue.reduce((n, q) => n + q.argv.reduce((m, a) => m + a.length, 0) + 8 * q.argv.length, 0) : 0}`,
    `rbs=${REPLY_BUFFER}`,
    `rbp=${REPLY_BUFFER}`,
    // bufpos: replies written and not sent yet (its own, while its command runs), up to the 16 KB buffer.
    `obl=${Math.min(c.reply.size, REPLY_BUFFER)}`,
    'oll=0',
    `omem=${current?.omem ?? 0}`,
    `tot-mem=${BASE_TOTAL_MEM + argvMem}`,
    'events=r',
    `cmd=${c.lastCommand}`,
    // The master link runs as no user: Redis prints "(superuser)" for it.
    `user=${c.user ? c.user.name : '(superuser)'}`,
    `redir=${c.tracking ? c.tracking.redirect : -1}`,
    `resp=${c.reply.protocol}`,
  ].join(' ');
}
