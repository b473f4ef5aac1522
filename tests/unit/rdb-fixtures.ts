// RDB bytes written by real redis-server 7.0.15, as quoted in
// /work/shared/redis-facts.md section 9 (xxd dumps of observed files).
import { Crc64 } from '../../src/engine/rdb/crc64.ts';

/** Bytes from an `xxd` dump (the hex columns only). */
export function fromXxd(dump: string): Uint8Array {
  const out: number[] = [];
  for (const line of dump.trim().split('\n')) {
    const hexPart = line.slice(line.indexOf(':') + 1, line.indexOf(':') + 41);
    for (const group of hexPart.trim().split(/\s+/)) for (let i = 0; i < group.length; i += 2) out.push(parseInt(group.slice(i, i + 2), 16));
  }
  return Uint8Array.from(out);
}

export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export const fromHex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16));

/** 9.3: SAVE on a master without replication, 10 keys of every type (241 bytes). */
export const REDIS_FACTS_EXAMPLE_1 = fromXxd(`
00000000: 5245 4449 5330 3031 30fa 0972 6564 6973  REDIS0010..redis
00000010: 2d76 6572 0637 2e30 2e31 35fa 0a72 6564  -ver.7.0.15..red
00000020: 6973 2d62 6974 73c0 40fa 0563 7469 6d65  is-bits.@..ctime
00000030: c294 4802 6bfa 0875 7365 642d 6d65 6dc2  ..H.k..used-mem.
00000040: e83b 1000 fa08 616f 662d 6261 7365 c000  .;....aof-base..
00000050: fe00 fb0a 0100 036e 756d c139 3011 017a  .......num.90..z
00000060: 0f0f 0000 0002 0081 6d02 8331 2e35 04ff  ........m..1.5..
00000070: 0b02 7369 0e02 0000 0003 0000 0001 0002  ..si............
00000080: 0003 0010 0168 0d0d 0000 0002 0081 6602  .....h........f.
00000090: 8176 02ff 0003 7374 7205 6865 6c6c 6f00  .v....str.hello.
000000a0: 0362 6967 c270 1101 0002 0273 7301 0178  .big.p.....ss..x
000000b0: fc00 d8c3 2cbb 0300 0000 0374 746c 0176  ....,......ttl.v
000000c0: 0003 6c7a 66c3 0928 0161 61e0 1b00 0161  ..lzf..(.aa....a
000000d0: 6112 036c 7374 0102 0f0f 0000 0003 0081  a..lst..........
000000e0: 6102 8162 0201 01ff ff79 79a6 8dd0 8906  a..b.....yy.....
000000f0: 72                                       r
`);

/**
 * Example 1 with its last key's type byte (lst, RDB_TYPE_LIST_QUICKLIST_2
 * at 0xd1) made RDB_TYPE_MODULE_2 (7), its checksum made right again: a
 * file whose keys load up to a type the engine cannot load (module values).
 */
export const EXAMPLE_1_WITH_A_MODULE_VALUE = (() => {
  const file = REDIS_FACTS_EXAMPLE_1.slice();
  file[0xd1] = 7;
  new Crc64().update(file, 0, file.length - 8).writeLE(file, file.length - 8);
  return file;
})();

/** 9.4: SAVE on a replica: repl-* aux fields, keys in db 0 and db 2 (193 bytes). */
export const REDIS_FACTS_EXAMPLE_2 = fromXxd(`
00000000: 5245 4449 5330 3031 30fa 0972 6564 6973  REDIS0010..redis
00000010: 2d76 6572 0637 2e30 2e31 35fa 0a72 6564  -ver.7.0.15..red
00000020: 6973 2d62 6974 73c0 40fa 0563 7469 6d65  is-bits.@..ctime
00000030: c264 4902 6bfa 0875 7365 642d 6d65 6dc2  .dI.k..used-mem.
00000040: 28a6 1c00 fa0e 7265 706c 2d73 7472 6561  (.....repl-strea
00000050: 6d2d 6462 c002 fa07 7265 706c 2d69 6428  m-db....repl-id(
00000060: 3439 6236 3862 6332 6537 6432 3834 3734  49b68bc2e7d28474
00000070: 3735 6163 3532 3563 3434 6262 6664 3237  75ac525c44bbfd27
00000080: 6662 3562 3263 3066 fa0b 7265 706c 2d6f  fb5b2c0f..repl-o
00000090: 6666 7365 74c1 cb05 fa08 616f 662d 6261  ffset.....aof-ba
000000a0: 7365 c000 fe00 fb01 0000 0161 c001 fe02  se.........a....
000000b0: fb01 0000 0162 0178 ffdc 98fd 36b8 e67c  .....b.x....6..|
000000c0: b8                                       .
`);
