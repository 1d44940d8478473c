import type { APIRoute } from 'astro';
import { buildFeed } from '../lib/publish/review-feed.ts';
import { notPublished, publicPageProps } from '../lib/server/publish/public-pages.ts';

export const prerender = false;

/** Every published testimonial, public fields only. */
export const GET: APIRoute = (context) => {
  const props = publicPageProps(context, 'feed');
  if (!props) return notPublished();
  const { site } = props;
  const feed = buildFeed(site.reviews, site, site.config, site.siteUrl);
  return new Response(JSON.stringify(feed), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
