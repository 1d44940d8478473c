import type { APIRoute } from 'astro';
import { buildFeed, selectWidgetReviews } from '../../lib/publish/review-feed.ts';
import { loadPublicSite } from '../../lib/server/publish/public-site.ts';

/** The widget's small feed: the featured testimonials first, then the newest; public fields only. */
export const GET: APIRoute = async () => {
  const site = await loadPublicSite();
  // The collection and the average cover every published review, not only the few shown.
  const feed = buildFeed(selectWidgetReviews(site.reviews), site, site.config, site.siteUrl);
  return new Response(JSON.stringify(feed), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
