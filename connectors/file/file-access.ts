/**
 * Confines the FileStream connectors to the worker's `file.allowed.paths`: a file is allowed when,
 * made absolute, normalised (`..`) and with every symlink resolved (realpath of its deepest
 * existing ancestor), it lies inside one of the allowed directories (themselves realpath'ed).
 * Checked when a config is validated and again when a task opens the file.
 */
import fs from 'node:fs';
import path from 'node:path';

export const FILE_ALLOWED_PATHS = 'file.allowed.paths';

/**
 * The path with every symlink resolved, also where it does not exist yet (a file a sink will
 * create, a dangling symlink that would be followed on create): missing names are kept as they are.
 */
export function realPathOf(file: string, depth = 0): string {
  const abs = path.resolve(file);
  try {
    return fs.realpathSync(abs);
  } catch {
    // Some part is missing: follow a dangling symlink by hand, keep a missing name.
  }
  let link: string | null = null;
  try {
    if (fs.lstatSync(abs).isSymbolicLink()) link = fs.readlinkSync(abs);
  } catch {
    link = null;
  }
  if (link !== null && depth < 40) return realPathOf(path.resolve(path.dirname(abs), link), depth + 1);
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  return path.join(realPathOf(parent, depth), path.basename(abs));
}

function inside(candidate: string, root: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Why `file` may not be used (null: it may), naming the `file` key, the value and the fix. */
export function fileAccessError(file: string, allowedPaths: readonly string[] | undefined): string | null {
  const allowed = (allowedPaths ?? []).map((p) => p.trim()).filter(Boolean);
  if (allowed.length === 0) {
    return `Invalid value ${file} for configuration file: this worker allows no files to FileStream connectors (its ${FILE_ALLOWED_PATHS} is empty); add the directory that holds the file to ${FILE_ALLOWED_PATHS} in the worker config`;
  }
  const real = realPathOf(file);
  const roots = allowed.map((p) => realPathOf(p));
  if (roots.some((root) => inside(real, root))) return null;
  const shown = real === path.resolve(file) ? '' : ` (${real} once symlinks and .. are resolved)`;
  return `Invalid value ${file} for configuration file: the file${shown} is outside the worker's ${FILE_ALLOWED_PATHS} (${allowed.join(', ')}); use a file inside one of them or add its directory to ${FILE_ALLOWED_PATHS} in the worker config`;
}

/** The real path to open, or throws with the reason. */
export function confinedPath(file: string, allowedPaths: readonly string[] | undefined): string {
  const error = fileAccessError(file, allowedPaths);
  if (error) throw new Error(error);
  return realPathOf(file);
}
