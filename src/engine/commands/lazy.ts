// Commands whose code is a lazy part of the engine (../lazy-part.ts): when
// the part is not there yet (the browser, before first use), the client
// waits while the host fetches it, and the command runs again once it is
// in. EXEC waits the same way, before it runs anything, for the parts its
// queued commands need: a wait in the middle would split its reply.
import type { Handler } from './context.ts';
import type { RedisNode } from '../node.ts';
import type { Client } from '../client.ts';
import type { LazyPart } from '../lazy-part.ts';
import { Err } from '../errors.ts';
import { latin1 } from '../bytes.ts';

/** Commands (top-level names) and the part each needs. */
const NEEDS = new Map<string, LazyPart<unknown>>();

/** Declares that `names` (top-level command names) need `part`. */
export function needsPart(part: LazyPart<unknown>, names: readonly string[]): void {
  for (const name of names) NEEDS.set(name, part);
}

/** The first part not loaded yet among those the queued commands need. */
export function missingPart(names: readonly string[]): LazyPart<unknown> | null {
  for (const name of names) {
    const part = NEEDS.get(name.split('|')[0]);
    if (part && part.get() === null) return part;
  }
  return null;
}

/**
 * The client waits while the host loads `part`, then `argv` runs again.
 * False when the host cannot load parts (they are installed at start there).
 */
export function waitForPart(node: RedisNode, client: Client, argv: readonly Uint8Array[], part: LazyPart<unknown>): boolean {
  const load = node.host.loadPart;
  if (!load) return false;
  const again = argv.map((a) => a.slice());
  client.preventPropagation = true;
  node.block(client, 'lazy', 0, () => {});
  load(part, () => {
    node.unblock(client, () => node.execute(client, again));
    // The end of an event: the commands that waited behind it run before the node sleeps.
    if (!node.inCommand) node.blocking.processUnblocked();
  });
  return true;
}

/** Handlers that run the part's own, once it is loaded. */
export function lazyHandlers(part: LazyPart<Record<string, Handler>>, names: readonly string[]): Record<string, Handler> {
  needsPart(part, [...new Set(names.map((n) => n.split('|')[0]))]);
  const out: Record<string, Handler> = {};
  for (const name of names) {
    out[name] = (ctx) => {
      const handlers = part.get();
      if (handlers) return handlers[name](ctx);
      if (!waitForPart(ctx.node, ctx.client, ctx.argv, part)) ctx.reply.error(Err.internal(latin1(ctx.argv[0]).toLowerCase()));
    };
  }
  return out;
}
