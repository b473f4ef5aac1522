// A fake replica over a raw socket: it does the replica's side of the
// handshake with a real redis-server master (redis-facts.md 2.3 to 2.5),
// skips the diskless RDB payload, ACKs it so that the master starts
// streaming (see ack()), and from then on keeps every byte of the
// replication stream.
// It never ACKs again: run the master with a repl-timeout longer than the
// capture, or it drops this replica after repl-timeout seconds.
import net from 'node:net';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const command = (...args: string[]) => Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);

export class FakeReplica {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private closed = false;
  /** Where the stream starts: the offset of +FULLRESYNC (the stream's first byte is offset + 1). */
  fullSyncOffset = -1;
  replid = '';

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  /** Connects, handshakes, skips the payload and ACKs it: the stream flows from then on. */
  static async attach(port: number, timeoutMs = 10_000): Promise<FakeReplica> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    const r = new FakeReplica(socket);
    try {
      await r.handshake(timeoutMs);
    } catch (e) {
      r.close();
      throw e;
    }
    return r;
  }

  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const expectLine = async (sent: string, want: RegExp): Promise<RegExpExecArray> => {
      const line = await this.line(deadline);
      const m = want.exec(line);
      if (!m) throw new Error(`the master answered ${JSON.stringify(line)} to ${sent}`);
      return m;
    };
    this.socket.write(command('PING'));
    await expectLine('PING', /^\+PONG$/);
    this.socket.write(command('REPLCONF', 'listening-port', String(this.socket.localPort ?? 0)));
    await expectLine('REPLCONF listening-port', /^\+OK$/);
    this.socket.write(command('REPLCONF', 'capa', 'eof', 'capa', 'psync2'));
    await expectLine('REPLCONF capa', /^\+OK$/);
    this.socket.write(command('PSYNC', '?', '-1'));
    const full = await expectLine('PSYNC ? -1', /^\+FULLRESYNC ([0-9a-f]{40}) (\d+)$/);
    this.replid = full[1];
    this.fullSyncOffset = Number(full[2]);
    // Newlines are keepalives the master may send before the payload.
    let header = '';
    while (header === '') header = await this.line(deadline);
    const eof = /^\$EOF:(.{40})$/.exec(header);
    if (!eof) throw new Error(`expected a diskless payload ($EOF:<mark>), got ${JSON.stringify(header)}`);
    const mark = Buffer.from(eof[1], 'latin1');
    // The payload ends with the mark; nothing follows it until our first ACK.
    await this.until(deadline, 'the end of the RDB payload', () => this.buf.length >= 40 && this.buf.subarray(this.buf.length - 40).equals(mark));
    this.buf = Buffer.alloc(0);
    this.ack();
  }

  /**
   * REPLCONF ACK <full sync offset>. The master starts streaming on the
   * first ACK that reaches it once it has marked this replica online; an
   * ACK that arrives before it noticed the fork's exit is only recorded
   * (observed), so send another once INFO shows state=online.
   */
  ack(): void {
    this.socket.write(command('REPLCONF', 'ACK', String(this.fullSyncOffset)));
  }

  /** The stream bytes received so far that were not taken yet. */
  get pending(): number {
    return this.buf.length;
  }

  /** Waits (bounded) until `n` stream bytes are pending, then takes exactly those. */
  async take(n: number, timeoutMs = 5000): Promise<Uint8Array> {
    await this.until(Date.now() + timeoutMs, `${n} bytes of replication stream`, () => this.buf.length >= n);
    const out = new Uint8Array(this.buf.subarray(0, n));
    this.buf = this.buf.subarray(n);
    return out;
  }

  close(): void {
    this.socket.destroy();
  }

  private async line(deadline: number): Promise<string> {
    let at = -1;
    await this.until(deadline, 'a line from the master', () => (at = this.buf.indexOf(0x0a)) >= 0);
    const line = text(this.buf.subarray(0, at)).replace(/\r$/, '');
    this.buf = this.buf.subarray(at + 1);
    return line;
  }

  private async until(deadline: number, what: string, done: () => boolean): Promise<void> {
    while (!done()) {
      if (this.closed) throw new Error(`the master closed the connection while the fake replica waited for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
