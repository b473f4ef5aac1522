// The Web Worker entry: a thin shell around WorkerHost.
import { WorkerHost } from './host.ts';
import { isToWorker, type FromWorker } from '../protocol/messages.ts';
import { IdbStore } from './idb-store.ts';

declare const self: DedicatedWorkerGlobalScope;

const host = new WorkerHost({
  post: (message: FromWorker) => {
    if (message.type === 'session.data') self.postMessage(message, [message.bytes.buffer as ArrayBuffer]);
    else self.postMessage(message);
  },
  now: () => performance.now(),
  later: (ms, fn) => {
    setTimeout(fn, ms);
  },
  // The disks survive a reload in IndexedDB; without it (some private modes) the world lasts as long as the page.
  store: typeof indexedDB === 'undefined' ? undefined : new IdbStore(indexedDB),
});

self.onmessage = (event: MessageEvent) => {
  if (isToWorker(event.data)) host.handle(event.data);
};
