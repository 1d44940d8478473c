// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import rawConfig from './review-wall.config.ts';
import { reviewFormLimits } from './src/lib/collect/review-submission.ts';
import { parseReviewWallConfig } from './src/lib/config-schema.ts';

// A broken review-wall.config.ts stops the build here, with one line naming the key.
parseReviewWallConfig(rawConfig);

export default defineConfig({
  site: process.env.SITE_URL || `http://localhost:${process.env.PORT || 4321}`,
  // Publishing builds into a fresh folder and swaps it in (see scripts/publish.ts).
  outDir: process.env.REVIEW_WALL_BUILD_DIR || './dist',
  adapter: node({ mode: 'middleware' }),
  // The review form takes a photo of up to 5 MB: bodies up to 12 MB are read so that a too-large
  // photo gets a clear message with the rest of the form kept; anything larger is refused unread
  // (by the server's body limit, src/lib/server/platform/body-limit.ts, before Astro sees it).
  security: { checkOrigin: true, actionBodySizeLimit: reviewFormLimits.postMaxBytes },
  trailingSlash: 'ignore',
  build: { inlineStylesheets: 'always' },
  devToolbar: { enabled: false },
});
