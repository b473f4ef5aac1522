// Replication commands: REPLICAOF / SLAVEOF, ROLE, REPLCONF, SYNC / PSYNC,
// WAIT, FAILOVER, and INFO (its sections are in src/engine/info). The work
// happens in src/engine/replication; these parse arguments and answer.

import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, latin1, lowerAscii, string2ll } from '../bytes.ts';
import { writeRole } from '../replication/info.ts';
import { infoText } from '../info/info.ts';
import { writeVerbatim } from '../info/verbatim.ts';
import { parseTimeout } from './timeout.ts';
import { clientInfoString } from '../client-info.ts';

function replicaof(ctx: CommandContext): void {
  const { node, client, argv, reply } = ctx;
  const replica = node.replication.replica;
  if (node.failover.state !== 'no-failover') return reply.error(Err.replicaofFailover);
  if (lowerAscii(argv[1]) === 'no' && lowerAscii(argv[2]) === 'one') {
    replica.noOne(clientInfoString(node, client));
    return reply.ok();
  }
  if (client.slave) return reply.error(Err.replicaofByReplica);
  const port = string2ll(argv[2]);
  if (typeof port !== 'number' || port < 0 || port > 65535) return reply.error(Err.invalidMasterPort);
  reply.status(replica.replicaOf(latin1(argv[1]), port, clientInfoString(node, client)));
}

/** INFO [section ...]: the text of src/engine/info/info.ts, as addReplyVerbatim sends it. */
function info(ctx: CommandContext): void {
  const { node, argv, reply } = ctx;
  writeVerbatim(reply, infoText(node, argv.slice(1).map((a) => latin1(cString(a)))));
}

/** getTimeoutFromObjectOrReply in milliseconds. */
function timeoutMs(ctx: CommandContext, arg: Uint8Array): number | null {
  const parsed = parseTimeout(arg, 'milliseconds');
  if (!parsed.ok) return void ctx.reply.error(parsed.error), null;
  return Number(parsed.value);
}

/** WAIT numreplicas timeout: until that many replicas acknowledged this client's last write. */
function wait(ctx: CommandContext): void {
  const { node, client, argv, reply } = ctx;
  if (node.replication.isReplica) return reply.error(Err.waitOnReplica);
  const numreplicas = string2ll(argv[1]);
  if (numreplicas === null) return reply.error(Err.notInteger);
  const timeout = timeoutMs(ctx, argv[2]);
  if (timeout === null) return;
  const offset = client.woff;
  const master = node.replication.master;
  const acks = master.countAcks(offset);
  // Enough already, or inside a transaction (where nothing may block): the count now.
  if (acks >= numreplicas || client.inExec) return reply.integer(acks);
  node.block(client, 'wait', timeout * 1000, () => {
    node.waitingAcks.splice(node.waitingAcks.indexOf(client), 1);
    node.unblock(client, (out) => out.integer(master.countAcks(offset)));
  });
  client.blocked!.wait = { offset, numreplicas: Number(numreplicas) };
  node.waitingAcks.push(client);
  node.requestAcks();
}

/** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] (failoverCommand). */
function failover(ctx: CommandContext): void {
  const { node, argv, reply } = ctx;
  const f = node.failover;
  if (argv.length === 2 && lowerAscii(argv[1]) === 'abort') {
    if (f.state === 'no-failover') return reply.error(Err.failoverNoneInProgress);
    f.abort('Failover manually aborted');
    return reply.ok();
  }
  let timeout = 0;
  let force = false;
  let target: { host: string; port: number } | null = null;
  for (let j = 1; j < argv.length; j++) {
    const word = lowerAscii(argv[j]);
    if (word === 'timeout' && j + 1 < argv.length && timeout === 0) {
      const v = string2ll(argv[j + 1]);
      if (v === null) return reply.error(Err.notInteger);
      if (v <= 0) return reply.error(Err.failoverTimeout);
      timeout = Number(v);
      j++;
    } else if (word === 'to' && j + 2 < argv.length && !target) {
      const port = string2ll(argv[j + 2]);
      if (port === null) return reply.error(Err.notInteger);
      target = { host: latin1(argv[j + 1]), port: Number(port) };
      j += 2;
    } else if (word === 'force' && !force) {
      force = true;
    } else {
      return reply.error(Err.syntax);
    }
  }
  if (f.state !== 'no-failover') return reply.error(Err.failoverInProgress);
  if (node.replication.isReplica) return reply.error(Err.failoverOnReplica);
  if (node.replication.master.slaves.length === 0) return reply.error(Err.failoverNoReplicas);
  if (force && (!timeout || !target)) return reply.error(Err.failoverForce);
  if (target) {
    const replica = f.findReplica(target.host, target.port);
    if (!replica) return reply.error(Err.failoverNotReplica);
    if (replica.slave!.state !== 'online') return reply.error(Err.failoverNotOnline);
  }
  f.start(target, timeout, force);
  reply.ok();
}

export const replicationHandlers: Record<string, Handler> = {
  replicaof,
  slaveof: replicaof,
  role: (ctx) => writeRole(ctx.node, ctx.reply),
  replconf: (ctx) => ctx.node.replication.master.replconf(ctx.client, ctx.argv),
  sync: (ctx) => ctx.node.replication.master.sync(ctx.client, ctx.argv),
  psync: (ctx) => ctx.node.replication.master.sync(ctx.client, ctx.argv),
  info,
  wait,
  failover,
};
