// Small text formats shared by the views.
import type { Reply } from '../engine/resp/reply-reader.ts';
import { fromLatin1 } from '../engine/bytes.ts';
import { formatReply } from '../cli/format.ts';

/** Virtual time as seconds with milliseconds: 12.345 s. */
export function formatSimTime(us: number): string {
  return (us / 1_000_000).toFixed(3) + ' s';
}

/** A byte count as people read it: 999 B, 12.3 KB, 4.00 MB (1024-based, as Redis prints memory). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 2 : 1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** The first 8 characters of a run_id or replid, as the views show ids. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '-';
}

/** The port of a `host:port` master address when it names a node of this world (127.0.0.1 or localhost). */
export function localMasterPort(master: string | null | undefined): number | null {
  if (!master) return null;
  const at = master.lastIndexOf(':');
  const host = master.slice(0, at);
  const port = Number(master.slice(at + 1));
  return (host === '127.0.0.1' || host === 'localhost') && Number.isInteger(port) ? port : null;
}

/** Thousands separated with thin spaces, for long offsets. */
export function formatOffset(n: number): string {
  return n.toLocaleString('en-US');
}

/** A reply as redis-cli prints it on a terminal, decoded as UTF-8 as a terminal would, without the last newline. */
export function replyText(reply: Reply): string {
  return new TextDecoder().decode(fromLatin1(formatReply(reply))).replace(/\n$/, '');
}
