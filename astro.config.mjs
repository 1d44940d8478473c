// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import { reviewFormLimits } from './src/lib/collect/review-submission.ts';
import { parseReviewWallConfig } from './src/lib/config-schema.ts';
import { configFile, readConfigFile } from './src/lib/config.ts';

// review-wall.config.ts, or the file REVIEW_WALL_CONFIG names. A broken one stops the build
// here, with one line naming the key.
const file = configFile();
const rawConfig = await readConfigFile(file);
parseReviewWallConfig(rawConfig, file.source);

export default defineConfig({
  site: process.env.SITE_URL || `http://localhost:${process.env.PORT || 4321}`,
  // Publishing builds into a fresh folder and swaps it in (see scripts/publish.ts).
  outDir: process.env.REVIEW_WALL_BUILD_DIR || './dist',
  adapter: node({ mode: 'middleware' }),
  // The review form takes a photo of up to 20 MB: bodies up to 24 MB are read so that a too-large
  // photo gets a clear message with the rest of the form kept; anything larger is refused unread
  // (by the server's body limit, src/lib/server/platform/body-limit.ts, before Astro sees it).
  security: { checkOrigin: true, actionBodySizeLimit: reviewFormLimits.postMaxBytes },
  trailingSlash: 'ignore',
  build: { inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
  // The build keeps the configuration it was made with (src/lib/config.ts reads it from here).
  vite: {
    define: { __REVIEW_WALL_CONFIG__: JSON.stringify({ source: file.source, raw: rawConfig }) },
    // Astro inlines a page's script under 4 KB into the HTML, which the Content-Security-Policy
    // (script-src 'self', src/lib/server/platform/security-headers.ts) would block: never a script.
    build: { assetsInlineLimit: (path) => (path.endsWith('.js') ? false : undefined) },
  },
});
