// CLIENT ID, SETNAME, GETNAME, INFO, LIST, KILL, NO-EVICT, REPLY, UNBLOCK,
// PAUSE, UNPAUSE and HELP (networking.c clientCommand of Redis 7.0.15), with
// its replies and error texts. The table checks each subcommand's arity
// before these run.

import type { CommandContext, Handler } from './context.ts';
import type { Client } from '../client.ts';
import type { RedisNode } from '../node.ts';
import { Err } from '../errors.ts';
import { cString, latin1, string2ll } from '../bytes.ts';
import { clientInfoString } from '../client-info.ts';
import { writeVerbatim } from '../info/verbatim.ts';
import { subcommandSyntaxError, writeHelp } from './help.ts';
import { parseTimeout, timeoutEnd } from './timeout.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';
import type { AclUser } from '../acl/user.ts';

/** getClientType's classes, by the names getClientTypeByName knows. */
type ClientType = 'normal' | 'slave' | 'pubsub' | 'master';

const TYPE_NAMES: Readonly<Record<string, ClientType>> = { normal: 'normal', slave: 'slave', replica: 'slave', pubsub: 'pubsub', master: 'master' };

/** getClientType: our master's link, a replica of ours (a monitor is not one), a pub/sub client, or a normal one. */
function clientType(c: Client): ClientType {
  if (c.isMaster) return 'master';
  if (c.slave) return 'slave';
  if (c.pubsub) return 'pubsub';
  return 'normal';
}

/** A C string argument (what %s and strcasecmp see), as text. */
const cText = (arg: Uint8Array): string => latin1(cString(arg));

/**
 * catClientInfoString for CLIENT LIST and INFO. The caller's own command is
 * still in its query buffer; another client's buffer is empty, and its
 * arguments are kept only while it is blocked.
 */
function infoLine(node: RedisNode, c: Client, self: Client): string {
  if (c === self) return clientInfoString(node, c) + '\n';
  return clientInfoString(node, c, { qbuf: 0, argvMem: c.blocked ? c.lastArgvBytes : 0 }) + '\n';
}

const id: Handler = ({ client, reply }) => reply.integer(client.id);

/** clientSetNameOrReply: bytes '!'..'~' only, or an error reply and false; an empty name removes the name. */
export function setClientName(client: Client, name: Uint8Array, reply: ReplyWriter): boolean {
  for (const b of name) {
    if (b < 0x21 || b > 0x7e) {
      reply.error(Err.clientNameChars);
      return false;
    }
  }
  client.name = latin1(name);
  return true;
}

const setname: Handler = ({ client, argv, reply }) => {
  if (setClientName(client, argv[2], reply)) reply.ok();
};

const getname: Handler = ({ client, reply }) => {
  if (client.name === '') return reply.nil();
  reply.bulkText(client.name);
};

const info: Handler = ({ node, client, reply }) => writeVerbatim(reply, infoLine(node, client, client));

/** CLIENT LIST [TYPE type] | [ID id ...]. */
const list: Handler = ({ node, client, argv, reply }) => {
  const option = argv.length > 2 ? cText(argv[2]).toLowerCase() : '';
  let out = '';
  if (argv.length === 4 && option === 'type') {
    const type = TYPE_NAMES[cText(argv[3]).toLowerCase()];
    if (!type) return reply.error(Err.clientUnknownType(cText(argv[3])));
    for (const c of node.clientList()) if (clientType(c) === type) out += infoLine(node, c, client);
  } else if (argv.length > 3 && option === 'id') {
    for (const arg of argv.slice(3)) {
      const wanted = string2ll(arg);
      if (wanted === null) return reply.error(Err.clientInvalidId);
      const c = typeof wanted === 'number' ? node.clientById(wanted) : undefined;
      if (c) out += infoLine(node, c, client);
    }
  } else if (argv.length !== 2) {
    return reply.error(Err.syntax);
  } else {
    for (const c of node.clientList()) out += infoLine(node, c, client);
  }
  writeVerbatim(reply, out);
};

/** The filters of CLIENT KILL's new form; each given one must match. */
interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: ClientType;
  id?: number;
  user?: AclUser;
  skipme: boolean;
}

/** CLIENT KILL ip:port (old form, may kill the caller) | CLIENT KILL <filter> <value> ... */
const kill: Handler = (ctx) => {
  const { node, client, argv, reply } = ctx;
  const filter = argv.length === 3 ? { addr: cText(argv[2]), skipme: false } : parseKillFilter(ctx);
  if (!filter) return;
  let killed = 0;
  let closeThisClient = false;
  for (const c of [...node.clientList()]) {
    if (filter.addr !== undefined && `${c.peer.ip}:${c.peer.port}` !== filter.addr) continue;
    if (filter.laddr !== undefined && `${node.options.host}:${node.port}` !== filter.laddr) continue;
    if (filter.type !== undefined && clientType(c) !== filter.type) continue;
    if (filter.id !== undefined && c.id !== filter.id) continue;
    if (filter.user !== undefined && c.user !== filter.user) continue;
    if (c === client && filter.skipme) continue;
    if (c === client) closeThisClient = true;
    else node.closeClient(c);
    killed++;
  }
  if (argv.length === 3) {
    if (killed === 0) reply.error(Err.clientNoSuchClient);
    else reply.ok();
  } else {
    reply.integer(killed);
  }
  // Closed once the reply is written.
  if (closeThisClient) client.closeAfterReply = true;
};

/** The option/value pairs of CLIENT KILL's new form; null after replying with an error. */
function parseKillFilter({ node, argv, reply }: CommandContext): KillFilter | null {
  const filter: KillFilter = { skipme: true };
  for (let i = 2; i < argv.length; i += 2) {
    const option = cText(argv[i]).toLowerCase();
    const hasValue = i + 1 < argv.length;
    const value = hasValue ? argv[i + 1] : new Uint8Array(0);
    if (option === 'id' && hasValue) {
      // getRangeLongFromObjectOrReply(1, LONG_MAX) with its own message for both failures.
      const v = string2ll(value);
      if (v === null || v < 1) {
        reply.error(Err.clientIdNotPositive);
        return null;
      }
      filter.id = Number(v);
    } else if (option === 'type' && hasValue) {
      const type = TYPE_NAMES[cText(value).toLowerCase()];
      if (!type) {
        reply.error(Err.clientUnknownType(cText(value)));
        return null;
      }
      filter.type = type;
    } else if (option === 'addr' && hasValue) {
      filter.addr = cText(value);
    } else if (option === 'laddr' && hasValue) {
      filter.laddr = cText(value);
    } else if (option === 'user' && hasValue) {
      const user = node.acl.user(latin1(value));
      if (!user) {
        reply.error(Err.clientNoSuchUser(cText(value)));
        return null;
      }
      filter.user = user;
    } else if (option === 'skipme' && hasValue) {
      const v = cText(value).toLowerCase();
      if (v !== 'yes' && v !== 'no') {
        reply.error(Err.syntax);
        return null;
      }
      filter.skipme = v === 'yes';
    } else {
      reply.error(Err.syntax);
      return null;
    }
  }
  return filter;
}

/** CLIENT REPLY ON|OFF|SKIP: OFF and SKIP answer nothing (node.execute drops the replies). */
const replyMode: Handler = ({ client, argv, reply }) => {
  const mode = cText(argv[2]).toLowerCase();
  if (mode === 'on') {
    client.replyOff = false;
    client.replySkip = false;
    reply.ok();
  } else if (mode === 'off') {
    client.replyOff = true;
  } else if (mode === 'skip') {
    if (!client.replyOff) client.replySkipNext = true;
  } else {
    reply.error(Err.syntax);
  }
};

/** CLIENT NO-EVICT ON|OFF: the flag (client eviction itself is not modelled: maxmemory-clients is not enforced). */
const noEvict: Handler = ({ client, argv, reply }) => {
  const mode = cText(argv[2]).toLowerCase();
  if (mode !== 'on' && mode !== 'off') return reply.error(Err.syntax);
  client.noEvict = mode === 'on';
  reply.ok();
};

/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR]: a blocked client (on keys, in WAIT,
 * paused, in SHUTDOWN) is answered as if it timed out, or with -UNBLOCKED;
 * 1 when there was one, else 0.
 */
const unblock: Handler = (ctx) => {
  const { node, argv, reply } = ctx;
  if (argv.length > 4) return reply.error(subcommandSyntaxError(argv));
  let asError = false;
  if (argv.length === 4) {
    const reason = cText(argv[3]).toLowerCase();
    if (reason === 'error') asError = true;
    else if (reason !== 'timeout') return reply.error(Err.clientUnblockReason);
  }
  const id = string2ll(argv[2]);
  if (id === null) return reply.error(Err.notInteger);
  const target = typeof id === 'number' ? node.clientById(id) : undefined;
  // DEBUG SLEEP holds the engine's client, where Redis holds the whole process: nothing to unblock.
  if (!target?.blocked || target.blocked.kind === 'sleep') return reply.integer(0);
  if (!node.blocking.unblockByCommand(target, asError)) return reply.error(Err.clientUnblockPanics);
  reply.integer(1);
};

/** CLIENT PAUSE timeout [WRITE|ALL]: clients are paused for `timeout` ms (pause.ts). */
const pause: Handler = (ctx) => {
  const { node, argv, reply } = ctx;
  if (argv.length > 4) return reply.error(subcommandSyntaxError(argv));
  let type: 'write' | 'all' = 'all';
  if (argv.length === 4) {
    const mode = cText(argv[3]).toLowerCase();
    if (mode === 'write') type = 'write';
    else if (mode !== 'all') return reply.error(Err.clientPauseMode);
  }
  const timeout = parseTimeout(argv[2], 'milliseconds');
  if (!timeout.ok) return reply.error(timeout.error);
  node.pause.pause('client-command', timeoutEnd(timeout.value, node.options.clock.unixMs), type);
  reply.ok();
};

/** CLIENT UNPAUSE: ends CLIENT PAUSE's pause (not a failover's). */
const unpause: Handler = ({ node, reply }) => {
  node.pause.unpause('client-command');
  reply.ok();
};

const HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

const help: Handler = ({ argv, reply }) => writeHelp(reply, argv[0], HELP);

export const clientHandlers: Record<string, Handler> = {
  'client|id': id,
  'client|setname': setname,
  'client|getname': getname,
  'client|info': info,
  'client|list': list,
  'client|kill': kill,
  'client|reply': replyMode,
  'client|no-evict': noEvict,
  'client|help': help,
  'client|unblock': unblock,
  'client|pause': pause,
  'client|unpause': unpause,
};
