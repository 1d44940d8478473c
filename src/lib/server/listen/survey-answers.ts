import type { InStatement } from '@libsql/client';
import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { isInInviteAudience, reasonMaxLength } from '../../listen/survey.ts';
import { isScoreOnScale, isSurveyKind, surveyScales, type SurveyKind } from '../../listen/survey-kinds.ts';
import { hashToken, isWellFormedToken } from '../../tokens.ts';
import { hotPathRunner, runGroupedWriteBatch, type SqlRows } from '../platform/hot-path-sql.ts';
import { addressForLimits, decideRateLimit, rateLimitStatement, type RateLimitRule } from '../platform/rate-limit.ts';

/** Answer limits: a few changes per survey, and a cap per client address (as for the review form). */
export interface SurveyAnswerLimits {
  perSurvey: RateLimitRule;
  perAddress: RateLimitRule;
}

/** Default limits; the per-address count comes from SUBMISSION_RATE_LIMIT_PER_IP, like review posts. */
export function surveyAnswerLimits(perAddressLimit = 60): SurveyAnswerLimits {
  return {
    perSurvey: { limit: 20, windowMs: 10 * 60_000 },
    perAddress: { limit: perAddressLimit, windowMs: 10 * 60_000 },
  };
}

/** What became of an answer (or of a reason). */
export type SurveyAnswerOutcome =
  | { kind: 'recorded'; surveyId: number; score: number; changed: boolean }
  | { kind: 'not-found' }
  | { kind: 'expired' }
  | { kind: 'not-answered' }
  /** The score is not on the survey's scale (a 9 on a CSAT link): nothing was stored. */
  | { kind: 'out-of-range'; surveyKind: SurveyKind; min: number; max: number }
  | { kind: 'rate-limited'; retryAfterSeconds: number };

const addressKey = (clientAddress: string) => `survey-answer:ip:${addressForLimits(clientAddress)}`;
const surveyKey = (surveyId: number) => `survey-answer:survey:${surveyId}`;

// The hot path, like the review form's: fixed SQL on the prepared-statement runner, one read and
// one write transaction shared with the answers that arrive at the same moment.

const lookupSql = `select s.id, s.contact_id, s.expires_at, s.kind, coalesce(r.score, sr.score) as score
  from survey_tokens t join surveys s on s.id = t.survey_id left join nps_responses r on r.survey_id = s.id
  left join survey_ratings sr on sr.survey_id = s.id
  where t.token_hash = ?`;

/** The answer, guarded: the link has not expired and both counters are within their limits. */
const upsertAnswerSql = `insert into nps_responses (contact_id, score, responded_at, source, survey_id, segment)
  select s.contact_id, ?, ?, 'email', s.id, coalesce(s.segment, (select segment from contacts where id = s.contact_id)) from surveys s
  where s.id = ? and s.expires_at > ?
    and (select count from rate_limits where key = ?) <= ? and (select count from rate_limits where key = ?) <= ?
  on conflict (survey_id) do update set score = excluded.score
  returning id`;

/** The answer to a CSAT or CES survey, guarded like an NPS answer; never an NPS response. */
const upsertRatingSql = `insert into survey_ratings (survey_id, contact_id, kind, score, responded_at)
  select s.id, s.contact_id, s.kind, ?, ? from surveys s
  where s.id = ? and s.expires_at > ?
    and (select count from rate_limits where key = ?) <= ? and (select count from rate_limits where key = ?) <= ?
  on conflict (survey_id) do update set score = excluded.score
  returning id`;

/** A CSAT or CES survey's first answer time; it records no review audience (those answers never ask for a review). */
const markRatedSql = `update surveys set answered_at = coalesce(answered_at, ?)
  where id = ? and exists (select 1 from survey_ratings where survey_id = ? and score = ?)`;

/** The survey's first answer time, and the audience an answer asking for a review was judged by. */
const markAnsweredSql = `update surveys set answered_at = coalesce(answered_at, ?), review_audience = coalesce(review_audience, ?)
  where id = ? and exists (select 1 from nps_responses where survey_id = ? and score = ?)`;

/** The review invitation that follows, unless a review is written first (see ask/review-follow-up.ts). */
const scheduleInvitationSql = `insert into scheduled_jobs (kind, key, payload, contact_id, due_at)
  select 'review.invitation', 'review-invitation:' || s.id, json_object('surveyId', s.id), s.contact_id, ?
  from surveys s where s.id = ? and exists (select 1 from nps_responses where survey_id = s.id and score = ?)
  on conflict (key) do nothing`;

function decide(rows: SqlRows['rows'], rule: RateLimitRule, now: number): SurveyAnswerOutcome | null {
  const row = rows[0]!;
  const decision = decideRateLimit({ count: Number(row.count), windowStartsAt: Number(row.window_starts_at) }, rule, now);
  return decision.allowed ? null : { kind: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
}

/**
 * Records the score chosen through a survey link: one answer per survey, which a later post
 * changes while the link is valid. An NPS answer is an `nps_responses` row with source email; in
 * the invite audience (config's `invite.audience` now) it records that audience with the survey
 * and schedules the review invitation `invite.afterAnswerDays` later. A CSAT or CES answer is a
 * `survey_ratings` row and never asks for a review. A score off the survey's scale stores
 * nothing. Rate limits are counted in the same transaction; an unknown token still counts against
 * its sender's address.
 */
export async function recordSurveyAnswer(
  db: Database,
  config: ReviewWallConfig,
  input: { token: string; score: number; clientAddress: string; limits?: SurveyAnswerLimits; now?: Date },
): Promise<SurveyAnswerOutcome> {
  const now = (input.now ?? new Date()).getTime();
  const limits = input.limits ?? surveyAnswerLimits();
  const addressCounter = rateLimitStatement(addressKey(input.clientAddress), limits.perAddress, now);
  const runner = hotPathRunner(db);
  const found = isWellFormedToken(input.token) ? (await runner.execute({ sql: lookupSql, args: [hashToken(input.token)] })).rows[0] : undefined;
  if (!found) return decide((await runner.execute(addressCounter)).rows, limits.perAddress, now) ?? { kind: 'not-found' };

  const surveyId = Number(found.id);
  const surveyKind: SurveyKind = isSurveyKind(found.kind) ? found.kind : 'nps';
  if (!isScoreOnScale(surveyKind, input.score)) {
    // Stores nothing, but counts like any post, so guessing scores costs the same.
    return decide((await runner.execute(addressCounter)).rows, limits.perAddress, now) ?? { kind: 'out-of-range', surveyKind, ...surveyScales[surveyKind] };
  }
  const previous = found.score === null || found.score === undefined ? null : Number(found.score);
  const guards = [surveyId, now, addressKey(input.clientAddress), limits.perAddress.limit, surveyKey(surveyId), limits.perSurvey.limit];
  const counters = [addressCounter, rateLimitStatement(surveyKey(surveyId), limits.perSurvey, now)];
  let statements: InStatement[];
  if (surveyKind === 'nps') {
    const audience = config.invite.audience;
    const asksForReview = isInInviteAudience(input.score, audience);
    const invitationDueAt = now + config.invite.afterAnswerDays * 24 * 60 * 60 * 1000;
    statements = [
      ...counters,
      { sql: upsertAnswerSql, args: [input.score, now, ...guards] },
      { sql: markAnsweredSql, args: [now, asksForReview ? audience : null, surveyId, surveyId, input.score] },
      ...(asksForReview ? [{ sql: scheduleInvitationSql, args: [invitationDueAt, surveyId, input.score] }] : []),
    ];
  } else {
    statements = [...counters, { sql: upsertRatingSql, args: [input.score, now, ...guards] }, { sql: markRatedSql, args: [now, surveyId, surveyId, input.score] }];
  }
  const results = await runGroupedWriteBatch(db, statements);
  const limited = decide(results[0]!.rows, limits.perAddress, now) ?? decide(results[1]!.rows, limits.perSurvey, now);
  if (limited) return limited;
  if (results[2]!.rows.length === 0) return Number(found.expires_at) <= now ? { kind: 'expired' } : { kind: 'not-found' };
  return { kind: 'recorded', surveyId, score: input.score, changed: previous !== null && previous !== input.score };
}

/**
 * Saves the optional reason for the score ("What is the main reason for your score?") with the
 * survey's answer, while the link is valid; counted against the same limits as answers.
 */
export async function saveSurveyReason(
  db: Database,
  input: { token: string; reason: string; clientAddress: string; limits?: SurveyAnswerLimits; now?: Date },
): Promise<SurveyAnswerOutcome> {
  const now = (input.now ?? new Date()).getTime();
  const limits = input.limits ?? surveyAnswerLimits();
  const reason = input.reason.trim().slice(0, reasonMaxLength);
  const addressCounter = rateLimitStatement(addressKey(input.clientAddress), limits.perAddress, now);
  const runner = hotPathRunner(db);
  const found = isWellFormedToken(input.token) ? (await runner.execute({ sql: lookupSql, args: [hashToken(input.token)] })).rows[0] : undefined;
  if (!found) return decide((await runner.execute(addressCounter)).rows, limits.perAddress, now) ?? { kind: 'not-found' };
  const surveyId = Number(found.id);
  const answers = found.kind === 'csat' || found.kind === 'ces' ? 'survey_ratings' : 'nps_responses';
  const results = await runGroupedWriteBatch(db, [
    addressCounter,
    rateLimitStatement(surveyKey(surveyId), limits.perSurvey, now),
    {
      sql: `update ${answers} set comment = ? where survey_id = ?
              and exists (select 1 from surveys where id = ? and expires_at > ?)
              and (select count from rate_limits where key = ?) <= ? and (select count from rate_limits where key = ?) <= ?
            returning score`,
      args: [reason === '' ? null : reason, surveyId, surveyId, now, addressKey(input.clientAddress), limits.perAddress.limit, surveyKey(surveyId), limits.perSurvey.limit],
    },
  ]);
  const limited = decide(results[0]!.rows, limits.perAddress, now) ?? decide(results[1]!.rows, limits.perSurvey, now);
  if (limited) return limited;
  const saved = results[2]!.rows[0];
  if (saved) return { kind: 'recorded', surveyId, score: Number(saved.score), changed: false };
  if (Number(found.expires_at) <= now) return { kind: 'expired' };
  return { kind: 'not-answered' };
}

/** Counts a post from a survey page that writes nothing else (opening the review form) against its sender's address. */
export async function consumeSurveyPostLimit(db: Database, clientAddress: string, limits = surveyAnswerLimits(), now = Date.now()): Promise<SurveyAnswerOutcome | null> {
  const counted = await hotPathRunner(db).execute(rateLimitStatement(addressKey(clientAddress), limits.perAddress, now));
  return decide(counted.rows, limits.perAddress, now);
}
