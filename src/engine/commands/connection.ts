// Connection commands: PING, ECHO, SELECT, QUIT, HELLO and RESET.
import { REDIS_VERSION } from '../version.ts';
import type { Handler } from './context.ts';
import type { Client } from '../client.ts';
import type { RedisNode } from '../node.ts';
import { parseInt32 } from './args.ts';
import { setClientName } from './client.ts';
import { Err } from '../errors.ts';
import { cString, latin1, lowerAscii, string2ll } from '../bytes.ts';

const PONG = new Uint8Array([0x2b, 0x50, 0x4f, 0x4e, 0x47, 0x0d, 0x0a]); // +PONG\r\n

const ping: Handler = ({ client, argv, reply }) => {
  // PING takes at most one argument; arity -1 lets more through to here.
  if (argv.length > 2) return reply.wrongArity('ping');
  // A RESP2 connection in pub/sub mode reads arrays: PING answers as a message would.
  if (client.pubsub && reply.protocol === 2) {
    reply.arrayHeader(2);
    reply.bulkText('pong');
    if (argv.length === 1) reply.bulkText('');
    else reply.bulk(argv[1]);
    return;
  }
  if (argv.length === 1) return reply.raw(PONG);
  reply.bulk(argv[1]);
};

const echo: Handler = ({ argv, reply }) => reply.bulk(argv[1]);

const select: Handler = ({ argv, reply, client, keyspace }) => {
  const id = parseInt32(argv[1]);
  if (!id.ok) return reply.error(id.error);
  if (id.value < 0 || id.value >= keyspace.dbs.length) return reply.error(Err.dbIndexOutOfRange);
  client.db = id.value;
  reply.ok();
};

/** QUIT: +OK, then the server closes the connection (CLIENT_CLOSE_AFTER_REPLY). */
const quit: Handler = ({ client, reply }) => {
  reply.ok();
  client.closeAfterReply = true;
};

/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]: the
 * options are applied in order (a SETNAME before a failing AUTH stays),
 * then the protocol switches, then the server's description answers as a
 * map in the new protocol. HELLO runs before AUTH (no_auth), but without
 * its AUTH option it still needs an authenticated connection.
 */
const hello: Handler = ({ node, client, argv, reply }) => {
  let version = 0;
  if (argv.length >= 2) {
    const v = string2ll(argv[1]);
    if (v === null) return reply.error(Err.helloProtoNotInteger);
    if (v < 2 || v > 3) return reply.error(Err.noProto);
    version = Number(v);
  }
  for (let j = 2; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const opt = lowerAscii(cString(argv[j]));
    if (opt === 'auth' && moreArgs >= 2) {
      // The user name and the password never reach MONITOR.
      client.redacted = [...(client.redacted ?? []), j + 1, j + 2];
      if (!node.acl.authenticate(client, argv[j + 1], argv[j + 2], argv[0])) return reply.error(Err.wrongPass);
      j += 2;
    } else if (opt === 'setname' && moreArgs >= 1) {
      if (!setClientName(client, argv[j + 1], reply)) return;
      j++;
    } else {
      return reply.error(Err.helloSyntax(latin1(cString(argv[j]))));
    }
  }
  if (!client.authenticated) return reply.error(Err.helloNoAuth);
  if (version) reply.protocol = version as 2 | 3;
  // Redis as a standalone server (not sentinel, not cluster) with no modules.
  reply.mapHeader(7);
  reply.bulkText('server');
  reply.bulkText('redis');
  reply.bulkText('version');
  reply.bulkText(REDIS_VERSION);
  reply.bulkText('proto');
  reply.integer(reply.protocol);
  reply.bulkText('id');
  reply.integer(client.id);
  reply.bulkText('mode');
  reply.bulkText('standalone');
  reply.bulkText('role');
  reply.bulkText(node.replication.isReplica ? 'replica' : 'master');
  reply.bulkText('modules');
  reply.arrayHeader(0);
};

/**
 * clearClientConnectionState: out of MONITOR, db 0, RESP2, the default
 * user (authenticated only if it needs no password), no transaction and no
 * watched keys, no subscriptions, no name, CLIENT REPLY ON. CLIENT
 * NO-EVICT stays as it was (7.0.15 does not clear that flag).
 */
function clearConnectionState(node: RedisNode, c: Client): void {
  if (c.monitor) {
    node.monitors.splice(node.monitors.indexOf(c), 1);
    c.monitor = false;
  }
  c.db = 0;
  c.reply.protocol = 2;
  node.acl.setDefaultAuth(c);
  c.multi = null;
  node.watches.unwatchAll(c);
  node.pubsub.forget(c);
  c.name = '';
  c.replyOff = false;
  c.replySkipNext = false;
}

/** RESET: a connection as new, but for its id, address and age. */
const reset: Handler = ({ node, client, reply }) => {
  if (client.slave || client.isMaster) return reply.error(Err.resetNotNormal);
  clearConnectionState(node, client);
  reply.status('RESET');
};

export const connectionHandlers: Record<string, Handler> = { ping, echo, select, quit, hello, reset };
