import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { contacts, incentives, reviewRequests, reviews } from '../../../db/schema.ts';
import type { NameDisplay } from '../display-name.ts';
import type { Locale } from '../locales.ts';
import type { ReviewSubmission } from '../schemas/review-submission.ts';
import { hashToken, isWellFormedToken } from '../tokens.ts';
import { deleteReviewPhoto, PhotoRejectedError, storeReviewPhoto, type PhotoRejection } from './photos.ts';
import { consumeRateLimit, type RateLimitRule } from './rate-limit.ts';

/** A review as its author may see and edit it through their link. */
export interface OwnReview {
  id: number;
  rating: number;
  body: string;
  nameDisplay: NameDisplay;
  role: string | null;
  company: string | null;
  photoPath: string | null;
  locale: string;
  status: string;
}

/** A review request found by its token, with the contact's name and the review if one was sent. */
export interface ReviewLink {
  requestId: number;
  contactId: number;
  contactName: string | null;
  locale: string;
  expiresAt: Date;
  openedAt: Date | null;
  submittedAt: Date | null;
  review: OwnReview | null;
}

/**
 * What a link can do now: `open` (no review yet), `editable` (a pending review), `moderated`
 * (approved, rejected or hidden: shown as a status page) or `expired`.
 */
export type ReviewLinkState = 'open' | 'editable' | 'moderated' | 'expired';

/** Looks a review link up by its token; null for a malformed, unknown or forged token. */
export async function findReviewRequestByToken(db: Database, token: string): Promise<ReviewLink | null> {
  // A token we never issued is refused before it reaches the database.
  if (!isWellFormedToken(token)) return null;
  const [row] = await db
    .select({
      requestId: reviewRequests.id,
      contactId: reviewRequests.contactId,
      contactName: contacts.name,
      locale: reviewRequests.locale,
      expiresAt: reviewRequests.expiresAt,
      openedAt: reviewRequests.openedAt,
      submittedAt: reviewRequests.submittedAt,
      reviewId: reviews.id,
      rating: reviews.rating,
      body: reviews.body,
      nameDisplay: reviews.nameDisplay,
      role: reviews.role,
      company: reviews.company,
      photoPath: reviews.photoPath,
      reviewLocale: reviews.locale,
      status: reviews.status,
    })
    .from(reviewRequests)
    .innerJoin(contacts, eq(contacts.id, reviewRequests.contactId))
    .leftJoin(reviews, eq(reviews.requestId, reviewRequests.id))
    .where(eq(reviewRequests.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) return null;
  const review: OwnReview | null =
    row.reviewId === null
      ? null
      : {
          id: row.reviewId,
          rating: row.rating!,
          body: row.body!,
          nameDisplay: row.nameDisplay as NameDisplay,
          role: row.role,
          company: row.company,
          photoPath: row.photoPath,
          locale: row.reviewLocale!,
          status: row.status!,
        };
  return {
    requestId: row.requestId,
    contactId: row.contactId,
    contactName: row.contactName,
    locale: row.locale,
    expiresAt: row.expiresAt,
    openedAt: row.openedAt,
    submittedAt: row.submittedAt,
    review,
  };
}

/**
 * The state of a link. A moderated review's status stays visible after the link expires; an
 * unmoderated one can no longer be written or changed once it has.
 */
export function reviewLinkState(link: ReviewLink, now = new Date()): ReviewLinkState {
  if (link.review && link.review.status !== 'pending') return 'moderated';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return link.review ? 'editable' : 'open';
}

/** Records the first time a link was opened; later openings change nothing. */
export async function recordReviewLinkOpened(db: Database, requestId: number, now = new Date()): Promise<void> {
  await db
    .update(reviewRequests)
    .set({ openedAt: now })
    .where(and(eq(reviewRequests.id, requestId), isNull(reviewRequests.openedAt)));
}

/** Submission limits: a few edits per link, and a cap per client address. */
export interface SubmissionRateLimits {
  perToken: RateLimitRule;
  perAddress: RateLimitRule;
}

/** Default limits; the per-address count comes from SUBMISSION_RATE_LIMIT_PER_IP. */
export function submissionRateLimits(perAddressLimit = 60): SubmissionRateLimits {
  return {
    perToken: { limit: 10, windowMs: 10 * 60_000 },
    perAddress: { limit: perAddressLimit, windowMs: 10 * 60_000 },
  };
}

/** What became of a submission. */
export type SubmitReviewOutcome =
  | { kind: 'saved'; reviewId: number; created: boolean }
  | { kind: 'not-found' }
  | { kind: 'expired' }
  | { kind: 'moderated' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'photo-rejected'; reason: PhotoRejection };

/** Everything submitReview needs besides the form. */
export interface SubmitReviewOptions {
  /** The language of the form the reviewer used: the review keeps it. */
  locale: Locale;
  clientAddress: string;
  uploadDir: string;
  limits?: SubmissionRateLimits;
  now?: Date;
}

/**
 * Stores a review sent through a link, or updates it while it is still pending. Rate limits are
 * counted before any photo is decoded. The review, the request's submitted time and the
 * incentive ledger row are written in one transaction; a second submission (an edit, or a
 * concurrent duplicate) updates the same review and never adds a second incentive.
 */
export async function submitReview(db: Database, submission: ReviewSubmission, options: SubmitReviewOptions): Promise<SubmitReviewOutcome> {
  const now = options.now ?? new Date();
  const limits = options.limits ?? submissionRateLimits();
  if (!isWellFormedToken(submission.token)) return { kind: 'not-found' };

  const byAddress = await consumeRateLimit(db, `review-submit:ip:${options.clientAddress}`, limits.perAddress, now.getTime());
  if (!byAddress.allowed) return { kind: 'rate-limited', retryAfterSeconds: byAddress.retryAfterSeconds };
  const link = await findReviewRequestByToken(db, submission.token);
  if (!link) return { kind: 'not-found' };
  const byToken = await consumeRateLimit(db, `review-submit:request:${link.requestId}`, limits.perToken, now.getTime());
  if (!byToken.allowed) return { kind: 'rate-limited', retryAfterSeconds: byToken.retryAfterSeconds };

  const state = reviewLinkState(link, now);
  if (state === 'moderated') return { kind: 'moderated' };
  if (state === 'expired') return { kind: 'expired' };

  let newPhotoPath: string | null = null;
  if (submission.photo) {
    try {
      newPhotoPath = await storeReviewPhoto(new Uint8Array(await submission.photo.arrayBuffer()), options.uploadDir);
    } catch (error) {
      if (error instanceof PhotoRejectedError) return { kind: 'photo-rejected', reason: error.reason };
      throw error;
    }
  }
  const previousPhotoPath = link.review?.photoPath ?? null;
  const photoPath = newPhotoPath ?? (submission.removePhoto ? null : previousPhotoPath);

  const fields = {
    rating: submission.rating,
    body: submission.body,
    nameDisplay: submission.nameDisplay,
    role: submission.role,
    company: submission.company,
    photoPath,
    locale: options.locale,
    consentAt: now,
    updatedAt: now,
  };
  let saved: { id: number; created: boolean } | undefined;
  try {
    const [upserted, , ledger] = await db.batch([
      db
        .insert(reviews)
        .values({ requestId: link.requestId, contactId: link.contactId, ...fields, submittedAt: now, createdAt: now })
        .onConflictDoUpdate({ target: reviews.requestId, set: fields, setWhere: eq(reviews.status, 'pending') })
        .returning({ id: reviews.id }),
      db
        .update(reviewRequests)
        .set({ submittedAt: sql`coalesce(${reviewRequests.submittedAt}, ${now.getTime()})` })
        .where(eq(reviewRequests.id, link.requestId)),
      // The ledger row depends on nothing but the review existing: not its rating, not its text.
      // Only the first submission adds the row, which is how we tell a new review from an edit.
      db.all<{ id: number }>(sql`insert into ${incentives} (review_id, contact_id)
        select ${reviews.id}, ${reviews.contactId} from ${reviews} where ${reviews.requestId} = ${link.requestId}
        on conflict (review_id) do nothing returning id`),
    ]);
    const row = upserted[0];
    if (row) saved = { id: row.id, created: ledger.length > 0 };
  } catch (error) {
    if (newPhotoPath) await deleteReviewPhoto(options.uploadDir, newPhotoPath);
    throw error;
  }
  if (!saved) {
    // Moderated between our read and our write: the review stays as the moderator saw it.
    if (newPhotoPath) await deleteReviewPhoto(options.uploadDir, newPhotoPath);
    return { kind: 'moderated' };
  }
  if (previousPhotoPath && previousPhotoPath !== photoPath) await deleteReviewPhoto(options.uploadDir, previousPhotoPath);
  return { kind: 'saved', reviewId: saved.id, created: saved.created };
}
