import { and, count, desc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { contacts, incentives, npsResponses, publishRuns, reviewRequests, reviews } from '../../../../db/schema.ts';
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

const utcMonthOfAnswer = sql<string>`strftime('%Y-%m', ${npsResponses.respondedAt} / 1000, 'unixepoch')`;

async function loadNpsFigures(db: Database) {
  const byMonthRows = await db
    .select({ month: utcMonthOfAnswer, score: npsResponses.score, answers: count() })
    .from(npsResponses)
    .groupBy(utcMonthOfAnswer, npsResponses.score);
  const byLocaleRows = await db
    .select({ locale: contacts.locale, score: npsResponses.score, answers: count() })
    .from(npsResponses)
    .innerJoin(contacts, eq(contacts.id, npsResponses.contactId))
    .groupBy(contacts.locale, npsResponses.score);

  const distribution = emptyScoreCounts();
  const months = new Map<string, number[]>();
  for (const row of byMonthRows) {
    distribution[row.score]! += row.answers;
    addToGroupedScoreCounts(months, row.month, row.score, row.answers);
  }
  const locales = new Map<string, number[]>();
  for (const row of byLocaleRows) addToGroupedScoreCounts(locales, row.locale, row.score, row.answers);
  const monthly = [...months]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, counts]) => ({ month, ...summarizeScoreCounts(counts) }));
  return { overall: summarizeScoreCounts(distribution), distribution, monthly, locales };
}

async function loadFunnel(db: Database): Promise<ReviewFunnel> {
  const [requests] = await db
    .select({
      invited: sql<number>`count(${reviewRequests.sentAt})`,
      opened: sql<number>`count(${reviewRequests.openedAt})`,
      submitted: sql<number>`count(${reviewRequests.submittedAt})`,
    })
    .from(reviewRequests);
  const [lastRun] = await db
    .select({ finishedAt: publishRuns.finishedAt })
    .from(publishRuns)
    .where(and(eq(publishRuns.status, 'succeeded'), isNotNull(publishRuns.finishedAt)))
    .orderBy(desc(publishRuns.finishedAt))
    .limit(1);
  const lastPublishedAt = lastRun?.finishedAt ?? null;
  const [approved] = await db.select({ value: count() }).from(reviews).where(eq(reviews.status, 'approved'));
  // A review approved without a recorded moderation time counts from its submission.
  const approvedAt = sql`coalesce(${reviews.moderatedAt}, ${reviews.submittedAt})`;
  const [published] = lastPublishedAt
    ? await db
        .select({ value: count() })
        .from(reviews)
        .where(and(eq(reviews.status, 'approved'), lte(approvedAt, lastPublishedAt.getTime())))
    : [{ value: 0 }];
  return {
    invited: Number(requests?.invited ?? 0),
    opened: Number(requests?.opened ?? 0),
    submitted: Number(requests?.submitted ?? 0),
    approved: approved?.value ?? 0,
    published: published?.value ?? 0,
    lastPublishedAt,
  };
}

async function loadReviewFigures(db: Database) {
  const rows = await db
    .select({ rating: reviews.rating, status: reviews.status, locale: reviews.locale, value: count() })
    .from(reviews)
    .groupBy(reviews.rating, reviews.status, reviews.locale);
  const approvalByRating: RatingModeration[] = [1, 2, 3, 4, 5].map((rating) => ({
    rating,
    submitted: 0,
    pending: 0,
    approved: 0,
    removed: 0,
    approvalRate: null,
  }));
  const byLocale = new Map<string, { reviews: number; approved: number }>();
  for (const row of rows) {
    const rating = approvalByRating[row.rating - 1];
    if (rating) {
      rating.submitted += row.value;
      if (row.status === 'approved') rating.approved += row.value;
      else if (row.status === 'pending') rating.pending += row.value;
      else rating.removed += row.value;
    }
    const locale = byLocale.get(row.locale) ?? { reviews: 0, approved: 0 };
    locale.reviews += row.value;
    if (row.status === 'approved') locale.approved += row.value;
    byLocale.set(row.locale, locale);
  }
  for (const rating of approvalByRating) rating.approvalRate = percentage(rating.approved, rating.approved + rating.removed);
  return { approvalByRating, byLocale };
}

/** Loads the dashboard's figures straight from the database, so they always match the data. */
export async function loadDashboard(db: Database): Promise<DashboardFigures> {
  const nps = await loadNpsFigures(db);
  const funnel = await loadFunnel(db);
  const reviewFigures = await loadReviewFigures(db);
  const incentiveStates = await db
    .select({ state: incentives.state, count: count() })
    .from(incentives)
    .groupBy(incentives.state)
    .orderBy(incentives.state);

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
    incentiveStates,
    approvalByRating: reviewFigures.approvalByRating,
    locales,
  };
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

/** NPS per survey round, oldest first (the last one is the current round); CSAT and CES surveys count their own rounds. */
export async function loadSurveyRounds(db: Database): Promise<RoundNps[]> {
  const [surveyRows, answerRows] = await db.$client.batch(
    [
      "select round, min(created_at) as started_at, count(*) as surveys, count(sent_at) as sent from surveys where kind = 'nps' group by round order by round",
      'select s.round, r.score, count(*) as answers from surveys s join nps_responses r on r.survey_id = s.id group by s.round, r.score',
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
