// Clients blocked on keys, and the queue of unblocked clients (blocked.c and
// timeout.c of Redis 7.0.15).
//
// A client blocked by BLPOP, BZPOPMIN, XREAD BLOCK, ... waits for keys of
// its database. A write that gives it something signals the key as ready;
// after the command (and its MULTI/EXEC, or a command of our master's
// stream) the node serves the ready keys: each key's waiting clients, first
// blocked first served, as long as the key still holds a value of the type
// they wait for (handleClientsBlockedOnKeys). Serving may make other keys
// ready (BLMOVE pushes): those are served in the same round. Timeouts are
// checked before the node sleeps (handleBlockedClientsTimeout, first thing
// in beforeSleep): a client times out at the first check after its
// deadline, in order of deadline then client id. An unblocked client's
// next commands run in beforeSleep too (processUnblockedClients), never
// inside the command or event that unblocked it.
//
// How a blocking command uses this (commands/blocking-list.ts is one):
//  1. Parse its arguments, then answer at once if it can, as its
//     non-blocking form would, and propagate that form (client.propagateAs).
//  2. Nothing to answer with: when denyBlocking(client) (inside EXEC, a
//     script) reply what a timeout replies, at once.
//  3. Else call node.blocking.block(ctx, { type, keys, timeout, serve })
//     and reply nothing; the client's later commands wait.
//     - type: the value type it waits for. A ready key is offered to serve()
//       only while it holds a value of that type.
//     - timeout: the absolute unix ms it gives up at, 0 for never:
//       blockingTimeout(ctx, arg, 'seconds' | 'milliseconds') of
//       commands/timeout.ts reads the argument with Redis's errors. A
//       timeout replies a null array.
//     - serve(key, value): called while the node serves a ready key. Write
//       the reply to ctx.reply, get the value to change with
//       ctx.keyspace.lookupWrite (the fork snapshot's copy-on-write rule),
//       change keys only through Db methods, send the keyspace events,
//       count node.dirty and touch watched keys where Redis does, and
//       propagate what was done with node.propagate (the non-blocking
//       form). Return true when it answered (the client is unblocked),
//       false to keep waiting (an XREAD whose stream has nothing newer).
//     - lost(key) (optional): the key was signalled but holds no value of
//       `type` now (deleted, or overwritten by another type): XREADGROUP
//       answers its errors there. True when it answered.
//  4. A write that gives waiting clients something calls
//     node.blocking.signalKeyAsReady(db, key, type). Db.set does it for
//     every new key (dbAdd), so a push onto a missing list or a ZADD to a
//     missing zset needs nothing more. A write that adds to a value that
//     exists (XADD to a stream) must call it, and so must what removes or
//     replaces a stream (Redis signals in dbGenericDelete and dbOverwrite
//     when the old value is a stream, for XREADGROUP's lost()). Swapping
//     databases calls scanDatabaseForReadyKeys (SWAPDB must too).

import type { Client } from './client.ts';
import type { RedisNode } from './node.ts';
import type { CommandContext } from './commands/context.ts';
import { keyName, type Db, type KeyName } from './keyspace/db.ts';
import type { RedisValue } from './keyspace/value.ts';
import { Err } from './errors.ts';

/** The value types a client can wait for (BLOCKED_LIST, BLOCKED_ZSET, BLOCKED_STREAM). */
export type BlockedType = 'list' | 'zset' | 'stream';

/** What a blocking command waits for (see the top of this file). */
export interface KeyWaitSpec {
  readonly type: BlockedType;
  /** The keys, as the command named them; a key named twice is waited for once. */
  readonly keys: readonly Uint8Array[];
  /** Unix ms it times out at; 0 for never. */
  readonly timeout: number;
  serve(key: KeyName, value: RedisValue): boolean;
  lost?(key: KeyName): boolean;
}

/** A client blocked on keys (c->bpop). */
export interface KeyWait extends KeyWaitSpec {
  /** The blocked command's context: its client, database, reply. */
  readonly ctx: CommandContext;
  /** The keys, each once, in the order named. */
  readonly names: readonly KeyName[];
}

/** CLIENT_DENY_BLOCKING: a client that needs one reply per command now (inside EXEC, a script) never blocks. */
export function denyBlocking(client: Client): boolean {
  return client.inExec;
}

const waitId = (db: number, key: KeyName) => `${db}\n${key}`;

export class Blocking {
  /** db->blocking_keys: the clients waiting for each "<db>\n<key>", in the order they blocked. */
  private readonly waiting = new Map<string, KeyWait[]>();
  /** server.blocked_clients_by_type, for the key types. */
  private readonly counts: Record<BlockedType, number> = { list: 0, zset: 0, stream: 0 };
  /** server.ready_keys, and db->ready_keys (each key queued once). */
  private ready: { db: Db; key: KeyName }[] = [];
  private readonly readyIds = new Set<string>();
  /** server.clients_timeout_table: the clients blocked on keys with a timeout. */
  private readonly timed = new Set<Client>();
  /** server.unblocked_clients: their next commands run before the node sleeps; `resume` processes a postponed command first. */
  private unblocked: { client: Client; resume: (() => void) | null }[] = [];
  /** handleClientsBlockedOnKeys is running (it is not re-entrant). */
  private serving = false;

  constructor(private readonly node: RedisNode) {}

  /** blockForKeys: the client waits; its later commands wait in its query buffer. */
  block(ctx: CommandContext, spec: KeyWaitSpec): void {
    const { client, db } = ctx;
    const names = [...new Set(spec.keys.map(keyName))];
    const wait: KeyWait = { ...spec, ctx, names };
    for (const name of names) {
      const id = waitId(db.id, name);
      const list = this.waiting.get(id);
      if (list) list.push(wait);
      else this.waiting.set(id, [wait]);
    }
    this.counts[spec.type]++;
    client.blocked = { kind: 'keys', timer: null, keys: wait };
    if (spec.timeout !== 0) this.timed.add(client);
  }

  /** How many clients wait for keys (a quick test before looking a new key's type up). */
  get waitingClients(): number {
    return this.counts.list + this.counts.zset + this.counts.stream;
  }

  /** How many clients wait for keys with a timeout (INFO clients_in_timeout_table counts these). */
  get timedCount(): number {
    return this.timed.size;
  }

  /** signalKeyAsReady: a value of `type` appeared at `key` (or changed there); waiting clients are served after the command. */
  signalKeyAsReady(db: Db, key: KeyName, type: string): void {
    if (type !== 'list' && type !== 'zset' && type !== 'stream') return;
    if (this.counts[type] === 0) return;
    const id = waitId(db.id, key);
    if (!this.waiting.has(id) || this.readyIds.has(id)) return;
    this.readyIds.add(id);
    this.ready.push({ db, key });
  }

  /** scanDatabaseForReadyKeys: after the database's contents were swapped in, every waited-for key that exists is ready. */
  scanDatabaseForReadyKeys(db: Db): void {
    const prefix = `${db.id}\n`;
    for (const id of this.waiting.keys()) {
      if (!id.startsWith(prefix)) continue;
      const key = id.slice(prefix.length);
      const value = db.peek(key);
      if (value) this.signalKeyAsReady(db, key, value.type);
    }
  }

  /** handleClientsBlockedOnKeys: serves the clients waiting for the keys made ready, until no key is ready. */
  handleReadyKeys(): void {
    if (this.ready.length === 0 || this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        // A fresh list: serving (BLMOVE's push) may signal more keys.
        const batch = this.ready;
        this.ready = [];
        for (const { db, key } of batch) {
          this.readyIds.delete(waitId(db.id, key));
          this.serveKey(db, key);
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** The clients waiting for one ready key, in the order they blocked. */
  private serveKey(db: Db, key: KeyName): void {
    const waiters = this.waiting.get(waitId(db.id, key));
    if (!waiters) return;
    const node = this.node;
    // lookupKeyReadWithFlags(NONOTIFY|NOSTATS): an expired key goes here (its DEL propagated).
    const value = node.keyspace.expireIfNeeded(db, key) ? undefined : db.peek(key);
    const queue = [...waiters];
    if (value) {
      for (const wait of queue) {
        if (wait.type !== value.type || wait.ctx.client.blocked?.keys !== wait) continue;
        this.answer(wait, () => wait.serve(key, value));
        // The value emptied and its key went: the others wait on.
        if (db.peek(key) !== value) break;
      }
    }
    // unblockDeletedStreamReadgroupClients, and the like: waiters of another type told.
    for (const wait of queue) {
      if (!wait.lost || (value && value.type === wait.type) || wait.ctx.client.blocked?.keys !== wait) continue;
      this.answer(wait, () => wait.lost!(key));
    }
  }

  /** One served client: its answer is one unit of propagation, its errors count as its command's failure (updateStatsOnUnblock). */
  private answer(wait: KeyWait, serve: () => boolean): void {
    const node = this.node;
    const client = wait.ctx.client;
    const errorsBefore = node.stats.totalErrorReplies;
    let answered = false;
    node.asUnit(() => (answered = serve()));
    if (!answered) return;
    if (node.stats.totalErrorReplies > errorsBefore) node.stats.failedCall(client.lastCommand);
    this.unblockKeys(client);
    node.deliver(client);
  }

  /** unblockClientWaitingData, then unblockClient: off every key's list; queued to run its next commands. */
  private unblockKeys(client: Client): void {
    const wait = client.blocked?.keys;
    if (!wait) return;
    this.release(wait);
    client.blocked = null;
    this.node.logUnblocked(client);
    this.queueForReprocessing(client);
  }

  /** Takes a waiter off its keys' lists, the counts and the timeout table. */
  private release(wait: KeyWait): void {
    const db = wait.ctx.db.id;
    for (const name of wait.names) {
      const id = waitId(db, name);
      const list = this.waiting.get(id);
      if (!list) continue;
      const i = list.indexOf(wait);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.waiting.delete(id);
    }
    this.counts[wait.type]--;
    this.timed.delete(wait.ctx.client);
  }

  /** A client that closed: forgotten wherever it waits. */
  forget(client: Client): void {
    const wait = client.blocked?.keys;
    if (wait) this.release(wait);
  }

  /** handleBlockedClientsTimeout: the clients whose deadline passed get a null array, earliest deadline first. */
  handleTimeouts(): void {
    if (this.timed.size === 0) return;
    const now = Math.floor(this.node.options.clock.unixMs);
    const due: Client[] = [];
    for (const c of this.timed) {
      const t = c.blocked?.keys?.timeout ?? 0;
      // A deadline beyond the long long range wrapped below zero: as an unsigned key of the table, it never comes.
      if (t > 0 && t < now) due.push(c);
    }
    if (due.length === 0) return;
    due.sort((a, b) => a.blocked!.keys!.timeout - b.blocked!.keys!.timeout || a.id - b.id);
    for (const c of due) {
      if (!c.blocked?.keys) continue;
      c.reply.nullArray();
      this.unblockKeys(c);
      this.node.deliver(c);
    }
  }

  /** queueClientForReprocessing: the client's next commands (after a postponed one: `resume`) run before the node sleeps. */
  queueForReprocessing(client: Client, resume: (() => void) | null = null): void {
    this.unblocked.push({ client, resume });
  }

  /**
   * processUnblockedClients: what unblocked clients sent meanwhile runs
   * now, unless they blocked again. Our master's link reads its stream
   * itself (replica.ts): only its postponed command is resumed here.
   */
  processUnblocked(): void {
    while (this.unblocked.length > 0) {
      // Clients queued meanwhile (unblocked by these ones' commands) run in the next pass.
      const batch = this.unblocked;
      this.unblocked = [];
      for (const { client, resume } of batch) {
        if (client.closed || client.blocked) continue;
        if (resume) resume();
        if (!client.blocked && !client.isMaster) this.node.processInput(client);
      }
    }
  }

  /** beforeSleep's part: timeouts first, then the unblocked clients' commands, then ready keys. */
  beforeSleep(): void {
    this.handleTimeouts();
    this.processUnblocked();
    this.handleReadyKeys();
    // Serving a key queued more clients to run.
    this.processUnblocked();
  }

  /**
   * CLIENT UNBLOCK id [TIMEOUT|ERROR] on a blocked client: answered as a
   * timeout would (a null array, WAIT's count) or with -UNBLOCKED, and
   * unblocked. False when 7.0.15 would panic instead (a timeout for a
   * client that is paused or waits in SHUTDOWN).
   */
  unblockByCommand(target: Client, asError: boolean): boolean {
    const state = target.blocked!;
    if (!asError && (state.kind === 'pause' || state.kind === 'shutdown')) return false;
    const node = this.node;
    if (asError) target.reply.error(Err.unblockedByClient);
    if (state.kind === 'keys') {
      if (!asError) target.reply.nullArray();
      this.unblockKeys(target);
    } else if (state.kind === 'wait') {
      const acks = node.replication.master.countAcks(state.wait!.offset);
      node.forgetWaiting(target);
      node.unblock(target, (out) => !asError && out.integer(acks));
    } else if (state.kind === 'pause') {
      // unblockClient of a postponed client: its command is processed again (and may be postponed again).
      node.pause.forget(target);
      target.blocked = null;
      this.queueForReprocessing(target, state.resume ?? null);
    } else {
      node.unblock(target, () => {});
    }
    // updateStatsOnUnblock(target, 0, 0, 1): counted as a failed call whatever the reason.
    node.stats.failedCall(target.lastCommand);
    node.deliver(target);
    return true;
  }

  /**
   * disconnectAllBlockedClients (the instance becomes a replica): every
   * blocked client but the paused ones gets -UNBLOCKED and is closed.
   */
  disconnectAll(): void {
    const node = this.node;
    for (const c of [...node.clientList()]) {
      const state = c.blocked;
      if (!state || state.kind === 'pause' || state.kind === 'sleep') continue;
      c.reply.error(Err.unblockedRoleChange);
      if (state.kind === 'keys') this.unblockKeys(c);
      else {
        if (state.kind === 'wait') node.forgetWaiting(c);
        node.unblock(c, () => {});
      }
      c.closeAfterReply = true;
      node.deliver(c);
    }
  }
}
