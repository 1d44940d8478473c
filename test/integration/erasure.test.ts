import { eq } from 'drizzle-orm';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, contacts, giftCodes, incentives, reviewRequests, reviews } from '../../db/schema.ts';
import { loadDashboard } from '../../src/lib/server/dashboard.ts';
import { eraseContact, erasureAuditAction } from '../../src/lib/server/erasure.ts';
import { countUnusedGiftCodes } from '../../src/lib/server/gift-codes.ts';
import { createOutboxTransport, sendMail, type Mailer } from '../../src/lib/server/mail.ts';
import { importNpsCsv } from '../../src/lib/server/nps-import.ts';
import { hashToken } from '../../src/lib/tokens.ts';
import { projectRoot } from '../helpers/app.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from '../helpers/database.ts';

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

/** Where any of the needles appears in the files' raw bytes. */
function traces(directory: string, needles: string[]): string[] {
  return filesUnder(directory).flatMap(({ path, bytes }) =>
    needles.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')) || bytes.toString('latin1').toLowerCase().includes(needle.toLowerCase())).map((needle) => `${needle} in ${path}`),
  );
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
    return { contactId: contact!.id, reviewId: review!.id, photoPath };
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
      needsPublish: true,
      storageScrubbed: true,
      dryRun: false,
    });

    // Raw bytes of every file in the folder: database (and any WAL), uploads and outbox.
    expect(traces(database.directory, needles)).toEqual([]);
    expect(existsSync(join(uploadDir, erased.photoPath))).toBe(false);

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
});
