import { defineConfig } from 'vitest/config';

// Unit tests only: no servers provisioned. `npm run test:unit`; the full suite is `npm test`.
export default defineConfig({
  test: {
    include: ['runtime/**/*.test.ts', 'connectors/**/*.test.ts', 'smt/**/*.test.ts', 'sdk/**/*.test.ts', 'cli/**/*.test.ts', 'docs/**/*.test.ts', 'test/unit/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
