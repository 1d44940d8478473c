import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { contacts, reviewRequests } from '../../db/schema.ts';
import { createReviewRequest, type InvitationTerms } from '../../src/lib/server/ask/review-requests.ts';

let counter = 0;

/** A contact with a fresh review link, as `npm run invite` would create it. Returns the token. */
export async function createReviewLink(
  db: Database,
  options: { name?: string | null; locale?: string; lifetimeDays?: number; now?: Date; expired?: boolean; terms?: InvitationTerms } = {},
): Promise<{ token: string; requestId: number; contactId: number }> {
  counter++;
  const [contact] = await db
    .insert(contacts)
    .values({
      email: `reviewer-${process.pid}-${Date.now()}-${counter}@example.test`,
      name: options.name === undefined ? 'Olena Shevchenko' : options.name,
      locale: options.locale ?? 'uk',
    })
    .returning({ id: contacts.id });
  const request = await createReviewRequest(db, {
    contactId: contact!.id,
    responseId: null,
    locale: options.locale ?? 'uk',
    lifetimeDays: options.lifetimeDays ?? 30,
    terms: options.terms ?? { audience: 'promoters', incentive: 'a $10 gift card' },
    now: options.now,
  });
  if (!request) throw new Error('review request not created');
  if (options.expired) await db.update(reviewRequests).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(reviewRequests.id, request.id));
  return { token: request.token, requestId: request.id, contactId: contact!.id };
}
