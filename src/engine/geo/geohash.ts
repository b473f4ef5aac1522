// Geohash arithmetic as Redis 7.0.15 does it (geohash.c, geohash_helper.c):
// a position is a 52-bit integer, the 26 latitude steps interleaved with the
// 26 longitude steps (latitude in the even bits, longitude in the odd ones),
// over the Web Mercator square: longitude -180..180, latitude
// -85.05112878..85.05112878. Every operation is the same sequence of double
// operations as the C code, so every bit agrees:
//  - an offset at the top edge (latitude 85.05112878, longitude 180) is
//    2^step, one bit above the step's bits, and interleaves as such (GEOADD
//    of longitude 180 gives a score of 2^53 or more, which the zset then
//    holds rounded to a double, as ZADD parses the decimal text of it);
//  - a score is read back through the C conversion (uint64_t)score, with
//    what x86-64 makes of negative, fractional and too large scores
//    (scoreBits);
//  - the cell's centre is the mean of its two edges, clamped to the square.
// The 64-bit values are held as two 32-bit halves (hot paths: decoding every
// member a search looks at) or as BigInt (a search's nine cells).

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

const TWO32 = 4294967296;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

/** A coordinate range (GeoHashRange). */
export interface GeoRange {
  readonly min: number;
  readonly max: number;
}

export const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/** A cell: its bits (at most 64, unsigned) and how many steps they have (GeoHashBits). step 0 with bits 0 is "no cell" (GZERO). */
export interface GeoHashBits {
  readonly bits: bigint;
  readonly step: number;
}

export const NO_CELL: GeoHashBits = { bits: 0n, step: 0 };

export const isNoCell = (h: GeoHashBits): boolean => h.bits === 0n && h.step === 0;

/** A cell's edges (GeoHashArea). */
export interface GeoArea {
  readonly longMin: number;
  readonly longMax: number;
  readonly latMin: number;
  readonly latMax: number;
}

// --- interleaving 32-bit halves

/** The low 16 bits of v spread to the even bits of a 32-bit word. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

/** The even bits of a 32-bit word gathered into 16 bits. */
function gather16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/**
 * interleave64 of two offsets below 2^32 (here at most 2^26): x's bits in
 * the even positions, y's in the odd ones, as the high and low 32-bit halves.
 */
function interleave(x: number, y: number): { hi: number; lo: number } {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return { hi, lo };
}

/** deinterleave64: the even bits (latitude) and the odd bits (longitude), each a 32-bit unsigned number. */
function deinterleave(hi: number, lo: number): { lat: number; lon: number } {
  const lat = (gather16(lo) | (gather16(hi) << 16)) >>> 0;
  const lon = (gather16(lo >>> 1) | (gather16(hi >>> 1) << 16)) >>> 0;
  return { lat, lon };
}

const toBig = (hi: number, lo: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);

// --- encoding

/**
 * geohashEncode: the cell of `step` steps holding the point, or null when
 * the point is outside the square or the ranges (Redis returns 0 then).
 */
export function geohashEncode(longRange: GeoRange, latRange: GeoRange, longitude: number, latitude: number, step: number): GeoHashBits | null {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  // Fixed point on the step: the product is exact (a power of two), the
  // conversion to uint32_t truncates.
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  const { hi, lo } = interleave(Math.trunc(latOffset), Math.trunc(longOffset));
  return { bits: toBig(hi, lo), step };
}

/**
 * The score GEOADD gives a point inside the square: its 26-step cell's bits
 * as the double ZADD parses from their decimal text (exact below 2^53;
 * above it, rounded to nearest, ties to even, as Number() of a BigInt is).
 */
export function encodeScore(longitude: number, latitude: number): number {
  return Number(geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, GEO_STEP_MAX)?.bits ?? 0n);
}

// --- decoding

/**
 * (uint64_t)score as the oracle's x86-64 build converts it, as two 32-bit
 * halves: truncation toward zero; a negative value wraps modulo 2^64; below
 * -2^63 (and -inf) gives 2^63; at 2^64 or more (and +inf) gives 0 (gcc
 * subtracts 2^63 before a signed conversion, whose overflow value 2^63 the
 * xor back cancels).
 */
export function scoreBits(score: number): { hi: number; lo: number } {
  if (score >= 0 && score < 9007199254740992) {
    const t = Math.trunc(score);
    const hi = Math.floor(t / TWO32);
    return { hi, lo: t - hi * TWO32 };
  }
  let v: bigint;
  if (score >= TWO63) v = score >= TWO64 ? 0n : BigInt(Math.trunc(score));
  else if (!(score >= -TWO63)) v = 1n << 63n;
  else v = BigInt.asUintN(64, BigInt(Math.trunc(score)));
  return { hi: Number(v >> 32n), lo: Number(v & 0xffffffffn) };
}

/** geohashDecode: a cell's edges, from its deinterleaved offsets. */
function decodeOffsets(longRange: GeoRange, latRange: GeoRange, ilato: number, ilono: number, step: number): GeoArea {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const cells = 2 ** step;
  // (ilato + 1) is uint32_t arithmetic: it wraps.
  return {
    latMin: latRange.min + (ilato / cells) * latScale,
    latMax: latRange.min + (((ilato + 1) >>> 0) / cells) * latScale,
    longMin: longRange.min + (ilono / cells) * longScale,
    longMax: longRange.min + (((ilono + 1) >>> 0) / cells) * longScale,
  };
}

/** geohashDecode of a cell over the Web Mercator square. */
export function geohashDecode(hash: GeoHashBits): GeoArea {
  const { lat, lon } = deinterleave(Number(hash.bits >> 32n) >>> 0, Number(hash.bits & 0xffffffffn));
  return decodeOffsets(LONG_RANGE, LAT_RANGE, lat, lon, hash.step);
}

/** geohashDecodeAreaToLongLat: the cell's centre, clamped to the square. */
function areaCentre(area: GeoArea): [number, number] {
  let x = (area.longMin + area.longMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latMin + area.latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

/** decodeGeohash (geo.c): the longitude and latitude a zset score stands for (the centre of its 26-step cell). */
export function decodeScore(score: number): [number, number] {
  const { hi, lo } = scoreBits(score);
  const { lat, lon } = deinterleave(hi, lo);
  return areaCentre(decodeOffsets(LONG_RANGE, LAT_RANGE, lat, lon, GEO_STEP_MAX));
}

// --- GEOHASH's text

const GEO_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';
const STANDARD_LONG: GeoRange = { min: -180, max: 180 };
const STANDARD_LAT: GeoRange = { min: -90, max: 90 };

/**
 * The 11-character geohash GEOHASH answers for a score: the decoded point
 * re-encoded over the standard ranges (latitude -90..90) in 26 steps, five
 * bits a character from bit 51 down, and a last character '0' for the bits
 * a 52-bit hash does not have.
 */
export function standardGeohash(score: number): string {
  const [x, y] = decodeScore(score);
  // The decoded point is inside the square, so it encodes.
  const bits = geohashEncode(STANDARD_LONG, STANDARD_LAT, x, y, GEO_STEP_MAX)?.bits ?? 0n;
  let text = '';
  for (let i = 0; i < 10; i++) text += GEO_ALPHABET[Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn)];
  return text + '0';
}

// --- neighbours

const EVEN = 0x5555555555555555n;
const ODD = 0xaaaaaaaaaaaaaaaan;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * geohash_move_x (axis ODD, the longitude bits: east for d > 0, west for d <
 * 0) and geohash_move_y (axis EVEN, the latitude bits: north, south): one
 * cell along the axis, wrapping around, the other axis's bits kept.
 */
function move(hash: GeoHashBits, d: number, axis: bigint): GeoHashBits {
  if (d === 0) return hash;
  const other = axis === ODD ? EVEN : ODD;
  const shift = BigInt(64 - hash.step * 2);
  let v = hash.bits & axis;
  const zz = other >> shift;
  v = d > 0 ? u64(v + (zz + 1n)) : u64((v | zz) - (zz + 1n));
  v &= axis >> shift;
  return { bits: v | (hash.bits & other), step: hash.step };
}

const moveX = (hash: GeoHashBits, d: number): GeoHashBits => move(hash, d, ODD);
const moveY = (hash: GeoHashBits, d: number): GeoHashBits => move(hash, d, EVEN);

/** The eight neighbours of a cell (geohashNeighbors). */
export interface GeoNeighbours {
  north: GeoHashBits;
  south: GeoHashBits;
  east: GeoHashBits;
  west: GeoHashBits;
  northEast: GeoHashBits;
  northWest: GeoHashBits;
  southEast: GeoHashBits;
  southWest: GeoHashBits;
}

export function geohashNeighbours(hash: GeoHashBits): GeoNeighbours {
  return {
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    south: moveY(hash, -1),
    north: moveY(hash, 1),
    northWest: moveY(moveX(hash, -1), 1),
    northEast: moveY(moveX(hash, 1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
}

/**
 * scoresOfGeoHashBox: the scores from min (included) to max (excluded) that
 * hold every point of a cell: its bits, and its bits plus one, shifted to 52
 * bits (uint64_t arithmetic), as doubles.
 */
export function cellScores(hash: GeoHashBits): { min: number; max: number } {
  const shift = BigInt(52 - hash.step * 2);
  return { min: Number(u64(hash.bits << shift)), max: Number(u64((hash.bits + 1n) << shift)) };
}
