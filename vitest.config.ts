import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The package's public entry, as a plugin imports it (examples/plugin); the built package maps
  // 'tfrazor' to dist/ through package.json "exports".
  resolve: { alias: { tfrazor: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
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
