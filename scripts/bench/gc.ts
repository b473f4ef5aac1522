// A full garbage collection on demand, between a benchmark's setup and its
// timed part, so that what the setup (or an earlier benchmark) left for the
// collector does not land in the figures. Node exposes gc() only under
// --expose-gc; the flag can be set at run time and gc() taken from a fresh
// context.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null = null;

export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
