import { defineConfig } from 'vitest/config';

// End-to-end tests: a real quiverd and Debian's chromium, driven by playwright-core.
export default defineConfig({
  test: {
    include: (process.env.QUIVER_E2E_INCLUDE ?? 'e2e/*.e2e.ts').split(','),
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
