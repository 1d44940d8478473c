import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReviewWallConfigInput } from '../../src/lib/config-schema.ts';
import testConfig from '../fixtures/review-wall.config.ts';

/**
 * The configuration file every test runs with, whatever the business wrote in its own
 * review-wall.config.ts: vitest.config.ts, playwright.config.ts and test/helpers/app.ts pass it
 * as REVIEW_WALL_CONFIG.
 */
export const testConfigFile = resolve(import.meta.dirname, '..', 'fixtures', 'review-wall.config.ts');

/** The test configuration as written (defaults not filled in). */
export { testConfig };

/**
 * Writes the test configuration, changed by `change`, to DIRECTORY/NAME and returns its path, to
 * pass as REVIEW_WALL_CONFIG.
 */
export function writeConfigVariant(directory: string, change: (config: ReviewWallConfigInput) => unknown, name = 'review-wall.config.ts'): string {
  const file = join(directory, name);
  writeFileSync(file, `export default ${JSON.stringify(change(structuredClone(testConfig)), null, 2)};\n`);
  return file;
}
