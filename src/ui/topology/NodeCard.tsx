// One node on the topology: port, role, up or down, pid, short run_id and
// replid, master_repl_offset. Click selects it; drag moves it (the position
// is the page's own, not the world's). Cards are HTML laid over the SVG,
// each a layout boundary of fixed size: an offset that changes every frame
// re-lays out its own card only (changing SVG text re-lays out the whole
// drawing, which costs milliseconds per frame under load).
import { memo, useRef } from 'react';
import { useStable } from '../use-stable.ts';
import { useRdbDrop } from '../disk.ts';
import { formatOffset, shortId } from '../format.ts';
import { CARD_H, CARD_W, type Pt } from './layout.ts';

interface Props {
  port: number;
  at: Pt;
  selected: boolean;
  /** Converts a pointer movement (client pixels) into layout units. */
  toView(dx: number, dy: number): Pt;
  onDrag(port: number, to: Pt | null): void;
  onSelect(port: number): void;
}

const TONE = {
  down: { card: 'border-dashed border-faint bg-panel-2/70', pill: 'bg-faint' },
  master: { card: 'border-master bg-[color-mix(in_srgb,var(--rs-master)_9%,var(--rs-canvas))]', pill: 'bg-master' },
  replica: { card: 'border-replica bg-[color-mix(in_srgb,var(--rs-replica)_9%,var(--rs-canvas))]', pill: 'bg-replica' },
};

export const NodeCard = memo(function NodeCard({ port, at, selected, toView, onDrag, onSelect }: Props) {
  const n = useStable((s) => {
    const node = s.snapshot?.nodes.find((x) => x.port === port);
    const last = s.lastKnown[port];
    return {
      up: node?.up ?? false,
      role: node?.role ?? 'master',
      pid: node?.pid ?? null,
      runId: node?.runId ?? null,
      replid: node?.up ? node.replid : (last?.replid ?? null),
      offset: node?.up ? node.offset : (last?.offset ?? null),
    };
  });
  const drag = useRef<{ id: number; x: number; y: number; from: Pt; moved: boolean } | null>(null);
  // A file dragged over the card: dropping it loads it as the node's dump.rdb.
  const { dropping, handlers: drop } = useRdbDrop(port);
  const tone = TONE[!n.up ? 'down' : n.role];
  const label = n.up ? `Node ${port} on the topology: ${n.role}, up` : `Node ${port} on the topology: down`;

  return (
    <div
      data-testid={`topology-node-${port}`}
      data-role={n.up ? n.role : 'down'}
      role="button"
      tabIndex={0}
      aria-label={label}
      aria-pressed={selected}
      className={`pointer-events-auto absolute left-0 top-0 cursor-grab touch-none select-none rounded-[10px] border-[1.5px] px-3 pt-1.5 text-[10.5px] leading-4 tabular-nums text-muted outline-offset-4 active:cursor-grabbing ${tone.card} ${selected || dropping ? 'ring-2 ring-accent ring-offset-2 ring-offset-canvas' : ''} ${dropping ? 'border-dashed' : ''}`}
      style={{ width: CARD_W, height: CARD_H, transform: `translate(${at.x - CARD_W / 2}px,${at.y - CARD_H / 2}px)`, contain: 'strict' }}
      {...drop}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(port);
        }
      }}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, from: at, moved: false };
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        const dx = e.clientX - d.x;
        const dy = e.clientY - d.y;
        if (!d.moved && Math.hypot(dx, dy) < 4) return;
        d.moved = true;
        const v = toView(dx, dy);
        onDrag(port, { x: d.from.x + v.x, y: d.from.y + v.y });
      }}
      onPointerUp={(e) => {
        const d = drag.current;
        drag.current = null;
        if (!d || d.id !== e.pointerId) return;
        if (d.moved) onDrag(port, null);
        else onSelect(port);
      }}
      onPointerCancel={() => {
        if (drag.current?.moved) onDrag(port, null);
        drag.current = null;
      }}
    >
      <div className="mb-0.5 flex items-center justify-between">
        <span className="text-[15px] font-semibold text-fg">{port}</span>
        <span className={`w-[60px] rounded-full py-px text-center text-[10px] font-semibold uppercase tracking-wide text-canvas ${tone.pill}`}>{n.up ? n.role : 'down'}</span>
      </div>
      <div className="truncate">{n.up ? `pid ${n.pid} · run ${shortId(n.runId)}` : 'not running'}</div>
      <div>
        replid <span className="font-mono text-fg">{shortId(n.replid)}</span>
      </div>
      <div>
        {n.up ? 'offset ' : 'last offset '}
        <span className="text-fg">{n.offset === null ? '-' : formatOffset(n.offset)}</span>
      </div>
    </div>
  );
});
