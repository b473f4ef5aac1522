// Packets as small dots moving along the links. Runs outside React: it
// subscribes to the store's packets, and a requestAnimationFrame loop moves
// a pool of SVG circles. A packet's place is its progress between send and
// arrival in virtual time (extrapolated from the last snapshot at the
// current speed); a packet that crossed within the frame (the default
// latency is 0.1 ms) still takes MIN_TRAVEL_MS of wall time to cross, so it
// can be seen. Dots keep going until they arrive.
import { useEffect, useRef, type RefObject } from 'react';
import type { PacketEntry } from '../../protocol/messages.ts';
import { useAppStore } from '../store.ts';
import { localMasterPort } from '../format.ts';
import { pairCurve, pointAt, type Curve } from './geometry.ts';
import type { Pt } from './layout.ts';

const MIN_TRAVEL_MS = 450;
const MAX_FLIGHTS = 240;
/** Names only while the links are quiet enough to read them (a packet the worker could not name shows its size when big). */
const MAX_LABELLED = 12;
const LABEL_BYTES = 100;
const SVG = 'http://www.w3.org/2000/svg';
/** Label colours by what a packet carries (the worker's PacketKind). */
const LABEL_CLASS: Record<string, string> = {
  command: 'fill-fg',
  rdb: 'fill-replica',
  reply: 'fill-ok',
  ping: 'fill-muted',
  ack: 'fill-packet-up',
  newline: 'fill-faint',
};

interface Flight extends PacketEntry {
  seenMs: number;
}

export function PacketLayer({ positions }: { positions: RefObject<Readonly<Record<number, Pt>>> }) {
  const layer = useRef<SVGGElement>(null);

  useEffect(() => {
    const g = layer.current!;
    // Two paths hold every dot (one per direction): moving a circle's cx/cy
    // would restyle each circle every frame, a path's d restyles one element.
    const downPath = document.createElementNS(SVG, 'path');
    const upPath = document.createElementNS(SVG, 'path');
    downPath.setAttribute('class', 'fill-packet-down');
    upPath.setAttribute('class', 'fill-packet-up');
    g.append(downPath, upPath);
    const labels: SVGTextElement[] = [];
    let flights: Flight[] = [];
    let lastCount = -1;
    const unsubscribe = useAppStore.subscribe((s, prev) => {
      if (s.packets === prev.packets || s.packets.length === 0) return;
      const now = performance.now();
      for (const p of s.packets) flights.push({ ...p, seenMs: now });
      if (flights.length > MAX_FLIGHTS) flights = flights.slice(-MAX_FLIGHTS);
    });

    const label = (i: number): SVGTextElement => {
      let el = labels[i];
      if (!el) {
        el = document.createElementNS(SVG, 'text');
        el.setAttribute('class', 'fill-muted text-[9px] tabular-nums');
        g.appendChild(el);
        labels.push(el);
      }
      return el;
    };
    const dot = (x: number, y: number, r: number) => `M${(x - r).toFixed(1)} ${y.toFixed(1)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

    let frame = requestAnimationFrame(function draw(now) {
      frame = requestAnimationFrame(draw);
      const s = useAppStore.getState();
      const snap = s.snapshot;
      const pos = positions.current;
      if (!snap || !pos) return;
      if (flights.length === 0 && lastCount === 0) return;
      // Virtual now: the last snapshot's time, run forward at the current speed (at most a few frames ahead).
      const ahead = snap.paused ? 0 : Math.min(now - s.snapshotWallMs, 50) * 1000 * snap.speed;
      const virtualNow = snap.timeUs + Math.max(0, ahead);
      const masterOf = new Map<number, number | null>();
      for (const n of snap.nodes) masterOf.set(n.port, n.role === 'replica' ? localMasterPort(n.master) : null);
      const curves = new Map<string, Curve | null>();

      let down = '';
      let up = '';
      let labelled = 0;
      const keep: Flight[] = [];
      const quiet = flights.length <= MAX_LABELLED;
      for (const f of flights) {
        const span = f.arriveUs - f.sentUs;
        const byTime = span > 0 ? (virtualNow - f.sentUs) / span : 1;
        const byWall = (now - f.seenMs) / MIN_TRAVEL_MS;
        const t = Math.max(0, Math.min(byTime, byWall));
        if (t >= 1) continue;
        keep.push(f);
        const key = `${f.fromPort}>${f.toPort}`;
        let k = curves.get(key);
        if (k === undefined) {
          const a = pos[f.fromPort];
          const b = pos[f.toPort];
          k = a && b ? pairCurve(f.fromPort, a, f.toPort, b) : null;
          curves.set(key, k);
        }
        if (!k) continue;
        const p = pointAt(k, t);
        const r = Math.round((2.5 + Math.min(4.5, Math.log10(Math.max(1, f.bytes)))) * 2) / 2;
        if (masterOf.get(f.toPort) === f.fromPort) down += dot(p.x, p.y, r);
        else up += dot(p.x, p.y, r);
        if (quiet && (f.label || f.bytes >= LABEL_BYTES)) {
          const el = label(labelled++);
          el.setAttribute('x', (p.x + 8).toFixed(1));
          el.setAttribute('y', (p.y - 6).toFixed(1));
          // What it carries, as the worker read it from its bytes (SET, REPLCONF ACK, +FULLRESYNC, RDB 16 KB).
          const text = f.label ?? `${f.bytes} B`;
          if (el.textContent !== text) el.textContent = text;
          const cls = `${LABEL_CLASS[f.kind ?? ''] ?? 'fill-muted'} halo text-[9px] font-mono`;
          if (el.getAttribute('class') !== cls) el.setAttribute('class', cls);
          if (el.style.display) el.style.display = '';
        }
      }
      flights = keep;
      downPath.setAttribute('d', down);
      upPath.setAttribute('d', up);
      for (let i = labelled; i < labels.length; i++) if (labels[i].style.display !== 'none') labels[i].style.display = 'none';
      if (keep.length !== lastCount) g.dataset.inFlight = String((lastCount = keep.length));
    });

    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
      g.replaceChildren();
    };
  }, [positions]);

  return <g ref={layer} data-testid="packets" aria-hidden="true" className="pointer-events-none" />;
}
