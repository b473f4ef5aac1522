// Automatic placement of the topology: a tree per master, replicas one row
// below what they follow (chains go deeper), leaves spread evenly. Pure: the
// view passes which node follows which; dragged positions override it.

export interface Pt {
  readonly x: number;
  readonly y: number;
}

/** A node card's size in viewBox units. */
export const CARD_W = 164;
export const CARD_H = 88;
const SLOT_W = CARD_W + 36;
/** Rows of a tree: at least room for a link's chip between them, at most this far apart. */
const MIN_LEVEL_GAP = CARD_H + 84;
const MAX_LEVEL_GAP = CARD_H + 170;
const MARGIN = 18;
/** Room kept under the drawing for the legend. */
const LEGEND = 24;

export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly pos: Readonly<Record<number, Pt>>;
}

/**
 * `parents[port]` is the port the node follows inside the world, or null.
 * `room` is the drawing's size on screen: the layout fills it, and grows
 * past it (the drawing then scales down) only when the nodes need more.
 */
export function autoLayout(ports: readonly number[], parents: Readonly<Record<number, number | null>>, room: { width: number; height: number }): Layout {
  const present = new Set(ports);
  const children = new Map<number, number[]>();
  const isChild = new Set<number>();
  for (const p of ports) {
    const parent = parents[p];
    if (parent == null || parent === p || !present.has(parent)) continue;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent)!.push(p);
    isChild.add(p);
  }
  const depth = new Map<number, number>();
  const leafSpan = new Map<number, [number, number]>();
  let leaves = 0;
  const visit = (p: number, d: number) => {
    depth.set(p, d);
    const kids = (children.get(p) ?? []).filter((k) => !depth.has(k));
    if (kids.length === 0) {
      leafSpan.set(p, [leaves, leaves]);
      leaves++;
      return;
    }
    const first = leaves;
    for (const k of kids) visit(k, d + 1);
    leafSpan.set(p, [first, leaves - 1]);
  };
  for (const p of ports) if (!isChild.has(p) && !depth.has(p)) visit(p, 0);
  // Whatever is left follows in a cycle (A replicates B, B replicates A): start it anywhere.
  for (const p of ports) if (!depth.has(p)) visit(p, 0);

  const maxDepth = Math.max(0, ...depth.values());
  const width = Math.max(room.width, leaves * SLOT_W + 2 * MARGIN);
  const fit = maxDepth > 0 ? (room.height - 2 * MARGIN - LEGEND - CARD_H) / maxDepth : MIN_LEVEL_GAP;
  const gap = Math.max(MIN_LEVEL_GAP, Math.min(MAX_LEVEL_GAP, fit));
  const used = CARD_H + maxDepth * gap;
  const height = Math.max(room.height, used + 2 * MARGIN + LEGEND);
  const left = (width - leaves * SLOT_W) / 2;
  const top = (height - LEGEND - used) / 2 + CARD_H / 2;
  const pos: Record<number, Pt> = {};
  for (const p of ports) {
    const [a, b] = leafSpan.get(p)!;
    pos[p] = { x: left + ((a + b) / 2 + 0.5) * SLOT_W, y: top + depth.get(p)! * gap };
  }
  return { width, height, pos };
}

/** Keeps a dragged card inside the drawing. */
export function clampToView(p: Pt, width: number, height: number): Pt {
  return {
    x: Math.min(width - CARD_W / 2 - 2, Math.max(CARD_W / 2 + 2, p.x)),
    y: Math.min(height - CARD_H / 2 - 2, Math.max(CARD_H / 2 + 2, p.y)),
  };
}
