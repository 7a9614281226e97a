import { it, expect } from 'vitest';
import fs from 'node:fs';
import { renderConfigReference } from './config-reference.ts';

it('docs/configuration.md is generated from the current ConfigDefs', async () => {
  expect(fs.readFileSync(new URL('./configuration.md', import.meta.url), 'utf8')).toBe(await renderConfigReference());
});
