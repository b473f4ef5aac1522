// SHUTDOWN as Redis 7.0 does it (db.c shutdownCommand, server.c
// prepareForShutdown and finishShutdown): wait up to shutdown-timeout for
// lagging replicas (with a REPLCONF GETACK), writes paused meanwhile so the
// replicas can catch up with an offset that stands still, save when save
// points are set or SAVE is given, then the process exits and stays down.

import type { RedisNode } from './node.ts';
import type { Client } from './client.ts';
import { hasSavePoints, rdbSave } from './rdb/persistence.ts';
import { configValues } from './config-values.ts';

export interface ShutdownFlags {
  nosave: boolean;
  save: boolean;
  now: boolean;
  force: boolean;
}

/** SHUTDOWN's state on a node: the flags and deadline of a shutdown waiting for replicas. */
export class Shutdown {
  private pending: { flags: ShutdownFlags; deadlineMs: number; clients: Client[] } | null = null;

  constructor(private readonly node: RedisNode) {}

  get inProgress(): boolean {
    return this.pending !== null;
  }

  /** shutdown_mstime: when a shutdown waiting for replicas gives up waiting (INFO's shutdown_in_milliseconds); null when none waits. */
  get deadlineMs(): number | null {
    return this.pending ? this.pending.deadlineMs : null;
  }

  /** prepareForShutdown: true when the process exits now; false while it waits or after an error. */
  request(client: Client | null, flags: ShutdownFlags): boolean {
    if (this.pending) {
      if (client) this.pending.clients.push(client);
      return false;
    }
    const node = this.node;
    node.options.log.warning('User requested shutdown...');
    const timeout = configValues(node).text('shutdown-timeout');
    if (!flags.now && timeout !== '0' && !this.replicasInSync()) {
      this.pending = { flags, deadlineMs: node.options.clock.unixMs + Number(timeout) * 1000, clients: client ? [client] : [] };
      // A GETACK written while clients are paused would grow the backlog; the pause of another purpose already holds it back.
      if (!node.pause.active) node.replication.master.feedGetAck();
      node.pause.pause('shutdown', Infinity, 'write');
      node.options.log.notice('Waiting for replicas before shutting down.');
      return false;
    }
    return this.finish(flags);
  }

  /** From serverCron: the replicas caught up, or the time is out. */
  check(): void {
    const p = this.pending;
    if (!p) return;
    if (this.node.options.clock.unixMs >= p.deadlineMs || this.replicasInSync()) {
      if (this.finish(p.flags)) return;
      this.cancel();
    }
  }

  /** cancelShutdown: the waiting SHUTDOWN clients get their error and writes go on. */
  private cancel(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    for (const c of p.clients) this.node.unblock(c, (out) => out.error('ERR Errors trying to SHUTDOWN. Check logs.'));
    this.node.pause.unpause('shutdown');
  }

  /** SHUTDOWN ABORT. */
  abort(): boolean {
    if (!this.pending) return false;
    this.cancel();
    this.node.options.log.notice('Shutdown manually aborted.');
    return true;
  }

  /** isReadyToShutdown: every replica acknowledged everything. */
  private replicasInSync(): boolean {
    const r = this.node.replication;
    return r.master.slaves.every((c) => c.slave!.ackOffset === r.offset);
  }

  /** finishShutdown. */
  private finish(flags: ShutdownFlags): boolean {
    const node = this.node;
    const log = node.options.log;
    const r = node.replication;
    const now = node.unixtime;
    let lagging = 0;
    for (const c of r.master.slaves) {
      const s = c.slave!;
      if (s.ackOffset === r.offset) continue;
      lagging++;
      const lag = s.state === 'online' ? now - s.ackTime : 0;
      const state = s.state.startsWith('wait_bgsave') ? 'wait_bgsave' : s.state;
      log.warning(
        `Lagging replica ${r.master.slaveName(c)} reported offset ${r.offset - s.ackOffset} behind master, lag=${lag}, state=${state}.`,
      );
    }
    const total = r.master.slaves.length;
    if (total > 0) log.notice(`${total - lagging} of ${total} replicas are in sync when shutting down.`);
    if (node.bgsave.running('rdb')) {
      log.warning('There is a child saving an .rdb. Killing it!');
      node.bgsave.kill();
    }
    if (node.bgsave.running('aof')) {
      // The first rewrite after CONFIG SET appendonly yes: without it there is no AOF to restart from.
      if (node.aof.state === 'wait-rewrite') {
        if (flags.force) {
          log.warning('Writing initial AOF. Exit anyway.');
        } else {
          log.warning("Writing initial AOF, can't exit.");
          log.warning('Errors trying to shut down the server. Check the logs for more information.');
          return false;
        }
      }
      log.warning('There is a child rewriting the AOF. Killing it!');
      node.aof.killChild();
    }
    if (node.aof.feeding) {
      // Append only file: flush buffers and fsync() the AOF at exit (the disk has every write already).
      log.notice('Calling fsync() on the AOF file.');
    }
    if ((hasSavePoints(node) && !flags.nosave) || flags.save) {
      log.notice('Saving the final RDB snapshot before exiting.');
      const saved = rdbSave(node);
      if (!saved.ok) {
        if (flags.force) {
          log.warning('Error trying to save the DB. Exit anyway.');
        } else {
          log.warning("Error trying to save the DB, can't exit.");
          log.warning('Errors trying to shut down the server. Check the logs for more information.');
          return false;
        }
      }
    }
    // Only a server with a pid file has one to remove (daemonize, or pidfile set): checked on
    // redis-server 7.0.15, which started without either logs no such line.
    const values = configValues(node);
    if (values.text('daemonize') === 'yes' || values.text('pidfile') !== '') log.notice('Removing the pid file.');
    // A killed child writes its line before the parent is gone (it was logged during a save if there was one).
    node.bgsave.signalDelivered();
    log.warning('Redis is now ready to exit, bye bye...');
    node.host.exit();
    return true;
  }
}
