import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'actions/**/*.test.ts', 'test/**/*.test.ts'],
    // Real components (onnxruntime, the local chain) run in these tests: give them room,
    // and isolate files in forked processes so native modules never share a worker.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
