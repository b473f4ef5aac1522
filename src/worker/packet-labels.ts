// Names for the packets the page animates: what each segment crossing a
// link carries, read from the bytes themselves by following each
// connection's byte stream in order (one scanner per connection and
// direction). A view only: it parses what nodes already sent and changes
// nothing. On a replication link the master sends replies (+PONG, +OK,
// +FULLRESYNC, +CONTINUE), the RDB payload (`$<len>\r\n` and the file, or
// `$EOF:<mark>\r\n`, the file and the mark), newlines while it saves, then
// the command stream (SET, PING, REPLCONF GETACK ...); the replica sends
// its handshake commands, newlines while it loads, and REPLCONF ACK.

import type { PacketKind } from '../protocol/messages.ts';

export interface PacketLabel {
  readonly label: string;
  readonly kind: PacketKind;
}

/** CONFIG_RUN_ID_SIZE: the EOF mark of a diskless payload. */
const EOF_MARK_SIZE = 40;
/** Bytes of an argument kept to name a command (REPLCONF's subcommand is the longest needed). */
const ARG_KEEP = 16;
/** Distinct names a packet's label lists before it counts the rest. */
const MAX_NAMES = 2;
/** Longest reply line kept for its name. */
const LINE_KEEP = 64;

const CR = 13;
const LF = 10;

type State =
  /** Between frames. */
  | 'start'
  /** A reply line or an inline command, up to its newline. */
  | 'line'
  /** `*<n>` up to its newline. */
  | 'count'
  /** `$<len>` of an argument up to its newline. */
  | 'arglen'
  /** An argument's bytes and its CRLF. */
  | 'arg'
  /** `$<len>` or `$EOF:<mark>` of an RDB payload up to its newline. */
  | 'rdbhead'
  /** The RDB's bytes. */
  | 'rdb'
  /** A diskless RDB: bytes until the mark. */
  | 'rdbeof';

/** One connection's bytes in one direction, parsed as they arrive. */
class StreamScanner {
  private state: State = 'start';
  private text = '';
  private argsLeft = 0;
  private bytesLeft = 0;
  private args: string[] = [];
  private arg = '';
  private mark = '';
  private tail = '';
  /** Labels of the frames whose name became known in the current segment. */
  private found: PacketLabel[] = [];
  private rdbBytes = 0;
  /** The frame in progress, once named (a segment in the middle of it carries its name). */
  private current: PacketLabel | null = null;

  scan(data: Uint8Array): PacketLabel | null {
    this.found = [];
    this.rdbBytes = 0;
    const midFrame = this.state !== 'start' ? this.current : null;
    for (let i = 0; i < data.length; ) i = this.step(data, i);
    const found = this.found;
    const rdb = this.rdbBytes > 0 ? `RDB ${formatSize(this.rdbBytes)}` : null;
    if (found.length === 0) return rdb ? { label: rdb, kind: 'rdb' } : (midFrame ?? this.current);
    // The frames begun here name the segment: runs of one name counted (SET ×12), two names at most, then how many more
    // (SELECT, SET; SET, REPLCONF GETACK), then the RDB bytes it carried (+FULLRESYNC · RDB 16 KB).
    const runs: { label: string; n: number }[] = [];
    for (const f of found) {
      const last = runs[runs.length - 1];
      if (last?.label === f.label) last.n++;
      else runs.push({ label: f.label, n: 1 });
    }
    const shown = runs.slice(0, MAX_NAMES);
    const more = runs.slice(MAX_NAMES).reduce((n, r) => n + r.n, 0);
    const label = shown.map((r) => (r.n > 1 ? `${r.label} ×${r.n}` : r.label)).join(', ') + (more > 0 ? ` +${more}` : '');
    return { label: rdb ? `${label} · ${rdb}` : label, kind: found[0].kind };
  }

  /** Consumes from data[i]; returns where it stopped. */
  private step(data: Uint8Array, i: number): number {
    switch (this.state) {
      case 'start': {
        const c = data[i];
        this.text = '';
        this.current = null;
        if (c === 0x2a /* * */) this.state = 'count';
        else if (c === 0x24 /* $ */) this.state = 'rdbhead';
        else if (c === LF) {
          this.name({ label: '\\n', kind: 'newline' });
          return i + 1;
        } else if (c === CR) return i + 1;
        else {
          this.state = 'line';
          return i; // the line keeps its first byte (+OK, -ERR, an inline command)
        }
        return i + 1;
      }
      case 'line':
      case 'count':
      case 'arglen':
      case 'rdbhead': {
        const end = data.indexOf(LF, i);
        const stop = end < 0 ? data.length : end;
        if (this.text.length < LINE_KEEP) this.text += ascii(data, i, Math.min(stop, i + LINE_KEEP - this.text.length));
        if (end < 0) return data.length;
        this.endOfLine(this.text.replace(/\r$/, ''));
        return end + 1;
      }
      case 'arg': {
        const take = Math.min(this.bytesLeft, data.length - i);
        // The first two arguments name the command (REPLCONF ACK); the rest are skipped.
        if (this.args.length < 2 && this.arg.length < ARG_KEEP) this.arg += ascii(data, i, i + Math.min(take, ARG_KEEP - this.arg.length));
        this.bytesLeft -= take;
        if (this.bytesLeft === 0) this.endOfArg();
        return i + take;
      }
      case 'rdb': {
        const take = Math.min(this.bytesLeft, data.length - i);
        this.bytesLeft -= take;
        this.rdbBytes += take;
        if (this.bytesLeft === 0) this.state = 'start';
        return i + take;
      }
      case 'rdbeof': {
        // As a replica does: the payload ends when the last bytes read are the mark.
        this.rdbBytes += data.length - i;
        this.tail = (this.tail + ascii(data, Math.max(i, data.length - EOF_MARK_SIZE), data.length)).slice(-EOF_MARK_SIZE);
        if (this.tail === this.mark) this.state = 'start';
        return data.length;
      }
    }
  }

  private endOfLine(line: string): void {
    const state = this.state;
    this.state = 'start';
    this.text = '';
    if (state === 'line') {
      // A reply line: its first word (+FULLRESYNC, +CONTINUE, +PONG, -ERR); otherwise an inline command.
      const word = line.split(' ')[0];
      if (line[0] === '+' || line[0] === '-' || line[0] === ':') this.name({ label: word, kind: 'reply' });
      else if (word) this.command([word, line.split(' ')[1] ?? '']);
      return;
    }
    if (state === 'count') {
      const n = Number(line);
      if (!(n > 0)) return;
      this.argsLeft = n;
      this.args = [];
      this.state = 'arglen';
      return;
    }
    if (state === 'arglen') {
      const len = Number(line.slice(1));
      if (line[0] !== '$' || !(len >= 0)) return; // not RESP as expected: start over at the next byte
      this.bytesLeft = len + 2; // the argument, then CRLF
      this.arg = '';
      this.state = 'arg';
      return;
    }
    // rdbhead
    if (line.startsWith('EOF:') && line.length === 4 + EOF_MARK_SIZE) {
      this.mark = line.slice(4);
      this.tail = '';
      this.state = 'rdbeof';
      this.current = { label: 'RDB', kind: 'rdb' };
      return;
    }
    const len = Number(line);
    if (len > 0) {
      this.bytesLeft = len;
      this.state = 'rdb';
      this.current = { label: 'RDB', kind: 'rdb' };
    }
  }

  private endOfArg(): void {
    if (this.args.length < 2) {
      this.args.push(this.arg.replace(/\r?\n?$/, ''));
      if (this.args.length === 1) this.command([this.args[0], '']);
      else if (this.current?.label === 'REPLCONF') {
        // Its subcommand is known only now (REPLCONF ACK): the frame is named again.
        const named = this.found.lastIndexOf(this.current);
        if (named >= 0) this.found.splice(named, 1);
        this.command(this.args);
      }
    }
    this.state = --this.argsLeft > 0 ? 'arglen' : 'start';
  }

  /** Names a command frame by its name (and REPLCONF's subcommand). */
  private command([name, sub]: readonly string[]): void {
    const upper = name.toUpperCase();
    if (upper === 'REPLCONF' && sub) {
      const s = sub.toUpperCase();
      this.name({ label: `REPLCONF ${s}`, kind: s === 'ACK' || s === 'GETACK' ? 'ack' : 'command' });
    } else this.name({ label: upper, kind: upper === 'PING' ? 'ping' : 'command' });
  }

  private name(label: PacketLabel): void {
    this.current = label;
    this.found.push(label);
  }
}

function ascii(data: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(data[i]);
  return s;
}

function formatSize(n: number): string {
  return n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`;
}

/** Scanners by connection and direction; old ones are dropped past a bound (connections come and go). */
export class PacketLabeller {
  private readonly streams = new Map<string, StreamScanner>();
  static readonly MAX_STREAMS = 256;

  /** Every segment must be given, in the order it arrived, for the names to stay right. */
  label(socketId: number, toPort: number, data: Uint8Array): PacketLabel | null {
    const key = `${socketId}>${toPort}`;
    let scanner = this.streams.get(key);
    if (!scanner) {
      scanner = new StreamScanner();
      this.streams.set(key, scanner);
      if (this.streams.size > PacketLabeller.MAX_STREAMS) this.streams.delete(this.streams.keys().next().value!);
    }
    return scanner.scan(data);
  }
}
