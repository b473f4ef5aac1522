// The topology: one circle per node, laid out on a line with d3's point
// scale. Links and animations arrive with replication (issues 5 and 6).
import { scalePoint } from 'd3';
import type { NodeSnapshot } from '../../protocol/messages.ts';

const WIDTH = 640;
const HEIGHT = 120;

export function Topology({ nodes }: { nodes: readonly NodeSnapshot[] }) {
  const x = scalePoint<number>().domain(nodes.map((n) => n.port)).range([80, WIDTH - 80]).padding(0.5);
  return (
    <svg data-testid="topology" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-32 w-full" role="img" aria-label="Topology">
      {nodes.map((n) => (
        <g key={n.port} data-testid={`topology-node-${n.port}`} transform={`translate(${x(n.port)},${HEIGHT / 2})`}>
          <circle r={34} className={n.up ? 'fill-emerald-600/20 stroke-emerald-400' : 'fill-slate-700/40 stroke-slate-500'} strokeWidth={2} />
          <text textAnchor="middle" dy="-0.2em" className="fill-slate-100 text-[13px] font-semibold">{n.port}</text>
          <text textAnchor="middle" dy="1.1em" className="fill-slate-300 text-[10px]">{n.up ? n.role : 'down'}</text>
        </g>
      ))}
    </svg>
  );
}
