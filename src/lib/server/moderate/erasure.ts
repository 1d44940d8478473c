import type { InStatement } from '@libsql/client';
import addressparser from 'nodemailer/lib/addressparser';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../../../db/client.ts';
import { rememberErasedEmailStatement } from './erased-emails.ts';
import { outboxFileName } from '../platform/mail.ts';
import { resolveStoredPhoto } from '../publish/public-photos.ts';
import { liveServerBuilds } from '../publish/server-builds.ts';
import { markHoldsErasedData, readPointer, reduceToServerCode, siteLayout } from '../publish/site-layout.ts';
import { scrubDatabaseStorage } from '../platform/storage-scrub.ts';

/** Whom to erase: a customer's email (any case) or their contact id. */
export type ErasureTarget = { email: string } | { contactId: number };

/** Who asked for the erasure, as the audit log records it. */
export interface ErasureActor {
  id: number | null;
  /** An admin's email, or "cli" for the command. */
  label: string;
}

/** Where the files that may hold the customer's data live. */
export interface ErasureOptions {
  uploadDir: string;
  outboxDir: string;
  /**
   * SITE_DIR: published builds holding their reviews are cleaned (see scrubPublishedBuilds). The
   * live build's lists and feeds are left to the republish that follows the erasure, whose
   * pruning then deletes that build.
   */
  siteDir?: string;
  /**
   * Publishes right after the erasure when a review of theirs may be on the public pages, and
   * resolves true once a new build is live. For commands, which cannot wait in the background.
   */
  republish?: () => Promise<boolean>;
  /** Count what would go, change nothing. */
  dryRun?: boolean;
}

/** What an erasure removed (or, in a dry run, would remove). Holds no personal data. */
export interface ErasureReport {
  contactId: number;
  npsAnswers: number;
  reviewRequests: number;
  reviews: number;
  incentives: number;
  /** Gift codes detached from the erased incentives; they stay spent, never handed out again. */
  giftCodes: number;
  emails: number;
  auditEntriesScrubbed: number;
  photoFiles: number;
  outboxFiles: number;
  /** Files and folders removed from published builds under SITE_DIR (see scrubPublishedBuilds). */
  publishedBuildFiles: number;
  /** An approved (or hidden) review of theirs may be on the public pages until the next publish. */
  needsPublish: boolean;
  /** True when a local database file was vacuumed and checkpointed, so deleted bytes are gone from disk. */
  storageScrubbed: boolean;
  dryRun: boolean;
}

/** The audit action of an erasure: the only thing the log keeps about the customer. */
export const erasureAuditAction = 'contact.erased';
/** An erasure asked for an address with no customer (yet): only its hash was kept. */
export const erasureRecordedAuditAction = 'contact.erasure-recorded';

type Row = Record<string, unknown>;

async function rows(db: Database, statement: InStatement): Promise<Row[]> {
  return (await db.$client.execute(statement)).rows as unknown as Row[];
}

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ') || 'null';

/** Deletes a file if it exists; true when something was deleted. */
async function removeFile(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The header block of a message, with folded lines joined. */
function unfoldedHeaders(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return (end === -1 ? message : message.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
}

/** The addresses a message was sent to (To, Cc, Bcc), lowercased. */
export function recipientsOf(message: string): string[] {
  const found: string[] = [];
  for (const line of unfoldedHeaders(message).split(/\r?\n/)) {
    const header = /^(to|cc|bcc):(.*)$/i.exec(line);
    if (!header) continue;
    const walk = (entries: ReturnType<typeof addressparser>) => {
      for (const entry of entries) {
        if ('group' in entry && Array.isArray(entry.group)) walk(entry.group);
        else if (entry.address) found.push(entry.address.trim().toLowerCase());
      }
    };
    walk(addressparser(header[2]!));
  }
  return found;
}

/** Outbox messages addressed to `email` (the whole address) that no log row names (e.g. the log row was lost). */
async function findUnloggedOutboxFiles(outboxDir: string, email: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(outboxDir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.eml')) continue;
    const text = await readFile(join(outboxDir, name), 'utf8').catch(() => '');
    if (recipientsOf(text).includes(email)) found.push(name);
  }
  return found;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether an audit detail names the person: their whole email address (not joann@… or ….com.au)
 * or their name as whole words ("Ann", not "Anna" or "Annual"), in any case and any script.
 */
export function namesPerson(detail: string, email: string, name: string | null): boolean {
  const emailPattern = new RegExp(`(?<![\\p{L}\\p{N}._%+-])${escapeRegExp(email)}(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`, 'iu');
  if (emailPattern.test(detail)) return true;
  if (!name) return false;
  const words = name.split(/\s+/).filter(Boolean).map(escapeRegExp).join('\\s+');
  // Not inside a word, nor inside someone's email address (ann@example.com.au is not "Ann").
  return new RegExp(`(?<![\\p{L}\\p{N}@._%+-])${words}(?![\\p{L}\\p{N}@]|[._%+-][\\p{L}\\p{N}])`, 'iu').test(detail);
}

/** An erased review as published builds name it: by public id, and (before public ids, or at its former address) by row id. */
export interface PublishedReviewIds {
  rowId: number;
  publicId: string | null;
}

/**
 * Removes a build's own pages and photos of the erased reviews, found by id: the page at the
 * public id, and the folder at the row id (its former address's redirect page, or its page in a
 * build made before public ids). Returns how many entries went.
 */
async function removeReviewPages(clientDir: string, erased: PublishedReviewIds[]): Promise<number> {
  const names = erased.flatMap((review) => [String(review.rowId), ...(review.publicId ? [review.publicId] : [])]);
  let removed = 0;
  for (const name of names) {
    const folder = join(clientDir, 'testimonials', name);
    try {
      await rm(folder, { recursive: true });
      removed++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  // Photos are named ID-WIDTH.webp; neither kind of id contains "-" or ".".
  const photos = await readdir(join(clientDir, 'testimonials', 'photos')).catch(() => [] as string[]);
  for (const file of photos) {
    if (names.some((name) => file.startsWith(`${name}-`) || file.startsWith(`${name}.`)) && (await removeFile(join(clientDir, 'testimonials', 'photos', file)))) removed++;
  }
  return removed;
}

/**
 * Cleans published builds under SITE_DIR of erased reviews. Nothing is searched for by text (a
 * redacted or edited review no longer reads as it did when a build was made): every build of a
 * publish run recorded before the erasure (numbered up to `latestRunBefore`) goes whole, except
 * - the live build (SITE_DIR/current), which loses the reviews' own pages, photos and former
 *   addresses, found by id (public and row id), at once, and is marked so that it goes once the republish that follows replaces it
 *   (its lists and feeds cannot be rebuilt in place);
 * - builds live servers run their code from (SITE_DIR/servers/), which lose every public page,
 *   feed and photo and keep only their server code and its assets.
 * Returns how many files and folders went.
 */
export async function scrubPublishedBuilds(siteDir: string, erased: PublishedReviewIds[], latestRunBefore: number): Promise<number> {
  const layout = siteLayout(siteDir);
  const served = await liveServerBuilds(layout);
  const names = await readdir(layout.builds).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const build = join(layout.builds, name);
    // Builds of later publish runs never held the customer's data (and one may be building now).
    if (!/^\d+$/.test(name) || Number(name) > latestRunBefore) continue;
    // Looked up for each build: a publish may swap in a newer one meanwhile.
    if (build === (await readPointer(layout.current))) {
      removed += await removeReviewPages(join(build, 'client'), erased);
      await markHoldsErasedData(build);
      continue;
    }
    if (served.has(build)) {
      removed += await reduceToServerCode(build);
      continue;
    }
    // A publish still building into it fails and leaves the live pages as they are; its rerun follows.
    await rm(build, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    removed++;
  }
  return removed;
}

/**
 * Erases a customer on request (GDPR Art. 17): their contact row, NPS answers, review requests,
 * reviews, incentive rows, email log and audit details go in one write transaction; then their
 * photo files and outbox messages are deleted. Gift codes they were sent stay spent. The audit
 * log keeps only that an erasure happened, with counts, and erased_emails a hash of the address
 * so that imports skip it from then on. On a local database file the deleted
 * bytes are overwritten (secure_delete), the file is vacuumed and the WAL truncated, so nothing
 * lingers on disk. Returns null when no such customer exists; for an email address, that address
 * is still recorded as erased (unless it is a dry run), so a later import leaves it out.
 */
export async function eraseContact(
  db: Database,
  target: ErasureTarget,
  actor: ErasureActor,
  options: ErasureOptions,
): Promise<ErasureReport | null> {
  // Asked by address: remember the address first, so an import running meanwhile can no longer
  // add them; whoever it added before this is found below and erased.
  if ('email' in target && !options.dryRun) await db.$client.execute(rememberErasedEmailStatement(target.email));
  const [contact] =
    'email' in target
      ? await rows(db, { sql: 'select id, email, name from contacts where email = ?', args: [target.email.trim().toLowerCase()] })
      : await rows(db, { sql: 'select id, email, name from contacts where id = ?', args: [target.contactId] });
  if (!contact) {
    // Nobody to erase (yet): the address stays recorded, so a later import leaves it out.
    if ('email' in target && !options.dryRun) {
      await db.$client.execute({
        sql: `insert into audit_log (actor_id, actor_label, action, subject_type) values (?, ?, ?, 'contact')`,
        args: [actor.id, actor.label, erasureRecordedAuditAction],
      });
    }
    return null;
  }
  const contactId = Number(contact.id);
  const email = String(contact.email).toLowerCase();
  const name = typeof contact.name === 'string' && contact.name.trim().length >= 3 ? contact.name.trim() : null;

  const reviewRows = await rows(db, { sql: 'select id, public_id, status, photo_path from reviews where contact_id = ?', args: [contactId] });
  const reviewIds = reviewRows.map((row) => Number(row.id));
  const publishedIds = reviewRows.map((row): PublishedReviewIds => ({ rowId: Number(row.id), publicId: typeof row.public_id === 'string' ? row.public_id : null }));
  const incentiveIds = (await rows(db, { sql: 'select id from incentives where contact_id = ?', args: [contactId] })).map((row) => Number(row.id));
  const mailRows = await rows(db, {
    sql: 'select idempotency_key, outbox_file from email_log where contact_id = ? or lower(to_address) = ?',
    args: [contactId, email],
  });
  const countOf = async (sql: string, args: (string | number | null)[]) => Number((await rows(db, { sql, args }))[0]?.value ?? 0);
  const npsAnswers = await countOf('select count(*) as value from nps_responses where contact_id = ?', [contactId]);
  const reviewRequests = await countOf('select count(*) as value from review_requests where contact_id = ?', [contactId]);
  const giftCodes = await countOf(`select count(*) as value from gift_codes where incentive_id in (${placeholders(incentiveIds)})`, incentiveIds);
  // Audit entries about their reviews, incentives or contact, or whose detail names them (whole
  // address or whole-word name, matched here: SQLite has no Unicode-aware word boundaries).
  const namingIds = (await rows(db, { sql: 'select id, detail from audit_log where detail is not null', args: [] }))
    .filter((row) => namesPerson(String(row.detail), email, name))
    .map((row) => Number(row.id));
  const auditScope = `(subject_type = 'review' and subject_id in (${placeholders(reviewIds)}))
    or (subject_type = 'incentive' and subject_id in (${placeholders(incentiveIds)}))
    or (subject_type = 'contact' and subject_id = ? and action <> '${erasureAuditAction}')
    or id in (${placeholders(namingIds)})`;
  const auditArgs = [...reviewIds, ...incentiveIds, contactId, ...namingIds];
  const auditEntriesScrubbed = await countOf(`select count(*) as value from audit_log where ${auditScope} and detail is not null`, auditArgs);

  const photoFiles = reviewRows
    .map((row) => resolveStoredPhoto(options.uploadDir, typeof row.photo_path === 'string' ? row.photo_path : null))
    .filter((file): file is string => file !== null);
  const loggedOutbox = new Set(
    mailRows.flatMap((row) => [typeof row.outbox_file === 'string' ? row.outbox_file : null, outboxFileName(String(row.idempotency_key))]).filter((file): file is string => !!file),
  );
  const unlogged = await findUnloggedOutboxFiles(options.outboxDir, email);
  const outboxCandidates = [...new Set([...loggedOutbox, ...unlogged])].filter((file) => !file.includes('/') && !file.includes('\\'));

  const report: ErasureReport = {
    contactId,
    npsAnswers,
    reviewRequests,
    reviews: reviewIds.length,
    incentives: incentiveIds.length,
    giftCodes,
    emails: mailRows.length,
    auditEntriesScrubbed,
    photoFiles: photoFiles.length,
    outboxFiles: 0,
    publishedBuildFiles: 0,
    needsPublish: reviewRows.some((row) => row.status === 'approved' || row.status === 'hidden'),
    storageScrubbed: false,
    dryRun: options.dryRun === true,
  };
  if (options.dryRun) {
    report.outboxFiles = unlogged.length + [...loggedOutbox].filter((file) => !unlogged.includes(file)).length;
    return report;
  }

  const isLocalFile = db.$client.protocol === 'file';
  const auditDetail = JSON.stringify({
    npsAnswers,
    reviewRequests,
    reviews: reviewIds.length,
    incentives: incentiveIds.length,
    emails: mailRows.length,
    photoFiles: photoFiles.length,
  });
  const statements: InStatement[] = [
    // Children first: foreign keys are declared but not relied on (remote servers may not enforce them).
    {
      sql: `update gift_codes set incentive_id = null, assigned_at = coalesce(assigned_at, cast(unixepoch('subsec') * 1000 as integer))
            where incentive_id in (${placeholders(incentiveIds)})`,
      args: incentiveIds,
    },
    { sql: `update audit_log set detail = null where ${auditScope}`, args: auditArgs },
    { sql: 'delete from incentives where contact_id = ?', args: [contactId] },
    { sql: 'delete from reviews where contact_id = ?', args: [contactId] },
    { sql: 'delete from review_link_tokens where request_id in (select id from review_requests where contact_id = ?)', args: [contactId] },
    { sql: 'delete from review_requests where contact_id = ?', args: [contactId] },
    { sql: 'delete from nps_responses where contact_id = ?', args: [contactId] },
    { sql: 'delete from survey_ratings where contact_id = ?', args: [contactId] },
    { sql: 'delete from survey_tokens where survey_id in (select id from surveys where contact_id = ?)', args: [contactId] },
    { sql: 'delete from surveys where contact_id = ?', args: [contactId] },
    { sql: 'delete from scheduled_jobs where contact_id = ?', args: [contactId] },
    // Their events and the bodies queued for Slack and webhooks (which carry their name, email and comment).
    { sql: 'delete from webhook_deliveries where event_id in (select id from outbox_events where contact_id = ?)', args: [contactId] },
    { sql: 'delete from outbox_events where contact_id = ?', args: [contactId] },
    { sql: 'delete from email_log where contact_id = ? or lower(to_address) = ?', args: [contactId, email] },
    { sql: 'delete from contacts where id = ?', args: [contactId] },
    // Only a hash of the address stays, so a later import or webhook call leaves them out.
    rememberErasedEmailStatement(email),
    {
      sql: `insert into audit_log (actor_id, actor_label, action, subject_type, subject_id, detail) values (?, ?, ?, 'contact', ?, ?)`,
      args: [actor.id, actor.label, erasureAuditAction, contactId, auditDetail],
    },
  ];
  // secure_delete makes SQLite overwrite the deleted rows instead of leaving them in free space.
  await db.$client.batch(isLocalFile ? ['PRAGMA secure_delete = ON', ...statements] : statements, 'write');
  // Publish runs recorded from now on build from a database without the customer: their builds are clean.
  const latestPublishRun = Number((await rows(db, 'select coalesce(max(id), 0) as value from publish_runs'))[0]?.value ?? 0);

  let removedPhotos = 0;
  for (const file of photoFiles) if (await removeFile(file)) removedPhotos++;
  report.photoFiles = removedPhotos;
  let outboxFiles = 0;
  for (const file of outboxCandidates) if (await removeFile(join(options.outboxDir, file))) outboxFiles++;
  report.outboxFiles = outboxFiles;

  if (options.siteDir && reviewIds.length > 0) {
    report.publishedBuildFiles = await scrubPublishedBuilds(options.siteDir, publishedIds, latestPublishRun);
    // The build live until then was marked: pruning after the republish deletes it (see
    // pruneBuilds), and so does this second look, whoever republished.
    if (options.republish && report.needsPublish && (await options.republish())) {
      report.publishedBuildFiles += await scrubPublishedBuilds(options.siteDir, publishedIds, latestPublishRun);
    }
  }

  // So the customer's bytes are gone from disk, not only from the tables. secure_delete has
  // overwritten the rows in the new page versions.
  if (isLocalFile) report.storageScrubbed = await scrubDatabaseStorage(db);
  return report;
}

/** What the audit log recorded about an erasure (counts only), or null. */
export interface ErasureRecord {
  contactId: number;
  actorLabel: string;
  erasedAt: Date;
  counts: Record<string, number>;
}

/** The audit record of the erasure of contact `contactId`, for the confirmation page. */
export async function findErasureRecord(db: Database, contactId: number): Promise<ErasureRecord | null> {
  const [row] = await rows(db, {
    sql: `select actor_label, detail, created_at from audit_log where action = ? and subject_type = 'contact' and subject_id = ? order by id desc limit 1`,
    args: [erasureAuditAction, contactId],
  });
  if (!row) return null;
  let counts: Record<string, number> = {};
  try {
    counts = JSON.parse(String(row.detail ?? '{}')) as Record<string, number>;
  } catch {
    // An unreadable detail still proves the erasure happened.
  }
  return { contactId, actorLabel: String(row.actor_label), erasedAt: new Date(Number(row.created_at)), counts };
}
