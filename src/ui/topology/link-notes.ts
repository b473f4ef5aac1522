// What a replication link says as it happens, taken from the replication
// events the worker reports (the replica reports the handshake, PSYNC and
// the master's answer; the master reports its fork): the last request and
// the last answer on each replica's link.
import type { ReplicationEventEntry } from '../../protocol/messages.ts';
import { shortId } from '../format.ts';

export interface LinkNote {
  /** The replica's side: handshake step or PSYNC request. */
  readonly request: string | null;
  /** The master's answer (+FULLRESYNC / +CONTINUE), the fork, link down. */
  readonly answer: string | null;
  /** What followed the answer: the RDB loaded. */
  readonly detail: string | null;
  readonly answerKind: 'fullresync' | 'continue' | 'bgsave' | 'link-down' | null;
  /** The master port these notes were about (a replica may change masters). */
  readonly masterPort: number | null;
}

const EMPTY: LinkNote = { request: null, answer: null, detail: null, answerKind: null, masterPort: null };

type Fields = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** The PSYNC request as the replica sent it: `PSYNC <replid8|?> <offset>`. */
export function psyncText(e: Fields): string {
  const replid = str(e.replid);
  return `PSYNC ${replid === '?' ? '?' : shortId(replid)} ${num(e.offset)}`;
}

/** Notes per replica port, from the events (oldest first). */
export function linkNotes(events: readonly ReplicationEventEntry[]): Map<number, LinkNote> {
  const notes = new Map<number, LinkNote>();
  const update = (port: number, change: Partial<LinkNote>) => notes.set(port, { ...(notes.get(port) ?? EMPTY), ...change });
  for (const { port, event: e } of events) {
    const master = e.masterPort === undefined || e.masterPort === null ? null : num(e.masterPort);
    switch (e.kind) {
      case 'role':
        // A new master (or none): what was said on the old link is over.
        update(port, { ...EMPTY, masterPort: master });
        break;
      case 'handshake':
        update(port, { request: str(e.step), answer: null, detail: null, answerKind: null, masterPort: master });
        break;
      case 'psync':
        update(port, { request: psyncText(e), answer: null, detail: null, answerKind: null, masterPort: master });
        break;
      case 'fullresync':
        update(port, { answer: `+FULLRESYNC ${shortId(str(e.replid))} ${num(e.offset)}`, detail: null, answerKind: 'fullresync', masterPort: master });
        break;
      case 'continue':
        update(port, { answer: `+CONTINUE ${shortId(str(e.replid))}`, detail: null, answerKind: 'continue', masterPort: master });
        break;
      case 'rdb-loaded':
        update(port, { detail: `RDB loaded, ${num(e.keys)} keys`, masterPort: master });
        break;
      case 'link-down':
        update(port, { request: null, answer: 'link down', detail: str(e.reason), answerKind: 'link-down', masterPort: master });
        break;
      case 'bgsave':
        // Reported by the master: the fork that will feed these replicas.
        for (const r of (e.replicas as readonly unknown[] | undefined) ?? []) {
          const rp = num(r);
          const prev = notes.get(rp);
          update(rp, { request: prev?.request ?? null, answer: `BGSAVE to ${str(e.target)}`, detail: `RDB of ${num(e.keys)} keys`, answerKind: 'bgsave', masterPort: port });
        }
        break;
    }
  }
  return notes;
}
