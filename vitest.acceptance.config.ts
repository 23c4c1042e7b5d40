import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The acceptance suites: black-box checks of the spec against the BUILT package (`dist/`), through
 * its public API only, as a user's code sees it. `npm run test:acceptance` builds first.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^execution-engine$/, replacement: fileURLToPath(new URL('./dist/index.js', import.meta.url)) },
      {
        find: /^execution-engine\/(\w+)$/,
        replacement: fileURLToPath(new URL('./dist/$1.js', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/acceptance/**/*.acceptance.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
