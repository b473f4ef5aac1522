// Selecting derived values from the store without re-rendering on every
// patch: the worker sends a whole new snapshot each frame, so a selector that
// builds an object returns the previous one when it is structurally equal.
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { useAppStore, type AppState } from './store.ts';

/** Structural equality of plain data (objects, arrays, primitives). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** useAppStore(selector), but a result equal to the last one keeps its identity (so memo and effects hold). */
export function useStable<T>(selector: (s: AppState) => T): T {
  const last = useRef<{ value: T } | null>(null);
  return useAppStore((s) => {
    const next = selector(s);
    if (last.current && deepEqual(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
  });
}

/**
 * useStable for views whose numbers change every frame under load but are
 * read by people (the backlog): re-renders at most once per `intervalMs`,
 * with the latest state.
 */
export function useThrottled<T>(selector: (s: AppState) => T, intervalMs: number): T {
  const last = useRef<{ value: T } | null>(null);
  const pick = useRef(selector);
  pick.current = selector;
  const subscribe = useCallback(
    (notify: () => void) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      let lastRun = 0;
      const unsubscribe = useAppStore.subscribe(() => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = null;
          lastRun = performance.now();
          notify();
        }, Math.max(0, lastRun + intervalMs - performance.now()));
      });
      return () => {
        unsubscribe();
        if (timer) clearTimeout(timer);
      };
    },
    [intervalMs],
  );
  const get = () => {
    const next = pick.current(useAppStore.getState());
    if (last.current && deepEqual(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
  };
  return useSyncExternalStore(subscribe, get);
}
