import rawConfig from '../../review-wall.config.ts';
import { parseReviewWallConfig, type ReviewWallConfig } from './config-schema.ts';

let cached: ReviewWallConfig | undefined;

/** The site configuration from `review-wall.config.ts`, validated once. */
export function getConfig(): ReviewWallConfig {
  cached ??= parseReviewWallConfig(rawConfig);
  return cached;
}

/** The incentive text in a locale, falling back to the default text. */
export function incentiveTextFor(config: ReviewWallConfig, locale: string): string {
  return config.incentive.translations[locale as keyof typeof config.incentive.translations] ?? config.incentive.text;
}

/** The incentive as the public pages, which are in English, name it. */
export function publicIncentiveText(config: ReviewWallConfig): string {
  return incentiveTextFor(config, 'en');
}
