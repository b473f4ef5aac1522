// Plain quicklist nodes in tests: an element of packed_threshold bytes or
// more gets a node of its own, and that threshold is 1 GB unless lowered
// (DEBUG QUICKLIST-PACKED-THRESHOLD on the real server). The engine has no
// DEBUG command yet, so a test mocks keyspace/list.ts with this, which sets
// the threshold on every list the engine creates:
//   vi.mock('../../src/engine/keyspace/list.ts', async (importOriginal) =>
//     (await import('../support/packed-threshold.ts')).withPackedThreshold(await importOriginal(), () => THRESHOLD));
import type * as ListModule from '../../src/engine/keyspace/list.ts';

export function withPackedThreshold(original: typeof ListModule, threshold: () => number): typeof ListModule {
  return {
    ...original,
    newListValue: (fill: number, compress: number) => {
      const value = original.newListValue(fill, compress);
      value.list.packedThreshold = threshold();
      return value;
    },
  };
}
