import fs from 'node:fs';
import { fromProjectRoot } from './util/project-root.ts';

const pkg = JSON.parse(fs.readFileSync(fromProjectRoot('package.json'), 'utf8')) as { version: string };

export const VERSION: string = pkg.version;
/** Set by release builds; "unknown" in a source checkout. */
export const COMMIT: string = process.env.TRIBUTARY_COMMIT ?? 'unknown';
