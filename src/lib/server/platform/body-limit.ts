// One limit on request bodies, in front of every route: the Node server applies it before a
// static file, Astro, a page or an action sees the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { isAdminPath } from '../../auth/admin-access.ts';
import { reviewFormMessageText } from '../../collect/review-form-page.ts';
import { reviewFormLimits } from '../../collect/review-submission.ts';
import { csvUploadMaxBytes } from '../../listen/import-summary.ts';
import { getConfig } from '../../config.ts';
import { messagesFor } from '../../i18n/index.ts';
import { preferredLocale } from '../../locales.ts';
import { isWellFormedToken } from '../../tokens.ts';

/** What a refused request is answered with. */
interface Refusal {
  contentType: string;
  body: string;
}

/** The largest body a route accepts, by name for its 413 answer. */
export interface BodyLimit {
  route: string;
  maxBytes: number;
  /** A route's own 413 answer (in its language or format); plain text without. */
  refusal?: (request: IncomingMessage, limit: BodyLimit) => Refusal;
  /**
   * Up to this declared size, an oversize body is still received and dropped after the 413, for
   * a route people post to from a browser: browsers read the answer only once they have sent the
   * whole body, and would otherwise show a broken connection instead. Nothing of it is kept.
   */
  drainMaxBytes?: number;
}

/** Every route not listed below: forms of a few fields, webhooks, anything added later. */
export const defaultBodyLimit: BodyLimit = { route: 'this address', maxBytes: 64 * 1024 };

/**
 * A body sent without a declared length (chunked) is held to this on every route. Browsers
 * declare the length of every form they post, so only scripts send such bodies, and a helpdesk's
 * webhook fits; a large one would only be read into memory in pieces before its size is known.
 */
export const undeclaredBodyMaxBytes = defaultBodyLimit.maxBytes;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The path and query of a request as the router reads them: prefixed, never resolved against a
 * base, so `//host/r/…` stays a path that starts with `//`, and a target that is no path at all
 * (absolute-form, or without its slash) matches nothing: neither lends its tail a larger limit.
 */
function requestTarget(target: string | undefined): URL {
  try {
    return new URL(`http://localhost${target?.startsWith('/') ? target : '/'}`);
  } catch {
    return new URL('http://localhost/');
  }
}

/**
 * The review form's own message for a post too large, in the language the URL names or else the
 * browser's (the form's language field is in the body, which is not read).
 */
function reviewFormRefusal(request: IncomingMessage): Refusal {
  const { locales } = getConfig();
  const asked = requestTarget(request.url).searchParams.get('lang');
  const named = locales.enabled.find((locale) => locale === asked);
  const locale = named ?? preferredLocale(request.headers['accept-language'], locales.enabled) ?? locales.default;
  const message = escapeHtml(reviewFormMessageText(locale, 'formTooLarge'));
  return {
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html>\n<html lang="${locale}"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>413</title><p role="alert">${message}</p></html>\n`,
  };
}

/** Astro's action-error shape, so `actions.x()` in a browser reads CONTENT_TOO_LARGE. */
function actionRefusal(_request: IncomingMessage, limit: BodyLimit): Refusal {
  const message = `Request body exceeds ${limit.maxBytes} bytes`;
  return { contentType: 'application/json', body: JSON.stringify({ type: 'AstroActionError', code: 'CONTENT_TOO_LARGE', status: 413, message }) };
}

/**
 * The review form as its page posts it (`/r/TOKEN?_action=review.submit`) or as Astro's action
 * client calls it. Exact spellings only: any other path to the same action (encoded, nested,
 * doubled slashes) gets the default limit, which is the safe side to err on.
 */
function isReviewFormPost(url: URL): boolean {
  if (url.pathname === '/_actions/review.submit') return true;
  const token = /^\/r\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  return token !== undefined && isWellFormedToken(token) && url.searchParams.get('_action') === 'review.submit';
}

/**
 * The admin's CSV upload as its page posts it (`/admin/campaign/?_action=adminCampaign.importCsv`)
 * or as Astro's action client calls it. Exact spellings only, like the review form.
 */
function isCsvUploadPost(url: URL): boolean {
  if (url.pathname === '/_actions/adminCampaign.importCsv') return true;
  return /^\/admin\/campaign\/?$/.test(url.pathname) && url.searchParams.get('_action') === 'adminCampaign.importCsv';
}

/** Routes allowed more than the default, first match wins. */
const largerBodies: { matches: (url: URL) => boolean; limit: BodyLimit }[] = [
  {
    matches: isReviewFormPost,
    // A photo of 30 or 50 MB (a 108 or 200 MP phone mode) still gets the form's message about its size.
    limit: { route: 'the review form', maxBytes: reviewFormLimits.postMaxBytes, refusal: reviewFormRefusal, drainMaxBytes: 64 * 1024 * 1024 },
  },
  // A customer list of some 100,000 rows; larger files go through npm run import.
  { matches: isCsvUploadPost, limit: { route: 'the CSV upload', maxBytes: csvUploadMaxBytes + 64 * 1024, drainMaxBytes: 64 * 1024 * 1024 } },
  // A redaction posts up to 20 snippets of 1,000 characters, percent-encoded.
  { matches: (url) => isAdminPath(url.pathname), limit: { route: 'the admin', maxBytes: 256 * 1024 } },
];

/** The body limit of a request for `target`, its path and query as sent. */
export function bodyLimitFor(target: string | undefined): BodyLimit {
  const url = requestTarget(target);
  const limit = largerBodies.find((route) => route.matches(url))?.limit ?? defaultBodyLimit;
  // Called from script, an action is answered in the shape its caller reads.
  return url.pathname.includes('/_actions/') ? { ...limit, refusal: actionRefusal } : limit;
}

/**
 * How long a connection answered before its body ended stays open (unread) before it is cut.
 * Cutting it at once would reset it while the client is still sending, and the client would often
 * see the reset instead of the answer (what nginx calls a lingering close).
 */
const lingerMs = 2000;

/**
 * Once the answer is out: reads nothing more, tells the client the connection is ending (FIN), and
 * cuts it after a short linger. Node would otherwise read and drop the rest of the body.
 */
function closeAfterAnswer(socket: Socket): void {
  // socket.pause() does not stop a socket that Node's HTTP parser reads directly; its handle's
  // readStop does (Node's own HTTP server pauses a socket so). Without a handle, pause it is.
  const handle = (socket as Socket & { _handle?: { readStop?: () => number } | null })._handle;
  if (typeof handle?.readStop === 'function') handle.readStop();
  else socket.pause();
  socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** How long a body within its route's drainMaxBytes may take to arrive before the connection is cut. */
const drainMaxMs = 30_000;

/** Lets Node drop the rest of the body as it arrives (it does once a request is answered), then ends the connection. */
function closeAfterDrain(request: IncomingMessage, socket: Socket): void {
  const timer = setTimeout(() => socket.destroy(), drainMaxMs);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  request.once('end', () => {
    clearTimeout(timer);
    socket.end();
  });
}

/** Answers 413 and closes the connection, so the rest of the body is never waited for. */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse, limit: BodyLimit): void {
  const refusal = limit.refusal?.(request, limit) ?? {
    contentType: 'text/plain; charset=utf-8',
    body: `The request body is too large: ${limit.route} accepts at most ${Math.floor(limit.maxBytes / 1024)} KB.\n`,
  };
  // No "Connection: close": with it Node destroys the socket the moment the answer is written.
  // The security headers are on the response already (the site server sets them on every answer).
  response.writeHead(413, {
    'Content-Type': refusal.contentType,
    'Content-Length': Buffer.byteLength(refusal.body),
    'Cache-Control': 'no-store',
  });
  const socket = request.socket;
  const drain = Number(request.headers['content-length']) <= (limit.drainMaxBytes ?? 0);
  response.once('finish', () => (drain ? closeAfterDrain(request, socket) : closeAfterAnswer(socket)));
  response.end(request.method === 'HEAD' ? undefined : refusal.body);
}

/**
 * Cuts the connection once a chunked body passes `maxBytes`. Node's parser hands every piece of a
 * body to the request's `push` as it arrives, whoever reads it and however slowly; dropping
 * them there keeps the memory flat, and cutting the socket ends the read of whoever was waiting
 * (Astro sees a client that hung up). A response sent before the body ended (a refusal that never
 * read it) closes the connection too, rather than wait for the rest.
 */
function cutChunkedBodyAt(request: IncomingMessage, response: ServerResponse, maxBytes: number): void {
  const socket = request.socket;
  let received = 0;
  const push = request.push.bind(request);
  request.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk !== null && chunk !== undefined) {
      received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
      if (received > maxBytes) {
        request.push = () => false;
        // Not from inside the parser's callback.
        setImmediate(() => socket.destroy());
        return false;
      }
    }
    return push(chunk, encoding);
  };
  response.once('finish', () => {
    if (!request.complete) closeAfterAnswer(socket);
  });
}

/**
 * Puts the route's body limit on a request before anything reads it. A Content-Length over the
 * limit is answered 413 at once, without reading a byte; one within it is all Node will read
 * (the parser stops at the declared length). A chunked body, whose size nobody knows in advance,
 * is counted as it arrives and the connection cut when it passes the limit (or the smaller limit
 * of undeclared lengths). Returns true when the request has been answered here.
 */
export function limitRequestBody(request: IncomingMessage, response: ServerResponse): boolean {
  const limit = bodyLimitFor(request.url);
  const declared = request.headers['content-length'];
  if (declared !== undefined) {
    if (Number(declared) <= limit.maxBytes) return false;
    refuseTooLarge(request, response, limit);
    return true;
  }
  if (request.headers['transfer-encoding'] !== undefined) cutChunkedBodyAt(request, response, Math.min(limit.maxBytes, undeclaredBodyMaxBytes));
  return false;
}
