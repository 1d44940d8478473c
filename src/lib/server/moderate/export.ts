import { stringify } from 'csv-stringify/sync';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { contacts, incentives, npsResponses, reviews } from '../../../../db/schema.ts';
import { formulaStart } from '../../spreadsheet-formulas.ts';

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a leading tab or carriage
 * return) gets a leading apostrophe, so opening an export never executes what a customer typed
 * (OWASP "CSV injection"); a person still reads the original text after it. Numbers are left alone.
 */
export function neutralizeFormula(value: string | number | boolean | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value;
  return formulaStart.test(value) ? `'${value}` : value;
}

/**
 * CSV text with a header row; UTF-8 with a byte-order mark so spreadsheets read accents and
 * Cyrillic right. Every export goes through here. A field holding a line break (LF or CR alone
 * too, not only CRLF), a quote or a comma is quoted: csv-stringify stops quoting lone LFs once a
 * record delimiter is set, and a review's second line would then start a row of its own, whose
 * first cell nothing neutralized.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return stringify([header, ...rows.map((row) => row.map(neutralizeFormula))], {
    bom: true,
    record_delimiter: 'windows',
    quote_record_delimiter: true,
  });
}

const iso = (moment: Date | null) => (moment ? moment.toISOString() : '');

/** The columns of the NPS export: the import format, so an export can be imported elsewhere. */
export const npsExportHeader = ['email', 'name', 'locale', 'score', 'comment', 'responded_at', 'source', 'segment'];

/** Every NPS answer with its customer, oldest first, as CSV. */
export async function exportNpsAnswersCsv(db: Database): Promise<string> {
  const rows = await db
    .select({
      email: contacts.email,
      name: contacts.name,
      locale: contacts.locale,
      score: npsResponses.score,
      comment: npsResponses.comment,
      respondedAt: npsResponses.respondedAt,
      source: npsResponses.source,
      segment: npsResponses.segment,
    })
    .from(npsResponses)
    .innerJoin(contacts, eq(contacts.id, npsResponses.contactId))
    .orderBy(asc(npsResponses.respondedAt), asc(npsResponses.id));
  return toCsv(
    npsExportHeader,
    rows.map((row) => [row.email, row.name, row.locale, row.score, row.comment, iso(row.respondedAt), row.source, row.segment]),
  );
}

/** The columns of the reviews export. */
export const reviewsExportHeader = [
  'id',
  'submitted_at',
  'status',
  'rating',
  'locale',
  'email',
  'name',
  'name_display',
  'role',
  'company',
  'body',
  'rejection_reason',
  'featured',
  'redacted',
  'has_photo',
  'moderated_at',
  'incentive_state',
];

/** Every review (all statuses) with its customer and incentive state, oldest first, as CSV. */
export async function exportReviewsCsv(db: Database): Promise<string> {
  const rows = await db
    .select({
      id: reviews.id,
      submittedAt: reviews.submittedAt,
      status: reviews.status,
      rating: reviews.rating,
      locale: reviews.locale,
      email: contacts.email,
      name: contacts.name,
      nameDisplay: reviews.nameDisplay,
      role: reviews.role,
      company: reviews.company,
      body: reviews.body,
      rejectionReason: reviews.rejectionReason,
      featured: reviews.featured,
      redactedAt: reviews.redactedAt,
      photoPath: reviews.photoPath,
      moderatedAt: reviews.moderatedAt,
      incentiveState: incentives.state,
    })
    .from(reviews)
    .innerJoin(contacts, eq(contacts.id, reviews.contactId))
    .leftJoin(incentives, eq(incentives.reviewId, reviews.id))
    .orderBy(asc(reviews.submittedAt), asc(reviews.id));
  return toCsv(
    reviewsExportHeader,
    rows.map((row) => [
      row.id,
      iso(row.submittedAt),
      row.status,
      row.rating,
      row.locale,
      row.email,
      row.name,
      row.nameDisplay,
      row.role,
      row.company,
      row.body,
      row.rejectionReason,
      row.featured,
      row.redactedAt !== null,
      row.photoPath !== null,
      iso(row.moderatedAt),
      row.incentiveState,
    ]),
  );
}

/** The HTTP answer that makes a browser download `text` as `name` (admin data: never cached). */
export function csvDownload(text: string, name: string): Response {
  return new Response(text, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** A dated download name, e.g. reviews-2026-11-22.csv. */
export function exportFileName(kind: 'reviews' | 'nps-answers', now = new Date()): string {
  return `${kind}-${now.toISOString().slice(0, 10)}.csv`;
}
