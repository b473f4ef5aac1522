// What a command handler works with.
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { Client } from '../client.ts';
import type { RedisNode } from '../node.ts';
import type { Db } from '../keyspace/db.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';

export interface CommandContext {
  readonly node: RedisNode;
  readonly client: Client;
  readonly argv: readonly Uint8Array[];
  readonly reply: ReplyWriter;
  /** The database the client has selected. */
  readonly db: Db;
  readonly keyspace: Keyspace;
}

export type Handler = (ctx: CommandContext) => void;
