// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
//         [AUTH password | AUTH2 username password] [KEYS key ...]
// (cluster.c migrateCommand of 7.0.15). The keys travel as RESTORE commands
// carrying DUMP payloads over a cached connection (src/engine/migrate.ts);
// the process waits for the target's replies inside the command, as Redis
// does. Without COPY the keys the target acknowledged are deleted here and
// the command propagates as DEL of those keys. A connection that fails
// before the first reply is retried once with a new one, unless it timed out.
import type { CommandContext, Handler } from './context.ts';
import { parseLongLong } from './args.ts';
import { Err } from '../errors.ts';
import { concatBytes, cString, fromLatin1, latin1, lowerAscii } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { createDumpPayload } from '../rdb/dump.ts';
import { encodeCommand } from '../resp/reply-reader.ts';
import type { MigrateSocket, SyncFailure } from '../migrate.ts';

const DEL_WORD = fromLatin1('DEL');

interface MigrateOptions {
  copy: boolean;
  replace: boolean;
  username: Uint8Array | null;
  password: Uint8Array | null;
  firstKey: number;
  /** One past the last key: just argv[3] without KEYS. */
  lastKey: number;
}

/** The options from argv[6] on; an error text when they are wrong. */
function parseOptions(ctx: CommandContext): MigrateOptions | string {
  const { argv, client } = ctx;
  const o: MigrateOptions = { copy: false, replace: false, username: null, password: null, firstKey: 3, lastKey: 4 };
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const word = lowerAscii(cString(argv[j]!));
    if (word === 'copy') o.copy = true;
    else if (word === 'replace') o.replace = true;
    else if (word === 'auth') {
      if (!more) return Err.syntax;
      o.password = argv[++j]!;
      client.redacted = [...(client.redacted ?? []), j];
    } else if (word === 'auth2') {
      if (more < 2) return Err.syntax;
      o.username = argv[++j]!;
      o.password = argv[++j]!;
      client.redacted = [...(client.redacted ?? []), j - 1, j];
    } else if (word === 'keys') {
      if (argv[3]!.length !== 0) return Err.migrateKeysNeedEmptyKey;
      o.firstKey = j + 1;
      o.lastKey = argv.length;
      break; // the rest are keys
    } else return Err.syntax;
  }
  return o;
}

/** What the target's replies and the connection came to. */
interface Outcome {
  /** The keys the target acknowledged (deleted here without COPY). */
  readonly done: Uint8Array[];
  readonly targetError: string | null;
  readonly failure: SyncFailure | null;
  /** The failure came while writing (the error says "writing"). */
  readonly writing: boolean;
  /** No reply was read: a retry cannot duplicate anything. */
  readonly nothingRead: boolean;
}

const migrate: Handler = (ctx) => {
  const { node, argv, reply, db, keyspace, client } = ctx;
  const options = parseOptions(ctx);
  if (typeof options === 'string') return reply.error(options);
  const timeoutArg = parseLongLong(argv[5]!);
  if (!timeoutArg.ok) return reply.error(timeoutArg.error);
  const dbidArg = parseLongLong(argv[4]!);
  if (!dbidArg.ok) return reply.error(dbidArg.error);
  const timeoutMs = timeoutArg.value <= 0 ? 1000 : Number(timeoutArg.value);
  const dbid = dbidArg.value;

  // The keys that are here (lookupKeyRead: hits and misses count); none at all is not an error.
  const keys: Uint8Array[] = [];
  for (let j = options.firstKey; j < options.lastKey; j++) if (keyspace.lookupRead(db, keyName(argv[j]!))) keys.push(argv[j]!);
  if (keys.length === 0) return reply.status('NOKEY');

  const host = latin1(argv[1]!);
  const port = latin1(argv[2]!);
  let mayRetry = true;
  for (;;) {
    const socket = node.migrateSockets.get(host, port, timeoutMs);
    if (!socket) return reply.error(Err.migrateConnect);
    if (!node.running) return;
    const outcome = transfer(ctx, socket, keys, options, dbid, timeoutMs);
    if (!node.running) return; // the process died while it waited
    if (!options.copy && outcome.done.length > 0) {
      // Each acknowledged key goes: deleted, its watchers touched, "del" notified, one change each.
      for (const key of outcome.done) {
        db.delete(keyName(key));
        notifyKeyspaceEvent(node, NOTIFY.g, 'del', key, db.id);
        node.dirty++;
      }
      client.propagateAs = [DEL_WORD, ...outcome.done];
    }
    if (outcome.failure !== null) node.migrateSockets.close(socket.name);
    if (outcome.targetError !== null) {
      socket.lastDbid = -1; // the target's database is no longer known
      return reply.error(Err.migrateTarget(outcome.targetError));
    }
    if (outcome.failure === null) {
      socket.lastDbid = Number(dbid);
      return reply.ok();
    }
    // A connection that died before anything was read (a cached one the target closed) gets one more try.
    if (outcome.failure !== 'timeout' && outcome.nothingRead && mayRetry && outcome.done.length === 0) {
      mayRetry = false;
      continue;
    }
    return reply.error(Err.migrateIo(outcome.writing ? 'writing' : 'reading'));
  }
};

/** Sends AUTH, SELECT and the RESTOREs in one write, then reads their replies in order. */
function transfer(ctx: CommandContext, socket: MigrateSocket, keys: readonly Uint8Array[], o: MigrateOptions, dbid: number | bigint, timeoutMs: number): Outcome {
  const { node, db } = ctx;
  const parts: Uint8Array[] = [];
  if (o.password) parts.push(encodeCommand(o.username ? [fromLatin1('AUTH'), o.username, o.password] : [fromLatin1('AUTH'), o.password]));
  const select = socket.lastDbid !== Number(dbid);
  if (select) parts.push(encodeCommand([fromLatin1('SELECT'), fromLatin1(String(dbid))]));
  const sent: Uint8Array[] = [];
  const nowMs = node.options.clock.unixMs;
  for (const key of keys) {
    const name = keyName(key);
    const expireAt = db.getExpire(name);
    let ttl = 0;
    if (expireAt !== undefined) {
      // An expire that passed meanwhile: the key stays behind.
      ttl = Number(expireAt) - nowMs;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    const value = db.peek(name)!;
    const payload = createDumpPayload(value, node.config.rdbCompression, Number(dbid), name);
    const restore = [fromLatin1('RESTORE'), key, fromLatin1(String(ttl)), payload];
    if (o.replace) restore.push(fromLatin1('REPLACE'));
    parts.push(encodeCommand(restore));
    sent.push(key);
  }
  const query = concatBytes(parts);
  const fail = (failure: SyncFailure, writing: boolean, nothingRead: boolean, done: Uint8Array[] = []): Outcome => ({ done, targetError: null, failure, writing, nothingRead });
  const written = socket.write(query, timeoutMs);
  if (written) return fail(written, true, true);
  const authReply = o.password ? socket.readLine(timeoutMs) : '+';
  if (authReply === 'timeout' || authReply === 'closed') return fail(authReply, false, true);
  const selectReply = select ? socket.readLine(timeoutMs) : '+';
  if (selectReply === 'timeout' || selectReply === 'closed') return fail(selectReply, false, true);
  const done: Uint8Array[] = [];
  let targetError: string | null = null;
  for (let j = 0; j < sent.length; j++) {
    const line = socket.readLine(timeoutMs);
    if (line === 'timeout' || line === 'closed') {
      // An error the target sent already is the reply (the connection is closed all the same); else the failure is.
      if (targetError !== null) return { done, targetError, failure: line, writing: false, nothingRead: false };
      return fail(line, false, j === 0, done);
    }
    const error = [authReply, selectReply, line].find((r) => r.startsWith('-'));
    if (error !== undefined) targetError ??= error.slice(1);
    else done.push(sent[j]!);
  }
  return { done, targetError, failure: null, writing: false, nothingRead: false };
}

export const migrateHandlers: Record<string, Handler> = { migrate };
