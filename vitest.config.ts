import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Redis-backed suites use unique key prefixes, so files may run in parallel.
    pool: 'forks',
    // The pages the service serves are built from src/app/pages/ first.
    globalSetup: ['tests/build-pages.setup.ts'],
  },
});
