// The selected node's replication backlog as a ring: repl-backlog-size
// round, the history (histlen bytes from the first byte offset) filled,
// master_repl_offset at its head, and each replica's next byte marked:
// green when a PSYNC for it would get +CONTINUE, red when it needs a full
// sync. Under the ring the same window drawn straight and to scale of the
// window, where small backlogs and small offsets are readable.
import { memo } from 'react';
import { arc, scaleLinear } from 'd3';
import { useAppStore } from '../store.ts';
import { useThrottled } from '../use-stable.ts';
import { formatBytes, formatOffset, localMasterPort, shortId } from '../format.ts';
import { backlogRows, ringPosition, type BacklogRow, type BacklogWindow } from './verdict.ts';

const SIZE = 200;
const R = 70;
const W = 14;
const TAU = Math.PI * 2;
/** The smallest arc drawn, so a 64-byte history in a 1 MB ring is still seen. */
const MIN_ARC = 0.012;

const polar = (turn: number, r: number) => ({ x: Math.sin(turn * TAU) * r, y: -Math.cos(turn * TAU) * r });

function Ring({ w, rows }: { w: BacklogWindow; rows: readonly BacklogRow[] }) {
  const start = ringPosition(w.firstByte, w.size);
  const span = Math.max(MIN_ARC, Math.min(1, w.histlen / w.size));
  const head = ringPosition(w.offset + 1, w.size);
  const band = arc();
  const track = band({ innerRadius: R - W / 2, outerRadius: R + W / 2, startAngle: 0, endAngle: TAU }) ?? '';
  const filled = band({ innerRadius: R - W / 2, outerRadius: R + W / 2, startAngle: start * TAU, endAngle: (start + span) * TAU }) ?? '';
  const h1 = polar(head, R - W / 2 - 4);
  const h2 = polar(head, R + W / 2 + 4);
  const f1 = polar(start, R - W / 2);
  const f2 = polar(start, R + W / 2);
  return (
    <svg viewBox={`${-SIZE / 2} ${-SIZE / 2} ${SIZE} ${SIZE}`} className="h-[160px] w-[160px] shrink-0" role="img" aria-label={`Backlog ring: ${w.histlen} of ${w.size} bytes, first byte ${w.firstByte}, offset ${w.offset}`}>
      <path d={track} className="fill-panel-2" />
      <path d={filled} className="fill-master/45" />
      <line x1={f1.x} y1={f1.y} x2={f2.x} y2={f2.y} className="stroke-master" strokeWidth={1.5} />
      <line x1={h1.x} y1={h1.y} x2={h2.x} y2={h2.y} className="stroke-fg" strokeWidth={2.5} strokeLinecap="round" />
      {rows.map((r, i) => {
        const t = ringPosition(r.next, w.size);
        const tip = polar(t, R + W / 2 + 2);
        const dot = polar(t, R + W / 2 + 11 + (i % 2) * 9);
        const ok = r.verdict === 'continue';
        return (
          <g key={r.port} data-testid={`ring-marker-${r.port}`}>
            <line x1={tip.x} y1={tip.y} x2={dot.x} y2={dot.y} className={ok ? 'stroke-ok' : 'stroke-bad'} strokeWidth={1.5} />
            <circle cx={dot.x} cy={dot.y} r={4} className={ok ? 'fill-ok' : 'fill-bad'} />
          </g>
        );
      })}
      <text y={-8} textAnchor="middle" className="fill-fg text-[13px] font-semibold tabular-nums">{formatBytes(w.histlen)}</text>
      <text y={8} textAnchor="middle" className="fill-muted text-[10px]">of {formatBytes(w.size)}</text>
      <text y={22} textAnchor="middle" className="fill-muted text-[10px]">histlen</text>
    </svg>
  );
}

/** The window [first byte, offset + 1] drawn straight, with where each replica would resume. */
function Strip({ w, rows }: { w: BacklogWindow; rows: readonly BacklogRow[] }) {
  const lo = Math.min(w.firstByte, ...rows.map((r) => r.next));
  const hi = Math.max(w.offset + 1, ...rows.map((r) => r.next));
  const x = scaleLinear().domain([lo, Math.max(hi, lo + 1)]).range([8, 292]);
  return (
    <svg viewBox="0 0 300 46" className="h-[46px] w-full" role="img" aria-label={`Backlog window from ${w.firstByte} to ${w.offset + 1}`}>
      {lo < w.firstByte && <rect x={x(lo)} y={14} width={Math.max(1, x(w.firstByte) - x(lo))} height={10} className="fill-bad/25" />}
      <rect x={x(w.firstByte)} y={14} width={Math.max(2, x(w.offset + 1) - x(w.firstByte))} height={10} rx={2} className="fill-master/45" />
      <text x={x(w.firstByte)} y={10} className="fill-muted text-[9px]" textAnchor="start">{formatOffset(w.firstByte)}</text>
      {w.offset + 1 !== w.firstByte && <text x={x(w.offset + 1)} y={10} className="fill-muted text-[9px]" textAnchor="end">{formatOffset(w.offset + 1)}</text>}
      {rows.map((r) => (
        <g key={r.port}>
          <line x1={x(r.next)} x2={x(r.next)} y1={12} y2={30} className={r.verdict === 'continue' ? 'stroke-ok' : 'stroke-bad'} strokeWidth={2} />
          <text x={x(r.next)} y={41} textAnchor="middle" className={`text-[9.5px] font-semibold ${r.verdict === 'continue' ? 'fill-ok' : 'fill-bad'}`}>{r.port}</text>
        </g>
      ))}
    </svg>
  );
}

const SOURCE: Record<BacklogRow['source'], string> = {
  replica: "the replica's offset",
  ack: "the master's ACK",
  'last-known': 'last seen before it went down',
};

export const BacklogRing = memo(function BacklogRing() {
  const selected = useAppStore((s) => s.selection.ports[0] ?? null);
  // Ten times a second: enough to watch, and the view stays cheap while thousands of writes a second flow.
  const view = useThrottled((s) => {
    const nodes = s.snapshot?.nodes ?? [];
    const node = nodes.find((n) => n.port === selected);
    if (!node) return null;
    const r = node.replication;
    const w: BacklogWindow | null = r?.backlog ? { ...r.backlog, offset: r.offset } : null;
    return {
      port: node.port,
      up: node.up,
      role: node.role,
      master: localMasterPort(node.master),
      replid: r?.replid ?? null,
      replid2: r?.replid2 ?? null,
      secondOffset: r?.secondOffset ?? -1,
      window: w,
      rows: node.up ? backlogRows(node, nodes, s.lastKnown) : [],
    };
  }, 100);

  if (!view) return <p className="text-sm text-muted">Select a node on the topology to see its backlog.</p>;
  const w = view.window;
  return (
    <div data-testid="backlog" aria-label={`Backlog of ${view.port}`} role="group" className="flex flex-col gap-2">
      <div className="flex items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold">
          Backlog of {view.port} <span className="font-normal text-muted">({view.up ? view.role : 'down'})</span>
        </h2>
        {view.role === 'replica' && view.master !== null && <span className="text-xs text-muted">follows {view.master}</span>}
      </div>
      {!view.up ? (
        <p className="text-sm text-muted">The node is down: its backlog went with the process.</p>
      ) : !w ? (
        <p className="text-sm text-muted">No backlog yet: a master creates it when its first replica connects.</p>
      ) : (
        <>
          <div className="flex items-center gap-3">
            <Ring w={w} rows={view.rows} />
            <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 text-xs tabular-nums">
              <dt className="text-muted">size</dt>
              <dd data-testid="backlog-size">{formatBytes(w.size)}</dd>
              <dt className="text-muted">histlen</dt>
              <dd data-testid="backlog-histlen">{formatOffset(w.histlen)}</dd>
              <dt className="text-muted">first byte</dt>
              <dd data-testid="backlog-first-byte">{formatOffset(w.firstByte)}</dd>
              <dt className="text-muted">offset</dt>
              <dd data-testid="backlog-offset">{formatOffset(w.offset)}</dd>
              <dt className="text-muted">replid</dt>
              <dd className="font-mono">{shortId(view.replid)}</dd>
              <dt className="text-muted">replid2</dt>
              <dd className="font-mono">
                {/^0+$/.test(view.replid2 ?? '') ? '-' : `${shortId(view.replid2)} ≤ ${view.secondOffset}`}
              </dd>
            </dl>
          </div>
          <Strip w={w} rows={view.rows} />
        </>
      )}
      {view.up && (
        <table className="w-full text-xs tabular-nums" aria-label={`Replicas of ${view.port}`}>
          <thead className="text-left text-muted">
            <tr>
              <th className="font-normal">replica</th>
              <th className="font-normal">state</th>
              <th className="font-normal">offset</th>
              <th className="font-normal">reconnecting</th>
            </tr>
          </thead>
          <tbody>
            {view.rows.length === 0 && (
              <tr>
                <td colSpan={4} className="pt-1 text-muted">No replica.</td>
              </tr>
            )}
            {view.rows.map((r) => (
              <tr key={r.port} data-testid={`backlog-replica-${r.port}`} data-verdict={r.verdict} data-offset={r.offset}>
                <td className="font-semibold">{r.port}</td>
                <td>{r.state}</td>
                <td title={`from ${SOURCE[r.source]}${r.ackOffset !== null ? `; master's ACK ${r.ackOffset}` : ''}`}>{formatOffset(r.offset)}</td>
                <td className={r.verdict === 'continue' ? 'text-ok' : 'text-bad'} title={r.reason}>
                  {r.verdict === 'continue' ? '+CONTINUE' : 'full sync'} <span className="text-muted">({r.reason})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
});
