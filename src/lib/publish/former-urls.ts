// Testimonials published before public ids existed lived at /testimonials/ROW_ID/. Those old
// addresses keep working, and only those: each build has a small redirect page at the old address
// of every such review still published, which any static host or CDN serves as it is (browsers
// and search engines follow it at once), and which the site server answers with a 301 instead.
// Reviews published since have no such page, so no row id can be learned from the site.

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** How the redirect page names its target; the site server reads it back with `formerUrlTarget`. */
const refreshPattern = /<meta http-equiv="refresh" content="0; url=(\/testimonials\/[0-9a-f]{16}\/)">/;

/** The row id a request for a former testimonial address names (`/testimonials/7/`, `/testimonials/7`, `…/index.html`), or null. */
export function formerTestimonialId(pathname: string): number | null {
  const match = /^\/testimonials\/([1-9]\d{0,11})(?:\/|\/index\.html)?$/.exec(pathname);
  return match ? Number(match[1]) : null;
}

/**
 * The page at a former address: an immediate refresh to `targetPath`, with the new address as
 * canonical and `noindex`, which search engines treat as a permanent redirect.
 */
export function formerUrlPage(targetPath: string, siteUrl: string): string {
  // Public ids are 16 hex characters (the review_public_ids migration): nothing here needs escaping, and the
  // server's reading of the page depends on it.
  if (!/^\/testimonials\/[0-9a-f]{16}\/$/.test(targetPath)) throw new Error(`not the path of a testimonial by public id: ${targetPath}`);
  const target = targetPath;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<meta charset="utf-8">',
    '<title>This testimonial has moved</title>',
    '<meta name="robots" content="noindex">',
    `<link rel="canonical" href="${escapeHtml(siteUrl)}${target}">`,
    `<meta http-equiv="refresh" content="0; url=${target}">`,
    `<p>This testimonial has moved to <a href="${target}">${target}</a>.</p>`,
    '</html>',
    '',
  ].join('\n');
}

/** The testimonial path a former-address page redirects to, or null when `html` is any other page. */
export function formerUrlTarget(html: string): string | null {
  return refreshPattern.exec(html)?.[1] ?? null;
}
