import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../db/client.ts';
import { incentives, reviewRequests, reviews } from '../../../db/schema.ts';
import { storeNpsAnswers } from '../../../src/lib/server/listen/nps-import.ts';
import { listFilterChoices, loadDashboard, loadSurveyRounds } from '../../../src/lib/server/moderate/dashboard.ts';
import { loadFollowUpFigures } from '../../../src/lib/server/moderate/follow-up.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { runScript, signInAdmin, startApp, type RunningApp } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// A small fixture whose figures are worked out by hand below.
//   ana (pl): 10 on 5 Mar (EU), 3 on 10 Apr (EU)     ben (en): 9 on 6 Mar (US), 7 on 11 Apr (US)
//   cai (en): 0 on 12 Apr (EU), 9 on 1 May (EU)       dan (pl): 8 on 15 Apr (no segment)
// Ana reviewed (5★, approved, Polish) after her 10; Ben (4★, pending, English) after his 9; Cai was
// invited after his 9 and did not open it. Ana and Ben answered survey emails of round 1.
const answers = [
  { email: 'ana@example.com', locale: 'pl', score: 10, responded_at: '2026-03-05T10:00:00Z', segment: 'EU' },
  { email: 'ana@example.com', locale: 'pl', score: 3, responded_at: '2026-04-10T10:00:00Z', segment: 'EU' },
  { email: 'ben@example.com', locale: 'en', score: 9, responded_at: '2026-03-06T10:00:00Z', segment: 'US' },
  { email: 'ben@example.com', locale: 'en', score: 7, responded_at: '2026-04-11T10:00:00Z', segment: 'US' },
  { email: 'cai@example.com', locale: 'en', score: 0, responded_at: '2026-04-12T10:00:00Z', segment: 'EU' },
  { email: 'cai@example.com', locale: 'en', score: 9, responded_at: '2026-05-01T10:00:00Z', segment: 'EU' },
  { email: 'dan@example.com', locale: 'pl', score: 8, responded_at: '2026-04-15T10:00:00Z' },
];

async function seed(db: Database): Promise<void> {
  await storeNpsAnswers(db, answers, { source: 'csv', defaultLocale: 'en' });
  const answer = async (email: string, score: number) =>
    (await db.$client.execute({ sql: 'select r.id, r.contact_id from nps_responses r join contacts c on c.id = r.contact_id where c.email = ? and r.score = ?', args: [email, score] })).rows[0]!;
  const plans = [
    { email: 'ana@example.com', score: 10, locale: 'pl', sent: '2026-03-07', review: { rating: 5, status: 'approved', submitted: '2026-03-10', incentive: 'sent' } },
    { email: 'ben@example.com', score: 9, locale: 'en', sent: '2026-03-08', review: { rating: 4, status: 'pending', submitted: '2026-03-12', incentive: 'pending' } },
    { email: 'cai@example.com', score: 9, locale: 'en', sent: '2026-05-02', review: null },
  ];
  for (const plan of plans) {
    const row = await answer(plan.email, plan.score);
    const contactId = Number(row.contact_id);
    const [request] = await db
      .insert(reviewRequests)
      .values({
        contactId,
        responseId: Number(row.id),
        tokenHash: hashToken(`token-${plan.email}`),
        locale: plan.locale,
        expiresAt: new Date('2026-12-31T00:00:00Z'),
        sentAt: new Date(`${plan.sent}T12:00:00Z`),
        openedAt: plan.review ? new Date(`${plan.sent}T13:00:00Z`) : null,
        submittedAt: plan.review ? new Date(`${plan.review.submitted}T12:00:00Z`) : null,
      })
      .returning();
    if (!plan.review) continue;
    const [review] = await db
      .insert(reviews)
      .values({
        requestId: request!.id,
        contactId,
        rating: plan.review.rating,
        body: 'A review.',
        nameDisplay: 'full',
        locale: plan.locale,
        consentAt: new Date(`${plan.review.submitted}T12:00:00Z`),
        status: plan.review.status,
        submittedAt: new Date(`${plan.review.submitted}T12:00:00Z`),
      })
      .returning();
    await db.insert(incentives).values({ reviewId: review!.id, contactId, state: plan.review.incentive });
  }
  for (const [email, score, locale] of [['ana@example.com', 10, 'pl'], ['ben@example.com', 9, 'en']] as const) {
    const row = await answer(email, score);
    const [survey] = (
      await db.$client.execute({
        sql: "insert into surveys (contact_id, trigger, origin, round, locale, expires_at, sent_at, created_at) values (?, 'manual', 'fixture', 1, ?, ?, ?, ?) returning id",
        args: [Number(row.contact_id), locale, Date.parse('2026-12-31'), Date.parse('2026-03-01'), Date.parse('2026-03-01')],
      })
    ).rows;
    await db.$client.execute({ sql: 'update nps_responses set survey_id = ? where id = ?', args: [Number(survey!.id), Number(row.id)] });
  }
}

const april = { from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-05-01T00:00:00Z') };

describe('dashboard figures under a filter', () => {
  let database: TemporaryDatabase;
  beforeEach(async () => {
    database = await createTemporaryDatabase();
    await seed(database.db);
  });
  afterEach(() => database.cleanup());

  it.each([
    // EU: 10, 3, 0, 9 → 2 promoters, 2 detractors of 4 → 0.
    ['segment EU', { segment: 'EU' }, { total: 4, promoters: 2, passives: 0, detractors: 2, nps: 0 }],
    // US: 9, 7 → 1 promoter, 1 passive → 50.
    ['segment US', { segment: 'US' }, { total: 2, promoters: 1, passives: 1, detractors: 0, nps: 50 }],
    // Polish customers: 10, 3, 8 → 1, 1, 1 → 0.
    ['language pl', { locale: 'pl' }, { total: 3, promoters: 1, passives: 1, detractors: 1, nps: 0 }],
    // English customers: 9, 7, 0, 9 → 2, 1, 1 → 25.
    ['language en', { locale: 'en' }, { total: 4, promoters: 2, passives: 1, detractors: 1, nps: 25 }],
    // April: 3, 7, 0, 8 → 0, 2, 2 → −50.
    ['April', april, { total: 4, promoters: 0, passives: 2, detractors: 2, nps: -50 }],
    // EU in April: 3, 0 → −100.
    ['EU in April', { ...april, segment: 'EU' }, { total: 2, promoters: 0, passives: 0, detractors: 2, nps: -100 }],
    // English EU: Cai's 0 and 9 → 0.
    ['EU in English', { segment: 'EU', locale: 'en' }, { total: 2, promoters: 1, passives: 0, detractors: 1, nps: 0 }],
    ['a segment nobody has', { segment: 'Mars' }, { total: 0, promoters: 0, passives: 0, detractors: 0, nps: null }],
  ])('counts the NPS of %s', async (_name, filter, expected) => {
    expect((await loadDashboard(database.db, filter)).overall).toEqual(expected);
  });

  it('filters the distribution, the months and the language table too', async () => {
    const figures = await loadDashboard(database.db, { segment: 'EU' });
    expect(figures.distribution).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1]);
    expect(figures.monthly.map((month) => [month.month, month.total, month.nps])).toEqual([
      ['2026-03', 1, 100],
      ['2026-04', 2, -100],
      ['2026-05', 1, 100],
    ]);
    expect(figures.locales).toEqual([
      { locale: 'en', answers: 2, nps: 0, reviews: 0, approved: 0 },
      { locale: 'pl', answers: 2, nps: 0, reviews: 1, approved: 1 },
    ]);
  });

  it('filters the review funnel, approval by rating and incentives by the segment of the answer behind each review', async () => {
    const eu = await loadDashboard(database.db, { segment: 'EU' });
    // Ana (reviewed, approved) and Cai (invited only).
    expect(eu.funnel).toMatchObject({ invited: 2, opened: 1, submitted: 1, approved: 1, published: 0 });
    expect(eu.approvalByRating.map((row) => [row.rating, row.submitted, row.approved, row.pending])).toEqual([[1, 0, 0, 0], [2, 0, 0, 0], [3, 0, 0, 0], [4, 0, 0, 0], [5, 1, 1, 0]]);
    expect(eu.incentiveStates).toEqual([{ state: 'sent', count: 1 }]);

    const us = await loadDashboard(database.db, { segment: 'US', locale: 'en' });
    expect(us.funnel).toMatchObject({ invited: 1, opened: 1, submitted: 1, approved: 0 });
    expect(us.approvalByRating[3]).toMatchObject({ rating: 4, submitted: 1, pending: 1 });
    expect(us.incentiveStates).toEqual([{ state: 'pending', count: 1 }]);

    // Reviews by submission day, invitations by sending day: nothing of either in April; Cai's invitation in May.
    const inApril = await loadDashboard(database.db, april);
    expect(inApril.funnel).toMatchObject({ invited: 0, approved: 0 });
    expect(inApril.approvalByRating.reduce((sum, row) => sum + row.submitted, 0)).toBe(0);
    expect(inApril.incentiveStates).toEqual([]);
    expect((await loadDashboard(database.db, { from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') })).funnel).toMatchObject({ invited: 1, opened: 0 });

    // Unfiltered, everything counts: 3 invited, 2 reviews.
    const all = await loadDashboard(database.db);
    expect(all.funnel).toMatchObject({ invited: 3, opened: 2, submitted: 2, approved: 1 });
    expect(all.overall.total).toBe(7);
  });

  it('filters survey rounds and follow-up figures', async () => {
    expect((await loadSurveyRounds(database.db, { segment: 'EU' })).map((round) => [round.round, round.sent, round.total, round.nps])).toEqual([[1, 1, 1, 100]]);
    expect((await loadSurveyRounds(database.db, { locale: 'en' })).map((round) => [round.round, round.sent, round.total, round.nps])).toEqual([[1, 1, 1, 100]]);
    expect(await loadSurveyRounds(database.db, april)).toEqual([]);
    // Detractors and passives: EU 3 and 0; Polish 3 and 8; everyone 3, 7, 0, 8.
    expect((await loadFollowUpFigures(database.db, { segment: 'EU' })).needed).toBe(2);
    expect((await loadFollowUpFigures(database.db, { locale: 'pl' })).needed).toBe(2);
    expect((await loadFollowUpFigures(database.db, {})).needed).toBe(4);
  });

  it('offers the segments and languages found in the data', async () => {
    expect(await listFilterChoices(database.db)).toEqual({ segments: ['EU', 'US'], locales: ['en', 'pl'] });
  });
});

describe('/admin/dashboard/ with a filter in its address', { timeout: 180_000 }, () => {
  let app: RunningApp;
  let db: Database;
  let cookie: string;
  beforeAll(async () => {
    app = await startApp({ args: ['--no-demo', '--no-tick'] });
    db = await openDatabase({ url: app.env.DATABASE_URL! });
    await seed(db);
    const created = await runScript('admin', ['create', 'filter@example.com'], { ...app.env, ADMIN_PASSWORD: 'a-long-enough-password' });
    expect(created.code, created.stderr).toBe(0);
    cookie = await signInAdmin(app, { email: 'filter@example.com', password: 'a-long-enough-password' });
  }, 180_000);
  afterAll(async () => {
    db?.$client.close();
    await app?.stop();
  });

  const page = async (query: string) => (await (await fetch(`${app.url}/admin/dashboard/${query}`, { headers: { Cookie: cookie } })).text()).replace(/ data-astro-cid-\w+/g, '');
  const figure = (html: string, id: string) => html.match(new RegExp(`data-testid="${id}"[^>]*>(?:<a [^>]*>)?([^<]*)<`))?.[1];

  it.each([
    ['', '14.3', 'every figure'],
    ['?segment=EU', '0.0', 'segment “EU”'],
    ['?segment=US', '50.0', 'segment “US”'],
    ['?locale=en', '25.0', 'language English (en)'],
    ['?from=2026-04-01&to=2026-04-30', '-50.0', 'from 2026-04-01 to 2026-04-30 (UTC)'],
    ['?from=2026-04-01&to=2026-04-30&segment=EU&locale=', '-100.0', 'from 2026-04-01 to 2026-04-30 (UTC), segment “EU”'],
  ])('shows the NPS of %s as worked out by hand', async (query, nps, words) => {
    const html = await page(query);
    expect(figure(html, 'nps-overall')).toBe(nps);
    expect(html).toContain(words === 'every figure' ? 'Every figure below counts everything.' : `Every figure below counts only: ${words}.`);
  });

  it('fills the selects from the data and keeps the chosen filter selected', async () => {
    const html = await page('?segment=US&locale=en');
    expect(html).toContain('<option value="EU">EU</option>');
    expect(html).toContain('<option value="US" selected>US</option>');
    expect(html).toContain('<option value="en" selected>English (en)</option>');
    expect(html).toContain('<option value="pl">Polski (pl)</option>');
    // Follow-up figures follow the filter: Ben's 7 waits.
    expect(figure(html, 'follow-up-waiting')).toBe('1');
  });

  it('says what is wrong with a bad range and leaves it out', async () => {
    const html = await page('?from=2026-04-30&to=2026-04-01&segment=EU');
    expect(html).toContain('The last day comes before the first. The date range is left out.');
    expect(figure(html, 'nps-overall')).toBe('0.0');
  });
});
