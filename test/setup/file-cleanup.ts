/**
 * Every test file: cleanups that helpers register while the file runs (e.g. dropping the databases
 * they created), run once the file is done. Registered as a setup file, this module's afterAll is
 * the file's first, so it runs last (vitest runs after-hooks in reverse order): the file's own
 * afterAll hooks have stopped its workers and closed its connections by then.
 */
import { afterAll } from 'vitest';

const cleanups: Array<() => Promise<void>> = [];

/** Runs `fn` after the current test file's own afterAll hooks; a failure is logged, not raised. */
export function afterFile(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

afterAll(async () => {
  for (const fn of cleanups.splice(0).reverse())
    await fn().catch((err: unknown) => console.warn(`test file cleanup: ${(err as Error)?.message ?? String(err)}`));
});
