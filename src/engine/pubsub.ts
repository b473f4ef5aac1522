// Pub/sub (pubsub.c of Redis 7.0.15): the server's channel, pattern and
// shard channel tables, subscribing and unsubscribing clients, and
// publishing a message to every subscriber. The commands are in
// commands/pubsub.ts; keyspace notifications (notify.ts) publish here too.
//
// Channels and patterns are keyed by their bytes as latin1 text, as the
// keyspace keys keys. Each table maps a channel (or pattern) to its
// subscribers in the order they subscribed, which is the order a message
// reaches them, as Redis's per-channel lists. Redis walks its pattern dict
// in its random per-process order when a channel matches several
// patterns; here patterns are walked in the order they were first
// subscribed.
//
// A message is written to each subscriber's reply buffer and sent at once
// (the node's deliver), except to a client whose own command is running:
// that client gets it in order with its reply, when its batch is flushed.

import type { Client, Subscriptions } from './client.ts';
import type { RedisNode } from './node.ts';
import type { ReplyWriter } from './resp/reply-writer.ts';
import { fromLatin1 } from './bytes.ts';
import { stringMatch } from './glob.ts';

/** The two kinds of channels: global ones (PUBLISH) and shard channels (SPUBLISH), with their reply words. */
interface ChannelKind {
  readonly shard: boolean;
  readonly subscribe: string;
  readonly unsubscribe: string;
  readonly message: string;
}

export const GLOBAL: ChannelKind = { shard: false, subscribe: 'subscribe', unsubscribe: 'unsubscribe', message: 'message' };
export const SHARD: ChannelKind = { shard: true, subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe', message: 'smessage' };

/** A bulk string of server text or of bytes. */
function bulk(out: ReplyWriter, value: string | Uint8Array): void {
  if (typeof value === 'string') out.bulkText(value);
  else out.bulk(value);
}

interface PatternEntry {
  readonly bytes: Uint8Array;
  readonly clients: Client[];
}

export class PubSub {
  /** server.pubsub_channels. */
  readonly channels = new Map<string, Client[]>();
  /** server.pubsub_patterns. */
  readonly patterns = new Map<string, PatternEntry>();
  /** server.pubsubshard_channels. */
  readonly shardChannels = new Map<string, Client[]>();

  constructor(private readonly node: RedisNode) {}

  private table(kind: ChannelKind): Map<string, Client[]> {
    return kind.shard ? this.shardChannels : this.channels;
  }

  /** clientSubscriptionsCount (channels and patterns) or clientShardSubscriptionsCount. */
  private count(c: Client, kind: ChannelKind): number {
    const s = c.subscriptions;
    if (!s) return 0;
    return kind.shard ? s.shardChannels.size : s.channels.size + s.patterns.length;
  }

  private subs(c: Client): Subscriptions {
    return (c.subscriptions ??= { channels: new Set(), patterns: [], shardChannels: new Set() });
  }

  /** A reply of the (un)subscription kind: [word, channel or null, count], a push in RESP3. */
  private confirm(c: Client, word: string, channel: string | null, count: number): void {
    c.reply.writePush((out) => {
      out.pushHeader(3);
      out.bulkText(word);
      if (channel === null) out.nil();
      else out.bulkText(channel);
      out.integer(count);
    });
  }

  /** pubsubSubscribeChannel: true when it was not subscribed yet; confirmed either way. */
  subscribe(c: Client, channel: string, kind: ChannelKind): boolean {
    const own = kind.shard ? this.subs(c).shardChannels : this.subs(c).channels;
    const added = !own.has(channel);
    if (added) {
      own.add(channel);
      const table = this.table(kind);
      const clients = table.get(channel);
      if (clients) clients.push(c);
      else table.set(channel, [c]);
    }
    this.confirm(c, kind.subscribe, channel, this.count(c, kind));
    return added;
  }

  /** pubsubUnsubscribeChannel: true when it was subscribed; confirmed when `notify`. */
  unsubscribe(c: Client, channel: string, notify: boolean, kind: ChannelKind): boolean {
    const own = kind.shard ? c.subscriptions?.shardChannels : c.subscriptions?.channels;
    const removed = own?.delete(channel) ?? false;
    if (removed) removeFrom(this.table(kind), channel, c);
    if (notify) this.confirm(c, kind.unsubscribe, channel, this.count(c, kind));
    return removed;
  }

  /** pubsubUnsubscribeAllChannels(Internal): with nothing to unsubscribe, one reply with a null channel. */
  unsubscribeAll(c: Client, notify: boolean, kind: ChannelKind): number {
    const own = kind.shard ? c.subscriptions?.shardChannels : c.subscriptions?.channels;
    let count = 0;
    for (const channel of [...(own ?? [])]) if (this.unsubscribe(c, channel, notify, kind)) count++;
    if (notify && count === 0) this.confirm(c, kind.unsubscribe, null, this.count(c, kind));
    return count;
  }

  /** pubsubSubscribePattern. */
  psubscribe(c: Client, pattern: string): boolean {
    const own = this.subs(c).patterns;
    const added = !own.includes(pattern);
    if (added) {
      own.push(pattern);
      const entry = this.patterns.get(pattern);
      if (entry) entry.clients.push(c);
      else this.patterns.set(pattern, { bytes: fromLatin1(pattern), clients: [c] });
    }
    this.confirm(c, 'psubscribe', pattern, this.count(c, GLOBAL));
    return added;
  }

  /** pubsubUnsubscribePattern. */
  punsubscribe(c: Client, pattern: string, notify: boolean): boolean {
    const own = c.subscriptions?.patterns;
    const at = own ? own.indexOf(pattern) : -1;
    if (at >= 0) {
      own!.splice(at, 1);
      const entry = this.patterns.get(pattern)!;
      entry.clients.splice(entry.clients.indexOf(c), 1);
      if (entry.clients.length === 0) this.patterns.delete(pattern);
    }
    if (notify) this.confirm(c, 'punsubscribe', pattern, this.count(c, GLOBAL));
    return at >= 0;
  }

  /** pubsubUnsubscribeAllPatterns. */
  punsubscribeAll(c: Client, notify: boolean): number {
    let count = 0;
    for (const pattern of [...(c.subscriptions?.patterns ?? [])]) if (this.punsubscribe(c, pattern, notify)) count++;
    if (notify && count === 0) this.confirm(c, 'punsubscribe', null, this.count(c, GLOBAL));
    return count;
  }

  /** What freeClient and RESET do: every subscription goes, without replies. */
  forget(c: Client): void {
    if (!c.subscriptions) return;
    this.unsubscribeAll(c, false, GLOBAL);
    this.unsubscribeAll(c, false, SHARD);
    this.punsubscribeAll(c, false);
    c.subscriptions = null;
  }

  /**
   * pubsubPublishMessage: to the channel's subscribers, then (not for a
   * shard channel) to the subscribers of every matching pattern; returns
   * how many messages were sent.
   */
  publish(channel: string, message: string | Uint8Array, kind: ChannelKind): number {
    let receivers = 0;
    const clients = this.table(kind).get(channel);
    if (clients) {
      for (const c of [...clients]) {
        this.send(c, (out) => {
          out.pushHeader(3);
          out.bulkText(kind.message);
          out.bulkText(channel);
          bulk(out, message);
        });
        receivers++;
      }
    }
    if (kind.shard || this.patterns.size === 0) return receivers;
    const bytes = fromLatin1(channel);
    for (const [pattern, entry] of [...this.patterns]) {
      if (!stringMatch(entry.bytes, bytes)) continue;
      for (const c of [...entry.clients]) {
        this.send(c, (out) => {
          out.pushHeader(4);
          out.bulkText('pmessage');
          out.bulkText(pattern);
          out.bulkText(channel);
          bulk(out, message);
        });
        receivers++;
      }
    }
    return receivers;
  }

  private send(c: Client, write: (out: ReplyWriter) => void): void {
    if (c.closed) return;
    c.reply.writePush(write);
    this.node.deliver(c);
  }
}

/** Takes a client off a channel's list; the channel goes with its last subscriber. */
function removeFrom(table: Map<string, Client[]>, channel: string, c: Client): void {
  const clients = table.get(channel)!;
  clients.splice(clients.indexOf(c), 1);
  if (clients.length === 0) table.delete(channel);
}
