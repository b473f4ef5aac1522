// The replication buffer of Redis 7.0: one list of blocks holding the
// replication stream, shared by the backlog and by every replica's output
// (replication.c, feedReplicationBuffer and incrementalTrimReplicationBacklog).
//
// The shape matters because users read it in INFO: repl_backlog_histlen is
// not capped at repl-backlog-size. Blocks are allocated by jemalloc, so a
// block asked for 16 KB + header gets the whole 20 KB size class; the
// backlog is trimmed only when a new block is appended, a whole block at a
// time, never below repl-backlog-size and never past a block a replica still
// has to send. With repl-backlog-size 16384 the observed histlen after
// 267115 bytes is 21835: one full 20440-byte block plus the 1395-byte tail.

import { repr } from '../bytes.ts';

/** PROTO_REPLY_CHUNK_BYTES: the smallest block asked for. */
const MIN_BLOCK = 16 * 1024;
/** sizeof(replBufBlock): refcount (padded), id, repl_offset, size, used. */
const BLOCK_HEADER = 40;
/** sizeof(listNode), counted in the replication buffer's memory. */
const LIST_NODE = 24;
/** REPL_BACKLOG_TRIM_BLOCKS_PER_CALL. */
const TRIM_BLOCKS_PER_CALL = 10;

/** jemalloc's size class for a large allocation: four classes per power of two. */
export function jemallocUsable(size: number): number {
  if (size <= 16384) {
    // Not reached by block allocations (they are at least 16 KB + header).
    let c = 8;
    while (c < size) c *= 2;
    return c;
  }
  const spacing = 2 ** (Math.floor(Math.log2(size - 1)) - 2);
  return Math.ceil(size / spacing) * spacing;
}

interface Block {
  /** repl_offset of its first byte. */
  readonly offset: number;
  readonly data: Uint8Array;
  used: number;
  readonly usable: number;
}

/** Something that sends the stream from a position: a replica's output. */
export interface StreamReader {
  /** The offset of the next byte it has to send; it pins the block holding it. */
  readonly nextOffset: number;
}

export class ReplicationBuffer {
  private blocks: Block[] = [];
  /** Index of the backlog's first block in `blocks` (blocks before it are freed lazily). */
  private head = 0;
  /** repl_backlog->histlen: bytes the backlog holds. */
  histlen = 0;
  /** repl_buffer_mem: every block's allocation plus its list node. */
  memory = 0;

  constructor(
    /** master_repl_offset when the backlog was created: the stream starts at start + 1. */
    private endOffset: number,
    private readonly size: () => number,
    /** The replicas that are being fed (they pin the blocks they still have to send). */
    private readonly readers: () => Iterable<StreamReader>,
    /** Called after a block was appended (where Redis checks replicas' output buffer limits). */
    private readonly onNewBlock: () => void = () => {},
  ) {}

  /** master_repl_offset as this buffer has counted it. */
  get offset(): number {
    return this.endOffset;
  }

  /** repl_backlog->offset: the first byte the backlog has (master_repl_offset + 1 when empty). */
  get firstByteOffset(): number {
    return this.endOffset - this.histlen + 1;
  }

  /**
   * feedReplicationBuffer for one piece: fills the tail block, then appends
   * new blocks sized for what is left of this piece (so a big argument gets
   * a bigger block, up to max(size/16, 16 KB)). Trims after each new block.
   */
  feed(bytes: Uint8Array): void {
    let pos = 0;
    let len = bytes.length;
    while (len > 0) {
      const tail = this.blocks.length > this.head ? this.blocks[this.blocks.length - 1] : undefined;
      if (tail && tail.usable > tail.used) {
        const copy = Math.min(tail.usable - tail.used, len);
        tail.data.set(bytes.subarray(pos, pos + copy), tail.used);
        tail.used += copy;
        pos += copy;
        len -= copy;
        this.endOffset += copy;
        this.histlen += copy;
      }
      if (len > 0) {
        const limit = Math.max(Math.floor(this.size() / 16), MIN_BLOCK);
        const want = Math.min(Math.max(len, MIN_BLOCK), limit);
        const alloc = jemallocUsable(want + BLOCK_HEADER);
        const usable = alloc - BLOCK_HEADER;
        const copy = Math.min(usable, len);
        const block: Block = { offset: this.endOffset + 1, data: new Uint8Array(usable), used: copy, usable };
        block.data.set(bytes.subarray(pos, pos + copy), 0);
        this.blocks.push(block);
        this.memory += alloc + LIST_NODE;
        pos += copy;
        len -= copy;
        this.endOffset += copy;
        this.histlen += copy;
        this.onNewBlock();
        this.trim(TRIM_BLOCKS_PER_CALL);
      }
    }
  }

  /**
   * getClientOutputBufferMemoryUsage for a replica at `offset`: from the
   * start of its block to the end of the last block's allocation, plus each
   * block's header and list node.
   */
  usageFrom(offset: number): number {
    const i = this.blockIndex(offset);
    if (i < 0) return 0;
    const cur = this.blocks[i];
    const last = this.blocks[this.blocks.length - 1];
    const nodes = this.blocks.length - i;
    return last.offset + last.usable - cur.offset + nodes * (BLOCK_HEADER + LIST_NODE);
  }

  /** The index in `blocks` of the live block holding `offset` (the last block for the next byte), or -1. */
  private blockIndex(offset: number): number {
    if (this.blocks.length <= this.head) return -1;
    let lo = this.head;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.blocks[mid].offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.blocks[lo].offset <= offset ? lo : -1;
  }

  /**
   * incrementalTrimReplicationBacklog: drops whole head blocks while the
   * backlog stays above its size without them and no replica still needs them.
   */
  trim(maxBlocks = TRIM_BLOCKS_PER_CALL): void {
    const size = this.size();
    let trimmed = 0;
    while (this.histlen > size && trimmed < maxBlocks) {
      if (this.blocks.length - this.head <= 1) break;
      const first = this.blocks[this.head];
      if (this.pinned(first)) break;
      if (this.histlen - first.usable <= size) break;
      this.histlen -= first.usable;
      this.memory -= first.usable + BLOCK_HEADER + LIST_NODE;
      this.head++;
      trimmed++;
    }
    if (this.head > 64 && this.head * 2 > this.blocks.length) {
      this.blocks = this.blocks.slice(this.head);
      this.head = 0;
    }
  }

  private pinned(block: Block): boolean {
    const end = block.offset + block.used;
    for (const r of this.readers()) if (r.nextOffset < end) return true;
    return false;
  }

  /** Whether `offset` (the first byte a replica misses) can be served from the backlog. */
  has(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.firstByteOffset + this.histlen;
  }

  /** Up to `max` bytes of the stream from `offset` on (a view; do not keep it past the next feed). */
  read(offset: number, max: number): Uint8Array {
    if (offset > this.endOffset) return new Uint8Array(0);
    const i = this.blockIndex(offset);
    if (i < 0) throw new Error(`offset ${offset} is no longer in the replication buffer`);
    const block = this.blocks[i];
    const start = offset - block.offset;
    return block.data.subarray(start, Math.min(block.used, start + max));
  }

  /** Everything from `offset` to the end, as one array (for tests and small reads). */
  readAll(offset: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, this.endOffset - offset + 1));
    let at = 0;
    while (at < out.length) {
      const piece = this.read(offset + at, out.length - at);
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }

  /**
   * showLatestBacklog's dump: the last `max` bytes, each block's part
   * rendered with sdscatrepr on its own (so a dump across blocks shows
   * several quoted pieces, as Redis logs it).
   */
  latestRepr(max: number): string {
    let left = Math.min(max, this.histlen);
    let dump = '';
    for (let i = this.blocks.length - 1; i >= this.head && left > 0; i--) {
      const b = this.blocks[i];
      const n = Math.min(b.used, left);
      dump = repr(b.data.subarray(b.used - n, b.used)) + dump;
      left -= n;
    }
    return dump;
  }

  /** rebaseReplicationBuffer is not needed: a restarted master's backlog starts empty at its loaded offset. */
}
