// Function libraries in RDB bytes (rdb.c rdbSaveFunctions / rdbFunctionLoad):
// each library is RDB_OPCODE_FUNCTION2 then its code as an RDB string
// (LZF-compressed like any string). FUNCTION DUMP is those records, the RDB
// version and a CRC-64, as DUMP's payload is; an RDB file holds the same
// records after its AUX fields. Libraries of 7.0's release candidates
// (RDB_OPCODE_FUNCTION: name, engine, description, code) are read too.

import { RdbError, RdbReader } from './reader.ts';
import { RdbWriter } from './writer.ts';
import { RDB_OPCODE_FUNCTION, RDB_OPCODE_FUNCTION2, RDB_VERSION } from './format.ts';
import { verifyDumpPayload } from './dump.ts';
import { fromLatin1, latin1 } from '../bytes.ts';
import type { RedisNode } from '../node.ts';
import { clearLibraries, loadLibraryFromRdb } from '../commands/functions.ts';

/** rdbSaveFunctions: one record per library. */
export function writeFunctions(w: RdbWriter, codes: readonly Uint8Array[]): void {
  for (const code of codes) {
    w.byte(RDB_OPCODE_FUNCTION2);
    w.rawString(code);
  }
}

/** FUNCTION DUMP's payload. */
export function functionsDumpPayload(codes: readonly Uint8Array[], compression: boolean): Uint8Array {
  const w = new RdbWriter(compression, 64);
  writeFunctions(w, codes);
  w.byte(RDB_VERSION & 0xff);
  w.byte((RDB_VERSION >> 8) & 0xff);
  w.checksum(true);
  return w.finish();
}

/** rdbFunctionLoad after its type byte: the library's code (the old format rebuilt as "#!<engine> name=<name>\n<code>"). */
export function readFunction(r: RdbReader, type: number): Uint8Array {
  if (type === RDB_OPCODE_FUNCTION2) return r.string();
  const name = r.stringLatin1();
  const engine = r.stringLatin1();
  if (r.length() !== 0) r.string(); // the description, dropped
  const blob = latin1(r.string());
  return fromLatin1(`#!${engine} name=${name}\n${blob}`);
}

/** FUNCTION RESTORE's reading: the libraries' codes, or the error to reply. */
export function readFunctionsPayload(payload: Uint8Array): { codes: Uint8Array[] } | { error: string } {
  if (!verifyDumpPayload(payload)) return { error: 'ERR DUMP payload version or checksum are wrong' };
  const r = new RdbReader(payload);
  const codes: Uint8Array[] = [];
  try {
    while (payload.length - r.pos > 10) {
      const type = r.byte();
      if (type !== RDB_OPCODE_FUNCTION && type !== RDB_OPCODE_FUNCTION2) return { error: 'ERR given type is not a function' };
      codes.push(readFunction(r, type));
    }
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    return { error: 'ERR Failed loading library payload' };
  }
  return { codes };
}

/**
 * The RDB loader's handler for function records: the node's libraries are
 * replaced by the file's (emptyData clears them before a load that is not a
 * merge); a library that fails to load is logged as Redis logs it.
 */
export function rdbFunctionLoader(node: RedisNode, merge: boolean): (code: Uint8Array) => void {
  if (!merge) clearLibraries(node);
  return (code) => {
    const error = loadLibraryFromRdb(node, code);
    if (error !== null) node.options.log.warning(`Failed loading library, ${error}`);
  };
}
