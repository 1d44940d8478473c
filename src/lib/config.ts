import rawConfig from '../../review-wall.config.ts';
import { parseReviewWallConfig, type ReviewWallConfig } from './config-schema.ts';
import { normalizeLocale, type Locale } from './locales.ts';

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

/** The language to write to a contact in: theirs ("pl-PL" counts as pl) if the site speaks it, else the default. */
export function contactLocale(config: ReviewWallConfig, tag: string | null | undefined): Locale {
  const normalized = normalizeLocale(tag, config.locales.default);
  return config.locales.enabled.includes(normalized) ? normalized : config.locales.default;
}
