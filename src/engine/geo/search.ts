// Finding the members in a search area and putting them in order (geo.c of
// Redis 7.0.15): the nine cells' score ranges are read in the order centre,
// N, S, E, W, NE, NW, SE, SW, each member in score order, keeping those
// inside the shape; COUNT ... ANY stops at the count, so which members an
// ANY search gives is this order's. A cell equal to the one searched just
// before it is skipped (but never one equal to the centre: Redis compares
// with the last cell searched only once one after the centre was).
//
// Sorting: a search that returns everything it found is sorted with glibc's
// qsort, which is a stable merge sort (msort.c) on this data, so members at
// the same distance stay in the order found; one that returns fewer (COUNT)
// goes through Redis's pqsort (the one SORT uses, commands/sort.ts), a
// partial Bentley-McIlroy quicksort whose order of equal distances is its
// own. Both are reproduced step for step.
import { isNoCell, cellScores, type GeoHashBits } from './geohash.ts';
import { withinShape, type GeoSearchCells, type GeoShape } from './shape.ts';
import type { ZsetValue } from '../keyspace/zset.ts';
import { pqsort } from '../commands/sort.ts';

/** A member found (geoPoint): its point, its distance in meters, its score. */
export interface GeoPoint {
  readonly member: string;
  readonly x: number;
  readonly y: number;
  dist: number;
  readonly score: number;
}

/** geoGetPointsInRange: the members with min <= score < max inside the shape, appended; stops at `limit` found in all (0: no limit). */
function pointsInRange(zset: ZsetValue, min: number, max: number, shape: GeoShape, found: GeoPoint[], limit: number): void {
  const tree = zset.tree;
  const first = tree.countWhile((s) => !(s >= min));
  tree.walk(first, false, (score, member) => {
    if (!(score < max)) return false;
    const hit = withinShape(shape, score);
    if (hit) found.push({ member, x: hit.x, y: hit.y, dist: hit.dist, score });
    return !(found.length && limit && found.length >= limit);
  });
}

/** membersOfAllNeighbors: every member inside the shape, in the order the cells are searched. */
export function membersInShape(zset: ZsetValue, cells: GeoSearchCells, shape: GeoShape, limit: number): GeoPoint[] {
  const n = cells.neighbours;
  const order: GeoHashBits[] = [cells.hash, n.north, n.south, n.east, n.west, n.northEast, n.northWest, n.southEast, n.southWest];
  const found: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < order.length; i++) {
    const cell = order[i];
    if (isNoCell(cell)) continue;
    // Huge radii make neighbours coincide: skip a repeat of the last cell searched.
    if (lastProcessed && cell.bits === order[lastProcessed].bits && cell.step === order[lastProcessed].step) continue;
    if (found.length && limit && found.length >= limit) break;
    const { min, max } = cellScores(cell);
    pointsInRange(zset, min, max, shape, found, limit);
    lastProcessed = i;
  }
  return found;
}

// --- sorting

/** sort_gp_asc: by distance; a NaN distance compares below everything, as its C comparisons fall through. */
const compareAsc = (a: GeoPoint, b: GeoPoint): number => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);
const compareDesc = (a: GeoPoint, b: GeoPoint): number => -compareAsc(a, b);

/** glibc's msort_with_tmp: top-down merge sort, halves n/2 and n - n/2, the left one first on ties. */
function mergeSort(items: GeoPoint[], from: number, n: number, cmp: (a: GeoPoint, b: GeoPoint) => number, tmp: GeoPoint[]): void {
  if (n <= 1) return;
  const n1 = n >>> 1;
  const n2 = n - n1;
  mergeSort(items, from, n1, cmp, tmp);
  mergeSort(items, from + n1, n2, cmp, tmp);
  let i = from;
  let j = from + n1;
  const iEnd = j;
  const jEnd = from + n;
  let k = 0;
  while (i < iEnd && j < jEnd) tmp[k++] = cmp(items[i], items[j]) <= 0 ? items[i++] : items[j++];
  // What is left of the left run goes after; what is left of the right one is in place.
  while (i < iEnd) tmp[k++] = items[i++];
  for (let m = 0; m < k; m++) items[from + m] = tmp[m];
}

/**
 * Puts the first `returned` points in order by distance (descending when
 * `desc`): the whole array by qsort when all are returned, else by pqsort
 * over the first `returned`.
 */
export function sortPoints(points: GeoPoint[], desc: boolean, returned: number): void {
  const cmp = desc ? compareDesc : compareAsc;
  if (returned === points.length) mergeSort(points, 0, points.length, cmp, new Array<GeoPoint>(points.length));
  else pqsort(points, cmp, 0, returned - 1);
}
