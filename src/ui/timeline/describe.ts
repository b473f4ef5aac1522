// An event of the timeline in words, and what it concerns (the nodes and
// the replication link to select when it is picked).
import type { ReplicationEventEntry } from '../../protocol/messages.ts';
import { shortId } from '../format.ts';
import { psyncText } from '../topology/link-notes.ts';

export interface Described {
  readonly label: string;
  readonly text: string;
  readonly tone: 'info' | 'good' | 'warn' | 'bad';
  readonly ports: readonly number[];
  /** `<replica>-<master>` when it concerns a replication link. */
  readonly link: string | null;
}

type Fields = Record<string, unknown>;
const num = (v: unknown) => Number(v);

export function describeEvent({ port, event: e }: ReplicationEventEntry): Described {
  const master = typeof e.masterPort === 'number' ? e.masterPort : null;
  const onLink = (label: string, text: string, tone: Described['tone']): Described => ({
    label,
    text,
    tone,
    ports: master === null ? [port] : [port, master],
    link: master === null ? null : `${port}-${master}`,
  });
  // A master inside the world is named by its port, as on the topology.
  const at = (f: Fields) => (f.masterHost === '127.0.0.1' || f.masterHost === 'localhost' ? String(f.masterPort) : `${String(f.masterHost)}:${String(f.masterPort)}`);
  switch (e.kind) {
    case 'psync':
      return onLink('PSYNC', `${port} → ${at(e)}: ${psyncText(e)}`, 'info');
    case 'fullresync':
      return onLink('FULLRESYNC', `${at(e)} → ${port}: +FULLRESYNC ${shortId(String(e.replid))} ${num(e.offset)}`, 'warn');
    case 'continue':
      return onLink('CONTINUE', `${at(e)} → ${port}: +CONTINUE ${shortId(String(e.replid))}`, 'good');
    case 'handshake':
      return onLink('handshake', `${port} → ${at(e)}: ${String(e.step)}`, 'info');
    case 'rdb-loaded':
      return onLink('RDB done', `${port} loaded the RDB from ${at(e)}: ${num(e.keys)} keys`, 'good');
    case 'link-up':
      return onLink('link up', `${port} ⇄ ${at(e)}: link up`, 'good');
    case 'link-down':
      return onLink('link down', `${port} ⇸ ${at(e)}: ${String(e.reason)}`, 'bad');
    case 'bgsave': {
      const replicas = ((e.replicas as unknown[] | undefined) ?? []).map(num);
      return {
        label: 'BGSAVE',
        text: `${port} forks an RDB to ${String(e.target)} for ${replicas.join(', ') || 'no replica'} (${num(e.keys)} keys)`,
        tone: 'info',
        ports: [port, ...replicas],
        link: replicas.length === 1 ? `${replicas[0]}-${port}` : null,
      };
    }
    case 'psync-answer': {
      // The master's side of the decision, with its reason (the replica is named by its listening port).
      const replica = num(e.replicaPort);
      const full = e.answer === 'fullresync';
      return {
        label: full ? 'full sync' : 'partial sync',
        text: `${port} → ${replica}: ${full ? 'full resync' : 'continue'}, ${String(e.reason)}`,
        tone: full ? 'warn' : 'good',
        ports: [port, replica],
        link: `${replica}-${port}`,
      };
    }
    case 'role':
      return e.role === 'replica'
        ? onLink('role', `${port} becomes a replica of ${at(e)}`, 'info')
        : { label: 'role', text: `${port} becomes a master`, tone: 'info', ports: [port], link: null };
    default:
      return { label: e.kind, text: `${port}: ${e.kind}`, tone: 'info', ports: [port], link: null };
  }
}
