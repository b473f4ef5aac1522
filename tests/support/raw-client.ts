// A byte-exact client: sends raw bytes, returns the exact reply bytes.
import net from 'node:net';
import { ReplyReader, encodeCommand, type Reply } from '../../src/engine/resp/reply-reader.ts';

export class RawClient {
  private reader = new ReplyReader();
  private waiters: Array<() => void> = [];
  private closed = false;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.reader.feed(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Reads one whole reply; its exact bytes too. Fails after timeoutMs. */
  async read(timeoutMs = 5000): Promise<{ reply: Reply; bytes: Uint8Array }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.reader.nextRaw();
      if (got) return got;
      if (this.closed) throw new Error('connection closed before a whole reply arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no whole reply within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until the peer closes the connection (bounded). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  async command(...args: (string | Uint8Array)[]): Promise<Reply> {
    this.write(encodeCommand(args.map((a) => (typeof a === 'string' ? Buffer.from(a) : a))));
    return (await this.read()).reply;
  }

  close(): void {
    this.socket.destroy();
  }
}
