// The page: header (time, add node, theme), the topology with a panel per
// node under it, and beside them the selected node's backlog, the event
// timeline and the world console.
import { memo, useEffect, useState } from 'react';
import { useAppStore } from './store.ts';
import { useStable } from './use-stable.ts';
import { workerClient } from './worker-client.ts';
import { Topology } from './topology/Topology.tsx';
import { NodePanel } from './panels/NodePanel.tsx';
import { BacklogRing } from './backlog/BacklogRing.tsx';
import { OffsetsChart } from './backlog/OffsetsChart.tsx';
import { Timeline } from './timeline/Timeline.tsx';
import { WorldConsole } from './console/WorldConsole.tsx';
import { TimeControls } from './controls/TimeControls.tsx';

function ThemeToggle() {
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);
  useEffect(() => {
    document.documentElement.className = theme;
  }, [theme]);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button className="btn w-[5.5rem]" onClick={() => setTheme(next)} aria-label={`Switch to ${next} theme`} title={`Switch to the ${next} theme`}>
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}

/**
 * Reset world: a fresh world with the same seed (SIM SEED n), which also
 * forgets the disks kept in this browser. A second click confirms it.
 */
function ResetWorld() {
  const seed = useAppStore((s) => s.snapshot?.seed ?? 1);
  const storage = useAppStore((s) => s.storage);
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const timer = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(timer);
  }, [armed]);
  const kept = storage?.error
    ? `Disks are not kept: ${storage.error}`
    : `Nodes and their disks are kept in this browser${storage?.restored ? ' (restored at load)' : ''}`;
  return (
    <>
      <span className={`hidden text-[11px] xl:inline ${storage?.error ? 'text-bad' : 'text-faint'}`} data-testid="storage-state" title={kept}>
        {storage?.error ? 'disks not kept' : storage?.restored ? 'restored' : 'disks kept'}
      </span>
      <button
        className={`btn ${armed ? 'btn-danger border-bad/70 bg-bad/15' : ''}`}
        aria-label={armed ? 'Confirm reset world' : 'Reset world'}
        title={armed ? 'Click again: every node new and empty, time back to 0' : `A fresh world seeded ${seed} (SIM SEED ${seed}); the kept disks are forgotten`}
        onClick={() => {
          if (!armed) return setArmed(true);
          setArmed(false);
          void workerClient.sim('SEED', String(seed));
        }}
      >
        {armed ? 'Really reset?' : 'Reset world'}
      </button>
    </>
  );
}

const LEGEND: [string, string][] = [
  ['bg-ok', 'connected'],
  ['bg-replica', 'sync'],
  ['bg-warn', 'handshake'],
  ['bg-bad', 'connect'],
  ['bg-faint', 'down'],
];

const Legend = memo(function Legend() {
  return (
    <div className="pointer-events-none absolute bottom-2 left-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-[11px] text-muted" aria-hidden="true">
      {LEGEND.map(([cls, label]) => (
        <span key={label} className="flex items-center gap-1">
          <span className={`inline-block h-0.5 w-4 ${cls}`} />
          {label}
        </span>
      ))}
      <span className="flex items-center gap-1"><span className="inline-block h-2 w-2 rounded-full bg-packet-down" />to replica</span>
      <span className="flex items-center gap-1"><span className="inline-block h-2 w-2 rounded-full bg-packet-up" />to master</span>
      <span>· drag nodes · click to select</span>
    </div>
  );
});

/** The selected node's backlog ring, or every node's offsets over time. */
function ReplicationCard() {
  const [view, setView] = useState<'ring' | 'offsets'>('ring');
  const tab = (id: typeof view, label: string) => (
    <button
      role="tab"
      aria-selected={view === id}
      className={`rounded px-1.5 py-0.5 text-xs ${view === id ? 'bg-accent/20 font-semibold text-fg' : 'text-muted hover:text-fg'}`}
      onClick={() => setView(id)}
    >
      {label}
    </button>
  );
  return (
    <div className="flex flex-col gap-2">
      <div role="tablist" aria-label="Replication view" className="-mt-1 flex gap-1 self-end">
        {tab('ring', 'Backlog ring')}
        {tab('offsets', 'Offsets over time')}
      </div>
      {view === 'ring' ? <BacklogRing /> : <OffsetsChart />}
    </div>
  );
}

export function App() {
  const ready = useAppStore((s) => s.snapshot !== null);
  const ports = useStable((s) => (s.snapshot?.nodes ?? []).map((n) => n.port));
  const workerError = useAppStore((s) => s.workerError);
  useEffect(() => {
    workerClient.start();
  }, []);

  return (
    <div className="min-h-screen bg-canvas text-fg">
      <header className="sticky top-0 z-20 flex h-12 items-center gap-4 border-b border-line bg-panel/95 px-4 backdrop-blur">
        <h1 className="shrink-0 text-base font-bold tracking-tight">
          Replscope <span className="hidden font-normal text-muted xl:inline">· Redis 7.0 replication lab</span>
        </h1>
        {ready && <TimeControls />}
        <div className="flex-1" />
        <span className="hidden text-[11px] text-faint lg:inline" aria-hidden="true">
          <kbd>space</kbd> pause/resume · <kbd>.</kbd> step
        </span>
        {ready && <ResetWorld />}
        {ready && (
          <button className="btn" onClick={() => void workerClient.sim('ADD')} title="A new empty node on the next free port (SIM ADD)">
            Add node
          </button>
        )}
        <ThemeToggle />
      </header>
      {workerError && (
        <p role="alert" className="mx-3 mt-3 rounded-md border border-bad/50 bg-bad/15 p-2 text-sm">
          {workerError}
        </p>
      )}
      {ready ? (
        <main className="grid grid-cols-[minmax(0,1fr)_22rem] gap-3 p-3 2xl:grid-cols-[minmax(0,1fr)_26rem]">
          <div className="flex min-w-0 flex-col gap-3">
            <div className="card relative h-[max(22rem,48vh)] p-1">
              <Topology />
              <Legend />
            </div>
            <div className="grid grid-cols-[repeat(auto-fill,minmax(22rem,1fr))] gap-3">
              {ports.map((port) => (
                <NodePanel key={port} port={port} />
              ))}
            </div>
          </div>
          <aside className="sticky top-[3.75rem] flex h-[calc(100vh-4.5rem)] min-h-[36rem] flex-col gap-3" aria-label="Replication details">
            {/* A fixed size and containment: the backlog changes every frame under writes and re-lays out only itself. */}
            <div className="card h-[21rem] shrink-0 overflow-y-auto [contain:strict]">
              <ReplicationCard />
            </div>
            <div className="card flex min-h-0 flex-1 flex-col">
              <Timeline />
            </div>
            <div className="card shrink-0">
              <WorldConsole />
            </div>
          </aside>
        </main>
      ) : (
        <p className="p-4 text-muted">Starting the simulated world…</p>
      )}
    </div>
  );
}
