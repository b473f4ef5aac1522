// Intents on a node's disk, through the SIM language like every action:
// read a file (SIM DISK port name), offer a dump.rdb as a download, and
// load a dump.rdb chosen or dropped by the user (SIM LOAD port bytes: the
// node restarts from it, or stays down with its log saying why).
import { useState, type DragEvent } from 'react';
import { runSimArgv } from './sim.ts';
import { replyText } from './format.ts';
import { useAppStore, type Outcome } from './store.ts';
import { utf8 } from '../engine/bytes.ts';

/** A file on the node's disk, or null when there is none. */
export async function readDiskFile(port: number, name: string): Promise<Uint8Array | null> {
  const reply = await runSimArgv([utf8('DISK'), utf8(String(port)), utf8(name)]);
  if (reply.type === 'bulk') return reply.value;
  if (reply.type === 'error') throw new Error(replyText(reply));
  return null;
}

/** Offers the node's RDB file as a download named `<port>-<dbfilename>`. */
export async function downloadDump(port: number, name: string): Promise<void> {
  const report = (outcome: Omit<Outcome, 'command'>) => useAppStore.getState().setOutcome(port, { command: `download ${name}`, ...outcome });
  try {
    const bytes = await readDiskFile(port, name);
    if (!bytes) return report({ text: `no ${name} on the disk of ${port} (SAVE writes one)`, bad: true });
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${port}-${name}`;
    document.body.append(a);
    a.click();
    a.remove();
    // The browser has taken the file once the click is handled.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    report({ text: `${bytes.length} bytes`, bad: false });
  } catch (e) {
    report({ text: e instanceof Error ? e.message : String(e), bad: true });
  }
}

/** Puts the file on the node's disk as its dbfilename and restarts it from it. */
export async function loadDump(port: number, file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const reply = await runSimArgv([utf8('LOAD'), utf8(String(port)), bytes]);
  useAppStore.getState().setOutcome(port, { command: `SIM LOAD ${port} <${file.name}, ${bytes.length} bytes>`, text: replyText(reply), bad: reply.type === 'error' });
}

/** Whether a drag carries files (other drags, of text or of a node card, are not ours). */
function dragHasFiles(e: DragEvent): boolean {
  return [...e.dataTransfer.types].includes('Files');
}

/**
 * Drop handlers that load a dropped file as the node's dump.rdb, and
 * whether a file is being dragged over the element (to show where it goes).
 */
export function useRdbDrop(port: number): {
  dropping: boolean;
  handlers: { onDragOver(e: DragEvent): void; onDragLeave(e: DragEvent): void; onDrop(e: DragEvent): void };
} {
  const [dropping, setDropping] = useState(false);
  return {
    dropping,
    handlers: {
      onDragOver: (e) => {
        if (!dragHasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      },
      onDragLeave: (e) => {
        // Leaving for a child of the element is not leaving it.
        if (!(e.currentTarget as Node).contains(e.relatedTarget as Node | null)) setDropping(false);
      },
      onDrop: (e) => {
        if (!dragHasFiles(e)) return;
        e.preventDefault();
        setDropping(false);
        const file = e.dataTransfer.files[0];
        if (file) void loadDump(port, file);
      },
    },
  };
}
