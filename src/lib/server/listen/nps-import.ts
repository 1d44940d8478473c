import type { InStatement, ResultSet } from '@libsql/client';
import type { CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Database } from '../../../../db/client.ts';
import { normalizeLocale, type Locale } from '../../locales.ts';
import { npsAnswerSchema, type NpsAnswer } from '../../listen/nps-answer.ts';
import { erasedEmailHash, findErasedEmails, notErasedSql } from '../moderate/erased-emails.ts';

/** A row that could not be imported, with the line of the file where it starts and why. */
export interface RejectedRow {
  line: number;
  reason: string;
}

/** What an import did (or, in a dry run, would do). */
export interface ImportReport {
  /** Data rows read, good and bad. */
  rows: number;
  answersAdded: number;
  /** Answers already stored (or repeated in the file), so not added again. */
  duplicates: number;
  /** Rows of customers erased on request: left out, never stored (see erased-emails.ts). */
  erased: number;
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

/** A file that cannot be imported at all (no header, no email column): nothing was stored. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
}

/** Runs statements in one write batch; a dry run runs them inside a transaction it rolls back. */
type StatementRunner = (statements: InStatement[]) => Promise<ResultSet[]>;

const chunkSize = 500;

function statementsFor(answer: NpsAnswer, options: ImportOptions): InStatement[] {
  const locale = answer.locale ? normalizeLocale(answer.locale, options.defaultLocale) : null;
  const statements: InStatement[] = [
    {
      // The guard holds even if the customer is erased between our check and this write.
      sql: `insert into contacts (email, name, locale, is_demo) select ?, ?, ?, ? where ${notErasedSql}
            on conflict(email) do update set
              name = coalesce(excluded.name, contacts.name),
              locale = coalesce(?, contacts.locale),
              updated_at = cast(unixepoch('subsec') * 1000 as integer)`,
      args: [answer.email, answer.name ?? null, locale ?? options.defaultLocale, options.isDemo ? 1 : 0, erasedEmailHash(answer.email), locale],
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

async function storeWith(
  run: StatementRunner,
  answers: NpsAnswer[],
  options: ImportOptions,
): Promise<{ answersAdded: number; duplicates: number; erased: number }> {
  let answersAdded = 0;
  let withScore = 0;
  let erased = 0;
  for (let start = 0; start < answers.length; start += chunkSize) {
    const read = answers.slice(start, start + chunkSize);
    const erasedEmails = await findErasedEmails(run, read.map((answer) => answer.email));
    const chunk = read.filter((answer) => !erasedEmails.has(answer.email.trim().toLowerCase()));
    erased += read.length - chunk.length;
    if (chunk.length === 0) continue;
    const statements = chunk.flatMap((answer) => statementsFor(answer, options));
    const results = await run(statements);
    statements.forEach((statement, index) => {
      const sqlText = typeof statement === 'string' ? statement : statement.sql;
      if (sqlText.includes('into nps_responses')) {
        withScore++;
        answersAdded += results[index]?.rowsAffected ?? 0;
      }
    });
  }
  return { answersAdded, duplicates: withScore - answersAdded, erased };
}

/**
 * Stores validated answers: upserts each contact (a later row may fill in a name or locale)
 * and adds each answer once. Each chunk is one write transaction. Customers erased on request
 * are left out and counted in `erased`.
 */
export function storeNpsAnswers(
  db: Database,
  answers: NpsAnswer[],
  options: ImportOptions,
): Promise<{ answersAdded: number; duplicates: number; erased: number }> {
  return storeWith((statements) => db.$client.batch(statements, 'write'), answers, options);
}

/** Turns zod issues for one row into one readable reason. */
function describeRowIssues(issues: { message: string }[]): string {
  return [...new Set(issues.map((issue) => issue.message))].join('; ');
}

/** Why csv-parse could not read a row, in words a spreadsheet user understands. */
function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'broken quoting: a quote inside a quoted field must be doubled ("")';
    case 'INVALID_OPENING_QUOTE':
      return 'broken quoting: a field with a quote in it must be quoted, with the quote doubled ("")';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'broken quoting: a quoted field is never closed';
    default:
      return `unreadable CSV row (${error.message.replace(/\s+/g, ' ')})`;
  }
}

/** One record of a CSV file, or why the record starting at `line` could not be read. */
type CsvRecord = { line: number; fields: string[] } | { line: number; error: string };

/** A quoted field may span lines, but not more than this: beyond it the quote is taken as broken. */
const maxRecordLines = 200;
const maxRecordBytes = 64 * 1024;

/**
 * Splits a CSV stream into records with csv-parse, one record at a time, so that a row with
 * broken quoting costs only that row: reading resumes on the line after the one where the bad
 * row starts, instead of the open quote swallowing the rest of the file. The delimiter is a
 * comma, or a semicolon when the header row has semicolons and no comma.
 */
async function* readCsvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const pending: { line: number; text: string }[] = [];
  let lineNumber = 0;
  let ended = false;
  let delimiter = ',';
  const iterator = lines[Symbol.asyncIterator]();
  const readLine = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return false;
    }
    lineNumber++;
    const text = lineNumber === 1 ? next.value.replace(/^\uFEFF/, '') : next.value;
    // Spreadsheets in Polish, Latvian, Russian, Ukrainian or Bulgarian settings save CSV with semicolons.
    if (lineNumber === 1 && !text.includes(',') && text.includes(';')) delimiter = ';';
    pending.push({ line: lineNumber, text });
    return true;
  };

  for (;;) {
    if (pending.length === 0 && !(await readLine())) return;
    let taken = 1;
    for (;;) {
      const candidate = pending.slice(0, taken);
      const text = candidate.map((entry) => entry.text).join('\n');
      const first = candidate[0]!;
      try {
        const [fields] = parseSync(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
        pending.splice(0, taken);
        if (fields) yield { line: first.line, fields };
        break;
      } catch (error) {
        const csvError = error as CsvError;
        const mayContinue = csvError.code === 'CSV_QUOTE_NOT_CLOSED' && taken < maxRecordLines && text.length < maxRecordBytes;
        // An open quote may be a field that goes on over the next line.
        if (mayContinue && (taken < pending.length || (await readLine()))) {
          taken++;
          continue;
        }
        // Only the first line is given up: the lines read ahead are read again as rows of their own.
        pending.shift();
        yield { line: first.line, error: describeCsvError(csvError) };
        break;
      }
    }
  }
}

/** Progress of an import: bytes of the file consumed and rows read so far. */
export type ImportProgress = (progress: { bytesRead: number; rows: number }) => void;

/**
 * Imports NPS answers from a CSV stream (UTF-8, header row, `email` required). Bad rows are
 * reported with the line where they start and the reason; good rows are stored. With `dryRun`
 * everything runs inside one transaction that is rolled back, so the counts are exact and
 * nothing is written.
 */
export async function importNpsCsv(
  db: Database,
  input: Readable,
  options: ImportOptions & { onProgress?: ImportProgress; dryRun?: boolean },
): Promise<ImportReport> {
  const transaction = options.dryRun ? await db.$client.transaction('write') : null;
  try {
    const run: StatementRunner = transaction
      ? (statements) => transaction.batch(statements)
      : (statements) => db.$client.batch(statements, 'write');
    const countContacts = async () =>
      Number((await (transaction ?? db.$client).execute('select count(*) as value from contacts')).rows[0]?.value ?? 0);
    return await readCsv(run, countContacts, input, options);
  } finally {
    if (transaction) {
      await transaction.rollback();
      transaction.close();
    }
  }
}

async function readCsv(
  run: StatementRunner,
  countContacts: () => Promise<number>,
  input: Readable,
  options: ImportOptions & { onProgress?: ImportProgress },
): Promise<ImportReport> {
  const rejected: RejectedRow[] = [];
  const valid: NpsAnswer[] = [];
  let rows = 0;
  let bytesRead = 0;
  let header: string[] | null = null;
  const contactsBefore = await countContacts();
  const report = { answersAdded: 0, duplicates: 0, erased: 0 };

  input.on('data', (chunk: Buffer | string) => {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    options.onProgress?.({ bytesRead, rows });
  });
  const flush = async () => {
    const stored = await storeWith(run, valid.splice(0), options);
    report.answersAdded += stored.answersAdded;
    report.duplicates += stored.duplicates;
    report.erased += stored.erased;
  };

  for await (const record of readCsvRecords(input)) {
    if (!header) {
      if ('error' in record) throw new CsvFormatError(`the header row cannot be read: ${record.error}`);
      header = record.fields.map((column) => column.trim().toLowerCase());
      if (!header.includes('email')) throw new CsvFormatError('the CSV has no "email" column in its header row');
      continue;
    }
    rows++;
    if ('error' in record) {
      rejected.push({ line: record.line, reason: record.error });
      continue;
    }
    if (record.fields.length !== header.length) {
      rejected.push({ line: record.line, reason: `wrong number of columns: ${record.fields.length} instead of ${header.length}` });
      continue;
    }
    const row = Object.fromEntries(header.map((column, index) => [column, record.fields[index]]));
    const parsed = npsAnswerSchema.safeParse(row);
    if (parsed.success) valid.push(parsed.data);
    else rejected.push({ line: record.line, reason: describeRowIssues(parsed.error.issues) });
    if (valid.length >= chunkSize) await flush();
  }
  if (!header) throw new CsvFormatError('the CSV is empty: expected a header row with an "email" column');
  await flush();
  return { rows, ...report, contactsAdded: (await countContacts()) - contactsBefore, rejected };
}
