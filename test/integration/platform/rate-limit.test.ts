import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { consumeRateLimit, deleteStaleRateLimits, readRateLimits, resetRateLimit, staleCounterAgeMs, waitBeforeNextEvent } from '../../../src/lib/server/platform/rate-limit.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

let temporary: TemporaryDatabase;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
});
afterEach(() => temporary.cleanup());

const rule = { limit: 3, windowMs: 60_000 };

describe('database rate limits', () => {
  it('blocks a burst beyond the limit and lets through after the window', async () => {
    const start = 1_000_000;
    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await consumeRateLimit(temporary.db, 'signin:ip:1.2.3.4', rule, start + i));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[3]?.retryAfterSeconds).toBe(60);
    const later = await consumeRateLimit(temporary.db, 'signin:ip:1.2.3.4', rule, start + 60_000);
    expect(later.allowed).toBe(true);
    expect(later.remaining).toBe(2);
  });

  it('forgets counters whose window started more than a day ago, and keeps the others counting', async () => {
    const now = 10 * staleCounterAgeMs;
    await consumeRateLimit(temporary.db, 'old', rule, now - staleCounterAgeMs - 1);
    for (let i = 0; i < 4; i++) await consumeRateLimit(temporary.db, 'recent', rule, now - 1000);
    for (let i = 0; i < 7; i++) await consumeRateLimit(temporary.db, `old-${i}`, rule, now - staleCounterAgeMs - 1);
    // In chunks of three: 8 stale rows go in three deletes.
    expect(await deleteStaleRateLimits(temporary.db, now, 3)).toBe(8);
    const keys = (await temporary.db.$client.execute('select key from rate_limits')).rows.map((row) => row.key);
    expect(keys).toEqual(['recent']);
    expect((await consumeRateLimit(temporary.db, 'recent', rule, now)).allowed).toBe(false);
  });

  it('keeps separate counters per key, and reset forgets one', async () => {
    for (let i = 0; i < 3; i++) await consumeRateLimit(temporary.db, 'a', rule, 5);
    expect((await consumeRateLimit(temporary.db, 'a', rule, 6)).allowed).toBe(false);
    expect((await consumeRateLimit(temporary.db, 'b', rule, 6)).allowed).toBe(true);
    await resetRateLimit(temporary.db, 'a');
    expect((await consumeRateLimit(temporary.db, 'a', rule, 7)).allowed).toBe(true);
  });

  it('reads counters without counting, and says when the next event would be refused', async () => {
    const start = 2_000_000;
    for (let i = 0; i < 2; i++) await consumeRateLimit(temporary.db, 'peek', rule, start);
    const read = async () => (await readRateLimits(temporary.db, ['peek', 'absent'])).get('peek');
    expect(await read()).toEqual({ count: 2, windowStartsAt: start });
    expect(await read()).toEqual({ count: 2, windowStartsAt: start });
    expect(waitBeforeNextEvent(await read(), rule, start + 1)).toBeNull();
    await consumeRateLimit(temporary.db, 'peek', rule, start + 1);
    // The third event used the last one allowed: the next would be refused for the rest of the window.
    expect(waitBeforeNextEvent(await read(), rule, start + 30_000)).toBe(30);
    expect(waitBeforeNextEvent(await read(), rule, start + 60_000)).toBeNull();
    expect(waitBeforeNextEvent(undefined, rule, start)).toBeNull();
    expect((await readRateLimits(temporary.db, ['absent'])).size).toBe(0);
  });

  it('is shared by separate connections (as by separate server processes)', async () => {
    const other = await openDatabase({ url: temporary.url });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => consumeRateLimit(i % 2 ? other : temporary.db, 'shared', { limit: 4, windowMs: 60_000 }, 100)),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(4);
    other.$client.close();
  });
});
