// Client-side caching (tracking.c of Redis 7.0.15). The tracking table maps
// each key a tracking client read (by name, whatever the database) to the
// ids of those clients; a write to the key (signalModifiedKey) sends each of
// them an "invalidate" message once and forgets the key. In BCAST mode a
// client tracks prefixes instead: the keys changed under them are collected
// and sent once per event loop cycle (beforeSleep). Messages go as RESP3
// pushes, or to a RESP2 client redirected to, when it is subscribed, as
// messages of the __redis__:invalidate channel. A message for the client
// whose command is running is held until its reply is written
// (tracking_pending_keys). FLUSHDB and FLUSHALL send a null invalidation to
// every tracking client.
import type { Client } from './client.ts';
import type { RedisNode } from './node.ts';
import { fromLatin1, latin1 } from './bytes.ts';
import { aclCommand } from './acl/commands.ts';
import { commandKeys } from './acl/keys.ts';
import { Err } from './errors.ts';

/** A tracking client's state (CLIENT_TRACKING and its companion flags). */
export interface TrackingState {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING given for the next command (or transaction). */
  caching: boolean;
  brokenRedirect: boolean;
  /** BCAST prefixes, as strings of one char per byte. */
  prefixes: Set<string>;
}

interface BcastState {
  /** Keys changed this cycle, with the client that changed each last (for NOLOOP). */
  keys: Map<string, Client | null>;
  clients: Set<Client>;
}

const CHANNEL = fromLatin1('__redis__:invalidate');

/** Rax order: bytes compared as unsigned, a prefix before what extends it. */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class Tracking {
  /** TrackingTable: null until a client first enables tracking. */
  private table: Map<string, Set<number>> | null = null;
  private prefixTable = new Map<string, BcastState>();
  /** TrackingTableTotalItems. */
  totalItems = 0;
  /** server.tracking_clients. */
  clients = 0;
  /** tracking_pending_keys: for the client whose command runs; null stands for a flush. */
  private pending: (string | null)[] = [];
  /** trackingLimitUsedSlots's timeout_counter. */
  private overLimitRuns = 0;

  constructor(private readonly node: RedisNode) {}

  /** Keys need to be seen when written: some are tracked, or some prefix is. */
  get watchesWrites(): boolean {
    return (this.table !== null && this.table.size > 0) || this.prefixTable.size > 0;
  }

  get totalKeys(): number {
    return this.table?.size ?? 0;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** enableTracking (the options were checked by CLIENT TRACKING). */
  enable(c: Client, redirect: number, options: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: readonly string[]): void {
    if (!c.tracking) {
      this.clients++;
      c.tracking = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedirect: false, prefixes: new Set() };
    }
    const t = c.tracking;
    t.redirect = redirect;
    t.brokenRedirect = false;
    t.bcast = options.bcast;
    t.optin = options.optin;
    t.optout = options.optout;
    t.noloop = options.noloop;
    this.table ??= new Map();
    if (options.bcast) {
      if (prefixes.length === 0) this.enablePrefix(c, '');
      for (const p of prefixes) this.enablePrefix(c, p);
    }
    this.node.trackingChanged();
  }

  private enablePrefix(c: Client, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (!bs) this.prefixTable.set(prefix, (bs = { keys: new Map(), clients: new Set() }));
    if (!bs.clients.has(c)) {
      bs.clients.add(c);
      c.tracking!.prefixes.add(prefix);
    }
  }

  /** disableTracking (CLIENT TRACKING OFF, the connection's end). */
  disable(c: Client): void {
    const t = c.tracking;
    if (!t) return;
    if (t.bcast) {
      for (const p of t.prefixes) {
        const bs = this.prefixTable.get(p)!;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixTable.delete(p);
      }
    }
    c.tracking = null;
    this.clients--;
    this.node.trackingChanged();
  }

  /** The first prefix of `prefixes` that overlaps one the client has or another given, as Redis words it; null when none. */
  prefixCollision(c: Client, prefixes: readonly string[]): string | null {
    const overlap = (a: string, b: string) => a.slice(0, Math.min(a.length, b.length)) === b.slice(0, Math.min(a.length, b.length));
    for (let i = 0; i < prefixes.length; i++) {
      for (const have of [...(c.tracking?.prefixes ?? [])].sort(byBytes)) {
        if (overlap(have, prefixes[i]!)) return Err.trackingPrefixOverlapsExisting(cstr(prefixes[i]!), cstr(have));
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlap(prefixes[i]!, prefixes[j]!)) return Err.trackingPrefixOverlapsGiven(cstr(prefixes[i]!), cstr(prefixes[j]!));
      }
    }
    return null;
  }

  /** trackingRememberKeys: after a read-only command of a tracking client (not in BCAST mode). */
  rememberKeys(c: Client, fullname: string, argv: readonly Uint8Array[], isPubsub: boolean): void {
    const t = c.tracking!;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    const keys = commandKeys(aclCommand(fullname), argv);
    if (keys.length === 0 || isPubsub) return;
    const table = this.table!;
    const wasEmpty = table.size === 0;
    for (const k of keys) {
      const key = latin1(argv[k.pos]!);
      let ids = table.get(key);
      if (!ids) table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.totalItems++;
      }
    }
    if (wasEmpty) this.node.trackingChanged();
  }

  /**
   * trackingInvalidateKey: `current` is the client whose command changed
   * the key (NOLOOP, and the pending messages of the running command), or
   * null outside a command.
   */
  invalidateKey(current: Client | null, key: string, bcast = true): void {
    if (this.table === null) return;
    if (bcast && this.prefixTable.size > 0) {
      for (const [prefix, bs] of this.prefixTable) if (key.startsWith(prefix)) bs.keys.set(key, current);
    }
    const ids = this.table.get(key);
    if (!ids) return;
    for (const id of ids) {
      const target = this.node.clientById(id);
      if (!target?.tracking || target.tracking.bcast) continue;
      if (target.tracking.noloop && target === current) continue;
      if (target === current && current.executing) this.pending.push(key);
      else this.send(target, keysArray([key]));
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
    if (this.table.size === 0) this.node.trackingChanged();
  }

  /** trackingHandlePendingKeyInvalidations: after the outermost command, to its client. */
  handlePending(current: Client): void {
    if (this.pending.length === 0) return;
    const keys = this.pending;
    this.pending = [];
    for (const key of keys) {
      if (current.closed) continue;
      this.send(current, key === null ? nullOf(current) : keysArray([key]));
    }
  }

  /** trackingInvalidateKeysOnFlush: a null invalidation to every tracking client; the table empties. */
  invalidateOnFlush(current: Client | null): void {
    if (this.clients > 0) {
      for (const c of this.node.clientList()) {
        if (!c.tracking) continue;
        if (c === current && current.executing) this.pending.push(null);
        else this.send(c, nullOf(c));
      }
    }
    if (this.table) {
      this.table = new Map();
      this.totalItems = 0;
      this.node.trackingChanged();
    }
  }

  /** trackingBroadcastInvalidationMessages, in beforeSleep. */
  broadcast(): void {
    if (this.table === null || this.clients === 0) return;
    for (const prefix of [...this.prefixTable.keys()].sort(byBytes)) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size > 0) {
        const keys = [...bs.keys.keys()].sort(byBytes);
        for (const c of bs.clients) {
          // NOLOOP: the keys this client changed itself are left out.
          const own = c.tracking?.noloop ? keys.filter((k) => bs.keys.get(k) !== c) : keys;
          if (own.length > 0) this.send(c, keysArray(own));
        }
      }
      bs.keys = new Map();
    }
  }

  /**
   * trackingLimitUsedSlots (serverCron, and processCommand before each
   * command): keys forgotten (and invalidated) beyond tracking-table-max-keys,
   * picked at random as Redis's random walk picks them. `maxKeys` is read
   * only when there is a table to limit.
   */
  limitUsedSlots(maxKeys: () => number, pick: (n: number) => number): void {
    const table = this.table;
    if (table === null || table.size === 0) return;
    const max = maxKeys();
    if (max === 0) return;
    if (table.size <= max) {
      this.overLimitRuns = 0;
      return;
    }
    let effort = 100 * (this.overLimitRuns + 1);
    // The keys listed once: each one picked is taken out of the list as it leaves the table.
    const keys = [...table.keys()];
    while (effort-- > 0 && keys.length > 0) {
      const i = pick(keys.length);
      const key = keys[i]!;
      keys[i] = keys[keys.length - 1]!;
      keys.pop();
      this.invalidateKey(null, key, false);
      if (table.size <= max) {
        this.overLimitRuns = 0;
        return;
      }
    }
    this.overLimitRuns++;
  }

  /** sendTrackingMessage: `value` is the RESP of the keys (an array, or a null). */
  private send(c: Client, value: Uint8Array): void {
    const t = c.tracking;
    let target = c;
    let redirected = false;
    if (t && t.redirect) {
      const redir = this.node.clientById(t.redirect);
      if (!redir) {
        t.brokenRedirect = true;
        if (c.reply.protocol === 3) {
          c.reply.pushHeader(2);
          c.reply.bulkText('tracking-redir-broken');
          c.reply.integer(t.redirect);
          this.node.deliver(c);
        }
        return;
      }
      target = redir;
      redirected = true;
    }
    const out = target.reply;
    if (out.protocol === 3) {
      out.pushHeader(2);
      out.bulkText('invalidate');
    } else if (redirected && target.pubsub) {
      out.pushHeader(3);
      out.bulkText('message');
      out.bulk(CHANNEL);
    } else {
      return; // RESP2 without a subscribed redirection: nothing can be sent
    }
    out.raw(value);
    this.node.deliver(target);
  }
}

/** The keys as a RESP array. */
function keysArray(keys: readonly string[]): Uint8Array {
  let s = `*${keys.length}\r\n`;
  for (const k of keys) s += `$${k.length}\r\n${k}\r\n`;
  return fromLatin1(s);
}

/** shared.null[c->resp]. */
const nullOf = (c: Client): Uint8Array => fromLatin1(c.reply.protocol === 3 ? '_\r\n' : '$-1\r\n');

/** A prefix as %s prints it: up to its first NUL. */
const cstr = (s: string) => {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
};
