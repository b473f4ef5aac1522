// The topology: a card per node, placed as a tree per master (replicas a
// row below what they follow) or where the user dragged it; replication
// links from replica to master drawn by state with what is said on them;
// network links that differ from the default; packets moving along links.
// React renders the SVG (links) and an HTML layer of cards over it, both in
// the layout's units; layout and curves are small pure functions; the
// packets animate outside React (PacketLayer).
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { useAppStore } from '../store.ts';
import { useStable } from '../use-stable.ts';
import { localMasterPort } from '../format.ts';
import { autoLayout, clampToView, type Pt } from './layout.ts';
import { pairCurve } from './geometry.ts';
import { linkNotes } from './link-notes.ts';
import { NodeCard } from './NodeCard.tsx';
import { LinkView } from './LinkView.tsx';
import { NetLinkView } from './NetLinkView.tsx';
import { PacketLayer } from './PacketLayer.tsx';

const TWEEN_MS = 380;

/** Eases shown positions toward their targets when the layout changes (a chain forms, a failover); a dragged card follows at once. */
function useTweened(target: Readonly<Record<number, Pt>>, dragging: number | null): Readonly<Record<number, Pt>> {
  const [shown, setShown] = useState(target);
  const current = useRef(target);
  useEffect(() => {
    const from = current.current;
    const moves = Object.keys(target).some((k) => {
      const p = Number(k);
      const a = from[p];
      return p !== dragging && a && Math.hypot(a.x - target[p].x, a.y - target[p].y) > 0.5;
    });
    if (!moves) {
      current.current = target;
      setShown(target);
      return;
    }
    const start = performance.now();
    let frame = requestAnimationFrame(function step(now) {
      const k = Math.min(1, (now - start) / TWEEN_MS);
      const e = 1 - Math.pow(1 - k, 3);
      const next: Record<number, Pt> = {};
      for (const key of Object.keys(target)) {
        const p = Number(key);
        const a = from[p] ?? target[p];
        const b = target[p];
        next[p] = p === dragging ? b : { x: a.x + (b.x - a.x) * e, y: a.y + (b.y - a.y) * e };
      }
      current.current = next;
      setShown(next);
      if (k < 1) frame = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(frame);
  }, [target, dragging]);
  return shown;
}

/** The drawing's size on screen (CSS pixels), so one unit of the layout is one pixel until nodes need more room. */
function useRoom(box: RefObject<HTMLDivElement | null>): { width: number; height: number } {
  const [room, setRoom] = useState({ width: 900, height: 340 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const width = Math.max(320, Math.round(el.clientWidth));
      const height = Math.max(220, Math.round(el.clientHeight));
      setRoom((r) => (r.width === width && r.height === height ? r : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [box]);
  return room;
}

export function Topology() {
  // Structure only: which nodes, who follows whom, link states. Offsets re-render the cards alone.
  const structure = useStable((s) =>
    (s.snapshot?.nodes ?? []).map((n) => ({
      port: n.port,
      up: n.up,
      // A node that went down keeps its place under the master it last followed.
      parent: localMasterPort(n.up ? n.master : (s.lastKnown[n.port]?.master ?? null)),
      link: n.link,
    })),
  );
  const netLinks = useAppStore((s) => s.netLinks);
  const dragged = useAppStore((s) => s.positions);
  const selection = useAppStore((s) => s.selection);
  const events = useAppStore((s) => s.events);
  const select = useAppStore((s) => s.select);
  const setPosition = useAppStore((s) => s.setPosition);
  const resetPositions = useAppStore((s) => s.resetPositions);
  const box = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<number | null>(null);

  const room = useRoom(box);
  const layout = useMemo(() => {
    const parents: Record<number, number | null> = {};
    for (const n of structure) parents[n.port] = n.parent;
    return autoLayout(structure.map((n) => n.port), parents, room);
  }, [structure, room]);
  const target = useMemo(() => {
    const pos: Record<number, Pt> = {};
    for (const n of structure) pos[n.port] = dragged[n.port] ? clampToView(dragged[n.port], layout.width, layout.height) : layout.pos[n.port];
    return pos;
  }, [structure, dragged, layout]);
  const tweened = useTweened(target, dragging);
  // A node just added has no tweened place yet: it starts where the layout puts it.
  const shown = useMemo(() => {
    const all: Record<number, Pt> = {};
    for (const n of structure) all[n.port] = tweened[n.port] ?? target[n.port];
    return all;
  }, [structure, tweened, target]);
  const positions = useRef(shown);
  positions.current = shown;
  const notes = useMemo(() => linkNotes(events), [events]);

  // The drawing fits the room as the SVG's viewBox does (xMidYMid meet); the cards' layer follows the same mapping.
  const scale = Math.min(room.width / layout.width, room.height / layout.height);
  const stage = {
    width: layout.width,
    height: layout.height,
    transform: `translate(${(room.width - layout.width * scale) / 2}px,${(room.height - layout.height * scale) / 2}px) scale(${scale})`,
    transformOrigin: '0 0',
  };
  const toView = useCallback((dx: number, dy: number): Pt => ({ x: dx / scale, y: dy / scale }), [scale]);
  const onDrag = useCallback(
    (port: number, to: Pt | null) => {
      setDragging(to ? port : null);
      if (to) {
        const p = clampToView(to, layout.width, layout.height);
        setPosition(port, p.x, p.y);
      }
    },
    [layout, setPosition],
  );
  const onSelect = useCallback((port: number) => select([port]), [select]);

  const byPort = new Map(structure.map((n) => [n.port, n]));
  const links = structure.flatMap((n) =>
    n.parent !== null && n.parent !== n.port && byPort.has(n.parent) ? [{ replica: n.port, master: n.parent, state: n.up ? (n.link ?? 'connect') : 'down' }] : [],
  );
  const pairKey = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;
  const replicationPairs = new Set(links.map((l) => pairKey(l.replica, l.master)));
  const netByPair = new Map(netLinks.map((l) => [pairKey(l.a, l.b), l]));
  const selectedPorts = new Set(selection.ports);

  return (
    <div ref={box} className="relative h-full w-full">
      <svg
        data-testid="topology"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="absolute inset-0 h-full w-full select-none"
        role="group"
        aria-label="Topology"
      >
        <defs>
          <marker id="rs-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="fill-muted" />
          </marker>
        </defs>
        {/* Under the links: a link's chip hides the packets passing beneath it. */}
        <PacketLayer positions={positions} />
        {/* Network links with a replication link on them are told in that link's chip. */}
        {netLinks.map((l) => {
          const a = shown[l.a];
          const b = shown[l.b];
          if (!a || !b || replicationPairs.has(pairKey(l.a, l.b))) return null;
          return <NetLinkView key={pairKey(l.a, l.b)} link={l} curve={pairCurve(l.a, a, l.b, b)} />;
        })}
        {links.map(({ replica, master, state }) => (
          <LinkView
            key={`${replica}-${master}`}
            replica={replica}
            master={master}
            curve={pairCurve(replica, shown[replica], master, shown[master])}
            replicaAt={shown[replica]}
            state={state}
            note={notes.get(replica)}
            net={netByPair.get(pairKey(replica, master))}
            selected={selection.link === `${replica}-${master}`}
          />
        ))}
      </svg>
      <div className="pointer-events-none absolute left-0 top-0" style={stage} role="group" aria-label="Nodes">
        {structure.map((n) => (
          <NodeCard key={n.port} port={n.port} at={shown[n.port]} selected={selectedPorts.has(n.port)} toView={toView} onDrag={onDrag} onSelect={onSelect} />
        ))}
      </div>
      {Object.keys(dragged).length > 0 && (
        <button className="btn absolute right-2 top-2" onClick={resetPositions} aria-label="Reset layout" title="Put every node back where the automatic layout places it">
          Reset layout
        </button>
      )}
    </div>
  );
}
