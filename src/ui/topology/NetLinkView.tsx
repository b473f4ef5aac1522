// A network link whose properties differ from the default (SIM LINKS) and
// that carries no replication link: a thin dotted line of its own with its
// partition, latency and bandwidth. (On a replication link the same text
// goes into that link's chip.)
import { memo } from 'react';
import type { NetLink } from '../store.ts';
import { formatBytes } from '../format.ts';
import { curvePath, pointAt, type Curve } from './geometry.ts';

/** The simulator's default one-way latency (0.1 ms): not worth a label. */
const DEFAULT_LATENCY_MS = 0.1;

export function netLinkParts(l: NetLink): string[] {
  const parts: string[] = [];
  if (l.partitioned) parts.push('partitioned');
  if (l.latencyMs !== DEFAULT_LATENCY_MS) parts.push(`latency ${l.latencyMs} ms`);
  if (l.bandwidth > 0) parts.push(`bandwidth ${formatBytes(l.bandwidth)}/s`);
  return parts;
}

export function netLinkText(l: NetLink): string {
  return netLinkParts(l).join(' · ');
}

export const NetLinkView = memo(function NetLinkView({ link, curve }: { link: NetLink; curve: Curve }) {
  const lo = Math.min(link.a, link.b);
  const hi = Math.max(link.a, link.b);
  const text = netLinkText(link);
  const mid = pointAt(curve, 0.5);
  const w = text.length * 6.02 + 12;
  return (
    <g data-testid={`net-${lo}-${hi}`} aria-label={`Network ${lo} to ${hi}: ${text}`} data-partitioned={link.partitioned ? 'yes' : 'no'}>
      <path d={curvePath(curve)} className={`fill-none ${link.partitioned ? 'stroke-bad/70' : 'stroke-faint'}`} strokeWidth={1.5} strokeDasharray="2 5" />
      <g transform={`translate(${mid.x - w / 2},${mid.y - 9})`} className="font-mono text-[10px]">
        <rect width={w} height={18} rx={5} className={`fill-canvas/90 ${link.partitioned ? 'stroke-bad/60' : 'stroke-line'}`} />
        <text x={6} y={12.5} className={link.partitioned ? 'fill-bad' : 'fill-warn'}>{text}</text>
      </g>
    </g>
  );
});
