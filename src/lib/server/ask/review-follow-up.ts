import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { promiseOf, promisedIncentiveText } from '../../ask/promised-incentive.ts';
import { contactLocale } from '../../config.ts';
import { emailLogoFor } from '../publish/brand-logo.ts';
import { isInInviteAudience } from '../../listen/survey.ts';
import { deriveToken } from '../../tokens.ts';
import { reviewLinkState } from '../../collect/review-link.ts';
import { findReviewRequestByToken } from '../collect/review-submissions.ts';
import type { JobMail, JobResult, MailJobHandler, TaskJobHandler } from '../schedule/job-runner.ts';
import type { SurveyLink } from '../listen/surveys.ts';
import { buildInvitationEmail, inFlightMilliseconds, inviteCandidate } from './invitations.ts';
import { createReviewRequest, renewReviewRequestToken } from './review-requests.ts';

/** The delayed review invitation after a survey answer in the invite audience. */
export const reviewInvitationJobKind = 'review.invitation';
/** The one reminder for an unused review link (scheduled when the invitation goes out, see invitations.ts). */
export const reviewReminderJobKind = 'review.reminder';

/** The review link offered on the survey's thank-you page: it follows from the survey token alone. */
export function reviewTokenForSurvey(surveyToken: string): string {
  return deriveToken(surveyToken, 'review-after-survey');
}

/**
 * Whether the survey's answer asks for a review now: an NPS answer, in the audience recorded with
 * it. CSAT and CES answers never do (a CSAT 5 is about one ticket, not a recommendation).
 */
export function answerAsksForReview(survey: Pick<SurveyLink, 'kind' | 'score' | 'reviewAudience'>): boolean {
  return survey.kind === 'nps' && survey.score !== null && survey.reviewAudience !== null && isInInviteAudience(survey.score, survey.reviewAudience);
}

/** What the thank-you page offers: the review form (open or to continue), or nothing. */
export type ReviewOffer = { kind: 'offer' } | { kind: 'none' };

/**
 * Whether the thank-you page offers the review form: the answer asks for one, and the contact has
 * no review request yet, or has the one this survey's link opens and it can still take a review.
 * A contact invited before (by email, or after an earlier survey) is not asked again here.
 */
export async function reviewOfferAfterAnswer(db: Database, survey: SurveyLink, surveyToken: string, now = new Date()): Promise<ReviewOffer> {
  if (!answerAsksForReview(survey)) return { kind: 'none' };
  const own = await findReviewRequestByToken(db, reviewTokenForSurvey(surveyToken));
  if (own) {
    const state = reviewLinkState(own, now);
    return state === 'open' || state === 'editable' ? { kind: 'offer' } : { kind: 'none' };
  }
  const { rows } = await db.$client.execute({ sql: 'select 1 from review_requests where contact_id = ?', args: [survey.contactId] });
  return rows.length === 0 ? { kind: 'offer' } : { kind: 'none' };
}

/** Where "Write your review" leads: the review form's token, or nowhere. */
export type OpenReviewOutcome = { kind: 'open'; token: string } | { kind: 'unavailable' };

/**
 * Opens the review form from the survey's thank-you page: creates the contact's review request
 * with the link derived from the survey token (the same form and rules as an invitation's link),
 * or finds the one created before. The request is made under the audience the answer was judged by.
 */
export async function openReviewAfterAnswer(db: Database, config: ReviewWallConfig, survey: SurveyLink, surveyToken: string, now = new Date()): Promise<OpenReviewOutcome> {
  if ((await reviewOfferAfterAnswer(db, survey, surveyToken, now)).kind !== 'offer') return { kind: 'unavailable' };
  const token = reviewTokenForSurvey(surveyToken);
  if (await findReviewRequestByToken(db, token)) return { kind: 'open', token };
  const created = await createReviewRequest(db, {
    contactId: survey.contactId,
    responseId: survey.responseId,
    locale: contactLocale(config, survey.locale),
    lifetimeDays: config.tokens.lifetimeDays,
    now,
    token,
    // Asked under the audience the answer was judged by, and today's incentive: the form and the thank-you email name it.
    terms: { audience: survey.reviewAudience!, ...promiseOf(config) },
  });
  // Created meanwhile by the delayed invitation: its email carries the link.
  return created ? { kind: 'open', token } : { kind: 'unavailable' };
}

/**
 * The invitation email after a survey answer, `invite.afterAnswerDays` later: only when the answer
 * is still in the audience it was judged by, the contact did not write the review meanwhile (from
 * the thank-you page) and was never invited, and has not unsubscribed. It goes out like any
 * invitation (invitations.ts), which schedules the link's reminder.
 */
export const reviewInvitationHandler: TaskJobHandler = {
  type: 'task',
  kind: reviewInvitationJobKind,
  async run(context, job, now): Promise<JobResult> {
    const { db, config } = context;
    const { rows } = await db.$client.execute({
      sql: `select s.review_audience, r.id as response_id, r.score, c.id as contact_id, c.email, c.name, c.locale, c.unsubscribed_at,
              q.id as request_id, q.created_at as request_created_at, q.sent_at, q.submitted_at
            from surveys s join contacts c on c.id = s.contact_id join nps_responses r on r.survey_id = s.id
            left join review_requests q on q.contact_id = c.id
            where s.id = ?`,
      args: [Number(job.payload.surveyId)],
    });
    const row = rows[0];
    if (!row) return { status: 'done', outcome: 'skipped: the answer or its contact is gone (erased)' };
    if (row.unsubscribed_at !== null) return { status: 'done', outcome: 'skipped: unsubscribed' };
    const audience = row.review_audience === 'all' || row.review_audience === 'promoters' ? row.review_audience : null;
    if (!audience || !isInInviteAudience(Number(row.score), audience)) return { status: 'done', outcome: 'skipped: the answer changed and is no longer in the invite audience' };
    if (row.submitted_at !== null) return { status: 'done', outcome: 'skipped: the review was written' };
    if (row.sent_at !== null) return { status: 'done', outcome: 'skipped: invited before' };
    const requestCreatedAt = row.request_created_at === null ? null : new Date(Number(row.request_created_at));
    await context.pace?.();
    const outcome = await inviteCandidate(
      { db, mailer: context.mailer, config, siteUrl: context.siteUrl, audience },
      {
        contactId: Number(row.contact_id),
        email: String(row.email),
        name: row.name === null ? null : String(row.name),
        locale: contactLocale(config, String(row.locale)),
        responseId: Number(row.response_id),
        score: Number(row.score),
        unsentRequestId: row.request_id === null ? null : Number(row.request_id),
        unsentRequestCreatedAt: requestCreatedAt,
      },
      now,
    );
    switch (outcome) {
      case 'sent':
        return { status: 'done', outcome: 'sent' };
      case 'already-sent':
        return { status: 'done', outcome: 'sent before' };
      case 'skipped':
        return { status: 'done', outcome: 'skipped: another run created the request and sends it' };
      case 'in-flight':
        // The link was opened from the thank-you page moments ago: leave it to settle, then look again.
        return { status: 'retry', error: 'the review link was created minutes ago', at: new Date((requestCreatedAt ?? now).getTime() + inFlightMilliseconds) };
    }
  },
};

/**
 * The one reminder for an unused review link: never after the review was written, after
 * unsubscribing, or once the link expired. It carries a fresh token (the earlier ones keep working)
 * and repeats the invitation's incentive words.
 */
export const reviewReminderHandler: MailJobHandler = {
  type: 'mail',
  kind: reviewReminderJobKind,
  async prepare(context, jobs, now): Promise<(JobMail | JobResult)[]> {
    const { db, config, siteUrl } = context;
    const ids = jobs.map((job) => Number(job.payload.requestId)).filter(Number.isSafeInteger);
    const { rows } = ids.length
      ? await db.$client.execute({
          sql: `select q.id, q.contact_id, q.locale, q.expires_at, q.sent_at, q.submitted_at, q.incentive, q.incentive_translations, c.email, c.name, c.unsubscribed_at
                from review_requests q join contacts c on c.id = q.contact_id where q.id in (${ids.map(() => '?').join(', ')})`,
          args: ids,
        })
      : { rows: [] };
    const requests = new Map(rows.map((row) => [Number(row.id), row]));
    const logo = await emailLogoFor(config.business, siteUrl);
    const results: (JobMail | JobResult)[] = [];
    for (const job of jobs) {
      const request = requests.get(Number(job.payload.requestId));
      if (!request) results.push({ status: 'done', outcome: 'skipped: the request or its contact is gone (erased)' });
      else if (request.unsubscribed_at !== null) results.push({ status: 'done', outcome: 'skipped: unsubscribed' });
      else if (request.submitted_at !== null) results.push({ status: 'done', outcome: 'skipped: the review was written' });
      else if (request.sent_at === null) results.push({ status: 'done', outcome: 'skipped: the invitation never went out' });
      else if (Number(request.expires_at) <= now.getTime()) results.push({ status: 'done', outcome: 'skipped: the link expired' });
      else {
        const requestId = Number(request.id);
        const lifetimeDays = config.tokens.lifetimeDays;
        const token = await renewReviewRequestToken(db, requestId, lifetimeDays, now, { keepEarlier: true });
        if (!token) {
          results.push({ status: 'done', outcome: 'skipped: the review was written' });
          continue;
        }
        const locale = contactLocale(config, String(request.locale));
        // The reminder repeats what the invitation promised, even if the config changed since.
        const promised = {
          incentive: request.incentive === null ? null : String(request.incentive),
          incentiveTranslations: request.incentive_translations === null ? null : (JSON.parse(String(request.incentive_translations)) as Record<string, string>),
        };
        const message = buildInvitationEmail(config, {
          requestId,
          contactId: Number(request.contact_id),
          to: String(request.email),
          name: request.name === null ? null : String(request.name),
          locale,
          incentive: promisedIncentiveText(promised, locale, config),
          logo,
          siteUrl,
          token,
          expiresAt: new Date(now.getTime() + lifetimeDays * 24 * 60 * 60 * 1000),
          reminder: true,
        });
        results.push({ status: 'mail', message, afterSent: [] });
      }
    }
    return results;
  },
};
