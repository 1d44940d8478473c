import { eq } from 'drizzle-orm';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/client.ts';
import { migrateDatabase, migrationsFolder } from '../../../db/migrate.ts';
import { adminUsers, reviews } from '../../../db/schema.ts';
import { approveReview, hideReview, rejectReview, type Moderator } from '../../../src/lib/server/moderate/moderation.ts';
import { listApprovedReviews } from '../../../src/lib/server/publish/public-reviews.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedReviews } from '../../helpers/reviews.ts';

// Public ids: what the public pages call a review instead of its row id, whose numbers would tell
// anyone how many reviews were never published.

const publicIdPattern = /^[0-9a-f]{16}$/;

describe('the public-ids migration on a database from before public ids', () => {
  it('gives every review that was on the public pages (approved or hidden) a public id and keeps its old address; the others get none', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'review-wall-migration-'));
    const before = join(directory, 'migrations');
    cpSync(migrationsFolder, before, { recursive: true });
    const journalFile = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const index = journal.entries.findIndex((entry) => entry.tag.endsWith('_review_public_ids'));
    expect(index).toBeGreaterThan(0);
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, index) }));
    const db = await openDatabase({ url: `file:${join(directory, 'old.db')}` });
    try {
      await migrateDatabase(db, before);
      // Reviews as the old code wrote them.
      await db.$client.executeMultiple(`
        insert into contacts (email) values ('a@example.com'), ('b@example.com'), ('c@example.com'), ('d@example.com'), ('e@example.com');
        insert into review_requests (contact_id, token_hash, locale, expires_at) select id, 'hash-' || id, 'en', 0 from contacts;
        insert into reviews (request_id, contact_id, rating, body, name_display, locale, consent_at, status)
          select q.id, q.contact_id, 5, 'Text', 'full', 'en', 0,
                 case q.contact_id when 1 then 'approved' when 2 then 'hidden' when 3 then 'pending' when 4 then 'rejected' else 'approved' end
          from review_requests q order by q.id;`);
      await migrateDatabase(db);
      const rows = (await db.$client.execute('select id, status, public_id, legacy_numeric_url from reviews order by id')).rows;
      for (const row of rows) {
        const wasPublic = row.status === 'approved' || row.status === 'hidden';
        if (wasPublic) expect(String(row.public_id), String(row.status)).toMatch(publicIdPattern);
        else expect(row.public_id, String(row.status)).toBeNull();
        expect(Number(row.legacy_numeric_url), String(row.status)).toBe(wasPublic ? 1 : 0);
      }
      expect(new Set(rows.map((row) => row.public_id).filter(Boolean)).size).toBe(3);
      // Approved after the upgrade: a public id, and no old address to keep.
      await db.$client.execute("update reviews set status = 'approved' where status = 'pending'");
      const [approvedLater] = (await db.$client.execute('select public_id, legacy_numeric_url from reviews where id = 3')).rows;
      expect(String(approvedLater!.public_id)).toMatch(publicIdPattern);
      expect(Number(approvedLater!.legacy_numeric_url)).toBe(0);
    } finally {
      db.$client.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("a review's public id", () => {
  let temporary: TemporaryDatabase;
  let moderator: Moderator;
  beforeEach(async () => {
    temporary = await createTemporaryDatabase();
    const [user] = await temporary.db.insert(adminUsers).values({ email: 'mod@example.com', passwordHash: 'x' }).returning();
    moderator = { id: user!.id, email: user!.email };
  });
  afterEach(() => temporary.cleanup());

  const publicIdOf = async (id: number) => (await temporary.db.select({ publicId: reviews.publicId }).from(reviews).where(eq(reviews.id, id)))[0]!.publicId;

  it('is set when the review is first approved, and stays the same through hiding, rejecting and approving again', async () => {
    const [id] = await seedReviews(temporary.db, [{ status: 'pending' }]);
    expect(await publicIdOf(id!)).toBeNull();
    expect((await approveReview(temporary.db, moderator, id!)).kind).toBe('done');
    const publicId = await publicIdOf(id!);
    expect(publicId).toMatch(publicIdPattern);
    await hideReview(temporary.db, moderator, id!);
    await approveReview(temporary.db, moderator, id!);
    await rejectReview(temporary.db, moderator, id!, 'spam');
    await approveReview(temporary.db, moderator, id!);
    expect(await publicIdOf(id!)).toBe(publicId);
  });

  it('is set for a review stored as approved at once (demo, imports), and never for one rejected or pending', async () => {
    const [approved, rejected, pending] = await seedReviews(temporary.db, [{ status: 'approved' }, { status: 'rejected' }, { status: 'pending' }]);
    expect(await publicIdOf(approved!)).toMatch(publicIdPattern);
    expect(await publicIdOf(rejected!)).toBeNull();
    expect(await publicIdOf(pending!)).toBeNull();
  });

  it('cannot be changed or removed once set', async () => {
    const [id] = await seedReviews(temporary.db, [{ status: 'approved' }]);
    const publicId = await publicIdOf(id!);
    const update = (value: string | null) => temporary.db.$client.execute({ sql: 'update reviews set public_id = ? where id = ?', args: [value, id!] });
    await expect(update('0000000000000001')).rejects.toThrow(/never changes/);
    await expect(update(null)).rejects.toThrow(/never changes/);
    expect(await publicIdOf(id!)).toBe(publicId);
  });

  it('tells nothing of the row ids: a thousand approvals give distinct ids that do not follow their order', async () => {
    const ids = await seedReviews(temporary.db, Array.from({ length: 1000 }, () => ({ status: 'approved' as const })));
    const { reviews: published } = await listApprovedReviews(temporary.db);
    const publicIds = published.map((review) => review.id);
    expect(new Set(publicIds).size).toBe(ids.length);
    for (const publicId of publicIds) expect(publicId).toMatch(publicIdPattern);
    // Sorted by row id, the public ids are in no particular order.
    const byRow = (await temporary.db.select({ id: reviews.id, publicId: reviews.publicId }).from(reviews)).sort((a, b) => a.id - b.id).map((row) => row.publicId!);
    const ascending = byRow.filter((publicId, index) => index > 0 && publicId > byRow[index - 1]!).length;
    expect(ascending).toBeGreaterThan(400);
    expect(ascending).toBeLessThan(600);
  });

  it('is what the public shape calls a review, with its row id only as the former address of a review published before public ids', async () => {
    const [legacy, recent] = await seedReviews(temporary.db, [{ status: 'approved' }, { status: 'approved' }]);
    await temporary.db.update(reviews).set({ legacyNumericUrl: true }).where(eq(reviews.id, legacy!));
    const { reviews: published } = await listApprovedReviews(temporary.db);
    const shapeOf = async (rowId: number) => {
      const publicId = await publicIdOf(rowId);
      return published.find((review) => review.id === publicId);
    };
    expect(await shapeOf(legacy!)).toMatchObject({ formerId: legacy });
    expect(await shapeOf(recent!)).toMatchObject({ formerId: null });
    for (const review of published) expect(review).not.toHaveProperty('rowId');
  });
});
