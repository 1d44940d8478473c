import { ActionError, getActionContext } from 'astro:actions';
import { defineMiddleware, sequence } from 'astro:middleware';
import { classifyAdminRequest, isAdminPath, signInUrlFor } from './lib/auth/admin-access.ts';
import { unauthorizedResponse } from './lib/server/auth/admin-guard.ts';
import { getDatabase } from './lib/server/platform/database.ts';
import { getEnvironment } from './lib/server/platform/env.ts';
import { submissionRateLimits, submissionRefusedUnread } from './lib/server/collect/review-submissions.ts';
import { compressPage } from './lib/server/platform/page-compression.ts';
import { applySecurityHeaders } from './lib/server/platform/security-headers.ts';
import { deleteSessionCookie, readSessionToken, setSessionCookie, useSecureCookies, validateSessionToken } from './lib/server/auth/session.ts';

/**
 * Adds CSP, frame-ancestors, no-sniff, referrer policy and (on an https site) HSTS to every
 * on-demand response, and the admin pages' own headers (adminPageHeaders) to those behind the session.
 */
const securityHeaders = defineMiddleware(async (context, next) => {
  // Prerendered and published pages get their headers from the static file server.
  if (context.isPrerendered || context.locals.publicPage) return next();
  const response = await next();
  const { SITE_URL } = getEnvironment();
  const behindSession = classifyAdminRequest(context.url, 'GET', null) !== 'public';
  const apply = (headers: Headers) => applySecurityHeaders(headers, SITE_URL, { behindSession });
  try {
    apply(response.headers);
    return response;
  } catch {
    // Some responses (redirects, fetch results) have immutable headers: copy them.
    const copy = new Response(response.body, response);
    apply(copy.headers);
    return copy;
  }
});

/**
 * Reads the session cookie into `locals.user`/`locals.session`, then guards the admin: without a
 * session, admin pages redirect to the sign-in page and admin endpoints, form posts and actions
 * (any action group named admin…) answer 401, before any page or action code runs or a body is
 * read. Which action a request calls is Astro's own answer (getActionContext), so a path such as
 * `/_actions/review.submit/_actions/admin.hide` is judged by the action Astro would run.
 * Unknown /admin paths are routed to a catch-all page, so they are guarded too.
 */
const auth = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  // A publish rendering a page carries no cookie and must not touch sessions.
  if (context.isPrerendered || context.locals.publicPage) return next();
  const secure = useSecureCookies(getEnvironment().SITE_URL);
  const token = readSessionToken(context.cookies, secure);
  if (token) {
    const validated = await validateSessionToken(await getDatabase(), token);
    if (validated) {
      context.locals.user = validated.user;
      context.locals.session = validated.session;
      if (validated.renewed) setSessionCookie(context.cookies, token, validated.session.expiresAt, secure);
    } else {
      deleteSessionCookie(context.cookies, secure);
    }
  }
  if (!context.locals.user) {
    const action = getActionContext(context).action?.name ?? null;
    const access = classifyAdminRequest(context.url, context.request.method, action);
    if (access === 'endpoint') return unauthorizedResponse();
    if (access === 'page') return context.redirect(signInUrlFor(context.url), 303);
  }
  return next();
});

/**
 * A review form post from a link or an address already refused in this window is answered 429
 * before its body is read (a body may be 24 MB): the action never runs, the page says to wait.
 * Called as an RPC endpoint (`/_actions/review.submit`, with the token in the body), the address
 * alone is checked and the answer is a bare 429. Astro's origin check has run before this.
 */
const submissionGate = defineMiddleware(async (context, next) => {
  if (context.isPrerendered || context.locals.publicPage || context.request.method !== 'POST') return next();
  // The site server ran this gate before it stored the post itself (review-form-posts.ts).
  if (context.locals.reviewFormOutcome) return next();
  const { action, setActionResult, serializeActionResult } = getActionContext(context);
  if (action?.name !== 'review.submit') return next();
  const env = getEnvironment();
  const waitSeconds = await submissionRefusedUnread(
    await getDatabase(),
    action.calledFrom === 'form' ? (context.params.token ?? '') : '',
    context.clientAddress,
    submissionRateLimits(env.SUBMISSION_RATE_LIMIT_PER_IP),
  );
  if (waitSeconds === null) return next();
  const refused = serializeActionResult({ data: undefined, error: new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'rateLimited' }) });
  if (action.calledFrom === 'rpc' && refused.type === 'error') {
    // The action error as Astro's client expects it, so actions.review.submit() sees TOO_MANY_REQUESTS.
    return new Response(refused.body, {
      status: refused.status,
      headers: { 'Content-Type': refused.contentType, 'Retry-After': String(waitSeconds), 'Cache-Control': 'no-store' },
    });
  }
  context.locals.submissionRetryAfterSeconds = waitSeconds;
  context.locals.submissionBodyUnread = true;
  setActionResult(action.name, refused);
  return next();
});

/**
 * Compresses the HTML of pages rendered on demand for customers (review form, survey and
 * unsubscribe pages, 404s) for a browser that accepts br or gzip, as the published pages are
 * (page-compression.ts). GET only, and never an admin page.
 */
const compression = defineMiddleware(async (context, next) => {
  if (context.isPrerendered || context.locals.publicPage || context.request.method !== 'GET' || isAdminPath(context.url.pathname)) return next();
  return compressPage(await next(), context.request.headers.get('accept-encoding'));
});

export const onRequest = sequence(compression, securityHeaders, auth, submissionGate);
