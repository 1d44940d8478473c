// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import { fileURLToPath } from 'node:url';
import { reviewFormLimits } from './src/lib/collect/review-submission.ts';
import { ConfigError, parseReviewWallConfig } from './src/lib/config-schema.ts';
import { configFile, readConfigFile } from './src/lib/config.ts';
import { readLogoSize, writeLogoPngs } from './src/lib/server/publish/brand-logo.ts';

// review-wall.config.ts, or the file REVIEW_WALL_CONFIG names. A broken one (or a logo file that
// is missing) stops the build here with one line naming the file, the line or key, and what is
// wrong, and exit code 2 as the commands use. Thrown instead, Astro would retry through Vite and
// print its own multi-line report.
const file = configFile();
const publicDirectory = fileURLToPath(new URL('./public/', import.meta.url));
let rawConfig;
let business;
let logoSize;
try {
  rawConfig = await readConfigFile(file);
  ({ business } = parseReviewWallConfig(rawConfig, file.source));
  logoSize = business.logo ? await readLogoSize(publicDirectory, business.logo, file.source) : null;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

/** Puts the PNGs that emails and link previews use, drawn from the logo, into every build. */
const logoPngs = {
  name: 'review-wall-logo-pngs',
  hooks: {
    /** @param {{ dir: URL }} options */
    'astro:build:done': async ({ dir }) => {
      if (business.logo && logoSize) await writeLogoPngs(publicDirectory, business.logo, logoSize, fileURLToPath(dir));
    },
  },
};

export default defineConfig({
  // No `site`: pages take the address from SITE_URL when they are rendered (src/layouts/PublicLayout.astro),
  // so the compiled code is the same for every address.
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
  integrations: [logoPngs],
  // The build keeps the configuration it was made with, and its logo's size (src/lib/config.ts reads them from here).
  vite: {
    define: { __REVIEW_WALL_CONFIG__: JSON.stringify({ source: file.source, raw: rawConfig, logoSize }) },
    // Astro inlines a page's script under 4 KB into the HTML, which the Content-Security-Policy
    // (script-src 'self', src/lib/server/platform/security-headers.ts) would block: never a script.
    build: { assetsInlineLimit: (path) => (path.endsWith('.js') ? false : undefined) },
  },
});
