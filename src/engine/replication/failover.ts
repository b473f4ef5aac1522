// FAILOVER (replication.c failoverCommand, updateFailoverStatus,
// abortFailover): a master pauses writes, waits until a replica has
// acknowledged everything, becomes that replica's replica and asks it with
// `PSYNC <replid> <offset> FAILOVER` to take over.

import type { RedisNode } from '../node.ts';
import type { Client } from '../client.ts';

export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';

export class Failover {
  state: FailoverState = 'no-failover';
  targetHost: string | null = null;
  targetPort = 0;
  /** Unix ms after which a waiting failover aborts (or, with FORCE, goes ahead); 0 for never. */
  endTimeMs = 0;
  force = false;

  constructor(private readonly node: RedisNode) {}

  private get log() {
    return this.node.options.log;
  }

  /** FAILOVER [TO host port [FORCE]] [TIMEOUT ms]: the checks done, the wait begins. */
  start(target: { host: string; port: number } | null, timeoutMs: number, force: boolean): void {
    if (target) {
      this.targetHost = target.host;
      this.targetPort = target.port;
      this.log.notice(`FAILOVER requested to ${target.host}:${target.port}.`);
    } else {
      this.log.notice('FAILOVER requested to any replica.');
    }
    if (timeoutMs) this.endTimeMs = this.node.options.clock.unixMs + timeoutMs;
    this.force = force;
    this.state = 'waiting-for-sync';
    this.node.pauseWrites();
  }

  /** findReplica: a replica connection by the address it announced. */
  findReplica(host: string, port: number): Client | undefined {
    return this.node.replication.master.slaves.find(
      (c) => (c.replAnnouncedIp || c.peer.ip).toLowerCase() === host.toLowerCase() && c.replListeningPort === port,
    );
  }

  /** updateFailoverStatus: from the cron and before the loop sleeps. */
  update(): void {
    if (this.state !== 'waiting-for-sync') return;
    const node = this.node;
    if (this.endTimeMs && this.endTimeMs <= node.options.clock.unixMs) {
      if (this.force) {
        this.log.notice(`FAILOVER to ${this.targetHost}:${this.targetPort} time out exceeded, failing over.`);
        this.state = 'failover-in-progress';
        node.replication.replica.setMaster(this.targetHost!, this.targetPort);
      } else {
        this.abort('Replica never caught up before timeout');
      }
      return;
    }
    const offset = node.replication.offset;
    let replica: Client | undefined;
    if (this.targetHost !== null) {
      replica = this.findReplica(this.targetHost, this.targetPort);
    } else {
      replica = node.replication.master.slaves.find((c) => c.slave!.ackOffset === offset);
      if (replica) {
        this.targetHost = replica.replAnnouncedIp || replica.peer.ip;
        this.targetPort = replica.replListeningPort;
      }
    }
    if (replica && replica.slave && replica.slave.ackOffset === offset) {
      this.state = 'failover-in-progress';
      this.log.notice(`Failover target ${this.targetHost}:${this.targetPort} is synced, failing over.`);
      node.replication.replica.setMaster(this.targetHost!, this.targetPort);
    }
  }

  /** The target answered our PSYNC FAILOVER: done (any sync will do), or refused. */
  psyncAnswered(accepted: boolean): void {
    if (this.state !== 'failover-in-progress') return;
    if (accepted) this.clear();
    else this.abort('Failover target rejected psync request');
  }

  /** abortFailover. */
  abort(reason: string): void {
    if (this.state === 'no-failover') return;
    if (this.targetHost !== null) this.log.notice(`FAILOVER to ${this.targetHost}:${this.targetPort} aborted: ${reason}`);
    else this.log.notice(`FAILOVER to any replica aborted: ${reason}`);
    if (this.state === 'failover-in-progress') this.node.replication.replica.unsetMaster();
    this.clear();
  }

  /** clearFailoverState: also lets the paused writes run. */
  private clear(): void {
    this.endTimeMs = 0;
    this.force = false;
    this.targetHost = null;
    this.targetPort = 0;
    this.state = 'no-failover';
    this.node.unpauseWrites();
  }
}
