// An INFO replication-like view built from a node's snapshot (no INFO
// command is sent): the fields of `INFO replication` that the snapshot
// carries, named and ordered as Redis 7.0 prints them.
import type { NodeSnapshot } from '../../protocol/messages.ts';

export type InfoLine = readonly [field: string, value: string];

export function infoReplication(n: NodeSnapshot): InfoLine[] {
  const r = n.replication;
  if (!n.up || !r) return [];
  const lines: [string, string][] = [];
  const at = n.master ? n.master.lastIndexOf(':') : -1;
  if (n.role === 'replica' && n.master) {
    const link = n.link ?? 'connect';
    lines.push(['role', 'slave']);
    lines.push(['master_host', n.master.slice(0, at)]);
    lines.push(['master_port', n.master.slice(at + 1)]);
    lines.push(['master_link_status', link === 'connected' ? 'up' : 'down']);
    lines.push(['master_sync_in_progress', link === 'sync' ? '1' : '0']);
    lines.push(['slave_repl_offset', String(r.appliedOffset >= 0 ? r.appliedOffset : r.offset)]);
    if (r.transfer) {
      // An EOF-marked (diskless) transfer has no announced size: Redis prints -1.
      const total = r.transfer.total > 0 ? r.transfer.total : -1;
      lines.push(['master_sync_total_bytes', String(total)]);
      lines.push(['master_sync_read_bytes', String(r.transfer.read)]);
      lines.push(['master_sync_left_bytes', String(total > 0 ? total - r.transfer.read : -1)]);
    }
  } else {
    lines.push(['role', 'master']);
  }
  lines.push(['connected_slaves', String(r.replicas.length)]);
  r.replicas.forEach((s, i) => lines.push([`slave${i}`, `ip=127.0.0.1,port=${s.port},state=${s.state},offset=${s.ackOffset},lag=${s.lagSeconds}`]));
  lines.push(['master_replid', r.replid]);
  lines.push(['master_replid2', r.replid2]);
  lines.push(['master_repl_offset', String(r.offset)]);
  lines.push(['second_repl_offset', String(r.secondOffset)]);
  lines.push(['repl_backlog_active', r.backlog ? '1' : '0']);
  if (r.backlog) {
    lines.push(['repl_backlog_size', String(r.backlog.size)]);
    lines.push(['repl_backlog_first_byte_offset', String(r.backlog.firstByte)]);
    lines.push(['repl_backlog_histlen', String(r.backlog.histlen)]);
  }
  return lines;
}
