import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on two cores is one worker; most tests wait on child processes (npm, servers, builds).
    maxWorkers: 2,
    // Test workers load drizzle-orm like the commands do: the same faster start (scripts/node-startup.mjs).
    execArgv: ['--import', fileURLToPath(new URL('./scripts/node-startup.mjs', import.meta.url))],
    // Tests run with their own configuration, whatever the business wrote in review-wall.config.ts.
    // Publishes into a fresh SITE_DIR take the compiled code from a cache shared by all tests
    // (src/lib/server/publish/code-build.ts) instead of running `astro build` for each one
    // (REVIEW_WALL_CODE_CACHE= with no value turns that off).
    env: {
      REVIEW_WALL_CONFIG: fileURLToPath(new URL('./test/fixtures/review-wall.config.ts', import.meta.url)),
      REVIEW_WALL_CODE_CACHE: process.env.REVIEW_WALL_CODE_CACHE ?? fileURLToPath(new URL('./node_modules/.cache/review-wall-code/', import.meta.url)),
    },
  },
});
