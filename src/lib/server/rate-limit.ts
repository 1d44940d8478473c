import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { rateLimits } from '../../../db/schema.ts';

/** A fixed-window limit: at most `limit` events per `windowMs`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Whether an event may go ahead, and when to try again if not. */
export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

/**
 * Counts one event against `key` (e.g. `signin:ip:1.2.3.4`) and says whether it is within the
 * limit. One atomic upsert in the database, so every server process shares the same counters.
 * Call it before any expensive work.
 */
export async function consumeRateLimit(db: Database, key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
  const windowExpired = now - rule.windowMs;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, count: 1, windowStartsAt: new Date(now) })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStartsAt} <= ${windowExpired} then 1 else ${rateLimits.count} + 1 end`,
        windowStartsAt: sql`case when ${rateLimits.windowStartsAt} <= ${windowExpired} then excluded.window_starts_at else ${rateLimits.windowStartsAt} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStartsAt: rateLimits.windowStartsAt });
  if (!row) throw new Error(`rate limit upsert returned nothing for ${key}`);
  const allowed = row.count <= rule.limit;
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((row.windowStartsAt.getTime() + rule.windowMs - now) / 1000));
  return { allowed, remaining: Math.max(0, rule.limit - row.count), retryAfterSeconds };
}

/** Forgets a key's counter (e.g. after a successful sign-in). */
export async function resetRateLimit(db: Database, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
