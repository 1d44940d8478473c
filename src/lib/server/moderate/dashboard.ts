import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { publishRuns } from '../../../../db/schema.ts';
import type { DashboardFilter } from '../../moderate/dashboard-filter.ts';
import { answerFilterSql, requestFilterSql, reviewFilterSql, surveyFilterSql } from './dashboard-filter-sql.ts';
import { addToGroupedScoreCounts, emptyScoreCounts, percentage, summarizeScoreCounts, type NpsSummary } from '../../listen/nps.ts';

/** NPS over one month of answers. */
export interface MonthlyNps extends NpsSummary {
  /** YYYY-MM, the UTC calendar month of `responded_at`. */
  month: string;
}

/** How far invited customers got, from invitation to the published wall. */
export interface ReviewFunnel {
  /** Review requests whose email went out. */
  invited: number;
  /** Requests whose link was opened. */
  opened: number;
  /** Requests that led to a submitted review. */
  submitted: number;
  /** Reviews approved now. */
  approved: number;
  /** Approved reviews whose approval came before the last successful publish finished. */
  published: number;
  /** When the last successful publish finished; null when the site was never published. */
  lastPublishedAt: Date | null;
}

/** Moderation outcomes of the reviews with one star rating. */
export interface RatingModeration {
  rating: number;
  submitted: number;
  pending: number;
  approved: number;
  /** Rejected or hidden by a moderator. */
  removed: number;
  /** approved ÷ (approved + removed), in percent; null before any decision. */
  approvalRate: number | null;
}

/** Answers, NPS and reviews of one language. */
export interface LocaleTrend {
  locale: string;
  answers: number;
  nps: number | null;
  reviews: number;
  approved: number;
}

/** Every figure the admin dashboard shows. */
export interface DashboardFigures {
  overall: NpsSummary;
  /** Answers per score: index 0…10. */
  distribution: number[];
  /** Oldest month first; months without answers are left out. */
  monthly: MonthlyNps[];
  funnel: ReviewFunnel;
  /** Incentive ledger rows per state (pending, sending, sent, failed). */
  incentiveStates: { state: string; count: number }[];
  /** One row per star rating 1…5, so suppression of low ratings would show. */
  approvalByRating: RatingModeration[];
  locales: LocaleTrend[];
}

async function loadNpsFigures(db: Database, filter: DashboardFilter) {
  const { where, args } = answerFilterSql(filter);
  const [byMonth, byLocale] = await db.$client.batch(
    [
      {
        sql: `select strftime('%Y-%m', r.responded_at / 1000, 'unixepoch') as month, r.score, count(*) as answers
              from nps_responses r join contacts c on c.id = r.contact_id where ${where} group by month, r.score`,
        args,
      },
      { sql: `select c.locale, r.score, count(*) as answers from nps_responses r join contacts c on c.id = r.contact_id where ${where} group by c.locale, r.score`, args },
    ],
    'read',
  );
  const distribution = emptyScoreCounts();
  const months = new Map<string, number[]>();
  for (const row of byMonth!.rows) {
    distribution[Number(row.score)]! += Number(row.answers);
    addToGroupedScoreCounts(months, String(row.month), Number(row.score), Number(row.answers));
  }
  const locales = new Map<string, number[]>();
  for (const row of byLocale!.rows) addToGroupedScoreCounts(locales, String(row.locale), Number(row.score), Number(row.answers));
  const monthly = [...months]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, counts]) => ({ month, ...summarizeScoreCounts(counts) }));
  return { overall: summarizeScoreCounts(distribution), distribution, monthly, locales };
}

async function loadFunnel(db: Database, filter: DashboardFilter): Promise<ReviewFunnel> {
  const [lastRun] = await db
    .select({ finishedAt: publishRuns.finishedAt })
    .from(publishRuns)
    .where(and(eq(publishRuns.status, 'succeeded'), isNotNull(publishRuns.finishedAt)))
    .orderBy(desc(publishRuns.finishedAt))
    .limit(1);
  const lastPublishedAt = lastRun?.finishedAt ?? null;
  // With a filter, the funnel follows the invitations it selects (sent in the range, in the language, of the segment).
  const { where, args } = requestFilterSql(filter);
  const requestScope = filter.from || filter.to || filter.locale !== undefined || filter.segment !== undefined;
  const reviewScope = requestScope ? `rv.request_id in (select rq.id from review_requests rq join contacts c on c.id = rq.contact_id where ${where})` : '1 = 1';
  // A review approved without a recorded moderation time counts from its submission.
  const [requests, approved] = await db.$client.batch(
    [
      {
        sql: `select count(rq.sent_at) as invited, count(rq.opened_at) as opened, count(rq.submitted_at) as submitted
              from review_requests rq join contacts c on c.id = rq.contact_id where ${where}`,
        args,
      },
      {
        sql: `select count(*) as approved, count(case when coalesce(rv.moderated_at, rv.submitted_at) <= ? then 1 end) as published
              from reviews rv where rv.status = 'approved' and ${reviewScope}`,
        args: [lastPublishedAt ? lastPublishedAt.getTime() : -1, ...(requestScope ? args : [])],
      },
    ],
    'read',
  );
  const counts = requests!.rows[0]!;
  const reviewed = approved!.rows[0]!;
  return {
    invited: Number(counts.invited ?? 0),
    opened: Number(counts.opened ?? 0),
    submitted: Number(counts.submitted ?? 0),
    approved: Number(reviewed.approved ?? 0),
    published: lastPublishedAt ? Number(reviewed.published ?? 0) : 0,
    lastPublishedAt,
  };
}

async function loadReviewFigures(db: Database, filter: DashboardFilter) {
  const { where, args } = reviewFilterSql(filter);
  const from = 'from reviews rv join contacts c on c.id = rv.contact_id join review_requests rq on rq.id = rv.request_id';
  const [rows, incentiveRows] = await db.$client.batch(
    [
      { sql: `select rv.rating, rv.status, rv.locale, count(*) as value ${from} where ${where} group by rv.rating, rv.status, rv.locale`, args },
      {
        sql: `select i.state, count(*) as count from incentives i where i.review_id in (select rv.id ${from} where ${where}) group by i.state order by i.state`,
        args,
      },
    ],
    'read',
  );
  const approvalByRating: RatingModeration[] = [1, 2, 3, 4, 5].map((rating) => ({
    rating,
    submitted: 0,
    pending: 0,
    approved: 0,
    removed: 0,
    approvalRate: null,
  }));
  const byLocale = new Map<string, { reviews: number; approved: number }>();
  for (const row of rows!.rows) {
    const value = Number(row.value);
    const status = String(row.status);
    const rating = approvalByRating[Number(row.rating) - 1];
    if (rating) {
      rating.submitted += value;
      if (status === 'approved') rating.approved += value;
      else if (status === 'pending') rating.pending += value;
      else rating.removed += value;
    }
    const locale = byLocale.get(String(row.locale)) ?? { reviews: 0, approved: 0 };
    locale.reviews += value;
    if (status === 'approved') locale.approved += value;
    byLocale.set(String(row.locale), locale);
  }
  for (const rating of approvalByRating) rating.approvalRate = percentage(rating.approved, rating.approved + rating.removed);
  const incentiveStates = incentiveRows!.rows.map((row) => ({ state: String(row.state), count: Number(row.count) }));
  return { approvalByRating, byLocale, incentiveStates };
}

/**
 * Loads the dashboard's figures straight from the database, so they always match the data; every
 * figure counts only what `filter` selects (see DashboardFilter): answers by answer time, the
 * segment kept with the answer and the customer's language; reviews by submission time, review
 * language and the segment of the answer they followed; the funnel by invitation time.
 */
export async function loadDashboard(db: Database, filter: DashboardFilter = {}): Promise<DashboardFigures> {
  const nps = await loadNpsFigures(db, filter);
  const funnel = await loadFunnel(db, filter);
  const reviewFigures = await loadReviewFigures(db, filter);

  const localeNames = new Set([...nps.locales.keys(), ...reviewFigures.byLocale.keys()]);
  const locales = [...localeNames].sort().map((locale) => {
    const summary = summarizeScoreCounts(nps.locales.get(locale) ?? emptyScoreCounts());
    const reviewed = reviewFigures.byLocale.get(locale) ?? { reviews: 0, approved: 0 };
    return { locale, answers: summary.total, nps: summary.nps, ...reviewed };
  });

  return {
    overall: nps.overall,
    distribution: nps.distribution,
    monthly: nps.monthly,
    funnel,
    incentiveStates: reviewFigures.incentiveStates,
    approvalByRating: reviewFigures.approvalByRating,
    locales,
  };
}

/** The segments and languages the dashboard's filter offers: those found in answers, reviews and invitations. */
export async function listFilterChoices(db: Database): Promise<{ segments: string[]; locales: string[] }> {
  const [segments, locales] = await db.$client.batch(
    [
      'select distinct segment from nps_responses where segment is not null union select distinct segment from contacts where segment is not null order by 1',
      'select locale from contacts union select locale from reviews union select locale from review_requests order by 1',
    ],
    'read',
  );
  return { segments: segments!.rows.map((row) => String(row.segment)), locales: locales!.rows.map((row) => String(row.locale)) };
}

/** NPS of one survey round: the answers to the surveys of that round, whatever sent them. */
export interface RoundNps extends NpsSummary {
  round: number;
  /** When its first survey was created. */
  startedAt: Date;
  /** Surveys created, and those whose email went out. */
  surveys: number;
  sent: number;
  /** Answered surveys ÷ sent, in percent; null before any went out. */
  responseRate: number | null;
}

/** NPS per survey round, oldest first (the last one is the current round), over the NPS surveys `filter` selects (CSAT and CES count their own rounds). */
export async function loadSurveyRounds(db: Database, filter: DashboardFilter = {}): Promise<RoundNps[]> {
  const { where, args } = surveyFilterSql(filter);
  const [surveyRows, answerRows] = await db.$client.batch(
    [
      {
        sql: `select s.round, min(s.created_at) as started_at, count(*) as surveys, count(s.sent_at) as sent
              from surveys s join contacts c on c.id = s.contact_id where s.kind = 'nps' and ${where} group by s.round order by s.round`,
        args,
      },
      {
        sql: `select s.round, r.score, count(*) as answers from surveys s join contacts c on c.id = s.contact_id join nps_responses r on r.survey_id = s.id
              where ${where} group by s.round, r.score`,
        args,
      },
    ],
    'read',
  );
  const scores = new Map<string, number[]>();
  for (const row of answerRows!.rows) addToGroupedScoreCounts(scores, String(row.round), Number(row.score), Number(row.answers));
  return surveyRows!.rows.map((row) => {
    const summary = summarizeScoreCounts(scores.get(String(row.round)) ?? emptyScoreCounts());
    const sent = Number(row.sent);
    return { round: Number(row.round), startedAt: new Date(Number(row.started_at)), surveys: Number(row.surveys), sent, responseRate: percentage(summary.total, sent), ...summary };
  });
}

/** NPS over the answers given from `from` (inclusive) to `to` (exclusive), whatever their source. */
export async function loadNpsBetween(db: Database, from: Date, to: Date): Promise<NpsSummary> {
  const { rows } = await db.$client.execute({
    sql: 'select score, count(*) as answers from nps_responses where responded_at >= ? and responded_at < ? group by score',
    args: [from.getTime(), to.getTime()],
  });
  const counts = emptyScoreCounts();
  for (const row of rows) counts[Number(row.score)]! += Number(row.answers);
  return summarizeScoreCounts(counts);
}

/** One answer in a customer's history. */
export interface ScoreHistoryEntry {
  respondedAt: Date;
  score: number;
  comment: string | null;
  /** csv, webhook, email or demo. */
  source: string;
  /** The survey round, for answers to our own survey email. */
  round: number | null;
  /** What sent that survey: manual, ticket or autopilot. */
  trigger: string | null;
}

/** A customer's NPS answers, newest first, found by their address; null when nobody has it. */
export async function loadScoreHistory(db: Database, email: string): Promise<{ contactId: number; email: string; entries: ScoreHistoryEntry[] } | null> {
  const [contact] = (await db.$client.execute({ sql: 'select id, email from contacts where email = ?', args: [email.trim().toLowerCase()] })).rows;
  if (!contact) return null;
  const { rows } = await db.$client.execute({
    sql: `select r.responded_at, r.score, r.comment, r.source, s.round, s.trigger
          from nps_responses r left join surveys s on s.id = r.survey_id
          where r.contact_id = ? order by r.responded_at desc, r.id desc`,
    args: [Number(contact.id)],
  });
  return {
    contactId: Number(contact.id),
    email: String(contact.email),
    entries: rows.map((row) => ({
      respondedAt: new Date(Number(row.responded_at)),
      score: Number(row.score),
      comment: row.comment === null ? null : String(row.comment),
      source: String(row.source),
      round: row.round === null ? null : Number(row.round),
      trigger: row.trigger === null ? null : String(row.trigger),
    })),
  };
}
