import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { signWebhookBody } from '../../../src/lib/server/listen/nps-webhook.ts';
import { listApprovedReviews } from '../../../src/lib/server/publish/public-reviews.ts';
import { runTick } from '../../../src/lib/server/schedule/tick.ts';
import { isolatedEnvironment, runNpm, signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { configWith, outboxJobContext, outboxMessages, surveyLinksIn } from '../../helpers/surveys.ts';

// A segment (region, plan, team) arrives by every input path and stays with each answer as it was then.

const rows = async (db: Database, sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows.map((row) => ({ ...row }));
const answersOf = (db: Database, email: string) =>
  rows(db, 'select r.score, r.segment from nps_responses r join contacts c on c.id = r.contact_id where c.email = ? order by r.responded_at', [email]);
const contactSegment = async (db: Database, email: string) => (await rows(db, 'select segment from contacts where email = ?', [email]))[0]?.segment;

describe('npm run import', { timeout: 180_000 }, () => {
  let database: TemporaryDatabase;
  let files: string;
  beforeAll(async () => {
    database = await createTemporaryDatabase();
    files = mkdtempSync(join(tmpdir(), 'review-wall-segments-'));
  });
  afterAll(() => {
    database.cleanup();
    rmSync(files, { recursive: true, force: true });
  });

  it('reads a "Region" column as the segment, keeps old answers in their segment when a customer moves, refuses one too long', async () => {
    const env = { ...isolatedEnvironment(database.directory, 4321), DATABASE_URL: database.url };
    const first = join(files, 'may.csv');
    writeFileSync(first, ['email,score,responded_at,Region', 'ana@example.com,9,2026-05-01T10:00:00Z,  EU   North ', 'ben@example.com,3,2026-05-02T10:00:00Z,', ''].join('\n'));
    const imported = await runNpm('import', ['--', first], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('"Region" as segment');
    expect(await answersOf(database.db, 'ana@example.com')).toEqual([{ score: 9, segment: 'EU North' }]);
    expect(await answersOf(database.db, 'ben@example.com')).toEqual([{ score: 3, segment: null }]);

    // Ana moved to another region; Ben's later answer has no segment column: he keeps none, Ana's May answer stays "EU North".
    const second = join(files, 'june.csv');
    const tooLong = 'x'.repeat(61);
    writeFileSync(second, ['email;score;responded_at;segment', 'ana@example.com;10;2026-06-01T10:00:00Z;US', `cai@example.com;7;2026-06-02T10:00:00Z;${tooLong}`, ''].join('\n'));
    const again = await runNpm('import', ['--', second], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`june.csv:3: segment is longer than 60 characters`);
    expect(await answersOf(database.db, 'ana@example.com')).toEqual([
      { score: 9, segment: 'EU North' },
      { score: 10, segment: 'US' },
    ]);
    expect(await contactSegment(database.db, 'ana@example.com')).toBe('US');
    expect(await answersOf(database.db, 'cai@example.com')).toEqual([]);
  });
});

describe('through the running app', { timeout: 180_000 }, () => {
  const npsSecret = 'test-nps-secret-0123456789abcdef012345';
  const eventsSecret = 'test-events-secret-0123456789abcdef0123';
  let app: RunningApp;
  let db: Database;
  let cookie: string;
  const signed = (path: string, secret: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Review-Wall-Timestamp': String(timestamp), 'X-Review-Wall-Signature': signWebhookBody(secret, timestamp, body) },
      body,
    });
  };
  beforeAll(async () => {
    app = await startApp({ args: ['--no-tick'], env: { NPS_WEBHOOK_SECRET: npsSecret, EVENTS_WEBHOOK_SECRET: eventsSecret } });
    db = await openDatabase({ url: app.env.DATABASE_URL! });
    cookie = await signInAdmin(app);
  }, 180_000);
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  it('takes an optional segment on POST /api/nps, and refuses one too long', async () => {
    const stored = await signed('/api/nps', npsSecret, { email: 'dana@example.com', score: 6, responded_at: '2026-07-01T08:00:00Z', segment: ' Enterprise ' });
    expect(stored.status).toBe(201);
    // Without the field, the answer takes the customer's segment of the moment.
    expect((await signed('/api/nps', npsSecret, { email: 'dana@example.com', score: 8, responded_at: '2026-07-02T08:00:00Z' })).status).toBe(201);
    expect(await answersOf(db, 'dana@example.com')).toEqual([
      { score: 6, segment: 'Enterprise' },
      { score: 8, segment: 'Enterprise' },
    ]);
    const refused = await signed('/api/nps', npsSecret, { email: 'dana@example.com', score: 1, segment: 'y'.repeat(61) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('segment is longer than 60 characters');
  });

  it('carries the segment of a resolved ticket onto the survey it schedules and onto the answer', async () => {
    // The customer's own segment is another one: the ticket's goes with this survey.
    await signed('/api/nps', npsSecret, { email: 'eva@example.com', score: 9, responded_at: '2026-01-01T08:00:00Z', segment: 'Starter' });
    const resolved = new Date(Date.now() - 25 * 3_600_000).toISOString();
    const scheduled = await signed('/api/events/ticket-resolved', eventsSecret, { email: 'eva@example.com', ticket_id: 'SEG-1', resolved_at: resolved, segment: 'Support team B' });
    expect(scheduled.status).toBe(202);
    const outbox = join(app.directory, 'segment-outbox');
    await runTick(outboxJobContext(db, configWith(), outbox));
    expect(await rows(db, "select s.segment from surveys s join contacts c on c.id = s.contact_id where c.email = 'eva@example.com'")).toEqual([{ segment: 'Support team B' }]);
    // Before she answers, a later import moves her to another segment: the survey's answer still belongs to the ticket's.
    await db.$client.execute("update contacts set segment = 'Moved later' where email = 'eva@example.com'");
    const message = outboxMessages(outbox).find((email) => email.headers.get('to') === 'eva@example.com')!;
    const link = surveyLinksIn(message.text).find((candidate) => candidate.score === 4)!;
    const answered = await fetch(`${app.url}/s/${link.token}/4`, { method: 'POST', headers: { Origin: app.url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: '', redirect: 'manual' });
    expect(answered.status).toBeLessThan(400);
    expect(await answersOf(db, 'eva@example.com')).toEqual([
      { score: 9, segment: 'Starter' },
      { score: 4, segment: 'Support team B' },
    ]);
  });

  it('reads the segment from a CSV uploaded in the admin', async () => {
    const form = new FormData();
    form.set('file', new File(['email,score,responded_at,plan\nfinn@example.com,2,2026-08-01T09:00:00Z,Pro\n'], 'plans.csv', { type: 'text/csv' }));
    form.set('encoding', '');
    form.set('timeZone', '');
    form.set('dateOrder', '');
    form.set('mode', 'import');
    const response = await fetch(`${app.url}/admin/campaign/?_action=adminCampaign.importCsv`, { method: 'POST', body: form, headers: { Cookie: cookie, Origin: app.url }, redirect: 'manual' });
    expect(response.status).toBeLessThan(400);
    expect(await answersOf(db, 'finn@example.com')).toEqual([{ score: 2, segment: 'Pro' }]);
    expect(await contactSegment(db, 'finn@example.com')).toBe('Pro');
  });

  it('never shows a segment on the public pages', async () => {
    await db.$client.execute("update contacts set segment = 'Secret-Segment-Name'");
    await db.$client.execute("update nps_responses set segment = 'Secret-Segment-Name'");
    // What every public page, the feed and the widget are built from.
    const published = await listApprovedReviews(db);
    expect(published.reviews.length).toBeGreaterThan(0);
    expect(JSON.stringify(published)).not.toContain('Secret-Segment-Name');
    for (const path of ['/', '/testimonials/', '/testimonials.json', '/widget.js', '/how-we-collect-reviews']) {
      const response = await fetch(`${app.url}${path}`);
      expect(await response.text(), path).not.toContain('Secret-Segment-Name');
    }
  });
});
