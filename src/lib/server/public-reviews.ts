import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { contacts, reviews } from '../../../db/schema.ts';
import { formatDisplayName, type NameDisplay } from '../display-name.ts';

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
  photoPath: string | null;
  locale: string;
  featured: boolean;
  submittedAt: Date;
}

/** Approved reviews, featured first, then newest. */
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
  return rows.map(({ name, nameDisplay, redactedAt, ...row }) => ({
    ...row,
    redacted: redactedAt !== null,
    displayName: formatDisplayName(name, nameDisplay as NameDisplay),
  }));
}
