// Whether each replica of a node could resume with +CONTINUE: the display
// rule of masterTryPartialResynchronization (replication.c) applied to what
// the snapshots report. The replica asks for its offset + 1; the master
// accepts when the replid is its replid (or its previous replid up to
// second_repl_offset) and that byte is still in its backlog:
// repl_backlog_first_byte_offset <= next <= first byte + histlen.
import type { NodeSnapshot } from '../../protocol/messages.ts';
import type { LastKnown } from '../store.ts';
import { localMasterPort } from '../format.ts';

export interface BacklogRow {
  readonly port: number;
  /** How it stands: the master's view (online, wait_bgsave...), the replica's link, or down. */
  readonly state: string;
  /** The offset the replica would resume after, and where it comes from. */
  readonly offset: number;
  readonly source: 'replica' | 'ack' | 'last-known';
  /** The master's acknowledged offset for it, when the master lists it. */
  readonly ackOffset: number | null;
  /** offset + 1: the first byte a PSYNC would ask for. */
  readonly next: number;
  readonly verdict: 'continue' | 'full';
  readonly reason: string;
}

export interface BacklogWindow {
  readonly size: number;
  readonly firstByte: number;
  readonly histlen: number;
  /** master_repl_offset. */
  readonly offset: number;
}

type Node = Pick<NodeSnapshot, 'port' | 'up' | 'master' | 'link' | 'replid' | 'offset' | 'replication'>;

/** Judges one PSYNC <replid> <next> against a node's replication state. */
export function judge(master: Node, replid: string | null, next: number): { verdict: 'continue' | 'full'; reason: string } {
  const r = master.replication;
  if (!r || !r.backlog) return { verdict: 'full', reason: 'no backlog' };
  const sameHistory = replid !== null && (replid === r.replid || (replid === r.replid2 && next <= r.secondOffset));
  if (!sameHistory) return { verdict: 'full', reason: 'replication id mismatch' };
  const { firstByte, histlen } = r.backlog;
  if (next < firstByte) return { verdict: 'full', reason: `${firstByte - next} B before the first byte` };
  if (next > firstByte + histlen) return { verdict: 'full', reason: 'ahead of the backlog' };
  return { verdict: 'continue', reason: `${firstByte + histlen - next} B to send` };
}

/** Every replica of `master`: those it lists, those that follow it, and those that followed it before going down. */
export function backlogRows(master: Node, nodes: readonly Node[], lastKnown: Readonly<Record<number, LastKnown>>): BacklogRow[] {
  const rows: BacklogRow[] = [];
  const listed = new Map((master.replication?.replicas ?? []).map((x) => [x.port, x]));
  const seen = new Set<number>();
  for (const n of nodes) {
    if (n.port === master.port) continue;
    const known = lastKnown[n.port];
    const follows = n.up ? localMasterPort(n.master) === master.port : localMasterPort(known?.master) === master.port;
    const ack = listed.get(n.port);
    if (!follows && !ack) continue;
    seen.add(n.port);
    let offset: number;
    let source: BacklogRow['source'];
    let replid: string | null;
    if (n.up && follows && n.offset !== null) {
      offset = n.offset;
      source = 'replica';
      replid = n.replid;
    } else if (ack) {
      offset = ack.ackOffset;
      source = 'ack';
      replid = master.replication?.replid ?? null;
    } else if (!n.up && known?.offset != null) {
      offset = known.offset;
      source = 'last-known';
      replid = known.replid;
    } else continue;
    const state = ack ? ack.state : n.up ? `link ${n.link ?? '-'}` : 'down';
    rows.push({ port: n.port, state, offset, source, ackOffset: ack?.ackOffset ?? null, next: offset + 1, ...judge(master, replid, offset + 1) });
  }
  // Replicas outside this world (a real redis-server following a node) are known only by their ack.
  for (const [port, ack] of listed) {
    if (seen.has(port)) continue;
    rows.push({ port, state: ack.state, offset: ack.ackOffset, source: 'ack', ackOffset: ack.ackOffset, next: ack.ackOffset + 1, ...judge(master, master.replication?.replid ?? null, ack.ackOffset + 1) });
  }
  return rows.sort((a, b) => a.port - b.port);
}

/** Where an offset falls on the ring: 0..1 of the way round from the top (the buffer wraps every `size` bytes). */
export function ringPosition(offset: number, size: number): number {
  const i = (offset - 1) % size;
  return (i < 0 ? i + size : i) / size;
}
