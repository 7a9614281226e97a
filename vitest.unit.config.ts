import { defineConfig } from 'vitest/config';

// Tests that need no external server (unit tests and runtime tests on the embedded log). `npm run test:unit`; the full suite is `npm test`.
export default defineConfig({
  test: {
    include: [
      'app/**/*.test.ts',
      'runtime/**/*.test.ts',
      'connectors/**/*.test.ts',
      'smt/**/*.test.ts',
      'sdk/**/*.test.ts',
      'cli/**/*.test.ts',
      'docs/**/*.test.ts',
      'test/runtime/**/*.test.ts',
    ],
    // fails the test during which a promise rejection went unhandled (test/setup/unhandled-rejections.ts)
    setupFiles: ['test/setup/unhandled-rejections.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
