// Pub/sub commands (pubsub.c of Redis 7.0.15): SUBSCRIBE, UNSUBSCRIBE,
// PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and
// PUBSUB. The tables and the delivery are in ../pubsub.ts; what a RESP2
// client may run once subscribed is decided by the dispatch (node.ts).
//
// Each (un)subscription answers with one reply per channel, a push in
// RESP3. PUBLISH and SPUBLISH change no data but are propagated to replicas
// (forceCommandPropagation), whose subscribers get the message too.
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, fromLatin1, latin1 } from '../bytes.ts';
import { stringMatch } from '../glob.ts';
import { GLOBAL, SHARD } from '../pubsub.ts';
import { writeHelp } from './help.ts';

// CLIENT_DENY_BLOCKING (a client that expects one reply per command) is set
// here only while EXEC runs its commands. SUBSCRIBE and PSUBSCRIBE refuse
// such a client only outside a transaction (scripts, which the engine does
// not have), so inside EXEC they subscribe; SSUBSCRIBE refuses it always.

const subscribe: Handler = ({ node, client, argv }) => {
  for (let j = 1; j < argv.length; j++) node.pubsub.subscribe(client, latin1(argv[j]), GLOBAL);
};

const unsubscribe: Handler = ({ node, client, argv }) => {
  if (argv.length === 1) node.pubsub.unsubscribeAll(client, true, GLOBAL);
  else for (let j = 1; j < argv.length; j++) node.pubsub.unsubscribe(client, latin1(argv[j]), true, GLOBAL);
};

const psubscribe: Handler = ({ node, client, argv }) => {
  for (let j = 1; j < argv.length; j++) node.pubsub.psubscribe(client, latin1(argv[j]));
};

const punsubscribe: Handler = ({ node, client, argv }) => {
  if (argv.length === 1) node.pubsub.punsubscribeAll(client, true);
  else for (let j = 1; j < argv.length; j++) node.pubsub.punsubscribe(client, latin1(argv[j]), true);
};

const ssubscribe: Handler = ({ node, client, argv, reply }) => {
  if (client.inExec) return reply.error(Err.ssubscribeDenyBlocking);
  for (let j = 1; j < argv.length; j++) node.pubsub.subscribe(client, latin1(argv[j]), SHARD);
};

const sunsubscribe: Handler = ({ node, client, argv }) => {
  if (argv.length === 1) node.pubsub.unsubscribeAll(client, true, SHARD);
  else for (let j = 1; j < argv.length; j++) node.pubsub.unsubscribe(client, latin1(argv[j]), true, SHARD);
};

const publish: Handler = ({ node, client, argv, reply }) => {
  const receivers = node.pubsub.publish(latin1(argv[1]), argv[2], GLOBAL);
  client.forcePropagation = 'repl'; // forceCommandPropagation(c, PROPAGATE_REPL): not in the AOF
  reply.integer(receivers);
};

const spublish: Handler = ({ node, client, argv, reply }) => {
  const receivers = node.pubsub.publish(latin1(argv[1]), argv[2], SHARD);
  client.forcePropagation = 'repl';
  reply.integer(receivers);
};

// --- PUBSUB: each subcommand checks its own argument count, answering as an unknown subcommand

/** addReplySubcommandSyntaxError. */
function syntaxError(argv: readonly Uint8Array[]): string {
  return Err.subcommandSyntax(latin1(cString(argv[1])).slice(0, 128), latin1(cString(argv[0])).toUpperCase());
}

/** channelList: the channels (with subscribers) matching the pattern, every one without it. */
const channelList =
  (shard: boolean): Handler =>
  ({ node, argv, reply }) => {
    if (argv.length > 3) return reply.error(syntaxError(argv));
    const table = shard ? node.pubsub.shardChannels : node.pubsub.channels;
    // The pattern as an sds string: binary, not cut at a NUL.
    const pattern = argv.length === 3 ? argv[2] : null;
    const found: string[] = [];
    for (const channel of table.keys()) {
      if (!pattern || stringMatch(pattern, fromLatin1(channel))) found.push(channel);
    }
    reply.arrayHeader(found.length);
    for (const channel of found) reply.bulkText(channel);
  };

/** NUMSUB and SHARDNUMSUB: each channel named with its number of subscribers (patterns not counted). */
const numsub =
  (shard: boolean): Handler =>
  ({ node, argv, reply }) => {
    const table = shard ? node.pubsub.shardChannels : node.pubsub.channels;
    reply.arrayHeader((argv.length - 2) * 2);
    for (let j = 2; j < argv.length; j++) {
      reply.bulk(argv[j]);
      reply.integer(table.get(latin1(argv[j]))?.length ?? 0);
    }
  };

/** NUMPAT: how many patterns have subscribers (not how many subscriptions). */
const numpat: Handler = ({ node, reply }) => reply.integer(node.pubsub.patterns.size);

const HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

const help: Handler = ({ argv, reply }) => writeHelp(reply, argv[0], HELP);

export const pubsubHandlers: Record<string, Handler> = {
  subscribe,
  unsubscribe,
  psubscribe,
  punsubscribe,
  ssubscribe,
  sunsubscribe,
  publish,
  spublish,
  'pubsub|channels': channelList(false),
  'pubsub|shardchannels': channelList(true),
  'pubsub|numsub': numsub(false),
  'pubsub|shardnumsub': numsub(true),
  'pubsub|numpat': numpat,
  'pubsub|help': help,
};
