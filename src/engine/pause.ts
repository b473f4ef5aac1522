// Client pauses (pauseClients and friends in networking.c of Redis 7.0.15):
// CLIENT PAUSE and FAILOVER each hold a pause of their own (a purpose),
// WRITE or ALL, until an end time. The pause in force is the most
// restrictive of them, until the furthest end among those of that type.
//
// While clients are paused, processCommand postpones (BLOCKED_POSTPONE)
// every command of a client that is not a replica of ours (our master's
// link included) when the pause is ALL, and under WRITE those that write
// or may replicate (an EXEC whose queue holds one counts too): the client
// is blocked with its command, and its later commands wait behind it. When
// the pause ends or becomes less restrictive, every postponed client is
// unblocked and its command processed again before the node sleeps (and
// postponed again if it still must be). Meanwhile keys do not expire
// (expireIfNeeded keeps them, active expiry skips its cycle) and no
// REPLCONF GETACK is sent: the dataset and the stream stay still.
//
// A pause ends when its time has passed at one of the checks Redis makes
// (checkClientPauseTimeoutAndReturnIfPaused): every serverCron tick, a
// lookup of an expired key, the active expiry cycle, beforeSleep's GETACK.

import type { Client } from './client.ts';
import type { RedisNode } from './node.ts';
import type { Command } from './commands/registry.ts';
import { lookupCommand } from './commands/registry.ts';

/** CLIENT_PAUSE_WRITE, CLIENT_PAUSE_ALL; the order is their restrictiveness. */
export type PauseType = 'write' | 'all';
const RANK = { off: 0, write: 1, all: 2 } as const;

/** pause_purpose: who paused. */
export type PausePurpose = 'client-command' | 'shutdown' | 'failover';

export class ClientPause {
  /** server.client_pause_per_purpose: each purpose's type and end (unix ms; Infinity: until lifted). */
  private readonly purposes = new Map<PausePurpose, { type: PauseType; end: number }>();
  /** server.client_pause_type. */
  type: 'off' | PauseType = 'off';
  /** server.client_pause_end_time. */
  private end = 0;
  /** server.postponed_clients, in the order they were postponed. */
  private readonly postponed: Client[] = [];

  constructor(private readonly node: RedisNode) {}

  private get nowMs(): number {
    return Math.floor(this.node.options.clock.unixMs);
  }

  /** pauseClients: the purpose's pause becomes at least this restrictive and this long. */
  pause(purpose: PausePurpose, end: number, type: PauseType): void {
    const p = this.purposes.get(purpose);
    if (!p) this.purposes.set(purpose, { type, end });
    else {
      if (RANK[type] > RANK[p.type]) p.type = type;
      if (end > p.end) p.end = end;
    }
    this.update();
  }

  /** unpauseClients. */
  unpause(purpose: PausePurpose): void {
    if (!this.purposes.delete(purpose)) return;
    this.update();
  }

  /** areClientsPaused. */
  get active(): boolean {
    return this.type !== 'off';
  }

  /** checkClientPauseTimeoutAndReturnIfPaused: a pause whose time passed ends now. */
  check(): boolean {
    if (!this.active) return false;
    if (this.end < this.nowMs) this.update();
    return this.active;
  }

  /** updateClientPauseTypeAndEndTime. */
  private update(): void {
    const old = this.type;
    const now = this.nowMs;
    let type: 'off' | PauseType = 'off';
    for (const [purpose, p] of this.purposes) {
      if (p.end < now) this.purposes.delete(purpose);
      else if (RANK[p.type] > RANK[type]) type = p.type;
    }
    let end = 0;
    for (const p of this.purposes.values()) if (p.type === type && p.end > end) end = p.end;
    this.type = type;
    this.end = end;
    // Less restrictive than before: every postponed client is processed again (and may be postponed again).
    if (RANK[type] < RANK[old]) this.unblockPostponed();
  }

  /**
   * processCommand's test: this command must wait for the pause to end.
   * Replicas are never paused; our master's link is.
   */
  mustPostpone(client: Client, command: Command, queued: readonly (readonly Uint8Array[])[] | null): boolean {
    if (this.type === 'off' || client.slave) return false;
    if (this.type === 'all') return true;
    return mayReplicate(command, queued);
  }

  /** blockClient(c, BLOCKED_POSTPONE): the client waits with its command; `resume` processes it again. */
  postpone(client: Client, name: string, resume: () => void): void {
    // c->lastcmd is the postponed command (CLIENT LIST cmd=).
    client.lastCommand = name;
    client.blocked = { kind: 'pause', timer: null, resume };
    this.postponed.push(client);
  }

  /**
   * processCommand for a command of our master's stream: postponed when the
   * pause applies to it (an unknown one is not: it is refused before).
   */
  postponesMaster(client: Client, argv: Uint8Array[], queued: readonly Uint8Array[][] | null, resume: () => void): boolean {
    if (this.type === 'off' || argv.length === 0) return false;
    const found = lookupCommand(argv);
    if (!('command' in found) || !this.mustPostpone(client, found.command, queued)) return false;
    this.postpone(client, found.command.spec.name, resume);
    return true;
  }

  /** A postponed client that is gone or unblocked otherwise (CLIENT UNBLOCK). */
  forget(client: Client): void {
    const i = this.postponed.indexOf(client);
    if (i >= 0) this.postponed.splice(i, 1);
  }

  /** unblockPostponedClients. */
  private unblockPostponed(): void {
    for (const c of this.postponed.splice(0)) {
      const resume = c.blocked?.kind === 'pause' ? c.blocked.resume ?? null : null;
      c.blocked = null;
      this.node.blocking.queueForReprocessing(c, resume);
    }
  }
}

/**
 * is_may_replicate_command: the command writes or may replicate (PUBLISH,
 * EVAL, ...), or it is EXEC with such a command queued (c->mstate.cmd_flags).
 */
function mayReplicate(command: Command, queued: readonly (readonly Uint8Array[])[] | null): boolean {
  if (command.write || command.mayReplicate) return true;
  if (command.spec.name !== 'exec' || !queued) return false;
  return queued.some((argv) => {
    const found = lookupCommand(argv);
    return 'command' in found && (found.command.write || found.command.mayReplicate);
  });
}
