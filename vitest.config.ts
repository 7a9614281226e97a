import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (*.test.ts); integration tests live in test/integration and
// talk to real PostgreSQL, MariaDB and Kafka servers that test/services provisions once per run.
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
      'test/**/*.test.ts',
    ],
    globalSetup: ['test/setup/global-setup.ts'],
    // fails the test during which a promise rejection went unhandled (test/setup/unhandled-rejections.ts);
    // runs the cleanups helpers register, after each file's own afterAll hooks (test/setup/file-cleanup.ts)
    setupFiles: ['test/setup/unhandled-rejections.ts', 'test/setup/file-cleanup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 300_000,
    reporters: ['default'],
  },
});
