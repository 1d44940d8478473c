import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUsers } from '../../../db/schema.ts';
import { eraseContact } from '../../../src/lib/server/moderate/erasure.ts';
import { approveReview, hideReview, redactReview, rejectReview, setReviewFeatured, type Moderator } from '../../../src/lib/server/moderate/moderation.ts';
import { publishSite, type PublishResult, type Rebuild } from '../../../src/lib/server/publish/publish.ts';
import { keepRendererWarm } from '../../../src/lib/server/publish/renderer-process.ts';
import { readManifest } from '../../../src/lib/server/publish/render-pages.ts';
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

/** What a build was: its manifest and the inode of each page file, kept after the build is pruned. */
interface BuildSnapshot {
  keys: Map<string, string>;
  inodes: Map<string, number>;
}

function snapshot(buildDir: string): BuildSnapshot {
  const manifest = readManifest(buildDir)!;
  const keys = new Map(Object.entries(manifest.pages).map(([path, page]) => [path, page.key]));
  const inodes = new Map(Object.entries(manifest.pages).map(([path, page]) => [path, statSync(join(buildDir, page.files[0]!)).ino]));
  return { keys, inodes };
}

/** The pages of `after` whose props differ from (or are missing in) `before`: the ones it rendered. */
function changedPages(before: BuildSnapshot, after: BuildSnapshot): string[] {
  return [...after.keys].filter(([path, key]) => before.keys.get(path) !== key).map(([path]) => path);
}

/** Whether a page's file in `after` is the very file of `before` (hard-linked, not written again). */
function samePageFile(before: BuildSnapshot, after: BuildSnapshot, path: string): boolean {
  return before.inodes.get(path) !== undefined && before.inodes.get(path) === after.inodes.get(path);
}

/** Archive pages of the listings (numbered from the oldest review). */
const isArchivePage = (path: string) => /\/page\/\d+\/$/.test(path);

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

  it('renders a page again when its file is gone from the live build, and links the others', async () => {
    const live = await publish('changed');
    const id = await publicId(ids[9]!);
    rmSync(join(live.buildDir, 'client', 'testimonials', id, 'index.html.br'));
    const again = await publish('changed');
    expect(again.pages.rendered).toBe(1);
    expect(readFileSync(join(again.buildDir, 'client', 'testimonials', id, 'index.html'), 'utf8')).toContain('Review number 9:');
    expect(existsSync(join(again.buildDir, 'client', 'testimonials', id, 'index.html.br'))).toBe(true);
    await publishAndCompare();
  }, 240_000);

  it('equals a full render after an approval, rendering the new page and the pages that list it, not the others', async () => {
    const before = snapshot((await publish('changed')).buildDir);
    expect(await approveReview(database.db, moderator, pending[0]!)).toEqual({ kind: 'done', reviewId: pending[0] });
    const result = await publishAndCompare();
    // 53 reviews, 35 in English: the archive's pages are numbered from the oldest review, so the new
    // (newest) one changes only the newest archive page of its listings, never the older ones.
    const after = snapshot(result.buildDir);
    const changed = changedPages(before, after);
    expect(changed.filter(isArchivePage).sort()).toEqual(['/testimonials/lang/en/page/2/', '/testimonials/page/3/']);
    expect(changed.filter((path) => /^\/testimonials\/[0-9a-f]{16}\/$/.test(path))).toEqual([`/testimonials/${await publicId(pending[0]!)}/`]);
    for (const path of ['/testimonials/page/1/', '/testimonials/page/2/', '/testimonials/lang/en/page/1/', '/testimonials/lang/pl/page/1/']) {
      expect(samePageFile(before, after, path), path).toBe(true);
    }
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

  it('equals a full render over a run of approvals that fills the newest archive page and starts another, leaving the older pages as they were', async () => {
    const live = await publish('changed');
    const first = snapshot(live.buildDir);
    // 52 published now (one hidden above): the archive of all holds 24, 24 and 4.
    expect(readFileSync(join(live.buildDir, 'client', 'testimonials', 'page', '3', 'index.html'), 'utf8').match(/<article class="review"/g)).toHaveLength(4);
    const waiting = await seedReviews(
      database.db,
      Array.from({ length: 21 }, (_, index) => ({
        name: `Later ${index} Example`,
        status: 'pending' as const,
        body: `Later review ${index}: the billing questions were answered the same day.`,
        submittedAt: new Date(Date.UTC(2026, 2, 1, index)),
      })),
    );
    for (const id of waiting.slice(0, 20)) expect((await approveReview(database.db, moderator, id)).kind).toBe('done');
    const filled = await publishAndCompare();
    const full = snapshot(filled.buildDir);
    expect(readFileSync(join(filled.buildDir, 'client', 'testimonials', 'page', '3', 'index.html'), 'utf8').match(/<article class="review"/g)).toHaveLength(24);
    expect(existsSync(join(filled.buildDir, 'client', 'testimonials', 'page', '4'))).toBe(false);
    expect((await approveReview(database.db, moderator, waiting[20]!)).kind).toBe('done');
    const started = await publishAndCompare();
    const newest = readFileSync(join(started.buildDir, 'client', 'testimonials', 'page', '4', 'index.html'), 'utf8');
    expect(newest).toContain('Later review 20:');
    expect(newest.match(/<article class="review"/g)).toHaveLength(1);
    // Page 3 now links to a newer page 4 instead of the first page; pages 1 and 2 never changed.
    expect(changedPages(full, snapshot(started.buildDir)).filter((path) => path.startsWith('/testimonials/page/')).sort()).toEqual(['/testimonials/page/3/', '/testimonials/page/4/']);
    const since = changedPages(first, snapshot(started.buildDir));
    expect(since).toContain('/testimonials/page/3/');
    for (const path of ['/testimonials/page/1/', '/testimonials/page/2/']) expect(since).not.toContain(path);
  }, 300_000);

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
