// A node's actions: SHUTDOWN (sent on a connection of its own, as
// `redis-cli -p port SHUTDOWN` would), remove, its disk (the files, the
// dump.rdb to download, a dump.rdb to load), and the network between this
// node and another one (partition, heal, reset, latency, bandwidth). Each
// is a SIM command a user could type in the world console (a file to load
// goes as SIM LOAD's argument); the reply shows under the buttons.
import { useRef, useState, type ReactNode } from 'react';
import { useAppStore, type Outcome } from '../store.ts';
import { useStable } from '../use-stable.ts';
import { nodeCommand, runSim } from '../sim.ts';
import { formatBytes, replyText } from '../format.ts';
import { downloadDump, loadDump } from '../disk.ts';

/** A number and the button that sets it (a link's latency, its bandwidth). */
function ValueForm(props: { label: string; action: string; text: string; placeholder: string; onSet(value: string): void; children?: ReactNode }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="flex items-center gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) props.onSet(value.trim());
      }}
    >
      <input className="field w-20" inputMode="decimal" placeholder={props.placeholder} value={value} onChange={(e) => setValue(e.target.value)} aria-label={props.label} />
      <button className="btn" type="submit" aria-label={props.action}>{props.text}</button>
      {props.children}
    </form>
  );
}

export function ActionsView({ port }: { port: number }) {
  const others = useStable((s) => (s.snapshot?.nodes ?? []).map((n) => n.port).filter((p) => p !== port));
  const up = useStable((s) => s.snapshot?.nodes.find((n) => n.port === port)?.up ?? false);
  const [peerChoice, setPeer] = useState<number | null>(null);
  const peer = peerChoice !== null && others.includes(peerChoice) ? peerChoice : (others[0] ?? null);
  const net = useAppStore((s) => s.netLinks.find((l) => (l.a === port && l.b === peer) || (l.b === port && l.a === peer)) ?? null);
  const outcome = useAppStore((s) => s.outcomes[port] ?? null);
  const setOutcomeOf = useAppStore((s) => s.setOutcome);
  const setOutcome = (o: Outcome) => setOutcomeOf(port, o);
  const disk = useStable((s) => {
    const n = s.snapshot?.nodes.find((x) => x.port === port);
    return { files: n?.disk.map((f) => ({ name: f.name, size: f.size })) ?? [], dbFilename: n?.dbFilename ?? 'dump.rdb' };
  });
  const picker = useRef<HTMLInputElement>(null);
  const hasDump = disk.files.some((f) => f.name === disk.dbFilename);

  const sim = async (...args: string[]) => {
    const reply = await runSim(...args);
    setOutcome({ command: `SIM ${args.join(' ')}`, text: replyText(reply), bad: reply.type === 'error' });
  };
  const shutdown = async (...mode: string[]) => {
    const command = ['SHUTDOWN', ...mode].join(' ');
    const r = await nodeCommand(port, 'SHUTDOWN', ...mode);
    if (r.kind === 'reply') setOutcome({ command, text: replyText(r.reply), bad: r.reply.type === 'error' });
    else setOutcome({ command, text: r.kind === 'closed' ? 'the server closed the connection: it is down' : 'Connection refused', bad: r.kind === 'refused' });
  };

  const state = net
    ? [net.partitioned ? 'partitioned' : 'connected', `latency ${net.latencyMs} ms`, `bandwidth ${net.bandwidth > 0 ? formatBytes(net.bandwidth) + '/s' : 'unlimited'}`].join(' · ')
    : 'default: 0.1 ms, unlimited bandwidth';

  return (
    <div className="flex h-full flex-col gap-3 overflow-auto p-2 text-xs">
      <fieldset className="flex flex-wrap items-center gap-1.5">
        <legend className="mb-1 font-semibold text-muted">Process</legend>
        <button className="btn" disabled={!up} aria-label={`Shutdown ${port}`} title="SHUTDOWN: save if save points are set, then exit" onClick={() => void shutdown()}>Shutdown</button>
        <button className="btn" disabled={!up} aria-label={`Shutdown SAVE ${port}`} title="SHUTDOWN SAVE: save even without save points" onClick={() => void shutdown('SAVE')}>SAVE</button>
        <button className="btn" disabled={!up} aria-label={`Shutdown NOSAVE ${port}`} title="SHUTDOWN NOSAVE: exit without saving" onClick={() => void shutdown('NOSAVE')}>NOSAVE</button>
        <button className="btn btn-danger ml-auto" aria-label={`Remove ${port}`} title="SIM REMOVE: the node and its disk" onClick={() => void sim('REMOVE', String(port))}>Remove node</button>
      </fieldset>
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1 font-semibold text-muted">Disk</legend>
        <ul className="flex flex-wrap gap-x-3 font-mono text-muted" aria-label={`Files on the disk of ${port}`} data-testid={`disk-files-${port}`}>
          {disk.files.length === 0 && <li>empty</li>}
          {disk.files.map((f) => (
            <li key={f.name}>
              <span className="text-fg">{f.name}</span> {formatBytes(f.size)}
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap items-center gap-1.5">
          <button className="btn" disabled={!hasDump} aria-label={`Download ${disk.dbFilename} of ${port}`} title={`Save the node's ${disk.dbFilename} to your computer`} onClick={() => void downloadDump(port, disk.dbFilename)}>
            Download {disk.dbFilename}
          </button>
          <button className="btn" aria-label={`Load an RDB file into ${port}`} title={`Put an RDB file on its disk as ${disk.dbFilename} and restart the node from it (SIM LOAD)`} onClick={() => picker.current?.click()}>
            Load RDB…
          </button>
          <input
            ref={picker}
            type="file"
            className="hidden"
            aria-label={`RDB file for ${port}`}
            data-testid={`rdb-input-${port}`}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void loadDump(port, file);
            }}
          />
          <span className="text-faint">or drop a file on the node</span>
        </div>
      </fieldset>
      <fieldset className="flex flex-col gap-1.5" disabled={peer === null}>
        <legend className="mb-1 font-semibold text-muted">Network between {port} and</legend>
        <div className="flex items-center gap-1.5">
          <select className="field" aria-label={`Peer of ${port}`} value={peer ?? ''} onChange={(e) => setPeer(Number(e.target.value))}>
            {others.map((p) => (
              <option key={p} value={p}>{p}</option>
            ))}
          </select>
          <span className="truncate text-muted" data-testid={`net-state-${port}`}>{state}</span>
        </div>
        <div className="flex flex-wrap items-center gap-1.5">
          <button className="btn btn-danger" aria-label={`Partition ${port}`} title="SIM PARTITION: drop all traffic silently; timeouts decide" disabled={net?.partitioned} onClick={() => void sim('PARTITION', String(port), String(peer))}>Partition</button>
          <button className="btn" aria-label={`Heal ${port}`} title="SIM HEAL: end this partition" disabled={!net?.partitioned} onClick={() => void sim('HEAL', String(port), String(peer))}>Heal</button>
          <button className="btn" aria-label={`Reset link ${port}`} title="SIM RESET: reset the TCP connections now" onClick={() => void sim('RESET', String(port), String(peer))}>Reset link</button>
        </div>
        <ValueForm label={`Latency ${port} in ms`} action={`Set latency ${port}`} text="Set latency" placeholder="ms" onSet={(v) => void sim('LATENCY', String(port), String(peer), v)} />
        <ValueForm label={`Bandwidth ${port} in bytes per second`} action={`Set bandwidth ${port}`} text="Set bandwidth" placeholder="bytes/s" onSet={(v) => void sim('BANDWIDTH', String(port), String(peer), v)}>
          <span className="text-faint">0 = unlimited</span>
        </ValueForm>
      </fieldset>
      <p role="status" className="min-h-[2.5em] font-mono" data-testid={`action-result-${port}`}>
        {outcome && (
          <>
            <span className="text-muted">{outcome.command}</span>
            <br />
            <span className={outcome.bad ? 'text-bad' : 'text-ok'}>{outcome.text}</span>
          </>
        )}
      </p>
    </div>
  );
}
