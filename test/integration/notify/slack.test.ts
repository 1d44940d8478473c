import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeNpsAnswers } from '../../../src/lib/server/listen/nps-import.ts';
import { resolveNotificationTargets, type NotificationTargets } from '../../../src/lib/server/notify/notification-targets.ts';
import { deliverNotifications } from '../../../src/lib/server/notify/outbox.ts';
import { configWith } from '../../helpers/surveys.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedReviews } from '../../helpers/reviews.ts';

// A local stand-in for a Slack incoming webhook: it records each message and answers "ok".
const messages: { text: string; headers: IncomingHttpHeaders }[] = [];
let failNext = 0;
const slack = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    if (failNext > 0) {
      failNext--;
      response.writeHead(503).end('service_unavailable');
      return;
    }
    messages.push({ text: (JSON.parse(body) as { text: string }).text, headers: request.headers });
    response.writeHead(200).end('ok');
  });
});
let slackUrl: string;
beforeAll(async () => {
  await new Promise<void>((done) => slack.listen(0, '127.0.0.1', done));
  slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/secret-token`;
});
afterAll(() => new Promise<void>((done) => slack.close(() => done())));

let database: TemporaryDatabase;
beforeEach(async () => {
  database = await createTemporaryDatabase();
  messages.length = 0;
  failNext = 0;
});
afterEach(() => database.cleanup());

const siteUrl = 'https://reviews.acme.example';
const targets = (digest: boolean): NotificationTargets => ({ slackUrl, slackDigest: digest, digestHourUtc: 8, webhooks: [], siteUrl });
const answer = (email: string, name: string, score: number, comment?: string) =>
  storeNpsAnswers(database.db, [{ email, name, score, comment, locale: 'en' }], { source: 'webhook', defaultLocale: 'en' });

/** Dates the events not yet sent anywhere, as if they had happened then (the clock of these tests is injected). */
const happenedAt = (iso: string) =>
  database.db.$client.execute({ sql: "update outbox_events set occurred_at = ? where fanned_out_at is null and type <> 'notifications.digest'", args: [Date.parse(iso)] });

describe('Slack messages', () => {
  it('mark a detractor with a follow-up link to the admin, and a promoter without one', async () => {
    await answer('dana@example.com', 'Dana <script>', 3, 'Support never answered & I gave up');
    await answer('pat@example.com', 'Pat', 10);
    const now = new Date('2026-12-01T12:00:00Z');
    expect(await deliverNotifications(database.db, targets(false), { now: () => now })).toMatchObject({ delivered: 2 });
    const [detractor, promoter] = messages.map((message) => message.text);
    expect(detractor).toBe(
      ':red_circle: *Detractor*: 3/10 from Dana &lt;script&gt; (NPS webhook)\n> Support never answered &amp; I gave up\n<https://reviews.acme.example/admin/follow-up/|Follow up now in the admin>',
    );
    expect(promoter).toBe(':large_green_circle: Promoter: 10/10 from Pat (NPS webhook)');
    // Slack is not a Standard Webhooks receiver: no signature headers to confuse it.
    expect(messages[0]!.headers['webhook-signature']).toBeUndefined();
  });

  it('leave out answers imported long after they were given (a CSV of old answers), which webhooks still get', async () => {
    const old = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toISOString();
    const recent = new Date(Date.now() - 60 * 60 * 1000).toISOString();
    await storeNpsAnswers(
      database.db,
      [
        { email: 'old@example.com', name: 'Old', score: 1, locale: 'en', responded_at: old },
        { email: 'recent@example.com', name: 'Recent', score: 1, locale: 'en', responded_at: recent },
      ],
      { source: 'csv', defaultLocale: 'en' },
    );
    const hooked = { ...targets(false), webhooks: [{ url: `${slackUrl.replace(/\/services.*/, '')}/hook`, events: ['nps.answered' as const], secretEnv: 'S', secret: undefined }] };
    await deliverNotifications(database.db, hooked);
    expect(messages.map((message) => message.text)).toEqual([expect.stringContaining('1/10 from Recent (CSV import)')]);
    const { rows } = await database.db.$client.execute("select count(*) as n from webhook_deliveries where endpoint <> 'slack'");
    expect(Number(rows[0]!.n)).toBe(2);
  });

  it('announce a review waiting for moderation with a link to the queue', async () => {
    await seedReviews(database.db, [{ name: 'Rita Example', rating: 4, status: 'pending' }]);
    await deliverNotifications(database.db, targets(false), { now: () => new Date('2026-12-01T12:00:00Z') });
    expect(messages.map((message) => message.text)).toEqual([
      ':memo: New review waiting for moderation: ★★★★☆ (4/5) from Rita Example\n<https://reviews.acme.example/admin/|Open the moderation queue>',
    ]);
  });

  it('are not lost when Slack is down, and not sent twice once it answers', async () => {
    failNext = 1;
    await answer('lee@example.com', 'Lee', 6);
    const start = new Date('2026-12-01T12:00:00Z');
    expect(await deliverNotifications(database.db, targets(false), { now: () => start })).toMatchObject({ delivered: 0, retried: 1 });
    const later = new Date(start.getTime() + 60_000);
    expect(await deliverNotifications(database.db, targets(false), { now: () => later })).toMatchObject({ delivered: 1 });
    await deliverNotifications(database.db, targets(false), { now: () => new Date(later.getTime() + 86_400_000) });
    expect(messages).toHaveLength(1);
    // The Slack URL is a secret: the delivery log names it "slack" only.
    const { rows } = await database.db.$client.execute('select endpoint, last_error from webhook_deliveries');
    expect(rows.map((row) => ({ ...row }))).toEqual([{ endpoint: 'slack', last_error: null }]);
  });

  it('in daily digest mode: no message per event, one summary a day from the digest hour, with counts and links', async () => {
    const day = (iso: string) => () => new Date(iso);
    await answer('a@example.com', 'A', 2);
    await answer('b@example.com', 'B', 9);
    await answer('c@example.com', 'C', 10);
    await seedReviews(database.db, [{ status: 'pending' }, { status: 'pending' }]);
    await happenedAt('2026-12-01T06:00:00Z');
    // Before 08:00 UTC nothing goes out, not even per-event messages.
    await deliverNotifications(database.db, targets(true), { now: day('2026-12-01T07:59:00Z') });
    expect(messages).toEqual([]);
    await deliverNotifications(database.db, targets(true), { now: day('2026-12-01T08:00:00Z') });
    await deliverNotifications(database.db, targets(true), { now: day('2026-12-01T08:01:00Z') });
    await deliverNotifications(database.db, targets(true), { now: day('2026-12-01T23:59:00Z') });
    expect(messages).toHaveLength(1);
    const text = messages[0]!.text;
    expect(text).toContain('Daily summary');
    expect(text).toContain('3 new NPS answers: 2 promoters, 0 passives, 1 detractor.');
    expect(text).toContain('2 new reviews; 2 waiting for moderation.');
    expect(text).toContain('<https://reviews.acme.example/admin/follow-up/|');
    expect(text).toContain('<https://reviews.acme.example/admin/|Open the moderation queue>');

    // The next day: one more message, counting only what came after the first digest.
    await answer('d@example.com', 'D', 8);
    await happenedAt('2026-12-01T15:00:00Z');
    await deliverNotifications(database.db, targets(true), { now: day('2026-12-02T09:30:00Z') });
    await deliverNotifications(database.db, targets(true), { now: day('2026-12-02T09:31:00Z') });
    expect(messages).toHaveLength(2);
    expect(messages[1]!.text).toContain('1 new NPS answer: 0 promoters, 1 passive, 0 detractors.');
    expect(messages[1]!.text).toContain('0 new reviews; 2 waiting for moderation.');
  });
});

describe('the Slack URL', () => {
  it('comes from SLACK_WEBHOOK_URL before the config file', () => {
    const config = configWith({ notifications: { slack: { webhookUrl: 'https://hooks.slack.com/services/from-config', digest: 'daily' } } });
    expect(resolveNotificationTargets(config, { SITE_URL: siteUrl }, {})).toMatchObject({ slackUrl: 'https://hooks.slack.com/services/from-config', slackDigest: true, digestHourUtc: 8 });
    expect(resolveNotificationTargets(config, { SITE_URL: siteUrl, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/from-env' }, {}).slackUrl).toBe('https://hooks.slack.com/services/from-env');
    expect(resolveNotificationTargets(configWith({}), { SITE_URL: siteUrl }, {}).slackUrl).toBeNull();
  });
});
