// The RDB transfer on a link: a band filling from the master toward the
// replica, lighter for the bytes the master has put on the wire, darker
// for those the replica has read, and its lines of text with the rate in
// virtual time. Both sides come from the worker: the master's fork child
// (keys written while it saves) and bytes sent of total (the size of a
// diskless payload is known once its child finished), and the replica's
// bytes read (of the size a disk-based `$<len>` announced). With no total
// known the band runs without an end.
import { useRef } from 'react';
import type { MasterTransfer } from '../../protocol/messages.ts';
import { useAppStore } from '../store.ts';
import { formatBytes } from '../format.ts';
import { curvePath, type Curve } from './geometry.ts';

/** How much virtual time the rate is averaged over. */
const RATE_WINDOW_US = 1_000_000;

/** What the master does and what the replica reads of one RDB payload (either may be unknown). */
export interface TransferProgress {
  readonly sent: MasterTransfer | null;
  /** The replica's side: bytes read of total (0 for an EOF-marked payload). */
  readonly read: { readonly read: number; readonly total: number } | null;
}

export function TransferBand({ curve, progress, replica }: { curve: Curve; progress: TransferProgress; replica: number }) {
  const d = curvePath(curve);
  const { read } = progress;
  const sent = progress.sent?.phase === 'send' ? progress.sent : null;
  // While a disk-based child saves, the band fills with its keys: the file does not exist yet.
  const saving = progress.sent?.phase === 'bgsave' ? progress.sent.keys : null;
  const sentFraction = sent && sent.total > 0 ? Math.min(1, sent.sent / sent.total) : saving && saving.total > 0 ? saving.written / saving.total : null;
  // The replica's own total when it has one; an EOF-marked payload is measured against what the master sends.
  const readTotal = read?.total || sent?.total || 0;
  const readFraction = read && readTotal > 0 ? Math.min(1, read.read / readTotal) : null;
  const label = [
    `RDB transfer to ${replica}:`,
    saving ? `BGSAVE ${saving.written} of ${saving.total} keys` : null,
    sent ? `${sent.sent} of ${sent.total > 0 ? sent.total : 'unknown'} bytes sent` : null,
    read ? `${read.read} of ${read.total > 0 ? read.total : 'unknown'} bytes read` : null,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <g data-testid={`transfer-${replica}`} aria-label={label} data-phase={progress.sent?.phase ?? ''} data-sent={sent?.sent ?? ''} data-total={sent?.total ?? ''} data-read={read?.read ?? ''}>
      <path d={d} pathLength={1} className="fill-none stroke-replica/20" strokeWidth={9} strokeLinecap="round" />
      {sentFraction === null && readFraction === null && (
        <path d={d} pathLength={1} className="rs-flow fill-none stroke-replica/70" strokeWidth={9} strokeDasharray="0.12 0.08" />
      )}
      {sentFraction !== null && <path d={d} pathLength={1} className="fill-none stroke-replica/40" strokeWidth={9} strokeLinecap="round" strokeDasharray={`${sentFraction} 1`} />}
      {readFraction !== null && <path d={d} pathLength={1} className="fill-none stroke-replica/80" strokeWidth={9} strokeLinecap="round" strokeDasharray={`${readFraction} 1`} />}
    </g>
  );
}

/**
 * The rate of the side that leads (the master's bytes sent when known,
 * else the replica's bytes read), in bytes per second of virtual time over
 * the last second of snapshots; null until bytes were seen moving.
 */
export function useTransferRate(progress: TransferProgress | null): number | null {
  // Only a link with a transfer follows the clock (every other one would redraw each frame for nothing).
  const timeUs = useAppStore((s) => (progress ? (s.snapshot?.timeUs ?? 0) : 0));
  const samples = useRef<{ t: number; bytes: number }[]>([]);
  const list = samples.current;
  if (!progress) {
    list.length = 0;
    return null;
  }
  const moving = progress.sent?.phase === 'send' ? progress.sent.sent : (progress.read?.read ?? 0);
  // A new transfer (fewer bytes than before) starts the rate again.
  if (list.length > 0 && moving < list[list.length - 1].bytes) list.length = 0;
  if (list.length === 0 || list[list.length - 1].t !== timeUs) list.push({ t: timeUs, bytes: moving });
  while (list.length > 2 && list[0].t < timeUs - RATE_WINDOW_US) list.shift();
  const first = list[0];
  // The network may deliver a big write at once: no rate until bytes were seen moving.
  return timeUs > first.t && moving > first.bytes ? ((moving - first.bytes) * 1_000_000) / (timeUs - first.t) : null;
}

/**
 * Two lines of what happens: "BGSAVE 12,000 / 100,000 keys" while a
 * disk-based child saves, then "RDB sent 12.0 MB / 24.0 MB" (or what the
 * replica read, without the master's figures); and "disk · read 11.5 MB ·
 * 4.10 MB/s".
 */
export function transferLines({ sent: master, read }: TransferProgress, rate: number | null): [string, string] {
  const sent = master?.phase === 'send' ? master : null;
  const count = (n: number) => n.toLocaleString('en-US');
  let head: string;
  if (master?.phase === 'bgsave' && master.keys) head = `BGSAVE ${count(master.keys.written)} / ${count(master.keys.total)} keys`;
  else if (sent) head = `RDB sent ${formatBytes(sent.sent)}${sent.total > 0 ? ` / ${formatBytes(sent.total)}` : ''}`;
  else head = `RDB ${formatBytes(read?.read ?? 0)}${read && read.total > 0 ? ` / ${formatBytes(read.total)}` : ''}`;
  const parts = [master ? (master.target === 'socket' ? 'diskless' : 'disk') : read && read.total === 0 ? 'EOF-marked' : null];
  // A diskless child still writing: how far it is, in keys.
  if (sent && sent.total === 0 && sent.keys && sent.keys.total > 0) parts.push(`${Math.floor((100 * sent.keys.written) / sent.keys.total)}% of keys`);
  if (sent && read) parts.push(`read ${formatBytes(read.read)}`);
  if (rate !== null) parts.push(`${formatBytes(Math.round(rate))}/s`);
  return [head, parts.filter(Boolean).join(' · ')];
}
