// The ACL log (acl.c addACLLogEntry and ACL LOG of Redis 7.0.15): every
// denied command, key, channel and failed AUTH, newest first. A denial like
// one of the 10 newest (same reason, context, object and user, within 60
// seconds) bumps that entry's count and moves it to the front instead of
// adding one. The list keeps acllog-max-len entries.

import { formatScore } from '../keyspace/zset-score.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import { bytesEqual } from '../bytes.ts';

/** ACL_DENIED_*: the order matters (ACLCheckAllUserCommandPerm reports the highest). */
export const DENIED = { CMD: 1, KEY: 2, AUTH: 3, CHANNEL: 4 } as const;
export type Denial = (typeof DENIED)[keyof typeof DENIED];

/** ACL_LOG_CTX_*. */
export type LogContext = 'toplevel' | 'multi' | 'lua';

const REASONS: Readonly<Record<Denial, string>> = { 1: 'command', 2: 'key', 3: 'auth', 4: 'channel' };

/** ACL_LOG_GROUPING_MAX_TIME_DELTA. */
const GROUPING_MS = 60_000;
/** How many recent entries a new one is compared with. */
const TO_SCAN = 10;

interface Entry {
  count: number;
  readonly reason: Denial;
  readonly context: LogContext;
  /** The command's full name, the key or channel, or AUTH's argv[0]. */
  readonly object: Uint8Array;
  readonly username: Uint8Array;
  /** Milliseconds of the last update. */
  ctime: number;
  /** catClientInfoString of the client, at the last update. */
  cinfo: string;
}

export class AclLog {
  private entries: Entry[] = [];

  /** addACLLogEntry. `maxLen` is acllog-max-len now. */
  add(entry: Omit<Entry, 'count'>, maxLen: number): void {
    const scan = Math.min(TO_SCAN, this.entries.length);
    for (let i = 0; i < scan; i++) {
      const e = this.entries[i];
      if (e.reason !== entry.reason || e.context !== entry.context || Math.abs(e.ctime - entry.ctime) > GROUPING_MS) continue;
      if (!bytesEqual(e.object, entry.object) || !bytesEqual(e.username, entry.username)) continue;
      this.entries.splice(i, 1);
      this.entries.unshift(e);
      e.cinfo = entry.cinfo;
      e.ctime = entry.ctime;
      e.count++;
      return;
    }
    this.entries.unshift({ ...entry, count: 1 });
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  reset(): void {
    this.entries = [];
  }

  get length(): number {
    return this.entries.length;
  }

  /** ACL LOG [count]: the newest `count` entries as maps of seven fields; age in seconds from `nowMs`. */
  write(reply: ReplyWriter, count: number, nowMs: number): void {
    const n = Math.min(count, this.entries.length);
    reply.arrayHeader(n);
    for (const e of this.entries.slice(0, n)) {
      reply.mapHeader(7);
      reply.bulkText('count');
      reply.integer(e.count);
      reply.bulkText('reason');
      reply.bulkText(REASONS[e.reason]);
      reply.bulkText('context');
      reply.bulkText(e.context);
      reply.bulkText('object');
      reply.bulk(e.object);
      reply.bulkText('username');
      reply.bulk(e.username);
      reply.bulkText('age-seconds');
      // addReplyDouble of (now - ctime) / 1000.
      reply.doubleText(formatScore((nowMs - e.ctime) / 1000));
      reply.bulkText('client-info');
      reply.bulkText(e.cinfo);
    }
  }
}
