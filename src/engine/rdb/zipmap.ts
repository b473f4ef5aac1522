// Reading a zipmap (zipmap.c of Redis 7.0.15): the encoding of small
// hashes in RDB files of Redis 2.4 and older (RDB_TYPE_HASH_ZIPMAP). Redis
// 7.0 converts it on load after zipmapValidateIntegrity with deep = 1.
//
// Layout: a count byte (254 or more: walk to count), then field/value pairs
// up to the end byte 0xFF. Each length is one byte below 254, else 0xFE and
// a u32 in host order (little-endian on the machines Redis runs on); a value
// has one more byte after its length, the count of unused bytes that follow
// its data.

const ZIPMAP_BIGLEN = 254;
const ZIPMAP_END = 255;

/**
 * The pairs of a zipmap, in order; null when zipmapValidateIntegrity
 * fails (a length reaching past the end, no pairs, a count that differs).
 */
export function zipmapPairs(zm: Uint8Array): Array<[Uint8Array, Uint8Array]> | null {
  const size = zm.length;
  if (size < 2 || zm[size - 1] !== ZIPMAP_END) return null;
  const last = size - 1;
  // The validation walk: each length's size comes from its first byte.
  let count = 0;
  let p = 1;
  while (zm[p] !== ZIPMAP_END) {
    let s = zm[p] < ZIPMAP_BIGLEN ? 1 : 5;
    if (p + s > last) return null;
    p += s + decodeLength(zm, p);
    if (p > last) return null;
    s = zm[p] < ZIPMAP_BIGLEN ? 1 : 5;
    if (p + s > last) return null;
    const l = decodeLength(zm, p);
    p += s;
    const free = zm[p++];
    p += l + free;
    count++;
    if (p > last) return null;
  }
  if (count === 0) return null;
  if (zm[0] !== ZIPMAP_BIGLEN && zm[0] !== count) return null;

  // zipmapNext: the size of a length comes from its value (ZIPMAP_LEN_BYTES),
  // which agrees with the walk above for every zipmap Redis wrote. For one
  // where they disagree, a pair that reaches past the end is refused rather
  // than read from outside the zipmap.
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  const lengthFits = (at: number) => at <= last && (zm[at] < ZIPMAP_BIGLEN || at + 4 <= last);
  p = 1;
  while (zm[p] !== ZIPMAP_END) {
    if (!lengthFits(p)) return null;
    const klen = decodeLength(zm, p);
    const key = p + lenBytes(klen);
    p = key + klen;
    if (!lengthFits(p)) return null;
    const vlen = decodeLength(zm, p);
    const freeAt = p + lenBytes(vlen);
    if (freeAt > last) return null;
    const value = freeAt + 1;
    p = value + vlen + zm[freeAt];
    if (p > last) return null;
    pairs.push([zm.slice(key, key + klen), zm.slice(value, value + vlen)]);
  }
  return pairs;
}

/** zipmapDecodeLength. */
function decodeLength(zm: Uint8Array, p: number): number {
  const len = zm[p];
  if (len < ZIPMAP_BIGLEN) return len;
  return (zm[p + 1] | (zm[p + 2] << 8) | (zm[p + 3] << 16) | (zm[p + 4] << 24)) >>> 0;
}

/** ZIPMAP_LEN_BYTES. */
function lenBytes(l: number): number {
  return l < ZIPMAP_BIGLEN ? 1 : 5;
}
