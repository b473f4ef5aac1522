// The page's one store: an immutable mirror of what the worker reports,
// plus UI-local state. The UI never computes replication itself.
import { create } from 'zustand';
import type { LogEntry, PacketEntry, ReplicationEventEntry, WorldSnapshot } from '../protocol/messages.ts';

const MAX_LOG_LINES = 1000;
const MAX_EVENTS = 500;

export interface AppState {
  snapshot: WorldSnapshot | null;
  logs: Record<number, LogEntry[]>;
  /** Replication events, oldest first (the timeline). */
  events: ReplicationEventEntry[];
  /** The packets of the last patch (in flight or just arrived), for animation. */
  packets: readonly PacketEntry[];
  workerError: string | null;
  applySnapshot(snapshot: WorldSnapshot, logs: readonly LogEntry[], events?: readonly ReplicationEventEntry[], packets?: readonly PacketEntry[]): void;
  setWorkerError(message: string): void;
}

export const useAppStore = create<AppState>((set) => ({
  snapshot: null,
  logs: {},
  events: [],
  packets: [],
  workerError: null,
  applySnapshot: (snapshot, newLogs, newEvents = [], packets = []) =>
    set((state) => {
      const events = newEvents.length === 0 ? state.events : [...state.events, ...newEvents].slice(-MAX_EVENTS);
      if (newLogs.length === 0) return { snapshot, events, packets };
      const logs = { ...state.logs };
      for (const entry of newLogs) {
        const list = (logs[entry.port] = [...(logs[entry.port] ?? []), entry]);
        if (list.length > MAX_LOG_LINES) list.splice(0, list.length - MAX_LOG_LINES);
      }
      return { snapshot, logs, events, packets };
    }),
  setWorkerError: (workerError) => set({ workerError }),
}));
