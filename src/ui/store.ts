// The page's one store: an immutable mirror of what the worker reports,
// plus UI-local state (selection, dragged positions, theme, the network
// links last read with SIM LINKS). The UI never computes replication itself.
import { create } from 'zustand';
import type { LogEntry, PacketEntry, ReplicationEventEntry, WorldSnapshot } from '../protocol/messages.ts';

const MAX_LOG_LINES = 1000;
const MAX_EVENTS = 500;

/** A network link whose latency, bandwidth or partition differs from the default (from the snapshot). */
export interface NetLink {
  readonly a: number;
  readonly b: number;
  readonly latencyMs: number;
  readonly bandwidth: number;
  readonly partitioned: boolean;
}

/** What a node last said about its replication while it was up (kept while it is down). */
export interface LastKnown {
  readonly master: string | null;
  readonly replid: string | null;
  readonly offset: number | null;
}

/** Nodes (and the replication link) the user is looking at. */
export interface Selection {
  readonly ports: readonly number[];
  /** `<replica>-<master>` of a replication link, when an event concerning it was picked. */
  readonly link: string | null;
}

export type Theme = 'dark' | 'light';

/** What an action on a node answered (shown under the node's actions). */
export interface Outcome {
  readonly command: string;
  readonly text: string;
  readonly bad: boolean;
}

/** Where the world's disks are kept: restored from the browser's storage at start-up or not, and a failure to use it. */
export interface Storage {
  readonly restored: boolean;
  readonly error: string | null;
}

export interface AppState {
  snapshot: WorldSnapshot | null;
  /** Wall time (performance.now) when `snapshot` arrived: animations extrapolate virtual time from it. */
  snapshotWallMs: number;
  logs: Record<number, LogEntry[]>;
  /** Replication events, oldest first (the timeline). */
  events: ReplicationEventEntry[];
  /** The packets of the last patch (in flight or just arrived), for animation. */
  packets: readonly PacketEntry[];
  workerError: string | null;
  /** Last known replication facts per port, so a node that went down keeps its place. */
  lastKnown: Record<number, LastKnown>;
  netLinks: readonly NetLink[];
  selection: Selection;
  /** Topology positions the user dragged nodes to (viewBox units). */
  positions: Record<number, { x: number; y: number }>;
  theme: Theme;
  storage: Storage | null;
  /** The last action's answer per node. */
  outcomes: Record<number, Outcome>;
  /** Counts fresh worlds (SIM SEED, Reset world): views that fetched something from the old one fetch again. */
  worldGeneration: number;
  applySnapshot(snapshot: WorldSnapshot, logs: readonly LogEntry[], events?: readonly ReplicationEventEntry[], packets?: readonly PacketEntry[]): void;
  setWorkerError(message: string): void;
  /** A fresh world (SIM SEED): the old one's logs, events, packets, last known states and links go; layout and theme stay. */
  resetWorld(): void;
  setNetLinks(links: readonly NetLink[]): void;
  select(ports: readonly number[], link?: string | null): void;
  setPosition(port: number, x: number, y: number): void;
  resetPositions(): void;
  setTheme(theme: Theme): void;
  setStorage(storage: Storage): void;
  setOutcome(port: number, outcome: Outcome | null): void;
}

const THEME_KEY = 'replscope.theme';

function initialTheme(): Theme {
  try {
    return localStorage.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

function sameLastKnown(a: LastKnown | undefined, b: LastKnown): boolean {
  return !!a && a.master === b.master && a.replid === b.replid && a.offset === b.offset;
}

export const useAppStore = create<AppState>((set) => ({
  snapshot: null,
  snapshotWallMs: 0,
  logs: {},
  events: [],
  packets: [],
  workerError: null,
  lastKnown: {},
  netLinks: [],
  selection: { ports: [6379], link: null },
  positions: {},
  theme: initialTheme(),
  storage: null,
  outcomes: {},
  worldGeneration: 0,
  resetWorld: () => set((s) => ({ logs: {}, events: [], packets: [], lastKnown: {}, netLinks: [], outcomes: {}, worldGeneration: s.worldGeneration + 1 })),
  applySnapshot: (snapshot, newLogs, newEvents = [], packets = []) =>
    set((state) => {
      const events = newEvents.length === 0 ? state.events : [...state.events, ...newEvents].slice(-MAX_EVENTS);
      let lastKnown = state.lastKnown;
      for (const n of snapshot.nodes) {
        if (!n.up) continue;
        const known = { master: n.master, replid: n.replid, offset: n.offset };
        if (sameLastKnown(lastKnown[n.port], known)) continue;
        if (lastKnown === state.lastKnown) lastKnown = { ...lastKnown };
        lastKnown[n.port] = known;
      }
      // The links come with every snapshot; keep the old array when nothing changed, so views do not redraw.
      const netLinks = sameLinks(state.netLinks, snapshot.links) ? state.netLinks : snapshot.links;
      const common = { snapshot, snapshotWallMs: performance.now(), events, packets, lastKnown, netLinks };
      if (newLogs.length === 0) return common;
      // Each port that logged gets one new array per patch (views select their port's array).
      const logs = { ...state.logs };
      const copied = new Set<number>();
      for (const entry of newLogs) {
        if (!copied.has(entry.port)) {
          copied.add(entry.port);
          logs[entry.port] = [...(logs[entry.port] ?? [])];
        }
        logs[entry.port].push(entry);
      }
      for (const port of copied) {
        const list = logs[port];
        if (list.length > MAX_LOG_LINES) list.splice(0, list.length - MAX_LOG_LINES);
      }
      return { ...common, logs };
    }),
  setWorkerError: (workerError) => set({ workerError }),
  setStorage: (storage) => set({ storage }),
  setOutcome: (port, outcome) =>
    set((s) => {
      const outcomes = { ...s.outcomes };
      if (outcome) outcomes[port] = outcome;
      else delete outcomes[port];
      return { outcomes };
    }),
  setNetLinks: (netLinks) => set({ netLinks }),
  select: (ports, link = null) => set({ selection: { ports: [...ports], link } }),
  setPosition: (port, x, y) => set((s) => ({ positions: { ...s.positions, [port]: { x, y } } })),
  resetPositions: () => set({ positions: {} }),
  setTheme: (theme) => {
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch {
      /* storage may be unavailable; the theme holds for this visit */
    }
    set({ theme });
  },
}));

function sameLinks(a: readonly NetLink[], b: readonly NetLink[]): boolean {
  return (
    a.length === b.length &&
    a.every((l, i) => l.a === b[i].a && l.b === b[i].b && l.latencyMs === b[i].latencyMs && l.bandwidth === b[i].bandwidth && l.partitioned === b[i].partitioned)
  );
}
