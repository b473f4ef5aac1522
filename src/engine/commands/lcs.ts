// The longest common subsequence of two byte strings, as LCS computes it in
// t_string.c: the classic dynamic programming table LCS(i,j) (the LCS length
// of a[0..i) and b[0..j)), then a walk back from (alen, blen) that prefers a
// match, else the larger of LCS(i-1,j) and LCS(i,j-1) (ties move j). The
// walk decides which subsequence and which ranges are reported, so it is
// followed step by step.
//
// Redis keeps the whole table (4 bytes a cell, up to proto-max-bulk-len).
// A browser tab should not have to: beyond a few million cells only every
// K-th row is kept (K about sqrt(alen)) and the rows of one block are
// recomputed from its checkpoint when the walk enters it. The table values,
// and so the result, are the same; the cost is one more pass over the table.

/** A range of matching bytes: a[aStart..aEnd] equals b[bStart..bEnd]. */
export interface LcsRange {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
  readonly len: number;
}

export interface LcsResult {
  readonly length: number;
  /** The subsequence itself. */
  readonly lcs: Uint8Array;
  /** Every range the walk closes, last ones first, as IDX emits them (before MINMATCHLEN). */
  readonly ranges: readonly LcsRange[];
}

/** Tables up to this many cells are kept whole. */
export const LCS_FULL_TABLE_CELLS = 1 << 22;

/** Fills row `cur` of the table from row `prev`, for the byte `ai` of a. */
function nextRow(prev: Uint32Array, cur: Uint32Array, ai: number, b: Uint8Array): void {
  cur[0] = 0;
  for (let j = 1; j <= b.length; j++) {
    if (ai === b[j - 1]) {
      cur[j] = prev[j - 1] + 1;
    } else {
      const up = prev[j];
      const left = cur[j - 1];
      cur[j] = up > left ? up : left;
    }
  }
}

/** LCS(alen, blen) alone, in two rows (LCS ... LEN). */
export function lcsLength(a: Uint8Array, b: Uint8Array): number {
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    nextRow(prev, cur, a[i - 1], b);
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The subsequence and its ranges. `fullTableCells` is there for tests of the checkpointed path. */
export function lcsWalk(a: Uint8Array, b: Uint8Array, fullTableCells = LCS_FULL_TABLE_CELLS): LcsResult {
  const alen = a.length;
  const blen = b.length;
  const width = blen + 1;
  // Rows per block: the whole table when small enough, else about sqrt(alen).
  const k = (alen + 1) * width <= fullTableCells ? Math.max(alen, 1) : Math.max(1, Math.ceil(Math.sqrt(alen)));
  const lastBlock = alen >= 1 ? Math.floor((alen - 1) / k) : 0;

  // Checkpoints: row t*k for every block t.
  const checkpoints: Uint32Array[] = [new Uint32Array(width)];
  let prev = new Uint32Array(width);
  let cur = new Uint32Array(width);
  for (let i = 1; i <= lastBlock * k; i++) {
    nextRow(prev, cur, a[i - 1], b);
    [prev, cur] = [cur, prev];
    if (i % k === 0) checkpoints.push(prev.slice());
  }

  // Rows t*k .. t*k+k of the block the walk is in.
  const block = new Uint32Array((k + 1) * width);
  let loaded = -1;
  const load = (t: number) => {
    block.set(checkpoints[t], 0);
    const first = t * k;
    for (let r = 1; r <= k && first + r <= alen; r++) {
      nextRow(block.subarray((r - 1) * width, r * width), block.subarray(r * width, (r + 1) * width), a[first + r - 1], b);
    }
    loaded = t;
  };
  load(lastBlock);
  const cell = (i: number, j: number) => block[(i - loaded * k) * width + j];

  const length = cell(alen, blen);
  const lcs = new Uint8Array(length);
  const ranges: LcsRange[] = [];
  let idx = length;
  // arangeStart === alen means no range is open.
  let arangeStart = alen;
  let arangeEnd = 0;
  let brangeStart = 0;
  let brangeEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    const t = Math.floor((i - 1) / k);
    if (t !== loaded) load(t);
    let emit = false;
    if (a[i - 1] === b[j - 1]) {
      lcs[idx - 1] = a[i - 1];
      if (arangeStart === alen) {
        arangeStart = i - 1;
        arangeEnd = i - 1;
        brangeStart = j - 1;
        brangeEnd = j - 1;
      } else if (arangeStart === i && brangeStart === j) {
        // Contiguous with the open range: extend it backward.
        arangeStart--;
        brangeStart--;
      } else {
        emit = true;
      }
      // A range that reached the first byte of either string is complete.
      if (arangeStart === 0 || brangeStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (cell(i - 1, j) > cell(i, j - 1)) i--;
      else j--;
      if (arangeStart !== alen) emit = true;
    }
    if (emit) {
      ranges.push({ aStart: arangeStart, aEnd: arangeEnd, bStart: brangeStart, bEnd: brangeEnd, len: arangeEnd - arangeStart + 1 });
      arangeStart = alen;
    }
  }
  return { length, lcs, ranges };
}
