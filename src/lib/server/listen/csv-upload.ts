import { Readable } from 'node:stream';
import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { csvUploadMaxBytes, describeIgnoredColumns, describeImportReport, describeRejectedRow, describeRenamedColumns } from '../../listen/import-summary.ts';
import type { DateOrder } from '../../listen/spreadsheet-dates.ts';
import { checkCsvEncoding, CsvFormatError, importNpsCsv, type ImportReport } from './nps-import.ts';

/** What an upload from the admin did: the import's report in `npm run import`'s words, or why the file was refused whole. */
export type CsvUploadOutcome =
  | {
      kind: 'imported';
      fileName: string;
      dryRun: boolean;
      report: ImportReport;
      summary: string[];
      warnings: string[];
      rejectedLines: string[];
      /** How the file was read, for the form to keep: encoding, time zone, date order ('' = default). */
      reading: { encoding: string; timeZone: string; dateOrder: string };
    }
  | { kind: 'refused'; fileName: string; message: string };

/** The name a file is shown under: its own base name, or "upload.csv". */
function displayName(file: File): string {
  const base = file.name.split(/[\\/]/).pop()?.trim();
  return base ? base.slice(0, 200) : 'upload.csv';
}

/** How to read the file, as the upload form's fields say (npm run import's --encoding, --timezone, --date-order). */
export interface CsvUploadOptions {
  dryRun: boolean;
  encoding?: string | undefined;
  timeZone?: string | undefined;
  dateOrder?: DateOrder | undefined;
}

/**
 * The importer's messages name the command's flags; on the upload page the same choice is a field.
 */
export function forUploadForm(message: string): string {
  return message
    .replace(/add --encoding ([\w-]+)/g, 'choose $1 under "File encoding" and check the file again')
    .replace(/use --encoding ([\w-]+)/g, 'choose $1 under "File encoding"')
    .replace(/add --encoding with the code page it was saved in/g, 'choose the code page it was saved in under "File encoding"')
    .replace(/run without --encoding/g, 'choose "UTF-8 (detected)" under "File encoding"')
    .replace(/--date-order dmy\|mdy/g, '"Slash dates" (day first or month first)')
    .replace(/--date-order/g, '"Slash dates"')
    .replace(/--timezone/g, '"Time zone"');
}

/**
 * Imports a CSV uploaded in the admin with the same importer, rules and messages as
 * `npm run import` (see nps-import.ts); with `dryRun`, checks it and reports what would be added.
 */
export async function importUploadedCsv(db: Database, config: ReviewWallConfig, file: File, options: CsvUploadOptions): Promise<CsvUploadOutcome> {
  const fileName = displayName(file);
  if (file.size === 0) return { kind: 'refused', fileName, message: `${fileName}: the CSV is empty: expected a header row with an "email" column` };
  if (file.size > csvUploadMaxBytes) {
    return { kind: 'refused', fileName, message: `${fileName}: the file is larger than ${csvUploadMaxBytes / 1024 / 1024} MB; split it, or import it with npm run import` };
  }
  // At most csvUploadMaxBytes: read once, checked whole before anything is stored (as npm run
  // import does), so bytes in the wrong encoding near the end cannot leave earlier rows imported.
  const bytes = Buffer.from(await file.arrayBuffer());
  const decoding = { encoding: options.encoding, defaultLocale: config.locales.default };
  try {
    await checkCsvEncoding(Readable.from([bytes]), decoding);
    const report = await importNpsCsv(db, Readable.from([bytes]), {
      source: 'csv',
      ...decoding,
      timeZone: options.timeZone,
      dateOrder: options.dateOrder,
      dryRun: options.dryRun,
    });
    return {
      kind: 'imported',
      fileName,
      dryRun: options.dryRun,
      report,
      // In the order npm run import prints them on stdout.
      summary: [describeRenamedColumns(report), ...describeImportReport(report, options.dryRun)].filter((line): line is string => line !== null),
      warnings: [describeIgnoredColumns(fileName, report)].filter((line): line is string => line !== null),
      rejectedLines: report.rejected.map((row) => forUploadForm(describeRejectedRow(fileName, row))),
      reading: { encoding: options.encoding ?? '', timeZone: options.timeZone ?? '', dateOrder: options.dateOrder ?? '' },
    };
  } catch (error) {
    if (error instanceof CsvFormatError) return { kind: 'refused', fileName, message: forUploadForm(`${fileName}${error.line ? `:${error.line}` : ''}: ${error.message}`) };
    throw error;
  }
}
