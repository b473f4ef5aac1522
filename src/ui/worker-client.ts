// The page's side of the worker contract: starts the worker, says hello,
// feeds the store, and routes session traffic to the terminals.
import { PROTOCOL_VERSION, type FromWorker, type KeysPage, type KeysQuery, type ToWorker } from '../protocol/messages.ts';
import { useAppStore } from './store.ts';
import { ReplyReader, type Reply } from '../engine/resp/reply-reader.ts';
import { utf8 } from '../engine/bytes.ts';

export interface SessionListener {
  opened(): void;
  refused(): void;
  data(bytes: Uint8Array): void;
  closed(): void;
}

/** Bytes that are a whole buffer of their own, big enough to be worth moving rather than copying. */
function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.length >= 64 * 1024 && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

class WorkerClient {
  private worker: Worker | null = null;
  private nextSession = 1;
  private readonly listeners = new Map<number, SessionListener>();
  private nextSimId = 1;
  private readonly simReplies = new Map<number, { resolve: (reply: Reply) => void; alert: boolean }>();
  private nextKeysId = 1;
  private readonly keyPages = new Map<number, (page: KeysPage) => void>();

  start(): void {
    if (this.worker) return;
    this.worker = new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => useAppStore.getState().setWorkerError(e.message || 'the worker failed to start');
    this.send({ type: 'hello', version: PROTOCOL_VERSION, epochMs: Date.now() });
  }

  send(message: ToWorker): void {
    if (message.type === 'session.write') this.worker?.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
    // A file given to SIM LOAD (megabytes) moves to the worker instead of being copied.
    else if (message.type === 'sim') this.worker?.postMessage(message, message.argv.filter(ownsBuffer).map((a) => a.buffer as ArrayBuffer));
    else this.worker?.postMessage(message);
  }

  /** A page of a node's keys, read by the worker without running a command. */
  keys(query: KeysQuery): Promise<KeysPage> {
    const id = this.nextKeysId++;
    return new Promise((resolve) => {
      this.keyPages.set(id, resolve);
      this.send({ type: 'keys', id, query });
    });
  }

  /** Runs a SIM control command (DESIGN.md 2.2), e.g. sim('KILL', '6380'); an error reply shows as the page's alert. */
  sim(...args: string[]): Promise<Reply> {
    return this.simArgv(args.map(utf8), true);
  }

  /**
   * Runs a SIM command given as argument bytes (without the leading SIM);
   * with `alert` false an error reply is only returned, for views that show
   * replies themselves (the world console, the node actions).
   */
  simArgv(args: readonly Uint8Array[], alert = false): Promise<Reply> {
    const id = this.nextSimId++;
    return new Promise((resolve) => {
      this.simReplies.set(id, { resolve, alert });
      this.send({ type: 'sim', id, argv: [utf8('SIM'), ...args] });
    });
  }

  openSession(port: number, listener: SessionListener): number {
    const session = this.nextSession++;
    this.listeners.set(session, listener);
    this.send({ type: 'session.open', session, port });
    return session;
  }

  forget(session: number): void {
    this.listeners.delete(session);
  }

  private receive(message: FromWorker): void {
    const store = useAppStore.getState();
    switch (message.type) {
      case 'ready':
        if (message.version !== PROTOCOL_VERSION) store.setWorkerError('worker protocol mismatch: reload the page');
        // A second 'ready' is a fresh world (SIM SEED): what the page kept of the old one goes.
        store.resetWorld();
        store.applySnapshot(message.snapshot, message.logs);
        return;
      case 'patch':
        store.applySnapshot(message.snapshot, message.logs, message.events, message.packets);
        return;
      case 'session.opened':
        return this.listeners.get(message.session)?.opened();
      case 'session.refused':
        this.listeners.get(message.session)?.refused();
        this.listeners.delete(message.session);
        return;
      case 'session.data':
        return this.listeners.get(message.session)?.data(message.bytes);
      case 'session.closed':
        this.listeners.get(message.session)?.closed();
        this.listeners.delete(message.session);
        return;
      case 'sim.reply': {
        const reader = new ReplyReader();
        reader.feed(message.bytes);
        const reply = reader.next();
        const waiting = this.simReplies.get(message.id);
        this.simReplies.delete(message.id);
        if (reply && waiting) waiting.resolve(reply);
        if (reply?.type === 'error' && waiting?.alert !== false) store.setWorkerError(String.fromCharCode(...reply.text));
        return;
      }
      case 'keys.page': {
        const resolve = this.keyPages.get(message.id);
        this.keyPages.delete(message.id);
        return resolve?.(message.page);
      }
      case 'storage':
        // A later failure to save keeps what start-up said.
        return store.setStorage({ restored: message.restored || (store.storage?.restored ?? false), error: message.error });
      case 'error':
        return store.setWorkerError(message.message);
    }
  }
}

export const workerClient = new WorkerClient();
