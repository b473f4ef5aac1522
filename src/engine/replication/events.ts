// Replication events a view draws (the handshake on a link, the PSYNC
// answer, the fork, the RDB transfer, links going down and up, role
// changes). The engine reports them as they happen; hosts stamp them with
// time and forward them. They carry ports and ids, never objects.

export type ReplicationEvent =
  /** A replica sent PSYNC <replid> <offset> (replid "?" when it had no cached master). */
  | { readonly kind: 'psync'; readonly replid: string; readonly offset: number; readonly masterHost: string; readonly masterPort: number }
  /** A replica was told +FULLRESYNC or +CONTINUE. */
  | { readonly kind: 'fullresync'; readonly replid: string; readonly offset: number; readonly masterHost: string; readonly masterPort: number }
  | { readonly kind: 'continue'; readonly replid: string; readonly masterHost: string; readonly masterPort: number }
  /** A master answered a replica's PSYNC (or SYNC): continue, or a full resync and why. */
  | { readonly kind: 'psync-answer'; readonly replicaPort: number; readonly answer: 'continue' | 'fullresync'; readonly reason: string }
  /** A master forked for replicas (target disk or socket); the child will write `keys` keys (its RDB's size is known only once written). */
  | { readonly kind: 'bgsave'; readonly target: 'disk' | 'socket'; readonly replicas: readonly number[]; readonly keys: number }
  /** A replica finished loading its master's RDB. */
  | { readonly kind: 'rdb-loaded'; readonly keys: number; readonly masterHost: string; readonly masterPort: number }
  /** The handshake moved on: PING, AUTH, REPLCONF (what the replica just sent). */
  | { readonly kind: 'handshake'; readonly step: string; readonly masterHost: string; readonly masterPort: number }
  | { readonly kind: 'link-up'; readonly masterHost: string; readonly masterPort: number }
  | { readonly kind: 'link-down'; readonly masterHost: string; readonly masterPort: number; readonly reason: string }
  | { readonly kind: 'role'; readonly role: 'master' | 'replica'; readonly masterHost: string | null; readonly masterPort: number | null };

export type ReplicationEventSink = (event: ReplicationEvent) => void;
