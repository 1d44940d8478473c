import type { InStatement } from '@libsql/client';
import { count } from 'drizzle-orm';
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { Database } from '../../../db/client.ts';
import { contacts } from '../../../db/schema.ts';
import { normalizeLocale, type Locale } from '../locales.ts';
import { npsAnswerSchema, type NpsAnswer } from '../schemas/nps-answer.ts';

/** A row that could not be imported, with its line in the file and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  rows: number;
  answersAdded: number;
  duplicates: number;
  contactsAdded: number;
  rejected: RejectedRow[];
}

/** Options shared by CSV imports, the webhook and the demo loader. */
export interface ImportOptions {
  /** csv, webhook, email or demo. */
  source: string;
  defaultLocale: Locale;
  isDemo?: boolean;
}

const chunkSize = 500;

function statementsFor(answer: NpsAnswer, options: ImportOptions): InStatement[] {
  const locale = answer.locale ? normalizeLocale(answer.locale, options.defaultLocale) : null;
  const statements: InStatement[] = [
    {
      sql: `insert into contacts (email, name, locale, is_demo) values (?, ?, ?, ?)
            on conflict(email) do update set
              name = coalesce(excluded.name, contacts.name),
              locale = coalesce(?, contacts.locale),
              updated_at = cast(unixepoch('subsec') * 1000 as integer)`,
      args: [answer.email, answer.name ?? null, locale ?? options.defaultLocale, options.isDemo ? 1 : 0, locale],
    },
  ];
  if (answer.score === undefined) return statements;
  const comment = answer.comment ?? null;
  if (answer.responded_at) {
    statements.push({
      sql: `insert into nps_responses (contact_id, score, comment, responded_at, source)
            select id, ?, ?, ?, ? from contacts where email = ?
            on conflict(contact_id, responded_at) do nothing`,
      args: [answer.score, comment, Date.parse(answer.responded_at), options.source, answer.email],
    });
  } else {
    // Without a time there is no natural key; an identical answer already stored counts as this one.
    statements.push({
      sql: `insert into nps_responses (contact_id, score, comment, responded_at, source)
            select id, ?, ?, ?, ? from contacts where email = ? and not exists (
              select 1 from nps_responses r where r.contact_id = contacts.id and r.score = ? and coalesce(r.comment, '') = coalesce(?, ''))`,
      args: [answer.score, comment, Date.now(), options.source, answer.email, answer.score, comment],
    });
  }
  return statements;
}

async function countContacts(db: Database): Promise<number> {
  const [row] = await db.select({ value: count() }).from(contacts);
  return row?.value ?? 0;
}

/**
 * Stores validated answers: upserts each contact (a later row may fill in a name or locale)
 * and adds each answer once. Each chunk is one write transaction.
 */
export async function storeNpsAnswers(
  db: Database,
  answers: NpsAnswer[],
  options: ImportOptions,
): Promise<{ answersAdded: number; duplicates: number }> {
  let answersAdded = 0;
  let withScore = 0;
  for (let start = 0; start < answers.length; start += chunkSize) {
    const chunk = answers.slice(start, start + chunkSize);
    const statements = chunk.flatMap((answer) => statementsFor(answer, options));
    const results = await db.$client.batch(statements, 'write');
    statements.forEach((statement, index) => {
      const sqlText = typeof statement === 'string' ? statement : statement.sql;
      if (sqlText.includes('into nps_responses')) {
        withScore++;
        answersAdded += results[index]?.rowsAffected ?? 0;
      }
    });
  }
  return { answersAdded, duplicates: withScore - answersAdded };
}

/** Turns zod issues for one row into one readable reason. */
function describeRowIssues(issues: { message: string }[]): string {
  return [...new Set(issues.map((issue) => issue.message))].join('; ');
}

/** Progress callback: bytes of the file consumed so far. */
export type ImportProgress = (bytesRead: number) => void;

/**
 * Imports NPS answers from a CSV stream (UTF-8, header row, `email` required). Bad rows are
 * reported with their line number and reason; good rows are stored.
 */
export async function importNpsCsv(
  db: Database,
  input: Readable,
  options: ImportOptions & { onProgress?: ImportProgress },
): Promise<ImportReport> {
  const rejected: RejectedRow[] = [];
  const valid: NpsAnswer[] = [];
  let rows = 0;
  let bytesRead = 0;
  const contactsBefore = await countContacts(db);
  const report = { answersAdded: 0, duplicates: 0 };

  const parser = parse({
    columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
    bom: true,
    skip_empty_lines: true,
    trim: false,
    info: true,
    skip_records_with_error: true,
    max_record_size: 64 * 1024,
  });
  parser.on('skip', (error: Error & { lines?: number }) => {
    rows++;
    rejected.push({ line: error.lines ?? 0, reason: `unreadable CSV row (${error.message.replace(/\s+/g, ' ')})` });
  });
  input.on('data', (chunk: Buffer | string) => {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    options.onProgress?.(bytesRead);
  });

  const flush = async () => {
    const stored = await storeNpsAnswers(db, valid.splice(0), options);
    report.answersAdded += stored.answersAdded;
    report.duplicates += stored.duplicates;
  };

  let headerChecked = false;
  for await (const { record, info } of input.pipe(parser) as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    if (!headerChecked) {
      headerChecked = true;
      if (!('email' in record)) throw new Error('the CSV has no "email" column in its header row');
    }
    rows++;
    const parsed = npsAnswerSchema.safeParse(record);
    if (parsed.success) valid.push(parsed.data);
    else rejected.push({ line: info.lines, reason: describeRowIssues(parsed.error.issues) });
    if (valid.length >= chunkSize) await flush();
  }
  await flush();
  rejected.sort((a, b) => a.line - b.line);
  return { rows, ...report, contactsAdded: (await countContacts(db)) - contactsBefore, rejected };
}
