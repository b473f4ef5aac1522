// Geo commands (the "geo" group of COMMAND DOCS), following geo.c of Redis
// 7.0.15: a geo set is a sorted set whose scores are 52-bit geohashes
// (src/engine/geo/geohash.ts), so every zset command works on it.
//  - GEOADD checks every pair, then runs ZADD with the scores in place of the
//    pairs (replaceClientCommandVector): it answers, notifies ("zadd"),
//    counts changes and is propagated as that ZADD.
//  - GEOPOS, GEOHASH and GEODIST decode scores; the searches (GEOSEARCH,
//    GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO forms) go
//    through georadiusGeneric's checks in its order, find members with the
//    nine-cell search (src/engine/geo/search.ts) and sort them as Redis's
//    qsort and pqsort do.
//  - The STORE forms replace the destination (setKey), notify
//    "georadiusstore" or "geosearchstore" and count one change per member
//    stored; an empty result deletes it ("del"). They are propagated
//    verbatim (what a real master sends is in tests/golden/geo.stream).
import type { CommandContext, Handler } from './context.ts';
import { Err } from '../errors.ts';
import { fromLatin1, latin1 } from '../bytes.ts';
import { keyName } from '../keyspace/db.ts';
import { newZset, zsetConvertToListpackIfNeeded, zsetInsertNew, type ZsetValue } from '../keyspace/zset.ts';
import { string2d } from '../keyspace/zset-score.ts';
import { notifyKeyspaceEvent, NOTIFY } from '../notify.ts';
import { parseLongLong } from './args.ts';
import { EMPTY_ARRAY, isZset, option, ZERO } from './zset-common.ts';
import { zsetHandlers } from './zset.ts';
import { decodeScore, encodeScore, GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, standardGeohash } from '../geo/geohash.ts';
import { geoDistance, searchCells, type GeoShape } from '../geo/shape.ts';
import { membersInShape, sortPoints } from '../geo/search.ts';
import { formatCoordinate, formatDistance, formatFixed } from '../geo/format.ts';
import type { ReplyWriter } from '../resp/reply-writer.ts';

const ZADD_WORD = fromLatin1('zadd');

type Parsed<T> = T | null;

/** getDoubleFromObjectOrReply: the argument as a double, or null after the error (`message`, or "not a valid float"). */
function doubleOrReply(ctx: CommandContext, arg: Uint8Array, message: string = Err.notValidFloat): Parsed<number> {
  const v = string2d(arg);
  if (v === null) ctx.reply.error(message);
  return v;
}

/** extractLongLatOrReply: a longitude and a latitude inside the Web Mercator square. */
function lonLatOrReply(ctx: CommandContext, at: number): Parsed<[number, number]> {
  const x = doubleOrReply(ctx, ctx.argv[at]);
  if (x === null) return null;
  const y = doubleOrReply(ctx, ctx.argv[at + 1]);
  if (y === null) return null;
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    ctx.reply.error(Err.geoInvalidLonLat(formatFixed(x, 6), formatFixed(y, 6)));
    return null;
  }
  return [x, y];
}

/** extractUnitOrReply: meters per unit, or null after the error. */
function unitOrReply(ctx: CommandContext, arg: Uint8Array): Parsed<number> {
  const u = option(arg);
  if (u === 'm') return 1;
  if (u === 'km') return 1000;
  if (u === 'ft') return 0.3048;
  if (u === 'mi') return 1609.34;
  ctx.reply.error(Err.geoUnsupportedUnit);
  return null;
}

/** extractDistanceOrReply: radius and unit. */
function radiusOrReply(ctx: CommandContext, at: number): Parsed<{ radius: number; conversion: number }> {
  const radius = doubleOrReply(ctx, ctx.argv[at], Err.geoNeedNumericRadius);
  if (radius === null) return null;
  if (radius < 0) {
    ctx.reply.error(Err.geoRadiusNegative);
    return null;
  }
  const conversion = unitOrReply(ctx, ctx.argv[at + 1]);
  return conversion === null ? null : { radius, conversion };
}

/** extractBoxOrReply: width, height and unit. */
function boxOrReply(ctx: CommandContext, at: number): Parsed<{ width: number; height: number; conversion: number }> {
  const width = doubleOrReply(ctx, ctx.argv[at], Err.geoNeedNumericWidth);
  if (width === null) return null;
  const height = doubleOrReply(ctx, ctx.argv[at + 1], Err.geoNeedNumericHeight);
  if (height === null) return null;
  if (height < 0 || width < 0) {
    ctx.reply.error(Err.geoBoxNegative);
    return null;
  }
  const conversion = unitOrReply(ctx, ctx.argv[at + 2]);
  return conversion === null ? null : { width, height, conversion };
}

/** lookupKeyRead + checkType: the zset, undefined for no key, or null after WRONGTYPE. */
function lookupGeoRead(ctx: CommandContext, index: number): ZsetValue | undefined | null {
  const value = ctx.keyspace.lookupRead(ctx.db, keyName(ctx.argv[index]));
  if (value === undefined) return undefined;
  if (!isZset(value)) {
    ctx.reply.error(Err.wrongType);
    return null;
  }
  return value;
}

/** longLatFromMember: the member's decoded position, or null when it is not there. */
function memberPosition(zset: ZsetValue, member: Uint8Array): [number, number] | null {
  const score = zset.dict.get(latin1(member));
  return score === undefined ? null : decodeScore(score);
}

// --- GEOADD

/** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with the scores the positions encode to. */
const geoadd: Handler = (ctx) => {
  const { argv, reply } = ctx;
  let xx = false;
  let nx = false;
  let longidx = 2;
  for (; longidx < argv.length; longidx++) {
    const opt = option(argv[longidx]);
    if (opt === 'nx') nx = true;
    else if (opt === 'xx') xx = true;
    else if (opt !== 'ch') break; // CH is ZADD's to read.
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) return reply.error(Err.syntax);
  const zaddArgv: Uint8Array[] = [ZADD_WORD, ...argv.slice(1, longidx)];
  for (let i = longidx; i < argv.length; i += 3) {
    const xy = lonLatOrReply(ctx, i);
    if (!xy) return;
    zaddArgv.push(fromLatin1(String(encodeScore(xy[0], xy[1]))), argv[i + 2]);
  }
  ctx.client.propagateAs = zaddArgv;
  zsetHandlers.zadd({ ...ctx, argv: zaddArgv });
};

// --- GEOPOS, GEOHASH, GEODIST

/**
 * GEOPOS and GEOHASH: an array with, for each member named, `missing` (no
 * key or no such member) or `found` of its score.
 */
function replyEachMember(ctx: CommandContext, missing: () => void, found: (score: number) => void): void {
  const { argv, reply } = ctx;
  const zset = lookupGeoRead(ctx, 1);
  if (zset === null) return;
  reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.dict.get(latin1(argv[j]));
    if (score === undefined) missing();
    else found(score);
  }
}

/** GEOPOS key member [...]: each member's longitude and latitude, or a null array. */
const geopos: Handler = (ctx) => {
  const { reply } = ctx;
  replyEachMember(
    ctx,
    () => reply.nullArray(),
    (score) => {
      const [x, y] = decodeScore(score);
      reply.arrayHeader(2);
      replyCoordinate(reply, x);
      replyCoordinate(reply, y);
    },
  );
};

/** addReplyHumanLongDouble: a bulk string in RESP2, a double in RESP3. */
function replyCoordinate(reply: ReplyWriter, d: number): void {
  const text = formatCoordinate(d);
  if (reply.protocol === 3) reply.latin1(`,${text}\r\n`);
  else reply.bulkText(text);
}

/** GEOHASH key member [...]: each member's 11-character standard geohash, or nil. */
const geohash: Handler = (ctx) => {
  const { reply } = ctx;
  replyEachMember(
    ctx,
    () => reply.nil(),
    (score) => reply.bulkText(standardGeohash(score)),
  );
};

/** GEODIST key member1 member2 [unit]: the unit is checked before the key is looked up. */
const geodist: Handler = (ctx) => {
  const { argv, reply } = ctx;
  let toMeter = 1;
  if (argv.length === 5) {
    const u = unitOrReply(ctx, argv[4]);
    if (u === null) return;
    toMeter = u;
  } else if (argv.length > 5) {
    return reply.error(Err.syntax);
  }
  const zset = lookupGeoRead(ctx, 1);
  if (zset === null) return;
  if (zset === undefined) return reply.nil();
  const a = memberPosition(zset, argv[2]);
  const b = memberPosition(zset, argv[3]);
  if (!a || !b) return reply.nil();
  reply.bulkText(formatDistance(geoDistance(a[0], a[1], b[0], b[1]) / toMeter));
};

// --- the searches

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const RADIUS_NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

type Sort = 'none' | 'asc' | 'desc';

/** The centre and size of the search as far as they are known (shape fields are filled as the arguments are read). */
interface ShapeParts {
  x: number;
  y: number;
  conversion: number;
  circle: { radius: number } | null;
  box: { width: number; height: number } | null;
}

/** georadiusGeneric: GEORADIUS, GEORADIUSBYMEMBER, their _RO forms, GEOSEARCH and GEOSEARCHSTORE. */
function georadiusGeneric(ctx: CommandContext, srcKeyIndex: number, flags: number): void {
  const { argv, reply } = ctx;
  let storekey: Uint8Array | null = null;
  let storedist = false;

  const zset = lookupGeoRead(ctx, srcKeyIndex);
  if (zset === null) return;

  const parts: ShapeParts = { x: 0, y: 0, conversion: 0, circle: null, box: null };
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const xy = lonLatOrReply(ctx, 2);
    if (!xy) return;
    [parts.x, parts.y] = xy;
    const r = radiusOrReply(ctx, baseArgs - 2);
    if (!r) return;
    parts.circle = { radius: r.radius };
    parts.conversion = r.conversion;
  } else if (flags & RADIUS_MEMBER && !zset) {
    // No key: the arguments are still read, to know which empty reply to give.
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    const xy = memberPosition(zset!, argv[2]);
    if (!xy) return reply.error(Err.geoCannotDecodeMember);
    [parts.x, parts.y] = xy;
    const r = radiusOrReply(ctx, baseArgs - 2);
    if (!r) return;
    parts.circle = { radius: r.radius };
    parts.conversion = r.conversion;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storekey = argv[1];
    }
  }

  let withdist = false;
  let withhash = false;
  let withcoords = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort: Sort = 'none';
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = option(argv[at]);
    if (arg === 'withdist') withdist = true;
    else if (arg === 'withhash') withhash = true;
    else if (arg === 'withcoord') withcoords = true;
    else if (arg === 'any') any = true;
    else if (arg === 'asc') sort = 'asc';
    else if (arg === 'desc') sort = 'desc';
    else if (arg === 'count' && i + 1 < remaining) {
      const v = parseLongLong(argv[at + 1]);
      if (!v.ok) return reply.error(v.error);
      if (v.value <= 0) return reply.error(Err.geoCountNotPositive);
      // Beyond 2^53 any count is "all of them".
      count = typeof v.value === 'bigint' ? Number.MAX_SAFE_INTEGER : v.value;
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storekey = argv[at + 1];
      storedist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storedist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      // With no key the member is not looked for: the reply is empty anyway.
      if (zset) {
        const xy = memberPosition(zset, argv[at + 1]);
        if (!xy) return reply.error(Err.geoCannotDecodeMember);
        [parts.x, parts.y] = xy;
      }
      frommember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
      const xy = lonLatOrReply(ctx, at + 1);
      if (!xy) return;
      [parts.x, parts.y] = xy;
      fromloc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
      const r = radiusOrReply(ctx, at + 1);
      if (!r) return;
      parts.circle = { radius: r.radius };
      parts.conversion = r.conversion;
      byradius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
      const b = boxOrReply(ctx, at + 1);
      if (!b) return;
      parts.box = { width: b.width, height: b.height };
      parts.conversion = b.conversion;
      bybox = true;
      i += 3;
    } else {
      return reply.error(Err.syntax);
    }
  }

  if (storekey && (withdist || withhash || withcoords)) {
    return reply.error(Err.geoStoreWithOptions(flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'));
  }
  if (flags & GEOSEARCH && !(frommember || fromloc)) return reply.error(Err.geoExactlyOneFrom(latin1(argv[0])));
  if (flags & GEOSEARCH && !(byradius || bybox)) return reply.error(Err.geoExactlyOneBy(latin1(argv[0])));
  if (any && !count) return reply.error(Err.geoAnyWithoutCount);

  if (!zset) {
    if (storekey) deleteStoreKey(ctx, storekey);
    else reply.raw(EMPTY_ARRAY);
    return;
  }

  // COUNT means the nearest ones: ascending unless told otherwise (not with ANY).
  if (count !== 0 && sort === 'none' && !any) sort = 'asc';

  const shape: GeoShape = parts.box
    ? { type: 'box', x: parts.x, y: parts.y, conversion: parts.conversion, width: parts.box.width, height: parts.box.height }
    : { type: 'circle', x: parts.x, y: parts.y, conversion: parts.conversion, radius: parts.circle!.radius };
  const points = membersInShape(zset, searchCells(shape), shape, any ? count : 0);

  if (points.length === 0 && storekey === null) return reply.raw(EMPTY_ARRAY);

  const returned = count === 0 || points.length < count ? points.length : count;
  if (sort !== 'none') sortPoints(points, sort === 'desc', returned);

  if (storekey === null) {
    const options = (withdist ? 1 : 0) + (withcoords ? 1 : 0) + (withhash ? 1 : 0);
    reply.arrayHeader(returned);
    for (let i = 0; i < returned; i++) {
      const p = points[i];
      const dist = p.dist / shape.conversion;
      if (options) reply.arrayHeader(options + 1);
      reply.bulk(fromLatin1(p.member));
      if (withdist) reply.bulkText(formatDistance(dist));
      if (withhash) reply.integer(scoreAsLongLong(p.score));
      if (withcoords) {
        reply.arrayHeader(2);
        replyCoordinate(reply, p.x);
        replyCoordinate(reply, p.y);
      }
    }
    return;
  }

  // A sorted set of the results, scored by their geohash or (STOREDIST) their distance in the unit.
  const { db, keyspace, node } = ctx;
  if (returned === 0) {
    deleteStoreKey(ctx, storekey);
    return;
  }
  const result = newZset('skiplist');
  for (let i = 0; i < returned; i++) {
    const p = points[i];
    zsetInsertNew(result, storedist ? p.dist / shape.conversion : p.score, p.member);
  }
  zsetConvertToListpackIfNeeded(result, node.config);
  const key = keyName(storekey);
  keyspace.lookupWrite(db, key);
  db.set(key, result);
  notifyKeyspaceEvent(node, NOTIFY.z, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore', storekey, db.id);
  node.dirty += returned;
  reply.integer(returned);
}

/** An empty result for a STORE: the destination is deleted (a change when it was there), and the reply is 0. */
function deleteStoreKey(ctx: CommandContext, storekey: Uint8Array): void {
  const { db, node, reply } = ctx;
  if (db.delete(keyName(storekey))) {
    notifyKeyspaceEvent(node, NOTIFY.g, 'del', storekey, db.id);
    node.dirty++;
  }
  reply.raw(ZERO);
}

/**
 * addReplyLongLong(score): the C conversion of a double to long long, which
 * truncates and gives LLONG_MIN beyond the range (x86-64's cvttsd2si).
 */
function scoreAsLongLong(score: number): number | bigint {
  if (score >= -9007199254740991 && score <= 9007199254740991) return Math.trunc(score);
  if (score >= -9223372036854775808 && score < 9223372036854775808) return BigInt(Math.trunc(score));
  return -9223372036854775808n;
}

export const geoHandlers: Record<string, Handler> = {
  geoadd,
  geopos,
  geohash,
  geodist,
  georadius: (ctx) => georadiusGeneric(ctx, 1, RADIUS_COORDS),
  georadiusbymember: (ctx) => georadiusGeneric(ctx, 1, RADIUS_MEMBER),
  georadius_ro: (ctx) => georadiusGeneric(ctx, 1, RADIUS_COORDS | RADIUS_NOSTORE),
  georadiusbymember_ro: (ctx) => georadiusGeneric(ctx, 1, RADIUS_MEMBER | RADIUS_NOSTORE),
  geosearch: (ctx) => georadiusGeneric(ctx, 1, GEOSEARCH),
  geosearchstore: (ctx) => georadiusGeneric(ctx, 2, GEOSEARCH | GEOSEARCHSTORE),
};
