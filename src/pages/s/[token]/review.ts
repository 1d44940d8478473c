import type { APIRoute } from 'astro';
import { getConfig } from '../../../lib/config.ts';
import { openReviewAfterAnswer } from '../../../lib/server/ask/review-follow-up.ts';
import { consumeSurveyPostLimit, surveyAnswerLimits } from '../../../lib/server/listen/survey-answers.ts';
import { findSurveyByToken } from '../../../lib/server/listen/surveys.ts';
import { getDatabase } from '../../../lib/server/platform/database.ts';
import { getEnvironment } from '../../../lib/server/platform/env.ts';

export const prerender = false;

/**
 * "Write your review" on the survey's thank-you page: opens the review form (/r/TOKEN) with the
 * link that follows from the survey's. Anything else (an unknown or expired link, an answer that
 * does not ask for a review, too many posts) goes back to the survey page, which says why.
 */
export const POST: APIRoute = async ({ params, clientAddress, redirect }) => {
  const token = params.token ?? '';
  const db = await getDatabase();
  const limited = await consumeSurveyPostLimit(db, clientAddress, surveyAnswerLimits(getEnvironment().SUBMISSION_RATE_LIMIT_PER_IP));
  const survey = limited ? null : await findSurveyByToken(db, token);
  if (!survey || survey.expiresAt.getTime() <= Date.now()) return redirect(`/s/${token}`, 303);
  const opened = await openReviewAfterAnswer(db, getConfig(), survey, token);
  return redirect(opened.kind === 'open' ? `/r/${opened.token}` : `/s/${token}`, 303);
};
