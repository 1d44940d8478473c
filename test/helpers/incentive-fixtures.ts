import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { contacts, incentives, reviewRequests, reviews } from '../../db/schema.ts';

/** One submitted review to seed, with the incentive row the submission writes. */
export interface SubmissionSeed {
  email: string;
  name?: string | null;
  locale?: string;
  rating?: number;
  body?: string;
  status?: 'pending' | 'approved' | 'rejected' | 'hidden';
  featured?: boolean;
  redacted?: boolean;
  unsubscribed?: boolean;
  /** What the invitation promised, as its review request records it (nothing recorded when left out). */
  incentive?: string;
  incentiveTranslations?: Record<string, string>;
}

/** Ids of a seeded submission. */
export interface SeededSubmission {
  contactId: number;
  reviewId: number;
  incentiveId: number;
}

/**
 * Inserts contacts, review requests, reviews and their pending incentive rows, the way a review
 * submission leaves them, in chunks so that thousands go in quickly.
 */
export async function seedSubmissions(db: Database, seeds: SubmissionSeed[]): Promise<SeededSubmission[]> {
  const seeded: SeededSubmission[] = [];
  const now = new Date();
  for (let start = 0; start < seeds.length; start += 400) {
    const chunk = seeds.slice(start, start + 400);
    const contactRows = await db
      .insert(contacts)
      .values(
        chunk.map((seed) => ({
          email: seed.email,
          name: seed.name ?? null,
          locale: seed.locale ?? 'en',
          unsubscribedAt: seed.unsubscribed ? now : null,
        })),
      )
      .returning({ id: contacts.id });
    const requestRows = await db
      .insert(reviewRequests)
      .values(
        chunk.map((seed, index) => ({
          contactId: contactRows[index]!.id,
          tokenHash: randomBytes(16).toString('hex'),
          locale: seed.locale ?? 'en',
          expiresAt: new Date(now.getTime() + 86_400_000),
          sentAt: now,
          submittedAt: now,
          incentive: seed.incentive ?? null,
          incentiveTranslations: seed.incentiveTranslations ?? null,
        })),
      )
      .returning({ id: reviewRequests.id });
    const reviewRows = await db
      .insert(reviews)
      .values(
        chunk.map((seed, index) => ({
          requestId: requestRows[index]!.id,
          contactId: contactRows[index]!.id,
          rating: seed.rating ?? 5,
          body: seed.body ?? 'Solid helpdesk, quick answers.',
          nameDisplay: 'full',
          locale: seed.locale ?? 'en',
          consentAt: now,
          status: seed.status ?? 'pending',
          featured: seed.featured ?? false,
          redactedAt: seed.redacted ? now : null,
        })),
      )
      .returning({ id: reviews.id });
    const incentiveRows = await db
      .insert(incentives)
      .values(chunk.map((_, index) => ({ reviewId: reviewRows[index]!.id, contactId: contactRows[index]!.id })))
      .returning({ id: incentives.id });
    chunk.forEach((_, index) =>
      seeded.push({ contactId: contactRows[index]!.id, reviewId: reviewRows[index]!.id, incentiveId: incentiveRows[index]!.id }),
    );
  }
  return seeded;
}

/** `count` reviewers with distinct addresses, spread over the six languages. */
export function manyReviewers(count: number, prefix = 'reviewer'): SubmissionSeed[] {
  const locales = ['en', 'pl', 'ru', 'uk', 'lv', 'bg'];
  return Array.from({ length: count }, (_, index) => ({
    email: `${prefix}${index}@example.com`,
    name: `Reviewer ${index}`,
    locale: locales[index % locales.length]!,
    rating: (index % 5) + 1,
  }));
}
