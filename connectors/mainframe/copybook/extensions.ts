/**
 * Copybook syntax Tributary reads beyond Cobrix 2.6.9 (`copybook.extensions`). By default a
 * copybook is read as Cobrix reads it, so a copybook Cobrix rejects is rejected; each extension
 * is valid IBM COBOL that Cobrix does not implement, and is turned on by name.
 */
import { CopybookSyntaxError } from './errors.ts';

export const COPYBOOK_EXTENSIONS = ['renames', 'sync'] as const;
export type CopybookExtension = (typeof COPYBOOK_EXTENSIONS)[number];

const WHAT: Record<CopybookExtension, string> = {
  renames: 'level 66 RENAMES (kept as layout metadata: name, offset and size of the items renamed)',
  sync: 'SYNCHRONIZED (slack bytes placed before binary and floating items as IBM COBOL does)',
};

/** The extensions named by a `copybook.extensions` value, or the first unknown name. */
export function parseCopybookExtensions(names: string[]): Set<CopybookExtension> | { unknown: string } {
  const out = new Set<CopybookExtension>();
  for (const raw of names) {
    const n = raw.trim().toLowerCase();
    if (n === '') continue;
    if (!(COPYBOOK_EXTENSIONS as readonly string[]).includes(n)) return { unknown: raw.trim() };
    out.add(n as CopybookExtension);
  }
  return out;
}

/** The error for a clause of an extension that is not turned on, at the clause's line and column. */
export function extensionNotEnabled(ext: CopybookExtension, clause: string, line: number, column: number): never {
  throw new CopybookSyntaxError(
    line,
    column,
    `${clause} is not accepted by default: Cobrix 2.6.9 rejects it. To read ${WHAT[ext]}, set copybook.extensions=${ext} (CLI: --option copybook.extensions=${ext})`,
  );
}

/** Documentation of the config key. */
export const COPYBOOK_EXTENSIONS_DOC = `Copybook syntax read beyond Cobrix 2.6.9, which rejects it (the default, empty, reads copybooks as Cobrix does): ${COPYBOOK_EXTENSIONS.map((e) => `${e}: ${WHAT[e]}`).join('; ')}.`;
