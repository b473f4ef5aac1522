// One node's panel: a header (address, role, kill or start) and tabs:
// the redis-cli terminal, the log, live INFO replication, its keys, its
// redis.conf, and actions. The terminal stays mounted (hidden) while
// another tab shows, so its session and screen survive; the other tabs
// mount only when shown. A file dropped on the panel is loaded as the
// node's dump.rdb.
import { memo, useRef, useState } from 'react';
import { useAppStore } from '../store.ts';
import { useStable } from '../use-stable.ts';
import { workerClient } from '../worker-client.ts';
import { shortId } from '../format.ts';
import { Terminal } from '../terminal/Terminal.tsx';
import { LogView } from './LogView.tsx';
import { InfoView } from './InfoView.tsx';
import { ActionsView } from './ActionsView.tsx';
import { KeysView } from './KeysView.tsx';
import { ConfigView } from './ConfigView.tsx';
import { useRdbDrop } from '../disk.ts';

const TABS = ['Terminal', 'Log', 'INFO', 'Keys', 'Config', 'Actions'] as const;
type Tab = (typeof TABS)[number];

export const NodePanel = memo(function NodePanel({ port }: { port: number }) {
  const n = useStable((s) => {
    const node = s.snapshot?.nodes.find((x) => x.port === port);
    return { host: node?.host ?? '127.0.0.1', up: node?.up ?? false, role: node?.role ?? 'master', pid: node?.pid ?? null, runId: node?.runId ?? null, link: node?.link ?? null };
  });
  const selected = useAppStore((s) => s.selection.ports.includes(port));
  const select = useAppStore((s) => s.select);
  const [tab, setTab] = useState<Tab>('Terminal');
  const terminal = useRef<HTMLDivElement>(null);
  const id = (t: Tab) => `node-${port}-${t.toLowerCase()}`;
  const { dropping, handlers: drop } = useRdbDrop(port);
  const outcome = useAppStore((s) => s.outcomes[port] ?? null);
  const clearOutcome = useAppStore((s) => s.setOutcome);
  // A load's answer shows here too, so a file dropped while another tab shows is answered where it was dropped.
  const loadOutcome = outcome && outcome.command.startsWith('SIM LOAD') && tab !== 'Actions' ? outcome : null;

  return (
    <section
      aria-label={`Node ${port}`}
      className={`relative flex min-w-0 flex-col gap-2 rounded-lg border bg-panel p-2.5 shadow-sm ${selected ? 'border-accent' : 'border-line'}`}
      {...drop}
    >
      {dropping && (
        <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center rounded-lg border-2 border-dashed border-accent bg-panel/85 text-sm font-semibold" aria-hidden="true">
          Drop an RDB file to restart {port} from it
        </div>
      )}
      <header className="flex items-center gap-2">
        <button className="text-sm font-semibold hover:underline" onClick={() => select([port])} aria-label={`Select ${port}`} title="Select it on the topology and show its backlog">
          {n.host}:{port}
        </button>
        <span className={`rounded-full px-2 py-px text-[10px] font-semibold uppercase tracking-wide text-canvas ${!n.up ? 'bg-faint' : n.role === 'master' ? 'bg-master' : 'bg-replica'}`}>
          {n.up ? n.role : 'down'}
        </span>
        <span className="min-w-0 flex-1 truncate text-xs tabular-nums text-muted">
          {n.up ? `pid ${n.pid} · run_id ${shortId(n.runId)}${n.link ? ` · link ${n.link}` : ''}` : 'not running'}
        </span>
        {n.up ? (
          <button className="btn btn-danger" aria-label={`Kill ${port}`} title="Crash it like kill -9 (SIM KILL)" onClick={() => void workerClient.sim('KILL', String(port))}>Kill</button>
        ) : (
          <button className="btn btn-primary" aria-label={`Start ${port}`} title="Start a new process from its disk (SIM START)" onClick={() => void workerClient.sim('START', String(port))}>Start</button>
        )}
      </header>
      <div role="tablist" aria-label={`Views of ${port}`} className="flex gap-1 border-b border-line text-xs">
        {TABS.map((t) => (
          <button
            key={t}
            role="tab"
            id={`${id(t)}-tab`}
            aria-selected={tab === t}
            aria-controls={id(t)}
            aria-label={`${t} ${port}`}
            className={`-mb-px border-b-2 px-2 py-1 ${tab === t ? 'border-accent font-semibold text-fg' : 'border-transparent text-muted hover:text-fg'}`}
            onClick={() => {
              // A hidden terminal must not keep the keyboard.
              if (t !== 'Terminal' && document.activeElement instanceof HTMLElement && terminal.current?.contains(document.activeElement)) document.activeElement.blur();
              setTab(t);
            }}
          >
            {t}
          </button>
        ))}
      </div>
      <div className="relative h-72">
        <div ref={terminal} id={id('Terminal')} role="tabpanel" aria-labelledby={`${id('Terminal')}-tab`} className={`absolute inset-0 ${tab === 'Terminal' ? '' : 'invisible'}`}>
          <Terminal port={port} host={n.host} />
        </div>
        {tab !== 'Terminal' && (
          <div id={id(tab)} role="tabpanel" aria-labelledby={`${id(tab)}-tab`} className="absolute inset-0 overflow-hidden rounded-md border border-line">
            {tab === 'Log' && <LogView port={port} />}
            {tab === 'INFO' && <InfoView port={port} />}
            {tab === 'Keys' && <KeysView port={port} />}
            {tab === 'Config' && <ConfigView port={port} />}
            {tab === 'Actions' && <ActionsView port={port} />}
          </div>
        )}
      </div>
      {loadOutcome && (
        <p role="status" className="flex items-start gap-2 font-mono text-[11px]" data-testid={`load-result-${port}`}>
          <span className="min-w-0 flex-1">
            <span className="text-muted">{loadOutcome.command}</span> <span className={loadOutcome.bad ? 'text-bad' : 'text-ok'}>{loadOutcome.text}</span>
          </span>
          <button className="text-muted hover:text-fg" aria-label={`Dismiss the load result of ${port}`} onClick={() => clearOutcome(port, null)}>
            ✕
          </button>
        </p>
      )}
    </section>
  );
});
