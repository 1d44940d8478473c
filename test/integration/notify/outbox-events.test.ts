import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers } from '../../../db/schema.ts';
import { reviewSubmissionSchema } from '../../../src/lib/collect/review-submission.ts';
import { getConfig } from '../../../src/lib/config.ts';
import { submitReview } from '../../../src/lib/server/collect/review-submissions.ts';
import { recordSurveyAnswer } from '../../../src/lib/server/listen/survey-answers.ts';
import { importNpsCsv, storeNpsAnswers } from '../../../src/lib/server/listen/nps-import.ts';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import { approveReview, hideReview } from '../../../src/lib/server/moderate/moderation.ts';
import { createOutboxTransport } from '../../../src/lib/server/platform/mail.ts';
import { deliverIncentives } from '../../../src/lib/server/thank/incentives.ts';
import { loadDemo } from '../../../src/lib/server/platform/demo.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedSubmissions } from '../../helpers/incentive-fixtures.ts';
import { createReviewLink } from '../../helpers/review-links.ts';
import { createSurveyLink } from '../../helpers/surveys.ts';

// Each event is written by the code that stores its fact (through the database triggers of
// migration 0009): these tests go through those real code paths and read the outbox.

const config = getConfig();
let temporary: TemporaryDatabase;
let scratch: string;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  scratch = mkdtempSync(join(tmpdir(), 'review-wall-events-'));
});
afterEach(() => {
  temporary.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function events(type?: string) {
  const { rows } = await temporary.db.$client.execute({
    sql: `select id, type, payload, contact_id from outbox_events ${type ? 'where type = ?' : ''} order by occurred_at, rowid`,
    args: type ? [type] : [],
  });
  return rows.map((row) => ({ id: String(row.id), type: String(row.type), data: JSON.parse(String(row.payload)), contactId: row.contact_id === null ? null : Number(row.contact_id) }));
}

async function moderator() {
  const [admin] = await temporary.db.insert(adminUsers).values({ email: 'moderator@acme.example', passwordHash: 'x' }).returning({ id: adminUsers.id, email: adminUsers.email });
  return admin!;
}

describe('nps.answered', () => {
  it('is written with a survey answer, once: changing the score later adds no second event', async () => {
    const link = await createSurveyLink(temporary.db, { locale: 'en' });
    expect(await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 4, clientAddress: '192.0.2.1' })).toMatchObject({ kind: 'recorded' });
    expect(await recordSurveyAnswer(temporary.db, config, { token: link.token, score: 6, clientAddress: '192.0.2.1' })).toMatchObject({ kind: 'recorded', changed: true });
    const [event, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'nps.answered', data: { score: 4, category: 'detractor', source: 'email' } });
    expect(event!.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(event!.data.contact.email).toMatch(/@/);
  });

  it('is written for each answer a CSV import adds, and not by a dry run or a repeated import', async () => {
    const csv = 'email,name,score,comment,responded_at\nann@example.com,Ann,10,Great,2026-11-01T10:00:00Z\nbob@example.com,Bob,7,,2026-11-02T10:00:00Z\nnoscore@example.com,,,,\n';
    await importNpsCsv(temporary.db, Readable.from([csv]), { source: 'csv', defaultLocale: 'en', dryRun: true });
    expect(await events()).toEqual([]);
    await importNpsCsv(temporary.db, Readable.from([csv]), { source: 'csv', defaultLocale: 'en' });
    await importNpsCsv(temporary.db, Readable.from([csv]), { source: 'csv', defaultLocale: 'en' });
    const stored = await events();
    expect(stored.map((event) => [event.type, event.data.contact.email, event.data.score, event.data.category, event.data.respondedAt])).toEqual([
      ['nps.answered', 'ann@example.com', 10, 'promoter', '2026-11-01T10:00:00.000Z'],
      ['nps.answered', 'bob@example.com', 7, 'passive', '2026-11-02T10:00:00.000Z'],
    ]);
  });

  it('is written for an answer from the NPS webhook, and never for demo data', async () => {
    await storeNpsAnswers(temporary.db, [{ email: 'carol@example.com', score: 2, comment: 'Slow support', locale: 'en' }], { source: 'webhook', defaultLocale: 'en' });
    expect((await events()).map((event) => event.data)).toMatchObject([{ score: 2, category: 'detractor', comment: 'Slow support', source: 'webhook' }]);
    await loadDemo(temporary.db, { lifetimeDays: 30, incentive: 'a $10 gift card' });
    expect(await events()).toHaveLength(1);
  });
});

describe('review events', () => {
  it('review.submitted with a new review (not with an edit), review.approved when a moderator approves it and again after hiding', async () => {
    const link = await createReviewLink(temporary.db, { locale: 'en' });
    const form = (body: string) => reviewSubmissionSchema.parse({ token: link.token, rating: 2, body, nameDisplay: 'full', role: '', company: '', consent: true });
    const options = { locale: 'en' as const, clientAddress: '203.0.113.7', uploadDir: join(scratch, 'uploads') };
    const first = await submitReview(temporary.db, form('Setup took too long for us.'), options);
    expect(first).toMatchObject({ kind: 'saved', created: true });
    await submitReview(temporary.db, form('Setup took too long for us, but support helped.'), options);
    const submitted = await events('review.submitted');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ contactId: link.contactId, data: { rating: 2, locale: 'en' } });
    const reviewId = submitted[0]!.data.reviewId as number;
    expect(await events('review.approved')).toEqual([]);

    const admin = await moderator();
    expect(await approveReview(temporary.db, admin, reviewId)).toMatchObject({ kind: 'done' });
    const [approved, ...none] = await events('review.approved');
    expect(none).toEqual([]);
    expect(approved!.data).toMatchObject({ reviewId, rating: 2, featured: false });
    expect(approved!.data.publicId).toMatch(/^[0-9a-f]{16}$/);

    expect(await hideReview(temporary.db, admin, reviewId)).toMatchObject({ kind: 'done' });
    expect(await approveReview(temporary.db, admin, reviewId, undefined, ['hidden'])).toMatchObject({ kind: 'done' });
    const again = await events('review.approved');
    expect(again).toHaveLength(2);
    expect(again[1]!.data.publicId).toBe(approved!.data.publicId);
  });
});

describe('incentive.sent', () => {
  it('is written when an incentive run marks an incentive sent, once', async () => {
    const [seeded] = await seedSubmissions(temporary.db, [{ email: 'thanked@example.com' }]);
    const mailer = { db: temporary.db, transport: createOutboxTransport(join(scratch, 'outbox')), from: 'Acme <reviews@acme.example>' };
    expect(await deliverIncentives({ config, mailer })).toMatchObject({ sent: 1 });
    await deliverIncentives({ config, mailer });
    const sent = await events('incentive.sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ contactId: seeded!.contactId, data: { incentiveId: seeded!.incentiveId, reviewId: seeded!.reviewId, contact: { email: 'thanked@example.com' } } });
  });
});

describe('erasure', () => {
  it("removes a customer's events and their queued deliveries", async () => {
    await storeNpsAnswers(temporary.db, [{ email: 'gone@example.com', score: 1, comment: 'Private reason', locale: 'en' }], { source: 'webhook', defaultLocale: 'en' });
    const [event] = await events();
    await temporary.db.$client.execute({ sql: "insert into webhook_deliveries (event_id, endpoint, body, next_attempt_at) values (?, 'slack', '{}', 0)", args: [event!.id] });
    await eraseContact(temporary.db, { contactId: event!.contactId! }, { id: null, label: 'cli' }, { uploadDir: join(scratch, 'uploads'), outboxDir: join(scratch, 'outbox') });
    expect(await events()).toEqual([]);
    expect((await temporary.db.$client.execute('select count(*) as n from webhook_deliveries')).rows[0]!.n).toBe(0);
  });
});
