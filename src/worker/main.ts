// The Web Worker entry: a thin shell around WorkerHost.
import { WorkerHost } from './host.ts';
import { isToWorker, type FromWorker } from '../protocol/messages.ts';

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
});

self.onmessage = (event: MessageEvent) => {
  if (isToWorker(event.data)) host.handle(event.data);
};
