import type { APIRoute } from 'astro';
import { getConfig } from '../../lib/config.ts';
import { npsAnswerSchema } from '../../lib/listen/nps-answer.ts';
import { getEnvironment } from '../../lib/server/platform/env.ts';
import { storeNpsAnswers } from '../../lib/server/listen/nps-import.ts';
import { jsonResponse as json, receiveSignedWebhook } from '../../lib/server/listen/signed-webhook.ts';

export const prerender = false;

/** One NPS answer from a helpdesk tool, signed with NPS_WEBHOOK_SECRET (see docs/collecting-reviews.md). */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const received = await receiveSignedWebhook(request, clientAddress, {
    secret: getEnvironment().NPS_WEBHOOK_SECRET,
    off: 'the NPS webhook is off: set NPS_WEBHOOK_SECRET on the server to turn it on',
    name: 'nps-webhook',
    oneItem: 'one answer',
    schema: npsAnswerSchema,
  });
  if (received.kind === 'refused') return received.response;
  const { db, payload } = received;
  if (payload.score === undefined) {
    return json(400, { error: 'score is required', issues: [{ field: 'score', message: 'score is required' }] });
  }

  const stored = await storeNpsAnswers(db, [payload], { source: 'webhook', defaultLocale: getConfig().locales.default });
  // A customer erased on request stays erased: the answer is acknowledged (so the sender does not retry) and dropped.
  if (stored.erased > 0) return json(200, { status: 'not stored: this customer was erased on request' });
  // The same answer sent again (a retry, a replayed request) is stored once.
  return stored.answersAdded > 0 ? json(201, { status: 'stored' }) : json(200, { status: 'already stored' });
};
