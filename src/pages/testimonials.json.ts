import type { APIRoute } from 'astro';
import { buildFeed } from '../lib/publish/review-feed.ts';
import { loadPublicSite } from '../lib/server/publish/public-site.ts';

/** Every published testimonial, public fields only. */
export const GET: APIRoute = async () => {
  const site = await loadPublicSite();
  const feed = buildFeed(site.reviews, site, site.config, site.siteUrl);
  return new Response(JSON.stringify(feed), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
