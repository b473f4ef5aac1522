// Offsets over time: each node's master_repl_offset over the last 30 s of
// virtual time, so a replica falling behind (a partition, a slow link) and
// catching up again is seen as lines parting and meeting. Redrawn at most
// four times a second.
import { useEffect, useState } from 'react';
import { line, scaleLinear } from 'd3';
import { formatOffset } from '../format.ts';
import { offsetHistory } from './offset-history.ts';

const WINDOW_US = 30_000_000;
const W = 320;
const H = 150;
const M = { left: 6, right: 6, top: 8, bottom: 16 };
/** Colours that read on both themes. */
const PALETTE = ['#10b981', '#0ea5e9', '#f59e0b', '#ec4899', '#8b5cf6', '#14b8a6', '#f97316', '#94a3b8'];

export function OffsetsChart() {
  const [history, setHistory] = useState(offsetHistory);
  useEffect(() => {
    const timer = setInterval(() => {
      const next = offsetHistory();
      setHistory((h) => (h.version === next.version ? h : next));
    }, 250);
    return () => clearInterval(timer);
  }, []);

  const all = history.samples;
  const end = all.length > 0 ? all[all.length - 1].t : 0;
  const shown = all.filter((s) => s.t >= end - WINDOW_US);
  const ports = [...new Set(shown.flatMap((s) => Object.keys(s.offsets).map(Number)))].sort((a, b) => a - b);
  const values = shown.flatMap((s) => Object.values(s.offsets));
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const x = scaleLinear().domain([end - WINDOW_US, end]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([lo, Math.max(hi, lo + 1)]).range([H - M.bottom, M.top]);
  const last = shown[shown.length - 1];

  return (
    <div className="flex flex-col gap-2" data-testid="offsets-chart">
      <svg viewBox={`0 0 ${W} ${H}`} className="w-full" role="img" aria-label="master_repl_offset of each node over the last 30 seconds of virtual time">
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="stroke-line" />
        <text x={M.left} y={H - 3} className="fill-faint text-[9px]">-30 s</text>
        <text x={W - M.right} y={H - 3} textAnchor="end" className="fill-faint text-[9px]">now</text>
        <text x={W - M.right} y={M.top + 3} textAnchor="end" className="fill-faint text-[9px]">{formatOffset(hi)}</text>
        {ports.map((port, i) => {
          const path = line<(typeof shown)[number]>()
            .defined((s) => s.offsets[port] !== undefined)
            .x((s) => x(s.t))
            .y((s) => y(s.offsets[port] ?? lo))(shown);
          return <path key={port} d={path ?? ''} fill="none" stroke={PALETTE[i % PALETTE.length]} strokeWidth={1.75} strokeLinejoin="round" />;
        })}
      </svg>
      <ul className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs tabular-nums">
        {ports.map((port, i) => (
          <li key={port} className="flex items-center gap-1">
            <span className="inline-block h-2 w-2 rounded-full" style={{ background: PALETTE[i % PALETTE.length] }} />
            <span className="font-semibold">{port}</span>
            <span className="text-muted">{last?.offsets[port] !== undefined ? formatOffset(last.offsets[port]) : 'down'}</span>
          </li>
        ))}
        {ports.length === 0 && <li className="text-muted">No offsets yet.</li>}
      </ul>
    </div>
  );
}
