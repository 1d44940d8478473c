import type { APIRoute } from 'astro';
import { buildFeed } from '../lib/publish/review-feed.ts';
import { notPublished, publicPageProps } from '../lib/server/publish/public-pages.ts';

export const prerender = false;

/** Every published testimonial, public fields only. */
export const GET: APIRoute = (context) => {
  const props = publicPageProps(context, 'feed');
  if (!props) return notPublished();
  const { site } = props;
  const ratings = site.reviews.map((review) => review.rating);
  const feed = buildFeed(site.reviews, ratings, site.config, site.incentiveText, site.siteUrl);
  return new Response(JSON.stringify(feed), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
