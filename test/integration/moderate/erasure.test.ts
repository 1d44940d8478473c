import { eq } from 'drizzle-orm';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, contacts, giftCodes, incentives, publishRuns, reviewLinkTokens, reviewRequests, reviews } from '../../../db/schema.ts';
import { loadDashboard } from '../../../src/lib/server/moderate/dashboard.ts';
import { eraseContact, erasureAuditAction } from '../../../src/lib/server/moderate/erasure.ts';
import { formerUrlPage } from '../../../src/lib/publish/former-urls.ts';
import { countUnusedGiftCodes } from '../../../src/lib/server/thank/gift-codes.ts';
import { createOutboxTransport, sendMail, type Mailer } from '../../../src/lib/server/platform/mail.ts';
import { importNpsCsv } from '../../../src/lib/server/listen/nps-import.ts';
import { precompressBuild, siteLayout, swapPointer } from '../../../src/lib/server/publish/publish.ts';
import { claimServerBuild } from '../../../src/lib/server/publish/server-builds.ts';
import { hashToken } from '../../../src/lib/tokens.ts';
import { projectRoot } from '../../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../../helpers/database.ts';

const fixture = join(projectRoot, 'test', 'fixtures', 'nps-responses.csv');
const erasedEmail = 'magdalena.wisniewska2@example.com';
const erasedName = 'Magdalena Wiśniewska';
const erasedReviewText = 'Zamówiłam w poniedziałek, a paczka była u mnie we wtorek rano.';
const keptEmail = 'anna.kowalska0@example.com';

/** Every file under a folder, with its bytes. */
function filesUnder(directory: string): { path: string; bytes: Buffer }[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ path: join(entry.parentPath, entry.name), bytes: readFileSync(join(entry.parentPath, entry.name)) }));
}

/** Where any of the needles appears in the files' raw bytes (decompressed for .gz and .br files). */
function traces(directory: string, needles: string[]): string[] {
  return filesUnder(directory).flatMap(({ path, bytes: raw }) => {
    const bytes = path.endsWith('.gz') ? gunzipSync(raw) : path.endsWith('.br') ? brotliDecompressSync(raw) : raw;
    return needles.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')) || bytes.toString('latin1').toLowerCase().includes(needle.toLowerCase())).map((needle) => `${needle} in ${path}`);
  });
}

describe('eraseContact', () => {
  let database: TemporaryDatabase;
  let uploadDir: string;
  let outboxDir: string;
  let mailer: Mailer;

  /** A review with a photo, an incentive with a gift code, an email and an audit entry. */
  async function giveHistory(email: string, body: string, code: string) {
    const { db } = database;
    const [contact] = await db.select().from(contacts).where(eq(contacts.email, email));
    const [request] = await db
      .insert(reviewRequests)
      .values({ contactId: contact!.id, tokenHash: hashToken(`token-${email}`), locale: 'pl', expiresAt: new Date(Date.UTC(2027, 0, 1)), sentAt: new Date() })
      .returning();
    // An earlier token kept beside the request's own (an interrupted invitation run).
    await db.insert(reviewLinkTokens).values({ tokenHash: hashToken(`earlier-token-${email}`), requestId: request!.id });
    const photoPath = `review-photos/${code}.webp`;
    mkdirSync(join(uploadDir, 'review-photos'), { recursive: true });
    writeFileSync(join(uploadDir, photoPath), `photo of ${contact!.name}`);
    const [review] = await db
      .insert(reviews)
      .values({ requestId: request!.id, contactId: contact!.id, rating: 5, body, nameDisplay: 'full', photoPath, locale: 'pl', consentAt: new Date(), status: 'approved', moderatedAt: new Date() })
      .returning();
    const [incentive] = await db.insert(incentives).values({ reviewId: review!.id, contactId: contact!.id, state: 'sent' }).returning();
    await db.insert(giftCodes).values({ code, incentiveId: incentive!.id, assignedAt: new Date() });
    await sendMail(mailer, {
      to: email,
      subject: `Thank you, ${contact!.name}`,
      text: `Dear ${contact!.name}, your code is ${code}.`,
      html: `<p>Dear ${contact!.name}, your code is ${code}.</p>`,
      idempotencyKey: `incentive:${incentive!.id}`,
      kind: 'incentive',
      contactId: contact!.id,
    });
    await db.insert(auditLog).values([
      { actorLabel: 'moderator@example.com', action: 'review.approved', subjectType: 'review', subjectId: review!.id, detail: JSON.stringify({ before: body }) },
      { actorLabel: 'moderator@example.com', action: 'reply.sent', subjectType: 'message', detail: JSON.stringify({ to: email }) },
    ]);
    // The database gives an approved review its public id (a trigger: not in the insert's returning row).
    const [published] = await db.select({ publicId: reviews.publicId }).from(reviews).where(eq(reviews.id, review!.id));
    return { contactId: contact!.id, reviewId: review!.id, publicId: published!.publicId!, photoPath };
  }

  beforeEach(async () => {
    database = await createTemporaryDatabase();
    uploadDir = join(database.directory, 'uploads');
    outboxDir = join(database.directory, 'outbox');
    mailer = { db: database.db, transport: createOutboxTransport(outboxDir), from: 'reviews@localhost' };
    await importNpsCsv(database.db, createReadStream(fixture), { source: 'csv', defaultLocale: 'en' });
  });
  afterEach(() => database.cleanup());

  it('leaves no trace of the customer in the database file, the uploads or the outbox', async () => {
    const { db } = database;
    const erased = await giveHistory(erasedEmail, erasedReviewText, 'GIFT-ERASED-1');
    const kept = await giveHistory(keptEmail, 'Obsługa klienta jest naprawdę szybka.', 'GIFT-KEPT-1');
    // (The gift code itself stays in the pool as spent: it is not personal data.)
    const needles = [erasedEmail, erasedName, erasedReviewText, 'wisniewska2'];
    // The test can fail: before the erasure every trace is there.
    await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(traces(database.directory, [erasedEmail, erasedName, erasedReviewText]).length).toBeGreaterThanOrEqual(5);

    const report = await eraseContact(db, { email: ' Magdalena.Wisniewska2@Example.com ' }, { id: null, label: 'cli' }, { uploadDir, outboxDir });
    expect(report).toEqual({
      contactId: erased.contactId,
      npsAnswers: 2,
      reviewRequests: 1,
      reviews: 1,
      incentives: 1,
      giftCodes: 1,
      emails: 1,
      auditEntriesScrubbed: 2,
      photoFiles: 1,
      outboxFiles: 1,
      publishedBuildFiles: 0,
      needsPublish: true,
      storageScrubbed: true,
      dryRun: false,
    });

    // Raw bytes of every file in the folder: database (and any WAL), uploads and outbox.
    expect(traces(database.directory, needles)).toEqual([]);
    expect(existsSync(join(uploadDir, erased.photoPath))).toBe(false);

    // Their kept tokens went with their request; the other customer's stayed.
    expect((await db.select().from(reviewLinkTokens)).map((row) => row.tokenHash)).toEqual([hashToken(`earlier-token-${keptEmail}`)]);

    // Everyone else is untouched.
    expect(existsSync(join(uploadDir, kept.photoPath))).toBe(true);
    expect(filesUnder(outboxDir).filter(({ bytes }) => bytes.includes(keptEmail))).toHaveLength(1);
    expect(await db.select().from(reviews).where(eq(reviews.id, kept.reviewId))).toHaveLength(1);
    expect((await loadDashboard(db)).overall.total).toBe(61);

    // The audit log keeps that an erasure happened, and nothing about the person.
    const log = await db.select().from(auditLog);
    const erasure = log.filter((entry) => entry.action === erasureAuditAction);
    expect(erasure).toEqual([expect.objectContaining({ actorLabel: 'cli', subjectType: 'contact', subjectId: erased.contactId })]);
    expect(JSON.parse(erasure[0]!.detail!)).toEqual({ npsAnswers: 2, reviewRequests: 1, reviews: 1, incentives: 1, emails: 1, photoFiles: 1 });
    expect(JSON.stringify(log)).not.toContain('Wiśniewska');
    expect(JSON.stringify(log)).toContain('Obsługa klienta jest naprawdę szybka.');

    // The code they were sent stays spent: never handed to someone else.
    const [code] = await db.select().from(giftCodes).where(eq(giftCodes.code, 'GIFT-ERASED-1'));
    expect(code).toMatchObject({ incentiveId: null });
    expect(code!.assignedAt).not.toBeNull();
    expect(await countUnusedGiftCodes(db)).toBe(0);
  });

  it('a dry run counts and changes nothing; an unknown customer is null', async () => {
    const { db } = database;
    await giveHistory(erasedEmail, erasedReviewText, 'GIFT-ERASED-2');
    const report = await eraseContact(db, { email: erasedEmail }, { id: null, label: 'cli' }, { uploadDir, outboxDir, dryRun: true });
    expect(report).toMatchObject({ npsAnswers: 2, reviews: 1, photoFiles: 1, outboxFiles: 1, dryRun: true, storageScrubbed: false });
    expect(await db.select().from(contacts).where(eq(contacts.email, erasedEmail))).toHaveLength(1);
    expect(filesUnder(outboxDir)).toHaveLength(1);
    expect(filesUnder(uploadDir)).toHaveLength(1);
    expect(await eraseContact(db, { email: 'nobody@example.com' }, { id: null, label: 'cli' }, { uploadDir, outboxDir })).toBeNull();
  });

  it('erases by contact id, and a second erasure finds nobody', async () => {
    const { db } = database;
    const [contact] = await db.select().from(contacts).where(eq(contacts.email, keptEmail));
    const report = await eraseContact(db, { contactId: contact!.id }, { id: null, label: 'cli' }, { uploadDir, outboxDir });
    expect(report).toMatchObject({ contactId: contact!.id, reviews: 0, needsPublish: false });
    expect(report!.npsAnswers).toBeGreaterThan(0);
    expect(await eraseContact(db, { contactId: contact!.id }, { id: null, label: 'cli' }, { uploadDir, outboxDir })).toBeNull();
  });
  it('erases whole addresses and whole-word names only, never someone whose address or words merely contain theirs', async () => {
    const { db } = database;
    await db.insert(contacts).values([
      { email: 'ann@example.com', name: 'Ann' },
      { email: 'joann@example.com', name: 'Joann' },
      { email: 'ann@example.com.au', name: 'Ann Smith' },
    ]);
    mkdirSync(outboxDir, { recursive: true });
    // Unlogged messages (their log rows were lost): only the To/Cc header decides whose they are.
    const message = (to: string, body: string) => `From: reviews@localhost\r\nTo: ${to}\r\nSubject: Hello\r\n\r\n${body}\r\n`;
    writeFileSync(join(outboxDir, 'own.eml'), message('=?UTF-8?Q?Ann?=\r\n <ANN@Example.com>', 'Hi Ann'));
    writeFileSync(join(outboxDir, 'own-cc.eml'), message('someone@example.org', 'x').replace('Subject:', 'Cc: "Ann" <ann@example.com>\r\nSubject:'));
    writeFileSync(join(outboxDir, 'joann.eml'), message('Joann <joann@example.com>', 'Hi'));
    writeFileSync(join(outboxDir, 'australia.eml'), message('ann@example.com.au', 'Hi'));
    writeFileSync(join(outboxDir, 'mentions.eml'), message('joann@example.com', 'Ann (ann@example.com) says hello'));
    await db.insert(auditLog).values(
      ['Anna asked for a refund', 'Annual report sent', 'Copied joann@example.com', 'Sent to ann@example.com.au', 'Ann called us', 'Reply to ANN@EXAMPLE.COM.', 'Saw ann again'].map((detail) => ({
        actorLabel: 'moderator@example.com',
        action: 'note',
        subjectType: 'message',
        detail,
      })),
    );

    const report = await eraseContact(db, { email: 'ann@example.com' }, { id: null, label: 'cli' }, { uploadDir, outboxDir });
    expect(report).toMatchObject({ outboxFiles: 2, auditEntriesScrubbed: 3 });
    expect(readdirSync(outboxDir).sort()).toEqual(['australia.eml', 'joann.eml', 'mentions.eml']);
    const details = (await db.select().from(auditLog)).map((entry) => entry.detail).filter((detail) => detail && !detail.startsWith('{'));
    expect(details.sort()).toEqual(['Anna asked for a refund', 'Annual report sent', 'Copied joann@example.com', 'Sent to ann@example.com.au']);
    expect(await db.select().from(contacts).where(eq(contacts.email, 'joann@example.com'))).toHaveLength(1);
  });

  it('matches names in any script and case on word boundaries', async () => {
    const { db } = database;
    await db.insert(contacts).values({ email: 'liga@example.lv', name: 'Līga Bērziņa' });
    await db.insert(auditLog).values(
      ['LĪGA BĒRZIŅA wrote back', 'Līga Bērziņas kundze', 'Nelīga Bērziņa', 'Līga  Bērziņa (twice spaced)'].map((detail) => ({ actorLabel: 'm', action: 'note', subjectType: 'message', detail })),
    );
    await eraseContact(db, { email: 'liga@example.lv' }, { id: null, label: 'cli' }, { uploadDir, outboxDir });
    const details = (await db.select().from(auditLog)).map((entry) => entry.detail).filter((detail) => detail && !detail.startsWith('{'));
    expect(details.sort()).toEqual(['Līga Bērziņas kundze', 'Nelīga Bērziņa']);
  });

  it('removes their review from every published build: older ones go, a running server keeps only its code, the live one goes once replaced', async () => {
    const { db } = database;
    const erased = await giveHistory(erasedEmail, erasedReviewText, 'GIFT-ERASED-3');
    const kept = await giveHistory(keptEmail, 'Obsługa klienta jest naprawdę szybka.', 'GIFT-KEPT-3');
    const siteDir = join(database.directory, 'site');
    const builds = join(siteDir, 'builds');
    // Three published builds, as publishSite lays them out: 1 older, 2 a running server's code (both
    // made before public ids: pages by row id), 3 live (pages by public id, and the former address
    // of a review published before public ids as a redirect page).
    const card = (id: number, name: string, body: string) => `<article class="review"><a href="/testimonials/${id}/">${name}</a><p>${body.replace(/,/g, '&#44;')}</p></article>`;
    const escaped = (text: string) => text.replace(/&/g, '&amp;');
    for (const run of [1, 2, 3]) {
      await db.insert(publishRuns).values({ startedBy: 'test', status: 'succeeded', buildDir: String(run) });
      const client = join(builds, String(run), 'client');
      const write = (path: string, text: string) => {
        mkdirSync(join(client, path, '..'), { recursive: true });
        writeFileSync(join(client, path), text);
      };
      const padding = 'x'.repeat(400);
      write('index.html', `<html>${card(erased.reviewId, escaped(erasedName), erasedReviewText)}${card(kept.reviewId, 'Anna K.', 'Obsługa')}${padding}</html>`);
      const byPublicId = run === 3;
      const pageOf = (review: { reviewId: number; publicId: string }) => (byPublicId ? review.publicId : String(review.reviewId));
      write(`testimonials/${pageOf(erased)}/index.html`, `<h1>${erasedName}</h1><p>${erasedReviewText}</p>${padding}`);
      write(`testimonials/${pageOf(kept)}/index.html`, `<h1>Anna K.</h1>${padding}`);
      if (byPublicId) {
        write(`testimonials/${erased.reviewId}/index.html`, formerUrlPage(`/testimonials/${erased.publicId}/`, 'https://example.com'));
        write(`testimonials/${kept.reviewId}/index.html`, formerUrlPage(`/testimonials/${kept.publicId}/`, 'https://example.com'));
      }
      write('testimonials/page/2/index.html', `<p>${erasedReviewText}</p>${padding}`);
      write('testimonials/lang/pl/index.html', `<p>${erasedReviewText}</p>${padding}`);
      write('testimonials.json', JSON.stringify({ reviews: [{ name: erasedName, body: erasedReviewText }], padding }));
      write('testimonials/featured.json', JSON.stringify([{ body: erasedReviewText }, padding]));
      write('sitemap.xml', `<urlset><url><loc>https://example.com/testimonials/${erased.reviewId}/</loc></url>${padding}</urlset>`);
      write(`testimonials/photos/${pageOf(erased)}-64.webp`, `photo of ${erasedName}`);
      write(`testimonials/photos/${pageOf(kept)}-64.webp`, 'photo');
      write('_astro/app.css', `body{}${padding}`);
      mkdirSync(join(builds, String(run), 'server'), { recursive: true });
      writeFileSync(join(builds, String(run), 'server', 'entry.mjs'), 'export {}');
      await precompressBuild(client);
    }
    await swapPointer(join(siteDir, 'current'), join(builds, '3'));
    // This test's own process plays the server that loaded its code from build 2.
    const server = await claimServerBuild(siteLayout(siteDir), join(builds, '2'));
    const needles = [erasedEmail, erasedName, erasedReviewText];
    // The test can fail: every build holds them before the erasure (compressed twins included).
    for (const run of ['1', '2', '3']) expect(traces(join(builds, run), needles).length, run).toBeGreaterThan(10);

    let republished = false;
    const report = await eraseContact(db, { email: erasedEmail }, { id: null, label: 'cli' }, {
      uploadDir,
      outboxDir,
      siteDir,
      republish: async () => {
        // Between the erasure and the republish: the live build lost only the review's own page and photo.
        expect(existsSync(join(builds, '1'))).toBe(false);
        expect(traces(join(builds, '2'), needles)).toEqual([]);
        expect(existsSync(join(builds, '3', 'holds-erased-data'))).toBe(true);
        expect(existsSync(join(builds, '3', 'client', 'index.html'))).toBe(true);
        const live = join(builds, '3', 'client', 'testimonials');
        for (const gone of [erased.publicId, String(erased.reviewId), `photos/${erased.publicId}-64.webp`]) expect(existsSync(join(live, gone)), gone).toBe(false);
        for (const keptPath of [kept.publicId, String(kept.reviewId), `photos/${kept.publicId}-64.webp`]) expect(existsSync(join(live, keptPath)), keptPath).toBe(true);
        const [run] = await db.insert(publishRuns).values({ startedBy: 'test', status: 'succeeded' }).returning();
        mkdirSync(join(builds, String(run!.id), 'client'), { recursive: true });
        writeFileSync(join(builds, String(run!.id), 'client', 'index.html'), card(kept.reviewId, 'Anna K.', 'Obsługa'));
        await swapPointer(join(siteDir, 'current'), join(builds, String(run!.id)));
        republished = true;
        return true;
      },
    });
    expect(republished).toBe(true);
    expect(report!.publishedBuildFiles).toBeGreaterThan(10);

    // No build holds them any more; the new live one and the server's code and assets stay.
    expect(traces(siteDir, needles)).toEqual([]);
    expect(readdirSync(builds).sort()).toEqual(['2', '4']);
    for (const file of ['server/entry.mjs', 'client/_astro/app.css', 'client/_astro/app.css.br']) {
      expect(existsSync(join(builds, '2', file)), file).toBe(true);
    }
    // The server's build keeps no public page at all (they are served from the live build).
    expect(readdirSync(join(builds, '2', 'client'))).toEqual(['_astro']);
    expect(existsSync(join(builds, '4', 'client', 'index.html'))).toBe(true);
    await server.release();
  });
});
