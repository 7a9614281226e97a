#!/usr/bin/env node
// Runs the compiled CLI (dist/, `npm run build`) when it was built from the current sources, else the
// TypeScript sources through tsx's loader (a checkout being edited; tests run the sources directly).
import { distState, entryChoice } from './dist-freshness.js';

const { run, note } = entryChoice(process.env.TRIBUTARY_RUN_SOURCES ? 'absent' : distState(), process.env);
let main;
if (run === 'dist') {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  if (note) process.stderr.write(note);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
