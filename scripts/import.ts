#!/usr/bin/env node
// npm run import -- FILE.csv: add customers and their NPS answers from a CSV file.
import { SingleBar } from 'cli-progress';
import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand, UsageError } from '../src/lib/server/platform/cli.ts';
import { CsvFormatError, importNpsCsv, type ImportProgress } from '../src/lib/server/listen/nps-import.ts';
import { counted } from '../src/lib/plural.ts';

const help = `Usage: npm run import -- FILE.csv [--dry-run]

Adds customers and their NPS answers from a CSV file: UTF-8, a header row, an "email"
column, and optionally name, locale, score (0-10), comment and responded_at (ISO 8601).
Importing the same file again adds nothing twice. Each bad row is reported on stderr with
the line where it starts and why; the good rows are imported. Rows of customers erased on
request (npm run erase) are left out and counted.

  --dry-run   check the file and report what would be added, without writing

Exit codes: 0 every row imported, 1 some rows were rejected (the others were imported),
2 bad usage (no file, unreadable file, no "email" column).`;

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
  const { values, positionals } = parseCommandLine({ 'dry-run': { type: 'boolean' } });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const [file, extra] = positionals;
  if (!file) throw new UsageError('expected a CSV file: npm run import -- FILE.csv');
  if (extra) throw new UsageError(`unexpected argument "${extra}" (import one file at a time)`);
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
  const progress = progressReporter(size);
  let report;
  try {
    report = await importNpsCsv(db, createReadStream(file), { source: 'csv', defaultLocale: config.locales.default, dryRun, onProgress: progress.update });
  } catch (error) {
    if (error instanceof CsvFormatError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  } finally {
    progress.stop(report?.rows);
  }

  for (const row of report.rejected) process.stderr.write(`${file}:${row.line}: ${row.reason}\n`);
  const verb = dryRun ? 'Dry run, nothing written: would add' : 'Added';
  console.log(
    `${verb} ${counted(report.answersAdded, 'answer')} and ${counted(report.contactsAdded, 'new customer')}. ` +
      `Rows: ${report.rows}, added: ${report.answersAdded}, duplicates: ${report.duplicates}, rejected: ${report.rejected.length}.`,
  );
  if (report.erased > 0) {
    console.log(`Left out ${counted(report.erased, 'row')} of customers erased on request (npm run erase -- --allow-again EMAIL if one of them asks to be included again).`);
  }
  return report.rejected.length > 0 ? 1 : 0;
});
