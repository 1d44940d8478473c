import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Database } from '../../../../db/client.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { csvUploadMaxBytes, describeImportReport, describeRejectedRow } from '../../listen/import-summary.ts';
import { CsvFormatError, importNpsCsv, type ImportReport } from './nps-import.ts';

/** What an upload from the admin did: the import's report in `npm run import`'s words, or why the file was refused whole. */
export type CsvUploadOutcome =
  | { kind: 'imported'; fileName: string; dryRun: boolean; report: ImportReport; summary: string[]; rejectedLines: string[] }
  | { kind: 'refused'; fileName: string; message: string };

/** The name a file is shown under: its own base name, or "upload.csv". */
function displayName(file: File): string {
  const base = file.name.split(/[\\/]/).pop()?.trim();
  return base ? base.slice(0, 200) : 'upload.csv';
}

/**
 * Imports a CSV uploaded in the admin with the same importer, rules and messages as
 * `npm run import` (see nps-import.ts); with `dryRun`, checks it and reports what would be added.
 */
export async function importUploadedCsv(db: Database, config: ReviewWallConfig, file: File, options: { dryRun: boolean }): Promise<CsvUploadOutcome> {
  const fileName = displayName(file);
  if (file.size === 0) return { kind: 'refused', fileName, message: `${fileName}: the CSV is empty: expected a header row with an "email" column` };
  if (file.size > csvUploadMaxBytes) {
    return { kind: 'refused', fileName, message: `${fileName}: the file is larger than ${csvUploadMaxBytes / 1024 / 1024} MB; split it, or import it with npm run import` };
  }
  const input = Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>);
  try {
    const report = await importNpsCsv(db, input, { source: 'csv', defaultLocale: config.locales.default, dryRun: options.dryRun });
    return {
      kind: 'imported',
      fileName,
      dryRun: options.dryRun,
      report,
      summary: describeImportReport(report, options.dryRun),
      rejectedLines: report.rejected.map((row) => describeRejectedRow(fileName, row)),
    };
  } catch (error) {
    if (error instanceof CsvFormatError) return { kind: 'refused', fileName, message: `${fileName}: ${error.message}` };
    throw error;
  }
}
