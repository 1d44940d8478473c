import { counted } from '../plural.ts';
import type { ImportReport, RejectedRow } from '../server/listen/nps-import.ts';

/** The largest CSV the admin's upload accepts (the body limit of its route, see body-limit.ts). */
export const csvUploadMaxBytes = 10 * 1024 * 1024;

/** One rejected row as `npm run import` prints it: `FILE:LINE: reason`. */
export function describeRejectedRow(file: string, row: RejectedRow): string {
  return `${file}:${row.line}: ${row.reason}`;
}

/**
 * What an import did, in the words `npm run import` prints and the admin's upload shows: the
 * counts, then (when any) the rows left out because their customers were erased on request.
 */
export function describeImportReport(report: ImportReport, dryRun: boolean): string[] {
  const verb = dryRun ? 'Dry run, nothing written: would add' : 'Added';
  const lines = [
    `${verb} ${counted(report.answersAdded, 'answer')} and ${counted(report.contactsAdded, 'new customer')}. ` +
      `Rows: ${report.rows}, added: ${report.answersAdded}, duplicates: ${report.duplicates}, rejected: ${report.rejected.length}.`,
  ];
  if (report.moved > 0) {
    lines.push(
      `${dryRun ? 'Would move' : 'Moved'} ${counted(report.moved, 'answer')} imported before from the same clock times read in another time zone to the times read now (same customer, same time as written: not added twice).`,
    );
  }
  if (report.erased > 0) {
    lines.push(`Left out ${counted(report.erased, 'row')} of customers erased on request (npm run erase -- --allow-again EMAIL if one of them asks to be included again).`);
  }
  return lines;
}

/** "Read "E-mail" as email, …": the columns read under another name, or null when none were. */
export function describeRenamedColumns(report: Pick<ImportReport, 'columns'>): string | null {
  const renamed = Object.entries(report.columns).filter(([field, name]) => name.toLowerCase() !== field);
  return renamed.length > 0 ? `Read ${renamed.map(([field, name]) => `"${name}" as ${field}`).join(', ')}.` : null;
}

/** The warning about columns the import does not read, or null when every column was read. */
export function describeIgnoredColumns(file: string, report: Pick<ImportReport, 'ignoredColumns'>): string | null {
  if (report.ignoredColumns.length === 0) return null;
  const columns = report.ignoredColumns.length === 1 ? 'column' : 'columns';
  return `${file}: warning: ignored ${columns} ${report.ignoredColumns.join(', ')}: not one the import reads (see npm run import -- --help)`;
}
