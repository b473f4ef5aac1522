// The RDB a fork's child writes: byte for byte what writeRdb would give for
// the keyspace at the fork instant, produced a piece at a time from the
// copy-on-write snapshot (keyspace/snapshot.ts) while the parent goes on
// changing keys. A key the parent changes before the child reached it is
// serialized at that moment, as it still was, and the child copies those
// bytes when its turn comes; every other key is read from the maps, which
// still hold its value of the fork.
//
// A first pass reads the snapshot's keys from the maps, a piece at a time,
// and sums used-mem (the one AUX field that depends on every key, written
// before them); the second writes the file.

import type { ExpireTime, KeyName } from '../keyspace/db.ts';
import type { Keyspace } from '../keyspace/keyspace.ts';
import type { RedisValue } from '../keyspace/value.ts';
import { KeyspaceSnapshot, type DbSnapshot } from '../keyspace/snapshot.ts';
import { baseMemory, dbTablesMemory, keyMemory } from '../memory.ts';
import { Crc64 } from './crc64.ts';
import { RDB_OPCODE_EOF } from './format.ts';
import { RdbWriter, UnsupportedValueError, writeDbStart, writeEntry, writeHeader, type RdbSaveOptions } from './writer.ts';

/** What the snapshot keeps of a key changed after the fork: its record in the file, and its share of used-mem. */
export interface KeptKey {
  /** EXPIRETIME_MS (when it had a TTL), type, key and value, as the file holds them. */
  readonly record: Uint8Array | UnsupportedValueError;
  readonly memory: number;
}

export interface SnapshotWriterOptions extends Omit<RdbSaveOptions, 'usedMem'> {
  /** Connected clients at the fork (part of used-mem). */
  readonly clients: number;
}

/** Called every 1024 keys (at key 1, 1025, ...), as rdbSaveDb checks whether to report progress. */
export type KeyProgress = (keysWritten: number, bytesWritten: number) => void;

export class SnapshotWriter {
  readonly snapshot: KeyspaceSnapshot<KeptKey>;
  /** Keys written so far (current_save_keys_processed counts these). */
  keysWritten = 0;
  /** Bytes of the file produced so far. */
  bytesWritten = 0;
  /** The used-mem of the values the parent changed since the fork (what copy-on-write duplicated). */
  keptMemory = 0;
  private usedMem: number;
  private measuring = { db: 0, key: 0 };
  private measured = false;
  private headerDone = false;
  /** Where the next piece starts: a database of the snapshot and a key in it. */
  private db = 0;
  private key = 0;
  private done = false;
  private readonly crc: Crc64 | null;
  private lastPieceSize = 16 * 1024;

  constructor(
    keyspace: Keyspace,
    private readonly options: SnapshotWriterOptions,
  ) {
    this.snapshot = new KeyspaceSnapshot(keyspace, (db, key, value, expire) => this.keep(db, key, value, expire));
    this.usedMem = baseMemory(options.clients);
    for (const part of this.snapshot.dbs) this.usedMem += dbTablesMemory(part.size, part.expiresSize);
    this.crc = options.checksum ? new Crc64() : null;
  }

  /** The preserver: the key's record serialized now, while it still holds its value of the fork. */
  private keep(db: number, key: KeyName, value: RedisValue, expire: ExpireTime | undefined): KeptKey {
    const memory = keyMemory(key, value);
    this.keptMemory += memory;
    const w = new RdbWriter(this.options.compression, 64);
    try {
      writeEntry(w, db, key, value, expire);
    } catch (e) {
      if (!(e instanceof UnsupportedValueError)) throw e;
      return { record: e, memory };
    }
    return { record: w.finish(), memory };
  }

  /** Reads at most `n` more keys of the fork and sums their used-mem; true once it is known. */
  measure(n: number): boolean {
    const dbs = this.snapshot.dbs;
    const at = this.measuring;
    let left = n;
    while (!this.measured && left > 0) {
      if (at.db === dbs.length) {
        this.measured = true;
        break;
      }
      const part = dbs[at.db];
      const all = part.pull(left);
      const end = all ? part.read : Math.min(part.read, at.key + left);
      for (let i = at.key; i < end; i++) {
        const kept = keptAt(part, i);
        this.usedMem += kept ? kept.memory : keyMemory(part.keys[i], part.values[i]);
      }
      left -= end - at.key;
      at.key = end;
      if (all && end === part.read) {
        at.db++;
        at.key = 0;
      }
    }
    return this.measured;
  }

  /**
   * The next piece of the file, with at most `n` keys (the header comes
   * with the first, EOF and the checksum with the last); null once the
   * file is complete. A key of a type the engine cannot write throws
   * UnsupportedValueError, as writeRdb would.
   */
  next(n: number, progress?: KeyProgress): Uint8Array | null {
    if (this.done) return null;
    if (!this.measured) throw new Error('used-mem is not summed yet: measure() first');
    // Sized as the last piece was (pieces of the same number of keys are alike): no regrowth as it fills.
    const w = new RdbWriter(this.options.compression, this.lastPieceSize + 1024);
    if (!this.headerDone) {
      writeHeader(w, { ...this.options, usedMem: this.usedMem });
      this.headerDone = true;
    }
    const dbs = this.snapshot.dbs;
    let left = n;
    while (left > 0 && this.db < dbs.length) {
      const part = dbs[this.db];
      if (this.key === 0) writeDbStart(w, part.id, part.size, part.expiresSize);
      const end = Math.min(part.read, this.key + left);
      const hasExpires = part.expiresSize > 0;
      for (let i = this.key; i < end; i++) {
        const key = part.keys[i];
        const kept = keptAt(part, i);
        if (kept) {
          if (kept.record instanceof UnsupportedValueError) throw kept.record;
          w.raw(kept.record);
        } else {
          // Not changed since the fork: its value and TTL are still the fork's.
          writeEntry(w, part.id, key, part.values[i], hasExpires ? part.expires.get(key) : undefined);
        }
        // rdbSaveDb: ((*key_counter)++ & 1023) == 0
        if ((this.keysWritten++ & 1023) === 0) progress?.(this.keysWritten, this.bytesWritten + w.size);
      }
      left -= end - this.key;
      this.key = end;
      if (end === part.read) {
        this.db++;
        this.key = 0;
      }
    }
    const last = this.db === dbs.length;
    if (last) w.byte(RDB_OPCODE_EOF);
    const piece = w.view();
    this.crc?.update(piece, 0, piece.length);
    if (last) {
      w.crc64(this.crc);
      this.done = true;
    }
    const out = w.finish();
    this.bytesWritten += out.length;
    this.lastPieceSize = out.length;
    return out;
  }

  /** The child is done with the snapshot (finished, failed or killed). */
  release(): void {
    this.snapshot.release();
  }
}

/** What the snapshot kept of the i-th key of the fork, if the parent changed it since. */
function keptAt(part: DbSnapshot<KeptKey>, i: number): KeptKey | undefined {
  return part.kept.size > 0 ? (part.kept.get(part.keys[i]) ?? undefined) : undefined;
}
