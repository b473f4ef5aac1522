// CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO (networking.c's
// clientCommand of Redis 7.0.15) over src/engine/tracking.ts, with their
// replies and error texts in Redis's order of checks.
import type { Handler } from './context.ts';
import { Err } from '../errors.ts';
import { cString, latin1, lowerAscii } from '../bytes.ts';
import { parseLongLong } from './args.ts';

const word = (arg: Uint8Array) => lowerAscii(cString(arg));

/** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
const tracking: Handler = ({ node, client, argv, reply }) => {
  let redirect = 0;
  const options = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const w = word(argv[j]!);
    if (w === 'redirect' && more) {
      j++;
      if (redirect !== 0) return reply.error(Err.trackingOneRedirect);
      const parsed = parseLongLong(argv[j]!);
      if (!parsed.ok) return reply.error(parsed.error);
      redirect = Number(parsed.value);
      // The client must exist now, even if it may go later.
      if (!node.clientById(redirect)) return reply.error(Err.trackingNoRedirectClient);
    } else if (w === 'bcast') options.bcast = true;
    else if (w === 'optin') options.optin = true;
    else if (w === 'optout') options.optout = true;
    else if (w === 'noloop') options.noloop = true;
    else if (w === 'prefix' && more) prefixes.push(latin1(argv[++j]!));
    else return reply.error(Err.syntax);
  }
  const mode = word(argv[2]!);
  if (mode === 'on') {
    const t = client.tracking;
    if (!options.bcast && prefixes.length) return reply.error(Err.trackingPrefixNeedsBcast);
    if (t && t.bcast !== options.bcast) return reply.error(Err.trackingSwitchBcast);
    if (options.bcast && (options.optin || options.optout)) return reply.error(Err.trackingOptWithBcast);
    if (options.optin && options.optout) return reply.error(Err.trackingOptinAndOptout);
    if ((options.optin && t?.optout) || (options.optout && t?.optin)) return reply.error(Err.trackingSwitchOpt);
    if (options.bcast) {
      const collision = node.tracking.prefixCollision(client, prefixes);
      if (collision) return reply.error(collision);
    }
    node.tracking.enable(client, redirect, options, prefixes);
  } else if (mode === 'off') {
    node.tracking.disable(client);
  } else {
    return reply.error(Err.syntax);
  }
  reply.ok();
};

/** CLIENT CACHING YES|NO: the next command's keys are (or are not) tracked, in OPTIN (or OPTOUT) mode. */
const caching: Handler = ({ client, argv, reply }) => {
  const t = client.tracking;
  if (!t) return reply.error(Err.cachingNeedsTracking);
  const opt = word(argv[2]!);
  if (opt === 'yes') {
    if (!t.optin) return reply.error(Err.cachingYesNeedsOptin);
  } else if (opt === 'no') {
    if (!t.optout) return reply.error(Err.cachingNoNeedsOptout);
  } else {
    return reply.error(Err.syntax);
  }
  t.caching = true;
  reply.ok();
};

/** CLIENT GETREDIR: the client invalidations are redirected to, 0 for none, -1 without tracking. */
const getredir: Handler = ({ client, reply }) => reply.integer(client.tracking ? client.tracking.redirect : -1);

/** CLIENT TRACKINGINFO: flags, redirect and prefixes. */
const trackinginfo: Handler = ({ client, reply }) => {
  const t = client.tracking;
  reply.mapHeader(3);
  reply.bulkText('flags');
  const flags = [t ? 'on' : 'off'];
  if (t?.bcast) flags.push('bcast');
  if (t?.optin) flags.push('optin', ...(t.caching ? ['caching-yes'] : []));
  if (t?.optout) flags.push('optout', ...(t.caching ? ['caching-no'] : []));
  if (t?.noloop) flags.push('noloop');
  if (t?.brokenRedirect) flags.push('broken_redirect');
  reply.setHeader(flags.length);
  for (const f of flags) reply.bulkText(f);
  reply.bulkText('redirect');
  reply.integer(t ? t.redirect : -1);
  reply.bulkText('prefixes');
  const prefixes = t ? [...t.prefixes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  reply.arrayHeader(prefixes.length);
  for (const p of prefixes) reply.bulkText(p);
};

export const clientTrackingHandlers: Record<string, Handler> = {
  'client|tracking': tracking,
  'client|caching': caching,
  'client|getredir': getredir,
  'client|trackinginfo': trackinginfo,
};
