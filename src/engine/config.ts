// A node's configuration: the directives commands and encodings read, with
// Redis 7.0.15's compiled-in defaults (checked with CONFIG GET on the real
// server). CONFIG GET/SET/REWRITE and redis.conf parsing build on this
// (issue 3 and 4); until then the values are the defaults.

export class NodeConfig {
  databases = 16;
  protoMaxBulkLen = 536870912;
  /** Negative: a size limit per listpack node (-2 = 8 KB); positive: an entry count. */
  listMaxListpackSize = -2;
  listCompressDepth = 0;
  hashMaxListpackEntries = 512;
  hashMaxListpackValue = 64;
  setMaxIntsetEntries = 512;
  zsetMaxListpackEntries = 128;
  zsetMaxListpackValue = 64;
  rdbCompression = true;
  rdbChecksum = true;
  dbFilename = 'dump.rdb';
}
