import type { InStatement } from '@libsql/client';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../../db/client.ts';
import { outboxFileName } from './mail.ts';
import { resolveStoredPhoto } from './public-photos.ts';

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
  /** An approved (or hidden) review of theirs may be on the public pages until the next publish. */
  needsPublish: boolean;
  /** True when a local database file was vacuumed and checkpointed, so deleted bytes are gone from disk. */
  storageScrubbed: boolean;
  dryRun: boolean;
}

/** The audit action of an erasure: the only thing the log keeps about the customer. */
export const erasureAuditAction = 'contact.erased';

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

/** Outbox messages addressed to `email` that no log row names (e.g. the log row was lost). */
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
    if (text.toLowerCase().includes(email)) found.push(name);
  }
  return found;
}

/**
 * Erases a customer on request (GDPR Art. 17): their contact row, NPS answers, review requests,
 * reviews, incentive rows, email log and audit details go in one write transaction; then their
 * photo files and outbox messages are deleted. Gift codes they were sent stay spent. The audit
 * log keeps only that an erasure happened, with counts. On a local database file the deleted
 * bytes are overwritten (secure_delete), the file is vacuumed and the WAL truncated, so nothing
 * lingers on disk. Returns null when no such customer exists.
 */
export async function eraseContact(
  db: Database,
  target: ErasureTarget,
  actor: ErasureActor,
  options: ErasureOptions,
): Promise<ErasureReport | null> {
  const [contact] =
    'email' in target
      ? await rows(db, { sql: 'select id, email, name from contacts where email = ?', args: [target.email.trim().toLowerCase()] })
      : await rows(db, { sql: 'select id, email, name from contacts where id = ?', args: [target.contactId] });
  if (!contact) return null;
  const contactId = Number(contact.id);
  const email = String(contact.email).toLowerCase();
  const name = typeof contact.name === 'string' && contact.name.trim().length >= 3 ? contact.name.trim() : null;

  const reviewRows = await rows(db, { sql: 'select id, status, photo_path from reviews where contact_id = ?', args: [contactId] });
  const reviewIds = reviewRows.map((row) => Number(row.id));
  const incentiveIds = (await rows(db, { sql: 'select id from incentives where contact_id = ?', args: [contactId] })).map((row) => Number(row.id));
  const mailRows = await rows(db, {
    sql: 'select idempotency_key, outbox_file from email_log where contact_id = ? or lower(to_address) = ?',
    args: [contactId, email],
  });
  const countOf = async (sql: string, args: (string | number | null)[]) => Number((await rows(db, { sql, args }))[0]?.value ?? 0);
  const npsAnswers = await countOf('select count(*) as value from nps_responses where contact_id = ?', [contactId]);
  const reviewRequests = await countOf('select count(*) as value from review_requests where contact_id = ?', [contactId]);
  const giftCodes = await countOf(`select count(*) as value from gift_codes where incentive_id in (${placeholders(incentiveIds)})`, incentiveIds);
  // Audit entries about their reviews, incentives or contact, or whose detail names them.
  const auditScope = `(subject_type = 'review' and subject_id in (${placeholders(reviewIds)}))
    or (subject_type = 'incentive' and subject_id in (${placeholders(incentiveIds)}))
    or (subject_type = 'contact' and subject_id = ? and action <> '${erasureAuditAction}')
    or instr(lower(coalesce(detail, '')), ?) > 0
    or (? is not null and instr(coalesce(detail, ''), ?) > 0)`;
  const auditArgs = [...reviewIds, ...incentiveIds, contactId, email, name, name];
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
    { sql: 'delete from review_requests where contact_id = ?', args: [contactId] },
    { sql: 'delete from nps_responses where contact_id = ?', args: [contactId] },
    { sql: 'delete from email_log where contact_id = ? or lower(to_address) = ?', args: [contactId, email] },
    { sql: 'delete from contacts where id = ?', args: [contactId] },
    {
      sql: `insert into audit_log (actor_id, actor_label, action, subject_type, subject_id, detail) values (?, ?, ?, 'contact', ?, ?)`,
      args: [actor.id, actor.label, erasureAuditAction, contactId, auditDetail],
    },
  ];
  // secure_delete makes SQLite overwrite the deleted rows instead of leaving them in free space.
  await db.$client.batch(isLocalFile ? ['PRAGMA secure_delete = ON', ...statements] : statements, 'write');

  let removedPhotos = 0;
  for (const file of photoFiles) if (await removeFile(file)) removedPhotos++;
  report.photoFiles = removedPhotos;
  let outboxFiles = 0;
  for (const file of outboxCandidates) if (await removeFile(join(options.outboxDir, file))) outboxFiles++;
  report.outboxFiles = outboxFiles;

  if (isLocalFile) {
    // Old page versions can survive in the WAL and in pages SQLite moved around: rebuild the file
    // and empty the WAL, so the customer's bytes are gone from disk, not only from the tables.
    // The rows are gone already; a busy file (another writer) only delays the scrub, so it is
    // reported, not thrown. secure_delete has overwritten the rows in the new page versions.
    try {
      await db.$client.execute('VACUUM');
      const [checkpoint] = (await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows;
      report.storageScrubbed = Number(checkpoint?.[0] ?? 1) === 0;
    } catch {
      report.storageScrubbed = false;
    }
  }
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
