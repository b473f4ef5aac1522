// The shape of a link between two cards: a gentle quadratic curve from card
// edge to card edge. The same pair of nodes always gets the same curve
// whichever way it is asked for, so packets both ways, the replication link
// and the network annotations share one path.
import { path } from 'd3';
import { CARD_H, CARD_W, type Pt } from './layout.ts';

export interface Curve {
  readonly p0: Pt;
  readonly c: Pt;
  readonly p2: Pt;
}

/** Where the segment from a card's center toward `toward` crosses the card's border (plus a gap). */
export function cardEdge(center: Pt, toward: Pt, gap = 6): Pt {
  const dx = toward.x - center.x;
  const dy = toward.y - center.y;
  if (dx === 0 && dy === 0) return center;
  const sx = dx === 0 ? Infinity : (CARD_W / 2 + gap) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (CARD_H / 2 + gap) / Math.abs(dy);
  const s = Math.min(sx, sy, 1);
  return { x: center.x + dx * s, y: center.y + dy * s };
}

/** The curve from node `fromPort` at `from` to node `toPort` at `to`. */
export function pairCurve(fromPort: number, from: Pt, toPort: number, to: Pt): Curve {
  const flip = fromPort > toPort;
  const a = flip ? to : from;
  const b = flip ? from : to;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const bend = Math.min(40, len * 0.1);
  const c = { x: (a.x + b.x) / 2 - (dy / len) * bend, y: (a.y + b.y) / 2 + (dx / len) * bend };
  const p0 = cardEdge(a, c);
  const p2 = cardEdge(b, c);
  return flip ? { p0: p2, c, p2: p0 } : { p0, c, p2 };
}

export function pointAt(k: Curve, t: number): Pt {
  const u = 1 - t;
  return {
    x: u * u * k.p0.x + 2 * u * t * k.c.x + t * t * k.p2.x,
    y: u * u * k.p0.y + 2 * u * t * k.c.y + t * t * k.p2.y,
  };
}

/** A unit normal of the curve at its middle, pointing to the side it bends toward. */
export function bendNormal(k: Curve): Pt {
  const mid = pointAt(k, 0.5);
  const dx = k.c.x - mid.x;
  const dy = k.c.y - mid.y;
  const len = Math.hypot(dx, dy);
  if (len < 1e-6) {
    const tx = k.p2.x - k.p0.x;
    const ty = k.p2.y - k.p0.y;
    const tl = Math.hypot(tx, ty) || 1;
    return { x: -ty / tl, y: tx / tl };
  }
  return { x: dx / len, y: dy / len };
}

export function curvePath(k: Curve): string {
  const p = path();
  p.moveTo(k.p0.x, k.p0.y);
  p.quadraticCurveTo(k.c.x, k.c.y, k.p2.x, k.p2.y);
  return p.toString();
}

export function reverse(k: Curve): Curve {
  return { p0: k.p2, c: k.c, p2: k.p0 };
}
