import type { APIRoute } from 'astro';
import { getConfig } from '../../../lib/config.ts';
import { ticketResolvedSchema } from '../../../lib/listen/survey.ts';
import { checkZendeskSignature, zendeskSignatureHeader, zendeskTimestampHeader } from '../../../lib/server/listen/nps-webhook.ts';
import { jsonResponse as json, receiveSignedWebhook } from '../../../lib/server/listen/signed-webhook.ts';
import { scheduleSurveyAfterTicket } from '../../../lib/server/listen/survey-triggers.ts';
import { getEnvironment } from '../../../lib/server/platform/env.ts';

export const prerender = false;

/**
 * A helpdesk resolved a ticket: schedule the customer's survey (NPS, CSAT or CES: the payload's
 * `kind`, else surveys.afterTicketKind; see survey-triggers.ts). Signed
 * with EVENTS_WEBHOOK_SECRET like POST /api/nps, or as Zendesk signs its webhooks; the same ticket
 * is scheduled once.
 */
export const POST: APIRoute = async ({ request, clientAddress }) => {
  const received = await receiveSignedWebhook(request, clientAddress, {
    secret: getEnvironment().EVENTS_WEBHOOK_SECRET,
    off: 'the events webhook is off: set EVENTS_WEBHOOK_SECRET on the server to turn it on',
    name: 'events-webhook',
    oneItem: 'one ticket',
    schema: ticketResolvedSchema,
    // Zendesk signs its webhooks in its own (equally timestamped) way: accepted as it is.
    otherSignature: (body, secret) =>
      request.headers.has(zendeskSignatureHeader)
        ? checkZendeskSignature({ secret, timestamp: request.headers.get(zendeskTimestampHeader), signature: request.headers.get(zendeskSignatureHeader), body })
        : undefined,
  });
  if (received.kind === 'refused') return received.response;
  const { db, payload } = received;

  const outcome = await scheduleSurveyAfterTicket(db, getConfig(), payload);
  switch (outcome.kind) {
    case 'scheduled':
      return json(202, { status: 'scheduled', kind: outcome.surveyKind, due_at: outcome.dueAt.toISOString() });
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
