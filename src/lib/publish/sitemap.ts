import { archivePages, listingBase, listingPagePath } from './review-presentation.ts';

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A sitemap (sitemaps.org 0.9) of absolute URLs under `siteUrl`. */
export function sitemapXml(siteUrl: string, paths: readonly string[]): string {
  const urls = paths.map((path) => `<url><loc>${`${siteUrl}${path}`.replace(/[&<>"']/g, (c) => xmlEscapes[c]!)}</loc></url>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

/**
 * Every page of the listing of all testimonials (locale null) or of one language: its first page,
 * then its archive pages from the oldest. `newestFirst` is that listing's reviews.
 */
export function listingPaths(newestFirst: readonly unknown[], locale: string | null): string[] {
  const base = listingBase(locale);
  return [base, ...archivePages(newestFirst).map((page) => listingPagePath(base, page.page))];
}
