// What stream replies and payloads hold that two servers cannot agree on:
// the unix-ms times a stream keeps (a NACK's delivery time, a consumer's
// seen-time) and the idle times derived from them. The stream differential
// tests (stream-differential.ts) and the golden transcripts' ~streamtimes
// tolerance (transcript.ts) run both sides through these maskers;
// everything else is compared byte for byte.
import { ReplyReader, type Reply } from '../../src/engine/resp/reply-reader.ts';
import { latin1 } from '../../src/engine/bytes.ts';

/**
 * A stream's DUMP payload with the 8-byte times zeroed (delivery times in
 * the groups' PELs, consumers' seen-times) and without its CRC (which
 * covers them): the node keys and listpacks, the counters and IDs, the PEL
 * IDs and delivery counts stay exact. Other payloads come back whole.
 */
export function maskStreamDump(payload: Uint8Array): Uint8Array {
  if (payload[0] !== 19) return payload;
  const out = payload.slice(0, payload.length - 8);
  let at = 1;
  const length = (): { value: bigint; special: number | null } => {
    const b = out[at++];
    const kind = b >> 6;
    if (kind === 0) return { value: BigInt(b & 63), special: null };
    if (kind === 1) return { value: BigInt(((b & 63) << 8) | out[at++]), special: null };
    if (kind === 3) return { value: 0n, special: b & 63 };
    const n = b === 0x80 ? 4 : 8;
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(out[at++]);
    return { value: v, special: null };
  };
  const string = (): void => {
    const len = length();
    if (len.special === null) at += Number(len.value); // (len read first: `at += f()` would add to the old `at`)
    else if (len.special === 0) at += 1;
    else if (len.special === 1) at += 2;
    else if (len.special === 2) at += 4;
    else {
      const clen = Number(length().value);
      length();
      at += clen;
    }
  };
  const time = () => {
    out.fill(0, at, at + 8);
    at += 8;
  };
  const nodes = Number(length().value);
  for (let i = 0; i < nodes; i++) {
    string();
    string();
  }
  for (let i = 0; i < 8; i++) length(); // length, last, first, max deleted, entries added
  const groups = Number(length().value);
  for (let g = 0; g < groups; g++) {
    string();
    length();
    length();
    length();
    const pel = Number(length().value);
    for (let p = 0; p < pel; p++) {
      at += 16;
      time();
      length();
    }
    const consumers = Number(length().value);
    for (let c = 0; c < consumers; c++) {
      string();
      time();
      const own = Number(length().value);
      at += 16 * own;
    }
  }
  return out;
}

const MASK: Reply = { type: 'status', text: new TextEncoder().encode('~') };

/** Entries of a RESP2 map or a RESP3 map as [key, value] pairs of the same reply array. */
function pairsOf(r: Reply): Array<[Reply, number, Reply[]]> {
  if (r.type !== 'array' && r.type !== 'map') return [];
  const out: Array<[Reply, number, Reply[]]> = [];
  for (let i = 0; i + 1 < r.items.length; i += 2) out.push([r.items[i], i + 1, r.items]);
  return out;
}

const isBulk = (r: Reply, text: string) => r.type === 'bulk' && latin1(r.value) === text;

/** Masks in place what `command` answers that depends on the clock (see the top of this file). */
function maskReply(command: string, r: Reply): void {
  const cmd = command.toLowerCase();
  if (cmd === 'xpending' && r.type === 'array') {
    // [id, consumer, idle, deliveries] entries: the idle time.
    for (const e of r.items) if (e.type === 'array' && e.items.length === 4) e.items[2] = MASK;
  } else if (cmd === 'xinfo consumers' && r.type === 'array') {
    for (const c of r.items) for (const [k, i, items] of pairsOf(c)) if (isBulk(k, 'idle')) items[i] = MASK;
  } else if (cmd === 'xinfo stream') {
    for (const [k, i, items] of pairsOf(r)) {
      if (!isBulk(k, 'groups') || items[i].type !== 'array') continue;
      for (const g of (items[i] as Reply & { type: 'array' }).items) {
        for (const [gk, gi, gitems] of pairsOf(g)) {
          const v = gitems[gi];
          if (isBulk(gk, 'pending') && v.type === 'array') for (const e of v.items) if (e.type === 'array') e.items[2] = MASK;
          if (isBulk(gk, 'consumers') && v.type === 'array') {
            for (const c of v.items) {
              for (const [ck, ci, citems] of pairsOf(c)) {
                if (isBulk(ck, 'seen-time')) citems[ci] = MASK;
                const cv = citems[ci];
                if (isBulk(ck, 'pending') && cv.type === 'array') for (const e of cv.items) if (e.type === 'array') e.items[1] = MASK;
              }
            }
          }
        }
      }
    }
  }
}

function show(r: Reply): string {
  switch (r.type) {
    case 'status':
      return `+${latin1(r.text)}`;
    case 'error':
      return `-${latin1(r.text)}`;
    case 'integer':
      return `:${r.value}`;
    case 'bulk':
      return JSON.stringify(latin1(r.value));
    case 'nil':
      return 'nil';
    case 'array':
    case 'map':
    case 'set':
    case 'push':
      return `${r.type}[${r.items.map(show).join(', ')}]`;
    default:
      return JSON.stringify(r);
  }
}

/**
 * A reply as the stream differential compares it: its bytes, or for the
 * replies that hold times (XPENDING's extended form, XINFO CONSUMERS,
 * XINFO STREAM FULL) a rendering with those times masked.
 */
export function comparableStreamReply(argv: readonly string[], bytes: Uint8Array): string {
  const name = argv[0].toLowerCase() === 'xinfo' ? `xinfo ${argv[1].toLowerCase()}` : argv[0].toLowerCase();
  const timed = name === 'xpending' ? argv.length > 3 : name === 'xinfo consumers' || (name === 'xinfo stream' && argv.length > 3);
  if (!timed) return latin1(bytes);
  const reader = new ReplyReader();
  reader.feed(bytes);
  const r = reader.next();
  if (!r) return latin1(bytes);
  maskReply(name, r);
  return show(r);
}
