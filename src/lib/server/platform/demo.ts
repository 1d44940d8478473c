import { and, count, eq, inArray } from 'drizzle-orm';
import { createReadStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../../../db/client.ts';
import {
  adminUsers,
  auditLog,
  contacts,
  emailLog,
  giftCodes,
  incentives,
  npsResponses,
  reviewLinkTokens,
  reviewRequests,
  reviews,
  scheduledJobs,
  sessions,
  surveys,
  surveyTokens,
} from '../../../../db/schema.ts';
import { generateToken } from '../../tokens.ts';
import { importNpsCsv } from '../listen/nps-import.ts';
import { hashPassword } from '../auth/password.ts';
import { createReviewRequest, renewReviewRequestToken } from '../ask/review-requests.ts';
import { outboxFileName } from './mail.ts';

/** The demo dataset: the shared multilingual NPS fixture. */
export const demoCsvPath = fileURLToPath(new URL('../../../../db/demo/nps-responses.csv', import.meta.url));

/** The demo admin's sign-in email. */
export const demoAdminEmail = 'demo@review-wall.invalid';

/** The contact whose review link is printed at start: a promoter with no review yet. */
const demoLinkEmail = 'customer13@example.com';

type DemoReview = {
  email: string;
  rating: number;
  body: string;
  nameDisplay: 'full' | 'first_initial' | 'anonymous';
  role?: string;
  company?: string;
  status: 'approved' | 'pending';
  featured?: boolean;
  daysAgo: number;
};

const demoReviews: DemoReview[] = [
  { email: 'aisha.bello@example.org', rating: 5, status: 'approved', featured: true, nameDisplay: 'full', role: 'Head of Support', company: 'Brightlane', daysAgo: 40,
    body: 'We moved our whole support inbox over in an afternoon. The team answered every question within minutes, and our first-reply time halved in the first month.' },
  { email: 'anna.kowalska0@example.com', rating: 5, status: 'approved', nameDisplay: 'first_initial', company: 'Sklep Kowalska', daysAgo: 35,
    body: 'Obsługa klienta jest naprawdę szybka. Polecam wszystkim, którzy mają mały zespół wsparcia.' },
  { email: 'customer5@example.com', rating: 4, status: 'approved', nameDisplay: 'first_initial', daysAgo: 30,
    body: 'Отличная поддержка: ответили за пять минут. Не хватает пары отчётов, но в целом очень доволен.' },
  { email: 'liga.berzina15@example.com', rating: 5, status: 'approved', nameDisplay: 'full', role: 'Vadītāja', daysAgo: 28,
    body: 'Lielisks atbalsts un ļoti vienkārša lietošana. Paldies komandai!' },
  { email: 'customer20@example.com', rating: 3, status: 'approved', nameDisplay: 'anonymous', daysAgo: 21,
    body: 'Обслужването е добро, но мобилното приложение може да бъде по-бързо.' },
  { email: 'sofia.rossi@example.org', rating: 5, status: 'pending', nameDisplay: 'full', role: 'Operations', company: 'Rossi & Co', daysAgo: 3,
    body: 'Support fixed my issue in minutes, and the follow-up email explained exactly what had gone wrong.' },
  { email: 'customer11@example.com', rating: 4, status: 'pending', nameDisplay: 'first_initial', daysAgo: 2,
    body: 'Дуже зручно, дякую команді! Хотілося б більше інтеграцій, але підтримка чудова.' },
  { email: 'customer21@example.com', rating: 2, status: 'pending', nameDisplay: 'anonymous', daysAgo: 1,
    body: 'Екипът е любезен, но отговорите понякога закъсняват с ден.' },
];

/** True when nothing has been stored yet: no contacts and no admin accounts. */
export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [contactRow] = await db.select({ value: count() }).from(contacts);
  const [adminRow] = await db.select({ value: count() }).from(adminUsers);
  return (contactRow?.value ?? 0) === 0 && (adminRow?.value ?? 0) === 0;
}

/** Whether demo data is present. */
export async function hasDemoData(db: Database): Promise<boolean> {
  const [row] = await db.select({ value: count() }).from(contacts).where(eq(contacts.isDemo, true));
  return (row?.value ?? 0) > 0;
}

/**
 * Loads the demo dataset: customers and NPS answers, review requests, reviews, incentives, an admin.
 * The demo business invited promoters (each demo request links an answer of 9 or 10), promising
 * `incentive` (the configured one, as the public pages name it, with its translations).
 */
export async function loadDemo(
  db: Database,
  options: { lifetimeDays: number; incentive: string; incentiveTranslations?: Record<string, string>; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  await importNpsCsv(db, createReadStream(demoCsvPath), { source: 'demo', defaultLocale: 'en', isDemo: true });
  await db.insert(adminUsers).values({ email: demoAdminEmail, passwordHash: await hashPassword(generateToken()), isDemo: true }).onConflictDoNothing();

  const demoContacts = await db
    .select({ id: contacts.id, email: contacts.email, locale: contacts.locale })
    .from(contacts)
    .where(inArray(contacts.email, [...demoReviews.map((review) => review.email), demoLinkEmail]));
  const byEmail = new Map(demoContacts.map((contact) => [contact.email, contact]));

  for (const demo of [...demoReviews, { email: demoLinkEmail } as const]) {
    const contact = byEmail.get(demo.email);
    if (!contact) continue;
    const [latest] = await db
      .select({ id: npsResponses.id })
      .from(npsResponses)
      .where(eq(npsResponses.contactId, contact.id))
      .orderBy(npsResponses.respondedAt)
      .limit(1);
    const request = await createReviewRequest(db, {
      contactId: contact.id,
      responseId: latest?.id ?? null,
      locale: contact.locale,
      lifetimeDays: options.lifetimeDays,
      terms: { audience: 'promoters', incentive: options.incentive, incentiveTranslations: options.incentiveTranslations },
      now,
    });
    if (!request) continue;
    if (!('rating' in demo)) {
      // The demo link is handed out by `npm start` itself; marking it sent keeps `npm run invite`
      // from renewing (and so breaking) the link that was just printed.
      await db.update(reviewRequests).set({ sentAt: now }).where(eq(reviewRequests.id, request.id));
      continue;
    }
    const submittedAt = new Date(now.getTime() - demo.daysAgo * 24 * 60 * 60 * 1000);
    const [review] = await db
      .insert(reviews)
      .values({
        requestId: request.id,
        contactId: contact.id,
        rating: demo.rating,
        body: demo.body,
        nameDisplay: demo.nameDisplay,
        role: demo.role ?? null,
        company: demo.company ?? null,
        locale: contact.locale,
        consentAt: submittedAt,
        status: demo.status,
        featured: demo.featured ?? false,
        moderatedAt: demo.status === 'approved' ? submittedAt : null,
        submittedAt,
      })
      .returning({ id: reviews.id });
    await db.update(reviewRequests).set({ sentAt: submittedAt, openedAt: submittedAt, submittedAt }).where(eq(reviewRequests.id, request.id));
    if (review) await db.insert(incentives).values({ reviewId: review.id, contactId: contact.id });
  }
}

/** What the start command prints so a newcomer can try everything. */
export interface DemoAccess {
  adminEmail: string;
  adminPassword: string;
  reviewToken: string | null;
}

/**
 * Sets a fresh password for the demo admin and a fresh token for the demo review link, so both
 * can be printed (only their hashes are stored).
 */
export async function refreshDemoAccess(
  db: Database,
  options: { lifetimeDays: number; password?: string | undefined },
): Promise<DemoAccess> {
  const adminPassword = options.password ?? generateToken().slice(0, 16);
  await db.update(adminUsers).set({ passwordHash: await hashPassword(adminPassword) }).where(eq(adminUsers.email, demoAdminEmail));
  const [request] = await db
    .select({ id: reviewRequests.id })
    .from(reviewRequests)
    .innerJoin(contacts, eq(contacts.id, reviewRequests.contactId))
    .where(and(eq(contacts.email, demoLinkEmail), eq(contacts.isDemo, true)));
  const reviewToken = request ? await renewReviewRequestToken(db, request.id, options.lifetimeDays) : null;
  return { adminEmail: demoAdminEmail, adminPassword, reviewToken };
}

/**
 * The outbox messages the demo caused: those the email log records for demo customers (an
 * invitation or thank-you sent while the demo was loaded) that are still in `outboxDir`. Messages
 * to real customers are never among them, whatever they say.
 */
export async function findDemoOutboxFiles(db: Database, outboxDir: string): Promise<string[]> {
  const logged = await db
    .select({ idempotencyKey: emailLog.idempotencyKey, outboxFile: emailLog.outboxFile })
    .from(emailLog)
    .where(inArray(emailLog.contactId, db.select({ id: contacts.id }).from(contacts).where(eq(contacts.isDemo, true))));
  // The file a row names, or, for a run that stopped before recording it, the name its key gives.
  const names = new Set(logged.flatMap((row) => [row.outboxFile, outboxFileName(row.idempotencyKey)]).filter((name): name is string => !!name && basename(name) === name));
  const present: string[] = [];
  for (const name of names) if (existsSync(join(outboxDir, name))) present.push(name);
  return present.sort();
}

/** What `clearDemo` removed. */
export interface ClearedDemo {
  /** Demo customers, with all they own. */
  contacts: number;
  /** Outbox messages sent to them (see findDemoOutboxFiles). */
  outboxFiles: number;
}

/**
 * Removes every demo row (demo customers with all they own, and the demo admin) and the outbox
 * messages sent to demo customers. The files go first: should it stop halfway, the rows that find
 * the rest are still there for the next run.
 */
export async function clearDemo(db: Database, options: { outboxDir: string }): Promise<ClearedDemo> {
  let outboxFiles = 0;
  for (const name of await findDemoOutboxFiles(db, options.outboxDir)) {
    await rm(join(options.outboxDir, name), { force: true });
    outboxFiles++;
  }
  const demoContactIds = db.select({ id: contacts.id }).from(contacts).where(eq(contacts.isDemo, true));
  const demoAdminIds = db.select({ id: adminUsers.id }).from(adminUsers).where(eq(adminUsers.isDemo, true));
  const demoReviewIds = db.select({ id: reviews.id }).from(reviews).where(inArray(reviews.contactId, demoContactIds));
  const demoIncentiveIds = db.select({ id: incentives.id }).from(incentives).where(inArray(incentives.contactId, demoContactIds));
  const [{ value: demoCount } = { value: 0 }] = await db.select({ value: count() }).from(contacts).where(eq(contacts.isDemo, true));
  // Children first: foreign keys are declared but not relied on (remote servers may not enforce them).
  await db.batch([
    db.update(giftCodes).set({ incentiveId: null }).where(inArray(giftCodes.incentiveId, demoIncentiveIds)),
    db.delete(incentives).where(inArray(incentives.contactId, demoContactIds)),
    db.delete(auditLog).where(and(eq(auditLog.subjectType, 'review'), inArray(auditLog.subjectId, demoReviewIds))),
    db.delete(reviews).where(inArray(reviews.contactId, demoContactIds)),
    db
      .delete(reviewLinkTokens)
      .where(inArray(reviewLinkTokens.requestId, db.select({ id: reviewRequests.id }).from(reviewRequests).where(inArray(reviewRequests.contactId, demoContactIds)))),
    db.delete(reviewRequests).where(inArray(reviewRequests.contactId, demoContactIds)),
    db.delete(npsResponses).where(inArray(npsResponses.contactId, demoContactIds)),
    db.delete(surveyTokens).where(inArray(surveyTokens.surveyId, db.select({ id: surveys.id }).from(surveys).where(inArray(surveys.contactId, demoContactIds)))),
    db.delete(surveys).where(inArray(surveys.contactId, demoContactIds)),
    db.delete(scheduledJobs).where(inArray(scheduledJobs.contactId, demoContactIds)),
    db.delete(emailLog).where(inArray(emailLog.contactId, demoContactIds)),
    db.delete(contacts).where(eq(contacts.isDemo, true)),
    db.delete(sessions).where(inArray(sessions.userId, demoAdminIds)),
    db.update(auditLog).set({ actorId: null }).where(inArray(auditLog.actorId, demoAdminIds)),
    db.delete(adminUsers).where(eq(adminUsers.isDemo, true)),
  ]);
  return { contacts: demoCount, outboxFiles };
}
