import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { reviewLinkTokens, reviewRequests } from '../../../../db/schema.ts';
import type { InviteAudience } from '../../ask/invite-audience.ts';
import { generateToken, hashToken } from '../../tokens.ts';

const dayInMilliseconds = 24 * 60 * 60 * 1000;

/** A request just created; `token` exists only here, the database keeps its hash. */
export interface CreatedReviewRequest {
  id: number;
  token: string;
}

/**
 * Under what an invitation was sent: whom its run asked, and the incentive it promised (as the
 * public pages name it). Recorded on every request, because the public pages state how reviews
 * were collected from these facts, not from today's config.
 */
export interface InvitationTerms {
  audience: InviteAudience;
  incentive: string;
  /** The incentive in each language the site speaks (see promiseOf in promised-incentive.ts). */
  incentiveTranslations?: Record<string, string> | null | undefined;
}

/**
 * Creates the review request for a contact, unless they already have one (then null).
 * The token is returned once and never stored. Every way of asking for a review (an invitation
 * run, the demo, a survey or webhook that offers one) must say under which terms it asks. `token`
 * gives one made elsewhere (the link a survey answer offers, derived from the survey's own token);
 * by default a fresh one.
 */
export async function createReviewRequest(
  db: Database,
  input: { contactId: number; responseId: number | null; locale: string; lifetimeDays: number; terms: InvitationTerms; now?: Date; token?: string },
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
      audience: input.terms.audience,
      incentive: input.terms.incentive,
      incentiveTranslations: input.terms.incentiveTranslations ?? null,
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