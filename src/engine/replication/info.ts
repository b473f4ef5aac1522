// What users read about replication: INFO's Replication section and ROLE,
// field by field in 7.0.15's order (server.c genRedisInfoString, roleCommand).

import type { RedisNode } from '../node.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { roleStateName } from './replica.ts';

/** The "# Replication" section, lines ending in CRLF. */
export function replicationInfo(node: RedisNode): string {
  const repl = node.replication;
  const replica = repl.replica;
  const now = node.unixtime;
  const cfg = node.config;
  const lines: string[] = ['# Replication', `role:${repl.isReplica ? 'slave' : 'master'}`];
  if (repl.isReplica) {
    const link = replica.master ?? replica.cachedMaster;
    const live = replica.master;
    lines.push(
      `master_host:${replica.masterHost}`,
      `master_port:${replica.masterPort}`,
      `master_link_status:${replica.state === 'connected' ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${live?.client ? now - live.client.lastInteraction : -1}`,
      `master_sync_in_progress:${replica.state === 'transfer' ? 1 : 0}`,
      `slave_read_repl_offset:${link ? link.readReploff : 1}`,
      `slave_repl_offset:${link ? link.reploff : 1}`,
    );
    const t = replica.transfer;
    if (replica.state === 'transfer' && t) {
      // A diskless load reads the socket itself: repl_transfer_read stays where the $ line left it (0).
      const read = t.streaming ? 0 : t.read;
      const perc = t.size ? (read / t.size) * 100 : 0;
      lines.push(
        `master_sync_total_bytes:${t.size}`,
        `master_sync_read_bytes:${read}`,
        `master_sync_left_bytes:${t.size - read}`,
        `master_sync_perc:${percent(perc)}`,
        `master_sync_last_io_seconds_ago:${now - t.lastIo}`,
      );
    }
    if (replica.state !== 'connected') lines.push(`master_link_down_since_seconds:${replica.downSince ? now - replica.downSince : -1}`);
    lines.push(`slave_priority:${cfg.replicaPriority}`, `slave_read_only:${cfg.replicaReadOnly ? 1 : 0}`, `replica_announced:${cfg.replicaAnnounced ? 1 : 0}`);
  }
  const master = repl.master;
  lines.push(`connected_slaves:${master.slaves.length}`);
  if (cfg.minReplicasToWrite && cfg.minReplicasMaxLag) lines.push(`min_slaves_good_slaves:${master.goodSlaves}`);
  let id = 0;
  for (const c of master.slaves) {
    const s = c.slave!;
    const ip = c.replAnnouncedIp || c.peer.ip;
    const lag = s.state === 'online' ? now - s.ackTime : 0;
    // replstateToString: both waits print as wait_bgsave.
    const state = s.state.startsWith('wait_bgsave') ? 'wait_bgsave' : s.state;
    lines.push(`slave${id++}:ip=${ip},port=${c.replListeningPort},state=${state},offset=${s.ackOffset},lag=${lag}`);
  }
  const backlog = repl.backlog;
  lines.push(
    `master_failover_state:${node.failover.state}`,
    `master_replid:${repl.replid}`,
    `master_replid2:${repl.replid2}`,
    `master_repl_offset:${repl.offset}`,
    `second_repl_offset:${repl.secondReplidOffset}`,
    `repl_backlog_active:${backlog ? 1 : 0}`,
    `repl_backlog_size:${repl.backlogSize()}`,
    `repl_backlog_first_byte_offset:${backlog ? backlog.firstByteOffset : 0}`,
    `repl_backlog_histlen:${backlog ? backlog.histlen : 0}`,
  );
  return lines.map((l) => l + '\r\n').join('');
}

/** printf("%.2f"): keeps the sign of a negative zero (0 / -1 before the length is known). */
function percent(p: number): string {
  const text = p.toFixed(2);
  return Object.is(p, -0) || (p < 0 && text === '0.00') ? '-' + text : text;
}

/** ROLE. */
export function writeRole(node: RedisNode, out: ReplyWriter): void {
  const repl = node.replication;
  if (!repl.isReplica) {
    const online = repl.master.slaves.filter((c) => c.slave!.state === 'online');
    out.arrayHeader(3);
    out.bulkText('master');
    out.integer(repl.offset);
    out.arrayHeader(online.length);
    for (const c of online) {
      out.arrayHeader(3);
      out.bulkText(c.replAnnouncedIp || c.peer.ip);
      out.bulkText(String(c.replListeningPort));
      out.bulkText(String(c.slave!.ackOffset));
    }
    return;
  }
  const replica = repl.replica;
  out.arrayHeader(5);
  out.bulkText('slave');
  out.bulkText(replica.masterHost!);
  out.integer(replica.masterPort);
  out.bulkText(roleStateName(replica.state));
  out.integer(replica.master ? replica.master.reploff : -1);
}
