// Keyspace notifications (notify.c of Redis 7.0.15): a command that changes
// a key tells pub/sub, as notify-keyspace-events selects, on two channels:
//   __keyspace@<db>__:<key>    with the event name as the message (K)
//   __keyevent@<db>__:<event>  with the key as the message (E)
//
// Commands call notifyKeyspaceEvent where t_*.c, db.c and expire.c call it,
// with the same class, the same event name and in the same order relative
// to their replies (a RESP3 client subscribed to its own keys sees the
// pushes interleaved with the reply exactly where Redis writes them). The
// node adds three of its own: `new` when a key is added (dbAdd), `keymiss`
// when a read finds no key (lookupKey), `expired` when an expired key is
// deleted (deleteExpiredKeyAndPropagate).

import type { RedisNode } from './node.ts';
import type { KeyName } from './keyspace/db.ts';
import { GLOBAL } from './pubsub.ts';
import { latin1 } from './bytes.ts';
import { NOTIFY } from './config-types.ts';

/** The classes (server.h NOTIFY_*), by their notify-keyspace-events letter: g generic, $ string, l list, ... */
export { NOTIFY };

/**
 * Publishes `event` on `key` of database `dbid` when the node's
 * notify-keyspace-events has the class `type` (one NOTIFY bit). The key
 * is its bytes (a command argument) or its name in the keyspace.
 */
export function notifyKeyspaceEvent(node: RedisNode, type: number, event: string, key: Uint8Array | KeyName, dbid: number): void {
  const flags = node.config.notifyKeyspaceEvents;
  if (!(flags & type)) return;
  const name = typeof key === 'string' ? key : latin1(key);
  if (flags & NOTIFY.K) node.pubsub.publish(`__keyspace@${dbid}__:${name}`, event, GLOBAL);
  if (flags & NOTIFY.E) node.pubsub.publish(`__keyevent@${dbid}__:${event}`, name, GLOBAL);
}
