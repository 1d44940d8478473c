import type { InArgs } from '@libsql/client';
import { and, asc, count, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { auditLog, contacts, incentives, npsResponses, reviewRequests, reviews } from '../../../../db/schema.ts';
import { formatDisplayName, type NameDisplay } from '../../collect/display-name.ts';
import type { QueueFilter } from '../../moderate/queue-filter.ts';
import { rejectionReasons, reviewStatuses, type RejectionReason, type ReviewStatus } from '../../moderate/review-status.ts';
import { scrubDatabaseStorage } from '../platform/storage-scrub.ts';

// Kept for src/pages/how-we-collect-reviews.astro until it imports from src/lib/moderate/review-status.ts.
export { rejectionReasonLabels } from '../../moderate/review-status.ts';

/** What replaces each piece of personal data a moderator removes. */
export const redactionPlaceholder = '[…]';

/** Who moderates: the signed-in marketer. */
export interface Moderator {
  id: number;
  email: string;
}

/** The outcome of one moderation action. */
export type ModerationOutcome =
  | { kind: 'done'; reviewId: number }
  | { kind: 'not-found' }
  /** The review is not in a state this action applies to (e.g. hiding a pending review). */
  | { kind: 'conflict'; status: string }
  /** The input cannot be applied (e.g. a snippet that is not in the text). */
  | { kind: 'invalid'; message: string }
  /** The review changed (e.g. its author edited it) since the moderator loaded it: nothing was done. */
  | { kind: 'changed'; reviewId: number };

/**
 * A review's version: its updated_at in milliseconds. Every write to a review (an edit through the
 * link, every moderation action) makes it strictly larger, so a moderator's action carries the
 * version they read and is refused once the review has changed since.
 */
export function reviewVersion(updatedAt: Date): number {
  return updatedAt.getTime();
}

/** The next version of a review: now, but always later than the one it replaces. */
export const nextReviewVersion = () => sql`max(${Date.now()}, ${reviews.updatedAt} + 1)`;

/** One audit entry as shown on a review. */
export interface AuditEntry {
  id: number;
  actorLabel: string;
  action: string;
  detail: Record<string, unknown> | null;
  createdAt: Date;
}

/** A review as the moderation queue shows it. */
export interface QueueItem {
  id: number;
  status: ReviewStatus;
  rating: number;
  body: string;
  locale: string;
  role: string | null;
  company: string | null;
  photoPath: string | null;
  featured: boolean;
  rejectionReason: string | null;
  redactedAt: Date | null;
  submittedAt: Date;
  moderatedAt: Date | null;
  /** What the moderator saw; every action on this item sends it back (see reviewVersion). */
  version: number;
  nameDisplay: NameDisplay;
  /** The name exactly as it would be published; null means "anonymous". */
  displayName: string | null;
  contactEmail: string;
  contactName: string | null;
  contactLocale: string;
  npsScore: number | null;
  npsComment: string | null;
  incentiveState: string | null;
  audit: AuditEntry[];
}

/** One page of the queue. */
export interface QueuePage {
  items: QueueItem[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** Reviews per queue page. */
export const queuePageSize = 20;

function filterConditions(filter: QueueFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.status !== 'all') conditions.push(eq(reviews.status, filter.status));
  if (filter.rating !== undefined) conditions.push(eq(reviews.rating, filter.rating));
  if (filter.language !== undefined) conditions.push(eq(reviews.locale, filter.language));
  if (filter.from !== undefined) conditions.push(gte(reviews.submittedAt, new Date(`${filter.from}T00:00:00Z`)));
  if (filter.to !== undefined) conditions.push(lt(reviews.submittedAt, new Date(Date.parse(`${filter.to}T00:00:00Z`) + 24 * 60 * 60 * 1000)));
  return conditions;
}

function parseDetail(detail: string | null): Record<string, unknown> | null {
  if (!detail) return null;
  try {
    const value: unknown = JSON.parse(detail);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { value: detail };
  }
}

/** The audit entries of some reviews, oldest first, grouped by review id. */
export async function listReviewAudit(db: Database, reviewIds: number[]): Promise<Map<number, AuditEntry[]>> {
  const byReview = new Map<number, AuditEntry[]>();
  if (reviewIds.length === 0) return byReview;
  const rows = await db
    .select({ id: auditLog.id, subjectId: auditLog.subjectId, actorLabel: auditLog.actorLabel, action: auditLog.action, detail: auditLog.detail, createdAt: auditLog.createdAt })
    .from(auditLog)
    .where(and(eq(auditLog.subjectType, 'review'), inArray(auditLog.subjectId, reviewIds)))
    .orderBy(asc(auditLog.createdAt), asc(auditLog.id));
  for (const row of rows) {
    if (row.subjectId === null) continue;
    const list = byReview.get(row.subjectId) ?? [];
    list.push({ id: row.id, actorLabel: row.actorLabel, action: row.action, detail: parseDetail(row.detail), createdAt: row.createdAt });
    byReview.set(row.subjectId, list);
  }
  return byReview;
}

/** One page of reviews for moderation: pending first, then newest first; with audit entries. */
export async function listModerationQueue(db: Database, filter: QueueFilter, pageSize = queuePageSize): Promise<QueuePage> {
  const where = and(...filterConditions(filter));
  const [totalRow] = await db.select({ value: count() }).from(reviews).where(where);
  const total = totalRow?.value ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filter.page, pageCount);
  const rows = await db
    .select({
      id: reviews.id,
      status: reviews.status,
      rating: reviews.rating,
      body: reviews.body,
      locale: reviews.locale,
      role: reviews.role,
      company: reviews.company,
      photoPath: reviews.photoPath,
      featured: reviews.featured,
      rejectionReason: reviews.rejectionReason,
      redactedAt: reviews.redactedAt,
      submittedAt: reviews.submittedAt,
      moderatedAt: reviews.moderatedAt,
      updatedAt: reviews.updatedAt,
      nameDisplay: reviews.nameDisplay,
      contactEmail: contacts.email,
      contactName: contacts.name,
      contactLocale: contacts.locale,
      npsScore: npsResponses.score,
      npsComment: npsResponses.comment,
      incentiveState: incentives.state,
    })
    .from(reviews)
    .innerJoin(contacts, eq(contacts.id, reviews.contactId))
    .leftJoin(reviewRequests, eq(reviewRequests.id, reviews.requestId))
    .leftJoin(npsResponses, eq(npsResponses.id, reviewRequests.responseId))
    .leftJoin(incentives, eq(incentives.reviewId, reviews.id))
    .where(where)
    .orderBy(sql`case when ${reviews.status} = 'pending' then 0 else 1 end`, desc(reviews.submittedAt), desc(reviews.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const audit = await listReviewAudit(db, rows.map((row) => row.id));
  const items = rows.map(({ updatedAt, ...row }): QueueItem => {
    const nameDisplay = row.nameDisplay as NameDisplay;
    return {
      ...row,
      version: reviewVersion(updatedAt),
      status: row.status as ReviewStatus,
      nameDisplay,
      displayName: formatDisplayName(row.contactName, nameDisplay),
      audit: audit.get(row.id) ?? [],
    };
  });
  return { items, total, page, pageCount, pageSize };
}

/** The languages reviews are written in, for the queue's filter. */
export async function listReviewLanguages(db: Database): Promise<string[]> {
  const rows = await db.selectDistinct({ locale: reviews.locale }).from(reviews).orderBy(asc(reviews.locale));
  return rows.map((row) => row.locale);
}

/**
 * Applies one conditional UPDATE of a review and, only if it changed the row, its audit entry:
 * both in one libSQL batch (one transaction, one round trip). A moderator who got there first
 * makes this a conflict, never a double entry. Interactive transactions are avoided on purpose:
 * two of them in one process can deadlock an embedded database.
 */
async function moderate(
  db: Database,
  moderator: Moderator,
  reviewId: number,
  action: string,
  update: { toSQL(): { sql: string; params: unknown[] } },
  detail: Record<string, unknown> | null = null,
  version?: number,
): Promise<ModerationOutcome> {
  const query = update.toSQL();
  const [changed] = await db.$client.batch(
    [
      { sql: query.sql, args: query.params as InArgs },
      {
        sql: 'insert into audit_log (actor_id, actor_label, action, subject_type, subject_id, detail) select ?, ?, ?, ?, ?, ? where changes() > 0',
        args: [moderator.id, moderator.email, action, 'review', reviewId, detail ? JSON.stringify(detail) : null],
      },
    ],
    'write',
  );
  if (changed && changed.rows.length > 0) return { kind: 'done', reviewId };
  const [review] = await db.select({ status: reviews.status, updatedAt: reviews.updatedAt }).from(reviews).where(eq(reviews.id, reviewId));
  if (!review) return { kind: 'not-found' };
  if (version !== undefined && reviewVersion(review.updatedAt) !== version) return { kind: 'changed', reviewId };
  return { kind: 'conflict', status: review.status };
}

/** Only the review as it was at `version`, when one is given. */
function atVersion(version: number | undefined): SQL | undefined {
  return version === undefined ? undefined : eq(reviews.updatedAt, new Date(version));
}

/** The UPDATE of one review's fields, only while it is in one of `from` (and, given one, at `version`). */
function updateIf(db: Database, reviewId: number, from: readonly ReviewStatus[], values: Partial<typeof reviews.$inferInsert>, version?: number) {
  return db
    .update(reviews)
    .set({ ...values, updatedAt: nextReviewVersion() })
    .where(and(eq(reviews.id, reviewId), inArray(reviews.status, [...from]), atVersion(version)))
    .returning({ id: reviews.id });
}

const approvable = ['pending', 'rejected', 'hidden'] as const;

/**
 * Approves a review (pending, or one rejected or hidden before). Approval does not publish by itself.
 * Given the version the moderator read, a review changed since (say, edited by its author) is not
 * approved: the outcome is `changed`.
 */
export function approveReview(
  db: Database,
  moderator: Moderator,
  reviewId: number,
  version?: number,
  from: readonly ReviewStatus[] = approvable,
): Promise<ModerationOutcome> {
  const values = { status: 'approved', rejectionReason: null, moderatedAt: new Date(), moderatedBy: moderator.id };
  return moderate(db, moderator, reviewId, 'review.approve', updateIf(db, reviewId, from, values, version), null, version);
}

/** A review as the moderator saw it: its id and, when known, its version. */
export interface SeenReview {
  id: number;
  version?: number;
}

/**
 * Approves several pending reviews; each is approved and audited on its own, so one that was
 * moderated meanwhile (or is not pending) is skipped, and one that changed since the moderator
 * read it is left pending and reported as changed, without stopping the others.
 */
export async function approveReviews(
  db: Database,
  moderator: Moderator,
  seen: SeenReview[],
): Promise<{ approved: number[]; skipped: number[]; changed: number[] }> {
  const approved: number[] = [];
  const skipped: number[] = [];
  const changed: number[] = [];
  const done = new Set<number>();
  for (const { id, version } of seen) {
    if (done.has(id)) continue;
    done.add(id);
    const outcome = await approveReview(db, moderator, id, version, ['pending']);
    (outcome.kind === 'done' ? approved : outcome.kind === 'changed' ? changed : skipped).push(id);
  }
  return { approved, skipped, changed };
}

const rejectable = ['pending', 'approved', 'hidden'] as const;

/** Rejects a review for a content-policy reason. A featured review stops being featured. */
export function rejectReview(db: Database, moderator: Moderator, reviewId: number, reason: RejectionReason, version?: number): Promise<ModerationOutcome> {
  if (!rejectionReasons.includes(reason)) return Promise.resolve({ kind: 'invalid', message: `unknown rejection reason "${String(reason)}"` });
  const values = { status: 'rejected', rejectionReason: reason, featured: false, moderatedAt: new Date(), moderatedBy: moderator.id };
  return moderate(db, moderator, reviewId, 'review.reject', updateIf(db, reviewId, rejectable, values, version), { reason }, version);
}

/**
 * Takes an approved (published) review off the wall without rejecting it. Unlike the other
 * actions it takes no version: removing a review from the public pages is safe whatever changed
 * since the moderator read it, and must never be refused for being stale.
 */
export function hideReview(db: Database, moderator: Moderator, reviewId: number): Promise<ModerationOutcome> {
  const values = { status: 'hidden', featured: false, moderatedAt: new Date(), moderatedBy: moderator.id };
  return moderate(db, moderator, reviewId, 'review.hide', updateIf(db, reviewId, ['approved'], values));
}

/** Features an approved review at the top of the wall, or stops featuring any review. */
export function setReviewFeatured(db: Database, moderator: Moderator, reviewId: number, featured: boolean, version?: number): Promise<ModerationOutcome> {
  const from = featured ? (['approved'] as const) : reviewStatuses;
  const action = featured ? 'review.feature' : 'review.unfeature';
  return moderate(db, moderator, reviewId, action, updateIf(db, reviewId, from, { featured }, version), null, version);
}

/**
 * Removes personal data from a review's text: each snippet must occur in the text as it is now,
 * and every occurrence is replaced by "[…]". Nothing else can change, so a moderator can remove
 * words but never reword. The audit entry records how much was removed, not what, and the old
 * text is scrubbed from the database file and its WAL.
 */
export async function redactReview(db: Database, moderator: Moderator, reviewId: number, snippets: string[], version?: number): Promise<ModerationOutcome> {
  const wanted = [...new Set(snippets.map((snippet) => snippet.trim()).filter((snippet) => snippet.length > 0))];
  if (wanted.length === 0) return { kind: 'invalid', message: 'Mark the exact text to remove.' };
  if (wanted.some((snippet) => redactionPlaceholder.includes(snippet))) return { kind: 'invalid', message: 'That text was already removed.' };
  const [review] = await db.select({ body: reviews.body, updatedAt: reviews.updatedAt }).from(reviews).where(eq(reviews.id, reviewId));
  if (!review) return { kind: 'not-found' };
  if (version !== undefined && reviewVersion(review.updatedAt) !== version) return { kind: 'changed', reviewId };
  const missing = wanted.find((snippet) => !review.body.includes(snippet));
  if (missing !== undefined) return { kind: 'invalid', message: 'The text to remove must appear exactly as written in the review.' };
  let body = review.body;
  let occurrences = 0;
  // Longest first, so a snippet inside another one does not split it.
  for (const snippet of [...wanted].sort((a, b) => b.length - a.length)) {
    const parts = body.split(snippet);
    occurrences += parts.length - 1;
    body = parts.join(redactionPlaceholder);
  }
  // Only if nobody changed the review since it was read.
  const update = db
    .update(reviews)
    .set({ body, redactedAt: new Date(), updatedAt: nextReviewVersion() })
    .where(and(eq(reviews.id, reviewId), eq(reviews.body, review.body), eq(reviews.updatedAt, review.updatedAt)))
    .returning({ id: reviews.id });
  if (db.$client.protocol === 'file') await db.$client.execute('PRAGMA secure_delete = ON');
  const outcome = await moderate(db, moderator, reviewId, 'review.redact', update, { snippets: wanted.length, occurrences }, reviewVersion(review.updatedAt));
  // The removed words must leave the disk too, not only the row: they are personal data.
  if (outcome.kind === 'done') await scrubDatabaseStorage(db);
  return outcome;
}
