import type { APIRoute } from 'astro';
import { listingPaths, sitemapXml } from '../lib/publish/sitemap.ts';
import { testimonialPath } from '../lib/publish/review-presentation.ts';
import { notPublished, publicPageProps } from '../lib/server/publish/public-pages.ts';

export const prerender = false;

/** Every public page, for search engines. */
export const GET: APIRoute = (context) => {
  const props = publicPageProps(context, 'sitemap');
  if (!props) return notPublished();
  const { site } = props;
  const paths = [
    '/',
    '/how-we-collect-reviews/',
    ...listingPaths(site.newest, null),
    ...site.languages.flatMap(({ locale }) => listingPaths(site.newest.filter((review) => review.locale === locale), locale)),
    ...site.reviews.map((review) => testimonialPath(review.id)),
  ];
  return new Response(sitemapXml(site.siteUrl, paths), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
