// getTimeoutFromObjectOrReply (timeout.c of Redis 7.0.15): the timeout
// arguments of the blocking commands (seconds, a float: BLPOP k 0.5), WAIT
// and CLIENT PAUSE (milliseconds, an integer), with their error replies.
import type { Parsed } from './args.ts';
import type { CommandContext } from './context.ts';
import { string2ll } from '../bytes.ts';
import { Err } from '../errors.ts';
import { ceilToLongLong, mulLongDouble, parseLongDouble, type LongDouble } from './long-double.ts';

const THOUSAND: LongDouble = { kind: 'finite', neg: false, mant: 1000n, exp: 0 };

/**
 * The timeout as a count of milliseconds, 0 for none. Seconds are read as
 * a long double (strtold: "0.1", "1e3", "0x10", "inf") and become
 * (long long) ceill(seconds * 1000), so an infinity or anything beyond
 * 2^63 ms turns into LLONG_MIN and is refused as negative, as on the
 * oracle; -0.0001 rounds up to 0, which waits forever.
 */
export function parseTimeout(bytes: Uint8Array, unit: 'seconds' | 'milliseconds'): Parsed<bigint> {
  let ms: bigint;
  if (unit === 'seconds') {
    const seconds = parseLongDouble(bytes);
    if (seconds === null) return { ok: false, error: Err.timeoutNotFloat };
    ms = ceilToLongLong(mulLongDouble(seconds, THOUSAND));
  } else {
    const v = string2ll(bytes);
    if (v === null) return { ok: false, error: Err.timeoutNotInteger };
    ms = BigInt(v);
  }
  if (ms < 0n) return { ok: false, error: Err.timeoutNegative };
  return { ok: true, value: ms };
}

/**
 * `tval += mstime()`: the absolute unix time in ms a timeout ends at, with
 * the long long addition's wrap-around (a huge timeout ends in the far
 * past); 0 stays 0 (no timeout).
 */
export function timeoutEnd(ms: bigint, nowMs: number): number {
  if (ms === 0n) return 0;
  return Number(BigInt.asIntN(64, ms + BigInt(Math.floor(nowMs))));
}

/**
 * A blocking command's timeout argument (BLPOP's seconds; XREAD BLOCK's
 * milliseconds) as the unix ms it ends at, 0 for none; null after replying
 * with the error.
 */
export function blockingTimeout(ctx: CommandContext, arg: Uint8Array, unit: 'seconds' | 'milliseconds'): number | null {
  const parsed = parseTimeout(arg, unit);
  if (!parsed.ok) return void ctx.reply.error(parsed.error), null;
  return timeoutEnd(parsed.value, ctx.node.options.clock.unixMs);
}
