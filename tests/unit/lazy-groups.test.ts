// The lazy command groups (src/engine/commands/lazy-groups.ts) list the
// commands their handlers answer: a name missing from a list would be an
// unknown command in the browser, one too many a handler that throws.
import { describe, expect, it } from 'vitest';
import { LAZY_GROUPS } from '../../src/engine/commands/lazy-groups.ts';

describe('the lazy command groups', () => {
  it.each(LAZY_GROUPS.map(([part, names]) => ({ part, names })))('$part.name lists exactly the commands its handlers answer', async ({ part, names }) => {
    const handlers = part.get() ?? (await part.load());
    expect(Object.keys(handlers).sort()).toEqual([...names].sort());
  });
});
