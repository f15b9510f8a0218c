import { defineConfig } from 'vitest/config';

const ALL = ['src/**/*.test.ts', 'actions/**/*.test.ts', 'test/**/*.test.ts'];

/**
 * Files whose assertions rest on measured time (speed ratios, intervals reaching a precision,
 * download deadlines, the demo's verdicts): they run after everything else, one file at a
 * time, so no other test file competes with the CPU they measure on.
 */
const TIMED = [
  'src/bench/bench.test.ts',
  'src/bench/download.test.ts',
  'src/bench/load.test.ts',
  'src/bench/precision.test.ts',
  'src/bench/resident.test.ts',
  'src/cli/bench.test.ts',
  'src/demo/demo.test.ts',
];

export default defineConfig({
  test: {
    // Real components (onnxruntime, the local chain) run in these tests: give them room,
    // and isolate files in forked processes so native modules never share a worker.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        // Most files wait on chains, child processes and git as much as they compute: two at a
        // time on two cores (vitest's default would be one).
        test: {
          name: 'parallel',
          include: ALL,
          exclude: TIMED,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'timed', include: TIMED, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
