// The RDB transfer on a link: a band filling from the master toward the
// replica (bytes read of total), and its line of text with the rate in
// virtual time. An EOF-marked diskless transfer has no total: the band
// runs without an end and the text gives bytes and rate.
import { useRef } from 'react';
import { useAppStore } from '../store.ts';
import { formatBytes } from '../format.ts';
import { curvePath, type Curve } from './geometry.ts';

/** How much virtual time the rate is averaged over. */
const RATE_WINDOW_US = 1_000_000;
/** The longest line TransferText prints, for the chip's width. */
export const TRANSFER_TEXT_CHARS = 24;

export function TransferBand({ curve, read, total, replica }: { curve: Curve; read: number; total: number; replica: number }) {
  const d = curvePath(curve);
  const fraction = total > 0 ? Math.min(1, read / total) : null;
  return (
    <g data-testid={`transfer-${replica}`} aria-label={`RDB transfer to ${replica}: ${read} of ${total > 0 ? total : 'unknown'} bytes`}>
      <path d={d} pathLength={1} className="fill-none stroke-replica/20" strokeWidth={9} strokeLinecap="round" />
      {fraction !== null ? (
        <path d={d} pathLength={1} className="fill-none stroke-replica/70" strokeWidth={9} strokeLinecap="round" strokeDasharray={`${fraction} 1`} />
      ) : (
        <path d={d} pathLength={1} className="rs-flow fill-none stroke-replica/70" strokeWidth={9} strokeDasharray="0.12 0.08" />
      )}
    </g>
  );
}

/** Two lines, "RDB 12.0 KB / 40.0 KB" and "at 4.10 KB/s": progress and rate, from the snapshots seen during the transfer. */
export function TransferText({ read, total, x, y, lineHeight }: { read: number; total: number; x: number; y: number; lineHeight: number }) {
  const timeUs = useAppStore((s) => s.snapshot?.timeUs ?? 0);
  const samples = useRef<{ t: number; read: number }[]>([]);
  const list = samples.current;
  if (list.length === 0 || list[list.length - 1].t !== timeUs) list.push({ t: timeUs, read });
  while (list.length > 2 && list[0].t < timeUs - RATE_WINDOW_US) list.shift();
  const first = list[0];
  // No rate until bytes were seen arriving (the network may deliver a big write at once).
  const rate = timeUs > first.t && read > first.read ? ((read - first.read) * 1_000_000) / (timeUs - first.t) : null;
  return (
    <text x={x} y={y} className="fill-replica">
      <tspan>
        RDB {formatBytes(read)}
        {total > 0 ? ` / ${formatBytes(total)}` : ''}
      </tspan>
      <tspan x={x} dy={lineHeight}>
        {total > 0 ? '' : 'EOF-marked'}
        {total > 0 || rate === null ? '' : ' · '}
        {rate !== null ? `${formatBytes(Math.round(rate))}/s` : ''}
      </tspan>
    </text>
  );
}
