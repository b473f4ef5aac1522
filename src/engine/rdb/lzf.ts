// LZF as Redis builds liblzf 3.6 (lzf_c.c, lzf_d.c, lzfP.h): HLOG 16,
// VERY_FAST, not ULTRA_FAST, CHECK_INPUT on. The compressor makes the same
// choices as the C one (the same hash of the same bytes, the same table
// updates after a back-reference, the same limits on the output), so the
// strings Redis writes LZF-compressed into an RDB file or a DUMP payload
// come out byte for byte the same here.
//
// Compressed format:
//   000LLLLL <L+1 bytes>          literal run of 1..32 bytes
//   LLLooooo oooooooo             back-reference of L+2 (3..8) bytes, offset o+1 (1..8192)
//   111ooooo LLLLLLLL oooooooo    back-reference of L+9 (9..264) bytes
//
// One difference that cannot be reproduced: the C compressor keeps its hash
// table on the stack without clearing it (INIT_HTAB 0), so a slot may still
// hold a pointer from an earlier call. Such a stale pointer is used only if
// it happens to point into the current input, before the current position,
// at the same three bytes; this happens at most when an earlier input was
// freed and its memory reused for this one. Here every call starts from an
// empty table, which is what the C code does whenever no stale pointer
// lands inside the input.

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

/**
 * The hash table, shared by every call. A slot holds base + position + 1
 * for the call that wrote it; entries written by earlier calls are at most
 * the current base, so they read as empty without clearing the table.
 */
const htab = new Int32Array(HSIZE);
let base = 0;

/** IDX(h) under VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), in unsigned 32-bit arithmetic. */
function idx(h: number): number {
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * lzf_compress(in, in_len, out, outLen): the compressed bytes, or null
 * where the C function returns 0 (empty input, or the output would not fit
 * in outLen bytes). Redis calls it with outLen = length - 4, so that only a
 * gain of at least 4 bytes is worth writing.
 */
export function lzfCompress(input: Uint8Array, outLen: number): Uint8Array | null {
  const inLen = input.length;
  if (inLen === 0 || outLen <= 0) return null;
  if (base > 0x7fffffff - inLen - 2) {
    htab.fill(0);
    base = 0;
  }
  const b = base;
  base += inLen + 1;

  // One byte of slack: a run header may be reserved at out[outLen] and then undone.
  const out = new Uint8Array(outLen + 1);
  const inEnd = inLen;
  let ip = 0;
  let op = 0;
  let lit = 0;
  op++; // start run

  let hval = (input[0] << 8) | (inLen > 1 ? input[1] : 0);
  while (ip < inEnd - 2) {
    hval = ((hval << 8) | input[ip + 2]) >>> 0;
    const slot = idx(hval);
    const stored = htab[slot];
    htab[slot] = b + ip + 1;
    const ref = stored > b ? stored - b - 1 : -1;
    let off: number;
    if (
      ref > 0 && // ref > in_data (and not the NULL of an empty slot)
      (off = ip - ref - 1) < MAX_OFF &&
      input[ref + 2] === input[ip + 2] &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1]
    ) {
      // A match of at least 3 bytes at ref.
      let len = 2;
      let maxlen = inEnd - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;

      if (op + 3 + 1 >= outLen) if (op - (lit === 0 ? 1 : 0) + 3 + 1 >= outLen) return null;

      out[op - lit - 1] = (lit - 1) & 0xff; // stop run
      if (lit === 0) op--; // undo run if length is zero

      // The C code checks 16 bytes unrolled when more than 16 may follow,
      // without the maxlen bound, then one at a time up to maxlen.
      matching: {
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++;
            if (input[ref + len] !== input[ip + len]) break matching;
          }
        }
        do len++;
        while (len < maxlen && input[ref + len] === input[ip + len]);
      }

      len -= 2; // len is now #octets - 1
      ip++;

      if (len < 7) {
        out[op++] = (off >> 8) + (len << 5);
      } else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;

      lit = 0;
      op++; // start run

      ip += len + 1;
      if (ip >= inEnd - 2) break;

      // VERY_FAST: hash the two positions before the new one.
      ip -= 2;
      hval = (input[ip] << 8) | input[ip + 1];
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = b + ip + 1;
      ip++;
      hval = ((hval << 8) | input[ip + 2]) >>> 0;
      htab[idx(hval)] = b + ip + 1;
      ip++;
    } else {
      // One more literal byte.
      if (op >= outLen) return null;
      lit++;
      out[op++] = input[ip++];
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1; // stop run
        lit = 0;
        op++; // start run
      }
    }
  }

  if (op + 3 > outLen) return null; // at most 3 bytes can be missing here

  while (ip < inEnd) {
    lit++;
    out[op++] = input[ip++];
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }

  out[op - lit - 1] = (lit - 1) & 0xff; // end run
  if (lit === 0) op--; // undo run if length is zero

  return out.subarray(0, op);
}

/** Why lzf_decompress gave up (its errno). */
export type LzfError = 'E2BIG' | 'EINVAL';

/**
 * lzf_decompress(in, in_len, out, outLen): the bytes written into a buffer
 * of outLen bytes, or the error that made the C function return 0. Redis
 * accepts the result only when exactly outLen bytes came out.
 */
export function lzfDecompress(input: Uint8Array, outLen: number): { out: Uint8Array; length: number } | { error: LzfError } {
  const out = new Uint8Array(outLen);
  const inEnd = input.length;
  let ip = 0;
  let op = 0;
  while (ip < inEnd) {
    let ctrl = input[ip++];
    if (ctrl < 1 << 5) {
      // literal run
      ctrl++;
      if (op + ctrl > outLen) return { error: 'E2BIG' };
      if (ip + ctrl > inEnd) return { error: 'EINVAL' };
      // At most 32 bytes: a loop costs less than a subarray and set (no object to collect).
      for (let k = 0; k < ctrl; k++) out[op++] = input[ip++];
    } else {
      // back reference
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= inEnd) return { error: 'EINVAL' };
      if (len === 7) {
        len += input[ip++];
        if (ip >= inEnd) return { error: 'EINVAL' };
      }
      ref -= input[ip++];
      if (op + len + 2 > outLen) return { error: 'E2BIG' };
      if (ref < 0) return { error: 'EINVAL' };
      len += 2;
      // Byte by byte: the areas may overlap (a run of one repeated pattern).
      for (let k = 0; k < len; k++) out[op++] = out[ref++];
    }
  }
  return { out, length: op };
}
