/**
 * The package root (package.json, examples/, the console's static files), the same whether this
 * module runs from the sources or compiled to dist/ (`npm run build`): non-TypeScript assets are not
 * copied into dist/, so code reading them resolves from here instead of its own import.meta.url.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleFile = fileURLToPath(import.meta.url);
// <root>/runtime/util/project-root.ts, or <root>/dist/runtime/util/project-root.js when compiled.
const levelsUp = moduleFile.endsWith('.js') ? 3 : 2;

export const PROJECT_ROOT: string = path.resolve(path.dirname(moduleFile), ...Array<string>(levelsUp).fill('..'));

/** A path inside the package root, e.g. `fromProjectRoot('examples', 'quickstart')`. */
export function fromProjectRoot(...segments: string[]): string {
  return path.join(PROJECT_ROOT, ...segments);
}
