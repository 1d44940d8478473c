import type { InStatement } from '@libsql/client';
import type { Database } from '../../../../db/client.ts';
import {
  digestEventType,
  nextDeliveryAttempt,
  slackEndpoint,
  type DigestData,
  type NpsAnsweredData,
  type ReviewSubmittedData,
} from '../../notify/events.ts';
import { digestMessage, npsAnswerMessage, reviewWaitingMessage, type SlackMessage } from '../../notify/slack-messages.ts';
import { decodeSigningSecret, signWebhook } from '../../notify/standard-webhooks.ts';
import { newTickHolder } from '../schedule/scheduler.ts';
import type { NotificationTargets } from './notification-targets.ts';

/** How long one request may take before it counts as failed (and is tried again later). */
export const deliveryTimeoutMs = 10_000;
/** Deliveries sent at once. */
const concurrentDeliveries = 4;
/** Long enough for a claimed chunk to finish even if every request times out. */
const claimLeaseMs = 2 * 60_000;

/** Events and their finished deliveries are kept this long (for the log), then deleted: they carry personal data. */
export const eventRetentionMs = 90 * 24 * 60 * 60 * 1000;

/** What one delivery run did. */
export interface DeliverySummary {
  /** Events turned into deliveries. */
  events: number;
  delivered: number;
  retried: number;
  failed: number;
}

/** Options of a run: the clock, the HTTP client and the timeout are injectable for tests. */
export interface DeliveryOptions {
  now?: () => Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
  holder?: string;
  /** Stop claiming after this long (default 40 s, inside a tick's minute). */
  maxDurationMs?: number;
}

interface EventRow {
  id: string;
  type: string;
  payload: string;
  occurredAt: number;
}

const iso = (time: number) => new Date(time).toISOString();

/** The body every webhook endpoint receives for an event: the spec's `type`, `timestamp`, `data`. */
export function webhookBody(event: EventRow): string {
  return JSON.stringify({ type: event.type, timestamp: iso(event.occurredAt), data: JSON.parse(event.payload) as unknown });
}

/**
 * Answers given this long before they arrive are history (a CSV of last year's survey), not news:
 * Slack does not announce them one by one, or an import would post thousands of messages.
 */
export const slackAnswerMaxAgeMs = 2 * 24 * 60 * 60 * 1000;

/** Slack's message for an event, or null when Slack does not hear of it (in this mode). */
function slackMessageFor(event: EventRow, targets: NotificationTargets): SlackMessage | null {
  const data: unknown = JSON.parse(event.payload);
  if (targets.slackDigest) return event.type === digestEventType ? digestMessage(data as DigestData, targets.siteUrl) : null;
  if (event.type === 'nps.answered') {
    const answer = data as NpsAnsweredData;
    if (event.occurredAt - Date.parse(answer.respondedAt) > slackAnswerMaxAgeMs) return null;
    return npsAnswerMessage(answer, targets.siteUrl);
  }
  if (event.type === 'review.submitted') return reviewWaitingMessage(data as ReviewSubmittedData, targets.siteUrl);
  return null;
}

/**
 * Turns new events into one delivery per subscribed endpoint (configured now), each with the exact
 * body it will send on every attempt. Two runs at once insert the same rows: the unique
 * (event, endpoint) index keeps one.
 */
export async function fanOutEvents(db: Database, targets: NotificationTargets, now: Date, limit = 500): Promise<number> {
  const { rows } = await db.$client.execute({
    sql: 'select id, type, payload, occurred_at from outbox_events where fanned_out_at is null order by occurred_at, id limit ?',
    args: [limit],
  });
  if (rows.length === 0) return 0;
  const statements: InStatement[] = [];
  const insert = (eventId: string, endpoint: string, body: string): InStatement => ({
    sql: `insert into webhook_deliveries (event_id, endpoint, body, next_attempt_at) values (?, ?, ?, ?) on conflict (event_id, endpoint) do nothing`,
    args: [eventId, endpoint, body, now.getTime()],
  });
  for (const row of rows) {
    const event: EventRow = { id: String(row.id), type: String(row.type), payload: String(row.payload), occurredAt: Number(row.occurred_at) };
    for (const hook of targets.webhooks) {
      if ((hook.events as readonly string[]).includes(event.type)) statements.push(insert(event.id, hook.url, webhookBody(event)));
    }
    const message = targets.slackUrl ? slackMessageFor(event, targets) : null;
    if (message) statements.push(insert(event.id, slackEndpoint, JSON.stringify(message)));
    statements.push({ sql: 'update outbox_events set fanned_out_at = ? where id = ? and fanned_out_at is null', args: [now.getTime(), event.id] });
  }
  await db.$client.batch(statements, 'write');
  return rows.length;
}

/**
 * What the next tick's notification work would take up, for `npm run tick -- --dry-run`: events
 * not yet turned into deliveries, and deliveries due now (first tries and retries whose pause is over).
 */
export async function countDueNotifications(db: Database, now = new Date()): Promise<{ newEvents: number; deliveriesDue: number }> {
  const time = now.getTime();
  const { rows } = await db.$client.execute({
    sql: `select (select count(*) from outbox_events where fanned_out_at is null) as new_events,
                 (select count(*) from webhook_deliveries where status = 'pending' and next_attempt_at <= ? and (claim_expires_at is null or claim_expires_at <= ?)) as deliveries_due`,
    args: [time, time],
  });
  return { newEvents: Number(rows[0]?.new_events ?? 0), deliveriesDue: Number(rows[0]?.deliveries_due ?? 0) };
}

/** Deletes events older than the retention whose deliveries are all finished, with those deliveries. */
export async function pruneOldEvents(db: Database, now: Date): Promise<void> {
  const before = now.getTime() - eventRetentionMs;
  // Children first: foreign keys are declared but not relied on (remote servers may not enforce them).
  await db.$client.batch(
    [
      {
        sql: `delete from webhook_deliveries where event_id in (
                select e.id from outbox_events e where e.occurred_at < ? and e.fanned_out_at is not null
                  and not exists (select 1 from webhook_deliveries p where p.event_id = e.id and p.status = 'pending'))`,
        args: [before],
      },
      {
        sql: `delete from outbox_events where occurred_at < ? and fanned_out_at is not null
                and not exists (select 1 from webhook_deliveries d where d.event_id = outbox_events.id)`,
        args: [before],
      },
    ],
    'write',
  );
}

/** The id of a day's digest event: fixed, so two ticks on the same day make one. */
export const digestEventId = (day: Date) => `msg_digest_${day.toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * In digest mode, from `digestHourUtc` on, adds the day's digest event once: counts since the
 * previous digest (or the last 24 hours) and the reviews waiting now.
 */
export async function scheduleDailyDigest(db: Database, targets: NotificationTargets, now: Date): Promise<boolean> {
  if (!targets.slackUrl || !targets.slackDigest || now.getUTCHours() < targets.digestHourUtc) return false;
  const id = digestEventId(now);
  const [existing, previous] = await db.$client.batch(
    [
      { sql: 'select 1 from outbox_events where id = ?', args: [id] },
      { sql: 'select max(occurred_at) as at from outbox_events where type = ?', args: [digestEventType] },
    ],
    'read',
  );
  if (existing!.rows.length > 0) return false;
  const since = previous!.rows[0]?.at === null || previous!.rows[0]?.at === undefined ? now.getTime() - 86_400_000 : Number(previous!.rows[0].at);
  const [answers, submitted, waiting] = await db.$client.batch(
    [
      {
        sql: `select json_extract(payload, '$.category') as category, count(*) as count from outbox_events
              where type = 'nps.answered' and occurred_at > ? and occurred_at <= ? group by category`,
        args: [since, now.getTime()],
      },
      { sql: `select count(*) as count from outbox_events where type = 'review.submitted' and occurred_at > ? and occurred_at <= ?`, args: [since, now.getTime()] },
      `select count(*) as count from reviews where status = 'pending'`,
    ],
    'read',
  );
  const byCategory = new Map(answers!.rows.map((row) => [String(row.category), Number(row.count)]));
  const data: DigestData = {
    since: iso(since),
    until: iso(now.getTime()),
    answers: { promoter: byCategory.get('promoter') ?? 0, passive: byCategory.get('passive') ?? 0, detractor: byCategory.get('detractor') ?? 0 },
    reviewsSubmitted: Number(submitted!.rows[0]?.count ?? 0),
    reviewsWaiting: Number(waiting!.rows[0]?.count ?? 0),
  };
  const result = await db.$client.execute({
    sql: 'insert into outbox_events (id, type, payload, occurred_at) values (?, ?, ?, ?) on conflict (id) do nothing',
    args: [id, digestEventType, JSON.stringify(data), now.getTime()],
  });
  return result.rowsAffected > 0;
}

interface ClaimedDelivery {
  id: number;
  eventId: string;
  endpoint: string;
  body: string;
  attempts: number;
}

/** Claims due deliveries in one statement, so two ticks never send the same one at once. */
async function claimDueDeliveries(db: Database, holder: string, now: Date, limit: number): Promise<ClaimedDelivery[]> {
  const time = now.getTime();
  const { rows } = await db.$client.execute({
    sql: `update webhook_deliveries set claimed_by = ?, claim_expires_at = ?, attempts = attempts + 1, last_attempt_at = ?
          where id in (
            select id from webhook_deliveries
            where status = 'pending' and next_attempt_at <= ? and (claim_expires_at is null or claim_expires_at <= ?)
            order by next_attempt_at, id limit ?)
          returning id, event_id, endpoint, body, attempts`,
    args: [holder, time + claimLeaseMs, time, time, time, limit],
  });
  return rows.map((row) => ({ id: Number(row.id), eventId: String(row.event_id), endpoint: String(row.endpoint), body: String(row.body), attempts: Number(row.attempts) }));
}

type Attempt = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/** One request: the Slack URL or the endpoint, signed as Standard Webhooks says for endpoints. */
async function attemptDelivery(delivery: ClaimedDelivery, targets: NotificationTargets, now: Date, options: DeliveryOptions): Promise<Attempt> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'review-wall-notifications' };
  let url: string;
  if (delivery.endpoint === slackEndpoint) {
    if (!targets.slackUrl) return { ok: false, statusCode: null, error: 'no Slack webhook URL is configured any more (SLACK_WEBHOOK_URL or notifications.slack.webhookUrl)' };
    url = targets.slackUrl;
  } else {
    const endpoint = targets.webhooks.find((hook) => hook.url === delivery.endpoint);
    if (!endpoint) return { ok: false, statusCode: null, error: 'this endpoint is no longer in notifications.webhooks' };
    const key = endpoint.secret === undefined ? null : decodeSigningSecret(endpoint.secret);
    if (!key) return { ok: false, statusCode: null, error: `${endpoint.secretEnv} is ${endpoint.secret === undefined ? 'not set' : 'not a whsec_ secret of 24 to 64 bytes'}: set it to the endpoint's signing secret` };
    Object.assign(headers, signWebhook(key, delivery.eventId, Math.floor(now.getTime() / 1000), delivery.body));
    url = endpoint.url;
  }
  const timeoutMs = options.timeoutMs ?? deliveryTimeoutMs;
  try {
    // Redirects are not followed: the spec counts them as failures (and a signed body should not wander).
    const response = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body: delivery.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, statusCode: null, error: `no answer within ${timeoutMs / 1000} s` };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    const reason = [error instanceof Error ? error.message : String(error), cause].filter(Boolean).join(': ');
    // The Slack URL is a secret: it must not reach the delivery log.
    return { ok: false, statusCode: null, error: (targets.slackUrl ? reason.replaceAll(targets.slackUrl, '[Slack webhook URL]') : reason).slice(0, 500) };
  }
}

function settleStatement(delivery: ClaimedDelivery, holder: string, attempt: Attempt, now: Date): InStatement {
  if (attempt.ok) {
    return {
      sql: `update webhook_deliveries set status = 'delivered', delivered_at = ?, last_status_code = ?, last_error = null, claimed_by = null, claim_expires_at = null
            where id = ? and claimed_by = ?`,
      args: [now.getTime(), attempt.statusCode, delivery.id, holder],
    };
  }
  const next = nextDeliveryAttempt(delivery.attempts, now);
  return {
    sql: `update webhook_deliveries set status = ?, next_attempt_at = coalesce(?, next_attempt_at), last_status_code = ?, last_error = ?, claimed_by = null, claim_expires_at = null
          where id = ? and claimed_by = ?`,
    args: [next ? 'pending' : 'failed', next?.getTime() ?? null, attempt.statusCode, attempt.error, delivery.id, holder],
  };
}

/**
 * The tick's notification work: adds the day's digest when due, turns new events into deliveries,
 * then sends what is due, a few at a time. A 2xx answer is delivered; anything else waits 1 min,
 * 5 min, 30 min, 2 h, 12 h, and then the delivery is failed for good. Every attempt carries the
 * event's id as `webhook-id`, so a receiver that got an earlier attempt can drop the repeat.
 */
export async function deliverNotifications(db: Database, targets: NotificationTargets, options: DeliveryOptions = {}): Promise<DeliverySummary> {
  const clock = options.now ?? (() => new Date());
  const holder = options.holder ?? newTickHolder();
  const started = Date.now();
  const summary: DeliverySummary = { events: 0, delivered: 0, retried: 0, failed: 0 };
  await pruneOldEvents(db, clock());
  await scheduleDailyDigest(db, targets, clock());
  for (;;) {
    const fanned = await fanOutEvents(db, targets, clock());
    summary.events += fanned;
    if (fanned < 500) break;
  }
  for (;;) {
    const claimed = await claimDueDeliveries(db, holder, clock(), concurrentDeliveries);
    if (claimed.length === 0) break;
    const settled = await Promise.all(
      claimed.map(async (delivery) => {
        const attempt = await attemptDelivery(delivery, targets, clock(), options);
        return { delivery, attempt, statement: settleStatement(delivery, holder, attempt, clock()) };
      }),
    );
    await db.$client.batch(settled.map((entry) => entry.statement), 'write');
    for (const { delivery, attempt } of settled) {
      if (attempt.ok) summary.delivered++;
      else if (nextDeliveryAttempt(delivery.attempts, clock())) summary.retried++;
      else summary.failed++;
    }
    if (Date.now() - started > (options.maxDurationMs ?? 40_000)) break;
  }
  return summary;
}
