// The constants of the RDB format as Redis 7.0.15 writes it (rdb.h): the
// version, the opcodes, the value types and the length encodings.

/** RDB_VERSION: "REDIS0010" at the head of a file, 10 in a DUMP payload's footer. */
export const RDB_VERSION = 10;

// --- value types (the byte before a key); rdbIsObjectType() below
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

// --- the container of a quicklist node in RDB_TYPE_LIST_QUICKLIST_2 (quicklist.h)
/** QUICKLIST_NODE_CONTAINER_PLAIN: the node holds one element, stored as it is. */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
/** QUICKLIST_NODE_CONTAINER_PACKED: the node is a listpack of elements. */
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** rdbIsObjectType: the bytes that name a value type (8 was never used). */
export function rdbIsObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

/** What TYPE answers for a value stored with this type byte. */
export function rdbTypeKind(t: number): string {
  switch (t) {
    case RDB_TYPE_STRING: return 'string';
    case RDB_TYPE_LIST: case RDB_TYPE_LIST_ZIPLIST: case RDB_TYPE_LIST_QUICKLIST: case RDB_TYPE_LIST_QUICKLIST_2: return 'list';
    case RDB_TYPE_SET: case RDB_TYPE_SET_INTSET: return 'set';
    case RDB_TYPE_ZSET: case RDB_TYPE_ZSET_2: case RDB_TYPE_ZSET_ZIPLIST: case RDB_TYPE_ZSET_LISTPACK: return 'zset';
    case RDB_TYPE_HASH: case RDB_TYPE_HASH_ZIPMAP: case RDB_TYPE_HASH_ZIPLIST: case RDB_TYPE_HASH_LISTPACK: return 'hash';
    case RDB_TYPE_STREAM_LISTPACKS: case RDB_TYPE_STREAM_LISTPACKS_2: return 'stream';
    case RDB_TYPE_MODULE: case RDB_TYPE_MODULE_2: return 'module';
    default: return `RDB type ${t}`;
  }
}

/** A value type's name with its encoding, for the engine's own log lines. */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'string', 1: 'list (linked)', 2: 'set (hashtable)', 3: 'zset (v1)', 4: 'hash (hashtable)', 5: 'zset (skiplist)',
  6: 'module (pre-release)', 7: 'module', 9: 'hash (zipmap)', 10: 'list (ziplist)', 11: 'set (intset)',
  12: 'zset (ziplist)', 13: 'hash (ziplist)', 14: 'list (quicklist)', 15: 'stream (v1)', 16: 'hash (listpack)',
  17: 'zset (listpack)', 18: 'list (quicklist)', 19: 'stream',
};

// --- opcodes (bytes in the place of a value type)
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION = 246;
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

// --- lengths: the top two bits of the first byte
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

// --- special string encodings (RDB_ENCVAL, low six bits)
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** The file's first five bytes; four ASCII digits of the version follow. */
export const RDB_MAGIC = 'REDIS';

/**
 * The line numbers in rdb.c that Redis 7.0.15 prints in "Internal error in
 * RDB reading offset N, function at rdb.c:LINE -> ...", as the Debian
 * build of 7.0.15 (the oracle) prints them: its patches move lines from
 * the upstream tag by varying amounts (2047 -> 2048, 2187 -> 2189,
 * 2672 -> 2681, 3216 -> 3225), so every one here was observed by loading a
 * broken file.
 */
export const RDB_C_LINE = {
  unknownLengthEncoding: 236,
  invalidLzf: 413,
  unknownStringEncoding: 529,
  /** A hash of RDB_TYPE_HASH with a field twice while still a listpack (checked only by deep sanitization). */
  hashDupElements: 1951,
  /** ... a field twice, found when the pair that converts it to a hashtable is added. */
  hashDuplicateAtConversion: 1969,
  /** ... a field twice in a hash loaded as a hashtable. */
  hashDuplicate: 2019,
  quicklistIntegrity: 2048,
  listpackIntegrity: 2071,
  ziplistIntegrity: 2081,
  zipmapIntegrity: 2130,
  zipmapDup: 2154,
  listZiplistIntegrity: 2189,
  hashZiplistIntegrity: 2275,
  hashListpackIntegrity: 2301,
  /** A set of RDB_TYPE_SET with an integer twice while still an intset. */
  setDuplicateInIntset: 1809,
  /** ... a member twice in a set loaded as a hashtable. */
  setDuplicate: 1829,
  intsetIntegrity: 2214,
  /** A zset of RDB_TYPE_ZSET_2 or RDB_TYPE_ZSET with a NaN score. */
  zsetNanScore: 1882,
  /** ... a member twice. */
  zsetDuplicate: 1894,
  zsetZiplistIntegrity: 2229,
  zsetListpackIntegrity: 2255,
  /** Stream loading (RDB_TYPE_STREAM_LISTPACKS, _2), each seen in the oracle's verbose log after a RESTORE. */
  streamNodeKeySize: 2343,
  streamListpackIntegrity: 2362,
  streamEmptyListpack: 2374,
  streamListpackReAdded: 2386,
  streamLengthInconsistent: 2430,
  streamDuplicateGroup: 2480,
  streamDuplicatePel: 2516,
  streamDuplicateConsumer: 2543,
  streamConsumerNackMissing: 2573,
  /**
   * A PEL entry a second consumer (or the same one twice) claims: a check
   * the Debian build has (CVE-2026-66373's fix) and upstream 7.0.15 has
   * not, before its "Duplicated consumer PEL entry" one.
   */
  streamNackAlreadyOwned: 2583,
  streamPelWithoutConsumer: 2611,
  unknownObjectType: 2681,
  checksum: 3225,
  unexpectedEof: 3249,
} as const;
