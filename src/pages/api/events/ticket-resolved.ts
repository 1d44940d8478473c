import type { APIRoute } from 'astro';
import { getConfig } from '../../../lib/config.ts';
import { ticketResolvedSchema } from '../../../lib/listen/survey.ts';
import {
  checkWebhookSignature,
  checkZendeskSignature,
  maxWebhookBodyBytes,
  readBodyWithLimit,
  signatureHeader,
  timestampHeader,
  zendeskSignatureHeader,
  zendeskTimestampHeader,
} from '../../../lib/server/listen/nps-webhook.ts';
import { scheduleSurveyAfterTicket } from '../../../lib/server/listen/survey-triggers.ts';
import { getDatabase } from '../../../lib/server/platform/database.ts';
import { getEnvironment } from '../../../lib/server/platform/env.ts';
import { addressForLimits, consumeRateLimit } from '../../../lib/server/platform/rate-limit.ts';

export const prerender = false;

/** Requests per client address per minute, as for the NPS webhook. */
const perAddressLimit = { limit: 120, windowMs: 60_000 };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

/**
 * A helpdesk resolved a ticket: schedule the customer's NPS survey (see survey-triggers.ts). Signed
 * with EVENTS_WEBHOOK_SECRET like POST /api/nps, or as Zendesk signs its webhooks; the same ticket
 * is scheduled once.
 */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const secret = getEnvironment().EVENTS_WEBHOOK_SECRET;
  if (!secret) return json(503, { error: 'the events webhook is off: set EVENTS_WEBHOOK_SECRET on the server to turn it on' });

  const db = await getDatabase();
  const limit = await consumeRateLimit(db, `events-webhook:ip:${addressForLimits(clientAddress)}`, perAddressLimit);
  if (!limit.allowed) {
    return json(429, { error: 'too many requests from this address; try again later' }, { 'Retry-After': String(limit.retryAfterSeconds) });
  }

  const tooLarge = { error: `the body is larger than ${maxWebhookBodyBytes / 1024} KB; send one ticket per request` };
  if (Number(request.headers.get('content-length') ?? 0) > maxWebhookBodyBytes) return json(413, tooLarge);
  const body = await readBodyWithLimit(request, maxWebhookBodyBytes);
  if (body === null) return json(413, tooLarge);

  // Zendesk signs its webhooks in its own (equally timestamped) way: accepted as it is.
  const zendesk = request.headers.has(zendeskSignatureHeader);
  const refused = zendesk
    ? checkZendeskSignature({ secret, timestamp: request.headers.get(zendeskTimestampHeader), signature: request.headers.get(zendeskSignatureHeader), body })
    : checkWebhookSignature({ secret, timestamp: request.headers.get(timestampHeader), signature: request.headers.get(signatureHeader), body });
  if (refused) return json(401, { error: refused });

  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return json(400, { error: 'the body is not valid JSON' });
  }
  const parsed = ticketResolvedSchema.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));
    return json(400, { error: issues.map((issue) => issue.message).join('; '), issues });
  }

  const outcome = await scheduleSurveyAfterTicket(db, getConfig(), parsed.data);
  switch (outcome.kind) {
    case 'scheduled':
      return json(202, { status: 'scheduled', due_at: outcome.dueAt.toISOString() });
    case 'already-scheduled':
      // A retry or a replay of the same ticket: the survey is scheduled once.
      return json(200, { status: 'already scheduled' });
    case 'quiet-period':
      return json(200, { status: 'not scheduled: surveyed within the quiet period' });
    case 'unsubscribed':
      return json(200, { status: 'not scheduled: unsubscribed' });
    case 'erased':
      // Acknowledged, so the helpdesk does not retry, and dropped.
      return json(200, { status: 'not stored: this customer was erased on request' });
  }
};
