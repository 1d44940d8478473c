import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { eq } from 'drizzle-orm';
import { reviews } from '../../db/schema.ts';
import { getConfig } from '../lib/config.ts';
import { requireAdmin } from '../lib/server/auth/admin-guard.ts';
import { getDatabase } from '../lib/server/platform/database.ts';
import { getEnvironment } from '../lib/server/platform/env.ts';
import type { ModerationDone, ReviewModerated } from '../lib/moderate/queue-notice.ts';
import { rejectionReasons } from '../lib/moderate/review-status.ts';
import {
  approveReview,
  approveReviews,
  hideReview,
  redactReview,
  rejectReview,
  setReviewFeatured,
  type ModerationOutcome,
} from '../lib/server/moderate/moderation.ts';
import { publishAfterApproval } from '../lib/server/publish/publish.ts';

// The moderation queue's forms at /admin/ (`server.admin.*`). Every action group whose name
// starts with "admin" (admin, adminPublish, …) is refused with 401 by the middleware without a
// session; each handler also calls requireAdmin itself. Each answers what it did as a typed
// ModerationDone; the queue page words it.

const reviewId = z.coerce.number().int().positive();
/** The version of the review the moderator saw (see reviewVersion); an action on a changed review is refused. */
const version = z.coerce.number().int('Reload the queue and try again.').positive('Reload the queue and try again.');
/** A ticked review in bulk approve: `id:version`. */
const seenReview = z
  .string()
  .regex(/^\d{1,12}:\d{1,15}$/, 'Reload the queue and try again.')
  .transform((value) => {
    const [id, seen] = value.split(':');
    return { id: Number(id), version: Number(seen) };
  });

/** Maps a moderation outcome to the action's answer; a failure becomes an ActionError with a message for the moderator. */
function answer(outcome: ModerationOutcome, done: ReviewModerated): ModerationDone {
  switch (outcome.kind) {
    case 'done':
      return { kind: done, reviewId: outcome.reviewId };
    case 'not-found':
      throw new ActionError({ code: 'NOT_FOUND', message: 'That review no longer exists.' });
    case 'conflict':
      throw new ActionError({ code: 'CONFLICT', message: `That review is ${outcome.status} now; reload the queue.` });
    case 'invalid':
      throw new ActionError({ code: 'BAD_REQUEST', message: outcome.message });
    case 'changed':
      throw new ActionError({ code: 'CONFLICT', message: `Review ${outcome.reviewId} has changed since you loaded the page — please read it again.` });
  }
}

/** Whether a review is on the public pages (approved), so taking it down or changing it needs a publish. */
async function isPublic(db: Awaited<ReturnType<typeof getDatabase>>, id: number): Promise<boolean> {
  const [review] = await db.select({ status: reviews.status }).from(reviews).where(eq(reviews.id, id));
  return review?.status === 'approved';
}

/**
 * Starts a publish in the background (or queues one after the running publish) whatever the
 * configuration says: hidden content and removed personal data must leave the public pages now.
 */
function publishNow(startedBy: string, db: Awaited<ReturnType<typeof getDatabase>>): void {
  publishAfterApproval({ db, siteDir: getEnvironment().SITE_DIR, startedBy }).catch((error: unknown) => {
    console.error('publish after moderation:', error instanceof Error ? error.message : error);
  });
}

/** Starts a publish in the background when the site is configured to publish after each approval. */
function publishIfConfigured(startedBy: string, db: Awaited<ReturnType<typeof getDatabase>>): void {
  if (!getConfig().publish.automaticallyAfterApproval) return;
  publishAfterApproval({ db, siteDir: getEnvironment().SITE_DIR, startedBy }).catch((error: unknown) => {
    console.error('publish after approval:', error instanceof Error ? error.message : error);
  });
}

/** Moderation actions, registered as `server.admin` in src/actions/index.ts. */
export const admin = {
  approve: defineAction({
    accept: 'form',
    input: z.object({ reviewId, version }),
    handler: async (input, context) => {
      const moderator = requireAdmin(context);
      const db = await getDatabase();
      const result = answer(await approveReview(db, moderator, input.reviewId, input.version), 'approved');
      publishIfConfigured(moderator.email, db);
      return result;
    },
  }),
  approveSelected: defineAction({
    accept: 'form',
    input: z.object({ reviewIds: z.array(seenReview).min(1, 'Select at least one review.').max(200) }),
    handler: async (input, context): Promise<ModerationDone> => {
      const moderator = requireAdmin(context);
      const db = await getDatabase();
      const { approved, skipped, changed } = await approveReviews(db, moderator, input.reviewIds);
      if (approved.length > 0) publishIfConfigured(moderator.email, db);
      return { kind: 'approved-selected', approved, skipped, changed };
    },
  }),
  reject: defineAction({
    accept: 'form',
    input: z.object({ reviewId, version, reason: z.enum(rejectionReasons, 'Choose a content-policy reason.') }),
    handler: async (input, context) => {
      const moderator = requireAdmin(context);
      const db = await getDatabase();
      const wasPublic = await isPublic(db, input.reviewId);
      const result = answer(await rejectReview(db, moderator, input.reviewId, input.reason, input.version), 'rejected');
      if (wasPublic) publishNow(moderator.email, db);
      return result;
    },
  }),
  hide: defineAction({
    accept: 'form',
    input: z.object({ reviewId }),
    handler: async (input, context) => {
      const moderator = requireAdmin(context);
      const db = await getDatabase();
      const result = answer(await hideReview(db, moderator, input.reviewId), 'hidden');
      // Only an approved review can be hidden, so it was on the public pages.
      publishNow(moderator.email, db);
      return result;
    },
  }),
  setFeatured: defineAction({
    accept: 'form',
    input: z.object({ reviewId, version, featured: z.enum(['true', 'false']) }),
    handler: async (input, context) => {
      const moderator = requireAdmin(context);
      const featured = input.featured === 'true';
      return answer(await setReviewFeatured(await getDatabase(), moderator, input.reviewId, featured, input.version), featured ? 'featured' : 'unfeatured');
    },
  }),
  redact: defineAction({
    accept: 'form',
    input: z.object({ reviewId, version, snippet: z.array(z.string().max(1000)).min(1).max(20) }),
    handler: async (input, context) => {
      const moderator = requireAdmin(context);
      const db = await getDatabase();
      const result = answer(await redactReview(db, moderator, input.reviewId, input.snippet, input.version), 'redacted');
      // The personal data is still on the public pages until they are rebuilt.
      if (await isPublic(db, input.reviewId)) publishNow(moderator.email, db);
      return result;
    },
  }),
};
