// Splits an RDB file into its records (header, each AUX field, SELECTDB,
// RESIZEDB, each key with its EXPIRETIME_MS, EOF, checksum) as raw byte
// slices, so that two files can be compared record by record: real Redis
// writes keys in its hash table's order, so with several keys per database
// the key records are compared as sets. Uses the engine's reader, so it
// reads what the engine reads (strings, lists and hashes, for now).
import { latin1 } from '../../src/engine/bytes.ts';
import { NodeConfig } from '../../src/engine/config.ts';
import { RdbReader, readObject } from '../../src/engine/rdb/reader.ts';

export interface RdbRecord {
  readonly kind: 'header' | 'aux' | 'selectdb' | 'resizedb' | 'key' | 'eof' | 'checksum';
  /** The AUX field's name, or the key (chars 0..255). */
  readonly name?: string;
  /** The database the record belongs to (keys, RESIZEDB). */
  readonly db?: number;
  readonly bytes: Uint8Array;
}

export function rdbRecords(file: Uint8Array): RdbRecord[] {
  const r = new RdbReader(file);
  const out: RdbRecord[] = [];
  const decode = { config: new NodeConfig() };
  r.take(9);
  out.push({ kind: 'header', bytes: file.subarray(0, 9) });
  let db = 0;
  for (;;) {
    const start = r.pos;
    let type = r.byte();
    if (type === 0xfa) {
      const name = latin1(r.string());
      r.string();
      out.push({ kind: 'aux', name, bytes: file.subarray(start, r.pos) });
    } else if (type === 0xfe) {
      db = r.length();
      out.push({ kind: 'selectdb', db, bytes: file.subarray(start, r.pos) });
    } else if (type === 0xfb) {
      r.length();
      r.length();
      out.push({ kind: 'resizedb', db, bytes: file.subarray(start, r.pos) });
    } else if (type === 0xff) {
      out.push({ kind: 'eof', bytes: file.subarray(start, r.pos) });
      out.push({ kind: 'checksum', bytes: file.subarray(r.pos, r.pos + 8) });
      return out;
    } else {
      if (type === 0xfc) {
        r.millisecondTime();
        type = r.byte();
      }
      const name = r.stringLatin1();
      readObject(r, type, decode, db, name);
      out.push({ kind: 'key', name, db, bytes: file.subarray(start, r.pos) });
    }
  }
}

export const recordHex = (rec: RdbRecord): string => Buffer.from(rec.bytes).toString('hex');
