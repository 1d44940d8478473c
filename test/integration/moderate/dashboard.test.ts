import { parse } from 'csv-parse/sync';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contacts, incentives, publishRuns, reviewRequests, reviews } from '../../../db/schema.ts';
import { loadDashboard } from '../../../src/lib/server/moderate/dashboard.ts';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');
type FixtureRow = { email: string; locale: string; score: string; responded_at: string };
const fixtureRows = parse(readFileSync(fixture), { columns: true, bom: true }) as FixtureRow[];

/** Expected figures by plain counting over the CSV, independent of the code under test. */
function countByHand(rows: FixtureRow[]) {
  const total = rows.length;
  const promoters = rows.filter((row) => Number(row.score) >= 9).length;
  const detractors = rows.filter((row) => Number(row.score) <= 6).length;
  return { total, promoters, passives: total - promoters - detractors, detractors, nps: Math.round(((promoters - detractors) / total) * 1000) / 10 };
}

describe('dashboard figures', () => {
  let database: TemporaryDatabase;
  beforeEach(async () => {
    database = await createTemporaryDatabase();
    await importNpsCsv(database.db, createReadStream(fixture), { source: 'csv', defaultLocale: 'en' });
  });
  afterEach(() => database.cleanup());

  it('shows the fixture overall NPS of 38.1 (38 promoters, 11 passives, 14 detractors)', async () => {
    const figures = await loadDashboard(database.db);
    expect(figures.overall).toEqual({ total: 63, promoters: 38, passives: 11, detractors: 14, nps: 38.1 });
    expect(figures.overall).toEqual(countByHand(fixtureRows));
  });

  it('gives each UTC month the NPS of the answers of that month', async () => {
    const months = [...new Set(fixtureRows.map((row) => row.responded_at.slice(0, 7)))].sort();
    const expected = months.map((month) => ({ month, ...countByHand(fixtureRows.filter((row) => row.responded_at.startsWith(month))) }));
    const figures = await loadDashboard(database.db);
    expect(figures.monthly).toEqual(expected);
    // Two months checked by hand: May has 11 promoters, 2 passives, 3 detractors of 16 → 50;
    // July has 0 promoters, 1 passive, 3 detractors of 4 → −75.
    expect(figures.monthly.find((row) => row.month === '2026-05')).toEqual({ month: '2026-05', total: 16, promoters: 11, passives: 2, detractors: 3, nps: 50 });
    expect(figures.monthly.find((row) => row.month === '2026-07')).toEqual({ month: '2026-07', total: 4, promoters: 0, passives: 1, detractors: 3, nps: -75 });
    expect(figures.monthly.reduce((sum, row) => sum + row.total, 0)).toBe(63);
  });

  it('counts every score 0–10 and every locale', async () => {
    const figures = await loadDashboard(database.db);
    const expected = Array.from({ length: 11 }, (_, score) => fixtureRows.filter((row) => Number(row.score) === score).length);
    expect(figures.distribution).toEqual(expected);
    // A customer's locale is the one they last answered in, as the import stores it.
    const latestLocale = new Map<string, string>();
    for (const row of fixtureRows) latestLocale.set(row.email, row.locale);
    for (const locale of new Set(latestLocale.values())) {
      const answers = fixtureRows.filter((row) => latestLocale.get(row.email) === locale);
      const trend = figures.locales.find((row) => row.locale === locale);
      expect(trend, locale).toMatchObject({ locale, answers: answers.length, nps: countByHand(answers).nps, reviews: 0, approved: 0 });
    }
  });

  it('follows invitations to the published wall, and shows approval by star rating', async () => {
    const { db } = database;
    const day = 86_400_000;
    const start = Date.UTC(2026, 9, 1);
    const people = await db.select({ id: contacts.id, locale: contacts.locale }).from(contacts).limit(8);
    // 8 invited, 6 opened, 5 reviewed: ratings 5 (approved, published), 5 (approved after the
    // publish), 1 (rejected), 2 (approved, published), 4 (pending).
    const plans = [
      { rating: 5, status: 'approved', moderatedAt: start + 2 * day },
      { rating: 5, status: 'approved', moderatedAt: start + 9 * day },
      { rating: 1, status: 'rejected', moderatedAt: start + 2 * day },
      { rating: 2, status: 'approved', moderatedAt: start + 3 * day },
      { rating: 4, status: 'pending', moderatedAt: null },
    ];
    for (const [index, person] of people.entries()) {
      const plan = plans[index];
      const [request] = await db
        .insert(reviewRequests)
        .values({
          contactId: person.id,
          tokenHash: hashToken(`token-${index}`),
          locale: person.locale,
          expiresAt: new Date(start + 30 * day),
          sentAt: new Date(start),
          openedAt: index < 6 ? new Date(start + day) : null,
          submittedAt: plan ? new Date(start + day) : null,
        })
        .returning({ id: reviewRequests.id });
      if (!plan || !request) continue;
      const [review] = await db
        .insert(reviews)
        .values({
          requestId: request.id,
          contactId: person.id,
          rating: plan.rating,
          body: 'A review body.',
          nameDisplay: 'full',
          locale: 'en',
          consentAt: new Date(start + day),
          status: plan.status,
          moderatedAt: plan.moderatedAt === null ? null : new Date(plan.moderatedAt),
          submittedAt: new Date(start + day),
        })
        .returning({ id: reviews.id });
      await db.insert(incentives).values({ reviewId: review!.id, contactId: person.id, state: index < 3 ? 'sent' : 'pending' });
    }
    await db.insert(publishRuns).values([
      { startedBy: 'cli', status: 'succeeded', startedAt: new Date(start + 4 * day), finishedAt: new Date(start + 5 * day) },
      { startedBy: 'cli', status: 'failed', startedAt: new Date(start + 10 * day), finishedAt: new Date(start + 10 * day) },
    ]);

    const figures = await loadDashboard(db);
    expect(figures.funnel).toEqual({ invited: 8, opened: 6, submitted: 5, approved: 3, published: 2, lastPublishedAt: new Date(start + 5 * day) });
    expect(figures.incentiveStates).toEqual([
      { state: 'pending', count: 2 },
      { state: 'sent', count: 3 },
    ]);
    expect(figures.approvalByRating).toEqual([
      { rating: 1, submitted: 1, pending: 0, approved: 0, removed: 1, approvalRate: 0 },
      { rating: 2, submitted: 1, pending: 0, approved: 1, removed: 0, approvalRate: 100 },
      { rating: 3, submitted: 0, pending: 0, approved: 0, removed: 0, approvalRate: null },
      { rating: 4, submitted: 1, pending: 1, approved: 0, removed: 0, approvalRate: null },
      { rating: 5, submitted: 2, pending: 0, approved: 2, removed: 0, approvalRate: 100 },
    ]);
    expect(figures.locales.find((row) => row.locale === 'en')).toMatchObject({ reviews: 5, approved: 3 });
  });

  it('shows nothing published before the first successful publish', async () => {
    const figures = await loadDashboard(database.db);
    expect(figures.funnel).toEqual({ invited: 0, opened: 0, submitted: 0, approved: 0, published: 0, lastPublishedAt: null });
    expect(figures.approvalByRating.every((row) => row.submitted === 0 && row.approvalRate === null)).toBe(true);
  });
});
