/** docs/errors.md lists every error code the code base raises. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const FOLDERS = ['runtime', 'connectors', 'smt', 'sdk', 'cli', 'app'];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('docs/errors.md', () => {
  it('documents every TRIB_ERR_ code raised in the code base', () => {
    const used = new Set<string>();
    for (const file of FOLDERS.flatMap((f) => sourceFiles(path.join(ROOT, f)))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(TRIB_ERR_[A-Z0-9_]+)'/g)) used.add(m[1]);
    }
    const documented = new Set(
      [...fs.readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8').matchAll(/\| `(TRIB_ERR_[A-Z0-9_]+)` \|/g)].map(
        (m) => m[1],
      ),
    );
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((c) => !documented.has(c)).sort()).toEqual([]);
  });
});
