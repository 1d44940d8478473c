import type { InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { rateLimits } from '../../../../db/schema.ts';

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
 * The one atomic upsert that counts an event against `key`; it returns the row's `count` and
 * `window_starts_at`. Exposed so a hot path can run it inside its own transaction (see
 * review-submissions.ts); everyone else calls consumeRateLimit.
 */
export function rateLimitStatement(key: string, rule: RateLimitRule, now: number): InStatement {
  const windowExpired = now - rule.windowMs;
  return {
    sql: `insert into rate_limits (key, count, window_starts_at) values (?, 1, ?)
      on conflict (key) do update set
        count = case when rate_limits.window_starts_at <= ? then 1 else rate_limits.count + 1 end,
        window_starts_at = case when rate_limits.window_starts_at <= ? then excluded.window_starts_at else rate_limits.window_starts_at end
      returning count, window_starts_at`,
    args: [key, now, windowExpired, windowExpired],
  };
}

/**
 * The part of a client address that a per-address limit counts: an IPv4 address as it is (also
 * when written IPv4-mapped, `::ffff:1.2.3.4`), an IPv6 address by its /64 network, since one
 * visitor usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressForLimits(address: string): string {
  const value = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (mapped) return mapped[1]!;
  if (!value.includes(':')) return value;
  // Expand "::" to the missing zero groups, then keep the first four groups.
  const [head = '', tail = ''] = value.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = value.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = value.includes('::') ? [...headGroups, ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups] : headGroups;
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return value;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The decision for a counter row returned by rateLimitStatement. */
export function decideRateLimit(row: { count: number; windowStartsAt: number }, rule: RateLimitRule, now: number): RateLimitDecision {
  const allowed = row.count <= rule.limit;
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((row.windowStartsAt + rule.windowMs - now) / 1000));
  return { allowed, remaining: Math.max(0, rule.limit - row.count), retryAfterSeconds };
}

/**
 * Counts one event against `key` (e.g. `signin:ip:1.2.3.4`) and says whether it is within the
 * limit. One atomic upsert in the database, so every server process shares the same counters.
 * Call it before any expensive work.
 */
export async function consumeRateLimit(db: Database, key: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitDecision> {
  const { rows } = await db.$client.execute(rateLimitStatement(key, rule, now));
  const row = rows[0];
  if (!row) throw new Error(`rate limit upsert returned nothing for ${key}`);
  return decideRateLimit({ count: Number(row.count), windowStartsAt: Number(row.window_starts_at) }, rule, now);
}

/** A counter as stored: events counted in the window that started at `windowStartsAt`. */
export interface RateLimitCounter {
  count: number;
  windowStartsAt: number;
}

/**
 * The counters of `keys` that exist, read without counting: no write, so turning a caller away
 * on them costs one indexed read and leaves the database as it was.
 */
export async function readRateLimits(db: Database, keys: string[]): Promise<Map<string, RateLimitCounter>> {
  const counters = new Map<string, RateLimitCounter>();
  if (keys.length === 0) return counters;
  const { rows } = await db.$client.execute({
    sql: `select key, count, window_starts_at from rate_limits where key in (${keys.map(() => '?').join(', ')})`,
    args: keys,
  });
  for (const row of rows) counters.set(String(row.key), { count: Number(row.count), windowStartsAt: Number(row.window_starts_at) });
  return counters;
}

/** Whether a counter holds events of a window still running (a missing or ended one holds none). */
export function isCounting(counter: RateLimitCounter | undefined, rule: RateLimitRule, now: number): counter is RateLimitCounter {
  return counter !== undefined && counter.windowStartsAt > now - rule.windowMs;
}

/**
 * Seconds to wait before `rule` allows one more event on `counter`, or null when it allows one
 * now: the read-only twin of consumeRateLimit, for refusing a caller before anything is written.
 */
export function waitBeforeNextEvent(counter: RateLimitCounter | undefined, rule: RateLimitRule, now: number): number | null {
  if (!isCounting(counter, rule, now) || counter.count < rule.limit) return null;
  return Math.max(1, Math.ceil((counter.windowStartsAt + rule.windowMs - now) / 1000));
}

/** Forgets a key's counter (e.g. after a successful sign-in). */
export async function resetRateLimit(db: Database, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Gives back one event counted against `key` (an attempt that turned out legitimate). */
export async function refundRateLimit(db: Database, key: string): Promise<void> {
  await db.$client.execute({ sql: 'update rate_limits set count = count - 1 where key = ? and count > 0', args: [key] });
}

/** Longer than any window in use (the longest is 15 minutes), so no live counter is forgotten. */
export const staleCounterAgeMs = 24 * 60 * 60 * 1000;

/**
 * Deletes counters whose window started more than a day ago: every address, link and account
 * ever seen leaves one row, and an ended window holds nothing a new event would need (it starts
 * a fresh window anyway). npm start runs this hourly. It deletes in chunks, letting other work
 * run between them, so a table grown large before an upgrade never stalls the server. Returns
 * how many rows went.
 */
export async function deleteStaleRateLimits(db: Database, now = Date.now(), chunkSize = 5000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const result = await db.$client.execute({
      sql: 'delete from rate_limits where rowid in (select rowid from rate_limits where window_starts_at < ? limit ?)',
      args: [now - staleCounterAgeMs, chunkSize],
    });
    deleted += result.rowsAffected;
    if (result.rowsAffected < chunkSize) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
