import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { reviewLinkTokens, reviewRequests } from '../../../../db/schema.ts';
import { generateToken, hashToken } from '../../tokens.ts';

const dayInMilliseconds = 24 * 60 * 60 * 1000;

/** A request just created; `token` exists only here, the database keeps its hash. */
export interface CreatedReviewRequest {
  id: number;
  token: string;
}

/**
 * Creates the review request for a contact, unless they already have one (then null).
 * The token is returned once and never stored. `token` gives one made elsewhere (the link a
 * survey answer offers, derived from the survey's own token); by default a fresh one.
 */
export async function createReviewRequest(
  db: Database,
  input: { contactId: number; responseId: number | null; locale: string; lifetimeDays: number; now?: Date; token?: string },
): Promise<CreatedReviewRequest | null> {
  const token = input.token ?? generateToken();
  const now = input.now ?? new Date();
  const [row] = await db
    .insert(reviewRequests)
    .values({
      contactId: input.contactId,
      responseId: input.responseId,
      tokenHash: hashToken(token),
      locale: input.locale,
      expiresAt: new Date(now.getTime() + input.lifetimeDays * dayInMilliseconds),
      createdAt: now,
    })
    .onConflictDoNothing({ target: reviewRequests.contactId })
    .returning({ id: reviewRequests.id });
  return row ? { id: row.id, token } : null;
}

/**
 * Gives an unsubmitted request a new token and lifetime (used for the demo link printed at
 * start, and by the invitation run that takes over an interrupted one). The old token stops
 * working, unless `keepEarlier`: then it (and any kept before it) keeps working beside the new
 * one, for the customer who may have received it.
 */
export async function renewReviewRequestToken(
  db: Database,
  requestId: number,
  lifetimeDays: number,
  now = new Date(),
  options: { keepEarlier?: boolean } = {},
): Promise<string | null> {
  const token = generateToken();
  const unsubmitted = and(eq(reviewRequests.id, requestId), isNull(reviewRequests.submittedAt));
  const renew = db
    .update(reviewRequests)
    .set({ tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + lifetimeDays * dayInMilliseconds) })
    .where(unsubmitted)
    .returning({ id: reviewRequests.id });
  // The earlier token is kept beside the new one; without keepEarlier, those kept before go too.
  const earlier = options.keepEarlier
    ? db
        .insert(reviewLinkTokens)
        .select(
          db
            .select({ tokenHash: reviewRequests.tokenHash, requestId: reviewRequests.id, createdAt: sql`${now.getTime()}`.as('created_at') })
            .from(reviewRequests)
            .where(unsubmitted),
        )
        .onConflictDoNothing()
    : db.delete(reviewLinkTokens).where(inArray(reviewLinkTokens.requestId, db.select({ id: reviewRequests.id }).from(reviewRequests).where(unsubmitted)));
  // One transaction: the earlier tokens change together with their replacement.
  const [, results] = await db.batch([earlier, renew]);
  return results.length > 0 ? token : null;
}