import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { '@closeloop/contract': fileURLToPath(new URL('../../packages/contract/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Setup migrates a fresh database per file; on a loaded 2-core machine PGlite needs over a minute.
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
