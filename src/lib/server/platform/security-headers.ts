/** Headers every response carries, static or rendered on demand. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

/**
 * Headers of the pages behind the admin session only (every /admin page but the sign-in).
 * Cross-Origin-Opener-Policy cuts any other site's window handle to a marketer's page (no counting
 * its frames, no steering it elsewhere). Public pages go without it: they hold nothing a handle
 * could reach (the wall and testimonials are the same for everyone, a review link's page opens only
 * for whoever already has the link, the sign-in page is blank), and on a phone it costs every
 * visitor a fresh browser process (Chrome on Android isolates sites that send it), about 0.2 s of
 * start-up work that Lighthouse counts as blocking time.
 */
export const adminPageHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Strict-Transport-Security of a site served over https: browsers use only https for this host for
 * a year. Without includeSubDomains: it would bind every subdomain of the host too, and a wall
 * served at a business's own domain (example.com) would then force https onto whatever else the
 * business runs on its subdomains, which we cannot know is ready for it (see docs/deploying.md).
 */
export const strictTransportSecurity = 'max-age=31536000';

/** The security headers of a site whose public address is `siteUrl`: HSTS is added when it is https. */
export function securityHeadersFor(siteUrl: string): Record<string, string> {
  if (!siteUrl.startsWith('https:')) return securityHeaders;
  return { ...securityHeaders, 'Strict-Transport-Security': strictTransportSecurity };
}

/**
 * Copies the security headers of a site at `siteUrl` onto a Headers object, with the admin pages'
 * own (adminPageHeaders) on a response behind the session, keeping any a route set itself.
 */
export function applySecurityHeaders(headers: Headers, siteUrl: string, options: { behindSession?: boolean } = {}): void {
  const wanted = options.behindSession ? { ...securityHeadersFor(siteUrl), ...adminPageHeaders } : securityHeadersFor(siteUrl);
  for (const [name, value] of Object.entries(wanted)) {
    if (!headers.has(name)) headers.set(name, value);
  }
}
