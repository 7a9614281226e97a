import { it, expect } from 'vitest';
import fs from 'node:fs';
import { renderSdkApi } from './sdk-api.ts';

it('docs/sdk-api.md is generated from the SDK sources, and every export has TSDoc', () => {
  const generated = renderSdkApi();
  expect(generated).not.toContain('*(no TSDoc)*');
  expect(fs.readFileSync(new URL('./sdk-api.md', import.meta.url), 'utf8')).toBe(generated);
}, 120_000);
