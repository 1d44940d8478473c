import { eq } from 'drizzle-orm';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminUsers, auditLog, reviews } from '../../../db/schema.ts';
import { loadDemo } from '../../../src/lib/server/platform/demo.ts';
import {
  approveReview,
  approveReviews,
  hideReview,
  listModerationQueue,
  listReviewAudit,
  redactReview,
  rejectReview,
  reviewVersion,
  setReviewFeatured,
  type Moderator,
} from '../../../src/lib/server/moderate/moderation.ts';
import { parseQueueFilter } from '../../../src/lib/moderate/queue-filter.ts';
import type { RejectionReason } from '../../../src/lib/moderate/review-status.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

// The demo dataset: 3 pending reviews (ids 6–8) and 5 approved ones (ids 1–5, id 1 featured).
let temporary: TemporaryDatabase;
let moderator: Moderator;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  await loadDemo(temporary.db, { lifetimeDays: 30, incentive: 'a $10 gift card' });
  const [user] = await temporary.db.insert(adminUsers).values({ email: 'mod@example.com', passwordHash: 'x' }).returning();
  moderator = { id: user!.id, email: user!.email };
});
afterEach(() => temporary.cleanup());

const reviewById = async (id: number) => (await temporary.db.select().from(reviews).where(eq(reviews.id, id)))[0]!;
const auditOf = async (id: number) => (await listReviewAudit(temporary.db, [id])).get(id) ?? [];
const queue = (query: string, pageSize?: number) => listModerationQueue(temporary.db, parseQueueFilter(new URLSearchParams(query)), pageSize);

describe('the moderation queue', () => {
  it('shows pending reviews first, with the published name, the NPS answer and the incentive state', async () => {
    const page = await queue('');
    expect(page.total).toBe(8);
    expect(page.items.slice(0, 3).map((item) => item.status)).toEqual(['pending', 'pending', 'pending']);
    expect(page.items.slice(3).every((item) => item.status === 'approved')).toBe(true);
    const sofia = page.items.find((item) => item.contactEmail === 'sofia.rossi@example.org')!;
    expect(sofia).toMatchObject({ displayName: 'Sofia Rossi', role: 'Operations', company: 'Rossi & Co', locale: 'en', incentiveState: 'pending' });
    expect(sofia.npsScore).toBeGreaterThanOrEqual(0);
    const anonymous = page.items.find((item) => item.nameDisplay === 'anonymous')!;
    expect(anonymous.displayName).toBeNull();
    const initial = page.items.find((item) => item.nameDisplay === 'first_initial' && item.locale === 'uk')!;
    expect(initial.displayName).toMatch(/^\S+ \S\.$/);
  });

  it('filters by status, rating, language and date range, and pages', async () => {
    expect((await queue('status=approved')).total).toBe(5);
    expect((await queue('status=pending')).items.every((item) => item.status === 'pending')).toBe(true);
    expect((await queue('rating=5')).items.every((item) => item.rating === 5)).toBe(true);
    expect((await queue('rating=5')).total).toBe(4);
    expect((await queue('language=bg')).items.map((item) => item.locale)).toEqual(['bg', 'bg']);
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    expect((await queue(`from=${weekAgo}&to=${today}`)).total).toBe(3);
    expect((await queue(`to=${weekAgo}`)).total).toBe(5);
    const first = await queue('', 3);
    expect(first).toMatchObject({ total: 8, page: 1, pageCount: 3 });
    const last = await queue('page=3', 3);
    expect(last.items).toHaveLength(2);
    expect(new Set([...first.items, ...(await queue('page=2', 3)).items, ...last.items].map((item) => item.id)).size).toBe(8);
    expect((await queue('page=99', 3)).page).toBe(3);
  });
});

describe('moderation actions', () => {
  it('approve a pending review once, and audit who did it', async () => {
    expect(await approveReview(temporary.db, moderator, 6)).toEqual({ kind: 'done', reviewId: 6 });
    const review = await reviewById(6);
    expect(review).toMatchObject({ status: 'approved', moderatedBy: moderator.id });
    expect(review.moderatedAt).toBeInstanceOf(Date);
    expect(await approveReview(temporary.db, moderator, 6)).toEqual({ kind: 'conflict', status: 'approved' });
    expect(await approveReview(temporary.db, moderator, 999)).toEqual({ kind: 'not-found' });
    const audit = await auditOf(6);
    expect(audit.map((entry) => [entry.action, entry.actorLabel])).toEqual([['review.approve', 'mod@example.com']]);
  });

  it('two moderators approving at once make one approval and one audit entry', async () => {
    const outcomes = await Promise.all([approveReview(temporary.db, moderator, 7), approveReview(temporary.db, moderator, 7)]);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['conflict', 'done']);
    expect(await auditOf(7)).toHaveLength(1);
  });

  it('reject only for a content-policy reason, recorded with the review and in the audit log', async () => {
    expect(await rejectReview(temporary.db, moderator, 8, 'off_topic')).toEqual({ kind: 'done', reviewId: 8 });
    expect(await reviewById(8)).toMatchObject({ status: 'rejected', rejectionReason: 'off_topic' });
    expect((await auditOf(8))[0]).toMatchObject({ action: 'review.reject', detail: { reason: 'off_topic' } });
    const outcome = await rejectReview(temporary.db, moderator, 7, 'negative' as RejectionReason);
    expect(outcome.kind).toBe('invalid');
    expect((await reviewById(7)).status).toBe('pending');
    expect(await auditOf(7)).toHaveLength(0);
  });

  it('hide only published reviews; a hidden or rejected review stops being featured', async () => {
    expect(await hideReview(temporary.db, moderator, 6)).toEqual({ kind: 'conflict', status: 'pending' });
    expect((await reviewById(1)).featured).toBe(true);
    expect(await hideReview(temporary.db, moderator, 1)).toEqual({ kind: 'done', reviewId: 1 });
    expect(await reviewById(1)).toMatchObject({ status: 'hidden', featured: false });
    expect(await approveReview(temporary.db, moderator, 1)).toEqual({ kind: 'done', reviewId: 1 });
    expect((await auditOf(1)).map((entry) => entry.action)).toEqual(['review.hide', 'review.approve']);
  });

  it('feature only approved reviews, and unfeature any', async () => {
    expect(await setReviewFeatured(temporary.db, moderator, 6, true)).toEqual({ kind: 'conflict', status: 'pending' });
    expect(await setReviewFeatured(temporary.db, moderator, 2, true)).toEqual({ kind: 'done', reviewId: 2 });
    expect((await reviewById(2)).featured).toBe(true);
    expect(await setReviewFeatured(temporary.db, moderator, 2, false)).toEqual({ kind: 'done', reviewId: 2 });
    expect((await reviewById(2)).featured).toBe(false);
    expect((await auditOf(2)).map((entry) => entry.action)).toEqual(['review.feature', 'review.unfeature']);
  });

  it('bulk approve approves the pending reviews among those ticked and skips the rest', async () => {
    await rejectReview(temporary.db, moderator, 8, 'spam');
    const result = await approveReviews(temporary.db, moderator, [6, 7, 7, 8, 2, 404].map((id) => ({ id })));
    expect(result).toEqual({ approved: [6, 7], skipped: [8, 2, 404], changed: [] });
    expect((await reviewById(8)).status).toBe('rejected');
    expect(await auditOf(7)).toHaveLength(1);
  });
});

describe('acting only on the version the moderator saw', () => {
  const versionOf = async (id: number) => reviewVersion((await reviewById(id)).updatedAt);
  /** The author edits a pending review through their link after the moderator loaded the queue. */
  const authorEdits = async (id: number, body: string) => {
    const review = await reviewById(id);
    await temporary.db.update(reviews).set({ body, updatedAt: new Date(review.updatedAt.getTime() + 1) }).where(eq(reviews.id, id));
  };

  it('the queue shows each review with its version', async () => {
    const item = (await queue('status=pending')).items.find((entry) => entry.id === 6)!;
    expect(item.version).toBe(await versionOf(6));
  });

  it('refuses to approve a review edited since it was read: it stays pending, unaudited', async () => {
    const seen = await versionOf(6);
    await authorEdits(6, 'Changed after the moderator read it: now an ad for example.com!');
    expect(await approveReview(temporary.db, moderator, 6, seen)).toEqual({ kind: 'changed', reviewId: 6 });
    expect((await reviewById(6)).status).toBe('pending');
    expect(await auditOf(6)).toHaveLength(0);
    expect(await approveReview(temporary.db, moderator, 6, await versionOf(6))).toEqual({ kind: 'done', reviewId: 6 });
  });

  it('refuses to reject, redact or feature a review that changed since it was read', async () => {
    const seen7 = await versionOf(7);
    await authorEdits(7, 'Call me on 555 0100, really.');
    expect(await rejectReview(temporary.db, moderator, 7, 'spam', seen7)).toEqual({ kind: 'changed', reviewId: 7 });
    expect(await redactReview(temporary.db, moderator, 7, ['555 0100'], seen7)).toEqual({ kind: 'changed', reviewId: 7 });
    expect(await reviewById(7)).toMatchObject({ status: 'pending', body: 'Call me on 555 0100, really.', redactedAt: null });
    const seen2 = await versionOf(2);
    expect(await hideReview(temporary.db, moderator, 2)).toEqual({ kind: 'done', reviewId: 2 });
    expect(await approveReview(temporary.db, moderator, 2)).toEqual({ kind: 'done', reviewId: 2 });
    // Moderation moves the version too: a page loaded before it is stale.
    expect(await setReviewFeatured(temporary.db, moderator, 2, true, seen2)).toEqual({ kind: 'changed', reviewId: 2 });
    expect((await reviewById(2)).featured).toBe(false);
    expect(await auditOf(7)).toHaveLength(0);
  });

  it('bulk approve approves what was read unchanged and leaves the changed ones pending, saying which', async () => {
    const seen = { 6: await versionOf(6), 7: await versionOf(7), 8: await versionOf(8) };
    await authorEdits(7, 'Edited while the moderator was ticking boxes.');
    const result = await approveReviews(temporary.db, moderator, [
      { id: 6, version: seen[6] },
      { id: 7, version: seen[7] },
      { id: 8, version: seen[8] },
    ]);
    expect(result).toEqual({ approved: [6, 8], skipped: [], changed: [7] });
    expect((await reviewById(7)).status).toBe('pending');
    expect(await auditOf(7)).toHaveLength(0);
  });
});

describe('redaction', () => {
  const phoneBody = 'Great support! Call me on +48 601 234 567 or +48 601 234 567 any time, ask for Jan.';
  beforeEach(async () => {
    await temporary.db.update(reviews).set({ body: phoneBody }).where(eq(reviews.id, 6));
  });

  it('replaces every occurrence of the marked text by […], marks the review, and audits how much, not what', async () => {
    expect(await redactReview(temporary.db, moderator, 6, ['+48 601 234 567', ' Jan'])).toEqual({ kind: 'done', reviewId: 6 });
    const review = await reviewById(6);
    expect(review.body).toBe('Great support! Call me on […] or […] any time, ask for […].');
    expect(review.redactedAt).toBeInstanceOf(Date);
    const [entry] = await auditOf(6);
    expect(entry).toMatchObject({ action: 'review.redact', detail: { snippets: 2, occurrences: 3 } });
    const rawLog = await temporary.db.select().from(auditLog);
    expect(JSON.stringify(rawLog)).not.toContain('601');
  });

  it('leaves the removed words nowhere on disk: not in the database file, not in its WAL', async () => {
    // A number nobody else has, written and checkpointed so the original bytes sit in the main file too.
    const secret = '+371 2999 4321';
    await temporary.db.update(reviews).set({ body: `Thanks! Ring ${secret} after six.` }).where(eq(reviews.id, 6));
    await temporary.db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const onDisk = () => {
      const path = temporary.url.replace(/^file:/, '');
      return [path, `${path}-wal`].filter((file) => existsSync(file)).some((file) => readFileSync(file).includes(Buffer.from(secret)));
    };
    expect(onDisk()).toBe(true);
    expect(await redactReview(temporary.db, moderator, 6, [secret])).toEqual({ kind: 'done', reviewId: 6 });
    expect((await reviewById(6)).body).toBe('Thanks! Ring […] after six.');
    expect(onDisk()).toBe(false);
  });

  it('refuses anything but removing text that is there: no rewording, no empty marks', async () => {
    for (const snippets of [['+48 601 234 568'], ['Great support! Call me on +48 601 234 567 — edited'], [''], ['   '], ['[…]'], []]) {
      const outcome = await redactReview(temporary.db, moderator, 6, snippets);
      expect(outcome.kind, JSON.stringify(snippets)).toBe('invalid');
    }
    const review = await reviewById(6);
    expect(review.body).toBe(phoneBody);
    expect(review.redactedAt).toBeNull();
    expect(await auditOf(6)).toHaveLength(0);
    expect(await redactReview(temporary.db, moderator, 999, ['x'])).toEqual({ kind: 'not-found' });
  });
});
