import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../../db/migrate.ts';
import { parseReviewWallConfig, type ReviewWallConfig } from '../../../src/lib/config-schema.ts';
import { inviteCandidate, selectInvitationCandidates } from '../../../src/lib/server/ask/invitations.ts';
import { createReviewRequest } from '../../../src/lib/server/ask/review-requests.ts';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { createOutboxTransport, type Mailer } from '../../../src/lib/server/platform/mail.ts';
import { loadDemo } from '../../../src/lib/server/platform/demo.ts';
import { describeCollection } from '../../../src/lib/publish/collection.ts';
import { listApprovedReviews } from '../../../src/lib/server/publish/public-reviews.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// Every review request records whom its run invited and what its email promised, whatever the
// config says: the public pages state how reviews were collected from these facts.

const answers = `email,name,locale,score,responded_at
pat.promoter@example.com,Pat Promoter,en,10,2026-03-01T10:00:00Z
dee.detractor@example.com,Dee Detractor,en,1,2026-03-02T10:00:00Z
pam.passive@example.com,Pam Passive,en,7,2026-03-03T10:00:00Z
`;

/** A config as a business might write it; only the audience and incentive matter here. */
function configWith(audience: 'promoters' | 'all', incentive = 'a pot of honey'): ReviewWallConfig {
  return parseReviewWallConfig({
    business: { name: 'Honest Bees', website: 'https://bees.example' },
    itemReviewed: { type: 'Service', name: 'Beekeeping lessons' },
    invite: { audience },
    incentive: { text: incentive, translations: { pl: 'słoik miodu' } },
  });
}

let database: TemporaryDatabase;
let mailer: Mailer;
const query = async (sql: string, args: (string | number)[] = []) => (await database.db.$client.execute({ sql, args })).rows;
const recorded = async () =>
  Object.fromEntries(
    (await query('select c.email, q.audience, q.incentive from review_requests q join contacts c on c.id = q.contact_id order by c.email')).map((row) => [
      String(row.email),
      { audience: row.audience, incentive: row.incentive },
    ]),
  );

async function invite(config: ReviewWallConfig, audience: 'promoters' | 'all', now = new Date()): Promise<void> {
  const candidates = await selectInvitationCandidates(database.db, { audience, enabledLocales: config.locales.enabled, defaultLocale: config.locales.default });
  for (const candidate of candidates) await inviteCandidate({ db: database.db, mailer, config, siteUrl: 'https://reviews.bees.example', audience }, candidate, now);
}

beforeEach(async () => {
  database = await createTemporaryDatabase();
  mailer = { db: database.db, transport: createOutboxTransport(join(database.directory, 'outbox')), from: 'reviews@bees.example' };
  await importNpsCsv(database.db, Readable.from([Buffer.from(answers)]), { source: 'csv', defaultLocale: 'en' });
});
afterEach(() => database.cleanup());

describe('an invitation run records its own audience, not the config default', () => {
  it('config "promoters" + --audience all: every request says "all", detractors included', async () => {
    await invite(configWith('promoters'), 'all');
    expect(await recorded()).toEqual({
      'dee.detractor@example.com': { audience: 'all', incentive: 'a pot of honey' },
      'pam.passive@example.com': { audience: 'all', incentive: 'a pot of honey' },
      'pat.promoter@example.com': { audience: 'all', incentive: 'a pot of honey' },
    });
  });

  it('config "all" + --audience promoters: the one request says "promoters"', async () => {
    await invite(configWith('all'), 'promoters');
    expect(await recorded()).toEqual({ 'pat.promoter@example.com': { audience: 'promoters', incentive: 'a pot of honey' } });
  });

  it('a later run with another audience and incentive records its own on the requests it sends, and leaves earlier ones alone', async () => {
    await invite(configWith('promoters', 'a pot of honey'), 'promoters');
    await invite(configWith('promoters', 'a beeswax candle'), 'all');
    expect(await recorded()).toEqual({
      'dee.detractor@example.com': { audience: 'all', incentive: 'a beeswax candle' },
      'pam.passive@example.com': { audience: 'all', incentive: 'a beeswax candle' },
      'pat.promoter@example.com': { audience: 'promoters', incentive: 'a pot of honey' },
    });
  });

  it('a request left unsent by an interrupted run takes the terms of the run that finally sends it', async () => {
    const [contact] = await query(`select id from contacts where email = 'pat.promoter@example.com'`);
    // What an interrupted "--audience all" run leaves behind: the request, no email.
    await createReviewRequest(database.db, {
      contactId: Number(contact!.id),
      responseId: null,
      locale: 'en',
      lifetimeDays: 30,
      terms: { audience: 'all', incentive: 'a pot of honey' },
      now: new Date(Date.now() - 60 * 60 * 1000),
    });
    await invite(configWith('all', 'a beeswax candle'), 'promoters');
    expect(await recorded()).toEqual({ 'pat.promoter@example.com': { audience: 'promoters', incentive: 'a beeswax candle' } });
    const [email] = await query(`select status from email_log where kind = 'invite'`);
    expect(email?.status).toBe('sent');
  });

  it('the published collection follows the recorded audience: config "promoters" + --audience all allows an average, config "all" + --audience promoters does not', async () => {
    await invite(configWith('promoters'), 'all');
    await query(`insert into reviews (request_id, contact_id, rating, body, name_display, locale, consent_at, status)
                 select q.id, q.contact_id, 1, 'Too slow for me.', 'full', 'en', 0, 'approved' from review_requests q`);
    expect(describeCollection((await listApprovedReviews(database.db)).invitations).kind).toBe('everyone');

    const other = await createTemporaryDatabase();
    try {
      await importNpsCsv(other.db, Readable.from([Buffer.from(answers)]), { source: 'csv', defaultLocale: 'en' });
      const config = configWith('all');
      for (const candidate of await selectInvitationCandidates(other.db, { audience: 'promoters', enabledLocales: config.locales.enabled, defaultLocale: 'en' })) {
        await inviteCandidate({ db: other.db, mailer: { ...mailer, db: other.db }, config, siteUrl: 'https://reviews.bees.example', audience: 'promoters' }, candidate);
      }
      await other.db.$client.execute(`insert into reviews (request_id, contact_id, rating, body, name_display, locale, consent_at, status)
                 select q.id, q.contact_id, 5, 'Lovely bees.', 'full', 'en', 0, 'approved' from review_requests q`);
      expect(describeCollection((await listApprovedReviews(other.db)).invitations).kind).toBe('selected');
    } finally {
      other.cleanup();
    }
  });
});

describe('what the public pages read', () => {
  it('takes only approved reviews, with the time their invitation went out and what it promised', async () => {
    await invite(configWith('promoters'), 'all', new Date('2026-06-15T08:00:00Z'));
    // A crash after sending but before recording it leaves sent_at empty: the request's own time stands in.
    await query(`update review_requests set sent_at = null, created_at = ? where contact_id = (select id from contacts where email = 'pam.passive@example.com')`, [
      Date.parse('2026-06-16T08:00:00Z'),
    ]);
    await query(`insert into reviews (request_id, contact_id, rating, body, name_display, locale, consent_at, status)
                 select q.id, q.contact_id, 3, 'Fine.', 'full', 'en', 0,
                        case c.email when 'pat.promoter@example.com' then 'rejected' else 'approved' end
                 from review_requests q join contacts c on c.id = q.contact_id`);
    const { reviews, invitations } = await listApprovedReviews(database.db);
    expect(reviews.map((review) => review.incentive)).toEqual(['a pot of honey', 'a pot of honey']);
    expect(invitations.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())).toEqual([
      { audience: 'all', sentAt: new Date('2026-06-15T08:00:00Z'), incentive: 'a pot of honey' },
      { audience: 'all', sentAt: new Date('2026-06-16T08:00:00Z'), incentive: 'a pot of honey' },
    ]);
    // The narrow public shape: nothing about the contact or the request itself.
    for (const review of reviews) for (const key of ['email', 'audience', 'sentAt', 'invitedAt', 'contactId', 'requestId']) expect(review).not.toHaveProperty(key);
  });
});

describe('the demo', () => {
  it('records its requests as a promoters run, each linked to an answer of 9 or 10, promising the configured incentive', async () => {
    const demo = await createTemporaryDatabase();
    try {
      await loadDemo(demo.db, { lifetimeDays: 30, incentive: 'a pot of honey' });
      const rows = (
        await demo.db.$client.execute('select q.audience, q.incentive, r.score from review_requests q join nps_responses r on r.id = q.response_id')
      ).rows;
      expect(rows.length).toBeGreaterThan(5);
      for (const row of rows) expect(row).toMatchObject({ audience: 'promoters', incentive: 'a pot of honey', score: expect.toSatisfy((score: number) => score >= 9) });
    } finally {
      demo.cleanup();
    }
  });
});

describe('migration 0005 on requests sent before the audience was recorded', () => {
  it('marks a request for an answer below 9 as "all", keeps the rest "promoters", and records no incentive', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-migration-'));
    const before = join(directory, 'migrations');
    cpSync(migrationsFolder, before, { recursive: true });
    const journalFile = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const index = journal.entries.findIndex((entry) => entry.tag.startsWith('0005_'));
    expect(index).toBeGreaterThan(0);
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }));
    const db = await openDatabase({ url: `file:${join(directory, 'old.db')}` });
    try {
      await migrateDatabase(db, before);
      // The answers as the code of that time stored them (today's import writes columns added later).
      await db.$client.batch(
        [
          "insert into contacts (email, name, locale) values ('pat.promoter@example.com', 'Pat Promoter', 'en'), ('dee.detractor@example.com', 'Dee Detractor', 'en'), ('pam.passive@example.com', 'Pam Passive', 'en')",
          `insert into nps_responses (contact_id, score, responded_at, source) select id, case email when 'pat.promoter@example.com' then 10 when 'dee.detractor@example.com' then 1 else 7 end, ${Date.parse('2026-03-01T10:00:00Z')}, 'csv' from contacts`,
        ],
        'write',
      );
      // Requests as the old code wrote them: no audience, no incentive; one without a linked answer.
      await db.$client.execute(`insert into review_requests (contact_id, response_id, token_hash, locale, expires_at, sent_at)
        select c.id, case c.email when 'pam.passive@example.com' then null else r.id end, 'hash-' || c.id, 'en', 0, 1
        from contacts c join nps_responses r on r.contact_id = c.id`);
      await migrateDatabase(db);
      const rows = (await db.$client.execute('select c.email, q.audience, q.incentive from review_requests q join contacts c on c.id = q.contact_id order by c.email')).rows;
      expect(rows.map((row) => [row.email, row.audience, row.incentive])).toEqual([
        ['dee.detractor@example.com', 'all', null],
        // Its answer (7) is gone from the request: we cannot know, so it claims no more than "selected".
        ['pam.passive@example.com', 'promoters', null],
        ['pat.promoter@example.com', 'promoters', null],
      ]);
    } finally {
      db.$client.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
