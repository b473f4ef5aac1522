// A node's keys: one database at a time, filtered by a glob, a page at a
// time, with type, encoding, TTL, length and the start of the value. The worker reads
// them without running a command (INFO's counters and MONITOR stay honest,
// expired keys are hidden, not deleted). The page is read again when the
// node's dataset changes (its dirty counter or key counts move, a new
// process starts), at most a few times a second, and when a key shown
// reaches the end of its TTL.
import { useEffect, useRef, useState } from 'react';
import type { KeysPage } from '../../protocol/messages.ts';
import { useAppStore } from '../store.ts';
import { useStable, useThrottled } from '../use-stable.ts';
import { workerClient } from '../worker-client.ts';

const PAGE = 50;
/** The least wall time between two readings while the dataset keeps changing. */
const REFRESH_MS = 250;

/** Milliseconds left as TTL and PTTL read: 850 ms, 3.2 s, then whole seconds rounded as TTL rounds them. */
function formatTtl(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

function printable(key: string): string {
  // Keys are bytes (latin1 here): shown as UTF-8 text when they are, escaped where not.
  const bytes = Uint8Array.from(key, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  } catch {
    return [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  }
}

export function KeysView({ port }: { port: number }) {
  const node = useStable((s) => {
    const n = s.snapshot?.nodes.find((x) => x.port === port);
    return { up: n?.up ?? false, pid: n?.pid ?? null, dirty: n?.dirty ?? null, keyspace: n?.keyspace ?? null };
  });
  const generation = useAppStore((s) => s.worldGeneration);
  // TTLs count down with virtual time; four times a second is enough to read them.
  const nowUs = useThrottled((s) => s.snapshot?.timeUs ?? 0, REFRESH_MS);
  const [db, setDb] = useState(0);
  const [pattern, setPattern] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<KeysPage | null>(null);
  const lastRead = useRef(0);

  const elapsedMs = page?.ok ? (nowUs - page.timeUs) / 1000 : 0;
  const someExpired = !!page?.ok && page.keys.some((k) => k.ttlMs >= 0 && k.ttlMs - elapsedMs <= 0);
  const glob = pattern.trim() || '*';

  useEffect(() => {
    if (!node.up) return;
    let live = true;
    const read = () => {
      lastRead.current = performance.now();
      void workerClient.keys({ port, db, offset, count: PAGE, pattern: glob }).then((p) => live && setPage(p));
    };
    const wait = lastRead.current + REFRESH_MS - performance.now();
    if (wait <= 0) {
      read();
      return () => {
        live = false;
      };
    }
    const timer = setTimeout(read, wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [port, db, glob, offset, generation, node, someExpired]);

  if (!node.up) return <p className="p-2 text-sm text-muted">The node is down: its keys are in its dump.rdb until it starts again.</p>;
  const dbs = (node.keyspace ?? []).map((n, i) => ({ i, n })).filter(({ i, n }) => n > 0 || i === db || i === 0);
  const matched = page?.ok ? page.matched : 0;
  const from = matched === 0 ? 0 : offset + 1;
  const to = page?.ok ? offset + page.keys.length : 0;

  return (
    <div className="flex h-full flex-col text-xs">
      <div className="flex items-center gap-1.5 border-b border-line p-1">
        <select
          className="field"
          aria-label={`Database of ${port}`}
          value={db}
          onChange={(e) => {
            setDb(Number(e.target.value));
            setOffset(0);
          }}
        >
          {dbs.map(({ i, n }) => (
            <option key={i} value={i}>
              db{i} ({n})
            </option>
          ))}
        </select>
        <input
          type="search"
          className="field min-w-0 flex-1 font-mono"
          placeholder="pattern, e.g. user:*"
          value={pattern}
          onChange={(e) => {
            setPattern(e.target.value);
            setOffset(0);
          }}
          aria-label={`Key pattern of ${port}`}
        />
        <span className="shrink-0 tabular-nums text-muted" data-testid={`keys-range-${port}`}>
          {from}–{to} of {matched}
        </span>
        <button className="btn px-1.5" aria-label={`Previous keys of ${port}`} disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ‹
        </button>
        <button className="btn px-1.5" aria-label={`Next keys of ${port}`} disabled={to >= matched} onClick={() => setOffset(offset + PAGE)}>
          ›
        </button>
      </div>
      {page && !page.ok ? (
        <p className="p-2 text-bad">{page.error}</p>
      ) : (
        <div className="min-h-0 flex-1 overflow-auto">
          <table className="w-full table-fixed border-collapse font-mono" data-testid={`keys-${port}`} aria-label={`Keys of ${port} in db${db}`}>
            {/* Type, TTL and length take what their longest values need; key and value share the rest. */}
            <colgroup>
              <col className="w-[30%]" />
              <col className="w-[3.6rem]" />
              <col className="w-[4.6rem]" />
              <col className="w-[4.2rem]" />
              <col className="w-[3rem]" />
              <col />
            </colgroup>
            <thead className="sticky top-0 bg-panel text-left font-sans text-[10px] uppercase tracking-wide text-muted">
              <tr>
                <th className="px-1.5 py-1 font-semibold">key</th>
                <th className="px-1 font-semibold">type</th>
                <th className="px-1 font-semibold">encoding</th>
                <th className="px-1 font-semibold">ttl</th>
                <th className="px-1 font-semibold">len</th>
                <th className="px-1 font-semibold">value</th>
              </tr>
            </thead>
            <tbody>
              {page?.ok &&
                page.keys.map((k) => (
                  <tr key={k.key} className="border-t border-line/60 align-top" data-key={k.key}>
                    <td className="truncate px-1.5 py-0.5 text-fg" title={printable(k.key)}>
                      {printable(k.key)}
                    </td>
                    <td className="truncate px-1 py-0.5 text-muted">{k.type}</td>
                    <td className="truncate px-1 py-0.5 text-muted" title={k.encoding}>
                      {k.encoding}
                    </td>
                    <td className="truncate px-1 py-0.5 tabular-nums text-muted">{k.ttlMs < 0 ? '-' : formatTtl(k.ttlMs - elapsedMs)}</td>
                    <td className="truncate px-1 py-0.5 tabular-nums text-muted">{k.length}</td>
                    <td className="truncate px-1 py-0.5 text-muted" title={k.preview}>
                      {k.preview}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
          {page?.ok && matched === 0 && <p className="p-2 font-sans text-muted">{glob === '*' ? `db${db} is empty.` : `No key of db${db} matches ${glob}.`}</p>}
        </div>
      )}
    </div>
  );
}
