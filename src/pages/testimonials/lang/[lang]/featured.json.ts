import type { APIRoute } from 'astro';
import { buildWidgetFeed } from '../../../../lib/publish/review-feed.ts';
import { isLocale } from '../../../../lib/locales.ts';
import { notPublished, publicPageProps } from '../../../../lib/server/publish/public-pages.ts';

export const prerender = false;

/** The widget's feed of one language (data-lang): its featured testimonials first, then its newest. */
export const GET: APIRoute = (context) => {
  const props = publicPageProps(context, 'widget-feed');
  if (!props || !isLocale(props.locale)) return notPublished();
  const { site } = props;
  const feed = buildWidgetFeed(site.reviews, site, site.config, site.siteUrl, props.locale);
  return new Response(JSON.stringify(feed), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
