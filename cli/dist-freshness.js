// Whether dist/ (the compiled JavaScript of `npm run build`) matches the TypeScript sources.
// The build writes dist/.build-stamp.json with the newest source modification time and the number of
// source files, taken before tsc reads them; cli/bin.js compares that against a fresh scan (a few ms)
// and runs the sources through tsx instead when anything is newer, added or removed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP = path.join(ROOT, 'dist', '.build-stamp.json');
const SOURCE_DIRS = ['app', 'runtime', 'connectors', 'smt', 'sdk', 'cli'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];

function scanDir(dir, acc) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (entry.isDirectory()) {
      if (name !== 'node_modules') scanDir(path.join(dir, name), acc);
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      acc.files++;
      const t = fs.statSync(path.join(dir, name)).mtimeMs;
      if (t > acc.newestMtimeMs) acc.newestMtimeMs = t;
    }
  }
}

/** The newest modification time and count of the sources the build compiles. */
export function scanSources(root = ROOT) {
  const acc = { newestMtimeMs: 0, files: 0 };
  for (const dir of SOURCE_DIRS) scanDir(path.join(root, dir), acc);
  for (const file of CONFIG_FILES)
    acc.newestMtimeMs = Math.max(acc.newestMtimeMs, fs.statSync(path.join(root, file)).mtimeMs);
  return acc;
}

/** 'fresh' (dist/ built from the current sources), 'stale' or 'absent'. */
export function distState(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, 'dist', '.build-stamp.json'), 'utf8'));
  } catch {
    return 'absent';
  }
  const now = scanSources(root);
  return now.newestMtimeMs <= stamp.newestMtimeMs && now.files === stamp.files ? 'fresh' : 'stale';
}

/**
 * What cli/bin.js runs: dist/ when it is fresh, else the sources through tsx, with a one-line note for
 * a person when dist/ exists but is stale (under vitest, VITEST set, the sources run by design and
 * the note would only disturb the tests' stderr checks). TRIBUTARY_RUN_SOURCES=1 forces the sources.
 */
export function entryChoice(state, env) {
  if (env.TRIBUTARY_RUN_SOURCES) return { run: 'sources', note: null };
  if (state === 'fresh') return { run: 'dist', note: null };
  const note =
    state === 'stale' && !env.VITEST
      ? 'tributary: dist/ is older than the sources, running them through tsx (npm run build to refresh)\n'
      : null;
  return { run: 'sources', note };
}
