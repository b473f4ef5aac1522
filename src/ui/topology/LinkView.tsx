// A replication link, drawn from the replica to its master by the link's
// state as ROLE names it, with a label chip near the replica saying what
// happens on it (handshake step, PSYNC, +FULLRESYNC / +CONTINUE, RDB
// progress, the network's partition, latency and bandwidth), and the RDB
// transfer as a band filling from the master.
import { memo } from 'react';
import { useStable } from '../use-stable.ts';
import type { NetLink } from '../store.ts';
import { curvePath, pointAt, reverse, type Curve } from './geometry.ts';
import { CARD_H, CARD_W, type Pt } from './layout.ts';
import type { LinkNote } from './link-notes.ts';
import { TransferBand, transferLines, useTransferRate } from './TransferBand.tsx';
import { netLinkParts } from './NetLinkView.tsx';

const STATE_CLASS: Record<string, string> = {
  connected: 'stroke-ok',
  sync: 'stroke-replica',
  handshake: 'stroke-warn',
  connecting: 'stroke-warn',
  connect: 'stroke-bad',
  down: 'stroke-faint',
};

const ANSWER_CLASS: Record<string, string> = {
  fullresync: 'fill-replica',
  continue: 'fill-ok',
  bgsave: 'fill-replica',
  'link-down': 'fill-bad',
};

const LINE_H = 12.5;
/** Width of a character of the chip's monospace text (10px). */
const CHAR_W = 6.02;

interface Props {
  replica: number;
  master: number;
  /** From the replica to the master. */
  curve: Curve;
  /** The replica card's center. */
  replicaAt: Pt;
  /** The replica's link state, or 'down' when the replica is not running. */
  state: string;
  note: LinkNote | undefined;
  net: NetLink | undefined;
  selected: boolean;
}

/**
 * The chip is a bubble against the replica's card on the side the link
 * leaves from (above it for a master higher up), so the chips of a
 * master's replicas stay apart; the link runs under it.
 */
function chipCenter(k: Curve, replicaAt: Pt, w: number, h: number): Pt {
  const dx = (k.p0.x - replicaAt.x) / (CARD_W / 2);
  const dy = (k.p0.y - replicaAt.y) / (CARD_H / 2);
  if (Math.abs(dy) >= Math.abs(dx)) return { x: replicaAt.x, y: replicaAt.y + Math.sign(dy || 1) * (CARD_H / 2 + h / 2 + 4) };
  return { x: replicaAt.x + Math.sign(dx) * (CARD_W / 2 + w / 2 + 4), y: replicaAt.y };
}

type Line = { text: string; cls: string };

export const LinkView = memo(function LinkView({ replica, master, curve, replicaAt, state, note, net, selected }: Props) {
  // How the master sees this replica (INFO's slaveN state), and an RDB being received.
  const side = useStable((s) => {
    const m = s.snapshot?.nodes.find((n) => n.port === master);
    const r = s.snapshot?.nodes.find((n) => n.port === replica);
    const asSeen = m?.replication?.replicas.find((x) => x.port === replica);
    return {
      masterState: asSeen?.state ?? null,
      transfer: { sent: asSeen?.transfer ?? null, read: r?.replication?.transfer ?? null },
    };
  });
  const transferring = side.transfer.sent !== null || side.transfer.read !== null;
  const rate = useTransferRate(transferring ? side.transfer : null);
  const showNote = note && note.masterPort === master ? note : null;
  const lines: Line[] = [];
  lines.push({ text: side.masterState && side.masterState !== 'online' ? `${state} · ${side.masterState}` : state, cls: 'fill-muted' });
  // The request while its answer is awaited.
  if (showNote?.request && !showNote.answer) lines.push({ text: showNote.request, cls: 'fill-warn' });
  if (showNote?.answer) lines.push({ text: showNote.answer, cls: ANSWER_CLASS[showNote.answerKind ?? ''] ?? 'fill-muted' });
  if (showNote?.detail) lines.push({ text: showNote.detail, cls: 'fill-muted' });
  if (transferring) for (const text of transferLines(side.transfer, rate)) lines.push({ text, cls: 'fill-replica' });
  for (const text of net ? netLinkParts(net) : []) lines.push({ text, cls: net?.partitioned ? 'fill-bad' : 'fill-warn' });

  const chars = Math.max(...lines.map((l) => l.text.length));
  const w = chars * CHAR_W + 12;
  const h = lines.length * LINE_H + 6;
  const at = chipCenter(curve, replicaAt, w, h);
  // The partition's mark, toward the master, clear of the chip by the replica.
  const cut = pointAt(curve, 0.78);
  const d = curvePath(curve);

  return (
    <g
      data-testid={`link-${replica}-${master}`}
      aria-label={`Link ${replica} to ${master}: ${state}`}
      data-partitioned={net?.partitioned ? 'yes' : 'no'}
      data-answer={showNote?.answerKind ?? ''}
    >
      {selected && <path d={d} className="fill-none stroke-accent/35" strokeWidth={10} strokeLinecap="round" />}
      <path
        d={d}
        className={`fill-none ${STATE_CLASS[state] ?? 'stroke-faint'} transition-[stroke] duration-300`}
        strokeWidth={2.25}
        strokeDasharray={state === 'connected' ? undefined : '6 5'}
        markerEnd="url(#rs-arrow)"
      />
      {transferring && <TransferBand curve={reverse(curve)} progress={side.transfer} replica={replica} />}
      {net?.partitioned && <path d={d} className="fill-none stroke-bad" strokeWidth={2.5} strokeDasharray="2 5" strokeLinecap="round" />}
      {net?.partitioned && (
        <g transform={`translate(${cut.x},${cut.y})`} aria-hidden="true">
          <circle r={9} className="fill-canvas stroke-bad" strokeWidth={2} />
          <path d="M -4 -4 L 4 4 M 4 -4 L -4 4" className="stroke-bad" strokeWidth={2.2} strokeLinecap="round" />
        </g>
      )}
      <g transform={`translate(${at.x - w / 2},${at.y - h / 2})`} className="font-mono text-[10px]">
        <rect width={w} height={h} rx={5} className={`fill-canvas/90 ${selected ? 'stroke-accent' : 'stroke-line'}`} />
        {lines.map((l, i) => (
          <text key={i} x={6} y={3 + (i + 1) * LINE_H - 3} className={l.cls}>
            {l.text}
          </text>
        ))}
      </g>
    </g>
  );
});
