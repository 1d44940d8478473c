import { ActionError, defineAction } from 'astro:actions';
import { reviewSubmissionSchema } from '../lib/collect/review-submission.ts';
import { submitReviewForm } from '../lib/server/collect/review-form-posts.ts';

/** The review form at /r/TOKEN. Errors carry a translation key as their message. */
export const review = {
  submit: defineAction({
    accept: 'form',
    input: reviewSubmissionSchema,
    handler: async (input, context) => {
      // The site server may have stored this very post already (review-form-posts.ts): its outcome, never a second write.
      const { locale, outcome } = context.locals.reviewFormOutcome ?? (await submitReviewForm(input, context.clientAddress));
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
