import type { InStatement, ResultSet } from '@libsql/client';
import type { CsvError } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Database } from '../../../../db/client.ts';
import { normalizeLocale, type Locale } from '../../locales.ts';
import { npsAnswerSchema, type NpsAnswer } from '../../listen/nps-answer.ts';
import { mapCsvColumns, readCsvFields, type CsvField } from '../../listen/spreadsheet-columns.ts';
import { readSpreadsheetDate, type DateOrder } from '../../listen/spreadsheet-dates.ts';
import {
  canonicalEncoding,
  commonCodePages,
  guessCodePage,
  looksLikeWorkbook,
  previewLine,
  readByteOrderMark,
  Utf8Checker,
} from '../../listen/text-encodings.ts';
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
  /**
   * Of those, answers stored by an earlier import of the same clock times read in another time
   * zone (--timezone), moved to the times this import reads.
   */
  moved: number;
  /** Rows of customers erased on request: left out, never stored (see erased-emails.ts). */
  erased: number;
  contactsAdded: number;
  rejected: RejectedRow[];
  /** Which column each field was read from, by its header name. */
  columns: Partial<Record<CsvField, string>>;
  /** Columns not read, as named in the header (quoted), in file order. */
  ignoredColumns: string[];
}

/** Options shared by CSV imports, the webhook and the demo loader. */
export interface ImportOptions {
  /** csv, webhook, email or demo. */
  source: string;
  defaultLocale: Locale;
  isDemo?: boolean;
}

/** How a CSV file is read: its encoding and how to read its dates. */
export interface CsvReading {
  /** A code page such as windows-1257 for files that are not UTF-8; UTF-8 (or UTF-16 with a BOM) otherwise. */
  encoding?: string;
  /** IANA time zone for times written without one (default UTC). */
  timeZone?: string;
  /** Order of day and month in slash dates (03/04/2026); without it such dates are refused. */
  dateOrder?: DateOrder;
}

/** A file that cannot be imported at all (no header, no email column): nothing was stored. */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
  /** The line of the file the problem is on, when there is one. */
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/** Why a file's bytes cannot be read as text in the encoding asked for. */
export type CsvEncodingProblem =
  | { kind: 'not-utf8'; line: number; byte: number; guess: string | null; preview: string | null }
  | { kind: 'nul-byte'; line: number }
  | { kind: 'workbook' }
  | { kind: 'byte-order-mark-conflict'; marked: string; asked: string }
  | { kind: 'not-utf16'; line: number; encoding: string }
  | { kind: 'utf8-asked-as-code-page'; asked: string }
  | { kind: 'other-script'; line: number; asked: string; guess: string };

const saveAsUtf8 = 'or save it from the spreadsheet as "CSV UTF-8"';

function describeEncodingProblem(problem: CsvEncodingProblem): string {
  switch (problem.kind) {
    case 'not-utf8': {
      const byte = `0x${problem.byte.toString(16).toUpperCase().padStart(2, '0')}`;
      if (problem.guess) {
        const reads = problem.preview ? `, in which this line reads "${problem.preview}"` : '';
        return `not UTF-8 text (byte ${byte}); probably ${problem.guess}${reads}: add --encoding ${problem.guess} (${saveAsUtf8})`;
      }
      const pages = commonCodePages.map((page) => `${page.encoding} (${page.region})`);
      return `not UTF-8 text (byte ${byte}): add --encoding with the code page it was saved in, such as ${pages.slice(0, -1).join(', ')} or ${pages.at(-1)} (${saveAsUtf8})`;
    }
    case 'nul-byte':
      return `has a NUL byte, so it is not a text CSV (UTF-16 without a byte-order mark?): ${saveAsUtf8.replace(/^or /, '')}`;
    case 'workbook':
      return `is a spreadsheet workbook (.xlsx, .ods or .xls), not a CSV file: ${saveAsUtf8.replace(/^or /, '')}`;
    case 'byte-order-mark-conflict':
      return `starts with a ${problem.marked.toUpperCase()} byte-order mark, so it is ${problem.marked.toUpperCase()}, not ${problem.asked}: run without --encoding`;
    case 'not-utf16':
      return `is not valid ${problem.encoding.toUpperCase()} text, although it starts with that byte-order mark`;
    case 'other-script':
      return `is not ${problem.asked} text: its letters read as ${isCyrillicPage(problem.guess) ? 'Cyrillic' : 'Latin'} only in ${problem.guess}: use --encoding ${problem.guess}`;
    case 'utf8-asked-as-code-page':
      return `is UTF-8 text with accented or non-Latin letters, which read as ${problem.asked} would be garbled: run without --encoding`;
  }
}

const isCyrillicPage = (encoding: string) => encoding === 'windows-1251' || encoding === 'koi8-r' || encoding === 'ibm866';

/** A file whose bytes are not text in the encoding asked for: nothing was stored. */
export class CsvEncodingError extends CsvFormatError {
  override name = 'CsvEncodingError';
  readonly problem: CsvEncodingProblem;
  constructor(problem: CsvEncodingProblem) {
    super(describeEncodingProblem(problem), 'line' in problem ? problem.line : undefined);
    this.problem = problem;
  }
}

/**
 * The text of a CSV byte stream. UTF-8 unless a byte-order mark says UTF-16 (Excel's "Unicode
 * text") or `encoding` names a code page; a UTF-8 BOM is dropped. Bytes that are not UTF-8 stop
 * the import with the line of the first one and a guess at the code page, rather than being read
 * as U+FFFD and stored as "L�ga B�rzi�a".
 */
async function* decodeCsvBytes(
  input: AsyncIterable<Buffer | string>,
  options: { encoding?: string; defaultLocale?: string; onBytes?: (bytes: number) => void },
): AsyncGenerator<string> {
  const asked = options.encoding ? canonicalEncoding(options.encoding) : null;
  if (options.encoding && !asked) throw new CsvFormatError(`unknown encoding "${options.encoding}"`);
  let decoder: TextDecoder | null = null;
  let encoding = 'utf-8';
  let checker: Utf8Checker | null = null;
  // With a code page asked for, a file that is UTF-8 after all is noticed, not garbled.
  let utf8Witness: Utf8Checker | null = null;
  let linesDecoded = 1;
  let scriptUnchecked = true;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    options.onBytes?.(bytes.length);
    if (!decoder) {
      if (looksLikeWorkbook(bytes)) throw new CsvEncodingError({ kind: 'workbook' });
      const mark = readByteOrderMark(bytes);
      if (mark && asked && asked !== mark.encoding) throw new CsvEncodingError({ kind: 'byte-order-mark-conflict', marked: mark.encoding, asked });
      encoding = mark?.encoding ?? asked ?? 'utf-8';
      if (encoding === 'utf-8') checker = new Utf8Checker();
      else if (!encoding.startsWith('utf-16')) utf8Witness = new Utf8Checker();
      decoder = new TextDecoder(encoding, { fatal: encoding !== 'utf-8' && encoding.startsWith('utf') });
    }
    const fault = checker?.check(bytes);
    if (fault) {
      if (fault.kind === 'nul') throw new CsvEncodingError({ kind: 'nul-byte', line: fault.line });
      // The rest of the chunk (up to 64 KiB of the file) tells the code page better than one line.
      const guess = guessCodePage(Buffer.concat([fault.lineBytes, bytes]), fault.lineBytes, options.defaultLocale);
      throw new CsvEncodingError({ kind: 'not-utf8', line: fault.line, byte: fault.byte, guess, preview: guess ? previewLine(fault.lineBytes, guess) : null });
    }
    if (scriptUnchecked && encoding !== 'utf-8' && !encoding.startsWith('utf-16')) {
      const firstHigh = bytes.findIndex((byte) => byte >= 0x80);
      if (firstHigh !== -1) {
        scriptUnchecked = false;
        // Cyrillic read through a Latin code page (or the reverse) would store every name garbled.
        const guess = guessCodePage(bytes, new Uint8Array(0));
        if (guess && guess !== encoding && isCyrillicPage(guess) !== isCyrillicPage(encoding)) {
          const line = linesDecoded + bytes.subarray(0, firstHigh).filter((byte) => byte === 0x0a).length;
          throw new CsvEncodingError({ kind: 'other-script', line, asked: encoding, guess });
        }
      }
    }
    const witnessed = utf8Witness?.check(bytes);
    if (witnessed?.kind === 'nul') throw new CsvEncodingError({ kind: 'nul-byte', line: witnessed.line });
    if (witnessed) utf8Witness = null;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new CsvEncodingError({ kind: 'not-utf16', line: linesDecoded, encoding });
    }
    linesDecoded += text.split('\n').length - 1;
    if (text) yield text;
  }
  const fault = checker?.finish();
  if (fault?.kind === 'invalid') {
    const guess = guessCodePage(fault.lineBytes, fault.lineBytes, options.defaultLocale);
    throw new CsvEncodingError({ kind: 'not-utf8', line: fault.line, byte: fault.byte, guess, preview: guess ? previewLine(fault.lineBytes, guess) : null });
  }
  if (utf8Witness && !utf8Witness.finish() && utf8Witness.sawMultiByte) throw new CsvEncodingError({ kind: 'utf8-asked-as-code-page', asked: encoding });
  let rest: string;
  try {
    rest = decoder?.decode() ?? '';
  } catch {
    throw new CsvEncodingError({ kind: 'not-utf16', line: linesDecoded, encoding });
  }
  if (rest) yield rest;
}

/**
 * Reads a whole CSV byte stream as text in `encoding` without storing anything: the check an
 * import runs first, so that a file refused for its encoding leaves nothing half-imported.
 */
export async function checkCsvEncoding(input: Readable, options: { encoding?: string; defaultLocale?: string }): Promise<void> {
  for await (const _text of decodeCsvBytes(input, options));
}

/** Runs statements in one write batch; a dry run runs them inside a transaction it rolls back. */
type StatementRunner = (statements: InStatement[]) => Promise<ResultSet[]>;

const chunkSize = 500;

/** An answer as a CSV row gave it: `wallClock` is its time as written when the file gave no zone (see readSpreadsheetDate). */
export type ImportedAnswer = NpsAnswer & { wallClock?: string | undefined };

/** What each statement of an answer does, so its rows affected are counted in the right figure. */
type AnswerStatement = { statement: InStatement; counts: 'contact' | 'answer' | 'move' | 'none' };

function statementsFor(answer: ImportedAnswer, options: ImportOptions): AnswerStatement[] {
  const locale = answer.locale ? normalizeLocale(answer.locale, options.defaultLocale) : null;
  const segment = answer.segment ?? null;
  const statements: AnswerStatement[] = [
    {
      counts: 'contact',
      statement: {
        // The guard holds even if the customer is erased between our check and this write.
        sql: `insert into contacts (email, name, locale, segment, is_demo) select ?, ?, ?, ?, ? where ${notErasedSql}
              on conflict(email) do update set
                name = coalesce(excluded.name, contacts.name),
                locale = coalesce(?, contacts.locale),
                segment = coalesce(excluded.segment, contacts.segment),
                updated_at = cast(unixepoch('subsec') * 1000 as integer)`,
        args: [answer.email, answer.name ?? null, locale ?? options.defaultLocale, segment, options.isDemo ? 1 : 0, erasedEmailHash(answer.email), locale],
      },
    },
  ];
  if (answer.score === undefined) return statements;
  const comment = answer.comment ?? null;
  if (answer.responded_at) {
    const respondedAt = Date.parse(answer.responded_at);
    const wallClock = answer.wallClock ?? null;
    if (wallClock) {
      // The same clock time imported before with another --timezone is this answer: it moves to
      // the time this import reads (unless the customer has another answer at that very moment).
      statements.push({
        counts: 'move',
        statement: {
          sql: `update nps_responses set responded_at = ?
                where contact_id = (select id from contacts where email = ?) and wall_clock = ? and responded_at <> ?
                  and not exists (select 1 from nps_responses other where other.contact_id = nps_responses.contact_id and other.responded_at = ?)`,
          args: [respondedAt, answer.email, wallClock, respondedAt, respondedAt],
        },
      });
      // An answer imported before wall clocks were kept learns its own, so a later re-import with another zone finds it.
      statements.push({
        counts: 'none',
        statement: {
          sql: `update nps_responses set wall_clock = ?
                where contact_id = (select id from contacts where email = ?) and responded_at = ? and wall_clock is null
                  and not exists (select 1 from nps_responses other where other.contact_id = nps_responses.contact_id and other.wall_clock = ?)`,
          args: [wallClock, answer.email, respondedAt, wallClock],
        },
      });
    }
    statements.push({
      counts: 'answer',
      statement: {
        // Either unique key (customer and moment, customer and clock time as written) makes it a duplicate.
        sql: `insert into nps_responses (contact_id, score, comment, responded_at, source, segment, wall_clock)
              select id, ?, ?, ?, ?, segment, ? from contacts where email = ?
              on conflict do nothing`,
        args: [answer.score, comment, respondedAt, options.source, wallClock, answer.email],
      },
    });
  } else {
    // Without a time there is no natural key; an identical answer already stored counts as this one.
    statements.push({
      counts: 'answer',
      statement: {
        sql: `insert into nps_responses (contact_id, score, comment, responded_at, source, segment)
              select id, ?, ?, ?, ?, segment from contacts where email = ? and not exists (
                select 1 from nps_responses r where r.contact_id = contacts.id and r.score = ? and coalesce(r.comment, '') = coalesce(?, ''))`,
        args: [answer.score, comment, Date.now(), options.source, answer.email, answer.score, comment],
      },
    });
  }
  return statements;
}

/** What storing a list of answers did. */
interface StoredAnswers {
  answersAdded: number;
  duplicates: number;
  /** Answers already stored from the same clock time, moved to the time this import's time zone gives it. */
  moved: number;
  erased: number;
}

async function storeWith(run: StatementRunner, answers: ImportedAnswer[], options: ImportOptions): Promise<StoredAnswers> {
  let answersAdded = 0;
  let withScore = 0;
  let moved = 0;
  let erased = 0;
  for (let start = 0; start < answers.length; start += chunkSize) {
    const read = answers.slice(start, start + chunkSize);
    const erasedEmails = await findErasedEmails(run, read.map((answer) => answer.email));
    const chunk = read.filter((answer) => !erasedEmails.has(answer.email.trim().toLowerCase()));
    erased += read.length - chunk.length;
    if (chunk.length === 0) continue;
    const statements = chunk.flatMap((answer) => statementsFor(answer, options));
    const results = await run(statements.map(({ statement }) => statement));
    statements.forEach(({ counts }, index) => {
      const affected = results[index]?.rowsAffected ?? 0;
      if (counts === 'answer') {
        withScore++;
        answersAdded += affected;
      } else if (counts === 'move') {
        moved += affected;
      }
    });
  }
  return { answersAdded, duplicates: withScore - answersAdded, moved, erased };
}

/**
 * Stores validated answers: upserts each contact (a later row may fill in a name or locale)
 * and adds each answer once. Each chunk is one write transaction. Customers erased on request
 * are left out and counted in `erased`.
 */
export function storeNpsAnswers(db: Database, answers: NpsAnswer[], options: ImportOptions): Promise<StoredAnswers> {
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

/** The delimiter a header line uses: comma, semicolon or tab, whichever occurs most outside quotes. */
function detectDelimiter(headerLine: string): string {
  const counts = new Map([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const character of headerLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/**
 * Splits CSV text into records with csv-parse, one record at a time, so that a row with
 * broken quoting costs only that row: reading resumes on the line after the one where the bad
 * row starts, instead of the open quote swallowing the rest of the file. The delimiter is the
 * one Excel's first line names ("sep=;"), else the commonest of comma, semicolon (spreadsheets
 * in Polish, Latvian, Russian, Ukrainian or Bulgarian settings) and tab (Excel's "Unicode text")
 * in the header row.
 */
async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const lines = createInterface({ input: Readable.from(text), crlfDelay: Infinity });
  const pending: { line: number; text: string }[] = [];
  let lineNumber = 0;
  let ended = false;
  let delimiter = ',';
  let delimiterKnown = false;
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
    if (!delimiterKnown) {
      delimiterKnown = true;
      const declared = /^"?sep=(.)"?$/i.exec(text.trim());
      if (declared) {
        delimiter = declared[1]!;
        return readLine();
      }
      delimiter = detectDelimiter(text);
    }
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
 * Imports NPS answers from a CSV stream: a header row with an email column (names are matched
 * as spreadsheets and survey tools write them, see spreadsheet-columns.ts), text in UTF-8 or the
 * encoding given, dates as spreadsheets write them. Bad rows are reported with the line where
 * they start and the reason; good rows are stored. With `dryRun` everything runs inside one
 * transaction that is rolled back, so the counts are exact and nothing is written. Callers that
 * must store nothing from a file refused for its encoding run checkCsvEncoding first.
 */
export async function importNpsCsv(
  db: Database,
  input: Readable,
  options: ImportOptions & CsvReading & { onProgress?: ImportProgress; dryRun?: boolean },
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
  options: ImportOptions & CsvReading & { onProgress?: ImportProgress },
): Promise<ImportReport> {
  const rejected: RejectedRow[] = [];
  const valid: ImportedAnswer[] = [];
  let rows = 0;
  let bytesRead = 0;
  let columns: Extract<ReturnType<typeof mapCsvColumns>, { kind: 'columns' }> | null = null;
  const contactsBefore = await countContacts();
  const report = { answersAdded: 0, duplicates: 0, moved: 0, erased: 0 };
  const dateReading = { timeZone: options.timeZone ?? 'UTC', dateOrder: options.dateOrder };

  const flush = async () => {
    const stored = await storeWith(run, valid.splice(0), options);
    report.answersAdded += stored.answersAdded;
    report.duplicates += stored.duplicates;
    report.moved += stored.moved;
    report.erased += stored.erased;
  };
  const text = decodeCsvBytes(input, {
    encoding: options.encoding,
    defaultLocale: options.defaultLocale,
    onBytes: (bytes) => {
      bytesRead += bytes;
      options.onProgress?.({ bytesRead, rows });
    },
  });

  for await (const record of readCsvRecords(text)) {
    if (!columns) {
      if ('error' in record) throw new CsvFormatError(`the header row cannot be read: ${record.error}`, record.line);
      const mapped = mapCsvColumns(record.fields);
      if (mapped.kind === 'no-email') {
        const named = mapped.header.map((name) => `"${name.trim()}"`).join(', ');
        throw new CsvFormatError(`the header row has no email column (its columns: ${named}); name the column of email addresses "email" or "Email Address"`, record.line);
      }
      columns = mapped;
      continue;
    }
    rows++;
    if ('error' in record) {
      rejected.push({ line: record.line, reason: record.error });
      continue;
    }
    if (record.fields.length !== columns.header.length) {
      rejected.push({ line: record.line, reason: `wrong number of columns: ${record.fields.length} instead of ${columns.header.length}` });
      continue;
    }
    const cells = readCsvFields(record.fields, columns.indexOf);
    let wallClock: string | undefined;
    if (cells.responded_at?.trim()) {
      const dateColumn = columns.header[columns.indexOf.responded_at!]!.trim();
      const date = readSpreadsheetDate(cells.responded_at, dateReading, dateColumn);
      if (date.kind === 'invalid') {
        rejected.push({ line: record.line, reason: date.reason });
        continue;
      }
      cells.responded_at = date.iso;
      wallClock = date.wallClock;
    }
    const parsed = npsAnswerSchema.safeParse(cells);
    if (parsed.success) valid.push({ ...parsed.data, wallClock });
    else rejected.push({ line: record.line, reason: describeRowIssues(parsed.error.issues) });
    if (valid.length >= chunkSize) await flush();
  }
  if (!columns) throw new CsvFormatError('the CSV is empty: expected a header row with an "email" column');
  await flush();
  const read = columns;
  const columnNames = Object.fromEntries(
    (Object.entries(read.indexOf) as [CsvField, number][]).map(([field, index]) => [field, read.header[index]!.trim()]),
  ) as Partial<Record<CsvField, string>>;
  return {
    rows,
    ...report,
    contactsAdded: (await countContacts()) - contactsBefore,
    rejected,
    columns: columnNames,
    ignoredColumns: read.ignored,
  };
}
