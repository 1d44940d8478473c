import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUsers } from '../../../db/schema.ts';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import { approveReview, hideReview, redactReview, rejectReview, setReviewFeatured, type Moderator } from '../../../src/lib/server/moderate/moderation.ts';
import { publishSite, type PublishResult, type Rebuild } from '../../../src/lib/server/publish/publish.ts';
import { keepRendererWarm } from '../../../src/lib/server/publish/renderer-process.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';
import { seedReviews, writeStoredPhoto } from '../../helpers/reviews.ts';

// A publish renders only the pages whose props changed and links the rest from the live build.
// After each kind of change, the incremental build must equal, byte for byte (compressed siblings
// included), a build that rendered every page from the same data.


/** Every file under a build's client folder with the SHA-256 of its bytes. */
function clientFiles(buildDir: string): Map<string, string> {
  const client = join(buildDir, 'client');
  const files = new Map<string, string>();
  for (const entry of readdirSync(client, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(client, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Every byte under a folder, as text, for searching. */
function allText(directory: string): string {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

type Succeeded = Extract<PublishResult, { status: 'succeeded' }>;

describe('incremental publishing', () => {
  let database: TemporaryDatabase;
  let env: NodeJS.ProcessEnv;
  let siteDir: string;
  let uploadDir: string;
  let ids: number[];
  let pending: number[];
  let moderator: Moderator;

  async function publish(rebuild: Rebuild, dir = siteDir): Promise<Succeeded> {
    const result = await publishSite({ db: database.db, siteDir: dir, startedBy: 'test', env: { ...env, SITE_DIR: dir }, projectRoot, rebuild });
    if (result.status !== 'succeeded') throw new Error(`publish ${result.status}: ${JSON.stringify(result)}`);
    return result;
  }

  /** Publishes incrementally, then every page again from the same data; both builds must be equal. */
  async function publishAndCompare(): Promise<Succeeded> {
    const incremental = await publish('changed');
    const full = await publish('pages');
    expect(full.pages.reused).toBe(0);
    expect(incremental.pages.total).toBe(full.pages.total);
    const [a, b] = [clientFiles(incremental.buildDir), clientFiles(full.buildDir)];
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [file, hash] of a) expect(hash, file).toBe(b.get(file));
    return incremental;
  }

  beforeAll(async () => {
    database = await createTemporaryDatabase();
    uploadDir = join(database.directory, 'uploads');
    siteDir = join(database.directory, 'site');
    env = { ...process.env, DATABASE_URL: database.url, UPLOAD_DIR: uploadDir, OUTBOX_DIR: join(database.directory, 'outbox'), SITE_URL: 'https://reviews.example.com' };
    const [user] = await database.db.insert(adminUsers).values({ email: 'moderator@example.com', passwordHash: 'x' }).returning();
    moderator = { id: user!.id, email: user!.email };
    const photos = new Map<number, string>();
    for (const index of [1, 11, 21, 31]) photos.set(index, await writeStoredPhoto(uploadDir, `#2646${index + 10}`));
    ids = await seedReviews(
      database.db,
      Array.from({ length: 52 }, (_, index) => ({
        name: `Person ${index} Example`,
        email: `person${index}@example.com`,
        rating: (index % 5) + 1,
        locale: index % 3 === 0 ? 'pl' : 'en',
        featured: index === 7,
        photoPath: photos.get(index) ?? null,
        nameDisplay: index === 11 ? ('anonymous' as const) : ('full' as const),
        role: index % 4 === 0 ? 'Support lead' : null,
        body: `Review number ${index}: the support team fixed our mail routing in one afternoon.`,
        submittedAt: new Date(Date.UTC(2025, 0, 1 + index)),
      })),
    );
    pending = await seedReviews(
      database.db,
      Array.from({ length: 3 }, (_, index) => ({
        name: `Waiting ${index} Example`,
        status: 'pending' as const,
        body: `Pending review ${index}, not public yet, about quick answers.`,
        submittedAt: new Date(Date.UTC(2026, 1, 1 + index)),
      })),
    );
    // Published before public ids: its former numeric address gets a redirect page.
    await database.db.$client.execute({ sql: 'update reviews set legacy_numeric_url = 1 where id = ?', args: [ids[2]!] });
    // As in npm start: one renderer child serves every publish of this file.
    keepRendererWarm();
    const first = await publish('changed');
    expect(first.pages.reused).toBe(0);
  }, 300_000);

  afterAll(() => {
    keepRendererWarm(false);
    database?.cleanup();
  });

  /** The public id a published review's page and photos are named by. */
  async function publicId(rowId: number): Promise<string> {
    const [row] = (await database.db.$client.execute({ sql: 'select public_id from reviews where id = ?', args: [rowId] })).rows;
    return String(row!.public_id);
  }

  it('publishing again with nothing changed renders nothing and links every page', async () => {
    const again = await publish('changed');
    expect(again.pages.rendered).toBe(0);
    expect(again.pages.reused).toBe(again.pages.total);
  }, 120_000);

  it('equals a full render after an approval, rendering the new page and the pages that list it, not the others', async () => {
    expect(await approveReview(database.db, moderator, pending[0]!)).toEqual({ kind: 'done', reviewId: pending[0] });
    const result = await publishAndCompare();
    // Every other testimonial and photo is reused; the new one, the lists, feeds and sitemap are rendered.
    expect(result.pages.reused).toBeGreaterThanOrEqual(ids.length - 1);
    expect(result.pages.rendered).toBeLessThan(20);
    expect(readFileSync(join(result.buildDir, 'client', 'testimonials', await publicId(pending[0]!), 'index.html'), 'utf8')).toContain('Pending review 0');
    // The redirect page at a former numeric address is a page of the build like the others.
    expect(readFileSync(join(result.buildDir, 'client', 'testimonials', String(ids[2]), 'index.html'), 'utf8')).toContain(`url=/testimonials/${await publicId(ids[2]!)}/`);
  }, 240_000);

  it('equals a full render after an edit, hiding, rejecting, redacting and featuring', async () => {
    await database.db.$client.execute({ sql: `update reviews set body = 'Edited: they answered on a Sunday.', role = 'Owner' where id = ?`, args: [ids[5]!] });
    const hidden = await publicId(ids[3]!);
    expect((await hideReview(database.db, moderator, ids[3]!)).kind).toBe('done');
    expect((await rejectReview(database.db, moderator, pending[1]!, 'spam')).kind).toBe('done');
    expect((await redactReview(database.db, moderator, ids[1]!, ['mail routing'])).kind).toBe('done');
    expect((await setReviewFeatured(database.db, moderator, ids[20]!, true)).kind).toBe('done');
    const result = await publishAndCompare();
    const page = async (rowId: number) => readFileSync(join(result.buildDir, 'client', 'testimonials', await publicId(rowId), 'index.html'), 'utf8');
    expect(await page(ids[5]!)).toContain('Edited: they answered on a Sunday.');
    expect(existsSync(join(result.buildDir, 'client', 'testimonials', hidden))).toBe(false);
    expect(await page(ids[1]!)).not.toContain('mail routing');
    expect(readFileSync(join(result.buildDir, 'client', 'index.html'), 'utf8').indexOf(`data-review-id="${await publicId(ids[20]!)}"`)).toBeGreaterThan(0);
  }, 240_000);

  it('after an erasure reuses nothing from earlier builds, and the new build holds no trace of the review', async () => {
    const erasedId = ids[21]!; // Person 21, with a photo
    const erasedPublicId = await publicId(erasedId);
    const [contact] = (await database.db.$client.execute({ sql: 'select contact_id from reviews where id = ?', args: [erasedId] })).rows;
    const live = await publish('changed');
    expect(existsSync(join(live.buildDir, 'client', 'testimonials', 'photos', `${erasedPublicId}-64.webp`))).toBe(true);
    const report = await eraseContact(database.db, { contactId: Number(contact![0]) }, { id: null, label: 'test' }, { uploadDir, outboxDir: env.OUTBOX_DIR!, siteDir });
    expect(report?.reviews).toBe(1);

    const result = await publishAndCompare();
    expect(result.pages.reused).toBe(0);
    expect(existsSync(join(result.buildDir, 'client', 'testimonials', erasedPublicId))).toBe(false);
    expect(readdirSync(join(result.buildDir, 'client', 'testimonials', 'photos')).filter((file) => file.startsWith(`${erasedPublicId}-`))).toEqual([]);
    const everything = allText(result.buildDir);
    for (const trace of ['Person 21 Example', 'person21@example.com', 'Review number 21:', `/testimonials/${erasedPublicId}/`]) expect(everything).not.toContain(trace);
    // The compiled code, which every build links, never held any review.
    expect(allText(join(siteDir, 'code'))).not.toContain('Person 21 Example');
  }, 240_000);
});
