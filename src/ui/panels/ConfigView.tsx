// The node's redis.conf as its disk holds it (what the next start reads),
// read through SIM DISK and read again whenever the file changes on the
// disk (CONFIG REWRITE): the snapshot carries each file's version.
import { useEffect, useState } from 'react';
import { useAppStore } from '../store.ts';
import { readDiskFile } from '../disk.ts';
import { formatBytes } from '../format.ts';

const CONFIG_FILE = 'redis.conf';

type Loaded = { text: string | null; version: number } | { error: string; version: number };

export function ConfigView({ port }: { port: number }) {
  const version = useAppStore((s) => s.snapshot?.nodes.find((n) => n.port === port)?.disk.find((f) => f.name === CONFIG_FILE)?.version ?? 0);
  const generation = useAppStore((s) => s.worldGeneration);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let live = true;
    readDiskFile(port, CONFIG_FILE).then(
      (bytes) => live && setLoaded({ text: bytes ? new TextDecoder().decode(bytes) : null, version }),
      (e: unknown) => live && setLoaded({ error: e instanceof Error ? e.message : String(e), version }),
    );
    return () => {
      live = false;
    };
  }, [port, version, generation]);

  if (!loaded) return <p className="p-2 text-xs text-muted">Reading {CONFIG_FILE}…</p>;
  if ('error' in loaded) return <p className="p-2 text-xs text-bad">{loaded.error}</p>;
  const lines = loaded.text === null ? null : loaded.text.replace(/\n$/, '').split('\n');
  return (
    <div className="flex h-full flex-col text-xs" role="group" aria-label={`redis.conf of ${port}`}>
      <p className="border-b border-line px-2 py-1 text-muted">
        <span className="font-mono text-fg">{CONFIG_FILE}</span>
        {loaded.text !== null && ` · ${formatBytes(new TextEncoder().encode(loaded.text).length)}`} · on the node's disk, read at every start; CONFIG REWRITE writes it
      </p>
      {lines === null || loaded.text === '' ? (
        <p className="p-2 text-muted" data-testid={`config-${port}`}>
          {lines === null ? 'No redis.conf on the disk.' : 'Empty: the node runs with the compiled-in defaults. CONFIG SET, then CONFIG REWRITE, writes what differs here.'}
        </p>
      ) : (
        <pre className="min-h-0 flex-1 overflow-auto p-2 font-mono leading-5" data-testid={`config-${port}`}>
          {lines.map((line, i) => (
            <div key={i} className={/^\s*#/.test(line) ? 'text-faint' : ''}>
              {line || '\u00a0'}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}
