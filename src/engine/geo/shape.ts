// The search area of GEOSEARCH and GEORADIUS (geohash_helper.c and geo.c of
// Redis 7.0.15): a circle or an axis-aligned box around a point, the
// distances (haversine on a sphere of Redis's radius), the bounding box, the
// estimate of the cell size, and the centre cell with the neighbours worth
// searching. The arithmetic is the C code's, operation for operation, in
// doubles, with glibc's sin, cos and asin (libm.ts), so that which cells are
// searched, which members are in, and every distance are Redis's to the bit.
import {
  geohashDecode,
  geohashEncode,
  geohashNeighbours,
  LAT_RANGE,
  LONG_RANGE,
  NO_CELL,
  decodeScore,
  type GeoArea,
  type GeoHashBits,
  type GeoNeighbours,
} from './geohash.ts';
import { libmAsin, libmCos, libmSin } from './libm.ts';

/** Earth's quadratic mean radius for WGS-84 (EARTH_RADIUS_IN_METERS). */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
/** D_R: M_PI / 180.0, folded by the compiler to this double. */
const D_R = Math.PI / 180.0;

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

/** A search area (GeoShape): its centre, its size in its unit, and the unit's meters. */
export type GeoShape =
  | { readonly type: 'circle'; readonly x: number; readonly y: number; readonly conversion: number; readonly radius: number }
  | { readonly type: 'box'; readonly x: number; readonly y: number; readonly conversion: number; readonly width: number; readonly height: number };

/** geohashGetLatDistance: the distance along a meridian. */
function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: haversine, with the shortcut when the longitudes' sine is zero. */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = libmSin((lon2r - lon1r) / 2);
  if (v === 0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = libmSin((lat2r - lat1r) / 2);
  const a = u * u + libmCos(lat1r) * libmCos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * libmAsin(Math.sqrt(a));
}

/** geohashEstimateStepsByRadius: the steps of the nine cells for a radius in meters at a latitude. */
function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  // Wider cells towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/**
 * geohashBoundingBox: [min longitude, min latitude, max longitude, max
 * latitude]; the longitudes from the edge nearer the pole (they are bent).
 */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { x: longitude, y: latitude } = shape;
  const height = shape.conversion * (shape.type === 'circle' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === 'circle' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / libmCos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / libmCos(degRad(latitude - latDelta)));
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

/** The cells to search (GeoHashRadius): the centre one and its neighbours, the useless ones NO_CELL. */
export interface GeoSearchCells {
  readonly hash: GeoHashBits;
  readonly neighbours: GeoNeighbours;
}

/** The centre cell at `steps` and its neighbours (both exist: the centre is inside the square). */
function cellsAt(shape: GeoShape, steps: number): { hash: GeoHashBits; neighbours: GeoNeighbours; area: GeoArea } {
  const hash = geohashEncode(LONG_RANGE, LAT_RANGE, shape.x, shape.y, steps) ?? NO_CELL;
  return { hash, neighbours: geohashNeighbours(hash), area: geohashDecode(hash) };
}

/** geohashCalculateAreasByShapeWGS84: the nine cells that cover the shape, less those outside its bounding box. */
export function searchCells(shape: GeoShape): GeoSearchCells {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  let radiusMeters =
    shape.type === 'circle' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;
  let steps = estimateSteps(radiusMeters, shape.y);
  let cells = cellsAt(shape, steps);
  // When the shape reaches past a neighbour, the cells are too small: one step less.
  const { north, south, east, west } = cells.neighbours;
  const decreaseStep =
    geohashDecode(north).latMax < maxLat ||
    geohashDecode(south).latMin > minLat ||
    geohashDecode(east).longMax < maxLon ||
    geohashDecode(west).longMin > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    cells = cellsAt(shape, steps);
  }
  const { area } = cells;
  const n = { ...cells.neighbours };
  if (steps >= 2) {
    if (area.latMin < minLat) n.south = n.southWest = n.southEast = NO_CELL;
    if (area.latMax > maxLat) n.north = n.northEast = n.northWest = NO_CELL;
    if (area.longMin < minLon) n.west = n.southWest = n.northWest = NO_CELL;
    if (area.longMax > maxLon) n.east = n.southEast = n.northEast = NO_CELL;
  }
  return { hash: cells.hash, neighbours: n };
}

/** geohashGetDistanceIfInRectangle: the distance from the centre, or null when the point is outside the box. */
function distanceIfInBox(widthM: number, heightM: number, x1: number, y1: number, x2: number, y2: number): number | null {
  if (latDistance(y2, y1) > heightM / 2) return null;
  if (geoDistance(x2, y2, x1, y2) > widthM / 2) return null;
  return geoDistance(x1, y1, x2, y2);
}

/** A member's point and its distance from the centre, in meters. */
export interface GeoHit {
  readonly x: number;
  readonly y: number;
  readonly dist: number;
}

/** geoWithinShape: the member's point and distance when its score is inside the shape, else null. */
export function withinShape(shape: GeoShape, score: number): GeoHit | null {
  const [x, y] = decodeScore(score);
  let dist: number | null;
  if (shape.type === 'circle') {
    const d = geoDistance(shape.x, shape.y, x, y);
    dist = d > shape.radius * shape.conversion ? null : d;
  } else {
    dist = distanceIfInBox(shape.width * shape.conversion, shape.height * shape.conversion, shape.x, shape.y, x, y);
  }
  return dist === null ? null : { x, y, dist };
}

