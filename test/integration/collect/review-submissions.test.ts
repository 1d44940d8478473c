import { eq } from 'drizzle-orm';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { adminUsers, incentives, reviewRequests, reviews } from '../../../db/schema.ts';
import { reviewLinkState } from '../../../src/lib/collect/review-link.ts';
import { reviewSubmissionSchema, type ReviewSubmissionInput } from '../../../src/lib/collect/review-submission.ts';
import { approveReview, redactReview, reviewVersion } from '../../../src/lib/server/moderate/moderation.ts';
import {
  findReviewRequestByToken,
  openReviewLink,
  recordReviewLinkOpened,
  submissionRateLimits,
  submitReview,
  type SubmitReviewOptions,
} from '../../../src/lib/server/collect/review-submissions.ts';
import { generateToken } from '../../../src/lib/tokens.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { createJpeg } from '../../helpers/images.ts';
import { createReviewLink } from '../../helpers/review-links.ts';

let temporary: TemporaryDatabase;
let uploadDir: string;
beforeEach(async () => {
  temporary = await createTemporaryDatabase();
  uploadDir = mkdtempSync(join(tmpdir(), 'review-wall-uploads-'));
});
afterEach(() => {
  temporary.cleanup();
  rmSync(uploadDir, { recursive: true, force: true });
});

const validForm = (token: string, extra: Partial<ReviewSubmissionInput> = {}) =>
  reviewSubmissionSchema.parse({
    token,
    rating: 4,
    body: 'Підтримка відповіла за п’ять хвилин і все пояснила.',
    nameDisplay: 'first_initial',
    role: 'Менеджерка',
    company: '',
    consent: true,
    ...extra,
  });

const options = (extra: Partial<SubmitReviewOptions> = {}): SubmitReviewOptions => ({
  locale: 'uk',
  clientAddress: '203.0.113.7',
  uploadDir,
  ...extra,
});

describe('finding a review link', () => {
  it('returns null for malformed, unknown and forged tokens', async () => {
    await createReviewLink(temporary.db);
    expect(await findReviewRequestByToken(temporary.db, 'short')).toBeNull();
    expect(await findReviewRequestByToken(temporary.db, "' or 1=1 --")).toBeNull();
    expect(await findReviewRequestByToken(temporary.db, generateToken())).toBeNull();
  });

  it('finds an open link, then an editable one after submitting, then a moderated one', async () => {
    const link = await createReviewLink(temporary.db);
    const found = await findReviewRequestByToken(temporary.db, link.token);
    expect(found && reviewLinkState(found)).toBe('open');
    await submitReview(temporary.db, validForm(link.token), options());
    const submitted = (await findReviewRequestByToken(temporary.db, link.token))!;
    expect(reviewLinkState(submitted)).toBe('editable');
    expect(submitted.review).toMatchObject({ rating: 4, status: 'pending', locale: 'uk' });
    await temporary.db.update(reviews).set({ status: 'approved' }).where(eq(reviews.requestId, link.requestId));
    expect(reviewLinkState((await findReviewRequestByToken(temporary.db, link.token))!)).toBe('moderated');
  });

  it('says expired once the lifetime has passed', async () => {
    const link = await createReviewLink(temporary.db, { expired: true });
    expect(reviewLinkState((await findReviewRequestByToken(temporary.db, link.token))!)).toBe('expired');
  });

  it('records the first opening only', async () => {
    const link = await createReviewLink(temporary.db);
    await recordReviewLinkOpened(temporary.db, link.requestId, new Date(1_000));
    await recordReviewLinkOpened(temporary.db, link.requestId, new Date(2_000));
    const [row] = await temporary.db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId));
    expect(row?.openedAt?.getTime()).toBe(1_000);
  });

  it('opens a link for its page: a GET records the first opening, a post or an unknown token records nothing', async () => {
    const link = await createReviewLink(temporary.db, { name: 'Jan Nowak', locale: 'pl' });
    const openedAt = async () => (await temporary.db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId)))[0]?.openedAt?.getTime();

    expect(await openReviewLink(temporary.db, generateToken(), { method: 'GET' })).toBeNull();
    const posted = await openReviewLink(temporary.db, link.token, { method: 'POST', now: new Date(1_000) });
    expect(posted).toMatchObject({ requestId: link.requestId, state: 'open', locale: 'pl', contactName: 'Jan Nowak', review: null });
    expect(await openedAt()).toBeUndefined();

    await openReviewLink(temporary.db, link.token, { method: 'GET', now: new Date(2_000) });
    await openReviewLink(temporary.db, link.token, { method: 'GET', now: new Date(3_000) });
    expect(await openedAt()).toBe(2_000);

    await submitReview(temporary.db, validForm(link.token), options());
    expect(await openReviewLink(temporary.db, link.token, { method: 'GET' })).toMatchObject({ state: 'editable', review: { rating: 4, status: 'pending' } });
    expect(await openReviewLink(temporary.db, link.token, { method: 'GET', now: new Date(Date.now() + 365 * 24 * 60 * 60 * 1000) })).toMatchObject({ state: 'expired' });
  });
});

describe('submitting a review', () => {
  it('stores the review, the submitted time and a pending incentive together', async () => {
    const link = await createReviewLink(temporary.db);
    const outcome = await submitReview(temporary.db, validForm(link.token), options());
    expect(outcome).toMatchObject({ kind: 'saved', created: true });
    const [review] = await temporary.db.select().from(reviews);
    expect(review).toMatchObject({ requestId: link.requestId, rating: 4, status: 'pending', locale: 'uk', role: 'Менеджерка', company: null });
    const [request] = await temporary.db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId));
    expect(request?.submittedAt).toBeInstanceOf(Date);
    const ledger = await temporary.db.select().from(incentives);
    expect(ledger).toEqual([expect.objectContaining({ reviewId: review!.id, contactId: link.contactId, state: 'pending' })]);
  });

  it('gives a one-star review its incentive exactly like a five-star one', async () => {
    const low = await createReviewLink(temporary.db);
    const high = await createReviewLink(temporary.db);
    await submitReview(temporary.db, validForm(low.token, { rating: 1, body: 'Повільно, незручно і без відповіді тиждень.' }), options());
    await submitReview(temporary.db, validForm(high.token, { rating: 5 }), options());
    expect(await temporary.db.select({ state: incentives.state }).from(incentives)).toEqual([{ state: 'pending' }, { state: 'pending' }]);
  });

  it('updates a pending review on edit, keeps its first submitted time, and adds no second incentive', async () => {
    const link = await createReviewLink(temporary.db);
    await submitReview(temporary.db, validForm(link.token), options({ now: new Date(10_000_000) }));
    const outcome = await submitReview(
      temporary.db,
      validForm(link.token, { rating: 2, body: 'Передумала: відповідь була неповною.' }),
      options({ locale: 'en', now: new Date(20_000_000) }),
    );
    expect(outcome).toMatchObject({ kind: 'saved', created: false });
    const all = await temporary.db.select().from(reviews);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ rating: 2, locale: 'en' });
    expect(all[0]!.submittedAt.getTime()).toBe(10_000_000);
    const [request] = await temporary.db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId));
    expect(request?.submittedAt?.getTime()).toBe(10_000_000);
    expect(await temporary.db.select().from(incentives)).toHaveLength(1);
  });

  it('moves the version forward on every edit, even within the same millisecond, so a moderator cannot approve text they did not see', async () => {
    const [user] = await temporary.db.insert(adminUsers).values({ email: 'mod@example.com', passwordHash: 'x' }).returning();
    const moderator = { id: user!.id, email: user!.email };
    const link = await createReviewLink(temporary.db);
    const now = new Date(30_000_000);
    await submitReview(temporary.db, validForm(link.token), options({ now }));
    const [seen] = await temporary.db.select().from(reviews);
    await submitReview(temporary.db, validForm(link.token, { body: 'Зовсім інший текст, якого модератор не бачив.' }), options({ now }));
    const [edited] = await temporary.db.select().from(reviews);
    expect(reviewVersion(edited!.updatedAt)).toBeGreaterThan(reviewVersion(seen!.updatedAt));
    expect(await approveReview(temporary.db, moderator, seen!.id, reviewVersion(seen!.updatedAt))).toEqual({ kind: 'changed', reviewId: seen!.id });
    expect((await temporary.db.select().from(reviews))[0]!.status).toBe('pending');
    expect(await approveReview(temporary.db, moderator, edited!.id, reviewVersion(edited!.updatedAt))).toEqual({ kind: 'done', reviewId: edited!.id });
  });

  it('clears the redaction mark when the author edits a redacted pending review: the new text is theirs, to be read again', async () => {
    const [user] = await temporary.db.insert(adminUsers).values({ email: 'mod@example.com', passwordHash: 'x' }).returning();
    const moderator = { id: user!.id, email: user!.email };
    const link = await createReviewLink(temporary.db);
    await submitReview(temporary.db, validForm(link.token, { body: 'Дзвоніть мені: +380 67 123 45 67, все пояснять.' }), options());
    const [submitted] = await temporary.db.select().from(reviews);
    const redacted = await redactReview(temporary.db, moderator, submitted!.id, ['+380 67 123 45 67'], reviewVersion(submitted!.updatedAt));
    expect(redacted).toEqual({ kind: 'done', reviewId: submitted!.id });
    const [afterRedaction] = await temporary.db.select().from(reviews);
    expect(afterRedaction!.redactedAt).toBeInstanceOf(Date);
    expect(afterRedaction!.updatedAt.getTime()).toBeGreaterThan(submitted!.updatedAt.getTime());

    const body = 'Дзвоніть мені: +380 67 123 45 67, все пояснять. Дуже раджу!';
    expect(await submitReview(temporary.db, validForm(link.token, { body }), options())).toMatchObject({ kind: 'saved', created: false });
    const [edited] = await temporary.db.select().from(reviews);
    expect(edited).toMatchObject({ body, status: 'pending', redactedAt: null });
    expect(edited!.updatedAt.getTime()).toBeGreaterThan(afterRedaction!.updatedAt.getTime());
  });

  it('refuses to change a moderated review', async () => {
    const link = await createReviewLink(temporary.db);
    await submitReview(temporary.db, validForm(link.token), options());
    await temporary.db.update(reviews).set({ status: 'rejected', rejectionReason: 'spam' });
    expect(await submitReview(temporary.db, validForm(link.token, { rating: 5 }), options())).toEqual({ kind: 'moderated' });
    const [review] = await temporary.db.select().from(reviews);
    expect(review).toMatchObject({ rating: 4, status: 'rejected' });
  });

  it('refuses unknown and expired links without storing anything', async () => {
    const expired = await createReviewLink(temporary.db, { expired: true });
    expect(await submitReview(temporary.db, validForm(generateToken()), options())).toEqual({ kind: 'not-found' });
    expect(await submitReview(temporary.db, validForm('not-a-token'), options())).toEqual({ kind: 'not-found' });
    expect(await submitReview(temporary.db, validForm(expired.token), options())).toEqual({ kind: 'expired' });
    expect(await temporary.db.select().from(reviews)).toHaveLength(0);
    expect(await temporary.db.select().from(incentives)).toHaveLength(0);
  });

  it('stores a photo, replaces it on edit (removing the old file), and removes it on request', async () => {
    const link = await createReviewLink(temporary.db);
    const photo = new File([new Uint8Array(await createJpeg())], 'me.jpg', { type: 'image/jpeg' });
    await submitReview(temporary.db, validForm(link.token, { photo }), options());
    const [first] = await temporary.db.select().from(reviews);
    expect(first?.photoPath).toMatch(/^review-photos\/[a-z2-7]{32}\.webp$/);
    await submitReview(temporary.db, validForm(link.token, { photo }), options());
    const [second] = await temporary.db.select().from(reviews);
    expect(second?.photoPath).not.toBe(first?.photoPath);
    expect(readdirSync(join(uploadDir, 'review-photos'))).toEqual([second!.photoPath!.split('/')[1]]);
    await submitReview(temporary.db, validForm(link.token, { rating: 3 }), options());
    expect((await temporary.db.select().from(reviews))[0]?.photoPath).toBe(second?.photoPath);
    await submitReview(temporary.db, validForm(link.token, { removePhoto: true }), options());
    expect((await temporary.db.select().from(reviews))[0]?.photoPath).toBeNull();
    expect(readdirSync(join(uploadDir, 'review-photos'))).toEqual([]);
  });

  it('stores nothing at all when the photo is refused', async () => {
    const link = await createReviewLink(temporary.db);
    const fake = new File([new TextEncoder().encode('not an image at all, just text')], 'photo.jpg', { type: 'image/jpeg' });
    expect(await submitReview(temporary.db, validForm(link.token, { photo: fake }), options())).toEqual({
      kind: 'photo-rejected',
      reason: 'photoNotAnImage',
    });
    expect(await temporary.db.select().from(reviews)).toHaveLength(0);
    expect(await temporary.db.select().from(incentives)).toHaveLength(0);
  });

  it('rolls back the review when the incentive row cannot be written', async () => {
    const link = await createReviewLink(temporary.db);
    // Simulate a failure in the middle of the transaction: the ledger table refuses inserts.
    await temporary.db.$client.execute(
      "create trigger refuse_incentives before insert on incentives begin select raise(abort, 'ledger unavailable'); end",
    );
    await expect(submitReview(temporary.db, validForm(link.token), options())).rejects.toThrow(/ledger unavailable/);
    expect(await temporary.db.select().from(reviews)).toHaveLength(0);
    const [request] = await temporary.db.select().from(reviewRequests).where(eq(reviewRequests.id, link.requestId));
    expect(request?.submittedAt).toBeNull();
  });

  it('turns ten concurrent submissions through one link into exactly one review and one incentive', async () => {
    const link = await createReviewLink(temporary.db);
    const connections = await Promise.all(Array.from({ length: 3 }, () => openDatabase({ url: temporary.url })));
    const databases = [temporary.db, ...connections];
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        submitReview(databases[index % databases.length]!, validForm(link.token, { rating: (index % 5) + 1 }), options()),
      ),
    );
    for (const connection of connections) connection.$client.close();
    expect(outcomes.every((outcome) => outcome.kind === 'saved')).toBe(true);
    expect(outcomes.filter((outcome) => outcome.kind === 'saved' && outcome.created)).toHaveLength(1);
    expect(await temporary.db.select().from(reviews)).toHaveLength(1);
    expect(await temporary.db.select().from(incentives)).toHaveLength(1);
  });

  it('limits submissions per link and per address before looking at the photo', async () => {
    const link = await createReviewLink(temporary.db);
    const limits = { perToken: { limit: 2, windowMs: 60_000 }, perAddress: { limit: 3, windowMs: 60_000 } };
    const fake = new File([new TextEncoder().encode('not an image')], 'x.jpg');
    expect((await submitReview(temporary.db, validForm(link.token), options({ limits }))).kind).toBe('saved');
    expect((await submitReview(temporary.db, validForm(link.token), options({ limits }))).kind).toBe('saved');
    // The third try through the same link is refused before its (bad) photo is even read.
    expect(await submitReview(temporary.db, validForm(link.token, { photo: fake }), options({ limits }))).toMatchObject({
      kind: 'rate-limited',
    });
    const other = await createReviewLink(temporary.db);
    // The address has now used its three; a fourth link from it is refused too.
    expect((await submitReview(temporary.db, validForm(other.token), options({ limits }))).kind).toBe('rate-limited');
    expect((await submitReview(temporary.db, validForm(other.token), options({ limits, clientAddress: '198.51.100.1' }))).kind).toBe('saved');
    expect(submissionRateLimits(5).perAddress.limit).toBe(5);
  });
});

describe('the form schema', () => {
  const base = { token: generateToken(), rating: 5, body: 'x'.repeat(40), nameDisplay: 'full', consent: true };
  it.each([
    ['rating 0', { rating: 0 }, 'rating', 'ratingRequired'],
    ['rating 6', { rating: 6 }, 'rating', 'ratingRequired'],
    ['no rating', { rating: null }, 'rating', 'ratingRequired'],
    ['a short text', { body: 'too short' }, 'body', 'bodyTooShort'],
    ['a huge text', { body: 'x'.repeat(200_000) }, 'body', 'bodyTooLong'],
    ['no consent', { consent: false }, 'consent', 'consentRequired'],
    ['an unknown name choice', { nameDisplay: 'nickname' }, 'nameDisplay', 'nameDisplayRequired'],
    ['a long role', { role: 'r'.repeat(81) }, 'role', 'roleTooLong'],
    ['a long company', { company: 'c'.repeat(101) }, 'company', 'companyTooLong'],
    ['a photo over 20 MB', { photo: new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'big.jpg') }, 'photo', 'photoTooLarge'],
  ])('refuses %s with a translatable message', (_, change, field, message) => {
    const result = reviewSubmissionSchema.safeParse({ ...base, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((issue) => issue.path[0] === field)?.message).toBe(message);
  });

  it('takes a photo of exactly 20 MB, what a detailed 48 MP phone photo can weigh', () => {
    const parsed = reviewSubmissionSchema.parse({ ...base, photo: new File([new Uint8Array(20 * 1024 * 1024)], 'IMG_0042.jpg') });
    expect(parsed.photo?.size).toBe(20 * 1024 * 1024);
  });

  it('counts a CRLF line break as one character and treats an empty file input as no photo', () => {
    const body = `${'a'.repeat(999)}\r\n${'b'.repeat(1000)}`;
    const parsed = reviewSubmissionSchema.parse({ ...base, body, photo: new File([], '') });
    expect(parsed.body).toHaveLength(2000);
    expect(parsed.photo).toBeNull();
  });
});

describe('on a real sqld server (remote libSQL)', () => {
  it('stores, edits and refuses exactly as on a file, and ten concurrent posts still make one review', async () => {
    const { startSqld } = await import('../../helpers/sqld.ts');
    const { migrateDatabase } = await import('../../../db/migrate.ts');
    const server = await startSqld();
    const remote = await openDatabase({ url: server.url });
    try {
      await migrateDatabase(remote);
      const link = await createReviewLink(remote);
      expect(await submitReview(remote, validForm(link.token), options())).toMatchObject({ kind: 'saved', created: true });
      expect(await submitReview(remote, validForm(link.token, { rating: 2 }), options())).toMatchObject({ kind: 'saved', created: false });
      const photo = new File([new Uint8Array(await createJpeg())], 'me.jpg', { type: 'image/jpeg' });
      expect(await submitReview(remote, validForm(link.token, { photo }), options())).toMatchObject({ kind: 'saved', created: false });
      const other = await createReviewLink(remote);
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => submitReview(remote, validForm(other.token), options())));
      expect(outcomes.every((outcome) => outcome.kind === 'saved')).toBe(true);
      expect(await remote.select().from(reviews)).toHaveLength(2);
      expect(await remote.select().from(incentives)).toHaveLength(2);
      await remote.update(reviews).set({ status: 'approved' }).where(eq(reviews.requestId, link.requestId));
      expect(await submitReview(remote, validForm(link.token), options())).toEqual({ kind: 'moderated' });
      expect(await submitReview(remote, validForm(generateToken()), options())).toEqual({ kind: 'not-found' });
    } finally {
      remote.$client.close();
      await server.stop();
    }
  });
});
