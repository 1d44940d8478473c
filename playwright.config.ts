import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

// Tests run with their own configuration, whatever the business wrote in review-wall.config.ts.
process.env.REVIEW_WALL_CONFIG = fileURLToPath(new URL('./test/fixtures/review-wall.config.ts', import.meta.url));
// Publishes into a fresh SITE_DIR take the compiled code from a cache shared by all tests
// (src/lib/server/publish/code-build.ts) instead of running `astro build` for each one
// (REVIEW_WALL_CODE_CACHE= with no value turns that off).
process.env.REVIEW_WALL_CODE_CACHE ??= fileURLToPath(new URL('./node_modules/.cache/review-wall-code/', import.meta.url));

// Browser downloads are impossible here: drive Debian's Chromium.
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  // Some tests wait for a whole Astro build, which a busy two-core machine can take minutes over.
  timeout: 240_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
  },
});
