import type { IncomingMessage, ServerResponse } from 'node:http';
import { reviewSubmissionSchema, type ReviewSubmission, type ReviewSubmissionInput } from '../../collect/review-submission.ts';
import { getConfig } from '../../config.ts';
import { normalizeLocale, type Locale } from '../../locales.ts';
import { isWellFormedToken } from '../../tokens.ts';
import { sessionCookieName } from '../auth/session.ts';
import { getDatabase } from '../platform/database.ts';
import { getEnvironment } from '../platform/env.ts';
import { securityHeaders } from '../platform/security-headers.ts';
import { submissionRateLimits, submissionRefusedUnread, submitReview, type SubmitReviewOutcome } from './review-submissions.ts';

/** A review form post as the review action and the site server's direct path both handle it. */
export interface ReviewFormOutcome {
  /** The language the review keeps: the form's, if the site speaks it. */
  locale: Locale;
  outcome: SubmitReviewOutcome;
}

/** Stores a validated review form post (see submitReview), in the language of the form used. */
export async function submitReviewForm(input: ReviewSubmission, clientAddress: string): Promise<ReviewFormOutcome> {
  const config = getConfig();
  const env = getEnvironment();
  const requested = normalizeLocale(input.lang, config.locales.default);
  const locale = config.locales.enabled.includes(requested) ? requested : config.locales.default;
  const outcome = await submitReview(await getDatabase(), input, {
    locale,
    clientAddress,
    uploadDir: env.UPLOAD_DIR,
    limits: submissionRateLimits(env.SUBMISSION_RATE_LIMIT_PER_IP),
  });
  return { locale, outcome };
}

/** Larger urlencoded posts (never a real review form) are left to Astro. */
const directBodyLimit = 64 * 1024;
const formPostPath = /^\/r\/([a-z2-7]{32})\/?\?_action=review\.submit$/;

/**
 * Whether a request is a review form post the site server may answer itself: a no-JavaScript
 * urlencoded post (no photo) of a sane size to /r/TOKEN?_action=review.submit, from the site's own
 * origin (Astro's origin check, as Astro makes it), without a session cookie (Astro would renew it).
 */
export function isDirectReviewFormPost(request: IncomingMessage): boolean {
  if (request.method !== 'POST' || !formPostPath.test(request.url ?? '')) return false;
  const type = request.headers['content-type'] ?? '';
  if (type.split(';')[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return false;
  const length = Number(request.headers['content-length']);
  if (!Number.isInteger(length) || length > directBodyLimit || request.headers['transfer-encoding']) return false;
  // The plain name is the end of the __Host- one too (session.ts), so this finds either.
  if ((request.headers.cookie ?? '').includes(`${sessionCookieName(false)}=`)) return false;
  const host = request.headers.host;
  const encrypted = (request.socket as { encrypted?: boolean }).encrypted === true;
  if (!host || !request.headers.origin) return false;
  try {
    return request.headers.origin === new URL(`${encrypted ? 'https' : 'http'}://${host}`).origin;
  } catch {
    return false;
  }
}

/**
 * The form fields as Astro Actions turn FormData into the schema's input: an empty or missing
 * field is null (undefined for `lang`, which is optional), `rating` a number, a checkbox true when
 * sent (or "true"), `removePhoto` false when absent.
 */
export function reviewFormInput(fields: URLSearchParams): ReviewSubmissionInput {
  const text = (name: string) => fields.get(name) || null;
  const checkbox = (name: string) => {
    const value = fields.get(name);
    return value === 'true' ? true : value === 'false' ? false : fields.has(name);
  };
  const rating = text('rating');
  return {
    token: text('token') as string,
    lang: text('lang') ?? undefined,
    rating: (rating === null ? null : Number(rating)) as number,
    body: text('body') as string,
    nameDisplay: text('nameDisplay') as ReviewSubmissionInput['nameDisplay'],
    role: text('role'),
    company: text('company'),
    photo: text('photo') as unknown as File | null,
    removePhoto: fields.has('removePhoto') ? checkbox('removePhoto') : false,
    consent: checkbox('consent'),
  };
}

/** Reads a request body (Node's parser stops at its Content-Length, checked before). */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** Hands a request on to Astro, with the body already read and, when known, the submission's outcome. */
export type PassToAstro = (locals: { reviewFormOutcome?: ReviewFormOutcome }) => void;

/**
 * Answers a review form post directly when it is saved: the 303 to the "saved" page that Astro's
 * review action and page answer, with the same headers. It validates with the action's schema,
 * applies the same rate-limit gate and stores through submitReviewForm; every other case (an
 * invalid form, a refused, unknown, expired or moderated link) goes on to Astro, which renders the
 * page, with the outcome of a submission already made so it is never made twice. Astro's request
 * pipeline costs more than the submission itself; most posts are valid.
 */
export async function answerReviewFormPost(request: IncomingMessage, response: ServerResponse, passToAstro: PassToAstro): Promise<void> {
  const body = await readBody(request);
  // Astro reads a body it is given instead of the spent stream (@astrojs/node's makeRequestBody).
  (request as IncomingMessage & { body?: Buffer }).body = body;
  const pathToken = formPostPath.exec(request.url ?? '')![1]!;
  const parsed = reviewSubmissionSchema.safeParse(reviewFormInput(new URLSearchParams(body.toString('utf8'))));
  if (!parsed.success || parsed.data.photo) return passToAstro({});
  const clientAddress = request.socket.remoteAddress ?? '';
  const env = getEnvironment();
  const refused = await submissionRefusedUnread(await getDatabase(), parsed.data.token, clientAddress, submissionRateLimits(env.SUBMISSION_RATE_LIMIT_PER_IP));
  if (refused !== null) return passToAstro({});
  const submitted = await submitReviewForm(parsed.data, clientAddress);
  if (submitted.outcome.kind !== 'saved' || !isWellFormedToken(pathToken)) return passToAstro({ reviewFormOutcome: submitted });
  response.writeHead(303, { ...securityHeaders, Location: `/r/${pathToken}?lang=${submitted.locale}&saved=1`, 'Content-Length': '0' });
  response.end();
}
