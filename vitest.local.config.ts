import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { include: ['test/runtime/**/*.test.ts'], pool: 'forks', testTimeout: 60000 } });
