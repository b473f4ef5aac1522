// The topology: one circle per node, laid out on a line with d3's point
// scale, and a replication link from each replica to its master, drawn by
// the link's state (what ROLE says). Animations of the handshake, packets
// and the RDB transfer come with issue 5.
import { scalePoint } from 'd3';
import type { NodeSnapshot } from '../../protocol/messages.ts';

const WIDTH = 640;
const HEIGHT = 150;
const R = 34;
const Y = 92;

const LINK_CLASS: Record<string, string> = {
  connected: 'stroke-emerald-400',
  sync: 'stroke-sky-400',
  handshake: 'stroke-amber-400',
  connecting: 'stroke-amber-400',
  connect: 'stroke-rose-400',
};

export function Topology({ nodes }: { nodes: readonly NodeSnapshot[] }) {
  const x = scalePoint<number>().domain(nodes.map((n) => n.port)).range([80, WIDTH - 80]).padding(0.5);
  const byPort = new Map(nodes.map((n) => [n.port, n]));
  const links = nodes.flatMap((n) => {
    const port = n.master ? Number(n.master.split(':').pop()) : NaN;
    const host = n.master?.slice(0, n.master.lastIndexOf(':'));
    const target = host === '127.0.0.1' || host === 'localhost' ? byPort.get(port) : undefined;
    return n.up && target ? [{ replica: n, master: target }] : [];
  });
  return (
    <svg data-testid="topology" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-36 w-full" role="img" aria-label="Topology">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" className="fill-slate-300" />
        </marker>
      </defs>
      {links.map(({ replica, master }) => {
        const x1 = x(replica.port)!;
        const x2 = x(master.port)!;
        const dir = Math.sign(x2 - x1);
        const mid = (x1 + x2) / 2;
        const lift = Math.min(60, Math.abs(x2 - x1) / 3);
        return (
          <g key={`${replica.port}-${master.port}`} data-testid={`link-${replica.port}-${master.port}`} aria-label={`Link ${replica.port} to ${master.port}: ${replica.link}`}>
            <path
              d={`M ${x1 + dir * R * 0.7} ${Y - R * 0.7} Q ${mid} ${Y - R - lift} ${x2 - dir * R * 0.7} ${Y - R * 0.7}`}
              className={`fill-none ${LINK_CLASS[replica.link ?? ''] ?? 'stroke-slate-400'}`}
              strokeWidth={2}
              strokeDasharray={replica.link === 'connected' ? undefined : '5 4'}
              markerEnd="url(#arrow)"
            />
            <text x={mid} y={Y - R - lift / 2 - 6} textAnchor="middle" className="fill-slate-300 text-[10px]">
              {replica.link}
            </text>
          </g>
        );
      })}
      {nodes.map((n) => (
        <g key={n.port} data-testid={`topology-node-${n.port}`} transform={`translate(${x(n.port)},${Y})`}>
          <circle r={R} className={n.up ? (n.role === 'master' ? 'fill-emerald-600/20 stroke-emerald-400' : 'fill-sky-600/20 stroke-sky-400') : 'fill-slate-700/40 stroke-slate-500'} strokeWidth={2} />
          <text textAnchor="middle" dy="-0.5em" className="fill-slate-100 text-[13px] font-semibold">{n.port}</text>
          <text textAnchor="middle" dy="0.8em" className="fill-slate-300 text-[10px]">{n.up ? n.role : 'down'}</text>
          {n.up && n.offset !== null && (
            <text textAnchor="middle" dy="2em" className="fill-slate-400 text-[9px]">offset {n.offset}</text>
          )}
        </g>
      ))}
    </svg>
  );
}
