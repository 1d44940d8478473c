import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { contacts, reviewRequests, reviews } from '../../../../db/schema.ts';
import { isInviteAudience } from '../../ask/invite-audience.ts';
import { formatDisplayName, type NameDisplay } from '../../collect/display-name.ts';
import type { PublishedInvitation } from '../../publish/collection.ts';
import { resolveStoredPhoto } from './public-photos.ts';

/** A review as the public may see it: no email, no token, no contact id, no row id. */
export interface PublicReview {
  /**
   * Its public id (reviews.public_id), used in every public address, feed and markup. Never the
   * row id, whose numbers would tell how many reviews were never published.
   */
  id: string;
  /**
   * The row id it was published under before public ids existed (/testimonials/ROW_ID/, which now
   * redirects); null for every review published since, whose row id stays private.
   */
  formerId: number | null;
  rating: number;
  body: string;
  /** The moderator removed personal data from the text. */
  redacted: boolean;
  /** The name as the reviewer chose to show it, or null for anonymous. */
  displayName: string | null;
  role: string | null;
  company: string | null;
  /**
   * The stored avatar under UPLOAD_DIR, used only at build time to make the published copies.
   * Always null for anonymous reviewers: a face would undo the anonymity they asked for.
   */
  photoPath: string | null;
  locale: string;
  featured: boolean;
  submittedAt: Date;
  /** The incentive this reviewer's invitation promised; null when sent before that was recorded. */
  incentive: string | null;
}

/** The approved reviews, and the invitations they came through (for what the pages say about collection). */
export interface ApprovedReviews {
  /** Featured first, then newest. */
  reviews: PublicReview[];
  /** The same reviews newest first, featured or not: the order of the listings' archive pages. */
  newest: PublicReview[];
  invitations: PublishedInvitation[];
}

/** Approved reviews and their invitations, read together so they always agree. Selects public columns only. */
export async function listApprovedReviews(db: Database): Promise<ApprovedReviews> {
  const rows = await db
    .select({
      rowId: reviews.id,
      publicId: reviews.publicId,
      legacyNumericUrl: reviews.legacyNumericUrl,
      rating: reviews.rating,
      body: reviews.body,
      redactedAt: reviews.redactedAt,
      name: contacts.name,
      nameDisplay: reviews.nameDisplay,
      role: reviews.role,
      company: reviews.company,
      photoPath: reviews.photoPath,
      locale: reviews.locale,
      featured: reviews.featured,
      submittedAt: reviews.submittedAt,
      incentive: reviewRequests.incentive,
      audience: reviewRequests.audience,
      // A crash between sending and recording it leaves sent_at empty; the request was made just before.
      invitedAt: sql<number>`coalesce(${reviewRequests.sentAt}, ${reviewRequests.createdAt})`,
    })
    .from(reviews)
    .innerJoin(contacts, eq(contacts.id, reviews.contactId))
    .innerJoin(reviewRequests, eq(reviewRequests.id, reviews.requestId))
    .where(and(eq(reviews.status, 'approved')))
    .orderBy(desc(reviews.submittedAt), desc(reviews.id));
  const invitations = rows.map(({ audience, invitedAt, incentive }): PublishedInvitation => {
    if (!isInviteAudience(audience)) throw new Error(`review_requests.audience holds "${audience}", expected "promoters" or "all"`);
    return { audience, sentAt: new Date(Number(invitedAt)), incentive };
  });
  const publicReviews = rows.map(({ rowId, publicId, legacyNumericUrl, name, nameDisplay, redactedAt, photoPath, audience: _audience, invitedAt: _invitedAt, ...row }) => {
    // The database sets it on approval (the review_public_ids migration): an approved review without one cannot be.
    if (publicId === null) throw new Error(`review ${rowId} is approved but has no public_id; run the database migrations`);
    const displayName = formatDisplayName(name, nameDisplay as NameDisplay);
    return {
      ...row,
      id: publicId,
      formerId: legacyNumericUrl ? rowId : null,
      redacted: redactedAt !== null,
      displayName,
      photoPath: displayName === null ? null : photoPath,
    };
  });
  // A stable sort keeps the newest-first order within featured and within the rest.
  const featuredFirst = publicReviews.toSorted((a, b) => Number(b.featured) - Number(a.featured));
  return { reviews: featuredFirst, newest: publicReviews, invitations };
}

/**
 * The approved reviews for one build, read when a publish renders its pages (render-pages.ts):
 * every page of the build is rendered from this one read, so all pages agree. Photos whose file
 * is missing under `uploadDir` are dropped.
 */
export async function loadReviewsForBuild(db: () => Promise<Database>, uploadDir: string): Promise<ApprovedReviews> {
  const { newest, invitations } = await listApprovedReviews(await db());
  const checked = newest.map((review) => (review.photoPath && !resolveStoredPhoto(uploadDir, review.photoPath) ? { ...review, photoPath: null } : review));
  return { reviews: checked.toSorted((a, b) => Number(b.featured) - Number(a.featured)), newest: checked, invitations };
}

/** How many reviews are approved (and would be published). */
export async function countApprovedReviews(db: Database): Promise<number> {
  const [row] = await db.select({ value: count() }).from(reviews).where(eq(reviews.status, 'approved'));
  return row?.value ?? 0;
}
