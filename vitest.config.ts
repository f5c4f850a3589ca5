import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: two test files at a time; WASM runs single-threaded per process.
    maxWorkers: 2,
    // Two workers already fill both cores; a second libtorch thread per worker would contend.
    env: { TFRAZOR_THREADS: '1' },
  },
});
