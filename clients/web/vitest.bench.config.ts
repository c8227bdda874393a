import { defineConfig } from 'vitest/config';

// scripts/bench: timings with the real browser against quiverd with the 10M-row demo.
export default defineConfig({
  test: {
    include: ['e2e/*.measure.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
