// A node's log as Redis writes it (sim time), coloured by level
// (# warning, * notice, - verbose, . debug), searchable; follows the end
// while scrolled to it.
import { useDeferredValue, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useAppStore } from '../store.ts';
import type { LogEntry } from '../../protocol/messages.ts';

const LEVEL: Record<LogEntry['level'], string> = {
  warning: 'text-warn',
  notice: 'text-fg',
  verbose: 'text-muted',
  debug: 'text-faint',
};
const NO_LINES: LogEntry[] = [];

function Highlighted({ line, query }: { line: string; query: string }) {
  if (!query) return <>{line}</>;
  const parts: ReactNode[] = [];
  const lower = line.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(query); i >= 0; i = lower.indexOf(query, at)) {
    parts.push(line.slice(at, i), <mark key={i} className="rounded-sm bg-warn/40 text-inherit">{line.slice(i, i + query.length)}</mark>);
    at = i + query.length;
  }
  parts.push(line.slice(at));
  return <>{parts}</>;
}

export function LogView({ port }: { port: number }) {
  const lines = useAppStore((s) => s.logs[port] ?? NO_LINES);
  const [query, setQuery] = useState('');
  const q = useDeferredValue(query.trim().toLowerCase());
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const shown = q ? lines.filter((l) => l.line.toLowerCase().includes(q)) : lines;

  useLayoutEffect(() => {
    const el = box.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  return (
    <div className="flex h-full flex-col gap-1 p-1">
      <div className="flex items-center gap-2">
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Search the log"
          aria-label={`Search log ${port}`}
          className="field min-w-0 flex-1"
        />
        <span className="shrink-0 text-xs tabular-nums text-muted" aria-live="polite">
          {q ? `${shown.length} of ${lines.length}` : `${lines.length} lines`}
        </span>
      </div>
      <div
        ref={box}
        data-testid={`log-${port}`}
        role="log"
        aria-label={`Log of ${port}`}
        className="min-h-0 flex-1 overflow-auto rounded bg-panel-2/50 px-2 py-1 font-mono text-[11.5px] leading-[1.45]"
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
        }}
      >
        {shown.map((l, i) => (
          <div key={i} className={`whitespace-pre-wrap break-all ${LEVEL[l.level]}`}>
            <Highlighted line={l.line} query={q} />
          </div>
        ))}
      </div>
    </div>
  );
}
