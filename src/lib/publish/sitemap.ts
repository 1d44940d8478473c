import { listingPagePath, paginateList } from './review-presentation.ts';

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A sitemap (sitemaps.org 0.9) of absolute URLs under `siteUrl`. */
export function sitemapXml(siteUrl: string, paths: readonly string[]): string {
  const urls = paths.map((path) => `<url><loc>${`${siteUrl}${path}`.replace(/[&<>"']/g, (c) => xmlEscapes[c]!)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/** Every page of every language listing. */
export function languageListingPaths(reviews: readonly { locale: string }[], locales: readonly string[]): string[] {
  return locales.flatMap((locale) =>
    paginateList(reviews.filter((review) => review.locale === locale)).map((page) => listingPagePath(`/testimonials/lang/${locale}/`, page.page)),
  );
}
