#!/usr/bin/env node
// npm run import -- FILE.csv: add customers and their NPS answers from a CSV file.
import { SingleBar } from 'cli-progress';
import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { checkCsvEncoding, CsvFormatError, importNpsCsv, type ImportProgress } from '../src/lib/server/listen/nps-import.ts';
import { isTimeZone } from '../src/lib/listen/spreadsheet-dates.ts';
import { canonicalEncoding, commonCodePages } from '../src/lib/listen/text-encodings.ts';
import { describeImportReport, describeRejectedRow, describeIgnoredColumns, describeRenamedColumns } from '../src/lib/listen/import-summary.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run import -- FILE.csv [--encoding CODEPAGE] [--timezone ZONE] [--date-order dmy|mdy] [--dry-run]

Adds customers and their NPS answers from a CSV file as a spreadsheet or survey tool saves it:
a header row with an email column ("email", "Email Address", "E-mail"...), and optionally name
(or first and last name), locale, score (0-10; "Score", "Rating", "NPS"), comment, the date
("responded_at", "Date", "Created At"...) and a segment ("segment", "Region", "Plan", "Team"; at
most 60 characters, kept with each answer). Separated by commas, semicolons or tabs. Text in UTF-8
(with or without a BOM) or UTF-16 with a BOM; a file in another encoding is refused with the line
and the likely code page, unless --encoding names it. Columns not read are listed as a warning.
Importing the same file again adds nothing twice. Each bad row is reported on stderr with the
line where it starts and why; the good rows are imported. Rows of customers erased on request
(npm run erase) are left out and counted.

  --encoding CODEPAGE   the file's code page when it is not UTF-8: ${commonCodePages.map((page) => page.encoding).join(', ')}, koi8-r...
  --timezone ZONE       IANA time zone of dates written without one, e.g. Europe/Riga (default UTC)
  --date-order dmy|mdy  how to read slash dates such as 03/04/2026 (refused without it)
  --dry-run             check the file and report what would be added, without writing

Exit codes: 0 every row imported, 1 some rows were rejected (the others were imported),
2 bad usage (no file, unreadable file, not UTF-8 without --encoding, no email column).`;

/** Files larger than this get a progress display. */
const largeFileBytes = 1024 * 1024;

function progressReporter(totalBytes: number): { update: ImportProgress; stop: (rows?: number) => void } {
  if (totalBytes < largeFileBytes) return { update: () => {}, stop: () => {} };
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'import [{bar}] {percentage}% | {rows} rows | ETA {eta}s', hideCursor: true });
    bar.start(totalBytes, 0, { rows: 0 });
    return {
      update: ({ bytesRead, rows }) => bar.update(bytesRead, { rows }),
      stop: (rows?: number) => {
        if (rows !== undefined) bar.update(totalBytes, { rows });
        bar.stop();
      },
    };
  }
  // Not a terminal (a log, CI): one plain line per quarter of the file.
  let reported = 0;
  return {
    update: ({ bytesRead, rows }) => {
      const quarter = Math.floor((bytesRead / totalBytes) * 4);
      if (quarter > reported && quarter < 4) {
        reported = quarter;
        console.log(`import: ${quarter * 25}% read (${counted(rows, 'row')})`);
      }
    },
    stop: () => {},
  };
}

runCommand('import', async () => {
  const { values, positionals } = parseCommandLine({
    'dry-run': { type: 'boolean' },
    encoding: { type: 'string' },
    timezone: { type: 'string' },
    'date-order': { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const [file, extra] = positionals;
  if (!file) throw new UsageError('expected a CSV file: npm run import -- FILE.csv');
  if (extra) throw new UsageError(`unexpected argument "${extra}" (import one file at a time)`);
  const encoding = values.encoding;
  if (encoding !== undefined && !canonicalEncoding(encoding)) {
    throw new UsageError(`unknown --encoding "${encoding}": use a code page such as ${commonCodePages.map((page) => page.encoding).join(', ')}`);
  }
  const timeZone = values.timezone;
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    throw new UsageError(`unknown --timezone "${timeZone}": use an IANA time zone such as Europe/Riga, or UTC`);
  }
  const dateOrder = values['date-order'];
  if (dateOrder !== undefined && dateOrder !== 'dmy' && dateOrder !== 'mdy') {
    throw new UsageError(`--date-order must be dmy (day first: 25/11/2026) or mdy (month first: 11/25/2026), not "${dateOrder}"`);
  }
  const size = await stat(file).then(
    (info) => {
      if (!info.isFile()) throw new UsageError(`${file} is not a file`);
      return info.size;
    },
    (error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.code ?? error.message}`);
    },
  );
  // Fail on an unreadable file (permissions) before opening the database.
  await access(file, constants.R_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  });

  const { db, config } = await openAppContext();
  const dryRun = values['dry-run'] === true;
  const refuse: (error: unknown) => never = (error) => {
    if (error instanceof CsvFormatError) throw new UsageError(`${file}${error.line ? `:${error.line}` : ''}: ${error.message}`);
    throw error;
  };
  // The whole file is read once before anything is stored, so that bytes in the wrong encoding
  // near its end cannot leave the rows before them imported.
  await checkCsvEncoding(createReadStream(file), { encoding, defaultLocale: config.locales.default }).catch(refuse);
  const progress = progressReporter(size);
  let report;
  try {
    report = await importNpsCsv(db, createReadStream(file), {
      source: 'csv',
      defaultLocale: config.locales.default,
      encoding,
      timeZone,
      dateOrder,
      dryRun,
      onProgress: progress.update,
    });
  } catch (error) {
    refuse(error);
  } finally {
    progress.stop(report?.rows);
  }

  const renamed = describeRenamedColumns(report);
  if (renamed) console.log(renamed);
  const ignored = describeIgnoredColumns(file, report);
  if (ignored) process.stderr.write(`${ignored}\n`);

  for (const row of report.rejected) process.stderr.write(`${describeRejectedRow(file, row)}\n`);
  for (const line of describeImportReport(report, dryRun)) console.log(line);
  return report.rejected.length > 0 ? 1 : 0;
});
