// Virtual time: the clock, pause and resume, a step of 100 ms, the speed
// (0.1x to 20x), and their keyboard shortcuts (space, '.'), which stay out
// of the way while a terminal, a field or a button has the focus.
import { memo, useEffect } from 'react';
import { useAppStore } from '../store.ts';
import { workerClient } from '../worker-client.ts';
import { formatSimTime } from '../format.ts';

export const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20] as const;
const STEP_US = 100_000;

const pause = () => workerClient.send({ type: 'time.pause' });
const resume = () => workerClient.send({ type: 'time.resume' });
const step = () => workerClient.send({ type: 'time.step', us: STEP_US });

/** Whether a key press belongs to what has the focus (typing, a terminal, a control). */
function focusTakesKeys(target: EventTarget | null): boolean {
  const el = target instanceof Element ? target : null;
  if (!el) return false;
  return !!el.closest('input, textarea, select, button, a, [contenteditable=""], [contenteditable="true"], [role="button"], [role="tab"], .xterm');
}

function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || focusTakesKeys(e.target)) return;
      if (e.key === ' ') {
        e.preventDefault();
        if (useAppStore.getState().snapshot?.paused) resume();
        else pause();
      } else if (e.key === '.') {
        e.preventDefault();
        step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

const Clock = memo(function Clock() {
  const timeUs = useAppStore((s) => s.snapshot?.timeUs ?? 0);
  return (
    <span className="inline-block h-5 w-[7.5rem] text-right font-mono leading-5 tabular-nums [contain:strict]" aria-label="Simulation time" role="timer">
      {formatSimTime(timeUs)}
    </span>
  );
});

export const TimeControls = memo(function TimeControls() {
  const paused = useAppStore((s) => s.snapshot?.paused ?? false);
  const speed = useAppStore((s) => s.snapshot?.speed ?? 1);
  useShortcuts();
  const speeds: number[] = SPEEDS.includes(speed as (typeof SPEEDS)[number]) ? [...SPEEDS] : [...SPEEDS, speed].sort((a, b) => a - b);
  return (
    <div className="flex items-center gap-2 text-sm" role="group" aria-label="Time controls">
      <Clock />
      {/* Both buttons keep one width so the header does not shift when they swap. */}
      {paused ? (
        <button className="btn btn-primary w-[4.75rem]" onClick={resume} title="Resume virtual time (space)">Resume</button>
      ) : (
        <button className="btn w-[4.75rem]" onClick={pause} title="Pause virtual time (space)">Pause</button>
      )}
      <button className="btn" onClick={step} title="Advance virtual time by 100 ms (.)">Step</button>
      <label className="flex items-center gap-1 text-xs text-muted">
        <span>speed</span>
        <select
          className="field"
          aria-label="Speed"
          value={String(speed)}
          onChange={(e) => workerClient.send({ type: 'time.speed', speed: Number(e.target.value) })}
        >
          {speeds.map((x) => (
            <option key={x} value={String(x)}>{x}x</option>
          ))}
        </select>
      </label>
    </div>
  );
});
