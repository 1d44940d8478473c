import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { signWebhookBody } from '../../../src/lib/server/listen/nps-webhook.ts';
import { erasedEmailHash } from '../../../src/lib/server/moderate/erased-emails.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { startApp, type RunningApp } from '../../helpers/app.ts';
import { configWith, outboxJobContext, outboxMessages } from '../../helpers/surveys.ts';

const secret = 'test-events-secret-0123456789abcdef0123';
const hour = 60 * 60 * 1000;

describe('POST /api/events/ticket-resolved', () => {
  let app: RunningApp;
  let db: Database;
  const query = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
  const send = (payload: unknown, options: { timestamp?: number; secret?: string; signature?: string } = {}) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(`${app.url}/api/events/ticket-resolved`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Review-Wall-Timestamp': String(timestamp),
        'X-Review-Wall-Signature': options.signature ?? signWebhookBody(options.secret ?? secret, timestamp, body),
      },
      body,
    });
  };
  const jobsFor = (email: string) =>
    query("select j.key, j.due_at from scheduled_jobs j join contacts c on c.id = j.contact_id where c.email = ? and j.kind = 'survey.after-ticket' order by j.id", [email]);

  beforeAll(async () => {
    app = await startApp({ args: ['--no-demo', '--no-tick'], env: { EVENTS_WEBHOOK_SECRET: secret } });
    db = await openDatabase({ url: app.env.DATABASE_URL! });
  });
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  it('schedules a survey 24 hours after the ticket was resolved, once, however often the event comes', async () => {
    const resolvedAt = Math.floor(Date.now() / 1000) * 1000 - 2 * hour;
    const event = { email: 'Marta@Example.com', name: 'Marta Nowak', locale: 'pl-PL', ticket_id: 4711, resolved_at: new Date(resolvedAt).toISOString() };
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await send(event, { timestamp });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: 'scheduled', kind: 'nps', due_at: new Date(resolvedAt + 24 * hour).toISOString() });
    expect(await query('select name, locale from contacts where email = ?', ['marta@example.com'])).toEqual([{ name: 'Marta Nowak', locale: 'pl' }]);
    expect(await jobsFor('marta@example.com')).toEqual([{ key: 'survey-after-ticket:4711', due_at: resolvedAt + 24 * hour }]);

    // The very same request again (a replay within the five minutes), and the same ticket sent anew.
    const replay = await send(event, { timestamp });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'already scheduled' });
    expect((await send(event)).status).toBe(200);
    expect(await jobsFor('marta@example.com')).toHaveLength(1);
  });

  it('refuses a forged, stale or future-dated request with 401 and schedules nothing', async () => {
    const event = { email: 'mallory@example.com', ticket_id: 'T-1' };
    const forged = await send(event, { secret: 'guessed' });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: 'signature does not match' });
    const stale = await send(event, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error).toContain('more than 5 minutes old');
    expect((await send(event, { timestamp: Math.floor(Date.now() / 1000) + 10 * 60 })).status).toBe(401);
    expect((await send(event, { signature: 'sha256=nothex' })).status).toBe(401);
    expect(await query("select count(*) as n from contacts where email = 'mallory@example.com'")).toEqual([{ n: 0 }]);
    expect(await jobsFor('mallory@example.com')).toEqual([]);
  });

  it('does not schedule a customer surveyed within the quiet period, unsubscribed or erased', async () => {
    await query("insert into contacts (email, locale) values ('recent@example.com', 'en'), ('gone-quiet@example.com', 'en')");
    await query("insert into surveys (contact_id, trigger, origin, round, locale, expires_at, created_at) select id, 'manual', 'earlier', 1, 'en', ?, ? from contacts where email = 'recent@example.com'", [Date.now() + 30 * 24 * hour, Date.now() - 10 * 24 * hour]);
    await query("update contacts set unsubscribed_at = 1 where email = 'gone-quiet@example.com'");
    await query('insert into erased_emails (email_hash) values (?)', [erasedEmailHash('erased@example.com')]);

    const recent = await send({ email: 'recent@example.com', ticket_id: 'R-1' });
    expect(await recent.json()).toEqual({ status: 'not scheduled: surveyed within the quiet period' });
    const unsubscribed = await send({ email: 'gone-quiet@example.com', ticket_id: 'R-2' });
    expect(await unsubscribed.json()).toEqual({ status: 'not scheduled: unsubscribed' });
    const erased = await send({ email: 'erased@example.com', name: 'Erased', ticket_id: 'R-3' });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toEqual({ status: 'not stored: this customer was erased on request' });
    expect(await query("select count(*) as n from contacts where email = 'erased@example.com'")).toEqual([{ n: 0 }]);
    expect(await query("select count(*) as n from scheduled_jobs where key in ('survey-after-ticket:R-1', 'survey-after-ticket:R-2', 'survey-after-ticket:R-3')")).toEqual([{ n: 0 }]);
  });

  it('checks the quiet period again when the survey is due: two tickets of one customer bring one survey', async () => {
    const resolved = new Date(Date.now() - 25 * hour).toISOString();
    expect((await send({ email: 'two-tickets@example.com', ticket_id: 'A-1', resolved_at: resolved })).status).toBe(202);
    expect((await send({ email: 'two-tickets@example.com', ticket_id: 'A-2', resolved_at: resolved })).status).toBe(202);
    const outbox = join(app.directory, 'tick-outbox');
    await runTick(outboxJobContext(db, configWith(), outbox));
    expect(outboxMessages(outbox).filter((message) => message.headers.get('to') === 'two-tickets@example.com')).toHaveLength(1);
    const outcomes = await query("select key, outcome from scheduled_jobs where key like 'survey-after-ticket:A-%' order by key");
    expect(outcomes.map((row) => row.outcome)).toEqual([expect.stringMatching(/^survey \d+ created$/), 'skipped: surveyed within the quiet period']);
  });

  it('takes the survey kind from the payload: a CSAT after a ticket goes out although an NPS survey went out this week', async () => {
    await query("insert into contacts (email, locale) values ('csat-after-nps@example.com', 'en')");
    await query("insert into surveys (contact_id, trigger, origin, round, locale, expires_at, created_at) select id, 'manual', 'earlier-nps', 1, 'en', ?, ? from contacts where email = 'csat-after-nps@example.com'", [Date.now() + 30 * 24 * hour, Date.now() - 3 * 24 * hour]);
    const resolved = new Date(Date.now() - 25 * hour).toISOString();
    const nps = await send({ email: 'csat-after-nps@example.com', ticket_id: 'K-0', resolved_at: resolved });
    expect(await nps.json()).toEqual({ status: 'not scheduled: surveyed within the quiet period' });
    const csat = await send({ email: 'csat-after-nps@example.com', ticket_id: 'K-1', kind: 'csat', resolved_at: resolved });
    expect(csat.status).toBe(202);
    expect(await csat.json()).toMatchObject({ status: 'scheduled', kind: 'csat' });
    const outbox = join(app.directory, 'kind-outbox');
    await runTick(outboxJobContext(db, configWith(), outbox));
    const [message, ...others] = outboxMessages(outbox).filter((email) => email.headers.get('to') === 'csat-after-nps@example.com');
    expect(others).toEqual([]);
    expect(message!.subject).toBe('Acme Support Desk: how satisfied were you with our support?');
    expect(await query("select kind, trigger, ticket_id from surveys where origin = 'ticket:K-1'")).toEqual([{ kind: 'csat', trigger: 'ticket', ticket_id: 'K-1' }]);
  });

  it('takes a request signed the way Zendesk signs its webhooks, and refuses a forged one', async () => {
    const body = JSON.stringify({ email: 'zendesk.requester@example.com', name: 'Ana', ticket_id: 'ZD-77' });
    const zendesk = (timestamp: string, key = secret) =>
      fetch(`${app.url}/api/events/ticket-resolved`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
          'X-Zendesk-Webhook-Signature': createHmac('sha256', key).update(timestamp + body).digest('base64'),
        },
        body,
      });
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await zendesk(now, 'guessed')).status).toBe(401);
    expect((await zendesk(new Date(Date.now() - 10 * 60_000).toISOString())).status).toBe(401);
    expect(await jobsFor('zendesk.requester@example.com')).toEqual([]);
    const accepted = await zendesk(now);
    expect(accepted.status).toBe(202);
    expect(await jobsFor('zendesk.requester@example.com')).toHaveLength(1);
  });

  it.each([
    [{ ticket_id: 'X' }, 'email is required', 'email'],
    [{ email: 'a@example.com' }, 'ticket_id is required', 'ticket_id'],
    [{ email: 'a@example.com', ticket_id: 'X', resolved_at: 'yesterday' }, 'resolved_at must be an ISO 8601 date-time', 'resolved_at'],
    [{ email: 'a@example.com', ticket_id: 'X', kind: 'stars' }, 'kind must be nps, csat or ces', 'kind'],
  ])('answers 400 with a clear message for %j', async (payload, message, field) => {
    const response = await send(payload);
    expect(response.status).toBe(400);
    const result = (await response.json()) as { error: string; issues: { field: string }[] };
    expect(result.error).toContain(message);
    expect(result.issues.map((issue) => issue.field)).toContain(field);
  });
});
