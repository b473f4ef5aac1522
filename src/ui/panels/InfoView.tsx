// Live INFO replication from the snapshot; a field that changed flashes
// for a second (a CSS animation restarted by a new key, so no timers).
import { useRef } from 'react';
import { useStable } from '../use-stable.ts';
import { infoReplication } from './info-fields.ts';

export function InfoView({ port }: { port: number }) {
  const lines = useStable((s) => {
    const n = s.snapshot?.nodes.find((x) => x.port === port);
    return n ? infoReplication(n) : [];
  });
  const seen = useRef(new Map<string, { value: string; changes: number }>());
  const known = seen.current;
  const first = known.size === 0;
  const shown = lines.map(([field, value]) => {
    const prev = known.get(field);
    if (!prev) known.set(field, { value, changes: 0 });
    else if (prev.value !== value) known.set(field, { value, changes: prev.changes + 1 });
    return { field, value, changes: known.get(field)!.changes, fresh: !first && !prev };
  });

  if (lines.length === 0) return <p className="p-2 text-sm text-muted">The node is down: no INFO to show.</p>;
  return (
    <div className="h-full overflow-auto p-2 font-mono text-xs leading-5" data-testid={`info-${port}`} aria-label={`INFO replication of ${port}`} role="group">
      <div className="text-muted"># Replication</div>
      {shown.map(({ field, value, changes, fresh }) => (
        <div key={`${field}:${changes}`} className={changes > 0 || fresh ? 'rs-flash' : ''} data-field={field}>
          <span className="text-muted">{field}:</span>
          <span className="break-all">{value}</span>
        </div>
      ))}
      <p className="mt-2 font-sans text-[11px] text-faint">Built from the worker's snapshot: the INFO fields it carries, updated every frame.</p>
    </div>
  );
}
