// Intents the views send: SIM commands (the world console and the node
// actions), and a one-off command on a node through a session of its own
// (SHUTDOWN), independent of the node's terminal. Network links arrive
// with every snapshot.
import { workerClient } from './worker-client.ts';
import { ReplyReader, encodeCommand, type Reply } from '../engine/resp/reply-reader.ts';
import { utf8 } from '../engine/bytes.ts';

/** Runs `SIM <args...>` (args as bytes, without SIM) and returns the reply. */
export function runSimArgv(args: readonly Uint8Array[]): Promise<Reply> {
  return workerClient.simArgv(args);
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
