// What a command handler works with.
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { Client } from '../client.ts';
import type { RedisNode } from '../node.ts';

export interface CommandContext {
  readonly node: RedisNode;
  readonly client: Client;
  readonly argv: readonly Uint8Array[];
  readonly reply: ReplyWriter;
}

export type Handler = (ctx: CommandContext) => void;
