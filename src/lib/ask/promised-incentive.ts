// The incentive an invitation promised, as its review request recorded it. The form and the
// thank-you email name this promise, not today's config: a business that changes its gift keeps
// its word to the customers it already asked.
import type { ReviewWallConfig } from '../config-schema.ts';
import { incentiveTextFor, publicIncentiveText } from '../config.ts';

/** What a review request recorded about its invitation's incentive (see db/schema.ts). */
export interface PromisedIncentive {
  /** As the public pages name it (the English text); null when sent before this was recorded. */
  incentive: string | null;
  /** Locale → text, in every language the site spoke then; null when sent before this was recorded. */
  incentiveTranslations: Record<string, string> | null;
}

/** The promise an invitation sent now makes, to be recorded on its review request. */
export function promiseOf(config: ReviewWallConfig): { incentive: string; incentiveTranslations: Record<string, string> } {
  return {
    incentive: publicIncentiveText(config),
    incentiveTranslations: Object.fromEntries(config.locales.enabled.map((locale) => [locale, incentiveTextFor(config, locale)])),
  };
}

/**
 * The incentive a request's invitation promised, in `locale`: its recorded translation; else its
 * recorded English text (for a request recorded before translations were, today's translation
 * when that text is still today's promise); else, for a request from before anything was
 * recorded, today's incentive, the best that is known.
 */
export function promisedIncentiveText(promised: PromisedIncentive, locale: string, config: ReviewWallConfig): string {
  const translated = promised.incentiveTranslations?.[locale];
  if (translated) return translated;
  if (promised.incentive === null) return incentiveTextFor(config, locale);
  if (!promised.incentiveTranslations && promised.incentive === publicIncentiveText(config)) return incentiveTextFor(config, locale);
  return promised.incentive;
}
