/**
 * Every test file: a promise rejected with no handler (or an uncaught exception) fails the test
 * during which it happened, naming it. In a worker process such a rejection ends the process
 * (Node's default), so none may exist anywhere; vitest alone would only report it for the whole run.
 */
import { afterAll, afterEach } from 'vitest';

const seen: Array<{ kind: string; reason: unknown }> = [];
process.on('unhandledRejection', (reason) => {
  seen.push({ kind: 'unhandled rejection', reason });
});

function describeAll(list: Array<{ kind: string; reason: unknown }>): string {
  return list
    .map(
      ({ kind, reason }) => `${kind}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    )
    .join('\n');
}

function check(): void {
  if (seen.length === 0) return;
  const list = seen.splice(0);
  throw new Error(
    `${list.length} unhandled promise rejection(s) during this test (a worker process would exit on it):\n${describeAll(list)}`,
  );
}

afterEach(async () => {
  // rejections surface a turn after the promise settles
  await new Promise((resolve) => setImmediate(resolve));
  check();
});

afterAll(check);
