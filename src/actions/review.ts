import { ActionError, defineAction } from 'astro:actions';
import { getConfig } from '../lib/config.ts';
import { normalizeLocale } from '../lib/locales.ts';
import { reviewSubmissionSchema } from '../lib/collect/review-submission.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { getEnvironment } from '../lib/server/platform/env.ts';
import { submissionRateLimits, submitReview } from '../lib/server/collect/review-submissions.ts';

/** The review form at /r/TOKEN. Errors carry a translation key as their message. */
export const review = {
  submit: defineAction({
    accept: 'form',
    input: reviewSubmissionSchema,
    handler: async (input, context) => {
      const config = getConfig();
      const env = getEnvironment();
      const requested = normalizeLocale(input.lang, config.locales.default);
      const locale = config.locales.enabled.includes(requested) ? requested : config.locales.default;
      const outcome = await submitReview(await getDatabase(), input, {
        locale,
        clientAddress: context.clientAddress,
        uploadDir: env.UPLOAD_DIR,
        limits: submissionRateLimits(env.SUBMISSION_RATE_LIMIT_PER_IP),
      });
      switch (outcome.kind) {
        case 'saved':
          return { reviewId: outcome.reviewId, created: outcome.created, locale };
        case 'not-found':
          throw new ActionError({ code: 'NOT_FOUND', message: 'notFound' });
        case 'expired':
          throw new ActionError({ code: 'GONE', message: 'expired' });
        case 'moderated':
          throw new ActionError({ code: 'CONFLICT', message: 'alreadyModerated' });
        case 'rate-limited':
          context.locals.submissionRetryAfterSeconds = outcome.retryAfterSeconds;
          throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'rateLimited' });
        case 'photo-rejected':
          throw new ActionError({ code: 'UNPROCESSABLE_CONTENT', message: outcome.reason });
      }
    },
  }),
};
