import { getConfig } from '../../config.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { describeCollection, type CollectionDescription } from '../../publish/collection.ts';
import { getDatabase } from '../platform/database.ts';
import { getEnvironment } from '../platform/env.ts';
import { loadReviewsForBuild, type PublicReview } from './public-reviews.ts';

/** Everything a prerendered public page needs, read once per build. */
export interface PublicSite {
  config: ReviewWallConfig;
  /** Absolute base URL without a trailing slash (SITE_URL). */
  siteUrl: string;
  /** Approved reviews, featured first, then newest. */
  reviews: PublicReview[];
  /** The same reviews newest first, featured or not (the listings' order). */
  newest: PublicReview[];
  /** The ratings of every approved review, for an average where one is allowed. */
  ratings: number[];
  /** How the approved reviews were collected, from the invitations they came through (not from the config). */
  collection: CollectionDescription;
  /** Languages that have at least one approved review, most reviews first. */
  languages: { locale: string; count: number }[];
}

/** Loads the public site's data for a build. */
export async function loadPublicSite(): Promise<PublicSite> {
  const config = getConfig();
  const env = getEnvironment();
  const { reviews, newest, invitations } = await loadReviewsForBuild(getDatabase, env.UPLOAD_DIR);
  const counts = new Map<string, number>();
  for (const review of reviews) counts.set(review.locale, (counts.get(review.locale) ?? 0) + 1);
  const languages = [...counts].map(([locale, count]) => ({ locale, count })).sort((a, b) => b.count - a.count || a.locale.localeCompare(b.locale));
  return {
    config,
    siteUrl: env.SITE_URL,
    reviews,
    newest,
    ratings: reviews.map((review) => review.rating),
    collection: describeCollection(invitations),
    languages,
  };
}
