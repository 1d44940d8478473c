import type { InStatement } from '@libsql/client';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { contacts, incentives, reviewRequests, reviews } from '../../../../db/schema.ts';
import type { PromisedIncentive } from '../../ask/promised-incentive.ts';
import type { NameDisplay } from '../../collect/display-name.ts';
import { reviewLinkState, type OwnReview, type ReviewLinkState } from '../../collect/review-link.ts';
import type { Locale } from '../../locales.ts';
import type { ReviewSubmission } from '../../collect/review-submission.ts';
import { hashToken, isWellFormedToken } from '../../tokens.ts';
import { deleteReviewPhoto, PhotoRejectedError, storeReviewPhoto, type PhotoRejection } from './photos.ts';
import { hotPathRunner, runGroupedWriteBatch, type SqlRows } from '../platform/hot-path-sql.ts';
import { addressForLimits, decideRateLimit, rateLimitStatement, type RateLimitRule } from '../platform/rate-limit.ts';

/** A review request found by its token, with the contact's name and the review if one was sent. */
export interface ReviewLink {
  requestId: number;
  contactId: number;
  contactName: string | null;
  locale: string;
  expiresAt: Date;
  openedAt: Date | null;
  submittedAt: Date | null;
  review: OwnReview | null;
  /** The incentive the invitation promised. */
  promised: PromisedIncentive;
  /** When the incentive for the review was emailed; null while it is not (or there is no review). */
  incentiveSentAt: Date | null;
}

/**
 * The request a token hash opens: the request's own token, or an earlier one kept beside it
 * after an interrupted invitation run (review_link_tokens). Every lookup by token goes through
 * this; `parameter` is the placeholder of the hash (`?`, `?1`…).
 */
const requestIdOfTokenSql = (parameter: string) =>
  `coalesce((select id from review_requests where token_hash = ${parameter}), (select request_id from review_link_tokens where token_hash = ${parameter}))`;

/** requestIdOfTokenSql for the query builder, with the hash bound as a parameter wherever it appears. */
const requestIdOfToken = (tokenHash: string) => sql.join(requestIdOfTokenSql('\u0000').split('\u0000').map((text) => sql.raw(text)), sql`${tokenHash}`);

/** The rate-limit counter of a client address for review posts. */
const submissionAddressKey = (clientAddress: string) => `review-submit:ip:${addressForLimits(clientAddress)}`;
/** Link counters are keyed by request id, so consecutive links touch neighbouring pages of the counter table. */
const submissionLinkKeyPrefix = 'review-submit:request:';

/** Looks a review link up by its token; null for a malformed, unknown or forged token. */
export async function findReviewRequestByToken(db: Database, token: string): Promise<ReviewLink | null> {
  // A token we never issued is refused before it reaches the database.
  if (!isWellFormedToken(token)) return null;
  const [row] = await db
    .select({
      requestId: reviewRequests.id,
      contactId: reviewRequests.contactId,
      contactName: contacts.name,
      locale: reviewRequests.locale,
      expiresAt: reviewRequests.expiresAt,
      openedAt: reviewRequests.openedAt,
      submittedAt: reviewRequests.submittedAt,
      reviewId: reviews.id,
      rating: reviews.rating,
      body: reviews.body,
      nameDisplay: reviews.nameDisplay,
      role: reviews.role,
      company: reviews.company,
      photoPath: reviews.photoPath,
      reviewLocale: reviews.locale,
      status: reviews.status,
      incentive: reviewRequests.incentive,
      incentiveTranslations: reviewRequests.incentiveTranslations,
      incentiveState: incentives.state,
      incentiveSentAt: incentives.sentAt,
    })
    .from(reviewRequests)
    .innerJoin(contacts, eq(contacts.id, reviewRequests.contactId))
    .leftJoin(reviews, eq(reviews.requestId, reviewRequests.id))
    .leftJoin(incentives, eq(incentives.reviewId, reviews.id))
    .where(eq(reviewRequests.id, requestIdOfToken(hashToken(token))))
    .limit(1);
  if (!row) return null;
  const review: OwnReview | null =
    row.reviewId === null
      ? null
      : {
          id: row.reviewId,
          rating: row.rating!,
          body: row.body!,
          nameDisplay: row.nameDisplay as NameDisplay,
          role: row.role,
          company: row.company,
          photoPath: row.photoPath,
          locale: row.reviewLocale!,
          status: row.status!,
        };
  return {
    requestId: row.requestId,
    contactId: row.contactId,
    contactName: row.contactName,
    locale: row.locale,
    expiresAt: row.expiresAt,
    openedAt: row.openedAt,
    submittedAt: row.submittedAt,
    review,
    promised: { incentive: row.incentive, incentiveTranslations: row.incentiveTranslations },
    incentiveSentAt: row.incentiveState === 'sent' ? row.incentiveSentAt : null,
  };
}

/** Records the first time a link was opened; later openings change nothing. */
export async function recordReviewLinkOpened(db: Database, requestId: number, now = new Date()): Promise<void> {
  await db
    .update(reviewRequests)
    .set({ openedAt: now })
    .where(and(eq(reviewRequests.id, requestId), isNull(reviewRequests.openedAt)));
}

/** A review link as its page shows it: the link and what it can do now. */
export interface OpenedReviewLink extends ReviewLink {
  state: ReviewLinkState;
}

/**
 * Looks a link up for its page; null for a token we never issued. Mail scanners prefetch links,
 * so a GET records the first opening and changes nothing else; other methods record nothing.
 */
export async function openReviewLink(db: Database, token: string, options: { method: string; now?: Date }): Promise<OpenedReviewLink | null> {
  const link = await findReviewRequestByToken(db, token);
  if (!link) return null;
  const now = options.now ?? new Date();
  if (options.method === 'GET' && !link.openedAt) await recordReviewLinkOpened(db, link.requestId, now);
  return { ...link, state: reviewLinkState(link, now) };
}

/** Submission limits: a few edits per link, and a cap per client address. */
export interface SubmissionRateLimits {
  perToken: RateLimitRule;
  perAddress: RateLimitRule;
}

/** Default limits; the per-address count comes from SUBMISSION_RATE_LIMIT_PER_IP. */
export function submissionRateLimits(perAddressLimit = 60): SubmissionRateLimits {
  return {
    perToken: { limit: 10, windowMs: 10 * 60_000 },
    perAddress: { limit: perAddressLimit, windowMs: 10 * 60_000 },
  };
}

/**
 * Whether a link or an address has already been refused within the current window, read
 * without counting: the server checks this before it reads a posted form, so a sender that keeps
 * posting past its limit costs one indexed read, not a 24 MB body. The first refused post still
 * goes through submitReview (which counts it and shows back what was typed); only the ones after
 * it are turned away unread. Returns the seconds to wait, or null when the post may be read.
 */
export async function submissionRefusedUnread(
  db: Database,
  token: string,
  clientAddress: string,
  limits: SubmissionRateLimits,
  now = Date.now(),
): Promise<number | null> {
  const addressKey = submissionAddressKey(clientAddress);
  const tokenHash = isWellFormedToken(token) ? hashToken(token) : '';
  const { rows } = await hotPathRunner(db).execute({
    sql: `select key, count, window_starts_at from rate_limits where key = ?1 or key = '${submissionLinkKeyPrefix}' || ${requestIdOfTokenSql('?2')}`,
    args: [addressKey, tokenHash],
  });
  let waitSeconds: number | null = null;
  for (const row of rows) {
    const rule = row.key === addressKey ? limits.perAddress : limits.perToken;
    const windowStartsAt = Number(row.window_starts_at);
    if (windowStartsAt <= now - rule.windowMs || Number(row.count) <= rule.limit) continue;
    const decision = decideRateLimit({ count: Number(row.count), windowStartsAt }, rule, now);
    waitSeconds = Math.max(waitSeconds ?? 0, decision.retryAfterSeconds);
  }
  return waitSeconds;
}

/** What became of a submission. */
export type SubmitReviewOutcome =
  | { kind: 'saved'; reviewId: number; created: boolean }
  | { kind: 'not-found' }
  | { kind: 'expired' }
  | { kind: 'moderated' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'photo-rejected'; reason: PhotoRejection };

/** Everything submitReview needs besides the form. */
export interface SubmitReviewOptions {
  /** The language of the form the reviewer used: the review keeps it. */
  locale: Locale;
  clientAddress: string;
  uploadDir: string;
  limits?: SubmissionRateLimits;
  now?: Date;
}

// The hot path is a few fixed SQL statements run as one libSQL batch (one transaction, one
// disk sync): building them through the query builder cost more than the writes themselves.

/** Looks a link up by token hash, with its review, after the rate-limit counters. */
const lookupSql = `select rr.id as request_id, rr.expires_at, r.id as review_id, r.status, r.photo_path
  from review_requests rr left join reviews r on r.request_id = rr.id where rr.id = ${requestIdOfTokenSql('?1')}`;

/**
 * Inserts the review, or updates it while it is pending. The SELECT's WHERE is the guard: the
 * link exists and has not expired (and, on the one-batch path, both counters are within limits).
 * An edit always moves updated_at forward (it is the version a moderator's action must match),
 * and clears a moderator's redaction: the new text is the author's own, to be read again.
 */
const upsertReviewSql = (guardLimits: boolean) => `insert into reviews
    (request_id, contact_id, rating, body, name_display, role, company, photo_path, locale, consent_at, submitted_at, created_at, updated_at)
  select rr.id, rr.contact_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
  from review_requests rr
  where rr.id = ? and rr.expires_at > ?${
    guardLimits
      ? ' and (select count from rate_limits where key = ?) <= ? and (select count from rate_limits where key = ?) <= ?'
      : ''
  }
  on conflict (request_id) do update set
    rating = excluded.rating, body = excluded.body, name_display = excluded.name_display, role = excluded.role,
    company = excluded.company, photo_path = case when ? then reviews.photo_path else excluded.photo_path end,
    locale = excluded.locale, consent_at = excluded.consent_at,
    updated_at = max(excluded.updated_at, reviews.updated_at + 1), redacted_at = null
  where reviews.status = 'pending'
  returning id`;
const upsertGuardedSql = upsertReviewSql(true);
const upsertSql = upsertReviewSql(false);

const markSubmittedSql = `update review_requests set submitted_at = coalesce(submitted_at, ?)
  where id = ? and exists (select 1 from reviews where reviews.request_id = review_requests.id)`;

// The ledger row depends on nothing but the review existing: not its rating, not its text. Only
// the first submission adds it, which is also how a new review is told from an edit.
const addIncentiveSql = `insert into incentives (review_id, contact_id)
  select r.id, r.contact_id from reviews r where r.request_id = ?
  on conflict (review_id) do nothing returning id`;

interface LinkRow {
  requestId: number;
  expiresAt: number;
  reviewId: number | null;
  status: string | null;
  photoPath: string | null;
}

function linkRow(rows: SqlRows['rows']): LinkRow | null {
  const row = rows[0];
  if (!row) return null;
  return {
    requestId: Number(row.request_id),
    expiresAt: Number(row.expires_at),
    reviewId: row.review_id === null ? null : Number(row.review_id),
    status: row.status === null ? null : String(row.status),
    photoPath: row.photo_path === null ? null : String(row.photo_path),
  };
}

/** Why a link cannot take a submission now, or null when it can. */
function refusal(link: LinkRow | null, now: number): SubmitReviewOutcome | null {
  if (!link) return { kind: 'not-found' };
  if (link.status !== null && link.status !== 'pending') return { kind: 'moderated' };
  if (link.expiresAt <= now) return { kind: 'expired' };
  return null;
}

/**
 * Stores a review sent through a link, or updates it while it is still pending. Rate limits (per
 * link and per client address) are counted before any photo is decoded. The review, the
 * request's submitted time and the incentive ledger row are written in one transaction; a
 * second submission (an edit, or a concurrent duplicate) updates the same review and never adds
 * a second incentive. Without a photo to process, counting and writing are a single transaction.
 */
export async function submitReview(db: Database, submission: ReviewSubmission, options: SubmitReviewOptions): Promise<SubmitReviewOutcome> {
  const now = (options.now ?? new Date()).getTime();
  const limits = options.limits ?? submissionRateLimits();
  if (!isWellFormedToken(submission.token)) return { kind: 'not-found' };
  const tokenHash = hashToken(submission.token);
  const addressKey = submissionAddressKey(options.clientAddress);
  const addressCounter = rateLimitStatement(addressKey, limits.perAddress, now);
  const decide = (rows: SqlRows['rows'], rule: RateLimitRule): SubmitReviewOutcome | null => {
    const row = rows[0]!;
    const decision = decideRateLimit({ count: Number(row.count), windowStartsAt: Number(row.window_starts_at) }, rule, now);
    return decision.allowed ? null : { kind: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
  };

  // A read needs no disk sync; an unknown token still counts against its sender's address.
  const link = linkRow((await hotPathRunner(db).execute({ sql: lookupSql, args: [tokenHash] })).rows);
  if (!link) {
    const counted = await hotPathRunner(db).execute(addressCounter);
    return decide(counted.rows, limits.perAddress) ?? { kind: 'not-found' };
  }
  const linkKey = `${submissionLinkKeyPrefix}${link.requestId}`;
  const counters = [addressCounter, rateLimitStatement(linkKey, limits.perToken, now)];
  const decideBoth = (results: SqlRows[]) => decide(results[0]!.rows, limits.perAddress) ?? decide(results[1]!.rows, limits.perToken);

  const fields = (photoPath: string | null) => [
    submission.rating,
    submission.body,
    submission.nameDisplay,
    submission.role,
    submission.company,
    photoPath,
    options.locale,
    now,
    now,
    now,
    now,
  ];
  const writes = (upsert: InStatement): InStatement[] => [
    upsert,
    { sql: markSubmittedSql, args: [now, link.requestId] },
    { sql: addIncentiveSql, args: [link.requestId] },
  ];
  // Only when the guarded upsert wrote nothing: find out why, after the fact.
  const whyNotSaved = async () =>
    refusal(linkRow((await hotPathRunner(db).execute({ sql: lookupSql, args: [tokenHash] })).rows), now) ?? { kind: 'moderated' as const };
  const saved = (results: SqlRows[]): SubmitReviewOutcome | null => {
    const [upserted, , ledger] = results;
    const reviewId = upserted?.rows[0]?.id;
    return reviewId === undefined ? null : { kind: 'saved', reviewId: Number(reviewId), created: (ledger?.rows.length ?? 0) > 0 };
  };

  if (!submission.photo && !submission.removePhoto) {
    // Nothing expensive to do: count, check and write in one transaction; the guard in the
    // upsert keeps a refused submission from writing anything.
    const upsert = {
      sql: upsertGuardedSql,
      args: [...fields(null), link.requestId, now, addressKey, limits.perAddress.limit, linkKey, limits.perToken.limit, 1],
    };
    const results = await runGroupedWriteBatch(db, [...counters, ...writes(upsert)]);
    return decideBoth(results) ?? saved(results.slice(2)) ?? (await whyNotSaved());
  }

  // With a photo: count first, decode only when allowed, then write.
  const limited = decideBoth(await runGroupedWriteBatch(db, counters));
  if (limited) return limited;
  const refused = refusal(link, now);
  if (refused) return refused;

  let newPhotoPath: string | null = null;
  if (submission.photo) {
    try {
      newPhotoPath = await storeReviewPhoto(new Uint8Array(await submission.photo.arrayBuffer()), options.uploadDir);
    } catch (error) {
      if (error instanceof PhotoRejectedError) return { kind: 'photo-rejected', reason: error.reason };
      throw error;
    }
  }
  const previousPhotoPath = link.photoPath;
  const photoPath = newPhotoPath ?? (submission.removePhoto ? null : previousPhotoPath);
  let results: SqlRows[];
  try {
    results = await runGroupedWriteBatch(db, writes({ sql: upsertSql, args: [...fields(photoPath), link.requestId, now, 0] }));
  } catch (error) {
    if (newPhotoPath) await deleteReviewPhoto(options.uploadDir, newPhotoPath);
    throw error;
  }
  const outcome = saved(results);
  if (!outcome) {
    // Moderated (or expired) between our check and our write: the review stays as it was.
    if (newPhotoPath) await deleteReviewPhoto(options.uploadDir, newPhotoPath);
    return await whyNotSaved();
  }
  if (previousPhotoPath && previousPhotoPath !== photoPath) await deleteReviewPhoto(options.uploadDir, previousPhotoPath);
  return outcome;
}
