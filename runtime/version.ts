import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export const VERSION: string = pkg.version;
/** Set by release builds; "unknown" in a source checkout. */
export const COMMIT: string = process.env.TRIBUTARY_COMMIT ?? 'unknown';
