// The replication events with their sim timestamps, newest at the bottom;
// picking one selects the nodes and the link it concerns. Follows the end
// while scrolled to it.
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useAppStore } from '../store.ts';
import { formatSimTime } from '../format.ts';
import { describeEvent } from './describe.ts';

const TONE: Record<string, string> = {
  info: 'text-replica',
  good: 'text-ok',
  warn: 'text-warn',
  bad: 'text-bad',
};

export const Timeline = memo(function Timeline() {
  const events = useAppStore((s) => s.events);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const [onlySelected, setOnlySelected] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const atEnd = useRef(true);
  const described = useMemo(() => events.map((e, i) => ({ i, e, d: describeEvent(e) })), [events]);
  const shown = onlySelected ? described.filter(({ d }) => d.ports.some((p) => selection.ports.includes(p))) : described;

  useLayoutEffect(() => {
    const el = list.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-1" role="group" aria-label="Event timeline">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">Events</h2>
        <label className="flex items-center gap-1 text-xs text-muted">
          <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} aria-label="Only events of the selected nodes" />
          only selected
        </label>
      </div>
      <ol
        ref={list}
        data-testid="timeline"
        className="min-h-0 flex-1 overflow-y-auto rounded-md border border-line bg-panel-2/40 text-xs"
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
        }}
      >
        {shown.length === 0 && <li className="p-2 text-muted">No replication event yet. Try REPLICAOF 127.0.0.1 6379 on 6380.</li>}
        {shown.map(({ i, e, d }) => {
          const active = d.link !== null ? selection.link === d.link : d.ports.every((p) => selection.ports.includes(p));
          return (
            <li key={i}>
              <button
                className={`grid w-full grid-cols-[4.4rem_1fr] gap-1 px-2 py-0.5 text-left hover:bg-panel-2 ${active ? 'bg-accent/15' : ''}`}
                onClick={() => select(d.ports, d.link)}
                aria-label={`${formatSimTime(e.timeUs)} ${d.text}`}
                data-kind={e.event.kind}
              >
                <span className="tabular-nums text-muted">{formatSimTime(e.timeUs)}</span>
                <span>
                  <span className={`font-semibold ${TONE[d.tone]}`}>{d.label}</span> {d.text}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
});
