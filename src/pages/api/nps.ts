import type { APIRoute } from 'astro';
import { getConfig } from '../../lib/config.ts';
import { npsAnswerSchema } from '../../lib/listen/nps-answer.ts';
import { getDatabase } from '../../lib/server/platform/database.ts';
import { getEnvironment } from '../../lib/server/platform/env.ts';
import { storeNpsAnswers } from '../../lib/server/listen/nps-import.ts';
import {
  checkWebhookSignature,
  maxWebhookBodyBytes,
  readBodyWithLimit,
  signatureHeader,
  timestampHeader,
} from '../../lib/server/listen/nps-webhook.ts';
import { addressForLimits, consumeRateLimit } from '../../lib/server/platform/rate-limit.ts';

export const prerender = false;

/** Requests per client address per minute: plenty for a helpdesk, little for a brute force. */
const perAddressLimit = { limit: 120, windowMs: 60_000 };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

/** One NPS answer from a helpdesk tool, signed with NPS_WEBHOOK_SECRET (see docs/collecting-reviews.md). */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const secret = getEnvironment().NPS_WEBHOOK_SECRET;
  if (!secret) return json(503, { error: 'the NPS webhook is off: set NPS_WEBHOOK_SECRET on the server to turn it on' });

  const db = await getDatabase();
  const limit = await consumeRateLimit(db, `nps-webhook:ip:${addressForLimits(clientAddress)}`, perAddressLimit);
  if (!limit.allowed) {
    return json(429, { error: 'too many requests from this address; try again later' }, { 'Retry-After': String(limit.retryAfterSeconds) });
  }

  const tooLarge = { error: `the body is larger than ${maxWebhookBodyBytes / 1024} KB; send one answer per request` };
  if (Number(request.headers.get('content-length') ?? 0) > maxWebhookBodyBytes) return json(413, tooLarge);
  const body = await readBodyWithLimit(request, maxWebhookBodyBytes);
  if (body === null) return json(413, tooLarge);

  const refused = checkWebhookSignature({
    secret,
    timestamp: request.headers.get(timestampHeader),
    signature: request.headers.get(signatureHeader),
    body,
  });
  if (refused) return json(401, { error: refused });

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return json(400, { error: 'the body is not valid JSON' });
  }
  const parsed = npsAnswerSchema.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));
    return json(400, { error: issues.map((issue) => issue.message).join('; '), issues });
  }
  if (parsed.data.score === undefined) {
    return json(400, { error: 'score is required', issues: [{ field: 'score', message: 'score is required' }] });
  }

  const stored = await storeNpsAnswers(db, [parsed.data], { source: 'webhook', defaultLocale: getConfig().locales.default });
  // A customer erased on request stays erased: the answer is acknowledged (so the sender does not retry) and dropped.
  if (stored.erased > 0) return json(200, { status: 'not stored: this customer was erased on request' });
  // The same answer sent again (a retry, a replayed request) is stored once.
  return stored.answersAdded > 0 ? json(201, { status: 'stored' }) : json(200, { status: 'already stored' });
};
