// Intents the views send: SIM commands (the world console and the node
// actions), and a one-off command on a node through a session of its own
// (SHUTDOWN), independent of the node's terminal. After a command that can
// change the network the links are read again with SIM LINKS, since the
// snapshot does not carry them.
import { workerClient } from './worker-client.ts';
import { useAppStore, type NetLink } from './store.ts';
import { ReplyReader, encodeCommand, type Reply } from '../engine/resp/reply-reader.ts';
import { latin1, utf8 } from '../engine/bytes.ts';

/** SIM subcommands after which SIM LINKS may answer differently. */
const CHANGES_LINKS = new Set(['partition', 'heal', 'latency', 'bandwidth', 'remove', 'add']);

/** Parses one line of SIM LINKS: `6379 6380 latency_ms=0.1 bandwidth=0 partitioned=no`. */
export function parseLinkLine(line: string): NetLink | null {
  const m = /^(\d+) (\d+) latency_ms=([\d.]+) bandwidth=(\d+) partitioned=(yes|no)$/.exec(line.trim());
  if (!m) return null;
  return { a: Number(m[1]), b: Number(m[2]), latencyMs: Number(m[3]), bandwidth: Number(m[4]), partitioned: m[5] === 'yes' };
}

export async function refreshLinks(): Promise<void> {
  const reply = await workerClient.simArgv([utf8('LINKS')]);
  if (reply.type !== 'array') return;
  const links = reply.items.flatMap((r) => (r.type === 'bulk' ? [parseLinkLine(latin1(r.value))] : [])).filter((l): l is NetLink => l !== null);
  useAppStore.getState().setNetLinks(links);
}

/** Runs `SIM <args...>` (args as bytes, without SIM) and returns the reply; refreshes the links when they may have changed. */
export async function runSimArgv(args: readonly Uint8Array[]): Promise<Reply> {
  const reply = await workerClient.simArgv(args);
  const name = args.length > 0 ? latin1(args[0]).toLowerCase() : '';
  if (CHANGES_LINKS.has(name) && reply.type !== 'error') await refreshLinks();
  return reply;
}

export function runSim(...args: string[]): Promise<Reply> {
  return runSimArgv(args.map(utf8));
}

/** What a one-off node command got: a reply, or the connection closed without one (SHUTDOWN), or refused. */
export type NodeCommandResult = { kind: 'reply'; reply: Reply } | { kind: 'closed' } | { kind: 'refused' };

/** Sends one command to a node on a connection of its own, as `redis-cli -p port CMD` does, and closes it. */
export function nodeCommand(port: number, ...argv: string[]): Promise<NodeCommandResult> {
  return new Promise((resolve) => {
    const reader = new ReplyReader();
    let done = false;
    const finish = (result: NodeCommandResult, close: boolean) => {
      if (done) return;
      done = true;
      if (close) workerClient.send({ type: 'session.close', session });
      workerClient.forget(session);
      resolve(result);
    };
    const session = workerClient.openSession(port, {
      opened: () => workerClient.send({ type: 'session.write', session, bytes: encodeCommand(argv.map(utf8)) }),
      refused: () => finish({ kind: 'refused' }, false),
      data: (bytes) => {
        reader.feed(bytes);
        const reply = reader.next();
        if (reply) finish({ kind: 'reply', reply }, true);
      },
      closed: () => finish({ kind: 'closed' }, false),
    });
  });
}
