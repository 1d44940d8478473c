import { inArray } from 'drizzle-orm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Database } from '../../db/client.ts';
import { contacts, reviewRequests, reviews } from '../../db/schema.ts';
import { hashToken, generateToken } from '../../src/lib/tokens.ts';

/** A review to store, with the contact and personal link it came through. */
export interface SeedReview {
  name?: string | null;
  email?: string;
  rating?: number;
  body?: string;
  nameDisplay?: 'full' | 'first_initial' | 'anonymous';
  role?: string | null;
  company?: string | null;
  locale?: string;
  status?: 'approved' | 'pending' | 'rejected' | 'hidden';
  featured?: boolean;
  redacted?: boolean;
  photoPath?: string | null;
  submittedAt?: Date;
  /** Whom the invitation behind it asked (default promoters), when it was sent, and what it promised (default "a $10 gift card"). */
  audience?: 'promoters' | 'all';
  invitedAt?: Date;
  incentive?: string | null;
}

let sequence = 0;

/** Stores reviews (each with its own contact and review request) in batches; returns their ids in order. */
export async function seedReviews(db: Database, items: SeedReview[], batchSize = 500): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize);
    const stamp = `${process.pid}-${Date.now()}`;
    const contactRows = await db
      .insert(contacts)
      .values(batch.map((item, index) => ({ email: item.email ?? `seed-${stamp}-${sequence++}-${index}@example.net`, name: item.name === undefined ? `Reviewer ${start + index} Example` : item.name, locale: item.locale ?? 'en' })))
      .returning({ id: contacts.id });
    const requestRows = await db
      .insert(reviewRequests)
      .values(
        contactRows.map((contact, index) => {
          const item = batch[index]!;
          return {
            contactId: contact.id,
            tokenHash: hashToken(generateToken()),
            locale: item.locale ?? 'en',
            expiresAt: new Date(Date.now() + 86_400_000),
            audience: item.audience ?? 'promoters',
            incentive: item.incentive === undefined ? 'a $10 gift card' : item.incentive,
            sentAt: item.invitedAt ?? null,
          };
        }),
      )
      .returning({ id: reviewRequests.id });
    const reviewRows = await db
      .insert(reviews)
      .values(
        batch.map((item, index) => ({
          requestId: requestRows[index]!.id,
          contactId: contactRows[index]!.id,
          rating: item.rating ?? 5,
          body: item.body ?? `Review number ${start + index}: helpful support and a tidy product.`,
          nameDisplay: item.nameDisplay ?? 'full',
          role: item.role ?? null,
          company: item.company ?? null,
          photoPath: item.photoPath ?? null,
          locale: item.locale ?? 'en',
          consentAt: new Date(),
          status: item.status ?? 'approved',
          featured: item.featured ?? false,
          redactedAt: item.redacted ? new Date() : null,
          submittedAt: item.submittedAt ?? new Date(Date.UTC(2026, 0, 1) + (start + index) * 60_000),
        })),
      )
      .returning({ id: reviews.id });
    ids.push(...reviewRows.map((row) => row.id));
  }
  return ids;
}

/** Writes a 256×256 WebP avatar under `uploadDir` the way the review form stores one; returns its relative path. */
export async function writeStoredPhoto(uploadDir: string, color = '#2a9d8f'): Promise<string> {
  const relative = `review-photos/${generateToken()}.webp`;
  mkdirSync(join(uploadDir, 'review-photos'), { recursive: true });
  writeFileSync(join(uploadDir, relative), await sharp({ create: { width: 256, height: 256, channels: 3, background: color } }).webp().toBuffer());
  return relative;
}

/** The public ids of reviews by row id, in the same order (null for a review never approved). */
export async function publicIdsOf(db: Database, rowIds: number[]): Promise<(string | null)[]> {
  const rows = await db.select({ id: reviews.id, publicId: reviews.publicId }).from(reviews).where(inArray(reviews.id, rowIds));
  const byRow = new Map(rows.map((row) => [row.id, row.publicId]));
  return rowIds.map((id) => byRow.get(id) ?? null);
}
