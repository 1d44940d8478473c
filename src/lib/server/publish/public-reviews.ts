import { and, count, desc, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { contacts, reviews } from '../../../../db/schema.ts';
import { formatDisplayName, type NameDisplay } from '../../collect/display-name.ts';
import { resolveStoredPhoto } from './public-photos.ts';

/** A review as the public may see it: no email, no token, no contact id. */
export interface PublicReview {
  id: number;
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
}

/** Approved reviews, featured first, then newest. Selects public columns only. */
export async function listApprovedReviews(db: Database): Promise<PublicReview[]> {
  const rows = await db
    .select({
      id: reviews.id,
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
    })
    .from(reviews)
    .innerJoin(contacts, eq(contacts.id, reviews.contactId))
    .where(and(eq(reviews.status, 'approved')))
    .orderBy(desc(reviews.featured), desc(reviews.submittedAt), desc(reviews.id));
  return rows.map(({ name, nameDisplay, redactedAt, photoPath, ...row }) => {
    const displayName = formatDisplayName(name, nameDisplay as NameDisplay);
    return { ...row, redacted: redactedAt !== null, displayName, photoPath: displayName === null ? null : photoPath };
  });
}

/**
 * The approved reviews for one build, read when a publish renders its pages (render-pages.ts):
 * every page of the build is rendered from this one read, so all pages agree. Photos whose file
 * is missing under `uploadDir` are dropped.
 */
export async function loadReviewsForBuild(db: () => Promise<Database>, uploadDir: string): Promise<PublicReview[]> {
  const list = await listApprovedReviews(await db());
  return list.map((review) => (review.photoPath && !resolveStoredPhoto(uploadDir, review.photoPath) ? { ...review, photoPath: null } : review));
}

/** How many reviews are approved (and would be published). */
export async function countApprovedReviews(db: Database): Promise<number> {
  const [row] = await db.select({ value: count() }).from(reviews).where(eq(reviews.status, 'approved'));
  return row?.value ?? 0;
}
