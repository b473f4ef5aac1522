import { useEffect } from 'react';
import { useAppStore } from './store.ts';
import { workerClient } from './worker-client.ts';
import { Topology } from './topology/Topology.tsx';
import { Terminal } from './terminal/Terminal.tsx';
import type { NodeSnapshot } from '../protocol/messages.ts';

function formatSimTime(us: number): string {
  return (us / 1_000_000).toFixed(3) + ' s';
}

const BUTTON = 'rounded bg-slate-700 px-2 py-1 text-xs hover:bg-slate-600';

function NodePanel({ node }: { node: NodeSnapshot }) {
  return (
    <section aria-label={`Node ${node.port}`} className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-700 bg-slate-900/70 p-3">
      <header className="flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold text-slate-100">{node.host}:{node.port}</h2>
        <span className="truncate text-xs text-slate-400">
          {node.up ? `${node.role} · pid ${node.pid} · run_id ${node.runId?.slice(0, 8)}` : 'down'}
        </span>
        {node.up ? (
          <button className={BUTTON} aria-label={`Kill ${node.port}`} title="Crash it like kill -9 (SIM KILL)" onClick={() => void workerClient.sim('KILL', String(node.port))}>Kill</button>
        ) : (
          <button className={BUTTON} aria-label={`Start ${node.port}`} title="Start a new process from its disk (SIM START)" onClick={() => void workerClient.sim('START', String(node.port))}>Start</button>
        )}
      </header>
      <div className="h-72">
        <Terminal port={node.port} host={node.host} />
      </div>
    </section>
  );
}

export function App() {
  const snapshot = useAppStore((s) => s.snapshot);
  const workerError = useAppStore((s) => s.workerError);
  useEffect(() => workerClient.start(), []);

  return (
    <main className="mx-auto flex min-h-screen max-w-[1800px] flex-col gap-4 p-4">
      <header className="flex items-center justify-between">
        <h1 className="text-lg font-bold tracking-tight">Replscope <span className="font-normal text-slate-400">· Redis 7.0 replication lab</span></h1>
        {snapshot && (
          <div className="flex items-center gap-2 text-sm">
            <span className="tabular-nums text-slate-300" aria-label="Simulation time">{formatSimTime(snapshot.timeUs)}</span>
            {snapshot.paused ? (
              <button className="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600" onClick={() => workerClient.send({ type: 'time.resume' })}>Resume</button>
            ) : (
              <button className="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600" onClick={() => workerClient.send({ type: 'time.pause' })}>Pause</button>
            )}
            <button className="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600" onClick={() => workerClient.send({ type: 'time.step', us: 100_000 })}>Step</button>
            <button className="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600" onClick={() => void workerClient.sim('ADD')}>Add node</button>
          </div>
        )}
      </header>
      {workerError && <p role="alert" className="rounded bg-red-900/60 p-2 text-sm">{workerError}</p>}
      {snapshot ? (
        <>
          <Topology nodes={snapshot.nodes} />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
            {snapshot.nodes.map((n) => <NodePanel key={n.port} node={n} />)}
          </div>
        </>
      ) : (
        <p className="text-slate-400">Starting the simulated world…</p>
      )}
    </main>
  );
}
