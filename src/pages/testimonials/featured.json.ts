import type { APIRoute } from 'astro';
import { buildWidgetFeed } from '../../lib/publish/review-feed.ts';
import { notPublished, publicPageProps } from '../../lib/server/publish/public-pages.ts';

export const prerender = false;

/** The widget's small feed: the featured testimonials first, then the newest; public fields only. */
export const GET: APIRoute = (context) => {
  const props = publicPageProps(context, 'widget-feed');
  if (!props) return notPublished();
  const { site } = props;
  // The collection and the average cover every published review, not only the few shown.
  const feed = buildWidgetFeed(site.reviews, site, site.config, site.siteUrl, null);
  return new Response(JSON.stringify(feed), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
