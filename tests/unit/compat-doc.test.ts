import fs from 'node:fs';
import { expect, it } from 'vitest';
import { COMPAT_PATH, renderCompat } from '../../scripts/gen-compat.ts';

it('docs/compat.md matches the command table and the handlers (regenerate with npx tsx scripts/gen-compat.ts)', () => {
  expect(fs.readFileSync(COMPAT_PATH, 'utf8')).toBe(renderCompat());
});
