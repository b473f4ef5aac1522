// The page's one store: an immutable mirror of what the worker reports,
// plus UI-local state. The UI never computes replication itself.
import { create } from 'zustand';
import type { LogEntry, WorldSnapshot } from '../protocol/messages.ts';

const MAX_LOG_LINES = 1000;

export interface AppState {
  snapshot: WorldSnapshot | null;
  logs: Record<number, LogEntry[]>;
  workerError: string | null;
  applySnapshot(snapshot: WorldSnapshot, logs: readonly LogEntry[]): void;
  setWorkerError(message: string): void;
}

export const useAppStore = create<AppState>((set) => ({
  snapshot: null,
  logs: {},
  workerError: null,
  applySnapshot: (snapshot, newLogs) =>
    set((state) => {
      if (newLogs.length === 0) return { snapshot };
      const logs = { ...state.logs };
      for (const entry of newLogs) {
        const list = (logs[entry.port] = [...(logs[entry.port] ?? []), entry]);
        if (list.length > MAX_LOG_LINES) list.splice(0, list.length - MAX_LOG_LINES);
      }
      return { snapshot, logs };
    }),
  setWorkerError: (workerError) => set({ workerError }),
}));
