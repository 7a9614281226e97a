// `npm run build` (also run by `prepare`, so `npm ci` builds it): compiles app, runtime, connectors,
// smt, sdk and cli to dist/ (tsconfig.build.json), writes the SDK package entry (sdk/build-entry.ts),
// then the stamp cli/bin.js checks before running dist/cli/main.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, STAMP, scanSources } from './dist-freshness.js';

// Taken before tsc reads the sources: a file edited during the build leaves dist/ stale, as it is.
const sources = scanSources();
fs.rmSync(STAMP, { force: true });
const require = createRequire(import.meta.url);
const steps = [
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  ['--import', 'tsx', 'sdk/build-entry.ts'],
];
for (const args of steps) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
fs.mkdirSync(path.dirname(STAMP), { recursive: true });
fs.writeFileSync(STAMP, `${JSON.stringify(sources)}\n`);
process.stdout.write(`dist/: built from ${sources.files} source files\n`);
