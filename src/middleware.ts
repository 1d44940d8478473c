import { defineMiddleware, sequence } from 'astro:middleware';
import { applySecurityHeaders } from './lib/server/security-headers.ts';

/** Adds CSP, frame-ancestors, no-sniff and referrer policy to every on-demand response. */
const securityHeaders = defineMiddleware(async (context, next) => {
  // Prerendered pages get their headers from the static file server.
  if (context.isPrerendered) return next();
  const response = await next();
  try {
    applySecurityHeaders(response.headers);
    return response;
  } catch {
    // Some responses (redirects, fetch results) have immutable headers: copy them.
    const copy = new Response(response.body, response);
    applySecurityHeaders(copy.headers);
    return copy;
  }
});

export const onRequest = sequence(securityHeaders);
